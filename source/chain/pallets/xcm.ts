/**
 * pallet-xcm on the relay: the downward message that carries a parachain's
 * upgrade authorization (relay Root → para Superuser), and the relay call that
 * ships it with the relay's own upgrade in one batch.
 *
 * The message, in the XCM version the destination supports:
 *  - V2: `[Transact { origin_type: Superuser, require_weight_at_most: u64, call }]`
 *    (a para's barrier lets its parent's messages run unpaid);
 *  - V3, V4: `[UnpaidExecution { weight_limit: Unlimited }, Transact { origin_kind: Superuser,
 *    require_weight_at_most: { ref_time, proof_size }, call }]`;
 *  - V5: the same with `fallback_max_weight` in place of `require_weight_at_most` (the
 *    executor weighs the call itself; the figure is used if the message is downgraded).
 *
 * `require_weight_at_most` comes from the para itself, never a guess (see `paraCallWeight`).
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, encodeAddress } from '@polkadot/util-crypto';
import type { Hex } from '../../domain/types.js';
import { palletConsts, palletQuery, palletTx, type NumberCodec, type OptionCodec, type Tx, type TxFn } from './common.js';
import { buildParaAuthorize } from './parachain-system.js';

/** The relay's XCM pallet: `xcmPallet` on Polkadot, Kusama and Rococo (`polkadotXcm` where a chain names it so). */
function xcmPalletName(api: ApiPromise): 'xcmPallet' | 'polkadotXcm' | undefined {
	if (palletTx(api, 'xcmPallet')?.send) return 'xcmPallet';
	if (palletTx(api, 'polkadotXcm')?.send) return 'polkadotXcm';
	return undefined;
}

function sendFn(api: ApiPromise): { fn: TxFn; pallet: string } {
	const pallet = xcmPalletName(api);
	if (!pallet)
		throw new Error('this relay chain has no XCM pallet with a send call (xcmPallet.send): it cannot send a parachain its upgrade');
	return { fn: palletTx(api, pallet)!.send!, pallet };
}

/** The variants (V0, V1, …) of an argument's versioned type, e.g. XcmVersionedXcm. */
function variantsOf(api: ApiPromise, fn: TxFn, argIndex: number): string[] {
	const type = fn.meta.args[argIndex]?.type.toString();
	if (!type) return [];
	const value = api.createType(type) as unknown as { defKeys?: string[] };
	return value.defKeys ?? [];
}

function versionsOf(keys: string[]): number[] {
	return keys
		.map((k) => /^V(\d+)$/.exec(k)?.[1])
		.filter((v): v is string => v !== undefined)
		.map(Number);
}

/** The newest XCM version a chain's metadata can encode (the highest variant of its `VersionedXcm`); undefined without an XCM pallet. */
export function newestXcmVersion(api: ApiPromise): number | undefined {
	const pallet = xcmPalletName(api);
	if (!pallet) return undefined;
	const versions = versionsOf(variantsOf(api, palletTx(api, pallet)!.send!, 1));
	return versions.length ? Math.max(...versions) : undefined;
}

/** SupportedVersion is an OptionQuery map: each value is an Option<u32> (a plain u32 on the oldest pallets). */
type SupportedVersionEntries = () => Promise<
	Array<[{ args: [NumberCodec, { toJSON(): unknown }] }, OptionCodec<NumberCodec> | NumberCodec]>
>;
interface XcmStorage {
	supportedVersion?: { entries: SupportedVersionEntries };
	safeXcmVersion?: () => Promise<OptionCodec<NumberCodec>>;
}

/** Does a versioned location (as JSON: `{ v1: { parents: 0, interior: { x1: { parachain: 1000 } } } }`, or V4's `x1: [ … ]`) name the child para `paraId`? */
function isChildPara(json: unknown, paraId: number): boolean {
	const lower = (o: unknown): Record<string, unknown> =>
		Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
	const versioned = Object.values(lower(json))[0];
	const location = lower(versioned);
	if (Number(location.parents) !== 0) return false;
	const interior = lower(location.interior);
	const x1 = Array.isArray(interior.x1) ? (interior.x1.length === 1 ? interior.x1[0] : undefined) : interior.x1;
	return Number(lower(x1).parachain) === paraId;
}

/**
 * The XCM version the relay sends to `paraId` in: `XcmPallet.SupportedVersion` for that destination
 * (what the para answered when the relay asked it; keyed by the relay's XCM version and the
 * versioned location, so every entry is compared by location), else `SafeXcmVersion` (what the relay
 * assumes for a destination that never answered), capped at the newest version the relay's metadata
 * encodes. Throws when the relay knows neither: pallet-xcm would refuse the send (DestinationUnsupported).
 */
