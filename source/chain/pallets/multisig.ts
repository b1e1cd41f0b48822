/**
 * pallet-multisig: the multisig account of a set of signatories, and the
 * approvals an open multisig operation has.
 */
import type { ApiPromise } from '@polkadot/api';
import { createKeyMulti, encodeAddress, sortAddresses } from '@polkadot/util-crypto';
import type { Hex } from '../../domain/types.js';
import { palletQuery, sameAccount, type AccountCodec, type NumberCodec, type OptionCodec } from './common.js';

interface MultisigCodec {
	when: { height: NumberCodec; index: NumberCodec };
	approvals: AccountCodec[];
	depositor: AccountCodec;
}
interface MultisigStorage {
	multisigs: (address: string, callHash: Hex) => Promise<OptionCodec<MultisigCodec>>;
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
	if (value.isNone) return undefined;
	const m = value.unwrap();
	return {
		when: { height: m.when.height.toNumber(), index: m.when.index.toNumber() },
		approvals: m.approvals.map((a) => a.toString()),
		depositor: m.depositor.toString(),
	};
}
