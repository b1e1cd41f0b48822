/**
 * The one way an extrinsic leaves this program: sign (mortal era, nonce),
 * record a write-ahead intent, submit, track to inclusion, record the
 * outcome; classify a refusal by the node (nothing can be included: the
 * intent is closed as dropped) apart from a lost answer (the intent stays
 * open and is reconciled from the chain later). Also: find what became of
 * an intent after a crash.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ExtrinsicEra } from '@polkadot/types/interfaces';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Hex, Intent, IntentOutcome, StageId } from '../domain/types.js';
import { messageOf } from './connect.js';
import { debug } from '../debug.js';
import { storageBytes } from './live.js';
import { nodeRpc } from './embedded.js';
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { validateSigned, type Validity } from './validate.js';
import { expectedBlockTimeMs } from './block-time.js';

export const MORTAL_PERIOD = 64;

export type TxStep = 'signed' | 'ready' | 'inBlock' | 'finalized';

export interface TrackHooks {
	/** Must persist the intent before it resolves: nothing is sent until it has. */
	onIntent: (intent: Intent) => Promise<void>;
	onStatus?: (step: TxStep, detail?: string) => void;
	/** Persist the outcome as soon as the extrinsic is in a block. */
	onOutcome: (outcome: IntentOutcome, events: string[]) => Promise<void>;
}

export interface TrackResult {
	outcome: IntentOutcome;
	events: string[];
}

/** Describe a dispatch error from its module index and error bytes. */
export function describeDispatchError(api: ApiPromise, dispatchError: unknown): string {
	const err = dispatchError as { isModule?: boolean; asModule?: unknown; toString: () => string };
	if (err.isModule) {
		try {
			const meta = api.registry.findMetaError(err.asModule as never);
			return `${meta.section}.${meta.name}: ${meta.docs.join(' ').trim()}`.trim();
		} catch {
			// fall through
		}
	}
	return err.toString();
}

/**
 * The node refused the extrinsic (a JSON-RPC error answer to the submission,
 * or a dropped / invalid / usurped status): it cannot be included.
 */
export class SubmitRejected extends Error {
	override name = 'SubmitRejected';
}

/** Where write-ahead intents are kept (a release's progress). Review votes keep none. */
export interface IntentLog {
	/** Must persist the intent before it returns: nothing is sent until it has. */
	record: (intent: Intent) => void | Promise<void>;
	outcome: (intentId: string, outcome: IntentOutcome) => void | Promise<void>;
}

/**
 * The chain said, before anything was sent, that it would not take the extrinsic
 * (`validate_transaction` on the best block): nothing was sent.
 */
export class TransactionRefused extends SubmitRejected {
	override name = 'TransactionRefused';
	constructor(
		message: string,
		readonly hint: string,
		readonly code: string,
	) {
		super(message);
	}
}

export interface SubmitRequest {
	tx: SubmittableExtrinsic<'promise'>;
	/** Signs here. */
	pair?: KeyringPair;
	/**
	 * Signed elsewhere: `tx` already carries the signature, and its intent (with the
	 * extrinsic hash) is recorded. Exactly one of `pair` and `presigned`.
	 */
	presigned?: { intent: Intent };
	/**
	 * An unsigned extrinsic the runtime's `ValidateUnsigned` accepts (e.g. `parachainSystem.enactAuthorizedUpgrade`):
	 * no key, no nonce, no era. Its hash is known before sending, so it takes the same write-ahead path.
	 * Exactly one of `pair`, `presigned` and `unsigned`.
	 */
	unsigned?: true;
	/** The nonce the signer prompt showed; read from the chain when absent. */
	nonce?: number;
	meta: { env: string; stage: StageId; call: string; callHash: Hex };
	intents?: IntentLog;
	onStatus?: (step: TxStep, detail?: string) => void;
}

/**
 * Sign, submit and track one extrinsic. Resolves once it is in a block (its
 * outcome says whether the call failed); throws SubmitRejected when the node
 * refused it (the intent is then closed as dropped, so it can be sent again),
 * TransactionRefused when the chain's validation said no before sending (no
 * intent was opened for a key signed here; a presigned one is closed as dropped).
 */
