/**
 * Polkadot Vault (formerly Parity Signer): the signing request as a QR code for the
 * terminal, and the signature coming back. Pure (no Ink, no chain); the only I/O is
 * `readSignature` reading the image file it is given.
 *
 * The request is a UOS transaction (Vault's docs, `docs/src/development/UOS.md`):
 *
 *   0x53 | crypto (0x00 ed25519, 0x01 sr25519) | 0x02 | public key (32) |
 *   compact(call length) | call | extensions (extra and additional signed) | genesis hash (32)
 *
 * Command 0x02 is "transaction, mortal or immortal": the one polkadot-js apps sends
 * (`CMD_MORTAL = 2` in `react-signer/src/Qr.tsx`); 0x00 is Vault's legacy mortal
 * command, and 0x01 (a blake2 hash in place of the payload) Vault no longer signs,
 * since it shows the call it signs. So the whole payload goes into the QR,
 * however long: Vault decodes it with the chain's metadata, shows the call, and
 * signs the payload itself (its blake2-256 where the payload is longer than 256 bytes).
 * The body after the public key is what apps' QrSigner puts there,
 * `ExtrinsicPayload.toU8a()` — the call with its length prefix, which
 * `toU8a({ method: true })` (the bytes signed) leaves out — so Vault can tell the
 * call from the extensions.
 *
 * The UOS bytes are cut into frames, each with the legacy multipart header Vault reads
 * (`0x00 | frame count u16 BE | frame index u16 BE`, as `createFrames` in
 * `@polkadot/react-qr`), always, one frame too. A terminal cell is about twice as high
 * as it is wide, so with half blocks a module is one column by half a line: at 80×24
 * a QR of version 4 (33 modules, 78 bytes in byte mode at level L) fits with its quiet
 * zone in 37 columns and 19 lines, and a frame then carries 73 bytes of the request;
 * Vault reads the frames as they cycle.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { compactToU8a, hexToU8a, isHex, isU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { ReleaseError } from '../domain/errors.js';
import type { ErrorKind } from '../errors.js';

// jsqr is a CommonJS bundle whose exports carry the function as `default` too; under NodeNext types the default import is those exports.
const jsQR = jsQRModule.default;

export type VaultCrypto = 'sr25519' | 'ed25519';
export type Hex = `0x${string}`;

/** UOS prelude: Substrate content. */
export const UOS_SUBSTRATE = 0x53;
/** UOS encryption codes Vault signs with. */
export const UOS_CRYPTO: Readonly<Record<VaultCrypto, number>> = { ed25519: 0x00, sr25519: 0x01 };
/** UOS payload code: a transaction, mortal or immortal (what polkadot-js apps sends). */
export const UOS_TRANSACTION = 0x02;
/** The legacy multipart header: 0x00, frame count (u16 BE), frame index (u16 BE). */
export const FRAME_HEADER_BYTES = 5;
/** Light modules kept around the code, in modules. */
export const DEFAULT_QUIET = 2;

export type VaultErrorCode =
	| 'vault-address'
	| 'vault-genesis'
	| 'vault-payload'
	| 'vault-frame-size'
	| 'vault-signature-empty'
	| 'vault-signature-length'
	| 'vault-file-missing'
	| 'vault-not-png'
	| 'vault-no-qr'
	| 'vault-qr-not-signature';

/** Bad input (kind `user`, exit 2): the message says what was wrong, the hint what to do. */
export class VaultError extends ReleaseError {
	declare readonly code: VaultErrorCode;

	constructor(code: VaultErrorCode, message: string, hint?: string) {
		super(code, message, hint);
		this.name = 'VaultError';
	}

	get kind(): ErrorKind {
		return 'user';
	}
}

export interface VaultPayloadInput {
	/** The signing account: SS58 address or 0x public key (32 bytes). */
	address: string;
	/** The chain's genesis hash (32 bytes). */
	genesisHash: Hex | Uint8Array;
	/** The call (`ExtrinsicPayload.method`, without a length prefix). */
	call: Hex | Uint8Array;
	/** The bytes to be signed, `ExtrinsicPayload.toU8a({ method: true })`: the call, then the extensions. Never its blake2 hash. */
	signingPayload: Hex | Uint8Array;
	crypto: VaultCrypto;
}

function bytes(value: Hex | Uint8Array, what: string, code: VaultErrorCode): Uint8Array {
	if (isU8a(value)) return value;
	if (isHex(value)) return hexToU8a(value);
	throw new VaultError(code, `${what} is not 0x-prefixed hex`);
}