export async function relayXcmVersionFor(relayApi: ApiPromise, paraId: number): Promise<number> {
	const pallet = xcmPalletName(relayApi);
	const newest = newestXcmVersion(relayApi);
	if (!pallet || newest === undefined) throw new Error('this relay chain has no XCM pallet (xcmPallet.send)');
	const storage = palletQuery<XcmStorage>(relayApi, pallet);
	let version: number | undefined;
	if (storage?.supportedVersion) {
		const entries = await storage.supportedVersion.entries();
		const found = entries.find(([key]) => isChildPara(key.args[1].toJSON(), paraId));
		if (found) {
			const value = found[1];
			if ('isSome' in value) version = value.isSome ? value.unwrap().toNumber() : undefined;
			else version = value.toNumber();
		}
	}
	if (version === undefined && storage?.safeXcmVersion) {
		const safe = await storage.safeXcmVersion();
		if (safe.isSome) version = safe.unwrap().toNumber();
	}
	if (version === undefined)
		throw new Error(
			`the relay knows no XCM version for para ${paraId} (no ${pallet}.SupportedVersion entry for it and no SafeXcmVersion): pallet-xcm would refuse to send to it`,
		);
	return Math.min(version, newest);
}

// --- the para's own weight for the call ----------------------------------------------------------

export interface Weight2 {
	refTime: bigint;
	proofSize: bigint;
}

/** Where the figure that keeps a message from being parked as overweight came from. */
export interface OverweightLimit extends Weight2 {
	/** e.g. "dmpQueue.configuration.maxIndividual" */
	source: string;
}

export interface XcmWeightPlan extends Weight2 {
	/** The para's weight for the call (TransactionPaymentApi query_info of a throwaway signed extrinsic carrying it). */
	call: Weight2;
	/** requireWeightAtMost = call weight × margin (refTime and proofSize each). */
	margin: number;
	/** The most the para executes of one downward message at once, where readable; the plan stays at half of it or less. */
	limit?: OverweightLimit;
	/** How the figure was derived, in words (for the plan and the report). */
	text: string;
}

/** A throwaway address (32 zero bytes) for query_info: nothing is signed by it, only weighed. */
const WEIGHING_ADDRESS = encodeAddress(new Uint8Array(32), 42);

/** The margin on the para's own weight for the call: it covers a para upgrade that makes the call heavier before the message runs. */
export const TRANSACT_WEIGHT_MARGIN = 2;

function weight2Of(value: unknown): Weight2 {
	const v = value as { refTime?: { toBigInt(): bigint }; proofSize?: { toBigInt(): bigint }; toBigInt?: () => bigint };
	if (v?.refTime) return { refTime: v.refTime.toBigInt(), proofSize: v.proofSize?.toBigInt() ?? 0n };
	if (typeof v?.toBigInt === 'function') return { refTime: v.toBigInt(), proofSize: 0n };
	const n = BigInt(String(value));
	return { refTime: n, proofSize: 0n };
}

/** The weight the para charges for `tx`'s call, from its TransactionPaymentApi (query_info on a throwaway signed extrinsic). */
export async function paraCallWeight(paraApi: ApiPromise, tx: Tx): Promise<Weight2> {
	const copy = paraApi.tx(paraApi.createType('Call', tx.method.toHex()));
	const info = await copy.paymentInfo(WEIGHING_ADDRESS);
	return weight2Of(info.weight);
}

/** The most one downward message may weigh before the para parks it as overweight, where the para lets it be read. */
export async function paraOverweightLimit(paraApi: ApiPromise): Promise<OverweightLimit | undefined> {
	const dmp = palletQuery<{ configuration?: () => Promise<{ maxIndividual: unknown }> }>(paraApi, 'dmpQueue');
	if (dmp?.configuration) {
		const config = await dmp.configuration();
		return { ...weight2Of(config.maxIndividual), source: 'dmpQueue.configuration.maxIndividual' };
	}
	const service = palletConsts<{ serviceWeight?: OptionCodec<unknown> }>(paraApi, 'messageQueue')?.serviceWeight;
	if (service?.isSome) return { ...weight2Of(service.unwrap()), source: 'messageQueue.ServiceWeight' };
	return undefined;
}

/**
 * `require_weight_at_most` for a Transact of `tx` on the para: the para's own weight for the call ×
 * TRANSACT_WEIGHT_MARGIN. Refused when that is more than half the most the para executes of one
 * downward message (`dmpQueue` `maxIndividual`, or messageQueue's `ServiceWeight`): the other half is
 * room for the message's other instructions, which the para weighs by its own figure per instruction;
 * above the limit the para would park the message as overweight instead of running it.
 */
