/**
 * pallet-referenda (OpenGov): referendum info and phases, tracks, and the
 * origin a referendum is submitted with.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import {
	boundedHash,
	boundedParts,
	palletConsts,
	palletQuery,
	type BalanceCodec,
	type BoolCodec,
	type BoundedLike,
	type BoundedParts,
	type NumberCodec,
	type OptionCodec,
	type StorageMap,
} from './common.js';

interface OngoingCodec {
	track: NumberCodec;
	proposal: BoundedLike;
	submitted: NumberCodec;
	decisionDeposit: OptionCodec<unknown>;
	/** Absent on the first versions of the pallet. */
	inQueue?: BoolCodec;
	deciding: OptionCodec<{ since: NumberCodec; confirming: OptionCodec<NumberCodec> }>;
	/** DispatchTime: At(block) or After(blocks from approval). */
	enactment?: { isAt: boolean; asAt: NumberCodec; isAfter: boolean; asAfter: NumberCodec };
	tally: { ayes: BalanceCodec; nays: BalanceCodec; support: BalanceCodec };
}
interface ReferendumInfoCodec {
	/** The variant: Ongoing, Approved, Rejected, Cancelled, TimedOut, Killed. */
	type: string;
	/** The variant's value: (BlockNumber, deposits…) for the ended ones, BlockNumber for Killed. */
	value: unknown;
	isOngoing: boolean;
	asOngoing: OngoingCodec;
}
interface ReferendaStorage {
	referendumInfoFor?: StorageMap<[number], OptionCodec<ReferendumInfoCodec>>;
}
interface TrackInfoCodec {
	/** `&'static str`, or a NUL-padded byte array on newer runtimes. */
	name?: { toHuman?: () => unknown; toString?: () => string };
	preparePeriod: NumberCodec;
	decisionPeriod: NumberCodec;
	confirmPeriod: NumberCodec;
	minEnactmentPeriod: NumberCodec;
}
interface ReferendaConsts {
	tracks?: Array<[NumberCodec, TrackInfoCodec]>;
}

const storage = (api: ApiPromise) => palletQuery<ReferendaStorage>(api, 'referenda');

function referendumInfoFor(api: ApiPromise): NonNullable<ReferendaStorage['referendumInfoFor']> {
	const entry = storage(api)?.referendumInfoFor;
	if (!entry) throw new Error('this chain has no Referenda pallet');
	return entry;
}

export function hasReferenda(api: ApiPromise): boolean {
	return Boolean(storage(api)?.referendumInfoFor);
}

export interface OpenGovReferendum {
	index: number;
	/** -1 once ended (an ended referendum no longer records its track). */
	track: number;
	status: 'preparing' | 'deciding' | 'confirming' | 'approved' | 'rejected' | 'cancelled' | 'timed-out' | 'killed';
	/** ReferendumInfo's variant as the chain names it: "Ongoing", "Approved", "TimedOut", … */
	outcome: string;
	ongoing?: {
		submitted: number;
		hasDecisionDeposit: boolean;
		/** Waiting in the track queue for a deciding slot (max_deciding reached). */
		inQueue: boolean;
		decidingSince?: number;
		confirmingUntil?: number;
		ayes: bigint;
		nays: bigint;
		support: bigint;
		/** What it enacts. */
		proposal: BoundedParts;
		/** When: at a block, or that many blocks after approval. */
		enactment?: { at: number } | { after: number };
	};
	endedAt?: number;
}

const ENDED: Record<string, OpenGovReferendum['status']> = {
	Approved: 'approved',
	Rejected: 'rejected',
	Cancelled: 'cancelled',
	TimedOut: 'timed-out',
	Killed: 'killed',
};

function openGovInfo(index: number, info: ReferendumInfoCodec): OpenGovReferendum {
	if (info.isOngoing) {
		const o = info.asOngoing;
		const deciding = o.deciding.isSome ? o.deciding.unwrap() : undefined;
		const confirming = deciding && deciding.confirming.isSome ? deciding.confirming.unwrap().toNumber() : undefined;
		return {
			index,
			track: o.track.toNumber(),
			status: confirming !== undefined ? 'confirming' : deciding ? 'deciding' : 'preparing',
			outcome: info.type,
			ongoing: {
				submitted: o.submitted.toNumber(),
				hasDecisionDeposit: o.decisionDeposit.isSome,
				inQueue: o.inQueue?.isTrue === true,
				decidingSince: deciding?.since.toNumber(),
				confirmingUntil: confirming,
				ayes: o.tally.ayes.toBigInt(),
				nays: o.tally.nays.toBigInt(),
				support: o.tally.support.toBigInt(),
				proposal: boundedParts(o.proposal),
				...(o.enactment?.isAt
					? { enactment: { at: o.enactment.asAt.toNumber() } }
					: o.enactment?.isAfter
						? { enactment: { after: o.enactment.asAfter.toNumber() } }
						: {}),
			},
		};
	}
	const status = ENDED[info.type];
	if (!status) return { index, track: -1, status: 'killed', outcome: info.type };
	const v = info.value;
	const at = (Array.isArray(v) ? v[0] : v) as Partial<NumberCodec> | undefined;
	return { index, track: -1, status, outcome: info.type, endedAt: at?.toNumber?.() };
}

export async function openGovReferendum(api: ApiPromise, index: number): Promise<OpenGovReferendum | undefined> {
	const info = await referendumInfoFor(api)(index);
	if (info.isNone) return undefined;
	return openGovInfo(index, info.unwrap());
}

/** The latest ongoing referendum on this proposal hash, if any. */
export async function findOpenGovReferendum(api: ApiPromise, proposalHash: Hex): Promise<OpenGovReferendum | undefined> {
	const entries = await referendumInfoFor(api).entries();
	let found: OpenGovReferendum | undefined;
	for (const [key, value] of entries) {
		if (value.isNone) continue;
		const info = value.unwrap();
		if (info.isOngoing && boundedHash(info.asOngoing.proposal) === proposalHash) {
			const r = openGovInfo(key.args[0]!.toNumber(), info);
			if (!found || r.index > found.index) found = r;
		}
	}
	return found;
}

export interface TrackView {
	name: string;
	prepare: number;
	decision: number;
	confirm: number;
	minEnactment: number;
}

/** A track's name and periods, from the runtime's constants. */
export function referendaTrack(api: ApiPromise, id: number): TrackView | undefined {
	const tracks = palletConsts<ReferendaConsts>(api, 'referenda')?.tracks;
	if (!tracks) return undefined;
	for (const [tid, info] of tracks) {
		if (tid.toNumber() !== id) continue;
		const rawName = info.name?.toHuman?.() ?? info.name?.toString?.() ?? String(id);
		return {
			name: String(rawName).replace(/\0+$/, ''),
			prepare: info.preparePeriod.toNumber(),
			decision: info.decisionPeriod.toNumber(),
			confirm: info.confirmPeriod.toNumber(),
			minEnactment: info.minEnactmentPeriod.toNumber(),
		};
	}
	return undefined;
}

/** The origin to submit a referendum with, for a track. */
export function openGovOrigin(api: ApiPromise, track: 'root' | 'whitelisted'): { origin: unknown; label: string } {
	if (track === 'whitelisted') {
		try {
			api.createType('OriginCaller', { Origins: 'WhitelistedCaller' });
			return { origin: { Origins: 'WhitelistedCaller' }, label: 'WhitelistedCaller' };
		} catch {
			// This runtime has no WhitelistedCaller origin (the governance devnet: Root is its only track).
		}
	}
	return { origin: { system: 'Root' }, label: 'Root' };
}
