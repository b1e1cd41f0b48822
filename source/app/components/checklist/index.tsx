import { Box, Text } from 'ink';
import type { StageId, StageProgress } from '../../../domain/types.js';
import { colors, stageStatusStyle, symbols } from '../../theme.js';

export interface ChecklistProps {
	stages: StageProgress[];
	/** The stage the cursor is on: marked with ❯ and bold. */
	current: StageId;
	titles: Partial<Record<StageId, string>>;
	/** Detail lines for every stage, or only for the one at the cursor (the stage view beside it has it whole). */
	details?: 'all' | 'current';
}

/**
 * ❯ ▶ Upgrade            active
 *     waiting for sudo signature
 */
export function Checklist({ stages, current, titles, details = 'all' }: ChecklistProps) {
	// Align the status words in a column (titles are short; cap it anyway).
	const titleWidth = Math.min(40, Math.max(0, ...stages.map((stage) => (titles[stage.id] ?? stage.id).length)));
	return (
		<Box flexDirection="column">
			{stages.map((stage) => {
				const style = stageStatusStyle[stage.status];
				const isCurrent = stage.id === current;
				return (
					<Box key={stage.id} flexDirection="column">
						<Box>
							<Box width={2} flexShrink={0}>
								<Text color={colors.accent}>{isCurrent ? symbols.pointer : ' '}</Text>
							</Box>
							<Box width={2} flexShrink={0}>
								<Text color={style.color}>{style.symbol}</Text>
							</Box>
							<Box width={titleWidth} flexShrink={1}>
								<Text bold={isCurrent} wrap="truncate-end">
									{titles[stage.id] ?? stage.id}
								</Text>
							</Box>
							<Box flexShrink={0} marginLeft={2}>
								<Text color={style.color}>{style.word}</Text>
							</Box>
						</Box>
						{stage.detail && (details === 'all' || isCurrent) ? (
							<Box paddingLeft={4}>
								<Text color={colors.muted} wrap="truncate-end">
									{stage.detail}
								</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
