/**
 * cumulus-pallet-parachain-system, the parachain side of an upgrade: who the
 * chain is (`parachainInfo.parachainId`), the code hash its relay's Root
 * authorized, the call that authorizes it (what the relay's XCM `Transact`
 * carries), the call that hands the code over, the pending upgrade, and what a
 * para block says about the upgrade and about the downward messages it ran.
 *
 * Works across cumulus versions: every call and storage item is picked from
 * the para's metadata, never assumed.
 *  - Old cumulus (statemine 900): `parachainSystem.authorizeUpgrade(code_hash)`,
 *    `AuthorizedUpgrade: Option<H256>`, `enactAuthorizedUpgrade(code)`, tuple
 *    events (`ValidationFunctionStored(RelayChainBlockNumber)` in the oldest,
 *    `ValidationFunctionStored` bare later), `UpgradeRestrictionSignal`.
 *  - Later cumulus: `authorizeUpgrade(code_hash, check_version)`,
 *    `AuthorizedUpgrade: Option<CodeUpgradeAuthorization { code_hash, check_version }>`,
 *    named events (`ValidationFunctionApplied { relay_chain_block_num }`),
 *    `UpgradeGoAhead`, `LastRelayChainBlockNumber`.
 *  - polkadot-sdk after the move to frame-system: `system.authorizeUpgrade(code_hash)`,
 *    `system.applyAuthorizedUpgrade(code)`, `System.AuthorizedUpgrade`, `system.UpgradeAuthorized`;
 *    parachain-system's `ParachainSetCode` still stores the code as pending
 *    (`ValidationFunctionStored`) and applies it on the relay's go-ahead.
 *
 * The unsigned apply: cumulus' `ValidateUnsigned` accepts `enact_authorized_upgrade(code)`
 * without a signature when blake2-256(code) equals the authorized hash (priority 100,
 * `provides` the hash, immortal); frame-system's does the same for
 * `apply_authorized_upgrade`. chain/submit.ts sends such an extrinsic through the
 * same write-ahead path as a signed one (`unsigned: true`).
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex } from '../../domain/types.js';
import { shortHash } from '../../domain/hash-text.js';
import { eventsAt, type EventRecordView } from '../submit.js';
import { codeArg, palletQuery, palletTx, type HashCodec, type NumberCodec, type OptionCodec, type Tx } from './common.js';

// --- who the chain is ------------------------------------------------------------------------

/** Is this runtime a cumulus parachain (a ParachainSystem pallet with its validation-data inherent)? */
export function hasParachainSystem(api: ApiPromise): boolean {
	return Boolean(palletQuery(api, 'parachainSystem') && palletTx(api, 'parachainSystem')?.setValidationData);
}

/** `parachainInfo.parachainId`: the para id the runtime believes it has (undefined without ParachainInfo). */
export async function paraIdOf(api: ApiPromise): Promise<number | undefined> {
	const entry = palletQuery<{ parachainId?: () => Promise<NumberCodec> }>(api, 'parachainInfo')?.parachainId;
	if (!entry) return undefined;
	return (await entry()).toNumber();
}

// --- the authorization -------------------------------------------------------------------------

/** `AuthorizedUpgrade`: a bare hash (old cumulus) or `CodeUpgradeAuthorization { codeHash, checkVersion }`. */
interface AuthorizationCodec extends HashCodec {
	codeHash?: HashCodec;
	checkVersion?: { isTrue: boolean };
}
type AuthorizedUpgradeEntry = () => Promise<OptionCodec<AuthorizationCodec>>;

/** Where this runtime keeps the authorization: frame-system first (where the upgrade moved), else parachain-system. */
function authorizationStorage(api: { query: unknown }): AuthorizedUpgradeEntry | undefined {
	return (
		palletQuery<{ authorizedUpgrade?: AuthorizedUpgradeEntry }>(api, 'system')?.authorizedUpgrade ??
		palletQuery<{ authorizedUpgrade?: AuthorizedUpgradeEntry }>(api, 'parachainSystem')?.authorizedUpgrade
	);
}

