import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';
import { Paragraph } from '../paragraph/index.js';

export type TxStepStatus = 'pending' | 'active' | 'done' | 'failed';

export interface TxStep {
	label: string;
	status: TxStepStatus;
	/** Shown after the label ("#1,234"); for a failed step, shown in full on its own line. */
	detail?: string;
}

export interface TxProgressProps {
	steps: TxStep[];
}

const STYLE: Record<TxStepStatus, { symbol: string; color: string | undefined }> = {
	pending: { symbol: symbols.pending, color: colors.muted },
	active: { symbol: symbols.active, color: colors.accent },
	done: { symbol: symbols.done, color: colors.ok },
	failed: { symbol: symbols.failed, color: colors.bad },
};

/** `✔ signed → ✔ ready → ▶ in block #1,234 → ○ finalized`, wrapping onto more lines if narrow. */
export function TxProgress({ steps }: TxProgressProps) {
	const failures = steps.filter((step) => step.status === 'failed' && step.detail);
	return (
		<Box flexDirection="column">
			<Box flexWrap="wrap">
				{steps.map((step, index) => {
					const style = STYLE[step.status];
					const inlineDetail = step.detail && step.status !== 'failed' ? ` ${step.detail}` : '';
					return (
						<Box key={index} flexShrink={0}>
							<Text>
								<Text color={style.color}>{style.symbol}</Text>
								<Text color={step.status === 'pending' ? colors.muted : undefined} bold={step.status === 'active'}>
									{' '}
									{step.label}
									{inlineDetail}
								</Text>
								{step.status === 'failed' ? <Text color={colors.bad}> failed</Text> : null}
								{index < steps.length - 1 ? <Text color={colors.muted}>{` ${symbols.arrow} `}</Text> : null}
							</Text>
						</Box>
					);
				})}
			</Box>
			{failures.map((step, index) => (
				<Paragraph key={index} color={colors.bad}>
					{symbols.failed} {step.label}: {step.detail}
				</Paragraph>
			))}
		</Box>
	);
}
