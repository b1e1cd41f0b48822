/**
 * pallet-democracy (governance v1): the external proposal waiting, referenda
 * and the votes an account has cast — on every version a chain may run, told
 * apart by its metadata (`democracyShape`): the 2019 pallet of Kusama 1020
 * (proposals inline, a one-byte vote, referenda as a struct removed when baked,
 * its own DispatchQueue), the 2020–22 one of Polkadot 0 (a proposal hash with the
 * preimage noted in Democracy, AccountVote, the Scheduler) and today's (Bounded
 * proposals in the Preimage pallet).
 */
import type { ApiPromise } from '@polkadot/api';
import type { Call } from '@polkadot/types/interfaces';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex } from '../../domain/types.js';
import { storageBytes } from '../live.js';
import { eventsAt } from '../submit.js';
import { freeBalance } from './balances.js';
import {
	boundedHash,
	boundedParts,
	castVotesOf,
	palletConsts,
	palletQuery,
	palletTx,
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
	sameAccount,
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
interface RawKey {
	key(...args: unknown[]): string;
}
interface DemocracyStorage {
	referendumInfoOf?: StorageMap<[number], OptionCodec<ReferendumInfoCodec>> & RawKey;
	referendumCount: () => Promise<NumberCodec>;
	/** (proposal, threshold): the proposal a Bounded, a hash, or (2019) the call itself. */
	nextExternal: () => Promise<OptionCodec<[BoundedLike | HashCodec | Call, { type: string }]>>;
	/** 2020 onwards. */
	votingOf?: (who: string) => Promise<VotingCodec>;
	/** 2019: who voted on a referendum, and how (one byte). */
	votersFor?: (index: number) => Promise<Array<{ toString(): string }>>;
	voteOf?: (key: [number, string]) => Promise<{ toU8a(): Uint8Array }>;
	/** 2019: approved proposals by the block that dispatches them. */
	dispatchQueue?: ((block: number) => Promise<Array<OptionCodec<[Call, NumberCodec]>>>) & RawKey;
	/** 2020–22: preimages noted in Democracy. */
	preimages?: RawKey;
}

const storage = (api: ApiPromise) => palletQuery<DemocracyStorage>(api, 'democracy');

// --- which Democracy this is ----------------------------------------------------------------------

/** How this chain's Democracy takes, holds, votes on and enacts proposals, read from its metadata. */
export interface DemocracyShape {
	/** `external_propose*`'s argument: the call itself (2019), its hash (2020–22), or a Bounded call (2023 on). */
	proposal: 'inline' | 'hash' | 'bounded';
	/** Where the proposal's preimage goes: nowhere (inline), Democracy's own `note_preimage`, or the Preimage pallet. */
	preimage: 'inline' | 'democracy' | 'preimage-pallet';
	/** `vote`'s vote: one byte (aye bit and conviction; the voter's whole balance, 2019), or an AccountVote. */
	vote: 'byte' | 'account-vote';
	/** Referenda: the 2019 struct (removed once baked; read raw: @polkadot/types mis-decodes it), or Ongoing/Finished. */
	referendum: 'struct-2019' | 'ongoing-finished';
	/** Where an approved proposal waits for its enactment block: Democracy's own DispatchQueue (2019), or the Scheduler. */
	enactment: 'dispatch-queue' | 'scheduler';
	/** The shortest voting period a fast-track may set: FastTrackVotingPeriod, or EmergencyVotingPeriod (2019). */
	minFastTrackPeriod: number;
	/** InstantAllowed: a shorter one, with the InstantOrigin (unanimous committee). */
	instantAllowed: boolean;
}

const argType = (fn: { meta: { args: ArrayLike<{ type: unknown }> } } | undefined, index: number) =>
	String(fn?.meta.args[index]?.type ?? '');

export function democracyShape(api: ApiPromise): DemocracyShape {
	const tx = palletTx(api, 'democracy') ?? {};
	const q = storage(api);
	const consts =
		palletConsts<{ fastTrackVotingPeriod?: NumberCodec; emergencyVotingPeriod?: NumberCodec; instantAllowed?: BoolCodec }>(
			api,
			'democracy',
		) ?? {};
	const external = argType(tx.externalProposeMajority ?? tx.externalPropose, 0);
	const proposal = /Bounded/.test(external) ? 'bounded' : /Hash/.test(external) ? 'hash' : 'inline';
	return {
		proposal,
		preimage: proposal === 'inline' ? 'inline' : proposal === 'hash' && tx.notePreimage ? 'democracy' : 'preimage-pallet',
		vote: /AccountVote/.test(argType(tx.vote, 1)) ? 'account-vote' : 'byte',
		referendum: proposal === 'inline' ? 'struct-2019' : 'ongoing-finished',
		enactment: q?.dispatchQueue ? 'dispatch-queue' : 'scheduler',
		minFastTrackPeriod: consts.fastTrackVotingPeriod?.toNumber() ?? consts.emergencyVotingPeriod?.toNumber() ?? 1,
		instantAllowed: consts.instantAllowed?.isTrue ?? false,
	};
}

/** The value `external_propose*` takes for this proposal: the call (2019), its hash, or `Lookup { hash, len }`. */
export function externalProposalArg(api: ApiPromise, proposal: { tx: { method: unknown }; hash: Hex; len: number }): unknown {
	const shape = democracyShape(api).proposal;
	return shape === 'inline'
		? proposal.tx.method
		: shape === 'hash'
			? proposal.hash
			: { Lookup: { hash: proposal.hash, len: proposal.len } };
}

/** democracy.vote's second argument: an aye with this conviction (and balance, where the vote carries one). */
export function ayeVote(api: ApiPromise, conviction: string, balance: bigint): unknown {
	return democracyShape(api).vote === 'byte' ? { aye: true, conviction } : { Standard: { vote: { aye: true, conviction }, balance } };
}

// --- preimages noted in Democracy (2020–22) -------------------------------------------------------------

/** A preimage noted in Democracy.Preimages: its length, or undefined (not noted, or only known as missing). */
export async function democracyPreimageLen(api: ApiPromise, hash: Hex): Promise<number | undefined> {
	const key = storage(api)?.preimages?.key(hash);
	if (!key) return undefined;
	const raw = storageBytes(await api.rpc.state.getStorage(key));
	if (!raw || raw.length === 0) return undefined;
	// PreimageStatus: Missing(BlockNumber) = 0x00…, Available { data: Vec<u8>, provider, deposit, since, expiry } = 0x01…;
	// before the enum (early 2020): (Vec<u8>, AccountId, Balance, BlockNumber), starting with the data.
	const body = api.createType('PreimageStatus' as never, raw) as unknown as {
		isAvailable?: boolean;
		asAvailable?: { data: { length: number } };
	};
	if (body.isAvailable !== undefined) return body.isAvailable ? body.asAvailable!.data.length : undefined;
	return api.createType('Bytes', raw).length;
}

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
	const held = next.unwrap()[0];
	if (isCall(held)) return inlineParts(held.toU8a());
	return boundedParts(held);
}

