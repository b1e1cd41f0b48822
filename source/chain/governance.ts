/**
 * Governance reads and call builders, from the chain's metadata (never fixed
 * call indices or type names): payloads (set-code or authorize), preimages,
 * collective motions, democracy and OpenGov referenda, multisig approvals,
 * the scheduler agenda and the authorized upgrade.
 *
 * Everything here reads the chain as it is now; the route engine decides.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, createKeyMulti, decodeAddress, encodeAddress, sortAddresses } from '@polkadot/util-crypto';
import type { Hex, PayloadKind } from '../domain/types.js';

type Tx = SubmittableExtrinsic<'promise'>;
// Query and tx namespaces differ per runtime; they are looked up by name.
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CallPlan {
	tx: Tx;
	/** e.g. "system.authorizeUpgrade" */
	label: string;
	/** blake2-256 of the encoded call: the preimage hash / call hash. */
	hash: Hex;
	/** Encoded length of the call in bytes: the preimage length. */
	len: number;
	hex: Hex;
}

export function planOf(tx: Tx, label?: string): CallPlan {
	const u8a = tx.method.toU8a();
	return { tx, label: label ?? `${tx.method.section}.${tx.method.method}`, hash: blake2AsHex(u8a, 256) as Hex, len: u8a.length, hex: u8aToHex(u8a) as Hex };
}

/** Where this runtime authorizes upgrades: `system` (current FRAME) or `parachainSystem` (older parachains). */
export function authorizeFlavour(api: ApiPromise): 'system' | 'parachainSystem' | undefined {
	if ((api.tx as Any).system?.authorizeUpgrade) return 'system';
	if ((api.tx as Any).parachainSystem?.authorizeUpgrade) return 'parachainSystem';
	return undefined;
}

/** The runtime call the governance decides on. */
export function buildPayload(api: ApiPromise, kind: PayloadKind, code: Uint8Array, codeHash: Hex): CallPlan {
	if (kind === 'set-code') return planOf(api.tx.system.setCode(u8aToHex(code)), 'system.setCode');
	const flavour = authorizeFlavour(api);
	if (flavour === 'system') return planOf((api.tx as Any).system.authorizeUpgrade(codeHash), 'system.authorizeUpgrade');
	if (flavour === 'parachainSystem') {
		const fn = (api.tx as Any).parachainSystem.authorizeUpgrade;
		// (code_hash, check_version) on later versions, (code_hash) before.
		const tx = fn.meta.args.length >= 2 ? fn(codeHash, true) : fn(codeHash);
		return planOf(tx, 'parachainSystem.authorizeUpgrade');
	}
	throw new Error('this runtime has neither system.authorizeUpgrade nor parachainSystem.authorizeUpgrade; use the set-code payload');
}

/** The call that applies an authorized upgrade (anyone may send it; the chain checks the hash). */
export function buildApply(api: ApiPromise, code: Uint8Array): CallPlan {
	const sys = (api.tx as Any).system;
	if (sys?.applyAuthorizedUpgrade) return planOf(sys.applyAuthorizedUpgrade(u8aToHex(code)), 'system.applyAuthorizedUpgrade');
	const para = (api.tx as Any).parachainSystem;
	if (para?.enactAuthorizedUpgrade) return planOf(para.enactAuthorizedUpgrade(u8aToHex(code)), 'parachainSystem.enactAuthorizedUpgrade');
	throw new Error('this runtime cannot apply an authorized upgrade (no system.applyAuthorizedUpgrade)');
}

/** The code hash the chain has authorized, if any. */
export async function authorizedCodeHash(api: ApiPromise, at?: string): Promise<Hex | undefined> {
	const q = at ? await api.at(at) : api;
	const entry = (q.query as Any).system?.authorizedUpgrade ?? (q.query as Any).parachainSystem?.authorizedUpgrade;
	if (!entry) return undefined;
	const value = (await entry()) as Any;
	if (!value || value.isNone) return undefined;
	const inner = value.unwrap ? value.unwrap() : value;
	const hash = inner.codeHash ?? inner;
	return hash.toHex() as Hex;
}

