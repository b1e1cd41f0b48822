import { Fragment } from 'react';
import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';
import type { KeyHint } from '../../keys.js';

export type { KeyHint };

export interface KeyHintsProps {
	/** Build with `hintsFor(...)` from `keys.ts` so hints match the bindings. */
	hints: KeyHint[];
}

/** One line at the bottom: `↑↓ move · enter open · q quit`, truncated if too long. */
export function KeyHints({ hints }: KeyHintsProps) {
	if (hints.length === 0) return null;
	return (
		<Box>
			<Text wrap="truncate-end">
				{hints.map((hint, index) => (
					<Fragment key={`${hint.key}:${hint.label}`}>
						{index > 0 ? <Text color={colors.muted}>{` ${symbols.separator} `}</Text> : null}
						<Text bold color={colors.accent}>
							{hint.key}
						</Text>
						<Text> {hint.label}</Text>
					</Fragment>
				))}
			</Text>
		</Box>
	);
}
