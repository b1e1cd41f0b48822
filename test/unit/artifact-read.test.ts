import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeRegistry, Metadata } from '@polkadot/types';
import staticSubstrate from '@polkadot/types-support/metadata/static-substrate';
import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { ArtifactError } from '../../source/artifact/errors.js';
import { DEFAULT_BOMB_LIMIT, decompressCode, readArtifact, scanZstd, ZSTD_PREFIX } from '../../source/artifact/read.js';
import { inspectArtifact } from '../../source/artifact/inspect.js';
import { runInspect } from '../../source/cli/commands/inspect.js';
import { compressRuntime, makePlainWasm, makeRuntime, zstdBomb } from '../helpers/make-runtime.js';

let dir: string;
let runtime: Uint8Array;

beforeAll(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'artifact-read-'));
	runtime = makeRuntime({ metadata: new Metadata(new TypeRegistry(), staticSubstrate), version: { specName: 'node', specVersion: 7 } });
});

afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

function file(name: string, bytes: Uint8Array | string): string {
	const p = path.join(dir, name);
	writeFileSync(p, bytes);
	return p;
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ArtifactError);
		const e = error as ArtifactError;
		return { code: e.code, message: e.message };
	}
	throw new Error('expected an ArtifactError');
}

describe('readArtifact', () => {
	it('reads a raw wasm: hash of the file, sizes equal', async () => {
		const p = file('raw.wasm', runtime);
		const a = await readArtifact(p);
		expect(a.compressed).toBe(false);
		expect(a.size).toBe(runtime.length);
		expect(a.uncompressedSize).toBe(runtime.length);
		expect(a.codeHash).toBe(blake2AsHex(runtime, 256));
		expect(a.module.exports.map((e) => e.name)).toEqual(
			expect.arrayContaining(['Core_version', 'Metadata_metadata', 'memory', '__heap_base']),
		);
	});

	it('reads a zstd-compressed wasm: hash of the compressed bytes, code decompressed', async () => {
		for (const declareSize of [false, true]) {
			const compressed = compressRuntime(runtime, { declareSize });
			const p = file(`c-${declareSize}.compact.compressed.wasm`, compressed);
			const a = await readArtifact(p);
			expect(a.compressed).toBe(true);
			expect(a.size).toBe(compressed.length);
			expect(a.uncompressedSize).toBe(runtime.length);
			expect(u8aToHex(a.code)).toBe(u8aToHex(runtime));
			expect(a.codeHash).toBe(blake2AsHex(compressed, 256));
		}
	});

	it('scans zstd frame headers without decompressing', () => {
		const compressed = compressRuntime(runtime, { declareSize: true });
		const scan = scanZstd(compressed.subarray(ZSTD_PREFIX.length), DEFAULT_BOMB_LIMIT);
		expect(scan.frames).toBe(1);
		expect(scan.declaredSize).toBe(runtime.length);
		expect(scan.upperBound).toBe(runtime.length);
	});
});

