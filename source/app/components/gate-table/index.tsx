import { Box, Text } from 'ink';
import type { GateResult } from '../../../domain/types.js';
import { checkStatusStyle, colors } from '../../theme.js';
import { Paragraph } from '../paragraph/index.js';

export interface GateTableProps {
	gates: GateResult[];
}

const ID_WIDTH = 20;
const STATUS_WIDTH = 11;
const ENV_WIDTH = 14;

/**
 * Gate                Status     Summary
 * spec-version        ✔ pass     9130 → 9140
 * soak                ⊘ waived   …
 *                                waived: <reason>
 * An env column appears when the gates span more than one environment.
 */
export function GateTable({ gates }: GateTableProps) {
	if (gates.length === 0) {
		return <Text color={colors.muted}>No gates evaluated yet.</Text>;
	}
	const showEnv = new Set(gates.map((gate) => gate.env)).size > 1;
	const indent = ID_WIDTH + STATUS_WIDTH + (showEnv ? ENV_WIDTH : 0);
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={ID_WIDTH} flexShrink={0}>
					<Text color={colors.muted}>Gate</Text>
				</Box>
				{showEnv ? (
					<Box width={ENV_WIDTH} flexShrink={0}>
						<Text color={colors.muted}>Env</Text>
					</Box>
				) : null}
				<Box width={STATUS_WIDTH} flexShrink={0}>
					<Text color={colors.muted}>Status</Text>
				</Box>
				<Box flexShrink={1}>
					<Text color={colors.muted}>Summary</Text>
				</Box>
			</Box>
			{gates.map((gate) => {
				const style = checkStatusStyle[gate.status];
				const failed = gate.status === 'fail';
				return (
					<Box key={`${gate.env}:${gate.id}`} flexDirection="column">
						<Box>
							<Box width={ID_WIDTH} flexShrink={0}>
								<Text wrap="truncate-end">{gate.id}</Text>
							</Box>
							{showEnv ? (
								<Box width={ENV_WIDTH} flexShrink={0}>
									<Text wrap="truncate-end">{gate.env}</Text>
								</Box>
							) : null}
							<Box width={STATUS_WIDTH} flexShrink={0}>
								<Text color={style.color}>
									{style.symbol} {style.word}
								</Text>
							</Box>
							<Box flexShrink={1}>
								{/* A failure's summary is the "why": wrap it rather than cut it. */}
								{failed ? <Paragraph>{gate.summary}</Paragraph> : <Text wrap="truncate-end">{gate.summary}</Text>}
							</Box>
						</Box>
						{gate.status === 'waived' && gate.waiver ? (
							<Box paddingLeft={indent}>
								<Text color={colors.muted} wrap="truncate-end">
									waived: {gate.waiver.reason}
								</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
