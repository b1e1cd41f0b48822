/**
 * The metadata of a runtime, executed offline: `Metadata_metadata_at_version`
 * with 15, then 14 (when the runtime exports it), falling back to
 * `Metadata_metadata`.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactFromU8a, hexToU8a, isHex, isU8a, u8aToU8a } from '@polkadot/util';
import type { Hex } from '../domain/types.js';
import { ArtifactError, describeError, type ArtifactErrorCode } from './errors.js';
import { callRuntimeApi, type RuntimeCallCache } from './executor.js';
import { exportedFunctions, parseWasmModule, type WasmModuleInfo } from './wasm.js';

/** Metadata versions asked for through `Metadata_metadata_at_version`, best first. */
export const PREFERRED_METADATA_VERSIONS = [15, 14] as const;

/** 'meta' */
const META_MAGIC = Uint8Array.of(0x6d, 0x65, 0x74, 0x61);

export type MetadataInput = Metadata | Uint8Array | Hex;

export interface MetadataResult {
	metadata: Metadata;
	/** The metadata bytes (magic + version + body). */
	bytes: Uint8Array;
	/** The version of the metadata format. */
	version: number;
	/** Which runtime API produced it. */
	via: string;
}

function hasMagic(bytes: Uint8Array): boolean {
	return bytes.length > 5 && META_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Strip the SCALE wrappers a runtime or an RPC puts around metadata:
 * `OpaqueMetadata` (compact length prefix) and `Option<OpaqueMetadata>`.
 */
export function unwrapMetadataBytes(raw: Uint8Array): Uint8Array | undefined {
	if (hasMagic(raw)) return raw;
	// Option<OpaqueMetadata>: 0x01 ++ compact ++ bytes
	if (raw[0] === 1) {
		const [offset, length] = decodeCompactSafe(raw.subarray(1));
		if (offset > 0 && 1 + offset + length === raw.length && hasMagic(raw.subarray(1 + offset))) return raw.subarray(1 + offset);
	}
	const [offset, length] = decodeCompactSafe(raw);
	if (offset > 0 && offset + length === raw.length && hasMagic(raw.subarray(offset))) return raw.subarray(offset);
	return undefined;
}

function decodeCompactSafe(bytes: Uint8Array): [offset: number, length: number] {
	try {
		if (bytes.length === 0) return [0, 0];
		const [offset, length] = compactFromU8a(bytes);
		return length.bitLength() > 48 ? [0, 0] : [offset, length.toNumber()];
	} catch {
		return [0, 0];
	}
}

/** Decode metadata bytes (with or without the Opaque/Option wrappers) into a Metadata with its own registry. */
export function decodeMetadata(input: MetadataInput, code: ArtifactErrorCode = 'bad-input-metadata', path?: string): Metadata {
	if (input instanceof Metadata) return input;
	// A Metadata from another copy of @polkadot/types (e.g. one nested under @polkadot/api).
	if (typeof input === 'object' && input !== null && !isU8a(input) && 'asLatest' in input) return input as Metadata;
	let bytes: Uint8Array;
	try {
		bytes = isU8a(input) ? input : isHex(input) ? hexToU8a(input) : u8aToU8a(input);
	} catch (error) {
		throw new ArtifactError(code, `metadata is neither bytes nor hex: ${describeError(error)}`, 'Pass SCALE-encoded metadata', path);
	}
	const body = unwrapMetadataBytes(bytes);
	if (!body) {
		throw new ArtifactError(
			code,
			`${bytes.length} bytes of metadata without the "meta" magic`,
			'Pass the metadata as returned by state_getMetadata or Metadata_metadata',
			path,
		);
	}
	try {
		const metadata = new Metadata(new TypeRegistry(), body);
		// Before v14 the types are names, not a portable registry: @polkadot/types converts v9–v13 to the latest
		// shape (pallets, calls, storage and constants by name); the metadata-versions gate says what is missing.
		if (metadata.version < 9) throw new Error(`metadata v${metadata.version} is older than v9 (2019), which nothing here reads`);
		void metadata.asLatest;
		return metadata;
	} catch (error) {
		throw new ArtifactError(
			code,
			`metadata does not decode: ${describeError(error)}`,
			'The runtime must provide metadata v14 or later',
			path,
			{ cause: error },
		);
	}
}

function u32le(n: number): Uint8Array {
	return Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
}

export interface MetadataOptions {
	module?: WasmModuleInfo;
	path?: string;
	/** Answer the metadata calls from / store them in this cache, keyed by `cacheKey` (the code hash). */
	cache?: RuntimeCallCache;
	cacheKey?: string;
}

/** Execute the runtime's metadata API and return the decoded metadata plus how it was obtained. */
export async function metadataOfCode(code: Uint8Array, options: MetadataOptions = {}): Promise<MetadataResult> {
	const module = options.module ?? parseWasmModule(code, options.path);
	const funcs = exportedFunctions(module);
	const call = { path: options.path, cache: options.cache, cacheKey: options.cacheKey };
	let body: Uint8Array | undefined;
	let via = 'Metadata_metadata';
	if (funcs.has('Metadata_metadata_at_version')) {
		for (const version of PREFERRED_METADATA_VERSIONS) {
			const raw = await callRuntimeApi(code, 'Metadata_metadata_at_version', [u32le(version)], call);
			if (raw.length === 0) {
				throw new ArtifactError(
					'bad-metadata',
					'Metadata_metadata_at_version returned nothing',
					'The wasm is corrupt or not a Substrate runtime',
					options.path,
				);
			}
			if (raw[0] === 0) continue; // None: version not supported
			body = unwrapMetadataBytes(raw);
			if (!body) {
				throw new ArtifactError(
					'bad-metadata',
					`Metadata_metadata_at_version(${version}) returned ${raw.length} bytes that are not metadata`,
					'The wasm is corrupt or not a Substrate runtime',
					options.path,
				);
			}
			via = `Metadata_metadata_at_version(${version})`;
			break;
		}
	}
	if (!body) {
		const raw = await callRuntimeApi(code, 'Metadata_metadata', [], call);
		body = unwrapMetadataBytes(raw);
		if (!body) {
			throw new ArtifactError(
				'bad-metadata',
				`Metadata_metadata returned ${raw.length} bytes that are not metadata`,
				'The wasm is corrupt or not a Substrate runtime',
				options.path,
			);
		}
	}
	const metadata = decodeMetadata(body, 'bad-metadata', options.path);
	return { metadata, bytes: body, version: metadata.version, via };
}

/**
 * The metadata versions a runtime offers: `Metadata_metadata_versions` (Metadata API v2) where it exports
 * it, else only `fallback` (the version `Metadata_metadata` returned, v14 on every runtime before that API).
 * Ascending, without duplicates; u32::MAX is a runtime's "unstable" version.
 */
export async function metadataVersionsOfCode(code: Uint8Array, fallback: number, options: MetadataOptions = {}): Promise<number[]> {
	const module = options.module ?? parseWasmModule(code, options.path);
	if (!exportedFunctions(module).has('Metadata_metadata_versions')) return [fallback];
	const raw = await callRuntimeApi(code, 'Metadata_metadata_versions', [], {
		path: options.path,
		cache: options.cache,
		cacheKey: options.cacheKey,
	});
	const versions = decodeU32Vec(raw);
	if (!versions) {
		throw new ArtifactError(
			'bad-metadata',
			`Metadata_metadata_versions returned ${raw.length} bytes that are not a Vec<u32>`,
			'The wasm is corrupt or not a Substrate runtime',
			options.path,
		);
	}
	return [...new Set(versions)].sort((a, b) => a - b);
}

/** SCALE `Vec<u32>`, or undefined when the bytes are not exactly one. */
export function decodeU32Vec(raw: Uint8Array): number[] | undefined {
	const [offset, length] = decodeCompactSafe(raw);
	if ((offset === 0 && raw.length > 0) || raw.length === 0 || offset + length * 4 !== raw.length) return undefined;
	const view = new DataView(raw.buffer, raw.byteOffset + offset, length * 4);
	return Array.from({ length }, (_, i) => view.getUint32(i * 4, true));
}

/** The runtime's metadata (prefers v15, then v14, then whatever `Metadata_metadata` returns). */
export async function metadataOf(code: Uint8Array, options: MetadataOptions = {}): Promise<Metadata> {
	return (await metadataOfCode(code, options)).metadata;
}
