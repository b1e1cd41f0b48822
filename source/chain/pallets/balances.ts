/**
 * pallet-balances: total issuance (what referendum turnout and support are measured against).
 */
import type { ApiPromise } from '@polkadot/api';
import { palletQuery, type BalanceCodec } from './common.js';

interface BalancesStorage {
	totalIssuance?: () => Promise<BalanceCodec>;
}

/** Undefined when the chain has no Balances pallet. */
export async function totalIssuance(api: ApiPromise): Promise<bigint | undefined> {
	const entry = palletQuery<BalancesStorage>(api, 'balances')?.totalIssuance;
	return entry ? (await entry()).toBigInt() : undefined;
}
