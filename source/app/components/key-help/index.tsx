import { Box, Text } from 'ink';
import { helpFor, type Mode } from '../../keys.js';

const MODE_TITLES: Partial<Record<Mode, string>> = {
	home: 'releases',
	release: 'release',
	prompt: 'signer prompt',
	compat: 'compatibility list',
	'compat-detail': 'a change of the compatibility list',
	alignment: 'alignment view',
	review: 'review',
	'review-choose': 'review: choose your vote',
	'review-form': 'review form',
	'review-amount': 'review: amount and conviction',
	signature: 'sign elsewhere: the signature field',
	vault: 'Polkadot Vault QR code',
	report: 'rehearsal report',
};

/** The keys of a mode, generated from the one table (keys.ts): what the screen shows on `?`. */
export function KeyHelp({ mode }: { mode: Mode }) {
	const lines = helpFor(mode);
	const width = Math.min(20, Math.max(...lines.map((l) => l.keys.length)) + 2);
	return (
		<Box flexDirection="column">
			<Text bold>Keys — {MODE_TITLES[mode] ?? mode}</Text>
			{lines.map((line) => (
				<Box key={line.keys + line.label}>
					<Box width={width} flexShrink={0}>
						<Text color="cyan" bold>
							{line.keys}
						</Text>
					</Box>
					<Text wrap="wrap">{line.label}</Text>
				</Box>
			))}
			<Text color="gray">In a text field every character is text: enter uses it, esc goes back, ctrl+c quits.</Text>
		</Box>
	);
}