export async function submitExtrinsic(api: ApiPromise, request: SubmitRequest): Promise<TrackResult> {
	const { intents, meta } = request;
	let intentId: string;
	let recorded = false;
	let intent: Intent | undefined;
	if (request.presigned) {
		intent = request.presigned.intent;
		intentId = intent.id;
		recorded = true;
	} else if (request.unsigned) {
		intentId = `${meta.env}-${meta.stage}-${Date.now().toString(36)}`;
		intent = await unsignedIntent(api, request.tx, { ...meta, intentId });
	} else {
		const pair = request.pair;
		if (!pair) throw new Error('submitExtrinsic needs a key (pair), a presigned extrinsic or `unsigned`');
		const nonce = request.nonce ?? (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
		intentId = `${meta.env}-${meta.stage}-${Date.now().toString(36)}`;
		intent = await signHere(api, request.tx, pair, nonce, { ...meta, intentId });
	}
	try {
		const validity = await validateSigned(api, request.tx);
		if (!validity.ok && request.unsigned && validity.code === 'Call')
			throw new TransactionRefused(
				`the chain would refuse ${meta.call} unsigned (InvalidTransaction::Call from its ValidateUnsigned: for an authorized upgrade, nothing is authorized or the code's hash is not the authorized one); nothing was sent`,
				"read the chain's AuthorizedUpgrade: the code must hash to it; or sign the call with any account",
				validity.code,
			);
		if (!validity.ok)
			throw new TransactionRefused(
				`the chain would refuse ${meta.call}: ${validity.reason}; nothing was sent`,
				validity.hint,
				validity.code,
			);
		if (!validity.checked) debug(validity.note);
		return await track(api, request.tx, intent, {
			onIntent: async (i) => {
				if (recorded) return;
				await intents?.record(i);
				recorded = true;
			},
			...(request.onStatus ? { onStatus: request.onStatus } : {}),
			onOutcome: async (outcome) => {
				await intents?.outcome(intentId, outcome);
			},
		});
	} catch (error) {
		if (error instanceof SubmitRejected && recorded) {
			await intents?.outcome(intentId, { status: 'dropped', error: error.message, at: new Date().toISOString() });
		}
		throw error;
	}
}

/**
 * A mortal era born at the parent of the best block, and that block's hash (what
 * the signature commits to). Not at the best block itself: a runtime validates a
 * transaction at the best block's number, and runtimes before 2020 (Kusama 1020,
 * Polkadot 0) know a block's hash only once a child of it exists, so an era born
 * at the best block is refused there as AncientBirthBlock. Born one block earlier
 * it is valid on every chain.
 */
export async function mortalEra(
	api: ApiPromise,
	period: number,
): Promise<{ era: ExtrinsicEra; blockHash: Hex; birth: number; best: number }> {
	const header = await api.rpc.chain.getHeader();
	const best = header.number.toNumber();
	const birth = Math.max(0, best - 1);
	const blockHash = (birth === best ? header.hash : header.parentHash).toHex() as Hex;
	return { era: api.createType('ExtrinsicEra', { current: birth, period }), blockHash, birth, best };
}

/** Sign with a key held here, with a mortal era from the best block's parent: the intent to record before sending. */
async function signHere(
	api: ApiPromise,
	tx: SubmittableExtrinsic<'promise'>,
	pair: KeyringPair,
	nonce: number,
	meta: { env: string; stage: StageId; call: string; callHash: Hex; intentId: string },
): Promise<Intent> {
	const { era, blockHash, birth } = await mortalEra(api, MORTAL_PERIOD);
	await tx.signAsync(pair, { nonce, era, blockHash });
	return {
		id: meta.intentId,
		env: meta.env,
		stage: meta.stage,
		call: meta.call,
		callHash: meta.callHash,
		signer: pair.address,
		nonce,
		extrinsicHash: tx.hash.toHex() as Hex,
		mortalFrom: birth,
		mortalPeriod: MORTAL_PERIOD,
		createdAt: new Date().toISOString(),
	};
}

/** The `signer` of an intent for an unsigned extrinsic: it has no key, no nonce (recorded as 0) and no era. */
export const UNSIGNED_SIGNER = 'unsigned extrinsic (no signer)';

export function isUnsignedExtrinsic(intent: Intent): boolean {
	return intent.signer === UNSIGNED_SIGNER;
}

/**
 * The intent of an unsigned extrinsic: its hash is known before sending (no signature to wait for).
 * It is immortal, so `mortalFrom` is the best block now (it cannot be in an earlier one) and there
 * is no `mortalPeriod`: reconciliation looks from there to the best block.
 */
async function unsignedIntent(
	api: ApiPromise,
	tx: SubmittableExtrinsic<'promise'>,
	meta: { env: string; stage: StageId; call: string; callHash: Hex; intentId: string },
): Promise<Intent> {
	if (tx.isSigned) throw new Error('an unsigned submission was given a signed extrinsic');
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	return {
		id: meta.intentId,
		env: meta.env,
		stage: meta.stage,
		call: meta.call,
		callHash: meta.callHash,
		signer: UNSIGNED_SIGNER,
		nonce: 0,
		extrinsicHash: tx.hash.toHex() as Hex,
		mortalFrom: best,
		createdAt: new Date().toISOString(),
	};
}

/**
 * Sign `tx` with `pair` on a copy and ask the chain whether it would take it:
 * what a signer prompt can say before anyone confirms. The plan's extrinsic
 * stays unsigned.
 */
export async function wouldAccept(
	api: ApiPromise,
	tx: SubmittableExtrinsic<'promise'>,
	pair: KeyringPair,
	nonce: number,
): Promise<Validity> {
	const copy = api.tx(api.createType('Call', tx.method.toHex()));
	const { era, blockHash } = await mortalEra(api, MORTAL_PERIOD);
	await copy.signAsync(pair, { nonce, era, blockHash });
	return validateSigned(api, copy);
}

/** The events that carry the result of a call dispatched inside an extrinsic, and where the result sits in them. */
const INNER_RESULTS: Record<string, { index: 'first' | 'last'; what: string }> = {
	'proxy.ProxyExecuted': { index: 'first', what: 'the proxied call failed' },
	'sudo.Sudid': { index: 'first', what: 'the call sudo dispatched failed' },
	'sudo.SudoAsDone': { index: 'first', what: 'the call sudo dispatched failed' },
	'multisig.MultisigExecuted': { index: 'last', what: 'the call the multisig dispatched failed' },
	'utility.DispatchedAs': { index: 'first', what: 'the dispatched call failed' },
};

type EventView = Array<{ event: { section: string; method: string; data: unknown[] } }>;

/**
 * Inner results FRAME reports as an event while the extrinsic itself succeeds: a proxied, sudo'd or multisig call
 * that failed, a batch interrupted. One line each, in the order of the events.
 */
export function innerFailures(api: ApiPromise, events: EventView): string[] {
	const out: string[] = [];
	for (const { event } of events) {
		const name = `${event.section}.${event.method}`;
		if (name === 'utility.BatchInterrupted') {
			out.push(`utility batch interrupted at call ${String(event.data[0])}: ${describeDispatchError(api, event.data[1])}`);
			continue;
		}
		const spec = INNER_RESULTS[name];
		if (!spec) continue;
		const result = event.data[spec.index === 'first' ? 0 : event.data.length - 1] as
			{ isErr?: boolean; asErr?: unknown; isFalse?: boolean } | undefined;
		if (result?.isErr) out.push(`${spec.what}: ${describeDispatchError(api, result.asErr)}`);
		// Before 2020 the result was a bool: it says only that the call failed.
		else if (result?.isFalse === true) out.push(`${spec.what} (this runtime reports no reason)`);
	}
	return out;
}

/** A proxied call (or one the sudo key made for a member) that failed or was filtered, while the extrinsic itself succeeded. */
function innerFailure(api: ApiPromise, events: EventView): string | undefined {
	return innerFailures(
		api,
		events.filter(
			({ event }) =>
				(event.section === 'proxy' && event.method === 'ProxyExecuted') ||
				(event.section === 'sudo' && event.method === 'SudoAsDone'),
		),
	)[0];
}

async function track(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, intent: Intent, hooks: TrackHooks): Promise<TrackResult> {
	const extrinsicHash = tx.hash.toHex() as Hex;
	await hooks.onIntent(intent);
	hooks.onStatus?.('signed', extrinsicHash);

	return new Promise<TrackResult>((resolve, reject) => {
		let settled = false;
		let recorded: TrackResult | undefined;
		let unsub: (() => void) | undefined;
		const finish = (fn: () => void) => {
			if (settled) return;
			settled = true;
			unsub?.();
			fn();
		};
		tx.send((result) => {
			const { status } = result;
			debug(`tx ${extrinsicHash} status ${status.type}`);
			if (status.isReady) hooks.onStatus?.('ready');
			// A node may report finalized without an inBlock before it (chopsticks does
			// when it builds and finalizes in one go): either one carries the block.
			if ((status.isInBlock || status.isFinalized) && !recorded) {
				const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex() as Hex;
				const events = result.events.map(({ event }) => `${event.section}.${event.method}`);
				const error = result.dispatchError
					? describeDispatchError(api, result.dispatchError)
					: innerFailure(api, result.events as unknown as Array<{ event: { section: string; method: string; data: unknown[] } }>);
				const outcome: IntentOutcome = {
					status: error ? 'failed' : 'included',
					blockHash,
					extrinsicHash,
					at: new Date().toISOString(),
					...(error ? { error } : {}),
				};
				recorded = { outcome, events };
				api.rpc.chain
					.getHeader(blockHash)
					.then(async (h) => {
						outcome.blockNumber = h.number.toNumber();
						debug(`tx ${extrinsicHash} in block #${outcome.blockNumber}`);
						hooks.onStatus?.('inBlock', `#${outcome.blockNumber}`);
						await hooks.onOutcome(outcome, events);
					})
					.catch((error) => finish(() => reject(error)));
			}
			if (status.isFinalized) {
				hooks.onStatus?.('finalized');
				// wait until the inBlock outcome has been persisted
				const check = () => {
					if (recorded?.outcome.blockNumber !== undefined) finish(() => resolve(recorded!));
					else setTimeout(check, 20);
				};
				check();
			}
			if (status.isDropped || status.isInvalid || status.isUsurped) {
				finish(() => reject(new SubmitRejected(`extrinsic ${extrinsicHash} was ${status.type.toLowerCase()} by the node`)));
			}
		})
			.then((u) => {
				unsub = u;
				if (settled) u();
			})
			.catch((error) => {
				const message = friendlySubmitError(messageOf(error));
				// A JSON-RPC error answer (1010 invalid, 1012 pool refusal, …) means the node did not take it;
				// anything else (a lost connection) leaves its fate to reconciliation.
				const answered = typeof (error as { code?: unknown }).code === 'number';
				finish(() => reject(answered ? new SubmitRejected(message) : new Error(message)));
			});
	});
}

function friendlySubmitError(message: string): string {
	if (/Inability to pay some fees/i.test(message)) return `${message} (the signer's account cannot pay the fee; fund it first)`;
	if (/bad signature/i.test(message)) return `${message} (the signature does not verify for this chain)`;
	if (/outdated|stale/i.test(message)) return `${message} (the nonce was already used)`;
	return message;
}

export interface EventRecordView {
	phase: { isApplyExtrinsic: boolean; asApplyExtrinsic: { toNumber: () => number } };
	event: { section: string; method: string; data: unknown[] };
}

/**
 * The events of a block, decoded with the metadata the block was executed
 * with (its parent's): after a runtime upgrade, the block's own state already
 * holds the new code, whose metadata may not decode the block's events.
 *
 * Known to be fragile, and left as it is because every events reader passes
 * through it: @polkadot/api's `api.at(X)` reads the runtime version at X's
 * *parent*, so `api.at(parent)` is, on paper, the grandparent's runtime. It
 * gives the right one in practice because a registry is first looked up by
 * the block hash it last served, and the default registry (the head's) is
 * re-initialised in place when the runtime version changes, while a
 * decoration made from it keeps the version it saw. `api.at(block)` looks
 * right and is not: at the upgrade block it apparently decoded 9130's events with 9140's
 * metadata in the sudo and multisig upgrade tests ("Unable to create Enum via
 * index 36"). A registry built from `state_getMetadata` at the parent, with
 * @polkadot/types-known's types for old runtimes, is the robust fix.
 */
export async function eventsAt(api: ApiPromise, blockHash: Hex): Promise<EventRecordView[]> {
	const header = await api.rpc.chain.getHeader(blockHash);
	const parent = await api.at(header.parentHash);
	const entry = parent.query.system.events;
	// An absent value is an empty Vec (compact length 0).
	const u8a = storageBytes(await api.rpc.state.getStorage(entry.key(), blockHash)) ?? new Uint8Array([0]);
	const typeName = parent.registry.createLookupType(entry.creator.meta.type.asPlain);
	return parent.registry.createType(typeName, u8a) as unknown as EventRecordView[];
}

export interface FoundExtrinsic {
	blockNumber: number;
	blockHash: Hex;
	index: number;
	success: boolean;
	error?: string;
	events: string[];
}

/** Look for an extrinsic hash in blocks [from, to]. */
export async function findExtrinsic(api: ApiPromise, extrinsicHash: Hex, from: number, to: number): Promise<FoundExtrinsic | undefined> {
	for (let n = Math.max(0, from); n <= to; n++) {
		const blockHash = await api.rpc.chain.getBlockHash(n);
		if (blockHash.isEmpty) continue;
		// The raw bytes, hashed: an extrinsic's hash is blake2-256 of its encoding. Decoding the block with the
		// client's registry fails (or misreads) for blocks made by an earlier runtime, after an upgrade.
		const raw = (await nodeRpc(api)('chain_getBlock', [blockHash.toHex()])) as { block: { extrinsics: string[] } } | null;
		const index = (raw?.block.extrinsics ?? []).findIndex((x) => blake2AsHex(hexToU8a(x), 256) === extrinsicHash);
		if (index < 0) continue;
		const events = await eventsAt(api, blockHash.toHex() as Hex);
		const mine = events.filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.toNumber() === index);
		const failed = mine.find((e) => e.event.section === 'system' && e.event.method === 'ExtrinsicFailed');
		const error = failed ? describeDispatchError(api, failed.event.data[0]) : innerFailure(api, mine);
		return {
			blockNumber: n,
			blockHash: blockHash.toHex() as Hex,
			index,
			success: !error,
			...(error ? { error } : {}),
			events: mine.map((e) => `${e.event.section}.${e.event.method}`),
		};
	}
	return undefined;
}

