/**
 * On-disk cache of offline runtime API results (`Core_version`,
 * `Metadata_metadata*`), keyed by the artifact's code hash. Those calls run
 * with an empty state, so their answers depend on the code alone: a second
 * inspection of the same wasm skips the executor. One JSON file per code hash
 * under `<store dir>/cache/runtime-calls-v1/`; best effort — an unreadable,
 * truncated or malformed file is ignored (and rewritten); a read-only directory
 * means no caching.
 *
 * Whole inspections are kept beside them by the file's SHA-256
 * (`inspections-v1/`, see openInspectionCache).
 *
 * Off when RELEASE_CONSOLE_CACHE=0, and under vitest (tests stay hermetic
 * unless they pass a directory).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hex } from '../domain/types.js';
import type { CallHashes } from './call-hashes.js';
import type { RuntimeCallCache } from './executor.js';
import type { PalletSummary } from './model.js';
import type { RuntimeVersionInfo } from './version.js';

const FORMAT = 'runtime-calls-v1';
const HEX = /^0x(?:[0-9a-f]{2})*$/;

/**
 * `<store dir>/cache`: $RELEASE_CONSOLE_HOME, else conf's default directory
 * for `release-console` (the same rule as store.ts's `resolveStoreDir`, kept
 * here so inspecting does not load the store). Undefined when caching is off.
 */
export function defaultCacheDir(): string | undefined {
	if (process.env.RELEASE_CONSOLE_CACHE === '0' || process.env.VITEST) return undefined;
	const home = process.env.RELEASE_CONSOLE_HOME;
	if (home) return path.resolve(home, 'cache');
	const name = 'release-console-nodejs';
	const userHome = os.homedir();
	if (process.platform === 'darwin') return path.join(userHome, 'Library', 'Preferences', name, 'cache');
	if (process.platform === 'win32')
		return path.join(process.env.APPDATA || path.join(userHome, 'AppData', 'Roaming'), name, 'Config', 'cache');
	return path.join(process.env.XDG_CONFIG_HOME || path.join(userHome, '.config'), name, 'cache');
}