/** The UOS bytes Polkadot Vault scans for a transaction signing request. */
export function vaultPayload({ address, genesisHash, call, signingPayload, crypto }: VaultPayloadInput): Uint8Array {
	let publicKey: Uint8Array;
	try {
		publicKey = decodeAddress(address);
	} catch (error) {
		throw new VaultError(
			'vault-address',
			`${address} is not an address (${(error as Error).message})`,
			'give the SS58 address or 0x public key of the Vault account',
		);
	}
	if (publicKey.length !== 32) throw new VaultError('vault-address', `${address} is not a 32-byte sr25519 or ed25519 key`);
	if (!(crypto in UOS_CRYPTO)) throw new VaultError('vault-payload', `Vault signs with sr25519 or ed25519 here, not ${String(crypto)}`);
	const genesis = bytes(genesisHash, 'the genesis hash', 'vault-genesis');
	if (genesis.length !== 32) throw new VaultError('vault-genesis', `the genesis hash is ${genesis.length} bytes, not 32`);
	const method = bytes(call, 'the call', 'vault-payload');
	const payload = bytes(signingPayload, 'the signing payload', 'vault-payload');
	if (method.length === 0 || payload.length <= method.length || !method.every((b, i) => payload[i] === b)) {
		throw new VaultError(
			'vault-payload',
			'the signing payload does not start with the call',
			'pass ExtrinsicPayload.toU8a({ method: true }) (the call, then the extensions), not its hash',
		);
	}
	return u8aConcat(
		new Uint8Array([UOS_SUBSTRATE, UOS_CRYPTO[crypto], UOS_TRANSACTION]),
		publicKey,
		compactToU8a(method.length),
		payload,
		genesis,
	);
}

/** The UOS bytes cut into frames of at most `maxBytesPerFrame` bytes each, header included. */
export function vaultFrames(uos: Uint8Array, maxBytesPerFrame: number): Uint8Array[] {
	const room = Math.floor(maxBytesPerFrame) - FRAME_HEADER_BYTES;
	if (!(room > 0))
		throw new VaultError(
			'vault-frame-size',
			`a frame of ${maxBytesPerFrame} bytes has no room after its ${FRAME_HEADER_BYTES}-byte header`,
		);
	if (uos.length === 0) throw new VaultError('vault-payload', 'the Vault payload is empty');
	const count = Math.ceil(uos.length / room);
	if (count > 0xffff) throw new VaultError('vault-frame-size', `${count} frames are more than a multipart QR code can number`);
	const frames: Uint8Array[] = [];
	for (let index = 0; index < count; index++) {
		const chunk = uos.subarray(index * room, (index + 1) * room);
		frames.push(u8aConcat(new Uint8Array([0x00, count >> 8, count & 0xff, index >> 8, index & 0xff]), chunk));
	}
	return frames;
}

/** Bytes a QR code of each version (1..40) holds in byte mode at error correction level L. */
const BYTE_CAPACITY_L = [
	17, 32, 53, 78, 106, 134, 154, 192, 230, 271, 321, 367, 425, 458, 520, 586, 644, 718, 792, 858, 929, 1003, 1091, 1171, 1273, 1367, 1465,
	1528, 1628, 1732, 1840, 1952, 2068, 2188, 2303, 2431, 2563, 2699, 2809, 2953,
];

/** Bytes a QR code of this version holds (byte mode, level L). */
export function qrCapacity(version: number): number {
	const capacity = BYTE_CAPACITY_L[version - 1];
	if (capacity === undefined) throw new RangeError(`QR versions are 1 to 40, not ${version}`);
	return capacity;
}

/** Modules on a side of a QR code of this version. */
export function qrSide(version: number): number {
	return 17 + 4 * version;
}

/** Columns and lines a QR code of this version takes drawn by `halfBlockLines`. */
export function qrTextSize(version: number, quiet = DEFAULT_QUIET): { columns: number; rows: number } {
	const side = qrSide(version) + 2 * quiet;
	return { columns: side, rows: Math.ceil(side / 2) };
}

/**
 * The QR module matrix of one frame (byte mode, level L): `matrix[row][column]`, true for a
 * dark module. `version` forces the size (every frame of a request the same size); the
 * smallest that holds the bytes otherwise.
 */
export function qrMatrix(data: Uint8Array, version?: number): boolean[][] {
	const qr = QRCode.create([{ data, mode: 'byte' }], { errorCorrectionLevel: 'L', ...(version ? { version } : {}) });
	const { size } = qr.modules;
	const matrix: boolean[][] = [];
	for (let row = 0; row < size; row++) {
		const line: boolean[] = [];
		for (let column = 0; column < size; column++) line.push(Boolean(qr.modules.get(row, column)));
		matrix.push(line);
	}
	return matrix;
}