export interface ParaAuthorization {
	codeHash: Hex;
	/** `check_version` of the authorization (later cumulus and frame-system); undefined where the storage is a bare hash. */
	checkVersion?: boolean;
}

/** The authorization the para holds, with its `check_version` where the runtime keeps one (at a block, when given). */
export async function paraAuthorization(api: ApiPromise, at?: string): Promise<ParaAuthorization | undefined> {
	const q = at ? await api.at(at) : api;
	const entry = authorizationStorage(q);
	if (!entry) return undefined;
	const value = await entry();
	if (value.isNone) return undefined;
	const inner = value.unwrap();
	if (inner.codeHash) {
		return { codeHash: inner.codeHash.toHex() as Hex, ...(inner.checkVersion ? { checkVersion: inner.checkVersion.isTrue } : {}) };
	}
	return { codeHash: inner.toHex() as Hex };
}

/**
 * The code hash the para's upgrade authorization names (`parachainSystem.authorizedUpgrade`, or
 * `system.authorizedUpgrade` where the upgrade moved to frame-system); undefined when none is held.
 */
export async function authorizedParaUpgrade(api: ApiPromise, at?: string): Promise<Hex | undefined> {
	return (await paraAuthorization(api, at))?.codeHash;
}

export interface ParaCallPlan {
	tx: Tx;
	/** e.g. "parachainSystem.authorizeUpgrade(0x0be7…47ee)" */
	label: string;
	/** blake2-256 of the encoded call. */
	callHash: Hex;
}

function planned(tx: Tx, label: string): ParaCallPlan & { encoded: Hex } {
	const u8a = tx.method.toU8a();
	return { tx, label, callHash: blake2AsHex(u8a, 256) as Hex, encoded: u8aToHex(u8a) as Hex };
}

/**
 * The call that authorizes `codeHash` on the para (Root only: what the relay's XCM `Transact` carries,
 * `encoded`). frame-system's `system.authorizeUpgrade(code_hash)` where the runtime has it (the
 * parachain-system call is then a deprecated forwarder to it), else `parachainSystem.authorizeUpgrade`:
 * `(code_hash)` on old cumulus, `(code_hash, check_version)` later, with `check_version` true (the
 * para refuses the code on apply unless its spec name is the same and its spec version higher).
 */
export function buildParaAuthorize(api: ApiPromise, codeHash: Hex): ParaCallPlan & { encoded: Hex } {
	const system = palletTx(api, 'system')?.authorizeUpgrade;
	if (system) return planned(system(codeHash), `system.authorizeUpgrade(${shortHash(codeHash)})`);
	const para = palletTx(api, 'parachainSystem')?.authorizeUpgrade;
	if (para) {
		const tx = para.meta.args.length >= 2 ? para(codeHash, true) : para(codeHash);
		const label = `parachainSystem.authorizeUpgrade(${shortHash(codeHash)}${para.meta.args.length >= 2 ? ', checkVersion: true' : ''})`;
		return planned(tx, label);
	}
	throw new Error(
		'this runtime has neither system.authorizeUpgrade nor parachainSystem.authorizeUpgrade: it cannot be authorized to upgrade',
	);
}

/**
 * The call that hands an authorized code to the para: `system.applyAuthorizedUpgrade(code)` where the
 * upgrade moved to frame-system, else `parachainSystem.enactAuthorizedUpgrade(code)`. Either stores the
 * code as pending (`ValidationFunctionStored`); the para applies it when the relay says go ahead.
 *
 * `unsigned`: the runtime takes it as an unsigned extrinsic (its `ValidateUnsigned` accepts the call when
 * blake2-256(code) is the authorized hash; cumulus since the call exists, frame-system since it got the
 * call). chain/submit.ts validates before sending, so a runtime that refuses it unsigned says so
 * (InvalidTransaction::Call) and nothing is sent; it is then signed by any account (it pays no fee).
 */
