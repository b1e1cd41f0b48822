import { Box } from 'ink';
import { colors, symbols } from '../../theme.js';
import { Paragraph } from '../paragraph/index.js';

export type BannerKind = 'info' | 'warn' | 'error' | 'success';

export interface BannerProps {
	kind: BannerKind;
	title: string;
	/** Explanation and, for errors, what to do next. Wrapped, never truncated. */
	lines?: string[];
}

const STYLE: Record<BannerKind, { symbol: string; color: string }> = {
	info: { symbol: symbols.info, color: colors.accent },
	warn: { symbol: symbols.warning, color: colors.warn },
	error: { symbol: symbols.failed, color: colors.bad },
	success: { symbol: symbols.done, color: colors.ok },
};

export function Banner({ kind, title, lines = [] }: BannerProps) {
	const style = STYLE[kind];
	return (
		<Box borderStyle="round" borderColor={style.color} flexDirection="column" paddingX={1} width="100%">
			<Paragraph bold color={style.color}>
				{style.symbol} {title}
			</Paragraph>
			{lines.map((line, index) => (
				<Paragraph key={index}>{line}</Paragraph>
			))}
		</Box>
	);
}
