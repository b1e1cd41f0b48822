/**
 * Real Rococo runtimes shipped inside npm packages (as the genesis `:code` of
 * their chain specs), for the sample release, the embedded chain and tests.
 * Both are zstd-compressed with the Substrate prefix, exactly as in `:code`.
 *
 * - 9130: `rococo-9130` (@substrate/connect 0.4.7) dist/specs/rococo.json
 * - 9140: `rococo-9140` (@substrate/connect 0.6.5) dist/connector/specs/rococo_v2_1.json
 *   (859,727 bytes, blake2-256 0xe49e1a81…8e05b6)
 *
 * And the asset hub of the embedded network (source/devnet/network.ts): statemine 900, the genesis
 * `:code` of asset-hub-rococo in @substrate/connect-known-chains (1.10.3, a direct dependency; the
 * same code as 1.1.0's, blake2-256 0x0be70b77…47ee). No second statemine code exists on npm, so the
 * para's "new" runtime is a byte-different copy of it (`rebuilt`): the same runtime, spec still 900,
 * with another code hash.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { decompress } from 'fzstd';
import { CODE_KEY, type Hex } from '../domain/primitives.js';

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

// --- the asset hub (statemine 900) --------------------------------------------------------------

/** The module of @substrate/connect-known-chains holding asset-hub-rococo's raw chain spec (as a JSON string, `chainSpec`). */
export const ASSET_HUB_SPEC_MODULE = '@substrate/connect-known-chains/rococo_v2_2_asset_hub';

/** statemine 900's code hash (the genesis `:code` of asset-hub-rococo). */
export const STATEMINE_900_CODE_HASH: Hex = '0x0be70b77f97295cdda6109a8476ada38b1c042240641e156ab97a6a0352f47ee';

/** The custom section's payload of the `rebuilt` asset hub code: fixed, so its hash is the same on every run. */
export const REBUILT_ASSET_HUB_TAG = 'release-console rebuilt statemine 900';

export type AssetHubCode = 'genesis' | 'rebuilt';

export interface RawChainSpec {
	id: string;
	name: string;
	properties?: Record<string, unknown>;
	genesis: { raw: { top: Record<string, string> } };
}

let assetHubSpec: RawChainSpec | undefined;

/** asset-hub-rococo's raw chain spec (its genesis holds statemine 900), read once. */
export function assetHubChainSpec(): RawChainSpec {
	// Loaded when asked (the spec is 2.5 MB of JSON), from the package's CommonJS build.
	assetHubSpec ??= JSON.parse((createRequire(import.meta.url)(ASSET_HUB_SPEC_MODULE) as { chainSpec: string }).chainSpec) as RawChainSpec;
	return assetHubSpec;
}

/** statemine 900 as the asset hub's genesis `:code` holds it (zstd-compressed, with the Substrate prefix). */
export function assetHubGenesisCode(): Uint8Array {
	const hex = assetHubChainSpec().genesis.raw.top[CODE_KEY];
	if (!hex) throw new Error(`${ASSET_HUB_SPEC_MODULE} has no genesis :code`);
	return hexToU8a(hex);
}

function leb128(n: number): Uint8Array {
	const out: number[] = [];
	do {
		let byte = n & 0x7f;
		n >>>= 7;
		if (n) byte |= 0x80;
		out.push(byte);
	} while (n);
	return Uint8Array.from(out);
}

/**
 * A byte-different statemine 900: the wasm decompressed (8-byte Substrate zstd prefix stripped) with a
 * custom section `release-console` holding `tag` appended. Uncompressed wasm is a valid `:code` (a blob
 * without the prefix is taken as is), 2.48 MB here, under the relay's 3 MiB maxCodeSize; the chain
 * accepts and runs it; its spec stays 900, its hash is new (and depends only on `tag`).
 */
export function byteDifferentAssetHubCode(tag = REBUILT_ASSET_HUB_TAG): Uint8Array {
	const wasm = decompress(assetHubGenesisCode().subarray(8));
	const name = new TextEncoder().encode('release-console');
	const payload = new TextEncoder().encode(tag);
	const body = u8aConcat(leb128(name.length), name, payload);
	return u8aConcat(wasm, Uint8Array.of(0), leb128(body.length), body);
}

const assetHubCache = new Map<AssetHubCode, Uint8Array>();

/** The asset hub code: `genesis` (statemine 900 as on chain) or `rebuilt` (the byte-different copy, spec still 900). */
export function assetHubCode(which: AssetHubCode): Uint8Array {
	let code = assetHubCache.get(which);
	if (!code) {
		code = which === 'genesis' ? assetHubGenesisCode() : byteDifferentAssetHubCode(REBUILT_ASSET_HUB_TAG);
		assetHubCache.set(which, code);
	}
	return code;
}

/** blake2-256 of the asset hub code (what `authorize_upgrade` names). */
export function assetHubCodeHash(which: AssetHubCode): Hex {
	return blake2AsHex(assetHubCode(which), 256) as Hex;
}

/** The file name `writeAssetHubWasm` uses: the genesis code is compressed, the rebuilt one is plain wasm. */
export function assetHubWasmFileName(which: AssetHubCode): string {
	return which === 'genesis'
		? 'asset_hub_rococo_runtime-statemine-v900.compact.compressed.wasm'
		: 'asset_hub_rococo_runtime-statemine-v900-rebuilt.wasm';
}

/** Write the asset hub code to `dir` (created if needed) and return its path. */
export function writeAssetHubWasm(dir: string, which: AssetHubCode): string {
	mkdirSync(dir, { recursive: true });
	const file = path.resolve(dir, assetHubWasmFileName(which));
	writeFileSync(file, assetHubCode(which));
	return file;
}