/**
 * Lines of text drawing the matrix with half blocks: each character is two modules of one
 * column, the upper and the lower (▀ upper, ▄ lower, █ both, space neither), inside a quiet
 * zone of `quiet` light modules (an odd count of rows gets one more light row at the bottom).
 *
 * The blocks draw the LIGHT modules, and the dark ones are the background. Scanners read
 * dark-on-light codes (many, Vault's camera among them, miss inverted ones), and terminals
 * are mostly light text on a dark background: drawn this way the code shows as dark on
 * light. Where the view can set colours it draws the lines white on black, which reads the
 * same on a light-themed terminal; `lightAs: 'space'` draws the dark modules instead, for
 * plain output on a light background.
 */
export function halfBlockLines(
	matrix: boolean[][],
	{ quiet = DEFAULT_QUIET, lightAs = 'block' }: { quiet?: number; lightAs?: 'block' | 'space' } = {},
): string[] {
	const size = matrix.length;
	const side = size + 2 * quiet;
	const dark = (row: number, column: number): boolean => {
		const r = row - quiet;
		const c = column - quiet;
		return r >= 0 && r < size && c >= 0 && c < size && matrix[r]![c] === true;
	};
	const drawn = (row: number, column: number): boolean => (lightAs === 'block' ? !dark(row, column) : dark(row, column));
	const lines: string[] = [];
	for (let row = 0; row < side; row += 2) {
		let line = '';
		for (let column = 0; column < side; column++) {
			const upper = drawn(row, column);
			// the row below the last: light quiet zone
			const lower = row + 1 < side ? drawn(row + 1, column) : lightAs === 'block';
			line += upper ? (lower ? '█' : '▀') : lower ? '▄' : ' ';
		}
		lines.push(line);
	}
	return lines;
}

/** Do the lines fit in `columns` × `rows` cells? (Half blocks are one column each.) */
export function fitsTerminal(lines: readonly string[], columns: number, rows: number): boolean {
	return lines.length <= rows && lines.every((line) => [...line].length <= columns);
}

export interface VaultQrOptions {
	/** Columns and rows the code may take. */
	columns: number;
	rows: number;
	quiet?: number;
	/** Rows the rest of the screen takes (title, keys), for the size the enlarge note asks for. */
	extraRows?: number;
}

export type VaultQr =
	| {
			kind: 'frames';
			/** QR version of every frame (the same size each). */
			version: number;
			frames: Uint8Array[];
			/** Columns and rows one frame takes. */
			columns: number;
			rows: number;
	  }
	| {
			kind: 'too-small';
			/** "enlarge the terminal to at least N×M to show the QR code" */
			note: string;
			columns: number;
			rows: number;
	  };

/**
 * The frames of a request for a space of `columns` × `rows`: the largest QR version that fits
 * there (the fewest frames), then the smallest version that holds the longest frame. When
 * not even version 1 fits, a note saying how large the terminal must be.
 */
export function vaultQr(uos: Uint8Array, { columns, rows, quiet = DEFAULT_QUIET, extraRows = 0 }: VaultQrOptions): VaultQr {
	let fitting = 0;
	for (let version = 1; version <= 40; version++) {
		const size = qrTextSize(version, quiet);
		if (size.columns <= columns && size.rows <= rows) fitting = version;
	}
	if (fitting === 0) {
		const least = qrTextSize(1, quiet);
		return {
			kind: 'too-small',
			note: `enlarge the terminal to at least ${least.columns}×${least.rows + extraRows} to show the QR code`,
			columns: least.columns,
			rows: least.rows + extraRows,
		};
	}
	const frames = vaultFrames(uos, qrCapacity(fitting));
	const longest = Math.max(...frames.map((frame) => frame.length));
	let version = 1;
	while (qrCapacity(version) < longest) version++;
	return { kind: 'frames', version, frames, ...qrTextSize(version, quiet) };
}

/** The half-block lines of one frame of a `vaultQr` plan. */
export function frameLines(frame: Uint8Array, version: number, quiet = DEFAULT_QUIET): string[] {
	return halfBlockLines(qrMatrix(frame, version), { quiet });
}

/** Signature lengths accepted: 64 (sr25519, ed25519), 65 (with a type prefix, or ecdsa), 66 (ecdsa with its prefix). */
const SIGNATURE_BYTES = new Set([64, 65, 66]);
const HEX_TEXT = /^(0x)?([0-9a-fA-F]+)$/u;

