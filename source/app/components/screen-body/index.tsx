import type { ReactNode } from 'react';
import { Box } from 'ink';

export interface ScreenBodyProps {
	/** The terminal's height is known: the body takes what the header and the footer leave. */
	fits: boolean;
	/** Lines the body keeps however long the footer's message is. */
	minHeight: number;
	children: ReactNode;
}

/** The middle of a full-screen layout: what the header and the footer leave (at least `minHeight` lines), clipped; what it holds scrolls itself. */
export function ScreenBody({ fits, minHeight, children }: ScreenBodyProps) {
	return (
		<Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden" {...(fits ? { flexBasis: 0, minHeight } : {})}>
			{children}
		</Box>
	);
}