export type Reconciliation =
	| { kind: 'included'; outcome: IntentOutcome; events: string[] }
	| { kind: 'pending'; reason: string }
	| { kind: 'dropped'; outcome: IntentOutcome };

/**
 * How long a lookup waits for one more block before it calls an intent gone (see reconcileIntent): two block
 * times, from 6 s to 24 s (an embedded chain compiling a new runtime may take longer than its block time).
 */
function graceFor(api: ApiPromise): number {
	return Math.max(6_000, Math.min(2 * expectedBlockTimeMs(api), 24_000));
}

async function headAfter(api: ApiPromise, best: number, ms: number): Promise<number> {
	const deadline = Date.now() + ms;
	for (;;) {
		const now = (await api.rpc.chain.getHeader()).number.toNumber();
		if (now > best || Date.now() >= deadline) return now;
		await new Promise((r) => setTimeout(r, Math.min(200, Math.max(1, deadline - Date.now()))));
	}
}

/**
 * What happened to an intent that has no outcome (the console stopped after
 * recording it)? Included, still in the pool, or gone for good.
 *
 * "Gone" is only said after one more block (or a block time without one): a
 * node may take the extrinsic out of its pool to build a block before that
 * block is its best (chopsticks does), and an extrinsic seen in neither place
 * in that moment is on its way in, not lost. Calling it dropped then would
 * send it a second time.
 */