export interface ReadSignatureResult {
	/** As given (a type prefix kept where there was one), lowercase, 0x-prefixed. */
	signature: Hex;
	from: 'hex' | 'image';
	/** The image file read, when `from` is 'image'. */
	file?: string;
}

const WHAT_TO_GIVE = "paste the signature as 0x… hex, or give the path of a PNG image of Vault's signature QR code";

function hexSignature(text: string): Hex | { bytes: number } | undefined {
	const match = HEX_TEXT.exec(text);
	if (!match || match[2]!.length % 2 !== 0) return undefined;
	const length = match[2]!.length / 2;
	if (!SIGNATURE_BYTES.has(length)) return { bytes: length };
	const hex = `0x${match[2]!.toLowerCase()}` as Hex;
	if (length === 66 && !hex.startsWith('0x02')) return { bytes: length };
	return hex;
}

function lengthError(bytes: number, where: string): VaultError {
	return new VaultError(
		where === 'pasted' ? 'vault-signature-length' : 'vault-qr-not-signature',
		`${where === 'pasted' ? 'the pasted signature' : `the QR code in ${where}`} is ${bytes} bytes of hex; a signature is 64 bytes (65 or 66 with its type prefix 00, 01 or 02)`,
		'copy the whole signature Vault shows after signing this payload',
	);
}

/**
 * The signature coming back from Vault: pasted hex (0x… or bare, 64/65/66 bytes, a type
 * prefix 00/01/02 kept as given), or the path (relative to `cwd`, `~/` for the home
 * directory) of a PNG image of Vault's signature QR code. That code holds the signature as
 * hex text without 0x (Vault's `create_signature_png`; polkadot-js apps' `ScanSignature`
 * prepends the 0x); a code holding the raw signature bytes is taken too.
 */
export function readSignature(input: string, { cwd }: { cwd: string }): ReadSignatureResult {
	const text = input.trim();
	if (text === '') throw new VaultError('vault-signature-empty', 'no signature given', WHAT_TO_GIVE);
	const pasted = hexSignature(text);
	if (typeof pasted === 'string') return { signature: pasted, from: 'hex' };
	if (pasted && /^0x/iu.test(text)) throw lengthError(pasted.bytes, 'pasted');

	const file = path.resolve(cwd, text.startsWith('~/') ? path.join(os.homedir(), text.slice(2)) : text);
	let content: Buffer;
	try {
		content = fs.readFileSync(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (pasted) throw lengthError(pasted.bytes, 'pasted');
		throw new VaultError(
			'vault-file-missing',
			code === 'ENOENT' ? `no file at ${file}` : `cannot read ${file} (${code ?? (error as Error).message})`,
			WHAT_TO_GIVE,
		);
	}
	const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	if (content.length < 8 || !PNG_MAGIC.every((b, i) => content[i] === b)) {
		throw new VaultError(
			'vault-not-png',
			`${file} is not a PNG image`,
			"save Vault's signature QR code as a PNG (a screenshot or a photo converted to PNG), or paste the signature as 0x… hex",
		);
	}
	let image: PNG;
	try {
		image = PNG.sync.read(content);
	} catch (error) {
		throw new VaultError(
			'vault-not-png',
			`${file} could not be read as a PNG image (${(error as Error).message})`,
			'save the image again as a PNG, or paste the signature as 0x… hex',
		);
	}
	const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height, {
		inversionAttempts: 'attemptBoth',
	});
	if (!code) {
		throw new VaultError(
			'vault-no-qr',
			`no QR code found in ${file}`,
			"take the picture of Vault's signature QR code with the whole code and some margin in it, or paste the signature as 0x… hex",
		);
	}
	const scanned = hexSignature(code.data.trim());
	if (typeof scanned === 'string') return { signature: scanned, from: 'image', file };
	if (SIGNATURE_BYTES.has(code.binaryData.length) && !HEX_TEXT.test(code.data.trim())) {
		const raw = u8aToHex(Uint8Array.from(code.binaryData));
		if (code.binaryData.length !== 66 || raw.startsWith('0x02')) return { signature: raw, from: 'image', file };
	}
	if (scanned) throw lengthError(scanned.bytes, file);
	const shown = code.data.length > 40 ? `${code.data.slice(0, 40)}…` : code.data;
	throw new VaultError(
		'vault-qr-not-signature',
		`the QR code in ${file} does not hold a signature (it holds ${JSON.stringify(shown)})`,
		'picture the QR code Vault shows after you approve the transaction, not the one the console shows',
	);
}
