/**
 * Enactment time and liveness, pure. Block numbers from wall-clock times use
 * the environment's measured block time; the Fellowship aims enactments at
 * Monday–Wednesday 08:00 UTC.
 */

/** The block expected at `targetTimeMs` (rounded up: never before the target), from the current block and time. */
export function enactmentBlockFor(targetTimeMs: number, nowBlock: number, nowMs: number, blockTimeMs: number): number {
	if (!(blockTimeMs > 0) || !Number.isFinite(blockTimeMs))
		throw new RangeError(`block time must be a positive number of ms (got ${blockTimeMs})`);
	if (!Number.isInteger(nowBlock) || nowBlock < 0) throw new RangeError(`current block must be a whole number ≥ 0 (got ${nowBlock})`);
	if (targetTimeMs <= nowMs) return nowBlock + 1;
	return nowBlock + Math.ceil((targetTimeMs - nowMs) / blockTimeMs);
}

/** When `block` is expected (ms since the epoch), from the current block and time; earlier blocks give past times. */
export function expectedTimeOf(block: number, nowBlock: number, nowMs: number, blockTimeMs: number): number {
	if (!(blockTimeMs > 0) || !Number.isFinite(blockTimeMs))
		throw new RangeError(`block time must be a positive number of ms (got ${blockTimeMs})`);
	return nowMs + (block - nowBlock) * blockTimeMs;
}

/** Monday–Wednesday (UTC day numbers 1–3). */
export const ENACTMENT_DAYS = [1, 2, 3] as const;
export const ENACTMENT_HOUR_UTC = 8;

/**
 * The next Monday, Tuesday or Wednesday 08:00 UTC strictly after `fromMs`
 * plus `minLeadMs` (e.g. the referendum's remaining decision and enactment
 * period), as ms since the epoch.
 */
export function nextEnactmentWindow(fromMs: number, minLeadMs = 0): number {
	const earliest = fromMs + Math.max(0, minLeadMs);
	const day = new Date(earliest);
	day.setUTCHours(ENACTMENT_HOUR_UTC, 0, 0, 0);
	for (let i = 0; i < 8; i++) {
		const candidate = day.getTime() + i * 86_400_000;
		const weekday = new Date(candidate).getUTCDay();
		if (candidate > earliest && (ENACTMENT_DAYS as readonly number[]).includes(weekday)) return candidate;
	}
	/* c8 ignore next */
	throw new Error('unreachable: a Monday–Wednesday occurs within 8 days');
}

/** Whether a time (ms since the epoch) falls in the release window: a Monday, Tuesday or Wednesday, from 08:00 UTC. */
export function inEnactmentWindow(ms: number): boolean {
	const at = new Date(ms);
	return (ENACTMENT_DAYS as readonly number[]).includes(at.getUTCDay()) && at.getUTCHours() >= ENACTMENT_HOUR_UTC;
}

/** Measured block time from two blocks (ms per block); undefined when it cannot be measured. */
export function measuredBlockTime(a: { number: number; atMs: number }, b: { number: number; atMs: number }): number | undefined {
	const blocks = b.number - a.number;
	const ms = b.atMs - a.atMs;
	return blocks > 0 && ms > 0 ? ms / blocks : undefined;
}

export interface LivenessState {
	alarm: boolean;
	/** Seconds since the last block. */
	silentSeconds: number;
	/** Seconds of silence that raise the alarm. */
	thresholdSeconds: number;
	message: string;
}

/** No block within `multiple` × the block time → alarm. */
export function livenessAlarm(lastBlockAtMs: number, nowMs: number, blockTimeMs: number, multiple = 3): LivenessState {
	if (!(blockTimeMs > 0)) throw new RangeError(`block time must be a positive number of ms (got ${blockTimeMs})`);
	if (!(multiple > 0)) throw new RangeError(`multiple must be positive (got ${multiple})`);
	const silentMs = Math.max(0, nowMs - lastBlockAtMs);
	const thresholdMs = blockTimeMs * multiple;
	const alarm = silentMs > thresholdMs;
	const silentSeconds = Math.floor(silentMs / 1000);
	const thresholdSeconds = Math.round(thresholdMs / 1000);
	return {
		alarm,
		silentSeconds,
		thresholdSeconds,
		message: alarm
			? `no block for ${silentSeconds}s (more than ${multiple}× the ${blockTimeMs / 1000}s block time): block production may have stopped — see the recovery plan`
			: `last block ${silentSeconds}s ago`,
	};
}
