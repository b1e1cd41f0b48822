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

// --- the genesis runtimes of Kusama and Polkadot, and their version-bumped copies ------------------------

/** The chains of source/devnet/genesis-chains.ts: their genesis `:code` is in the `rococo-9130` alias's chain specs. */
export type GenesisRuntimeChain = 'kusama-1020' | 'polkadot-0';

interface GenesisRuntimeFacts {
	specFile: string;
	specName: string;
	specVersion: number;
	/** blake2-256 of the genesis `:code` (plain wasm: these runtimes predate compressed code). */
	codeHash: Hex;
	/**
	 * Where the spec version lives in the code, and the bytes there: Kusama 1020's `Core_version` builds its
	 * RuntimeVersion with an `i32.const 1020` (LEB128 `fc 07`, the second of the code's two); Polkadot 0's reads it
	 * from the static VERSION in its data segment (the u32 after `impl_name`'s pointer and length, 0).
	 */
	patch: { offset: number; before: number[]; after: number[] };
	bumped: number;
}

export const GENESIS_RUNTIMES: Record<GenesisRuntimeChain, GenesisRuntimeFacts> = {
	'kusama-1020': {
		specFile: 'rococo-9130/dist/specs/kusama.json',
		specName: 'kusama',
		specVersion: 1020,
		codeHash: '0xe43ef38640d2c788641f3429a20a5c755ca41148c69bae1db772c9c7a60509e4',
		patch: { offset: 821_368, before: [0x41, 0xfc, 0x07], after: [0x41, 0xfd, 0x07] },
		bumped: 1021,
	},
	'polkadot-0': {
		specFile: 'rococo-9130/dist/specs/polkadot.json',
		specName: 'polkadot',
		specVersion: 0,
		codeHash: '0xe93ca5a470e38164262c423d5d5338c09bc63d8d0f495e874f4ba0eeeca5fb3b',
		patch: { offset: 1_649_656, before: [0, 0, 0, 0], after: [1, 0, 0, 0] },
		bumped: 1,
	},
};

const genesisRuntimeCache = new Map<string, Uint8Array>();

/** The genesis `:code` of Kusama or Polkadot, checked against its known hash. */
export function genesisRuntimeCode(chain: GenesisRuntimeChain): Uint8Array {
	const hit = genesisRuntimeCache.get(chain);
	if (hit) return hit;
	const facts = GENESIS_RUNTIMES[chain];
	const specPath = createRequire(import.meta.url).resolve(facts.specFile);
	const spec = JSON.parse(readFileSync(specPath, 'utf8')) as RawChainSpec;
	const hex = spec.genesis.raw.top[CODE_KEY];
	if (!hex) throw new Error(`${specPath} has no genesis :code`);
	const code = hexToU8a(hex);
	const hash = blake2AsHex(code, 256);
	if (hash !== facts.codeHash) throw new Error(`${specPath}'s genesis :code has hash ${hash}, not ${facts.codeHash}`);
	genesisRuntimeCache.set(chain, code);
	return code;
}

/**
 * The same genesis runtime with its spec version raised by one (Kusama 1021, Polkadot 1): no later runtime of
 * either chain is on npm, and both chains' `set_code` take only a higher version (Polkadot 0 refuses the same
 * one with `SpecVersionNeedsToIncrease`; Kusama 1020 takes it, but then nothing distinguishes old from new). Four
 * bytes at most differ from the real code; everything else runs as it ran on the chain.
 */
export function bumpedGenesisRuntimeCode(chain: GenesisRuntimeChain): Uint8Array {
	const key = `${chain}+1`;
	const hit = genesisRuntimeCache.get(key);
	if (hit) return hit;
	const { patch } = GENESIS_RUNTIMES[chain];
	const code = Uint8Array.from(genesisRuntimeCode(chain));
	const found = Array.from(code.subarray(patch.offset, patch.offset + patch.before.length));
	if (found.join() !== patch.before.join()) throw new Error(`${chain}'s code has ${found.join(' ')} at ${patch.offset}, not the version`);
	code.set(patch.after, patch.offset);
	genesisRuntimeCache.set(key, code);
	return code;
}

/** The file name `writeGenesisRuntimeWasm` uses. */
export function genesisRuntimeFileName(chain: GenesisRuntimeChain, which: 'genesis' | 'bumped'): string {
	const f = GENESIS_RUNTIMES[chain];
	return `${f.specName}_runtime-v${which === 'genesis' ? f.specVersion : f.bumped}${which === 'bumped' ? '-bumped' : ''}.wasm`;
}

/** Write the genesis runtime or its bumped copy to `dir` (created if needed) and return its path. */
export function writeGenesisRuntimeWasm(chain: GenesisRuntimeChain, which: 'genesis' | 'bumped', dir: string): string {
	mkdirSync(dir, { recursive: true });
	const file = path.resolve(dir, genesisRuntimeFileName(chain, which));
	writeFileSync(file, which === 'genesis' ? genesisRuntimeCode(chain) : bumpedGenesisRuntimeCode(chain));
	return file;
}
