import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Box, Text, measureElement, type DOMElement } from 'ink';
import { colors } from '../../theme.js';

export interface ScrollViewProps {
	children: ReactNode;
	/** First line shown (clamped to what there is). */
	offset: number;
	/** A line to keep in view (e.g. the cursor); overrides `offset` when it would be hidden. */
	keepVisible?: number;
	/** Told the lines shown at once and the lines there are, after each layout (for page keys). */
	onMeasure?: (view: { height: number; content: number }) => void;
	/** The keys that scroll, for the "more" line. */
	keysHint?: string;
}

/**
 * Takes the height its parent leaves it (flexGrow) and shows the part of its content
 * from `offset`; when not all of it fits, the last line says which lines are shown
 * and how to scroll. Nothing is cut at the right: content wraps to the width.
 */
export function ScrollView({ children, offset, keepVisible, onMeasure, keysHint = 'pgup/pgdn' }: ScrollViewProps) {
	const frame = useRef<DOMElement>(null);
	const content = useRef<DOMElement>(null);
	const [size, setSize] = useState({ height: 0, content: 0 });
	// Layout is known only after Ink has laid the frame out: measure after every render (state changes only with the size).
	// eslint-disable-next-line react-hooks/exhaustive-deps
	useEffect(() => {
		if (!frame.current || !content.current) return;
		const next = { height: measureElement(frame.current).height, content: measureElement(content.current).height };
		if (next.height !== size.height || next.content !== size.content) setSize(next);
		onMeasure?.(next);
	});
	const overflows = size.height > 0 && size.content > size.height;
	const max = Math.max(0, size.content - size.height);
	let top = Math.max(0, Math.min(offset, max));
	if (keepVisible !== undefined && size.height > 0) {
		if (keepVisible < top) top = keepVisible;
		else if (keepVisible >= top + size.height) top = Math.min(max, keepVisible - size.height + 1);
	}
	return (
		<Box flexDirection="column" flexGrow={1} flexShrink={1} minHeight={1}>
			<Box ref={frame} flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
				<Box ref={content} flexDirection="column" flexShrink={0} marginTop={-top}>
					{children}
				</Box>
			</Box>
			{overflows ? (
				<Box flexShrink={0}>
					<Text color={colors.muted} wrap="truncate-end">
						{`── lines ${top + 1}–${Math.min(size.content, top + size.height)} of ${size.content} · ${keysHint} ──`}
					</Text>
				</Box>
			) : null}
		</Box>
	);
}