export function buildParaEnact(api: ApiPromise, code: Uint8Array): ParaCallPlan & { unsigned: boolean } {
	const hash = shortHash(blake2AsHex(code, 256));
	const apply = palletTx(api, 'system')?.applyAuthorizedUpgrade;
	if (apply) return { ...planned(apply(codeArg(api, code)), `system.applyAuthorizedUpgrade(<code ${hash}>)`), unsigned: true };
	const enact = palletTx(api, 'parachainSystem')?.enactAuthorizedUpgrade;
	if (enact) return { ...planned(enact(codeArg(api, code)), `parachainSystem.enactAuthorizedUpgrade(<code ${hash}>)`), unsigned: true };
	throw new Error('this runtime has neither system.applyAuthorizedUpgrade nor parachainSystem.enactAuthorizedUpgrade');
}

// --- the pending upgrade --------------------------------------------------------------------------

interface BytesCodec {
	toU8a(bare?: boolean): Uint8Array;
}
interface EnumCodec {
	type: string;
}
interface PendingStorage {
	pendingValidationCode?: () => Promise<BytesCodec>;
	upgradeGoAhead?: () => Promise<OptionCodec<EnumCodec>>;
	upgradeRestrictionSignal?: () => Promise<OptionCodec<EnumCodec>>;
	validationData?: () => Promise<OptionCodec<{ relayParentNumber: NumberCodec }>>;
	lastRelayChainBlockNumber?: () => Promise<NumberCodec>;
}

export interface PendingParaUpgrade {
	/** blake2-256 of `ParachainSystem.PendingValidationCode`, when a code is pending. */
	pendingCodeHash?: Hex;
	pendingLen?: number;
	/** `UpgradeGoAhead` (later cumulus): `GoAhead` or `Abort`, as the relay signalled in this block. */
	goAhead?: string;
	/** `UpgradeRestrictionSignal`: `Present` while the relay forbids an upgrade (a cooldown). */
	restriction?: string;
	/** `ValidationData.relayParentNumber`: the relay block this para block was built on. */
	relayParent?: number;
	/** `LastRelayChainBlockNumber` (later cumulus). */
	lastRelayBlock?: number;
}

/** The para's pending upgrade and the relay's signals about it, each read only where the runtime keeps it (at a block, when given). */
export async function pendingUpgrade(api: ApiPromise, at?: string): Promise<PendingParaUpgrade> {
	const q = at ? await api.at(at) : api;
	const s = palletQuery<PendingStorage>(q, 'parachainSystem');
	if (!s) return {};
	const out: PendingParaUpgrade = {};
	const [code, goAhead, restriction, validation, lastRelay] = await Promise.all([
		s.pendingValidationCode?.(),
		s.upgradeGoAhead?.(),
		s.upgradeRestrictionSignal?.(),
		s.validationData?.(),
		s.lastRelayChainBlockNumber?.(),
	]);
	const bytes = code?.toU8a(true);
	if (bytes && bytes.length > 0) {
		out.pendingCodeHash = blake2AsHex(bytes, 256) as Hex;
		out.pendingLen = bytes.length;
	}
	if (goAhead?.isSome) out.goAhead = goAhead.unwrap().type;
	if (restriction?.isSome) out.restriction = restriction.unwrap().type;
	if (validation?.isSome) out.relayParent = validation.unwrap().relayParentNumber.toNumber();
	if (lastRelay) out.lastRelayBlock = lastRelay.toNumber();
	return out;
}

// --- what a para block says -------------------------------------------------------------------------

/** An event as the readers below touch it (an EventRecord of @polkadot/api, or chain/submit.ts's EventRecordView). */
export interface EventLike {
	event: { section: string; method: string; data: ArrayLike<unknown> };
}