/** A call held inline (2019 Democracy): the parts a Bounded Inline call has. */
function inlineParts(bytes: Uint8Array): BoundedParts {
	return { via: 'Inline', hash: blake2AsHex(bytes, 256) as Hex, len: bytes.length, inline: bytes };
}

function isCall(value: unknown): value is Call {
	return typeof (value as Partial<Call> | undefined)?.callIndex !== 'undefined' && typeof (value as Call).toU8a === 'function';
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

const THRESHOLDS = ['SuperMajorityApprove', 'SuperMajorityAgainst', 'SimpleMajority'];

/**
 * A 2019 referendum, read from its raw bytes: `ReferendumInfo { end, proposal: Call, threshold, delay }`. The
 * tally is not stored: it is counted as the pallet counts it when the referendum is baked — each voter's total
 * balance times the vote's conviction (None: a tenth), turnout the balance itself (delegations not followed).
 */
async function referendum2019(api: ApiPromise, index: number): Promise<DemocracyReferendum | undefined> {
	const q = required(api);
	const raw = storageBytes(await api.rpc.state.getStorage(q.referendumInfoOf!.key(index)));
	if (!raw || raw.length === 0) return undefined;
	const end = api.createType('u32', raw.subarray(0, 4)).toNumber();
	const call = api.createType('Call', raw.subarray(4));
	const rest = raw.subarray(4 + call.encodedLength);
	const threshold = THRESHOLDS[rest[0]!] ?? `VoteThreshold(${rest[0]})`;
	const delay = api.createType('u32', rest.subarray(1, 5)).toNumber();
	let ayes = 0n;
	let nays = 0n;
	let turnout = 0n;
	for (const voter of (await q.votersFor?.(index)) ?? []) {
		const vote = (await q.voteOf!([index, voter.toString()])).toU8a()[0]!;
		const balance = await freeBalance(api, voter.toString());
		const conviction = vote & 0x7f;
		const votes = conviction === 0 ? balance / 10n : balance * BigInt(conviction);
		if (vote & 0x80) ayes += votes;
		else nays += votes;
		turnout += balance;
	}
	return {
		index,
		ongoing: { end, ayes, nays, turnout, threshold, delay, proposal: inlineParts(call.toU8a()) },
	};
}

export async function democracyReferendum(api: ApiPromise, index: number): Promise<DemocracyReferendum | undefined> {
	if (democracyShape(api).referendum === 'struct-2019') return referendum2019(api, index);
	const info = await required(api).referendumInfoOf!(index);
	if (info.isNone) return undefined;
	return democracyInfo(index, info.unwrap());
}

/**
 * How a 2019 referendum ended: the pallet removes it when baked and says so only in events of the block it
 * ended in (`Passed` or `NotPassed` with its index). Undefined when that block shows neither.
 */
export async function bakedReferendum2019(api: ApiPromise, index: number, end: number): Promise<{ approved: boolean } | undefined> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	if (end > best) return undefined;
	for (const { event } of await eventsAt(api, (await api.rpc.chain.getBlockHash(end)).toHex() as Hex)) {
		if (event.section !== 'democracy' || (event.method !== 'Passed' && event.method !== 'NotPassed')) continue;
		const [i] = event.data as unknown as [{ toString(): string }];
		if (Number(i.toString()) === index) return { approved: event.method === 'Passed' };
	}
	return undefined;
}

