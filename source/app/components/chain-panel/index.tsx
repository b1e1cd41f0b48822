import { Box, Text } from 'ink';
import type { ChainState, ConnectionState } from '../../../chain/types.js';
import { colors, formatAgo, formatInt, symbols } from '../../theme.js';
import { shortHash } from '../../../domain/hash-text.js';

export interface ChainPanelProps {
	state: ChainState;
	/** Wall time (ms since epoch) to measure "last block Xs ago" against. */
	now: number;
	envName: string;
	envKind: string;
	/** Who signs in this session, as the person named it (//Alice, a keystore file and its name, env:VAR). */
	signer?: string;
	/** An embedded chain that builds blocks only when someone acts or asks: no block for a while is not a stall. */
	paced?: boolean;
}

/** Seconds without a new best block before the age turns yellow / red. */
export const SLOW_BLOCK_SECONDS = 12;
export const STALLED_BLOCK_SECONDS = 60;

interface ConnectionView {
	symbol: string;
	text: string;
	endpoint?: string;
	/** Shown after the endpoint (e.g. why a fallback endpoint is in use). */
	note?: string;
	color: string;
}

/**
 * `now` counts the reconnect delay down ("next in 3s", "2s", …) when the state
 * says when the next attempt is; without it the whole delay is shown.
 */
export function describeConnection(connection: ConnectionState, now?: number): ConnectionView {
	switch (connection.status) {
		case 'idle':
			return { symbol: symbols.pending, text: 'not connected', color: colors.muted };
		case 'starting-embedded':
			return { symbol: symbols.waiting, text: `starting embedded ${connection.chain}…`, color: colors.warn };
		case 'connecting':
			return { symbol: symbols.waiting, text: 'connecting…', endpoint: connection.endpoint, color: colors.warn };
		case 'connected': {
			// Say when this is not the first endpoint, or when it took reconnects to get here.
			const notes = [
				connection.skipped?.length ? `fallback; ${connection.skipped.length} down` : '',
				connection.reconnects ? `reconnected, ${connection.reconnects} ${connection.reconnects === 1 ? 'try' : 'tries'}` : '',
			].filter(Boolean);
			return {
				symbol: symbols.done,
				text: 'connected',
				endpoint: connection.endpoint,
				note: notes.length ? `(${notes.join('; ')})` : undefined,
				color: colors.ok,
			};
		}
		case 'reconnecting': {
			const remainingMs =
				connection.nextAttemptAt !== undefined && now !== undefined
					? Math.min(connection.backoffMs, connection.nextAttemptAt - now)
					: connection.backoffMs;
			const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
			return {
				symbol: symbols.waiting,
				text: `reconnecting (attempt ${connection.attempt}, next in ${seconds}s)`,
				endpoint: connection.endpoint,
				color: colors.warn,
			};
		}
		case 'error':
			return {
				symbol: symbols.failed,
				text: `error: ${connection.message}`,
				endpoint: connection.endpoint,
				color: colors.bad,
			};
	}
}

/** The signer as the person named it, short enough for the panel: //Alice, alice.json (Alice), from env:VAR. */
export function signerName(label: string): string {
	if (label.startsWith('dev account ')) return label.slice('dev account '.length);
	if (label.startsWith('secret from $')) return `from env:${label.slice('secret from $'.length)}`;
	const keystore = /^keystore (.+?)( \(.*\))?$/.exec(label);
	if (keystore) return `${keystore[1]!.split(/[\\/]/).pop()}${keystore[2] ?? ''}`;
	return label;
}

function kindColor(kind: string): string | undefined {
	if (kind === 'production') return colors.bad;
	if (kind === 'testnet') return colors.warn;
	return colors.muted;
}

function blockNumber(n: number | undefined): string {
	return n === undefined ? '—' : `#${formatInt(n)}`;
}

/**
 * ╭──────────────────────────────────────────────────────────────────────────────╮
 * │ rococo-local (local) · Rococo Local Testnet [SIMULATION]                      │
 * │ ✔ connected · ws://127.0.0.1:9944              spec rococo/9130 · code 0xe4…  │
 * │ best #1,234 · finalized #1,232 · last block 3s ago                            │
 * ╰──────────────────────────────────────────────────────────────────────────────╯
 */
export function ChainPanel({ state, now, envName, envKind, signer, paced }: ChainPanelProps) {
	const connection = describeConnection(state.connection, now);
	const borderColor =
		state.connection.status === 'error' ? colors.bad : state.connection.status === 'connected' ? colors.accent : colors.warn;

	let age: { text: string; color?: string } = { text: 'no block yet', color: colors.muted };
	if (state.lastBlockAt !== undefined) {
		const seconds = Math.max(0, Math.floor((now - state.lastBlockAt) / 1000));
		const text = `last block ${formatAgo(seconds)}`;
		if (paced) age = { text: `${text} (blocks when asked)` };
		else if (seconds > STALLED_BLOCK_SECONDS) age = { text: `${text} (stalled)`, color: colors.bad };
		else if (seconds > SLOW_BLOCK_SECONDS) age = { text: `${text} (slow)`, color: colors.warn };
		else age = { text };
	}

	const spec =
		state.specName !== undefined || state.specVersion !== undefined ? `${state.specName ?? '?'}/${state.specVersion ?? '?'}` : '—';
	const sep = <Text color={colors.muted}>{` ${symbols.separator} `}</Text>;

	return (
		<Box borderStyle="round" borderColor={borderColor} flexDirection="column" paddingX={1} width="100%">
			<Box>
				<Box flexShrink={0}>
					<Text>
						<Text bold>{envName}</Text>
						<Text color={kindColor(envKind)}> ({envKind})</Text>
						{sep}
					</Text>
				</Box>
				<Box flexShrink={1}>
					<Text wrap="truncate-end" color={state.chainName ? undefined : colors.muted}>
						{state.chainName ?? 'unknown chain'}
					</Text>
				</Box>
				{state.simulated ? (
					<Box flexShrink={0} marginLeft={1}>
						<Text bold color={colors.warn}>
							[SIMULATION]
						</Text>
					</Box>
				) : null}
				{state.rehearsalGenesis ? (
					<Box flexShrink={0} marginLeft={1}>
						<Text bold color={colors.warn}>
							[REAL GENESIS RUNTIME · DEV GOVERNANCE]
						</Text>
					</Box>
				) : null}
			</Box>
			<Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="truncate-end">
						<Text color={connection.color}>
							{connection.symbol} {connection.text}
						</Text>
						{connection.endpoint ? <Text color={colors.muted}>{` ${symbols.separator} ${connection.endpoint}`}</Text> : null}
						{connection.note ? <Text color={colors.warn}>{` ${connection.note}`}</Text> : null}
					</Text>
				</Box>
				<Box flexShrink={0} marginLeft={2}>
					<Text>
						<Text color={colors.muted}>spec </Text>
						{spec}
						{sep}
						<Text color={colors.muted}>code </Text>
						{shortHash(state.codeHash)}
					</Text>
				</Box>
			</Box>
			<Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text wrap="truncate-end">
						<Text color={colors.muted}>best </Text>
						{blockNumber(state.bestNumber)}
						{sep}
						<Text color={colors.muted}>finalized </Text>
						{blockNumber(state.finalizedNumber)}
						{sep}
						<Text color={age.color}>{age.text}</Text>
					</Text>
				</Box>
				{signer ? (
					<Box flexShrink={0} marginLeft={2}>
						<Text>
							<Text color={colors.muted}>signer </Text>
							<Text bold>{signer}</Text>
						</Text>
					</Box>
				) : null}
			</Box>
		</Box>
	);
}
