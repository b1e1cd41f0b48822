import { Box, Text } from 'ink';
import { colors } from '../../theme.js';

export interface ReviewDetailsProps {
	/** Detail lines (proposal, preimages, upgrades, wasm, record, problems). */
	details: string[];
	/** Live vote state lines. */
	vote: string[];
	/** The reviewer's role, if known. */
	role?: string;
	/** At most this many detail lines (the rest is summarised). */
	maxLines?: number;
}

function tone(line: string): string | undefined {
	if (/BLOCKING|MISSING|DIFFER|DOES NOT VERIFY|NOT forward|✖/.test(line)) return colors.bad;
	if (/warning|⚠/.test(line)) return colors.warn;
	return undefined;
}

/**
 * Details of a review: what is on chain, what was compared, and the live vote. Lines wrap, never cut:
 * the hashes a person compares (motion, preimage, code and call hash) are shown whole; the screen scrolls.
 */
export function ReviewDetails({ details, vote, role, maxLines }: ReviewDetailsProps) {
	const shown = maxLines !== undefined && details.length > maxLines ? details.slice(0, maxLines) : details;
	const hidden = details.length - shown.length;
	return (
		<Box flexDirection="column" width="100%">
			{shown.map((line, i) => (
				<Text key={i} color={tone(line)} wrap="wrap">
					{line}
				</Text>
			))}
			{hidden > 0 ? <Text color={colors.muted}>… {hidden} more lines (`release-console review … ` prints them all)</Text> : null}
			<Box marginTop={1} flexDirection="column">
				{vote.map((line, i) => (
					<Text key={i} bold={i === 0} wrap="wrap">
						{line}
					</Text>
				))}
				{role ? (
					<Text color={colors.accent} wrap="wrap">
						you: {role}
					</Text>
				) : null}
			</Box>
		</Box>
	);
}
