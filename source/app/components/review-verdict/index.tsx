import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';
import { Paragraph } from '../paragraph/index.js';
import type { Verdict } from '../../../review/types.js';

export interface ReviewVerdictProps {
	verdict: Verdict;
	/** The one-line verdict ("MATCH: …", "MISMATCH: …", "BLOCKED: …"). */
	line: string;
	/** What differs, one entry each (full hashes). */
	differences?: string[];
}

const STYLE: Record<Verdict, { symbol: string; color: string }> = {
	match: { symbol: symbols.done, color: colors.ok },
	mismatch: { symbol: symbols.failed, color: colors.bad },
	blocked: { symbol: symbols.failed, color: colors.bad },
	unverified: { symbol: symbols.warning, color: colors.warn },
};

/** The verdict comes first, in colour, with a symbol so it still reads without colour. */
export function ReviewVerdict({ verdict, line, differences = [] }: ReviewVerdictProps) {
	const style = STYLE[verdict];
	return (
		<Box borderStyle="round" borderColor={style.color} flexDirection="column" paddingX={1} width="100%">
			<Paragraph bold color={style.color}>
				{style.symbol} {line}
			</Paragraph>
			{differences.map((d, i) => (
				<Box key={i} paddingLeft={2}>
					<Text color={style.color}>differs: {d}</Text>
				</Box>
			))}
		</Box>
	);
}
