/** Helpers several pallets share (MultiAddress lookup, bytes arguments, conviction arithmetic). */
import { DispatchErr, type Runtime } from '../runtime.js';

/** sp_runtime's AccountIdLookup over MultiAddress: only `Id` (and `Address32`) are modelled. */
export function lookup(rt: Runtime, address: any): string {
	if (address.type === 'Id' || address.type === 'Address32') return rt.registry.createType('AccountId', address.value.toU8a()).toString();
	throw new DispatchErr({ CannotLookup: null }, 'CannotLookup (only MultiAddress::Id is modelled)');
}

/** A `Vec<u8>` / `Bytes` argument's bytes, without the length prefix. */
export const bytesArg = (a: any): Uint8Array => a.toU8a(true);

/** Conviction::votes (pallet_democracy and pallet_conviction_voting alike): (votes, capital). */
export function convictionVotes(conviction: number, balance: bigint): { votes: bigint; capital: bigint } {
	return { votes: conviction === 0 ? balance / 10n : balance * BigInt(conviction), capital: balance };
}
