/**
 * On-disk cache of offline runtime API results (`Core_version`,
 * `Metadata_metadata*`), keyed by the artifact's code hash. Those calls run
 * with an empty state, so their answers depend on the code alone: a second
 * inspection of the same wasm skips the executor. One JSON file per code hash
 * under `<store dir>/cache/runtime-calls-v1/`; best effort — an unreadable,
 * truncated or malformed file is ignored (and rewritten); a read-only directory
 * means no caching.
 *
 * Off when RELEASE_CONSOLE_CACHE=0, and under vitest (tests stay hermetic
 * unless they pass a directory).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RuntimeCallCache } from './executor.js';

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
	if (process.platform === 'win32') return path.join(process.env.APPDATA || path.join(userHome, 'AppData', 'Roaming'), name, 'Config', 'cache');
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
					for (const [k, v] of Object.entries(parsed.calls as Record<string, unknown>)) if (typeof v === 'string' && HEX.test(v)) entries[k] = v;
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
