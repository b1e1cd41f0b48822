/**
 * pallet-whitelist: is a call hash whitelisted?
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { palletQuery, type OptionCodec } from './common.js';

interface WhitelistStorage {
	whitelistedCall?: (callHash: Hex) => Promise<OptionCodec<unknown>>;
}

/** Whitelist.WhitelistedCall holds this call hash; undefined when the chain has no Whitelist pallet. */
export async function isWhitelisted(api: ApiPromise, callHash: Hex): Promise<boolean | undefined> {
	const entry = palletQuery<WhitelistStorage>(api, 'whitelist')?.whitelistedCall;
	if (!entry) return undefined;
	return (await entry(callHash)).isSome;
}
