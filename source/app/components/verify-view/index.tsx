import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';

export interface VerifyRow {
	label: string;
	expected: string;
	/** Undefined until read from the chain. */
	actual?: string;
	/** Undefined while not yet compared. */
	ok?: boolean;
}

export interface VerifyViewProps {
	rows: VerifyRow[];
}

const LABEL_WIDTH = 16;
const RESULT_WIDTH = 11;
/** Values longer than this (hashes) are never shortened: they are shown whole, wrapped, on lines under the row. */
const LONG_VALUE = 20;

function rowResult(row: VerifyRow): { symbol: string; word: string; color: string } {
	if (row.ok === true) return { symbol: symbols.done, word: 'match', color: colors.ok };
	if (row.ok === false) return { symbol: symbols.failed, word: 'mismatch', color: colors.bad };
	if (row.actual === undefined) return { symbol: symbols.pending, word: 'pending', color: colors.muted };
	return { symbol: symbols.waiting, word: 'checking', color: colors.warn };
}

/**
 *   Check           Expected              Actual                Result
 * ✔ Spec version    9140                  9140                  match
 * ✖ Code hash       below                 below                 mismatch
 *     expected 0xe49e4c…(whole, wrapped)
 *     actual   0x12ab34…(whole, wrapped)
 *
 * A hash is what a person compares: it is never cut in the middle, match or not.
 */
export function VerifyView({ rows }: VerifyViewProps) {
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={2} flexShrink={0} />
				<Box width={LABEL_WIDTH} flexShrink={0}>
					<Text color={colors.muted}>Check</Text>
				</Box>
				<Box flexGrow={1} flexShrink={1} flexBasis={0} marginRight={1}>
					<Text color={colors.muted}>Expected</Text>
				</Box>
				<Box flexGrow={1} flexShrink={1} flexBasis={0} marginRight={1}>
					<Text color={colors.muted}>Actual</Text>
				</Box>
				<Box width={RESULT_WIDTH} flexShrink={0}>
					<Text color={colors.muted}>Result</Text>
				</Box>
			</Box>
			{rows.map((row, index) => {
				const result = rowResult(row);
				const showFull = row.expected.length > LONG_VALUE || (row.actual?.length ?? 0) > LONG_VALUE;
				return (
					<Box key={index} flexDirection="column">
						<Box>
							<Box width={2} flexShrink={0}>
								<Text color={result.color}>{result.symbol}</Text>
							</Box>
							<Box width={LABEL_WIDTH} flexShrink={0}>
								<Text wrap="truncate-end">{row.label}</Text>
							</Box>
							<Box flexGrow={1} flexShrink={1} flexBasis={0} marginRight={1}>
								<Text wrap="truncate-end" color={showFull ? colors.muted : undefined}>
									{showFull ? '↓ below' : row.expected}
								</Text>
							</Box>
							<Box flexGrow={1} flexShrink={1} flexBasis={0} marginRight={1}>
								<Text wrap="truncate-end" color={row.actual === undefined || showFull ? colors.muted : result.color}>
									{row.actual === undefined ? '—' : showFull ? '↓ below' : row.actual}
								</Text>
							</Box>
							<Box width={RESULT_WIDTH} flexShrink={0}>
								<Text color={result.color}>{result.word}</Text>
							</Box>
						</Box>
						{showFull ? (
							<Box flexDirection="column" paddingLeft={4}>
								<Box>
									<Box width={9} flexShrink={0}>
										<Text color={colors.muted}>expected</Text>
									</Box>
									<Box flexShrink={1}>
										<Text wrap="wrap">{row.expected}</Text>
									</Box>
								</Box>
								<Box>
									<Box width={9} flexShrink={0}>
										<Text color={colors.muted}>actual</Text>
									</Box>
									<Box flexShrink={1}>
										<Text wrap="wrap" color={row.actual === undefined ? colors.muted : result.color}>
											{row.actual ?? '— (not read yet)'}
										</Text>
									</Box>
								</Box>
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
