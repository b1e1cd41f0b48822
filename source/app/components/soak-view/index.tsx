import { Box, Text } from 'ink';
import { colors, formatDuration, formatInt, symbols } from '../../theme.js';
import { ProgressBar } from '../progress-bar/index.js';

export interface SoakViewProps {
	blocksDone: number;
	minBlocks: number;
	secondsDone: number;
	minSeconds: number;
	longestStallSeconds: number;
	maxStallSeconds: number;
	met: boolean;
	stalled: boolean;
	/** Cells per progress bar (default 40); narrower columns pass less. */
	barWidth?: number;
}

const LABEL_WIDTH = 8;
const BAR_WIDTH = 40;

export function SoakView(props: SoakViewProps) {
	const { blocksDone, minBlocks, secondsDone, minSeconds, longestStallSeconds, maxStallSeconds, met, stalled } = props;
	const barWidth = Math.max(8, props.barWidth ?? BAR_WIDTH);
	const overLimit = longestStallSeconds > maxStallSeconds;
	const stallColor = overLimit ? colors.bad : longestStallSeconds > maxStallSeconds / 2 ? colors.warn : undefined;

	let verdict: { symbol: string; color: string; text: string };
	if (stalled) {
		verdict = {
			symbol: symbols.failed,
			color: colors.bad,
			text: `Soak failed: the chain stalled for ${formatDuration(longestStallSeconds)} (limit ${formatDuration(maxStallSeconds)})`,
		};
	} else if (met) {
		verdict = {
			symbol: symbols.done,
			color: colors.ok,
			text: `Soak passed: ${formatInt(blocksDone)} blocks in ${formatDuration(secondsDone)}, no stall over ${formatDuration(maxStallSeconds)}`,
		};
	} else {
		const blocksLeft = Math.max(0, minBlocks - blocksDone);
		const secondsLeft = Math.max(0, minSeconds - secondsDone);
		verdict = {
			symbol: symbols.active,
			color: colors.accent,
			text: `Soaking: ${formatInt(blocksLeft)} more ${blocksLeft === 1 ? 'block' : 'blocks'} and ${formatDuration(secondsLeft)} to go`,
		};
	}

	return (
		<Box flexDirection="column">
			<Box>
				<Box width={LABEL_WIDTH} flexShrink={0}>
					<Text color={colors.muted}>Blocks</Text>
				</Box>
				<Box flexShrink={0}>
					<ProgressBar value={blocksDone} max={minBlocks} width={barWidth} color={stalled ? colors.bad : colors.ok} />
				</Box>
				<Box marginLeft={2} flexShrink={1}>
					<Text wrap="truncate-end">
						{formatInt(blocksDone)} / {formatInt(minBlocks)} blocks
					</Text>
				</Box>
			</Box>
			<Box>
				<Box width={LABEL_WIDTH} flexShrink={0}>
					<Text color={colors.muted}>Time</Text>
				</Box>
				<Box flexShrink={0}>
					<ProgressBar value={secondsDone} max={minSeconds} width={barWidth} color={stalled ? colors.bad : colors.ok} />
				</Box>
				<Box marginLeft={2} flexShrink={1}>
					<Text wrap="truncate-end">
						{formatDuration(secondsDone)} / {formatDuration(minSeconds)}
					</Text>
				</Box>
			</Box>
			<Box>
				<Text wrap="truncate-end">
					<Text color={colors.muted}>Longest stall </Text>
					<Text color={stallColor}>{formatDuration(longestStallSeconds)}</Text>
					<Text color={colors.muted}> (limit {formatDuration(maxStallSeconds)})</Text>
					{overLimit ? <Text color={colors.bad}> over limit</Text> : null}
				</Text>
			</Box>
			<Box marginTop={1}>
				<Text bold color={verdict.color}>
					{verdict.symbol} {verdict.text}
				</Text>
			</Box>
		</Box>
	);
}