export type ParaUpgradeEvent =
	/** parachainSystem.UpgradeAuthorized(code_hash) or system.UpgradeAuthorized { code_hash, check_version }. */
	| { kind: 'UpgradeAuthorized'; codeHash: Hex; checkVersion?: boolean; text: string }
	/** The code is pending (the oldest cumulus names the relay block it is meant for). */
	| { kind: 'ValidationFunctionStored'; relayBlock?: number; text: string }
	/** The code is the para's code as of this relay block. */
	| { kind: 'ValidationFunctionApplied'; relayBlock: number; text: string }
	/** The relay aborted the upgrade (`UpgradeGoAhead::Abort`): the pending code was dropped. */
	| { kind: 'ValidationFunctionDiscarded'; text: string }
	/** frame-system refused an authorized code on apply (its version check failed). */
	| { kind: 'RejectedInvalidAuthorizedUpgrade'; codeHash: Hex; error: string; text: string }
	/** system.CodeUpdated: `:code` changed in this block. */
	| { kind: 'CodeUpdated'; text: string };

function hexOf(value: unknown): Hex {
	const v = value as Partial<HashCodec> | undefined;
	if (typeof v?.toU8a === 'function') return u8aToHex(v.toU8a(true)) as Hex;
	return String(value) as Hex;
}
function numberOf(value: unknown): number {
	const v = value as Partial<NumberCodec> | undefined;
	return typeof v?.toNumber === 'function' ? v.toNumber() : Number(String(value));
}