// --- preimages ----------------------------------------------------------------

export interface PreimageState {
	/** The bytes are on chain. */
	noted: boolean;
	/** The length the chain records for this hash (unrequested/requested status). */
	len?: number;
	requested: boolean;
}

export async function preimageState(api: ApiPromise, hash: Hex): Promise<PreimageState> {
	const q = (api.query as Any).preimage;
	if (!q) throw new Error('this chain has no Preimage pallet');
	const status = (await (q.requestStatusFor ?? q.statusFor)(hash)) as Any;
	if (status.isNone) return { noted: false, requested: false };
	const s = status.unwrap();
	let len: number | undefined;
	let requested = false;
	if (s.isUnrequested) len = s.asUnrequested.len.toNumber();
	else {
		requested = true;
		const r = s.asRequested;
		const maybe = r.maybeLen ?? r.len;
		if (maybe && maybe.isSome) len = maybe.unwrap().toNumber();
	}
	if (len === undefined) return { noted: false, requested };
	const bytes = (await q.preimageFor([hash, len])) as Any;
	return { noted: bytes.isSome, len, requested };
}

/** `Lookup {hash, len}` where the pallet takes a bounded call, else the hash (older democracy). */
export function boundedArg(fn: Any, argIndex: number, hash: Hex, len: number): unknown {
	const type = String(fn.meta.args[argIndex]?.type ?? '');
	return /Bounded/.test(type) ? { Lookup: { hash, len } } : hash;
}

/** The hash a Bounded proposal refers to (Lookup/Legacy hash, or the hash of an inline call). */
export function boundedHash(bounded: Any): Hex | undefined {
	if (!bounded) return undefined;
	if (bounded.isLookup) return bounded.asLookup.hash_?.toHex?.() ?? bounded.asLookup.hash.toHex();
	if (bounded.isLegacy) return bounded.asLegacy.hash_?.toHex?.() ?? bounded.asLegacy.hash.toHex();
	if (bounded.isInline) return blake2AsHex(bounded.asInline.toU8a(true), 256) as Hex;
	if (typeof bounded.toHex === 'function' && bounded.toU8a().length === 32) return bounded.toHex();
	return undefined;
}

// --- collectives -----------------------------------------------------------------

export type CollectiveName = 'council' | 'technicalCommittee';

export const COLLECTIVE_TITLE: Record<CollectiveName, string> = { council: 'Council', technicalCommittee: 'Technical Committee' };

export async function collectiveMembers(api: ApiPromise, pallet: CollectiveName): Promise<string[]> {
	const q = (api.query as Any)[pallet];
	if (!q) throw new Error(`this chain has no ${COLLECTIVE_TITLE[pallet]} (pallet ${pallet})`);
	return ((await q.members()) as Any).map((m: Any) => m.toString());
}

export interface MotionState {
	index: number;
	threshold: number;
	ayes: string[];
	nays: string[];
	end: number;
}

export async function motionState(api: ApiPromise, pallet: CollectiveName, hash: Hex): Promise<MotionState | undefined> {
	const voting = (await (api.query as Any)[pallet].voting(hash)) as Any;
	if (voting.isNone) return undefined;
	const v = voting.unwrap();
	return {
		index: v.index.toNumber(),
		threshold: v.threshold.toNumber(),
		ayes: v.ayes.map((a: Any) => a.toString()),
		nays: v.nays.map((a: Any) => a.toString()),
		end: v.end.toNumber(),
	};
}

/** Members needed for `EnsureProportionAtLeast<num, den>`: ayes * den >= members * num. */
export function proportionThreshold(members: number, num: number, den: number): number {
	return Math.max(1, Math.ceil((members * num) / den));
}

