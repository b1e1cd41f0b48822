/**
 * The Polkadot Vault signing request: the UOS bytes of a real signing payload (built by
 * @polkadot/types from Polkadot's metadata, as the console builds it), cut into frames,
 * each frame's QR code read back with jsQR to exactly its bytes, the frames joined back to
 * exactly the UOS bytes; the half-block drawing shows exactly the code's modules; and the
 * signature read back from pasted hex or from a PNG of Vault's signature QR code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { PNG } from 'pngjs';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { ExtrinsicPayload } from '@polkadot/types/interfaces';
import staticPolkadot from '@polkadot/types-support/metadata/static-polkadot';
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import {
	FRAME_HEADER_BYTES,
	VaultError,
	fitsTerminal,
	frameLines,
	halfBlockLines,
	qrCapacity,
	qrMatrix,
	qrTextSize,
	readSignature,
	vaultFrames,
	vaultPayload,
	vaultQr,
} from '../../source/signer/vault.js';
import { decodeMatrix, linesToMatrix, matrixToPng } from '../helpers/qr-image.js';

const POLKADOT_GENESIS = '0x91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BLOCK_HASH = '0x2b8dd8e8a5f6b1f1ed2a9b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70';

const registry = new TypeRegistry();
registry.setMetadata(new Metadata(registry, staticPolkadot));

/** The payload a signer signs for `system.remark(remark)`, mortal, as polkadot-js builds it. */
function remarkPayload(remark: Uint8Array): ExtrinsicPayload {
	// system.remark's call index in this metadata, then the remark as SCALE Bytes
	const remarkCall = registry.createType('Call', u8aConcat(findCallIndex('system', 'remark'), compactToU8a(remark.length), remark));
	expect(remarkCall.method).toBe('remark');
	const signer = registry.createType('SignerPayload', {
		address: ALICE,
		blockHash: BLOCK_HASH,
		blockNumber: 1_234_567,
		era: registry.createType('ExtrinsicEra', { current: 1_234_567, period: 64 }),
		genesisHash: POLKADOT_GENESIS,
		method: remarkCall,
		nonce: 7,
		runtimeVersion: { specVersion: 1_003_000, transactionVersion: 26 },
		signedExtensions: registry.signedExtensions,
		tip: 0,
		version: 4,
	});
	return registry.createType('ExtrinsicPayload', signer.toPayload(), { version: 4 });
}

function findCallIndex(section: string, method: string): Uint8Array {
	for (const pallet of registry.metadata.pallets) {
		if (pallet.name.toString().toLowerCase() !== section || pallet.calls.isNone) continue;
		const lookup = registry.lookup.getSiType(pallet.calls.unwrap().type);
		const variant = lookup.def.asVariant.variants.find((v) => v.name.toString() === method);
		if (variant) return new Uint8Array([pallet.index.toNumber(), variant.index.toNumber()]);
	}
	throw new Error(`no ${section}.${method}`);
}

/** Join frames back by their multipart header: 0x00, count u16 BE, index u16 BE. */
function joinFrames(frames: Uint8Array[]): Uint8Array {
	const count = (frames[0]![1]! << 8) | frames[0]![2]!;
	expect(frames).toHaveLength(count);
	frames.forEach((frame, index) => {
		expect(frame[0]).toBe(0x00);
		expect((frame[1]! << 8) | frame[2]!).toBe(count);
		expect((frame[3]! << 8) | frame[4]!).toBe(index);
	});
	return u8aConcat(...frames.map((frame) => frame.subarray(FRAME_HEADER_BYTES)));
}

function uosOf(payload: ExtrinsicPayload, crypto: 'sr25519' | 'ed25519' = 'sr25519'): Uint8Array {
	return vaultPayload({
		address: ALICE,
		genesisHash: POLKADOT_GENESIS,
		call: payload.method.toU8a(true),
		signingPayload: payload.toU8a({ method: true }),
		crypto,
	});
}

beforeAll(async () => {
	await cryptoWaitReady();
});

describe('vaultPayload', () => {
	it("is Vault's UOS transaction: 0x53, crypto, 0x02, public key, the call with its length then the extensions (apps' ExtrinsicPayload.toU8a()), genesis hash", () => {
		const payload = remarkPayload(new TextEncoder().encode('release-console'));
		const signed = payload.toU8a({ method: true });
		const call = payload.method.toU8a(true);
		const uos = uosOf(payload);
		expect([...uos.subarray(0, 3)]).toEqual([0x53, 0x01, 0x02]);
		expect(u8aToHex(uos.subarray(3, 35))).toBe(u8aToHex(decodeAddress(ALICE)));
		// what polkadot-js apps' QrSigner puts between key and genesis hash
		expect(u8aToHex(uos.subarray(35, uos.length - 32))).toBe(u8aToHex(payload.toU8a()));
		expect(u8aToHex(uos.subarray(35, uos.length - 32))).toBe(u8aToHex(u8aConcat(compactToU8a(call.length), signed)));
		expect(u8aToHex(uos.subarray(uos.length - 32))).toBe(POLKADOT_GENESIS);
		expect(uosOf(payload, 'ed25519')[1]).toBe(0x00);
	});

	it('refuses a payload that is not the call then its extensions (a hash, another call)', () => {
		const payload = remarkPayload(new Uint8Array([1, 2, 3]));
		const other = remarkPayload(new Uint8Array([9, 9, 9]));
		const base = { address: ALICE, genesisHash: POLKADOT_GENESIS, crypto: 'sr25519' } as const;
		expect(() => vaultPayload({ ...base, call: payload.method.toU8a(true), signingPayload: other.toU8a({ method: true }) })).toThrow(
			VaultError,
		);
		expect(() => vaultPayload({ ...base, call: payload.method.toU8a(true), signingPayload: new Uint8Array(32) })).toThrow(
			/does not start with the call/,
		);
		expect(() =>
			vaultPayload({ ...base, address: 'nope', call: payload.method.toU8a(true), signingPayload: payload.toU8a({ method: true }) }),
		).toThrow(/not an address/);
	});
});

