import { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { SigningHandout } from '../../../engine/context.js';
import { vaultPayload } from '../../../signer/vault.js';
import { colors, formatBytesExact } from '../../theme.js';
import { QrCode } from '../qr-code/index.js';

/** Lines the view takes besides the code and its caption: its title, the size line, and the keys line under it (and the line a frame leaves free). */
export const VAULT_VIEW_RESERVED_ROWS = 4;

/**
 * The payload handed out as Polkadot Vault's signing request (UOS: the whole call and its
 * extensions, so Vault decodes and shows what it signs), drawn as a QR code that cycles
 * through its frames where the request needs several.
 */
export function VaultView({ signing }: { signing: SigningHandout }) {
	const request = useMemo((): { uos: Uint8Array } | { error: string } => {
		if (signing.crypto === 'ecdsa') return { error: 'Polkadot Vault signs with sr25519 or ed25519 keys here, not ecdsa' };
		try {
			return {
				uos: vaultPayload({
					address: signing.address,
					genesisHash: signing.genesisHash,
					call: signing.call,
					// Vault takes the whole payload (never its hash): it shows the call, and hashes it itself where it is long.
					signingPayload: signing.extrinsicPayload,
					crypto: signing.crypto,
				}),
			};
		} catch (error) {
			const hint = (error as { hint?: string }).hint;
			return { error: `${(error as Error).message}${hint ? `; ${hint}` : ''}` };
		}
	}, [signing]);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{`Polkadot Vault: sign with ${signing.address}`}
			</Text>
			{'uos' in request ? (
				<>
					<Text color={colors.muted} wrap="truncate-end">
						{`request ${formatBytesExact(request.uos.length)}: the whole call, so Vault shows what it signs`}
					</Text>
					<QrCode uos={request.uos} reservedRows={VAULT_VIEW_RESERVED_ROWS} />
				</>
			) : (
				<Text color={colors.bad} wrap="wrap">
					{request.error}
				</Text>
			)}
		</Box>
	);
}
