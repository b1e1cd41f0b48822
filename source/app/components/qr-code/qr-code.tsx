import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { DEFAULT_QUIET, frameLines, vaultQr } from '../../../signer/vault.js';
import { useTerminalSize } from '../../hooks/use-terminal-size.js';
import { colors } from '../../theme.js';
import { DEFAULT_FRAME_MS, useQrCodeState } from './use-qr-code-state.js';

export interface QrCodeProps {
	/** What the code carries: the UOS bytes of `vaultPayload` (cut into frames here, as many as the space needs). */
	uos: Uint8Array;
	/** Space for the code and its caption line; the terminal's size less `reservedRows` by default. */
	columns?: number;
	rows?: number;
	/** Rows the rest of the screen takes (title, keys): left out of the default `rows`, and added to the size the enlarge note asks for. */
	reservedRows?: number;
	/** Time each frame of a multi-frame code is shown. */
	intervalMs?: number;
	quiet?: number;
}

/** Lines under the code: the caption (which frame, what to do). */
const CAPTION_ROWS = 1;

/**
 * A Polkadot Vault signing request drawn with half blocks (`halfBlockLines`: light modules
 * are the blocks), white on black so that it reads dark-on-light whatever the terminal's
 * theme; frames cycle when the request needs more than one. Where not even the smallest
 * code fits, the note says how large the terminal must be.
 */
export function QrCode({ uos, columns, rows, reservedRows = 4, intervalMs = DEFAULT_FRAME_MS, quiet = DEFAULT_QUIET }: QrCodeProps) {
	const terminal = useTerminalSize();
	const width = columns ?? terminal.columns;
	const height = rows ?? (terminal.rows === undefined ? 24 : terminal.rows) - reservedRows;
	const plan = useMemo(
		() =>
			vaultQr(uos, {
				columns: width,
				rows: height - CAPTION_ROWS,
				quiet,
				extraRows: CAPTION_ROWS + (rows === undefined ? reservedRows : 0),
			}),
		[uos, width, height, quiet, rows, reservedRows],
	);
	const count = plan.kind === 'frames' ? plan.frames.length : 0;
	const { index } = useQrCodeState(count, intervalMs);
	const lines = useMemo(
		() => (plan.kind === 'frames' ? frameLines(plan.frames[Math.min(index, plan.frames.length - 1)]!, plan.version, quiet) : []),
		[plan, index, quiet],
	);
	if (plan.kind === 'too-small') {
		return (
			<Text color={colors.warn} wrap="wrap">
				{plan.note}
			</Text>
		);
	}
	return (
		<Box flexDirection="column">
			{lines.map((line, row) => (
				<Text key={row} color="whiteBright" backgroundColor="black">
					{line}
				</Text>
			))}
			<Text dimColor wrap="truncate">
				{count > 1
					? `frame ${index + 1}/${count} · scan with Polkadot Vault; it collects the frames as they pass`
					: 'scan with Polkadot Vault'}
			</Text>
		</Box>
	);
}
