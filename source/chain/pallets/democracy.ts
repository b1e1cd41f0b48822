/**
 * pallet-democracy (governance v1): the external proposal waiting, referenda
 * and the votes an account has cast.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import {
	boundedHash,
	boundedParts,
	castVotesOf,
	palletQuery,
	type AccountVoteCodec,
	type BalanceCodec,
	type BoolCodec,
	type BoundedLike,
	type BoundedParts,
	type CastVotes,
	type HashCodec,
	type NumberCodec,
	type OptionCodec,
	type StorageMap,
} from './common.js';

interface ReferendumInfoCodec {
	isOngoing: boolean;
	asOngoing: {
		end: NumberCodec;
		/** Bounded<Call>; `proposalHash` before Bounded. */
		proposal?: BoundedLike;
		proposalHash?: HashCodec;
		threshold: { type: string };
		delay: NumberCodec;
		tally: { ayes: BalanceCodec; nays: BalanceCodec; turnout: BalanceCodec };
	};
	isFinished: boolean;
	asFinished: { approved: BoolCodec; end: NumberCodec };
}
interface VotingCodec {
	isDirect: boolean;
	asDirect: { votes: Array<[NumberCodec, AccountVoteCodec]> };
	isDelegating: boolean;
}
interface DemocracyStorage {
	referendumInfoOf?: StorageMap<[number], OptionCodec<ReferendumInfoCodec>>;
	/** (proposal, threshold) */
	nextExternal: () => Promise<OptionCodec<[BoundedLike | HashCodec, { type: string }]>>;
	votingOf: (who: string) => Promise<VotingCodec>;
}

const storage = (api: ApiPromise) => palletQuery<DemocracyStorage>(api, 'democracy');

function required(api: ApiPromise): DemocracyStorage {
	const q = storage(api);
	if (!q?.referendumInfoOf) throw new Error('this chain has no Democracy pallet');
	return q;
}

export function hasDemocracy(api: ApiPromise): boolean {
	return Boolean(storage(api)?.referendumInfoOf);
}

/** The external proposal waiting to be tabled or fast-tracked (Democracy.NextExternal), if any. */
export async function nextExternal(api: ApiPromise): Promise<BoundedParts | undefined> {
	const next = await required(api).nextExternal();
	if (next.isNone) return undefined;
	return boundedParts(next.unwrap()[0]);
}

export async function nextExternalHash(api: ApiPromise): Promise<Hex | undefined> {
	return (await nextExternal(api))?.hash;
}

export interface DemocracyReferendum {
	index: number;
	ongoing?: {
		end: number;
		ayes: bigint;
		nays: bigint;
		turnout: bigint;
		/** The VoteThreshold variant, e.g. "SuperMajorityApprove". */
		threshold: string;
		delay: number;
		/** What it enacts. */
		proposal?: BoundedParts;
	};
	finished?: { approved: boolean; end: number };
}

function democracyInfo(index: number, i: ReferendumInfoCodec): DemocracyReferendum {
	if (i.isOngoing) {
		const o = i.asOngoing;
		const held = o.proposal ?? o.proposalHash;
		return {
			index,
			ongoing: {
				end: o.end.toNumber(),
				ayes: o.tally.ayes.toBigInt(),
				nays: o.tally.nays.toBigInt(),
				turnout: o.tally.turnout.toBigInt(),
				threshold: o.threshold.type,
				delay: o.delay.toNumber(),
				...(held ? { proposal: boundedParts(held) } : {}),
			},
		};
	}
	const f = i.asFinished;
	return { index, finished: { approved: f.approved.isTrue, end: f.end.toNumber() } };
}

export async function democracyReferendum(api: ApiPromise, index: number): Promise<DemocracyReferendum | undefined> {
	const info = await required(api).referendumInfoOf!(index);
	if (info.isNone) return undefined;
	return democracyInfo(index, info.unwrap());
}

/** The ongoing democracy referendum on this proposal hash, if any. */
export async function findDemocracyReferendum(api: ApiPromise, proposalHash: Hex): Promise<DemocracyReferendum | undefined> {
	const entries = await required(api).referendumInfoOf!.entries();
	for (const [key, value] of entries) {
		if (value.isNone) continue;
		const info = value.unwrap();
		if (info.isOngoing && boundedHash(info.asOngoing.proposal ?? info.asOngoing.proposalHash) === proposalHash) {
			return democracyInfo(key.args[0]!.toNumber(), info);
		}
	}
	return undefined;
}

/** The votes this account has cast directly, and whether it delegates. */
export async function democracyVoting(api: ApiPromise, who: string): Promise<CastVotes> {
	const voting = await required(api).votingOf(who);
	return castVotesOf(voting.isDirect ? voting.asDirect.votes : [], voting.isDelegating);
}

/** Referendum indexes this account has voted on directly. */
export async function democracyVotes(api: ApiPromise, who: string): Promise<number[]> {
	return (await democracyVoting(api, who)).votes.map((v) => v.index);
}