export async function transactWeight(paraApi: ApiPromise, tx: Tx): Promise<XcmWeightPlan> {
	const call = await paraCallWeight(paraApi, tx);
	const m = BigInt(TRANSACT_WEIGHT_MARGIN);
	const plan = { refTime: call.refTime * m, proofSize: call.proofSize * m };
	const limit = await paraOverweightLimit(paraApi);
	const n = (x: bigint) => x.toLocaleString('en-US');
	const callText = `the para weighs ${tx.method.section}.${tx.method.method} at refTime ${n(call.refTime)}${call.proofSize ? `, proofSize ${n(call.proofSize)}` : ''} (TransactionPaymentApi query_info)`;
	if (limit) {
		const over = plan.refTime * 2n > limit.refTime || (limit.proofSize > 0n && plan.proofSize * 2n > limit.proofSize);
		if (over)
			throw new Error(
				`${callText}; × ${TRANSACT_WEIGHT_MARGIN} that is more than half of ${limit.source} (refTime ${n(limit.refTime)}): the para would park the message as overweight`,
			);
	}
	return {
		...plan,
		call,
		margin: TRANSACT_WEIGHT_MARGIN,
		...(limit ? { limit } : {}),
		text:
			`${callText}; requireWeightAtMost = × ${TRANSACT_WEIGHT_MARGIN} = refTime ${n(plan.refTime)}${plan.proofSize ? `, proofSize ${n(plan.proofSize)}` : ''}` +
			(limit
				? `, under half of ${limit.source} (refTime ${n(limit.refTime)}), so it runs rather than being parked as overweight`
				: '; the para does not say how much one downward message may weigh (no dmpQueue configuration or messageQueue ServiceWeight)'),
	};
}

// --- the message ----------------------------------------------------------------------------------

/** `Parachain(paraId)` seen from the relay, in the location shape of `version` and the variant the relay's metadata names for it. */
function destination(relayApi: ApiPromise, fn: TxFn, version: number, paraId: number): Record<string, unknown> {
	const keys = variantsOf(relayApi, fn, 0);
	// XCM v2 messages use the V1 location (there is no V2 location before it was renamed so).
	const key = keys.includes(`V${version}`) ? `V${version}` : version === 2 && keys.includes('V1') ? 'V1' : undefined;
	if (!key) throw new Error(`the relay cannot encode a destination in XCM version ${version} (its locations: ${keys.join(', ')})`);
	const junction = { Parachain: paraId };
	return { [key]: { parents: 0, interior: { X1: version >= 4 ? [junction] : junction } } };
}

function transactMessage(version: number, weight: Weight2, encoded: Hex): unknown[] {
	if (version === 2) {
		return [{ Transact: { originType: 'Superuser', requireWeightAtMost: weight.refTime, call: { encoded } } }];
	}
	const unpaid = { UnpaidExecution: { weightLimit: 'Unlimited', checkOrigin: null } };
	const w = { refTime: weight.refTime, proofSize: weight.proofSize };
	if (version >= 5) return [unpaid, { Transact: { originKind: 'Superuser', fallbackMaxWeight: w, call: { encoded } } }];
	return [unpaid, { Transact: { originKind: 'Superuser', requireWeightAtMost: w, call: { encoded } } }];
}

export interface AuthorizeXcmPlan {
	/** `xcmPallet.send(dest, message)`: a Root call on the relay (sudo, a referendum, a batch). */
	tx: Tx;
	/** e.g. "xcmPallet.send(Parachain(1000), V2 [Transact(Superuser, 2,000,000, parachainSystem.authorizeUpgrade(0x0be7…47ee))])" */
	label: string;
	/** blake2-256 of the encoded send call. */
	callHash: Hex;
	xcmVersion: number;
	weight: XcmWeightPlan;
	/** The para call the Transact carries, as a label. */
	inner: string;
	/** The para call the Transact carries: its label, hash and SCALE bytes. */
	paraCall: { label: string; callHash: Hex; encoded: Hex };
	/** What was given to the relay's send, as JSON (destination and message). */
	dest: unknown;
	message: unknown;
}

/**
 * The relay call that authorizes `codeHash` on para `paraId`: `xcmPallet.send(Parachain(paraId), message)`
 * with the para's own authorize call in a Superuser `Transact`, in the XCM version the relay sends to that
 * para in (`relayXcmVersionFor`, capped at the newest the para's metadata decodes where it has an XCM
 * pallet), and a `require_weight_at_most` derived from the para's weight for the call (`transactWeight`).
 */