/** A cache in `dir` (created on first write). Keys are `<codeHash>/<call>`. */
export function openRuntimeCallCache(dir: string): RuntimeCallCache & { dir: string; hits: number; misses: number } {
	const root = path.join(dir, FORMAT);
	const files = new Map<string, Record<string, string>>();
	const fileOf = (codeHash: string) => path.join(root, `${codeHash}.json`);
	const load = (codeHash: string): Record<string, string> => {
		let entries = files.get(codeHash);
		if (!entries) {
			entries = {};
			try {
				const parsed = JSON.parse(readFileSync(fileOf(codeHash), 'utf8')) as { codeHash?: unknown; calls?: unknown };
				if (parsed.codeHash === codeHash && parsed.calls && typeof parsed.calls === 'object') {
					for (const [k, v] of Object.entries(parsed.calls as Record<string, unknown>))
						if (typeof v === 'string' && HEX.test(v)) entries[k] = v;
				}
			} catch {
				// no entry yet, or a damaged one: start afresh
			}
			files.set(codeHash, entries);
		}
		return entries;
	};
	const split = (key: string): [string, string] | undefined => {
		const at = key.indexOf('/');
		const codeHash = key.slice(0, at);
		return at > 0 && /^0x[0-9a-f]{64}$/.test(codeHash) ? [codeHash, key.slice(at + 1)] : undefined;
	};
	const cache = {
		dir: root,
		hits: 0,
		misses: 0,
		get(key: string): Uint8Array | undefined {
			const k = split(key);
			const hex = k ? load(k[0])[k[1]] : undefined;
			if (hex === undefined) {
				cache.misses++;
				return undefined;
			}
			cache.hits++;
			return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
		},
		set(key: string, value: Uint8Array): void {
			const k = split(key);
			if (!k) return;
			const entries = load(k[0]);
			entries[k[1]] = `0x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
			try {
				mkdirSync(root, { recursive: true });
				const tmp = `${fileOf(k[0])}.${process.pid}.tmp`;
				writeFileSync(tmp, JSON.stringify({ codeHash: k[0], calls: entries }));
				renameSync(tmp, fileOf(k[0]));
			} catch {
				// a read-only store directory: inspect without caching
			}
		},
	};
	return cache;
}

/** What a whole inspection keeps (everything but the metadata object and the file's bytes). */
export interface CachedInspection {
	size: number;
	uncompressedSize: number;
	compressed: boolean;
	codeHash: Hex;
	version: RuntimeVersionInfo;
	metadataVersion: number;
	metadataVia: string;
	/** The metadata versions the runtime offers. */
	metadataVersions: number[];
	/** The runtime call (its key in the call cache) whose answer holds the metadata, and where the metadata starts in it. */
	metadataCall?: string;
	metadataOffset?: number;
	pallets: PalletSummary[];
	/** The call hashes with the artifact's own indices. */
	ownCallHashes: CallHashes;
	/** Warnings about the artifact itself (not the one about whose call indices the hashes use). */
	warnings: string[];
}

const INSPECTIONS = 'inspections-v1';
const META = [0x6d, 0x65, 0x74, 0x61];
const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function plausible(entry: unknown): entry is CachedInspection {
	const e = entry as Partial<CachedInspection> | null;
	return (
		!!e &&
		typeof e.size === 'number' &&
		typeof e.uncompressedSize === 'number' &&
		typeof e.compressed === 'boolean' &&
		typeof e.codeHash === 'string' &&
		/^0x[0-9a-f]{64}$/.test(e.codeHash) &&
		typeof e.version?.specName === 'string' &&
		typeof e.version.specVersion === 'number' &&
		Array.isArray(e.version.apis) &&
		typeof e.metadataVersion === 'number' &&
		typeof e.metadataVia === 'string' &&
		Array.isArray(e.metadataVersions) &&
		e.metadataVersions.every((v) => typeof v === 'number') &&
		Array.isArray(e.pallets) &&
		typeof e.ownCallHashes?.setCode === 'object' &&
		Array.isArray(e.warnings)
	);
}

/**
 * Whole inspections, one JSON file per file SHA-256 under
 * `<store dir>/cache/inspections-v1/`. An entry is derived from the runtime
 * calls' answers in the call cache above and names them with their digests: it
 * is used only while every one of them is still there, unchanged (a damaged
 * call entry sends the next inspection back to the executor). The metadata
 * itself stays in the call cache.
 */
export function openInspectionCache(dir: string) {
	const root = path.join(dir, INSPECTIONS);
	const fileOf = (sha256: string) => path.join(root, `${sha256}.json`);
	return {
		dir: root,
		get(sha256: string, calls: RuntimeCallCache): { entry: CachedInspection; metadataBytes?: Uint8Array } | undefined {
			try {
				const parsed = JSON.parse(readFileSync(fileOf(sha256), 'utf8')) as {
					format?: unknown;
					sha256?: unknown;
					calls?: Record<string, unknown>;
					inspection?: unknown;
				};
				if (
					parsed.format !== INSPECTIONS ||
					parsed.sha256 !== sha256 ||
					!parsed.calls ||
					typeof parsed.calls !== 'object' ||
					!plausible(parsed.inspection)
				)
					return undefined;
				const entry = parsed.inspection;
				for (const [key, want] of Object.entries(parsed.calls)) {
					if (!key.startsWith(`${entry.codeHash}/`)) return undefined;
					const answer = calls.get(key);
					if (!answer || digest(answer) !== want) return undefined;
				}
				let metadataBytes: Uint8Array | undefined;
				if (entry.metadataCall !== undefined) {
					if (!(entry.metadataCall in parsed.calls)) return undefined;
					metadataBytes = calls.get(entry.metadataCall)?.subarray(entry.metadataOffset ?? 0);
					if (!metadataBytes || !META.every((b, i) => metadataBytes![i] === b)) return undefined;
				}
				return { entry, metadataBytes };
			} catch {
				return undefined; // none yet, or damaged: inspect afresh
			}
		},
		/** Store `entry`, derived from the answers to `keys` in `calls`. */
		set(sha256: string, calls: RuntimeCallCache, keys: string[], entry: CachedInspection): void {
			const digests: Record<string, string> = {};
			for (const key of keys) {
				const answer = calls.get(key);
				if (!answer) return; // an answer the call cache could not keep: nothing to derive from
				digests[key] = digest(answer);
			}
			try {
				mkdirSync(root, { recursive: true });
				const tmp = `${fileOf(sha256)}.${process.pid}.tmp`;
				writeFileSync(tmp, JSON.stringify({ format: INSPECTIONS, sha256, calls: digests, inspection: entry }));
				renameSync(tmp, fileOf(sha256));
			} catch {
				// a read-only store directory: no caching
			}
		},
	};
}