describe('frames and their QR codes', () => {
	const cases = [
		['system.remark, short', new TextEncoder().encode('release-console')],
		['a call of more than 256 bytes', new Uint8Array(600).map((_, i) => (i * 37) & 0xff)],
	] as const;

	for (const [name, remark] of cases) {
		it(`${name}: every frame's QR decodes to exactly its bytes, and the frames join to exactly the UOS bytes`, () => {
			const payload = remarkPayload(remark);
			if (remark.length > 256) expect(payload.toU8a({ method: true }).length).toBeGreaterThan(256);
			const uos = uosOf(payload);
			const plan = vaultQr(uos, { columns: 80, rows: 20 });
			if (plan.kind !== 'frames') throw new Error(plan.note);
			expect(plan.frames.length).toBeGreaterThan(1);
			for (const frame of plan.frames) {
				expect(frame.length).toBeLessThanOrEqual(qrCapacity(plan.version));
				const matrix = qrMatrix(frame, plan.version);
				expect(u8aToHex(decodeMatrix(matrix))).toBe(u8aToHex(frame));
				// what the terminal shows scans too, and fits 80 × 20
				const lines = frameLines(frame, plan.version);
				expect(fitsTerminal(lines, 80, 20)).toBe(true);
				expect(u8aToHex(decodeMatrix(linesToMatrix(lines)))).toBe(u8aToHex(frame));
			}
			expect(u8aToHex(joinFrames(plan.frames))).toBe(u8aToHex(uos));
		});
	}

	it('cuts at the given frame size, header included; one frame carries the multipart header too', () => {
		const uos = uosOf(remarkPayload(new Uint8Array(100)));
		const frames = vaultFrames(uos, 50);
		expect(frames.every((f) => f.length <= 50)).toBe(true);
		expect(frames.length).toBe(Math.ceil(uos.length / 45));
		expect(u8aToHex(joinFrames(frames))).toBe(u8aToHex(uos));
		const one = vaultFrames(uos, uos.length + FRAME_HEADER_BYTES);
		expect(one).toHaveLength(1);
		expect([...one[0]!.subarray(0, 5)]).toEqual([0, 0, 1, 0, 0]);
		expect(() => vaultFrames(uos, FRAME_HEADER_BYTES)).toThrow(/no room/);
	});

	it('the capacity table is what the qrcode package holds at level L, version by version', () => {
		for (let version = 1; version <= 40; version++) {
			expect(() =>
				QRCode.create([{ data: new Uint8Array(qrCapacity(version)), mode: 'byte' }], { errorCorrectionLevel: 'L', version }),
			).not.toThrow();
			expect(() =>
				QRCode.create([{ data: new Uint8Array(qrCapacity(version) + 1), mode: 'byte' }], { errorCorrectionLevel: 'L', version }),
			).toThrow();
		}
	});

	it('picks the largest code that fits, and a note to enlarge the terminal where none does', () => {
		const uos = uosOf(remarkPayload(new Uint8Array(100)));
		const plan = vaultQr(uos, { columns: 80, rows: 20 });
		expect(plan).toMatchObject({ kind: 'frames', version: 4, columns: 37, rows: 19 });
		// a terminal that takes one frame of everything: the smallest code that holds it
		const big = vaultQr(uos, { columns: 200, rows: 100 });
		expect(big.kind === 'frames' && big.frames.length).toBe(1);
		expect(
			big.kind === 'frames' &&
				qrCapacity(big.version) >= uos.length + FRAME_HEADER_BYTES &&
				qrCapacity(big.version - 1) < uos.length + FRAME_HEADER_BYTES,
		).toBe(true);
		const least = qrTextSize(1);
		expect(least).toEqual({ columns: 25, rows: 13 });
		expect(vaultQr(uos, { columns: 24, rows: 20, extraRows: 3 })).toEqual({
			kind: 'too-small',
			note: 'enlarge the terminal to at least 25×16 to show the QR code',
			columns: 25,
			rows: 16,
		});
		expect(vaultQr(uos, { columns: 80, rows: 12 }).kind).toBe('too-small');
	});
});