export async function buildAuthorizeXcm(
	relayApi: ApiPromise,
	paraApi: ApiPromise,
	paraId: number,
	codeHash: Hex,
): Promise<AuthorizeXcmPlan> {
	const { fn, pallet } = sendFn(relayApi);
	const paraCall = buildParaAuthorize(paraApi, codeHash);
	const relayVersion = await relayXcmVersionFor(relayApi, paraId);
	const paraNewest = newestXcmVersion(paraApi);
	const xcmVersion = paraNewest === undefined ? relayVersion : Math.min(relayVersion, paraNewest);
	if (xcmVersion < 2)
		throw new Error(`the relay sends to para ${paraId} in XCM version ${xcmVersion}; the console builds messages from version 2 on`);
	const weight = await transactWeight(paraApi, paraCall.tx);
	const dest = destination(relayApi, fn, xcmVersion, paraId);
	const message = { [`V${xcmVersion}`]: transactMessage(xcmVersion, weight, paraCall.encoded) };
	const tx = fn(dest, message);
	const u8a = tx.method.toU8a();
	// polkadot-js fills a field it does not find with its default: make sure the para's call is in the bytes.
	if (!u8aToHex(u8a).includes(paraCall.encoded.slice(2)))
		throw new Error(
			`the relay's ${pallet}.send did not encode the Transact's call (XCM version ${xcmVersion}); this message shape does not fit the relay`,
		);
	const n = (x: bigint) => x.toLocaleString('en-US');
	const weightLabel = xcmVersion === 2 ? n(weight.refTime) : `refTime ${n(weight.refTime)}, proofSize ${n(weight.proofSize)}`;
	const instructions = [
		...(xcmVersion >= 3 ? ['UnpaidExecution(Unlimited)'] : []),
		`Transact(Superuser, ${weightLabel}, ${paraCall.label})`,
	];
	return {
		tx,
		label: `${pallet}.send(Parachain(${paraId}), V${xcmVersion} [${instructions.join(', ')}])`,
		callHash: blake2AsHex(u8a, 256) as Hex,
		xcmVersion,
		weight,
		inner: paraCall.label,
		paraCall: { label: paraCall.label, callHash: paraCall.callHash, encoded: paraCall.encoded },
		dest,
		message,
	};
}

// --- the relay's batch ------------------------------------------------------------------------------

export interface BatchPlan {
	tx: Tx;
	/** e.g. "utility.batchAll(system.setCode, xcmPallet.send(Parachain(1000), …))" */
	label: string;
	callHash: Hex;
}

/**
 * `utility.batchAll(calls)` (all or nothing: one failing call reverts the others) or
 * `utility.forceBatch(calls)` (every call is tried; failures are reported as events) of the
 * relay's own upgrade call and the sends. Refused where the relay's Utility has no such call
 * (Rococo 9130 has `batch` and `batchAll`, no `forceBatch`).
 */
export function buildRelayBatch(
	relayApi: ApiPromise,
	calls: Array<Tx | { tx: Tx; label?: string }>,
	mode: 'batchAll' | 'forceBatch',
): BatchPlan {
	const utility = palletTx(relayApi, 'utility');
	const fn = utility?.[mode];
	if (!fn) {
		const has = Object.keys(utility ?? {}).filter((k) => /batch/i.test(k));
		throw new Error(
			`this relay has no utility.${mode}${has.length ? ` (its Utility has ${has.join(', ')})` : ' (no Utility pallet)'}${mode === 'forceBatch' && has.includes('batchAll') ? ': use batchAll' : ''}`,
		);
	}
	if (calls.length === 0) throw new Error('a batch needs at least one call');
	const items: Array<{ tx: Tx; label?: string }> = calls.map((c) => ('method' in c ? { tx: c } : c));
	const tx = fn(items.map((c) => c.tx.method));
	const labels = items.map((c) => c.label ?? `${c.tx.method.section}.${c.tx.method.method}`);
	return { tx, label: `utility.${mode}(${labels.join(', ')})`, callHash: blake2AsHex(tx.method.toU8a(), 256) as Hex };
}

/** The parachain an XCM destination names (`{ parents: 0, interior: { x1: { parachain: N } } }` in any version), if one. */
export function destinationParaId(dest: unknown): number | undefined {
	const text = JSON.stringify(dest ?? null).toLowerCase();
	const m = /"parachain":(\d+)/.exec(text);
	return m ? Number(m[1]) : undefined;
}
