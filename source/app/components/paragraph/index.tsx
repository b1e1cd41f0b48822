import { type ReactNode } from 'react';
import { Text, Transform } from 'ink';

export interface ParagraphProps {
	color?: string;
	bold?: boolean;
	children: ReactNode;
}

/** Optional SGR sequences, then the one space a soft wrap carried over. */
const CARRIED_SPACE = /^((?:\u001B\[[0-9;]*m)*) /;

/**
 * Wrapped text without the stray leading space Ink leaves on continuation
 * lines (it wraps with `trim: false`). Use for prose that must be read in
 * full: errors, refusals, "what to do" hints.
 */
export function Paragraph({ color, bold, children }: ParagraphProps) {
	return (
		<Transform transform={(line, index) => (index === 0 ? line : line.replace(CARRIED_SPACE, '$1'))}>
			<Text color={color} bold={bold}>
				{children}
			</Text>
		</Transform>
	);
}
