/**
 * Real Rococo runtimes shipped inside npm packages (as the genesis `:code` of
 * their chain specs), for the sample release, the embedded chain and tests.
 * Both are zstd-compressed with the Substrate prefix, exactly as in `:code`.
 *
 * - 9130: `rococo-9130` (@substrate/connect 0.4.7) dist/specs/rococo.json
 * - 9140: `rococo-9140` (@substrate/connect 0.6.5) dist/connector/specs/rococo_v2_1.json
 *   (859,727 bytes, blake2-256 0xe49e1a81…8e05b6)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hexToU8a } from '@polkadot/util';
import { CODE_KEY } from '../domain/primitives.js';

export type RococoVersion = 9130 | 9140;

const SPECS: Record<RococoVersion, string> = {
	9130: 'rococo-9130/dist/specs/rococo.json',
	9140: 'rococo-9140/dist/connector/specs/rococo_v2_1.json',
};

const cache = new Map<RococoVersion, { code: Uint8Array; specPath: string }>();

/** The chain spec file of an embedded Rococo version. */
export function rococoSpecPath(version: RococoVersion): string {
	const spec = SPECS[version];
	if (!spec) throw new Error(`no embedded Rococo runtime ${version}; available: ${Object.keys(SPECS).join(', ')}`);
	return createRequire(import.meta.url).resolve(spec);
}

/** The genesis `:code` (compressed, as stored on chain) of an embedded Rococo version. */
export function rococoRuntime(version: RococoVersion): { code: Uint8Array; specPath: string } {
	const hit = cache.get(version);
	if (hit) return hit;
	const specPath = rococoSpecPath(version);
	const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { genesis?: { raw?: { top?: Record<string, string> } } };
	const hex = spec.genesis?.raw?.top?.[CODE_KEY];
	if (!hex) throw new Error(`${specPath} has no genesis :code`);
	const entry = { code: hexToU8a(hex), specPath };
	cache.set(version, entry);
	return entry;
}

/** The file name `writeRococoWasm` uses. */
export function rococoWasmFileName(version: RococoVersion): string {
	return `rococo_runtime-v${version}.compact.compressed.wasm`;
}

/** Write the runtime to `dir` (created if needed) as a `.compact.compressed.wasm` and return its path. */
export function writeRococoWasm(version: RococoVersion, dir: string): string {
	const { code } = rococoRuntime(version);
	mkdirSync(dir, { recursive: true });
	const file = path.resolve(dir, rococoWasmFileName(version));
	writeFileSync(file, code);
	return file;
}
