import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';
import { Paragraph } from '../paragraph/index.js';

export type BannerKind = 'info' | 'warn' | 'error' | 'success';

export interface BannerProps {
	kind: BannerKind;
	title: string;
	/** Explanation and, for errors, what to do next. Wrapped, never truncated. */
	lines?: string[];
	/**
	 * On a screen with a line budget: at most this many lines of text (wrapped at `width`),
	 * the rest summed up in a last line. The banner then never grows past its budget.
	 */
	budget?: { maxLines: number; width: number };
}

/** Greedy word wrap at `width` columns; a word longer than a line (a hash) is broken. */
export function wrapWords(text: string, width: number): string[] {
	const out: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		let rest = word;
		while (rest.length > width) {
			if (line) {
				out.push(line);
				line = '';
			}
			out.push(rest.slice(0, width));
			rest = rest.slice(width);
		}
		if (!line) line = rest;
		else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
		else {
			out.push(line);
			line = rest;
		}
	}
	if (line || out.length === 0) out.push(line);
	return out;
}

const STYLE: Record<BannerKind, { symbol: string; color: string }> = {
	info: { symbol: symbols.info, color: colors.accent },
	warn: { symbol: symbols.warning, color: colors.warn },
	error: { symbol: symbols.failed, color: colors.bad },
	success: { symbol: symbols.done, color: colors.ok },
};

export function Banner({ kind, title, lines = [], budget }: BannerProps) {
	const style = STYLE[kind];
	if (budget) {
		const width = Math.max(10, budget.width - 4);
		const head = wrapWords(`${style.symbol} ${title}`, width);
		const body = lines.flatMap((line) => wrapWords(line, width));
		const room = Math.max(1, budget.maxLines);
		const all = [...head.map((text) => ({ text, head: true })), ...body.map((text) => ({ text, head: false }))];
		const shown = all.length > room ? [...all.slice(0, room - 1), { text: `… ${all.length - room + 1} more lines`, head: false }] : all;
		return (
			<Box borderStyle="round" borderColor={style.color} flexDirection="column" paddingX={1} width="100%" flexShrink={0}>
				{shown.map((line, index) => (
					<Text key={index} bold={line.head} color={line.head ? style.color : undefined} wrap="truncate-end">
						{line.text}
					</Text>
				))}
			</Box>
		);
	}
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
