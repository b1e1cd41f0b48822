/**
 * pallet-sudo: the upgrade call of the sudo route and who may sign it.
 * Call builders read the chain's metadata (never fixed call indices).
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Call } from '@polkadot/types/interfaces';
import type { Hex } from '../../domain/types.js';
import { describeCall } from '../call-text.js';
import type { Authority } from '../prompt.js';
import { codeArg, palletQuery, palletTx, zeroWeight } from './common.js';

export interface UpgradePlan {
	tx: SubmittableExtrinsic<'promise'>;
	/** e.g. "sudo.sudoUncheckedWeight(system.setCode)" */
	call: string;
	callLines: string[];
	/** blake2-256 of the encoded outer call. */
	callHash: Hex;
	encodedLength: number;
}

export function hasSudo(api: ApiPromise): boolean {
	return Boolean(api.tx.sudo?.sudoUncheckedWeight && api.query.sudo?.key);
}

/**
 * `sudo.sudoUncheckedWeight(call, 0)` of any Root call (the relay's upgrade batched with the
 * parachains' authorizations): the batch holds setCode, whose weight is the whole block.
 */
export function buildSudoUnchecked(api: ApiPromise, inner: SubmittableExtrinsic<'promise'>, innerLabel: string): UpgradePlan {
	if (!hasSudo(api))
		throw new Error('this chain has no Sudo pallet; use a governance route (multisig-sudo, council-democracy or opengov)');
	const weight = zeroWeight(api, api.tx.sudo.sudoUncheckedWeight, 1);
	const tx = api.tx.sudo.sudoUncheckedWeight(inner.method, weight as never);
	return {
		tx,
		call: `sudo.sudoUncheckedWeight(${innerLabel})`,
		callLines: describeCall(tx.method as unknown as Call),
		callHash: tx.method.hash.toHex() as Hex,
		encodedLength: tx.method.toU8a().length,
	};
}

/**
 * Root through the sudo key for any call: `sudo.sudoUncheckedWeight(call, 0)` where the runtime has it, else
 * `sudo.sudo(call)` (runtimes before 2020, such as Kusama 1020, have only that). Undefined without a Sudo pallet.
 */
export function buildSudoRoot(api: ApiPromise, inner: SubmittableExtrinsic<'promise'>, innerLabel: string): UpgradePlan | undefined {
	if (hasSudo(api)) return buildSudoUnchecked(api, inner, innerLabel);
	if (!api.tx.sudo?.sudo || !api.query.sudo?.key) return undefined;
	const tx = api.tx.sudo.sudo(inner.method);
	return {
		tx,
		call: `sudo.sudo(${innerLabel})`,
		callLines: describeCall(tx.method as unknown as Call),
		callHash: tx.method.hash.toHex() as Hex,
		encodedLength: tx.method.toU8a().length,
	};
}

/** `sudo.sudoUncheckedWeight(system.setCode(code), 0)`: setCode's weight is the whole block, so the unchecked form is the one that fits. */
export function buildSudoSetCode(api: ApiPromise, code: Uint8Array): UpgradePlan {
	if (!hasSudo(api)) {
		throw new Error('this chain has no Sudo pallet; use a governance route (multisig-sudo, council-democracy or opengov)');
	}
	// A Uint8Array given to Bytes is read as already SCALE-encoded (length
	// prefix first); hex is taken as the raw content.
	const setCode = api.tx.system.setCode(codeArg(api, code));
	const weight = zeroWeight(api, api.tx.sudo.sudoUncheckedWeight, 1);
	const tx = api.tx.sudo.sudoUncheckedWeight(setCode, weight as never);
	const callU8a = tx.method.toU8a();
	return {
		tx,
		call: 'sudo.sudoUncheckedWeight(system.setCode)',
		callLines: describeCall(tx.method as unknown as Call),
		callHash: tx.method.hash.toHex() as Hex,
		encodedLength: callU8a.length,
	};
}

/** The sudo key, if the chain has Sudo and a key is set. Sudo.Key is a plain AccountId on older runtimes (9130) and an Option on newer ones. */
export async function sudoKey(api: ApiPromise): Promise<string | undefined> {
	const query = palletQuery<{ key?: () => Promise<{ isSome?: boolean; unwrap: () => unknown; toString: () => string }> }>(api, 'sudo');
	if (!query?.key) return undefined;
	const key = await query.key();
	return key.isSome === undefined ? key.toString() || undefined : key.isSome ? String(key.unwrap()) : undefined;
}

export async function sudoAuthority(api: ApiPromise, address: string): Promise<Authority> {
	const sudo = await sudoKey(api);
	if (!sudo) return { ok: false, text: 'this chain has no sudo key set' };
	const same = api.createType('AccountId', sudo).eq(api.createType('AccountId', address));
	return same
		? { ok: true, text: 'is the sudo key (Sudo.Key)' }
		: { ok: false, text: `${address} is not the sudo key; the sudo key is ${sudo}` };
}

/**
 * The rehearsal path a local environment may take where the chain refuses a member's signed call (Polkadot at
 * launch): the sudo key signs `sudo.sudoAs(member, call)`, which dispatches the call with the member's signed
 * origin. Refused when the chain has no `sudo.sudoAs` or the signer is not its sudo key.
 */
export async function sudoAsPlan(
	api: ApiPromise,
	sudoKeyAddress: string,
	member: string,
	tx: SubmittableExtrinsic<'promise'>,
): Promise<{ ok: true; tx: SubmittableExtrinsic<'promise'> } | { ok: false; reason: string; hint: string }> {
	const fn = palletTx(api, 'sudo')?.sudoAs;
	if (!fn) return { ok: false, reason: 'this chain has no sudo.sudoAs', hint: 'sign as the member: drop --sudo-as' };
	const authority = await sudoAuthority(api, sudoKeyAddress);
	if (!authority.ok)
		return { ok: false, reason: `--sudo-as needs the sudo key: ${authority.text}`, hint: "pass the chain's sudo key as the signer" };
	return { ok: true, tx: fn(member, tx.method) };
}
