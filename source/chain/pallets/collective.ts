/**
 * pallet-collective instances (Council, Technical Committee): members, prime,
 * open proposals and their votes.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Call } from '@polkadot/types/interfaces';
import type { Hex } from '../../domain/types.js';
import { palletQuery, palletTx, type AccountCodec, type HashCodec, type NumberCodec, type OptionCodec } from './common.js';

/** The instances by pallet name: Council and Technical Committee, or a chain's one unnamed `collective` (Rococo's). */
export type CollectiveName = 'council' | 'technicalCommittee' | 'collective';

export const COLLECTIVE_TITLE: Record<CollectiveName, string> = {
	council: 'Council',
	technicalCommittee: 'Technical Committee',
	collective: 'Collective',
};

/** How a reviewer names the instance in `--motion PREFIX:INDEX`. */
export const COLLECTIVE_PREFIX: Record<CollectiveName, string> = { council: 'council', technicalCommittee: 'tc', collective: 'collective' };

interface VotesCodec {
	index: NumberCodec;
	threshold: NumberCodec;
	ayes: AccountCodec[];
	nays: AccountCodec[];
	/** Absent before 2020: a motion had no voting period and ran as soon as a vote reached its threshold. */
	end?: NumberCodec;
}
interface CollectiveStorage {
	members: () => Promise<AccountCodec[]>;
	prime?: () => Promise<OptionCodec<AccountCodec>>;
	proposals: () => Promise<HashCodec[]>;
	proposalOf?: (hash: Hex) => Promise<OptionCodec<Call>>;
	voting: (hash: Hex) => Promise<OptionCodec<VotesCodec>>;
}

const storage = (api: ApiPromise, pallet: CollectiveName) => palletQuery<CollectiveStorage>(api, pallet);

function required(api: ApiPromise, pallet: CollectiveName): CollectiveStorage {
	const q = storage(api, pallet);
	if (!q) throw new Error(`this chain has no ${COLLECTIVE_TITLE[pallet]} (pallet ${pallet})`);
	return q;
}

/** The chain has this collective (with proposals held on chain). */
export function hasCollective(api: ApiPromise, pallet: CollectiveName): boolean {
	return Boolean(storage(api, pallet)?.proposalOf);
}

export async function collectiveMembers(api: ApiPromise, pallet: CollectiveName): Promise<string[]> {
	return (await required(api, pallet).members()).map((m) => m.toString());
}

export async function collectivePrime(api: ApiPromise, pallet: CollectiveName): Promise<string | undefined> {
	const prime = await required(api, pallet).prime?.();
	return prime?.isSome ? prime.unwrap().toString() : undefined;
}

/** Hashes of the open motions. */
export async function collectiveProposals(api: ApiPromise, pallet: CollectiveName): Promise<Hex[]> {
	return (await required(api, pallet).proposals()).map((h) => h.toHex() as Hex);
}

/** The call an open motion proposes. */
export async function collectiveProposal(api: ApiPromise, pallet: CollectiveName, hash: Hex): Promise<Call | undefined> {
	const proposal = await required(api, pallet).proposalOf?.(hash);
	return proposal?.isSome ? proposal.unwrap() : undefined;
}

export interface MotionState {
	index: number;
	threshold: number;
	ayes: string[];
	nays: string[];
	/** The block the motion's voting ends at; undefined on a collective without one (2019). */
	end?: number;
}

/** How this collective takes and closes motions, read from its calls. */
export interface CollectiveShape {
	/** `propose(threshold, proposal, length_bound)` (2020 on), or `propose(threshold, proposal)`. */
	lengthBound: boolean;
	/** A motion that reached its threshold is executed by `close` (2020 on), or by the vote that reached it (2019). */
	close: boolean;
}

export function collectiveShape(api: ApiPromise, pallet: CollectiveName): CollectiveShape {
	const tx = palletTx(api, pallet) ?? {};
	return { lengthBound: (tx.propose?.meta.args.length ?? 0) >= 3, close: Boolean(tx.close) };
}

/** The votes on an open motion; undefined once it is closed (or never was). */
export async function motionState(api: ApiPromise, pallet: CollectiveName, hash: Hex): Promise<MotionState | undefined> {
	const voting = await required(api, pallet).voting(hash);
	if (voting.isNone) return undefined;
	const v = voting.unwrap();
	return {
		index: v.index.toNumber(),
		threshold: v.threshold.toNumber(),
		ayes: v.ayes.map((a) => a.toString()),
		nays: v.nays.map((a) => a.toString()),
		...(v.end ? { end: v.end.toNumber() } : {}),
	};
}

/** Members needed for `EnsureProportionAtLeast<num, den>`: ayes * den >= members * num. */
export function proportionThreshold(members: number, num: number, den: number): number {
	return Math.max(1, Math.ceil((members * num) / den));
}