export function sameAccount(a: string, b: string): boolean {
	try {
		return u8aToHex(decodeAddress(a)) === u8aToHex(decodeAddress(b));
	} catch {
		return a === b;
	}
}

// --- democracy -------------------------------------------------------------------

export async function nextExternalHash(api: ApiPromise): Promise<Hex | undefined> {
	const next = (await (api.query as Any).democracy.nextExternal()) as Any;
	if (next.isNone) return undefined;
	return boundedHash(next.unwrap()[0]);
}

export interface DemocracyReferendum {
	index: number;
	ongoing?: { end: number; ayes: bigint; nays: bigint; turnout: bigint; threshold: string; delay: number };
	finished?: { approved: boolean; end: number };
}

export async function democracyReferendum(api: ApiPromise, index: number): Promise<DemocracyReferendum | undefined> {
	const info = (await (api.query as Any).democracy.referendumInfoOf(index)) as Any;
	if (info.isNone) return undefined;
	return democracyInfo(index, info.unwrap());
}

function democracyInfo(index: number, i: Any): DemocracyReferendum {
	if (i.isOngoing) {
		const o = i.asOngoing;
		return {
			index,
			ongoing: {
				end: o.end.toNumber(),
				ayes: o.tally.ayes.toBigInt(),
				nays: o.tally.nays.toBigInt(),
				turnout: o.tally.turnout.toBigInt(),
				threshold: o.threshold.type,
				delay: o.delay.toNumber(),
			},
		};
	}
	const f = i.asFinished;
	return { index, finished: { approved: f.approved.isTrue, end: f.end.toNumber() } };
}

/** The ongoing democracy referendum on this proposal hash, if any. */
export async function findDemocracyReferendum(api: ApiPromise, proposalHash: Hex): Promise<DemocracyReferendum | undefined> {
	const entries = (await (api.query as Any).democracy.referendumInfoOf.entries()) as Any[];
	for (const [key, value] of entries) {
		if (value.isNone) continue;
		const info = value.unwrap();
		if (info.isOngoing && boundedHash(info.asOngoing.proposal ?? info.asOngoing.proposalHash) === proposalHash) {
			return democracyInfo(key.args[0].toNumber(), info);
		}
	}
	return undefined;
}

/** Referendum indexes this account has voted on directly. */
export async function democracyVotes(api: ApiPromise, who: string): Promise<number[]> {
	const voting = (await (api.query as Any).democracy.votingOf(who)) as Any;
	if (!voting.isDirect) return [];
	return voting.asDirect.votes.map(([index]: Any) => index.toNumber());
}

// --- OpenGov -----------------------------------------------------------------------

export interface OpenGovReferendum {
	index: number;
	track: number;
	status: 'preparing' | 'deciding' | 'confirming' | 'approved' | 'rejected' | 'cancelled' | 'timed-out' | 'killed';
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
	};
	endedAt?: number;
}

function openGovInfo(index: number, info: Any): OpenGovReferendum {
	if (info.isOngoing) {
		const o = info.asOngoing;
		const deciding = o.deciding.isSome ? o.deciding.unwrap() : undefined;
		const confirming = deciding && deciding.confirming.isSome ? deciding.confirming.unwrap().toNumber() : undefined;
		return {
			index,
			track: o.track.toNumber(),
			status: confirming !== undefined ? 'confirming' : deciding ? 'deciding' : 'preparing',
			ongoing: {
				submitted: o.submitted.toNumber(),
				hasDecisionDeposit: o.decisionDeposit.isSome,
				inQueue: o.inQueue?.isTrue === true,
				decidingSince: deciding?.since.toNumber(),
				confirmingUntil: confirming,
				ayes: o.tally.ayes.toBigInt(),
				nays: o.tally.nays.toBigInt(),
				support: o.tally.support.toBigInt(),
			},
		};
	}
	const kinds: Array<[string, OpenGovReferendum['status']]> = [
		['Approved', 'approved'],
		['Rejected', 'rejected'],
		['Cancelled', 'cancelled'],
		['TimedOut', 'timed-out'],
		['Killed', 'killed'],
	];
	for (const [name, status] of kinds) {
		if (info[`is${name}`]) {
			const v = info[`as${name}`];
			const at = Array.isArray(v) ? v[0] : v;
			return { index, track: -1, status, endedAt: at?.toNumber?.() };
		}
	}
	return { index, track: -1, status: 'killed' };
}

