/**
 * The Polkadot Vault QR code as the console draws it: what the frame shows is read back
 * as a camera would (the half blocks painted into an image, decoded with jsQR) to exactly
 * the request's frames; a multi-frame request cycles through all of them; where the
 * space is too small for any code, the note says how large the terminal must be.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { QrCode, qrCodeReducer } from '../../source/app/components/qr-code/index.js';
import { FRAME_HEADER_BYTES, vaultPayload } from '../../source/signer/vault.js';
import { decodeMatrix, linesToMatrix } from '../helpers/qr-image.js';
import { waitForFrame } from '../helpers/frames.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const GENESIS = '0x91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3';

/** A request for a call of `callBytes` bytes followed by 40 bytes of extensions. */
function request(callBytes: number): Uint8Array {
	const call = new Uint8Array(callBytes).map((_, i) => (i * 31 + 7) & 0xff);
	const extensions = new Uint8Array(40).map((_, i) => i);
	return vaultPayload({ address: ALICE, genesisHash: GENESIS, call, signingPayload: u8aConcat(call, extensions), crypto: 'sr25519' });
}

const QR_LINE = /^[█▀▄ ]+$/u;

/** The QR lines of a frame, read back: the multipart frame it shows. */
function shownFrame(frame: string): { bytes: Uint8Array; lines: string[] } {
	const lines = frame.split('\n').filter((line) => QR_LINE.test(line));
	const bytes = decodeMatrix(linesToMatrix(lines));
	if (!bytes) throw new Error(`the frame shows no readable QR code:\n${frame}`);
	return { bytes, lines };
}

const indexOf = (bytes: Uint8Array): number => (bytes[3]! << 8) | bytes[4]!;
const countOf = (bytes: Uint8Array): number => (bytes[1]! << 8) | bytes[2]!;

describe('QrCode', () => {
	it('draws a short request as a code that fits 80×24 with a title and a keys line, and scans', async () => {
		const uos = request(2);
		const ui = render(<QrCode uos={uos} columns={80} rows={21} intervalMs={60_000} />);
		const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Polkadot Vault'));
		const allLines = frame.split('\n');
		expect(allLines.length).toBeLessThanOrEqual(21);
		expect(allLines.every((line) => [...line].length <= 80)).toBe(true);
		const { bytes, lines } = shownFrame(frame);
		expect(lines.length).toBeLessThanOrEqual(20);
		expect(indexOf(bytes)).toBe(0);
		expect(u8aToHex(bytes.subarray(FRAME_HEADER_BYTES))).toBe(u8aToHex(uos.subarray(0, bytes.length - FRAME_HEADER_BYTES)));
		ui.unmount();
	});

	it('cycles through every frame of a multi-frame request; the frames shown join to the request', async () => {
		const uos = request(300);
		const ui = render(<QrCode uos={uos} columns={80} rows={21} intervalMs={40} />);
		const seen = new Map<number, Uint8Array>();
		let count = Infinity;
		await waitForFrame(
			ui.lastFrame,
			(f) => {
				if (!QR_LINE.test(f.split('\n')[0] ?? '')) return false;
				const { bytes } = shownFrame(f);
				count = countOf(bytes);
				seen.set(indexOf(bytes), bytes);
				// the caption names the frame shown
				expect(f).toContain(`frame ${indexOf(bytes) + 1}/${count}`);
				return seen.size === count;
			},
			8_000,
		);
		expect(count).toBeGreaterThan(4);
		const joined = u8aConcat(...[...seen.keys()].sort((a, b) => a - b).map((i) => seen.get(i)!.subarray(FRAME_HEADER_BYTES)));
		expect(u8aToHex(joined)).toBe(u8aToHex(uos));
		ui.unmount();
	});

	it('says how large the terminal must be where no code fits', async () => {
		const ui = render(<QrCode uos={request(2)} columns={60} rows={10} />);
		const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('enlarge'));
		expect(frame).toContain('enlarge the terminal to at least 25×14 to show the QR code');
		expect(frame).not.toMatch(/[█▀▄]/u);
		ui.unmount();
	});

	it('the frame index wraps at the count, and starts over when the count changes', () => {
		expect(qrCodeReducer({ count: 3, index: 2 }, { type: 'next' })).toEqual({ count: 3, index: 0 });
		expect(qrCodeReducer({ count: 1, index: 0 }, { type: 'next' })).toEqual({ count: 1, index: 0 });
		expect(qrCodeReducer({ count: 3, index: 2 }, { type: 'reset', count: 2 })).toEqual({ count: 2, index: 0 });
	});
});