describe('bad input → ArtifactError with a code and what to do', () => {
	it('missing file', async () => {
		const e = await codeOf(readArtifact(path.join(dir, 'nope.wasm')));
		expect(e.code).toBe('not-found');
		expect(e.message).toMatch(/no file at .*nope\.wasm/);
		expect(e.message).toMatch(/Check the path/);
	});

	it('a directory', async () => {
		const sub = path.join(dir, 'adir');
		mkdirSync(sub, { recursive: true });
		expect((await codeOf(readArtifact(sub))).code).toBe('unreadable');
	});

	it('empty file', async () => {
		expect(await codeOf(readArtifact(file('empty.wasm', new Uint8Array())))).toMatchObject({ code: 'empty' });
	});

	it('truncated raw wasm (cut inside a section, and inside the header)', async () => {
		const cut = await codeOf(readArtifact(file('cut.wasm', runtime.subarray(0, Math.floor(runtime.length / 2)))));
		expect(cut.code).toBe('truncated');
		expect(cut.message).toMatch(/incomplete/);
		expect(await codeOf(readArtifact(file('cut-header.wasm', runtime.subarray(0, 6))))).toMatchObject({ code: 'truncated' });
	});

	it('truncated compressed wasm (cut inside the zstd stream, and inside the prefix)', async () => {
		const compressed = compressRuntime(runtime);
		const e = await codeOf(readArtifact(file('cut.compact.compressed.wasm', compressed.subarray(0, compressed.length - 1000))));
		expect(e.code).toBe('truncated');
		expect(await codeOf(readArtifact(file('cut-prefix.wasm', ZSTD_PREFIX.subarray(0, 5))))).toMatchObject({ code: 'truncated' });
		expect(await codeOf(readArtifact(file('prefix-only.wasm', ZSTD_PREFIX)))).toMatchObject({ code: 'truncated' });
	});

	it('a file that is not wasm at all (text, JSON, hex)', async () => {
		const text = await codeOf(readArtifact(file('notes.txt', 'hello, this is not a runtime\n')));
		expect(text.code).toBe('not-wasm');
		expect(text.message).toMatch(/neither a wasm module nor a zstd-compressed runtime/);
		const json = await codeOf(readArtifact(file('report.json', '{"runtimes":{}}')));
		expect(json.message).toMatch(/--srtool/);
		const hex = await codeOf(readArtifact(file('runtime.hex', u8aToHex(runtime.subarray(0, 64)))));
		expect(hex.message).toMatch(/hex-encoded/);
	});

	it('the compression prefix followed by something that is not zstd', async () => {
		const bytes = new Uint8Array([...ZSTD_PREFIX, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(await codeOf(readArtifact(file('bad.compact.compressed.wasm', bytes)))).toMatchObject({ code: 'bad-compression' });
	});

	it('a wasm module without runtime exports', async () => {
		const e = await codeOf(readArtifact(file('plain.wasm', makePlainWasm())));
		expect(e.code).toBe('no-runtime-exports');
		expect(e.message).toMatch(/not a Substrate runtime.*Core_version.*answer/);
		const half = makeRuntime({ metadata: staticSubstrate as `0x${string}`, exports: ['Core_version'] });
		expect(await codeOf(readArtifact(file('half.wasm', half)))).toMatchObject({
			code: 'no-runtime-exports',
			message: expect.stringMatching(/Metadata_metadata/),
		});
	});

	it('a size bomb that declares its size in the frame header (refused before decompressing)', async () => {
		const bomb = zstdBomb(200 * 1024 * 1024, { declareSize: true });
		const e = await codeOf(readArtifact(file('declared.compact.compressed.wasm', bomb)));
		expect(e.code).toBe('size-bomb');
		expect(e.message).toMatch(/declares 209715200 bytes.*64 MiB/);
	});

	it('a size bomb without a declared size (stopped while decompressing)', async () => {
		const bomb = zstdBomb(DEFAULT_BOMB_LIMIT + 256 * 1024);
		expect(bomb.length).toBeLessThan(4096);
		const e = await codeOf(readArtifact(file('bomb.compact.compressed.wasm', bomb)));
		expect(e.code).toBe('size-bomb');
		expect(e.message).toMatch(/decompresses past the 64 MiB limit/);
		// and with a smaller limit, through decompressCode directly
		expect(() => decompressCode(zstdBomb(3 * 1024 * 1024), { bombLimit: 1024 * 1024 })).toThrow(/past the 1 MiB limit/);
	});

	it('runtime code whose Core_version is not a RuntimeVersion', async () => {
		const garbage = makeRuntime({ metadata: staticSubstrate as `0x${string}`, coreVersionBytes: Uint8Array.of(0xff, 0xff, 0xff) });
		const e = await codeOf(inspectArtifact(file('garbage.wasm', garbage)));
		expect(e.code).toBe('bad-version');
		expect(e.message).toMatch(/not a RuntimeVersion/);
	});

	it('runtime code whose metadata is not metadata', async () => {
		const junk = makeRuntime({ metadata: staticSubstrate as `0x${string}`, metadataBytes: Uint8Array.of(8, 1, 2) });
		const e = await codeOf(inspectArtifact(file('junk.wasm', junk)));
		expect(e.code).toBe('bad-metadata');
	});

	it('the inspect command turns each into exit code 2 with the message, never a crash', async () => {
		const cases = [
			'nope.wasm',
			'empty.wasm',
			'cut.wasm',
			'notes.txt',
			'plain.wasm',
			'bomb.compact.compressed.wasm',
			'declared.compact.compressed.wasm',
		];
		for (const name of cases) {
			const out: string[] = [];
			const err: string[] = [];
			const code = await runInspect(
				{ wasm: path.join(dir, name), json: false },
				{ stdout: (s) => out.push(s), stderr: (s) => err.push(s) },
			);
			expect(code, name).toBe(2);
			expect(err.join('\n'), name).toMatch(/^error \[[a-z-]+\]: /);
			expect(out).toEqual([]);
		}
		const json: string[] = [];
		const code = await runInspect(
			{ wasm: path.join(dir, 'plain.wasm'), json: true },
			{ stdout: (s) => json.push(s), stderr: () => {} },
		);
		expect(code).toBe(2);
		expect(JSON.parse(json[0]!)).toMatchObject({ error: { code: 'no-runtime-exports' }, exitCode: 2 });
	});
});
