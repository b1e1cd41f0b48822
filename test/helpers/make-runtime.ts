/**
 * Test runtimes, hand-assembled: a minimal wasm module that exports `memory`,
 * `__heap_base`, `Core_version`, `Metadata_metadata` (and optionally
 * `Metadata_metadata_at_version` / `Metadata_metadata_versions`), whose
 * functions return SCALE bytes held in data segments, packed as the Substrate
 * ABI expects (`ptr | len << 32` in an i64). Optionally with the
 * `runtime_version` and `runtime_apis` custom sections.
 *
 * Also zstd framing (raw and RLE blocks, no real compression) to build
 * compressed artifacts and size bombs without a zstd encoder.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { compactToU8a, hexToU8a, isHex, u8aConcat } from '@polkadot/util';
import { ZSTD_PREFIX } from '../../source/artifact/read.js';
import { unwrapMetadataBytes } from '../../source/artifact/metadata.js';

export interface RuntimeVersionInput {
	specName?: string;
	implName?: string;
	authoringVersion?: number;
	specVersion?: number;
	implVersion?: number;
	transactionVersion?: number;
	stateVersion?: number;
	/** [api name or 0x id (8 bytes), version]; default Core v4, Metadata v1 (v2 with at_version). */
	apis?: [string, number][];
}

export interface MakeRuntimeOptions {
	version?: RuntimeVersionInput;
	metadata: Metadata | Uint8Array | `0x${string}`;
	/** Export Metadata_metadata_at_version answering Some(metadata) for these versions, None otherwise. */
	metadataAtVersion?: number[];
	/** Embed `runtime_version` + `runtime_apis` custom sections. */
	customSection?: boolean;
	/** Replace what Core_version returns (e.g. garbage). */
	coreVersionBytes?: Uint8Array;
	/** Replace what Metadata_metadata returns. */
	metadataBytes?: Uint8Array;
	/** Which of the runtime functions to export (default all). */
	exports?: string[];
}

// ---------------------------------------------------------------- encoding helpers

const uleb = (value: number): number[] => {
	const out: number[] = [];
	let n = value >>> 0;
	do {
		let b = n & 0x7f;
		n >>>= 7;
		if (n) b |= 0x80;
		out.push(b);
	} while (n);
	return out;
};

