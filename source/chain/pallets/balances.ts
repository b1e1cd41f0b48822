/**
 * pallet-balances: total issuance (what referendum turnout and support are measured against), and an account's
 * free balance wherever the runtime keeps it.
 */
import type { ApiPromise } from '@polkadot/api';
import { palletQuery, type BalanceCodec } from './common.js';

interface BalancesStorage {
	totalIssuance?: () => Promise<BalanceCodec>;
	/** Before accounts moved into System.Account (2019: Kusama 1020). */
	freeBalance?: (who: string) => Promise<BalanceCodec>;
}

/** Undefined when the chain has no Balances pallet. */
export async function totalIssuance(api: ApiPromise): Promise<bigint | undefined> {
	const entry = palletQuery<BalancesStorage>(api, 'balances')?.totalIssuance;
	return entry ? (await entry()).toBigInt() : undefined;
}

/** An account's free balance: System.Account, or Balances.FreeBalance (2019). */
export async function freeBalance(api: ApiPromise, who: string): Promise<bigint> {
	const system = palletQuery<{ account?: (who: string) => Promise<{ data: { free: BalanceCodec } }> }>(api, 'system');
	if (system?.account) return (await system.account(who)).data.free.toBigInt();
	const legacy = palletQuery<BalancesStorage>(api, 'balances')?.freeBalance;
	if (legacy) return (await legacy(who)).toBigInt();
	throw new Error('this chain has neither System.Account nor Balances.FreeBalance');
}
