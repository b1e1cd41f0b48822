/**
 * Signing elsewhere: the payload an outside signer (polkadot-js's
 * `polkadot-js-signer sign`, Polkadot Vault) signs, built exactly as the
 * chain verifies it, and the signature that comes back checked against that
 * payload and address before it is attached to the extrinsic. No secret is
 * ever handled here.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { hexToU8a, isHex, u8aConcat, u8aToHex } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, cryptoWaitReady, mnemonicGenerate, signatureVerify } from '@polkadot/util-crypto';
import type { AwaitingSignature, Hex } from '../domain/types.js';
import type { Validity } from './validate.js';
import { mortalEra, wouldAccept } from './submit.js';

/** Payloads longer than this are signed as their blake2-256 (sp_runtime's `SignedPayload::using_encoded`). */
export const HASHED_PAYLOAD_OVER = 256;

/** How long a payload handed out stays valid by default: a person carries it to another machine and back. */
export const EXTERNAL_MORTAL_PERIOD = 256;

class Captured extends Error {}

export interface SigningRequest {
	awaiting: AwaitingSignature;
	mortalFrom: number;
	mortalPeriod: number;
}

/** The bytes a signer signs for an extrinsic payload: itself, or its blake2-256 when longer than 256 bytes. */
export function signingBytes(extrinsicPayload: Uint8Array): Uint8Array {
	return extrinsicPayload.length > HASHED_PAYLOAD_OVER ? blake2AsU8a(extrinsicPayload, 256) : extrinsicPayload;
}

/**
 * Build the signing payload of `tx` for `address` with every signed extension the
 * chain's metadata declares (polkadot-js fills them in as it does for any signer),
 * a mortal era from the best block and the given nonce.
 */
export async function signingRequest(
	api: ApiPromise,
	tx: SubmittableExtrinsic<'promise'>,
	address: string,
	nonce: number,
	period = EXTERNAL_MORTAL_PERIOD,
): Promise<SigningRequest> {
	const { era, blockHash, birth } = await mortalEra(api, period);
	let captured: SignerPayloadJSON | undefined;
	const signer = {
		signPayload: async (payload: SignerPayloadJSON): Promise<never> => {
			captured = payload;
			throw new Captured('captured');
		},
	};
	// A copy: the plan's own extrinsic stays unsigned.
	const copy = api.tx(api.createType('Call', tx.method.toHex()));
	try {
		await copy.signAsync(address, { nonce, era, blockHash, signer });
	} catch (error) {
		if (!(error instanceof Captured)) throw error;
	}
	if (!captured) throw new Error('polkadot-js did not hand out a signing payload');
	const extrinsicPayload = api.registry.createType('ExtrinsicPayload', captured, { version: captured.version }).toU8a({ method: true });
	const mortal = era.asMortalEra;
	return {
		awaiting: {
			payload: { ...captured } as unknown as Record<string, unknown>,
			signingPayload: u8aToHex(signingBytes(extrinsicPayload)) as Hex,
			extrinsicPayload: u8aToHex(extrinsicPayload) as Hex,
			expiresAt: mortal.death(birth),
		},
		mortalFrom: mortal.birth(birth),
		mortalPeriod: mortal.period.toNumber(),
	};
}

export type Attached =
	{ ok: true; tx: SubmittableExtrinsic<'promise'>; signature: Hex; extrinsicHash: Hex } | { ok: false; reason: string; hint: string };

const TYPE_BYTE = { ed25519: 0, sr25519: 1, ecdsa: 2 } as const;