const sleb = (input: bigint | number): number[] => {
	let v = BigInt(input);
	const out: number[] = [];
	for (;;) {
		const b = Number(v & 0x7fn);
		v >>= 7n;
		if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) {
			out.push(b);
			return out;
		}
		out.push(b | 0x80);
	}
};

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => {
	const b = [...new TextEncoder().encode(s)];
	return [...uleb(b.length), ...b];
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const bigSection = (id: number, body: Uint8Array): Uint8Array => u8aConcat(Uint8Array.from([id, ...uleb(body.length)]), body);

function apiId(nameOrId: string): Uint8Array {
	return isHex(nameOrId) ? hexToU8a(nameOrId) : blake2AsU8a(nameOrId, 64);
}

const registry = new TypeRegistry();

/** SCALE RuntimeVersion, shaped by the Core API version (v3 adds transaction_version, v4 state_version). */
export function encodeRuntimeVersion(input: RuntimeVersionInput = {}, withApis = true): Uint8Array {
	const apis = input.apis ?? [
		['Core', 4],
		['Metadata', 1],
	];
	const core = apis.find(([n]) => n === 'Core')?.[1] ?? 4;
	const value = {
		specName: input.specName ?? 'test-runtime',
		implName: input.implName ?? 'test-node',
		authoringVersion: input.authoringVersion ?? 1,
		specVersion: input.specVersion ?? 100,
		implVersion: input.implVersion ?? 0,
		apis: withApis ? apis.map(([n, v]) => [apiId(n), v]) : [],
		transactionVersion: input.transactionVersion ?? 1,
		stateVersion: input.stateVersion ?? 1,
	};
	const type = core >= 4 ? 'RuntimeVersion' : core >= 3 ? 'RuntimeVersionPre4' : 'RuntimeVersionPre3';
	return registry.createType(type, value).toU8a();
}

function runtimeApisSection(input: RuntimeVersionInput = {}): Uint8Array {
	const apis = input.apis ?? [
		['Core', 4],
		['Metadata', 1],
	];
	return u8aConcat(...apis.map(([n, v]) => u8aConcat(apiId(n), Uint8Array.of(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24))));
}

export function metadataBytesOf(metadata: Metadata | Uint8Array | `0x${string}`): Uint8Array {
	const raw = metadata instanceof Metadata ? metadata.toU8a() : typeof metadata === 'string' ? hexToU8a(metadata) : metadata;
	const body = unwrapMetadataBytes(raw);
	if (!body) throw new Error('not metadata');
	return body;
}

// ---------------------------------------------------------------- module

type Body = number[];

/** The wasm bytes of a test runtime. */
export function makeRuntime(options: MakeRuntimeOptions): Uint8Array {
	const meta = metadataBytesOf(options.metadata);
	const opaque = u8aConcat(compactToU8a(meta.length), meta);
	const atVersion = options.metadataAtVersion;
	const version = {
		...options.version,
		apis: options.version?.apis ?? [
			['Core', 4],
			['Metadata', atVersion ? 2 : 1],
		],
	} satisfies RuntimeVersionInput;

	const segments: { ptr: number; bytes: Uint8Array }[] = [];
	let next = 1024;
	const place = (bytes: Uint8Array): bigint => {
		const ptr = next;
		segments.push({ ptr, bytes });
		next = (next + bytes.length + 15) & ~15;
		return BigInt(ptr) | (BigInt(bytes.length) << 32n);
	};
	const ret = (packed: bigint): Body => [0x42, ...sleb(BigInt.asIntN(64, packed))];

	const funcs: { name: string; body: Body }[] = [];
	funcs.push({ name: 'Core_version', body: ret(place(options.coreVersionBytes ?? encodeRuntimeVersion(version))) });
	funcs.push({ name: 'Metadata_metadata', body: ret(place(options.metadataBytes ?? opaque)) });
	if (atVersion) {
		const some = place(u8aConcat(Uint8Array.of(1), opaque));
		const none = place(Uint8Array.of(0));
		// if (*(u32*)ptr == v0) some else if (*(u32*)ptr == v1) some … else none
		let body: Body = ret(none);
		for (const v of [...atVersion].reverse()) {
			body = [0x20, 0x00, 0x28, 0x02, 0x00, 0x41, ...sleb(v), 0x46, 0x04, 0x7e, ...ret(some), 0x05, ...body, 0x0b];
		}
		funcs.push({ name: 'Metadata_metadata_at_version', body });
		const versions = u8aConcat(
			compactToU8a(atVersion.length),
			...atVersion.map((v) => Uint8Array.of(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24)),
		);
		funcs.push({ name: 'Metadata_metadata_versions', body: ret(place(versions)) });
	}
	const exported = funcs.filter((f) => !options.exports || options.exports.includes(f.name));
	const heapBase = (next + 0xffff) & ~0xffff;
	const pages = heapBase / 65536 + 1;

	const module: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
	module.push(...section(1, vec([[0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7e]])));
	module.push(...section(3, vec(funcs.map(() => [0x00]))));
	module.push(...section(5, vec([[0x00, ...uleb(pages)]])));
	module.push(...section(6, vec([[0x7f, 0x00, 0x41, ...sleb(heapBase), 0x0b]])));
	module.push(
		...section(
			7,
			vec([
				[...name('memory'), 0x02, 0x00],
				[...name('__heap_base'), 0x03, 0x00],
				...funcs.map((f, i) => (exported.includes(f) ? [...name(f.name), 0x00, ...uleb(i)] : [])).filter((e) => e.length),
			]),
		),
	);
	module.push(
		...section(
			10,
			vec(
				funcs.map((f) => {
					const body = [0x00, ...f.body, 0x0b];
					return [...uleb(body.length), ...body];
				}),
			),
		),
	);
	const out: Uint8Array[] = [Uint8Array.from(module)];
	const dataBody = u8aConcat(
		Uint8Array.from(uleb(segments.length)),
		...segments.flatMap(({ ptr, bytes }) => [Uint8Array.from([0x00, 0x41, ...sleb(ptr), 0x0b, ...uleb(bytes.length)]), bytes]),
	);
	out.push(bigSection(11, dataBody));
	if (options.customSection) {
		out.push(bigSection(0, u8aConcat(Uint8Array.from(name('runtime_version')), encodeRuntimeVersion(version, false))));
		out.push(bigSection(0, u8aConcat(Uint8Array.from(name('runtime_apis')), runtimeApisSection(version))));
	}
	return u8aConcat(...out);
}

/** A valid wasm module that is not a runtime (exports one unrelated function). */
export function makePlainWasm(): Uint8Array {
	const module: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
	module.push(...section(1, vec([[0x60, 0x00, 0x01, 0x7f]])));
	module.push(...section(3, vec([[0x00]])));
	module.push(...section(7, vec([[...name('answer'), 0x00, 0x00]])));
	module.push(...section(10, vec([[0x04, 0x00, 0x41, 0x2a, 0x0b]])));
	return Uint8Array.from(module);
}

// ---------------------------------------------------------------- zstd framing

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const BLOCK = 128 * 1024;

function blockHeader(last: boolean, type: 0 | 1, size: number): number[] {
	const h = (last ? 1 : 0) | (type << 1) | (size << 3);
	return [h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff];
}

function frameHeader(contentSize?: number): number[] {
	// Window descriptor 0x38: 2^(10+7) = 128 KiB, enough for 128 KiB blocks.
	if (contentSize === undefined) return [...ZSTD_MAGIC, 0x00, 0x38];
	const fcs: number[] = [];
	let v = BigInt(contentSize);
	for (let i = 0; i < 8; i++) {
		fcs.push(Number(v & 0xffn));
		v >>= 8n;
	}
	return [...ZSTD_MAGIC, 0xc0, 0x38, ...fcs];
}

/** "Compress" with stored (raw) zstd blocks, with the Substrate prefix: a valid .compact.compressed.wasm. */
export function compressRuntime(code: Uint8Array, options: { declareSize?: boolean } = {}): Uint8Array {
	const parts: Uint8Array[] = [ZSTD_PREFIX, Uint8Array.from(frameHeader(options.declareSize ? code.length : undefined))];
	for (let at = 0; at < code.length || at === 0; at += BLOCK) {
		const chunk = code.subarray(at, Math.min(at + BLOCK, code.length));
		parts.push(Uint8Array.from(blockHeader(at + BLOCK >= code.length, 0, chunk.length)), chunk);
		if (code.length === 0) break;
	}
	return u8aConcat(...parts);
}

/**
 * A zstd size bomb with the Substrate prefix: `total` bytes of RLE blocks
 * (4 bytes of input per 128 KiB of output). With `declareSize` the frame
 * header says so up front; without, only decompressing reveals it.
 */
export function zstdBomb(total: number, options: { declareSize?: boolean } = {}): Uint8Array {
	const blocks = Math.ceil(total / BLOCK);
	const out: number[] = [...ZSTD_PREFIX, ...frameHeader(options.declareSize ? total : undefined)];
	for (let i = 0; i < blocks; i++) {
		const size = i === blocks - 1 ? total - BLOCK * (blocks - 1) : BLOCK;
		out.push(...blockHeader(i === blocks - 1, 1, size), 0x00);
	}
	return Uint8Array.from(out);
}
