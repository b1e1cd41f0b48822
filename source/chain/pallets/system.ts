/**
 * frame-system's upgrade calls and storage, with the older parachains'
 * cumulus parachain-system flavour of the same: the payload a governance body
 * decides on (set-code or authorize), the call that applies an authorized
 * upgrade, and the code hash the chain has authorized.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex, PayloadKind } from '../../domain/types.js';
import { onChainCodeHash } from '../live.js';
import { codeArg, palletQuery, palletTx, planOf, type CallPlan, type HashCodec, type OptionCodec } from './common.js';

/** `system.authorizedUpgrade` (CodeUpgradeAuthorization) or `parachainSystem.authorizedUpgrade` (the same, or a bare hash on older cumulus). */
interface Authorization extends HashCodec {
	codeHash?: HashCodec;
}
interface UpgradeStorage {
	authorizedUpgrade?: () => Promise<OptionCodec<Authorization> | Authorization | undefined>;
}

const upgradeStorage = (api: { query: unknown }, pallet: 'system' | 'parachainSystem') => palletQuery<UpgradeStorage>(api, pallet);

/** Where this runtime authorizes upgrades: `system` (current FRAME) or `parachainSystem` (older parachains). */
function authorizeFlavour(api: ApiPromise): 'system' | 'parachainSystem' | undefined {
	if (palletTx(api, 'system')?.authorizeUpgrade) return 'system';
	if (palletTx(api, 'parachainSystem')?.authorizeUpgrade) return 'parachainSystem';
	return undefined;
}

/** The runtime call the governance decides on. */
export function buildPayload(api: ApiPromise, kind: PayloadKind, code: Uint8Array, codeHash: Hex): CallPlan {
	if (kind === 'set-code') return planOf(api.tx.system.setCode(codeArg(api, code)), 'system.setCode');
	const flavour = authorizeFlavour(api);
	if (flavour === 'system') return planOf(palletTx(api, 'system')!.authorizeUpgrade!(codeHash), 'system.authorizeUpgrade');
	if (flavour === 'parachainSystem') {
		const fn = palletTx(api, 'parachainSystem')!.authorizeUpgrade!;
		// (code_hash, check_version) on later versions, (code_hash) before.
		const tx = fn.meta.args.length >= 2 ? fn(codeHash, true) : fn(codeHash);
		return planOf(tx, 'parachainSystem.authorizeUpgrade');
	}
	throw new Error('this runtime has neither system.authorizeUpgrade nor parachainSystem.authorizeUpgrade; use the set-code payload');
}

/** The call that applies an authorized upgrade (anyone may send it; the chain checks the hash). */
export function buildApply(api: ApiPromise, code: Uint8Array): CallPlan {
	const apply = palletTx(api, 'system')?.applyAuthorizedUpgrade;
	if (apply) return planOf(apply(codeArg(api, code)), 'system.applyAuthorizedUpgrade');
	const enact = palletTx(api, 'parachainSystem')?.enactAuthorizedUpgrade;
	if (enact) return planOf(enact(codeArg(api, code)), 'parachainSystem.enactAuthorizedUpgrade');
	throw new Error('this runtime cannot apply an authorized upgrade (no system.applyAuthorizedUpgrade)');
}

/** The code hash the chain has authorized, if any (at a block, when given). */
export async function authorizedCodeHash(api: ApiPromise, at?: string): Promise<Hex | undefined> {
	const q = at ? await api.at(at) : api;
	const entry = upgradeStorage(q, 'system')?.authorizedUpgrade ?? upgradeStorage(q, 'parachainSystem')?.authorizedUpgrade;
	if (!entry) return undefined;
	const value = await entry();
	if (!value || ('isNone' in value && value.isNone)) return undefined;
	const inner = 'unwrap' in value ? value.unwrap() : value;
	return (inner.codeHash ?? inner).toHex() as Hex;
}

// --- how a block shows an upgrade --------------------------------------------------------------------

/** Does this runtime have frame-system's `CodeUpdated` event? (frame-system before 2020, Kusama 1020's, does not.) */
export function hasCodeUpdatedEvent(api: ApiPromise): boolean {
	return Boolean((api.events as unknown as Record<string, Record<string, unknown> | undefined>).system?.CodeUpdated);
}

/**
 * What in this block shows the runtime code changed: `system.CodeUpdated`, `parachainSystem.ValidationFunctionApplied`,
 * or, on a runtime that has no CodeUpdated event, `:code` itself — this code in the block's state and not in its
 * parent's. Undefined when the block shows none of these.
 */
export async function codeChangeShownBy(api: ApiPromise, blockHash: Hex, events: string[], codeHash: Hex): Promise<string | undefined> {
	if (events.includes('system.CodeUpdated')) return 'system.CodeUpdated';
	if (events.includes('parachainSystem.ValidationFunctionApplied')) return 'parachainSystem.ValidationFunctionApplied';
	if (hasCodeUpdatedEvent(api)) return undefined;
	const parent = (await api.rpc.chain.getHeader(blockHash)).parentHash.toHex();
	if ((await onChainCodeHash(api, blockHash)) === codeHash && (await onChainCodeHash(api, parent)) !== codeHash)
		return ':code changed (this runtime has no CodeUpdated event)';
	return undefined;
}

/** A weight in both dimensions (refTime alone, proofSize 0, before weights v2). */
export interface WeightUse {
	refTime: bigint;
	proofSize: bigint;
}

function weightOf(value: unknown): WeightUse {
	const json = (value as { toJSON?: () => unknown })?.toJSON?.() ?? value;
	if (typeof json === 'number' || typeof json === 'string' || typeof json === 'bigint') return { refTime: BigInt(json), proofSize: 0n };
	const w = json as { refTime?: number | string; proofSize?: number | string; ref_time?: number | string; proof_size?: number | string };
	return { refTime: BigInt(w.refTime ?? w.ref_time ?? 0), proofSize: BigInt(w.proofSize ?? w.proof_size ?? 0) };
}

/**
 * What block `blockHash` weighed (`System.BlockWeight`, all dispatch classes together) against the chain's
 * `BlockWeights.maxBlock`, and the larger of the two shares in percent; undefined where the chain has neither.
 */
export async function blockWeightAt(
	api: ApiPromise,
	blockHash: Hex,
): Promise<{ used: WeightUse; max: WeightUse; percent: number } | undefined> {
	const max = (api.consts.system as unknown as { blockWeights?: { maxBlock: unknown } } | undefined)?.blockWeights?.maxBlock;
	const query = palletQuery<{ blockWeight?: { at: (hash: string) => Promise<{ toJSON(): unknown }> } }>(api, 'system')?.blockWeight;
	if (!max || !query) return undefined;
	// Read with the decorations in hand (the upgrade block's state already holds the new code; the type is System's own).
	const perClass = (await query.at(blockHash)).toJSON() as Record<string, unknown>;
	const used = Object.values(perClass)
		.map(weightOf)
		.reduce((a, b) => ({ refTime: a.refTime + b.refTime, proofSize: a.proofSize + b.proofSize }), { refTime: 0n, proofSize: 0n });
	const limit = weightOf(max);
	const share = (a: bigint, b: bigint) => (b > 0n ? Number((a * 10_000n) / b) / 100 : 0);
	return { used, max: limit, percent: Math.max(share(used.refTime, limit.refTime), share(used.proofSize, limit.proofSize)) };
}
