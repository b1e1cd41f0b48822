/**
 * How long a block takes on this chain: measured from block timestamps where
 * there are enough blocks, else what the runtime says it expects. The one
 * derivation of block time (engine waits, `schedule`).
 */
import type { ApiPromise } from '@polkadot/api';
import { measuredBlockTime } from '../domain/enactment.js';
import { palletConsts, type NumberCodec } from './pallets/common.js';

/** The runtime's own figure: BABE's expected block time, Aura's slot duration, or twice Timestamp's minimum period; 6 s when none says. */
export function expectedBlockTimeMs(api: ApiPromise): number {
	const babe = palletConsts<{ expectedBlockTime?: NumberCodec }>(api, 'babe')?.expectedBlockTime;
	const aura = palletConsts<{ slotDuration?: NumberCodec }>(api, 'aura')?.slotDuration;
	const minimumPeriod = palletConsts<{ minimumPeriod?: NumberCodec }>(api, 'timestamp')?.minimumPeriod;
	const n = babe?.toNumber() ?? aura?.toNumber() ?? (minimumPeriod ? minimumPeriod.toNumber() * 2 : undefined);
	return n && n > 0 ? n : 6000;
}

export interface BlockTime {
	ms: number;
	how: 'measured' | 'expected';
	/** Over how many blocks it was measured (0 when expected). */
	over: number;
	best: number;
	bestAt: number;
}

async function timestampAt(api: ApiPromise, hash: string): Promise<number> {
	const now = (await (await api.at(hash)).query.timestamp.now()) as unknown as NumberCodec;
	return now.toNumber();
}

/** Measured over the last ≤100 blocks (not from genesis: its timestamp is the chain spec's); expected when the chain is too young. */
export async function chainBlockTime(api: ApiPromise): Promise<BlockTime> {
	const header = await api.rpc.chain.getHeader();
	const best = header.number.toNumber();
	const bestAt = await timestampAt(api, header.hash.toHex());
	const back = Math.min(100, best - 1);
	if (back > 0) {
		const oldHash = (await api.rpc.chain.getBlockHash(best - back)).toHex();
		const ms = measuredBlockTime(
			{ number: best - back, atMs: await timestampAt(api, oldHash).catch(() => NaN) },
			{ number: best, atMs: bestAt },
		);
		if (ms) return { ms, how: 'measured', over: back, best, bestAt };
	}
	return { ms: expectedBlockTimeMs(api), how: 'expected', over: 0, best, bestAt };
}