/** The ongoing democracy referendum on this proposal hash, if any. */
export async function findDemocracyReferendum(api: ApiPromise, proposalHash: Hex): Promise<DemocracyReferendum | undefined> {
	if (democracyShape(api).referendum === 'struct-2019') {
		const count = (await required(api).referendumCount()).toNumber();
		for (let index = count - 1; index >= 0; index--) {
			const r = await referendum2019(api, index);
			if (r?.ongoing?.proposal?.hash === proposalHash) return r;
		}
		return undefined;
	}
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

/** The votes this account has cast directly, and whether it delegates (2020 on: VotingOf). */
export async function democracyVoting(api: ApiPromise, who: string): Promise<CastVotes> {
	const votingOf = required(api).votingOf;
	if (!votingOf) throw new Error("this chain's Democracy keeps votes per referendum (VotersFor), not per account");
	const voting = await votingOf(who);
	return castVotesOf(voting.isDirect ? voting.asDirect.votes : [], voting.isDelegating);
}

/** Has this account voted on this referendum (directly)? */
export async function hasVotedInReferendum(api: ApiPromise, index: number, who: string): Promise<boolean> {
	const q = required(api);
	if (!q.votingOf && q.votersFor) return (await q.votersFor(index)).some((v) => sameAccount(v.toString(), who));
	return (await democracyVoting(api, who)).votes.some((v) => v.index === index);
}

/** Referendum indexes this account has voted on directly (2020 on). */
export async function democracyVotes(api: ApiPromise, who: string): Promise<number[]> {
	return (await democracyVoting(api, who)).votes.map((v) => v.index);
}

// --- enactment: Democracy's own DispatchQueue (2019) -------------------------------------------------

/** Is this proposal in DispatchQueue(block), to be dispatched at that block? */
export async function inDispatchQueue(api: ApiPromise, block: number, proposalHash: Hex): Promise<boolean> {
	const queue = required(api).dispatchQueue;
	if (!queue) return false;
	const raw = storageBytes(await api.rpc.state.getStorage(queue.key(block)));
	if (!raw || raw.length === 0) return false;
	const items = api.createType('Vec<Option<(Call, ReferendumIndex)>>' as never, raw) as unknown as Array<
		OptionCodec<[Call, NumberCodec]>
	>;
	return items.some((item) => item.isSome && blake2AsHex(item.unwrap()[0].toU8a(), 256) === proposalHash);
}