export async function openGovReferendum(api: ApiPromise, index: number): Promise<OpenGovReferendum | undefined> {
	const info = (await (api.query as Any).referenda.referendumInfoFor(index)) as Any;
	if (info.isNone) return undefined;
	return openGovInfo(index, info.unwrap());
}

export async function findOpenGovReferendum(api: ApiPromise, proposalHash: Hex): Promise<OpenGovReferendum | undefined> {
	const entries = (await (api.query as Any).referenda.referendumInfoFor.entries()) as Any[];
	let found: OpenGovReferendum | undefined;
	for (const [key, value] of entries) {
		if (value.isNone) continue;
		const info = value.unwrap();
		if (info.isOngoing && boundedHash(info.asOngoing.proposal) === proposalHash) {
			const r = openGovInfo(key.args[0].toNumber(), info);
			if (!found || r.index > found.index) found = r;
		}
	}
	return found;
}

export async function convictionVotes(api: ApiPromise, who: string, track: number): Promise<number[]> {
	const voting = (await (api.query as Any).convictionVoting.votingFor(who, track)) as Any;
	if (!voting.isCasting) return [];
	return voting.asCasting.votes.map(([index]: Any) => index.toNumber());
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

// --- scheduler -----------------------------------------------------------------------

/** The block at which the scheduler will dispatch this call (by hash), if it is in the agenda. */
export async function scheduledAt(api: ApiPromise, callHash: Hex): Promise<number | undefined> {
	const q = (api.query as Any).scheduler;
	if (!q?.agenda) return undefined;
	const entries = (await q.agenda.entries()) as Any[];
	for (const [key, agenda] of entries) {
		for (const item of agenda) {
			if (!item || item.isNone) continue;
			const s = item.unwrap ? item.unwrap() : item;
			const call = s.call;
			const hash = call?.isLookup || call?.isInline || call?.isLegacy ? boundedHash(call) : undefined;
			if (hash === callHash) return key.args[0].toNumber();
		}
	}
	return undefined;
}

// --- multisig -----------------------------------------------------------------------

export function multisigAddress(signatories: string[], threshold: number, ss58Format: number): string {
	return encodeAddress(createKeyMulti(signatories, threshold), ss58Format);
}

export function otherSignatories(signatories: string[], me: string, ss58Format: number): string[] {
	return sortAddresses(
		signatories.filter((s) => !sameAccount(s, me)),
		ss58Format,
	);
}

export interface MultisigState {
	when: { height: number; index: number };
	approvals: string[];
	depositor: string;
}

export async function multisigState(api: ApiPromise, address: string, callHash: Hex): Promise<MultisigState | undefined> {
	const value = (await (api.query as Any).multisig.multisigs(address, callHash)) as Any;
	if (value.isNone) return undefined;
	const m = value.unwrap();
	return {
		when: { height: m.when.height.toNumber(), index: m.when.index.toNumber() },
		approvals: m.approvals.map((a: Any) => a.toString()),
		depositor: m.depositor.toString(),
	};
}

/** The dispatch weight of a call, as the chain estimates it (for multisig max_weight and close bounds). */
export async function callWeight(api: ApiPromise, tx: Tx, from: string): Promise<unknown> {
	const info = (await tx.paymentInfo(from)) as Any;
	return info.weight;
}

export function accountName(address: string, ss58Format: number): string {
	try {
		return encodeAddress(decodeAddress(address), ss58Format);
	} catch {
		return address;
	}
}
