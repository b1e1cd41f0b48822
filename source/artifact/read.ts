/**
 * Reading a runtime artifact from disk: raw wasm, or zstd-compressed with the
 * Substrate 8-byte prefix (`sp-maybe-compressed-blob`). The code hash is
 * blake2-256 of the file exactly as it is, i.e. of the bytes that would be put
 * in `:code` (and passed to `system.setCode` / `authorizeUpgrade`).
 *
 * Decompression is bounded: the zstd frame headers are checked before any
 * decompression (declared content size, window size, block structure), and the
 * output is counted while decompressing so that a blob without a declared size
 * still stops at the limit.
 */
import { readFile, stat } from 'node:fs/promises';
import { Decompress } from 'fzstd';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex } from '../domain/types.js';
import { ArtifactError, describeError } from './errors.js';
import { assertRuntimeExports, hasWasmMagic, parseWasmModule, type WasmModuleInfo } from './wasm.js';

/** `sp_maybe_compressed_blob::ZSTD_PREFIX`. */
export const ZSTD_PREFIX = Uint8Array.of(0x52, 0xbc, 0x53, 0x76, 0x46, 0xdb, 0x8e, 0x05);
/** Default decompression limit. (Substrate nodes themselves refuse code past 50 MiB.) */
export const DEFAULT_BOMB_LIMIT = 64 * 1024 * 1024;
/** `sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT`, used by nodes when loading `:code`. */
export const SUBSTRATE_CODE_BOMB_LIMIT = 50 * 1024 * 1024;

const ZSTD_MAGIC = 0xfd2fb528;
const WASM_HEADER = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
const MAX_BLOCK = 128 * 1024;

export interface ReadOptions {
	/** Maximum decompressed size in bytes (default 64 MiB). */
	bombLimit?: number;
}

export interface Artifact {
	path: string;
	/** The file as is (what goes into `:code`). */
	bytes: Uint8Array;
	/** The wasm module (decompressed when the file is compressed). */
	code: Uint8Array;
	compressed: boolean;
	/** Bytes on disk. */
	size: number;
	/** Bytes of the wasm module. */
	uncompressedSize: number;
	/** blake2-256 of `bytes`. */
	codeHash: Hex;
	/** Sections, exports and custom sections of the module. */
	module: WasmModuleInfo;
}

export function isCompressed(bytes: Uint8Array): boolean {
	return bytes.length >= ZSTD_PREFIX.length && ZSTD_PREFIX.every((b, i) => bytes[i] === b);
}

function u32le(b: Uint8Array, at: number): number {
	return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
}

function readLE(b: Uint8Array, at: number, n: number): number {
	let v = 0;
	for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i]!;
	return v;
}

const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

export interface ZstdScan {
	frames: number;
	/** Sum of the frames' declared content sizes, when every frame declares one. */
	declaredSize?: number;
	/** An upper bound of the decompressed size implied by the block headers. */
	upperBound: number;
}

/**
 * Walk the zstd frames and block headers without decompressing. Throws
 * `truncated`, `bad-compression`, or `size-bomb` (declared size or window
 * over the limit).
 */