/** A signature as given: `0x` hex of 64 bytes (sr25519/ed25519), 65 (ecdsa, or typed) or 66 (typed ecdsa). */
export function parseSignature(text: string): { ok: true; bytes: Uint8Array } | { ok: false; reason: string; hint: string } {
	const s = text.trim().replace(/^Signature:\s*/i, '');
	if (!isHex(s))
		return {
			ok: false,
			reason: 'the signature is not 0x-prefixed hex',
			hint: 'paste the line polkadot-js-signer prints ("Signature: 0x…"), or the hex Vault shows',
		};
	const bytes = hexToU8a(s);
	if (![64, 65, 66].includes(bytes.length))
		return {
			ok: false,
			reason: `the signature is ${bytes.length} bytes; a signature is 64 bytes (65 or 66 with its type byte)`,
			hint: 'copy the whole signature, nothing more',
		};
	return { ok: true, bytes };
}

/** Do the last 64 bytes of two signatures match (the same signature with or without its type byte)? */
export function sameSignature(a: string, b: string): boolean {
	const tail = (s: string) =>
		s
			.trim()
			.toLowerCase()
			.replace(/^signature:\s*/, '')
			.slice(-128);
	return tail(a) === tail(b);
}

/**
 * Check a signature that came back against the payload handed out and the
 * address that was to sign it, then attach it to the extrinsic that payload
 * describes. Nothing is sent here.
 */
export async function attachSignature(api: ApiPromise, awaiting: AwaitingSignature, address: string, signature: string): Promise<Attached> {
	await cryptoWaitReady();
	const parsed = parseSignature(signature);
	if (!parsed.ok) return parsed;
	const message = hexToU8a(awaiting.signingPayload);
	const check = signatureVerify(message, parsed.bytes, address);
	if (!check.isValid) {
		const full = hexToU8a(awaiting.extrinsicPayload);
		const ofFull = full.length > HASHED_PAYLOAD_OVER && signatureVerify(full, parsed.bytes, address).isValid;
		return {
			ok: false,
			reason: ofFull
				? `the signature is of the whole ${full.length}-byte payload; the chain verifies a signature of its blake2-256`
				: `the signature does not verify for ${address} and the payload handed out (${short(awaiting.signingPayload)}): it was made for another payload or by another key`,
			hint: `sign exactly ${awaiting.signingPayload.length > 70 ? 'the payload printed' : awaiting.signingPayload} with the key of ${address}; nothing was sent`,
		};
	}
	const crypto = check.crypto as keyof typeof TYPE_BYTE;
	const typed = parsed.bytes.length === 64 || (crypto === 'ecdsa' && parsed.bytes.length === 65);
	const multi = typed ? u8aConcat(new Uint8Array([TYPE_BYTE[crypto] ?? 1]), parsed.bytes) : parsed.bytes;
	const payload = awaiting.payload as unknown as SignerPayloadJSON;
	const tx = api.tx(api.createType('Call', payload.method));
	tx.addSignature(address, multi, payload);
	return { ok: true, tx, signature: u8aToHex(multi) as Hex, extrinsicHash: tx.hash.toHex() as Hex };
}

/** What a throwaway key's unfunded, unknown account is refused for, and tells nothing about the call. */
const ABOUT_THE_PROBE = new Set(['Payment', 'BadProof', 'Stale', 'Future', 'CannotLookup', 'BadSigner']);

/**
 * Before an outside signer is asked: would the chain take this call at all? The
 * call is signed by a throwaway key (generated here, never kept) and validated;
 * what the chain says about the throwaway account itself (no funds, no nonce) is
 * ignored, what it says about the call (a filter, a custom refusal) is returned.
 * The real extrinsic is validated again, signed, before it is sent.
 */
export async function probeCall(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>): Promise<Validity> {
	await cryptoWaitReady();
	const throwaway = new Keyring({ type: 'sr25519' }).addFromUri(mnemonicGenerate());
	const validity = await wouldAccept(api, tx, throwaway, 0);
	if (!validity.ok && ABOUT_THE_PROBE.has(validity.code)) return { ok: true, checked: false, note: `probe said ${validity.code}` };
	return validity;
}

function short(hex: string): string {
	return hex.length > 22 ? `${hex.slice(0, 12)}…${hex.slice(-8)}` : hex;
}
