/**
 * Signed sign-offs. A stakeholder signs, with their own sr25519 or ed25519
 * key (@polkadot/keyring), a message that binds their decision, their group,
 * the manifest digest and the reason. Anyone can verify it with the public
 * key alone. A sign-off whose digest is not the current manifest's is stale.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress, encodeAddress, signatureVerify } from '@polkadot/util-crypto';
import type { Signoff, SignoffCryptoType, SignoffDecision } from './alignment-types.js';
import { canonicalJson, type ReleaseManifest } from './manifest.js';

export const SIGNOFF_FORMAT = 'release-console/signoff@1';
/** Minimum length of a rejection reason. */
export const MIN_REJECT_REASON = 10;

/** The exact bytes signed: canonical JSON of the purpose, decision, group, digest and reason. */
export function signoffMessage(fields: { group: string; decision: SignoffDecision; digest: string; reason?: string }): string {
	return canonicalJson({
		purpose: SIGNOFF_FORMAT,
		group: fields.group,
		decision: fields.decision,
		digest: fields.digest.toLowerCase(),
		reason: fields.reason ?? null,
	});
}

export interface CreateSignoffInput {
	manifest: Pick<ReleaseManifest, 'releaseId' | 'env'>;
	digest: string;
	group: string;
	pair: KeyringPair;
	decision: SignoffDecision;
	reason?: string;
	signedAt: string;
	ss58Format?: number;
}

export function createSignoff(input: CreateSignoffInput): Signoff {
	const { pair, group, decision, digest } = input;
	if (pair.type !== 'sr25519' && pair.type !== 'ed25519') {
		throw new Error(`a ${pair.type} key cannot sign off; use an sr25519 or ed25519 key`);
	}
	if (!/^0x[0-9a-f]{64}$/i.test(digest)) throw new Error(`digest ${digest} is not a 32-byte hex digest`);
	const reason = input.reason?.trim() || undefined;
	if (decision === 'reject' && (reason?.length ?? 0) < MIN_REJECT_REASON) {
		throw new Error(`a rejection needs a reason of at least ${MIN_REJECT_REASON} characters`);
	}
	const message = signoffMessage({ group, decision, digest, reason });
	const signature = u8aToHex(pair.sign(message));
	const signoff: Signoff = {
		format: SIGNOFF_FORMAT,
		releaseId: input.manifest.releaseId,
		env: input.manifest.env,
		group,
		signer: encodeAddress(pair.publicKey, input.ss58Format ?? 42),
		publicKey: u8aToHex(pair.publicKey),
		cryptoType: pair.type as SignoffCryptoType,
		decision,
		digest: digest.toLowerCase(),
		signature,
		signedAt: input.signedAt,
	};
	if (reason) signoff.reason = reason;
	return signoff;
}

export type SignoffVerdict = 'valid' | 'invalid-signature' | 'stale';

export interface SignoffCheck {
	verdict: SignoffVerdict;
	/** Why, in one line. */
	detail: string;
}

/**
 * Verify a sign-off with its public key only. `invalid-signature` when the
 * signature does not match the signer, its fields or its key type (or the
 * address is not the public key's); `stale` when it is a good signature over
 * another manifest digest than `expectedDigest`; `valid` otherwise.
 * Needs `cryptoWaitReady()` to have resolved.
 */
export function verifySignoff(signoff: Signoff, expectedDigest: string): SignoffCheck {
	const shape = signoffShapeProblem(signoff);
	if (shape) return { verdict: 'invalid-signature', detail: shape };
	let publicKey: Uint8Array;
	try {
		publicKey = decodeAddress(signoff.publicKey);
	} catch {
		return { verdict: 'invalid-signature', detail: `public key ${signoff.publicKey} is not a valid key` };
	}
	try {
		const fromAddress = decodeAddress(signoff.signer);
		if (u8aToHex(fromAddress) !== u8aToHex(publicKey)) {
			return {
				verdict: 'invalid-signature',
				detail: `signer ${signoff.signer} is not the address of public key ${signoff.publicKey}`,
			};
		}
	} catch {
		return { verdict: 'invalid-signature', detail: `signer ${signoff.signer} is not an SS58 address` };
	}
	const message = signoffMessage(signoff);
	let result: ReturnType<typeof signatureVerify>;
	try {
		result = signatureVerify(message, signoff.signature, publicKey);
	} catch (error) {
		return { verdict: 'invalid-signature', detail: `signature could not be checked: ${(error as Error).message}` };
	}
	if (!result.isValid)
		return { verdict: 'invalid-signature', detail: `the signature does not match ${signoff.signer} over this sign-off` };
	if (result.crypto !== signoff.cryptoType) {
		return { verdict: 'invalid-signature', detail: `the signature is ${result.crypto}, not ${signoff.cryptoType} as declared` };
	}
	if (signoff.digest.toLowerCase() !== expectedDigest.toLowerCase()) {
		return { verdict: 'stale', detail: `signed manifest ${signoff.digest}, but the manifest is now ${expectedDigest.toLowerCase()}` };
	}
	return {
		verdict: 'valid',
		detail: `${signoff.decision === 'approve' ? 'approved' : 'rejected'} by ${signoff.signer} (${signoff.cryptoType})`,
	};
}

/** Undefined when the value has a sign-off's shape; otherwise what is wrong. */
export function signoffShapeProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a sign-off must be a JSON object';
	const s = value as Record<string, unknown>;
	if (s.format !== SIGNOFF_FORMAT) return `not a sign-off (format must be ${SIGNOFF_FORMAT}, got ${JSON.stringify(s.format)})`;
	for (const field of ['releaseId', 'env', 'group', 'signer', 'publicKey', 'digest', 'signature', 'signedAt'] as const) {
		if (typeof s[field] !== 'string' || s[field] === '') return `sign-off field "${field}" is missing`;
	}
	if (s.decision !== 'approve' && s.decision !== 'reject')
		return `sign-off decision must be approve or reject (got ${JSON.stringify(s.decision)})`;
	if (s.cryptoType !== 'sr25519' && s.cryptoType !== 'ed25519')
		return `sign-off cryptoType must be sr25519 or ed25519 (got ${JSON.stringify(s.cryptoType)})`;
	if (s.reason !== undefined && typeof s.reason !== 'string') return 'sign-off reason must be text';
	if (!/^0x[0-9a-f]{64}$/i.test(s.digest as string)) return 'sign-off digest must be 0x followed by 64 hex digits';
	if (!/^0x[0-9a-f]+$/i.test(s.signature as string)) return 'sign-off signature must be 0x hex';
	return undefined;
}

/** The public key (0x hex) of an SS58 address or a 0x public key; throws with a clear message otherwise. */
export function publicKeyOf(addressOrKey: string): string {
	try {
		return u8aToHex(decodeAddress(addressOrKey.trim()));
	} catch {
		throw new Error(`"${addressOrKey}" is not an SS58 address or a 0x public key`);
	}
}
