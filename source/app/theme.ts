/**
 * The console's look in one place: colours, status symbols and the small
 * formatters every component uses. Display only: no I/O, no state.
 *
 * Colour is never the only carrier of meaning: every status below has a
 * symbol and a word, so the UI still reads with NO_COLOR / FORCE_COLOR=0.
 */
import type { GateStatus, StageStatus } from '../domain/types.js';

/** Ink `color` values. */
export const colors = {
	ok: 'green',
	warn: 'yellow',
	bad: 'red',
	muted: 'gray',
	accent: 'cyan',
} as const;

export type Tone = keyof typeof colors;

export const symbols = {
	done: '✔',
	active: '▶',
	waiting: '…',
	failed: '✖',
	pending: '○',
	waived: '⊘',
	info: 'ℹ',
	warning: '⚠',
	pointer: '❯',
	arrow: '→',
	separator: '·',
	ellipsis: '…',
	barFull: '█',
	barEmpty: '░',
} as const;

export interface StatusStyle {
	symbol: string;
	word: string;
	/** Ink colour, or undefined for the default foreground. */
	color: (typeof colors)[Tone] | undefined;
}

export const stageStatusStyle: Record<StageStatus, StatusStyle> = {
	done: { symbol: symbols.done, word: 'done', color: colors.ok },
	active: { symbol: symbols.active, word: 'active', color: colors.accent },
	waiting: { symbol: symbols.waiting, word: 'waiting', color: colors.warn },
	failed: { symbol: symbols.failed, word: 'failed', color: colors.bad },
	pending: { symbol: symbols.pending, word: 'pending', color: colors.muted },
};

/** Gates and artifact checks share these. */
export type CheckStatus = GateStatus;

export const checkStatusStyle: Record<CheckStatus, StatusStyle> = {
	pass: { symbol: symbols.done, word: 'pass', color: colors.ok },
	fail: { symbol: symbols.failed, word: 'fail', color: colors.bad },
	pending: { symbol: symbols.pending, word: 'pending', color: colors.muted },
	waived: { symbol: symbols.waived, word: 'waived', color: colors.warn },
};

/** `0xe49e4ca2…9f3c05b6` style: `0x` + first 4 + `…` + last 4 hex digits. */

/** 859727 → "859,727" (locale independent). */
export function formatInt(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	const sign = n < 0 ? '-' : '';
	const digits = String(Math.trunc(Math.abs(n)));
	return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/**
 * SI (1000-based) bytes with one decimal: 999 → "999 B", 859727 → "859.7 kB",
 * 1048576 → "1.0 MB". Rounding never shows "1000.0 kB".
 */
export function formatBytes(n: number): string {
	if (!Number.isFinite(n)) return `${n} B`;
	if (Math.round(Math.abs(n)) < 1000) return `${Math.round(n)} B`;
	let value = n / 1000;
	let unit = 0;
	while (Math.abs(Math.round(value * 10) / 10) >= 1000 && unit < BYTE_UNITS.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** "859.7 kB (859,727 bytes)" */
export function formatBytesExact(n: number): string {
	return `${formatBytes(n)} (${formatInt(n)} ${n === 1 ? 'byte' : 'bytes'})`;
}

/** Seconds → "45s", "2m 05s", "1h 02m". Negative and NaN clamp to 0. */
export function formatDuration(seconds: number): string {
	const s = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
	const h = Math.floor(m / 60);
	return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Seconds → "3s ago", "2m 05s ago". */
export function formatAgo(seconds: number): string {
	return `${formatDuration(seconds)} ago`;
}
