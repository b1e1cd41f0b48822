/**
 * pallet-multisig: the multisig account of a set of signatories, and the
 * approvals an open multisig operation has.
 */
import type { ApiPromise } from '@polkadot/api';
import { compactStripLength } from '@polkadot/util';
import { createKeyMulti, encodeAddress, sortAddresses } from '@polkadot/util-crypto';
import type { Hex } from '../../domain/types.js';
import { palletQuery, sameAccount, type AccountCodec, type NumberCodec, type OptionCodec } from './common.js';

interface MultisigCodec {
	when: { height: NumberCodec; index: NumberCodec };
	approvals: AccountCodec[];
	depositor: AccountCodec;
}
interface MultisigStorage {
	multisigs: ((address: string, callHash: Hex) => Promise<OptionCodec<MultisigCodec>>) & {
		entries: () => Promise<Array<[{ args: [AccountCodec, { toHex: () => string }] }, OptionCodec<MultisigCodec>]>>;
	};
	/** Older pallets (until 2022): the call, stored by `as_multi(…, store_call: true, …)`, with its depositor and deposit. */
	calls?: (callHash: Hex) => Promise<OptionCodec<[{ toU8a: (bare?: boolean) => Uint8Array }, AccountCodec, unknown]>>;
}

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
	/** The timepoint of the first approval. */
	when: { height: number; index: number };
	approvals: string[];
	depositor: string;
}

export async function multisigState(api: ApiPromise, address: string, callHash: Hex): Promise<MultisigState | undefined> {
	const q = palletQuery<MultisigStorage>(api, 'multisig');
	if (!q) throw new Error('this chain has no Multisig pallet');
	const value = await q.multisigs(address, callHash);
	return value.isNone ? undefined : stateOf(value.unwrap());
}

function stateOf(m: MultisigCodec): MultisigState {
	return {
		when: { height: m.when.height.toNumber(), index: m.when.index.toNumber() },
		approvals: m.approvals.map((a) => a.toString()),
		depositor: m.depositor.toString(),
	};
}

/** Every open multisig operation for a call hash: the multisig account and its approvals. */
export async function pendingMultisigs(api: ApiPromise, callHash: Hex): Promise<Array<{ address: string; state: MultisigState }>> {
	const q = palletQuery<MultisigStorage>(api, 'multisig');
	if (!q) throw new Error('this chain has no Multisig pallet');
	const out: Array<{ address: string; state: MultisigState }> = [];
	for (const [key, value] of await q.multisigs.entries()) {
		if (key.args[1].toHex() !== callHash || value.isNone) continue;
		out.push({ address: key.args[0].toString(), state: stateOf(value.unwrap()) });
	}
	return out;
}

/** Call hashes of every open multisig operation (to say what there is to review). */
export async function pendingMultisigHashes(api: ApiPromise): Promise<Hex[]> {
	const q = palletQuery<MultisigStorage>(api, 'multisig');
	if (!q) return [];
	return [...new Set((await q.multisigs.entries()).map(([key]) => key.args[1].toHex() as Hex))];
}

/**
 * The call a multisig operation dispatches, where the chain stores it (Multisig.Calls, on pallets before
 * 2022): its bytes (without the opaque wrapper's length prefix); undefined where it is not stored.
 */
export async function storedMultisigCall(api: ApiPromise, callHash: Hex): Promise<Uint8Array | undefined> {
	const q = palletQuery<MultisigStorage>(api, 'multisig');
	if (!q?.calls) return undefined;
	const value = await q.calls(callHash);
	if (value.isNone) return undefined;
	return compactStripLength(value.unwrap()[0].toU8a())[1];
}

/** Whether this chain's multisig pallet can store calls at all. */
export function storesMultisigCalls(api: ApiPromise): boolean {
	return Boolean(palletQuery<MultisigStorage>(api, 'multisig')?.calls);
}