/** The upgrade events of a block, in order: authorization, stored, applied, discarded, rejected, `:code` updated. */
export function paraUpgradeEvents(events: readonly EventLike[]): ParaUpgradeEvent[] {
	const out: ParaUpgradeEvent[] = [];
	for (const { event } of events) {
		const { section, method, data } = event;
		if (section !== 'parachainSystem' && section !== 'system') continue;
		const tag = `${section}.${method}`;
		if (method === 'UpgradeAuthorized') {
			const codeHash = hexOf(data[0]);
			const check = data.length > 1 ? (data[1] as { isTrue?: boolean }).isTrue : undefined;
			out.push({
				kind: 'UpgradeAuthorized',
				codeHash,
				...(check === undefined ? {} : { checkVersion: check }),
				text: `${tag}(${codeHash}${check === undefined ? '' : `, checkVersion: ${check}`})`,
			});
		} else if (section === 'parachainSystem' && method === 'ValidationFunctionStored') {
			const relayBlock = data.length > 0 ? numberOf(data[0]) : undefined;
			out.push({
				kind: 'ValidationFunctionStored',
				...(relayBlock === undefined ? {} : { relayBlock }),
				text: `${tag}${relayBlock === undefined ? '' : ` (for relay block #${relayBlock})`}`,
			});
		} else if (section === 'parachainSystem' && method === 'ValidationFunctionApplied') {
			const relayBlock = numberOf(data[0]);
			out.push({ kind: 'ValidationFunctionApplied', relayBlock, text: `${tag} (as of relay block #${relayBlock})` });
		} else if (section === 'parachainSystem' && method === 'ValidationFunctionDiscarded') {
			out.push({ kind: 'ValidationFunctionDiscarded', text: `${tag}: the relay aborted the upgrade; the pending code was dropped` });
		} else if (section === 'system' && method === 'RejectedInvalidAuthorizedUpgrade') {
			const codeHash = hexOf(data[0]);
			const error = String(data[1]);
			out.push({ kind: 'RejectedInvalidAuthorizedUpgrade', codeHash, error, text: `${tag}(${codeHash}): ${error}` });
		} else if (section === 'system' && method === 'CodeUpdated') {
			out.push({ kind: 'CodeUpdated', text: tag });
		}
	}
	return out;
}

export type DownwardStatus =
	/** Executed in full. */
	| 'complete'
	/** Executed in part: an instruction failed (`Outcome::Incomplete`), or messageQueue `Processed { success: false }`. */
	| 'incomplete'
	/** Not executed: the executor refused it (`Outcome::Error`), or messageQueue `ProcessingFailed`. */
	| 'error'
	/** Heavier than the para runs at once: parked, to be serviced by hand (`OverweightEnqueued`). */
	| 'overweight'
	/** Not enough weight left in this block: it stays queued (`WeightExhausted`). */
	| 'deferred'
	/** The bytes are no XCM the para decodes (`InvalidFormat`, `UnsupportedVersion`). */
	| 'undecodable';

export interface DownwardOutcome {
	/** The pallet that ran it: `dmpQueue` (older cumulus) or `messageQueue` (origin `Parent`). */
	source: 'dmpQueue' | 'messageQueue';
	status: DownwardStatus;
	/** The message id (or hash) the event names. */
	id?: Hex;
	/** Weight used (Complete/Incomplete/Processed) or required (overweight, deferred), as the chain prints it. */
	weight?: string;
	/** The XCM error or processing error, when there is one. */
	error?: string;
	/** The event as people read it, e.g. "dmpQueue.ExecutedDownward(Complete, weight 1,000,000,000)". */
	text: string;
}

export interface DownwardSummary {
	/** `parachainSystem.DownwardMessagesReceived(count)`: how many downward messages this block took in. */
	received?: number;
	/** Each downward message's result, in event order. */
	outcomes: DownwardOutcome[];
	/** The outcomes that did not execute in full (everything but `complete`): "a downward message the para rejected". */
	rejected: DownwardOutcome[];
}

interface OutcomeCodec {
	isComplete?: boolean;
	isIncomplete?: boolean;
	isError?: boolean;
	asComplete?: unknown;
	asIncomplete?: unknown;
	asError?: unknown;
	toString(): string;
}

function isOutcome(value: unknown): value is OutcomeCodec {
	const v = value as OutcomeCodec | undefined;
	return typeof v?.isComplete === 'boolean' && typeof v.isError === 'boolean';
}

/** Weight as a person reads it: 1,000,000 for a u64, or "refTime 1,000,000, proofSize 3,593" for Weight v2. */
export function weightText(value: unknown): string {
	const v = value as { refTime?: unknown; proofSize?: unknown; toString(): string } | undefined;
	if (v === undefined || v === null) return '?';
	const n = (x: unknown) => BigInt(String((x as { toString(): string }).toString()).replace(/,/g, '')).toLocaleString('en-US');
	try {
		if (v.refTime !== undefined) return `refTime ${n(v.refTime)}, proofSize ${n(v.proofSize)}`;
		return n(v);
	} catch {
		return String(v);
	}
}

/** Incomplete's parts: (used, error) in V2/V3, { used, error } in V4+. */
function incompleteParts(value: unknown): { used: unknown; error: unknown } {
	const v = value as { used?: unknown; error?: unknown; [i: number]: unknown };
	if (v.used !== undefined) return { used: v.used, error: v.error };
	return { used: v[0], error: v[1] };
}
function errorOf(value: unknown): unknown {
	const v = value as { error?: unknown };
	return v?.error ?? value;
}

function dmpOutcome(method: string, data: ArrayLike<unknown>): DownwardOutcome | undefined {
	const items = Array.from(data);
	// Old: (MessageId, …); later: { message_hash, message_id, … }: the id is the first 32-byte item that is no weight.
	const id = items.length > 0 ? hexOf(items[items.length > 2 && method === 'ExecutedDownward' ? 1 : 0]) : undefined;
	const tag = `dmpQueue.${method}`;
	const base = { source: 'dmpQueue' as const, ...(id ? { id } : {}) };
	if (method === 'ExecutedDownward') {
		const outcome = items.find(isOutcome);
		if (!outcome) return undefined;
		if (outcome.isComplete) {
			const used = (outcome.asComplete as { used?: unknown })?.used ?? outcome.asComplete;
			return { ...base, status: 'complete', weight: weightText(used), text: `${tag}(Complete, weight ${weightText(used)})` };
		}
		if (outcome.isIncomplete) {
			const { used, error } = incompleteParts(outcome.asIncomplete);
			return {
				...base,
				status: 'incomplete',
				weight: weightText(used),
				error: String(error),
				text: `${tag}(Incomplete: ${String(error)}, weight ${weightText(used)})`,
			};
		}
		const error = String(errorOf(outcome.asError));
		return { ...base, status: 'error', error, text: `${tag}(Error: ${error})` };
	}
	if (method === 'OverweightEnqueued') {
		const required = items[items.length - 1];
		return {
			...base,
			status: 'overweight',
			weight: weightText(required),
			text: `${tag}: the message needs weight ${weightText(required)}, more than the para runs at once; it was parked (dmpQueue.serviceOverweight runs it)`,
		};
	}
	if (method === 'WeightExhausted') {
		const required = items[items.length - 1];
		return {
			...base,
			status: 'deferred',
			weight: weightText(required),
			text: `${tag}: no weight left in this block for weight ${weightText(required)}; it stays queued`,
		};
	}
	if (method === 'InvalidFormat' || method === 'UnsupportedVersion') {
		return { ...base, status: 'undecodable', text: `${tag}: the para cannot decode the message` };
	}
	return undefined;
}

/** messageQueue's origin is the relay (`AggregateMessageOrigin::Parent`): a downward message. */
function fromRelay(origin: unknown): boolean {
	const o = origin as { isParent?: boolean; toString(): string } | undefined;
	if (typeof o?.isParent === 'boolean') return o.isParent;
	return /^"?parent"?$/i.test(String(origin));
}

function messageQueueOutcome(method: string, data: ArrayLike<unknown>): DownwardOutcome | undefined {
	const [idCodec, origin, third, fourth] = Array.from(data);
	if (!fromRelay(origin)) return undefined;
	const id = hexOf(idCodec);
	const tag = `messageQueue.${method}`;
	const base = { source: 'messageQueue' as const, id };
	if (method === 'Processed') {
		const success = (fourth as { isTrue?: boolean }).isTrue ?? String(fourth) === 'true';
		const weight = weightText(third);
		return success
			? { ...base, status: 'complete', weight, text: `${tag}(success, weight ${weight})` }
			: { ...base, status: 'incomplete', weight, text: `${tag}(success: false, weight ${weight}): the XCM did not complete` };
	}
	if (method === 'ProcessingFailed') {
		const error = String(third);
		return { ...base, status: 'error', error, text: `${tag}(${error})` };
	}
	if (method === 'OverweightEnqueued') {
		return {
			...base,
			status: 'overweight',
			text: `${tag}: the message is heavier than the para runs at once; it was parked (messageQueue.executeOverweight runs it)`,
		};
	}
	return undefined;
}

/**
 * What became of the downward messages (relay → para) a para block ran: dmpQueue's
 * `ExecutedDownward` (Complete / Incomplete / Error with its reason), `OverweightEnqueued`,
 * `WeightExhausted`, `InvalidFormat`/`UnsupportedVersion`; messageQueue's `Processed`,
 * `ProcessingFailed`, `OverweightEnqueued` for origin `Parent` (later cumulus); and
 * parachainSystem's `DownwardMessagesReceived(count)`.
 */
export function downwardOutcomes(events: readonly EventLike[]): DownwardSummary {
	const summary: DownwardSummary = { outcomes: [], rejected: [] };
	for (const { event } of events) {
		const { section, method, data } = event;
		if (section === 'parachainSystem' && method === 'DownwardMessagesReceived') {
			summary.received = (summary.received ?? 0) + numberOf(data[0]);
			continue;
		}
		const outcome =
			section === 'dmpQueue' ? dmpOutcome(method, data) : section === 'messageQueue' ? messageQueueOutcome(method, data) : undefined;
		if (!outcome) continue;
		summary.outcomes.push(outcome);
		if (outcome.status !== 'complete') summary.rejected.push(outcome);
	}
	return summary;
}

export interface ParaBlockReport {
	blockHash: Hex;
	upgrade: ParaUpgradeEvent[];
	downward: DownwardSummary;
	/** Every event, `section.method`, in order. */
	events: string[];
}

/** A para block's upgrade events and downward-message results, decoded with the runtime the block ran on. */
export async function paraBlockReport(api: ApiPromise, blockHash: Hex): Promise<ParaBlockReport> {
	const records: EventRecordView[] = await eventsAt(api, blockHash);
	const events = records as unknown as EventLike[];
	return {
		blockHash,
		upgrade: paraUpgradeEvents(events),
		downward: downwardOutcomes(events),
		events: records.map((r) => `${r.event.section}.${r.event.method}`),
	};
}