export async function reconcileIntent(api: ApiPromise, intent: Intent, opts: { graceMs?: number } = {}): Promise<Reconciliation> {
	let best = (await api.rpc.chain.getHeader()).number.toNumber();
	const from = intent.mortalFrom ?? Math.max(0, best - MORTAL_PERIOD);
	// An unsigned extrinsic is immortal: look up to the best block.
	const unsigned = isUnsignedExtrinsic(intent);
	const until = (to: number) => (unsigned ? to : from + (intent.mortalPeriod ?? MORTAL_PERIOD));
	let scanned = from - 1;
	for (let look = 0; look < 2; look++) {
		if (intent.extrinsicHash) {
			const found = await findExtrinsic(api, intent.extrinsicHash, scanned + 1, Math.min(best, until(best)));
			if (found) {
				return {
					kind: 'included',
					events: found.events,
					outcome: {
						status: found.success ? 'included' : 'failed',
						blockNumber: found.blockNumber,
						blockHash: found.blockHash,
						extrinsicHash: intent.extrinsicHash,
						at: new Date().toISOString(),
						...(found.error ? { error: found.error } : {}),
					},
				};
			}
			scanned = Math.max(scanned, Math.min(best, until(best)));
			const pending = await api.rpc.author.pendingExtrinsics();
			if (pending.some((ext) => ext.hash.toHex() === intent.extrinsicHash)) {
				return { kind: 'pending', reason: `extrinsic ${intent.extrinsicHash} is in the node's pool; waiting for a block` };
			}
		}
		// Nothing can still arrive for an intent with no hash or past its era.
		if (look > 0 || !intent.extrinsicHash || best > until(best)) break;
		best = await headAfter(api, best, opts.graceMs ?? graceFor(api));
	}
	if (unsigned)
		return {
			kind: 'dropped',
			outcome: {
				status: 'dropped',
				extrinsicHash: intent.extrinsicHash,
				error: `not on chain (blocks #${from}–#${best}) and not in the pool: it never reached the node`,
				at: new Date().toISOString(),
			},
		};
	const nextNonce = (await api.rpc.system.accountNextIndex(intent.signer)).toNumber();
	const why =
		best > until(best)
			? `not included before its mortality ended at block #${until(best)}`
			: nextNonce > intent.nonce
				? `nonce ${intent.nonce} of ${intent.signer} was used by another extrinsic`
				: 'not on chain and not in the pool: it never reached the node';
	return {
		kind: 'dropped',
		outcome: { status: 'dropped', extrinsicHash: intent.extrinsicHash, error: why, at: new Date().toISOString() },
	};
}