describe('halfBlockLines', () => {
	it('draws each pair of module rows as one line, light modules as blocks, in a light quiet zone; the lines read back to the matrix', () => {
		const matrix = qrMatrix(new TextEncoder().encode('vault'));
		const quiet = 2;
		const lines = halfBlockLines(matrix, { quiet });
		const side = matrix.length + 2 * quiet;
		expect(lines).toHaveLength(Math.ceil(side / 2));
		expect(lines.every((line) => [...line].length === side && /^[█▀▄ ]+$/u.test(line))).toBe(true);
		// the first line is quiet zone only: light, so all blocks
		expect(lines[0]).toBe('█'.repeat(side));
		const read = linesToMatrix(lines);
		// the odd last row is light quiet zone
		expect(read.length).toBe(side + (side % 2));
		const inner = read.slice(quiet, quiet + matrix.length).map((row) => row.slice(quiet, quiet + matrix.length));
		expect(inner).toEqual(matrix);
		const border = read.flatMap((row, r) =>
			row.filter((_, c) => r < quiet || r >= quiet + matrix.length || c < quiet || c >= quiet + matrix.length),
		);
		expect(border.every((dark) => !dark)).toBe(true);
	});

	it('fitsTerminal counts lines and columns', () => {
		expect(fitsTerminal(['██', '██'], 2, 2)).toBe(true);
		expect(fitsTerminal(['███', '██'], 2, 2)).toBe(false);
		expect(fitsTerminal(['██', '██', '██'], 2, 2)).toBe(false);
	});
});

describe('readSignature', () => {
	const SIG = `01${'ab'.repeat(64)}`;
	let dir: string;
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-sig-'));
	});
	afterAll(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('takes pasted hex as given: with or without 0x, with or without its type prefix', () => {
		expect(readSignature(`0x${SIG}`, { cwd: dir })).toEqual({ signature: `0x${SIG}`, from: 'hex' });
		expect(readSignature(`  ${SIG.slice(2).toUpperCase()}\n`, { cwd: dir })).toEqual({ signature: `0x${SIG.slice(2)}`, from: 'hex' });
		expect(readSignature(`0x02${'cd'.repeat(65)}`, { cwd: dir }).signature).toBe(`0x02${'cd'.repeat(65)}`);
		expect(() => readSignature('0xabcd', { cwd: dir })).toThrow(/2 bytes of hex; a signature is 64 bytes/);
		expect(() => readSignature('  ', { cwd: dir })).toThrow(/no signature given/);
	});

	it("reads Vault's signature QR code (hex text) from a PNG, by a path relative to cwd", () => {
		const qr = QRCode.create(SIG, { errorCorrectionLevel: 'M' });
		const matrix = Array.from({ length: qr.modules.size }, (_, r) =>
			Array.from({ length: qr.modules.size }, (_, c) => Boolean(qr.modules.get(r, c))),
		);
		fs.writeFileSync(path.join(dir, 'signature.png'), matrixToPng(matrix, { scale: 6 }));
		expect(readSignature('signature.png', { cwd: dir })).toEqual({
			signature: `0x${SIG}`,
			from: 'image',
			file: path.join(dir, 'signature.png'),
		});
	});

	it('says what to do for a missing file, a file that is not a PNG, a PNG without a QR code, and a QR code that is not a signature', () => {
		const error = (input: string): VaultError => {
			try {
				readSignature(input, { cwd: dir });
			} catch (e) {
				expect(e).toBeInstanceOf(VaultError);
				return e as VaultError;
			}
			throw new Error('no error');
		};
		expect(error('missing.png')).toMatchObject({ code: 'vault-file-missing', message: `no file at ${path.join(dir, 'missing.png')}` });
		expect(error('missing.png').hint).toMatch(/paste the signature as 0x… hex, or give the path of a PNG/);

		fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image\n');
		expect(error('notes.txt')).toMatchObject({ code: 'vault-not-png', message: `${path.join(dir, 'notes.txt')} is not a PNG image` });

		const blank = new PNG({ width: 64, height: 64 });
		blank.data.fill(255);
		fs.writeFileSync(path.join(dir, 'blank.png'), PNG.sync.write(blank));
		expect(error('blank.png')).toMatchObject({ code: 'vault-no-qr', message: `no QR code found in ${path.join(dir, 'blank.png')}` });

		const qr = QRCode.create('hello vault', { errorCorrectionLevel: 'M' });
		const matrix = Array.from({ length: qr.modules.size }, (_, r) =>
			Array.from({ length: qr.modules.size }, (_, c) => Boolean(qr.modules.get(r, c))),
		);
		fs.writeFileSync(path.join(dir, 'other.png'), matrixToPng(matrix));
		expect(error('other.png')).toMatchObject({ code: 'vault-qr-not-signature' });
		expect(error('other.png').message).toMatch(/does not hold a signature \(it holds "hello vault"\)/);
		expect(error('other.png').kind).toBe('user');
	});
});