export function scanZstd(data: Uint8Array, limit: number, path?: string): ZstdScan {
	const truncated = (where: string): never => {
		throw new ArtifactError(
			'truncated',
			`the compressed runtime ends in the middle of ${where}`,
			'The file is incomplete: download or build it again and compare its hash with the published one',
			path,
		);
	};
	const corrupt = (what: string): never => {
		throw new ArtifactError(
			'bad-compression',
			`the compressed runtime is not valid zstd: ${what}`,
			'Rebuild the runtime; the compact.compressed.wasm must be the zstd output of the runtime build',
			path,
		);
	};
	let pos = 0;
	let frames = 0;
	let declared: number | undefined = 0;
	let bound = 0;
	if (data.length === 0) truncated('the zstd frame header (nothing after the prefix)');
	while (pos < data.length) {
		if (pos + 4 > data.length) truncated('a frame header');
		const magic = u32le(data, pos);
		if ((magic & 0xfffffff0) === 0x184d2a50) {
			// Skippable frame.
			if (pos + 8 > data.length) truncated('a skippable frame');
			const size = u32le(data, pos + 4);
			pos += 8 + size;
			if (pos > data.length) truncated('a skippable frame');
			continue;
		}
		if (magic !== ZSTD_MAGIC) corrupt(`bad frame magic 0x${magic.toString(16)} at offset ${pos}`);
		frames++;
		pos += 4;
		if (pos >= data.length) truncated('a frame header');
		const fhd = data[pos++]!;
		const fcsFlag = fhd >> 6;
		const singleSegment = (fhd >> 5) & 1;
		const checksum = (fhd >> 2) & 1;
		const dictFlag = fhd & 3;
		if (fhd & 8) corrupt('reserved bit set in the frame header');
		let window = 0;
		if (!singleSegment) {
			if (pos >= data.length) truncated('a frame header');
			const wd = data[pos++]!;
			const base = 2 ** (10 + (wd >> 3));
			window = base + (base / 8) * (wd & 7);
		}
		pos += [0, 1, 2, 4][dictFlag]!;
		const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
		if (pos + fcsBytes > data.length) truncated('a frame header');
		let contentSize: number | undefined;
		if (fcsBytes > 0) {
			contentSize = readLE(data, pos, fcsBytes) + (fcsBytes === 2 ? 256 : 0);
			pos += fcsBytes;
		}
		if (singleSegment) window = contentSize ?? 0;
		if (contentSize !== undefined && contentSize > limit) {
			throw new ArtifactError(
				'size-bomb',
				`the compressed runtime declares ${contentSize} bytes of content, over the ${mib(limit)} limit`,
				'Refusing to decompress it; a real runtime is a few MiB. Check that this is the right file',
				path,
			);
		}
		if (window > limit) {
			throw new ArtifactError(
				'size-bomb',
				`the compressed runtime asks for a ${mib(window)} zstd window, over the ${mib(limit)} limit`,
				'Refusing to decompress it; check that this is the right file',
				path,
			);
		}
		declared = contentSize === undefined || declared === undefined ? undefined : declared + contentSize;
		const maxBlock = Math.min(window || MAX_BLOCK, MAX_BLOCK);
		for (;;) {
			if (pos + 3 > data.length) truncated('a zstd block header');
			const header = data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16);
			pos += 3;
			const last = header & 1;
			const type = (header >> 1) & 3;
			const size = header >>> 3;
			if (type === 3) corrupt('reserved block type');
			if (type === 0) {
				bound += size;
				pos += size;
			} else if (type === 1) {
				bound += size;
				pos += 1;
			} else {
				bound += maxBlock;
				pos += size;
			}
			if (pos > data.length) truncated('a zstd block');
			if (last) break;
		}
		if (checksum) {
			pos += 4;
			if (pos > data.length) truncated('the frame checksum');
		}
	}
	if (frames === 0) corrupt('no zstd frame');
	return { frames, declaredSize: declared, upperBound: bound };
}

class BombStop extends Error {}

/**
 * The wasm module inside `bytes`: decompressed when it carries the Substrate
 * zstd prefix, `bytes` itself otherwise. Never decompresses past `bombLimit`.
 */
