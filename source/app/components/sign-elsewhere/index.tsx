import { Box, Text } from 'ink';
import type { SigningHandout } from '../../../engine/context.js';
import { colors, formatBytesExact, formatInt } from '../../theme.js';
import { TextInput } from '../text-input/index.js';

/** Bytes in a 0x-hex string. */
export function hexBytes(hex: string): number {
	return Math.max(0, (hex.length - 2) / 2);
}

/** A hex string cut into lines of at most `width` characters (never cut elsewhere: the lines join back to it). */
export function hexLines(hex: string, width: number): string[] {
	const step = Math.max(8, width);
	const out: string[] = [];
	for (let i = 0; i < hex.length; i += step) out.push(hex.slice(i, i + step));
	return out;
}

/** The `polkadot-js-signer` command that signs the payload on the signing machine (its secret stays there). */
export function signerCliCommand(signing: Pick<SigningHandout, 'address' | 'crypto' | 'signingPayload'>): string {
	return `polkadot-js-signer sign --account ${signing.address} --type ${signing.crypto} --seed <its secret, on that machine only> ${signing.signingPayload}`;
}

export interface SignElsewhereProps {
	signing: SigningHandout;
	/** Columns for the payload's hex lines. */
	width: number;
}

/**
 * The payload handed out to sign elsewhere, exactly as the chain will verify it, with
 * how to sign it (polkadot-js-signer, Polkadot Vault) and how to give the signature back.
 * Shown under the signer prompt, which says what it is and why this key may sign.
 */
export function SignElsewhere({ signing, width }: SignElsewhereProps) {
	const bytes = hexBytes(signing.signingPayload);
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold color={colors.warn} wrap="wrap">
				{`Payload to sign: exactly these ${formatInt(bytes)} bytes, by ${signing.address} (${signing.crypto})`}
			</Text>
			{signing.hashed ? (
				<Text color={colors.muted} wrap="wrap">
					{`the blake2-256 of the ${formatBytesExact(hexBytes(signing.extrinsicPayload))} extrinsic payload: it is longer than 256 bytes, so that hash is what the chain verifies`}
				</Text>
			) : null}
			{hexLines(signing.signingPayload, width - 2).map((line, i) => (
				<Text key={i}>{`  ${line}`}</Text>
			))}
			<Text wrap="wrap">{`valid until block #${formatInt(signing.expiresAt)} (the chain is at #${formatInt(signing.bestBlock)}); nonce ${signing.nonce}`}</Text>
			<Text wrap="wrap">On the signing machine (polkadot-js-signer, from @polkadot/signer-cli):</Text>
			<Text wrap="wrap">{`  ${signerCliCommand(signing)}`}</Text>
			<Text wrap="wrap">
				or tab: the request as a Polkadot Vault QR code (Vault shows the call, signs it, and shows the signature as a QR code).
			</Text>
			<Text wrap="wrap">
				Then paste the signature below: the “Signature: 0x…” line, the hex, or the path of a PNG of Vault’s signature QR code.
			</Text>
		</Box>
	);
}

export interface SignatureInputProps {
	text: string;
}

/** The line the signature is pasted into. */
export function SignatureInput({ text }: SignatureInputProps) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">Signature (a “Signature: 0x…” line, hex, or the path of a PNG of Vault’s QR):</Text>
			<TextInput prefix="> " value={text} />
		</Box>
	);
}

/** Lines the signature field takes at `columns` (its label, then the value wrapped). */
export function signatureInputLines(text: string, columns: number): number {
	return 1 + Math.max(1, Math.ceil((2 + [...text].length + 1) / Math.max(1, columns)));
}
