import { Text } from 'ink';
import { colors, symbols } from '../../theme.js';

export interface ProgressBarProps {
	value: number;
	max: number;
	/** Columns the bar occupies, exactly. */
	width: number;
	/** Ink colour of the filled part (default: accent). */
	color?: string;
}

/** Fraction in [0, 1]; a max of 0 or less means "nothing required", i.e. full. */
export function progressRatio(value: number, max: number): number {
	if (!Number.isFinite(value)) return 0;
	if (!(max > 0)) return 1;
	return Math.min(1, Math.max(0, value / max));
}

/**
 * `████████░░░░░░░░`: filled and empty cells differ in shape as well as colour.
 * Rounds down, so the bar is only full when value ≥ max.
 */
export function ProgressBar({ value, max, width, color = colors.accent }: ProgressBarProps) {
	const cells = Math.max(0, Math.floor(Number.isFinite(width) ? width : 0));
	const filled = Math.min(cells, Math.floor(progressRatio(value, max) * cells));
	return (
		<Text wrap="truncate-end">
			<Text color={color}>{symbols.barFull.repeat(filled)}</Text>
			<Text color={colors.muted}>{symbols.barEmpty.repeat(cells - filled)}</Text>
		</Text>
	);
}