export function decompressCode(bytes: Uint8Array, options: ReadOptions & { path?: string } = {}): Uint8Array {
	if (!isCompressed(bytes)) return bytes;
	const limit = options.bombLimit ?? DEFAULT_BOMB_LIMIT;
	const path = options.path;
	const payload = bytes.subarray(ZSTD_PREFIX.length);
	const scan = scanZstd(payload, limit, path);
	const chunks: Uint8Array[] = [];
	let total = 0;
	const stream = new Decompress((chunk) => {
		total += chunk.length;
		if (total > limit) throw new BombStop();
		if (chunk.length) chunks.push(chunk);
	});
	try {
		stream.push(payload, true);
	} catch (error) {
		if (error instanceof BombStop) {
			throw new ArtifactError(
				'size-bomb',
				`the compressed runtime decompresses past the ${mib(limit)} limit`,
				'Refusing to go on; a real runtime is a few MiB. Check that this is the right file',
				path,
			);
		}
		const code = (error as { code?: number }).code;
		if (code === 5) {
			throw new ArtifactError(
				'truncated',
				'the compressed runtime ends before its zstd stream does',
				'The file is incomplete: download or build it again and compare its hash with the published one',
				path,
				{ cause: error },
			);
		}
		throw new ArtifactError(
			'bad-compression',
			`the compressed runtime does not decompress: ${describeError(error)}`,
			'Rebuild the runtime; the compact.compressed.wasm must be the zstd output of the runtime build',
			path,
			{ cause: error },
		);
	}
	if (scan.declaredSize !== undefined && scan.declaredSize !== total) {
		throw new ArtifactError(
			'bad-compression',
			`the compressed runtime declares ${scan.declaredSize} bytes but decompresses to ${total}`,
			'The file is corrupt; build or download it again',
			path,
		);
	}
	const out = new Uint8Array(total);
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
}

function sniff(bytes: Uint8Array): string {
	const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64)).trimStart();
	if (/^0x[0-9a-fA-F]{8}/.test(head)) return 'It looks hex-encoded: decode it to binary first (e.g. `xxd -r -p in.hex out.wasm`)';
	if (head.startsWith('{')) return 'It looks like JSON (an srtool report?): pass the .wasm file itself, and the report with --srtool';
	return 'Pass the runtime wasm (raw, or the zstd-compressed <runtime>.compact.compressed.wasm)';
}

/** Check bytes already in memory; `path` is only used in messages. */
export function parseArtifactBytes(bytes: Uint8Array, path: string, options: ReadOptions = {}): Artifact {
	if (bytes.length === 0) {
		throw new ArtifactError(
			'empty',
			`${path} is empty (0 bytes)`,
			'Pass the runtime wasm; the build may have failed to write it',
			path,
		);
	}
	const compressed = isCompressed(bytes);
	if (!compressed && !hasWasmMagic(bytes)) {
		const isPrefixOf = (full: Uint8Array) => bytes.length < full.length && bytes.every((b, i) => b === full[i]);
		if (isPrefixOf(ZSTD_PREFIX) || isPrefixOf(WASM_HEADER)) {
			throw new ArtifactError(
				'truncated',
				`${path} has only ${bytes.length} bytes`,
				'The file is incomplete: build or download it again',
				path,
			);
		}
		throw new ArtifactError('not-wasm', `${path} is neither a wasm module nor a zstd-compressed runtime`, sniff(bytes), path);
	}
	const code = compressed ? decompressCode(bytes, { ...options, path }) : bytes;
	if (compressed && !hasWasmMagic(code)) {
		throw new ArtifactError(
			'not-wasm',
			`${path} decompresses to something that is not a wasm module`,
			'Pass the runtime wasm (raw, or the zstd-compressed <runtime>.compact.compressed.wasm)',
			path,
		);
	}
	const module = parseWasmModule(code, path);
	assertRuntimeExports(module, path);
	return {
		path,
		bytes,
		code,
		compressed,
		size: bytes.length,
		uncompressedSize: code.length,
		codeHash: blake2AsHex(bytes, 256) as Hex,
		module,
	};
}

export async function readArtifact(path: string, options: ReadOptions = {}): Promise<Artifact> {
	let bytes: Uint8Array;
	try {
		const info = await stat(path);
		if (!info.isFile()) {
			throw new ArtifactError('unreadable', `${path} is not a file`, 'Pass the path of the runtime .wasm file', path);
		}
		bytes = new Uint8Array(await readFile(path));
	} catch (error) {
		if (error instanceof ArtifactError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			throw new ArtifactError(
				'not-found',
				`no file at ${path}`,
				'Check the path; build the runtime first (e.g. `srtool build` or `cargo build --release -p <runtime>`)',
				path,
			);
		}
		throw new ArtifactError('unreadable', `cannot read ${path}: ${describeError(error)}`, 'Check the file permissions', path, {
			cause: error,
		});
	}
	return parseArtifactBytes(bytes, path, options);
}
