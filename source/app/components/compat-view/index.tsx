import { Box, Text } from 'ink';
import { colors, symbols } from '../../theme.js';

export interface CompatChange {
	pallet: string;
	kind: string;
	action: string;
	item?: string;
	severity: 'breaking' | 'additive';
	detail: string;
}

export interface CompatVerdicts {
	forwardCompatible: boolean;
	transactionVersionBumpRequired: boolean;
	transactionVersionBumped: boolean;
	specNameEqual: boolean;
	specVersionIncreased: boolean;
}

export interface CompatViewProps {
	from: string;
	to: string;
	verdicts: CompatVerdicts;
	counts: { total: number; breaking: number; additive: number };
	changes: CompatChange[];
	/** Lines of the list shown at once. */
	height: number;
	/** First visible line of the (filtered, grouped) list. */
	offset: number;
	/** The line of the change at the cursor (enter shows it whole). */
	cursor?: number;
	filter: string;
	/** True while the filter is being typed. */
	filtering: boolean;
	waiver?: { reason: string };
}

type Line = { kind: 'pallet'; text: string } | { kind: 'change'; change: CompatChange };

/** The list as lines: a heading per pallet, then its changes. */
export function compatLines(changes: CompatChange[], filter: string): Line[] {
	const f = filter.trim().toLowerCase();
	const shown = f
		? changes.filter((c) => `${c.pallet} ${c.kind} ${c.action} ${c.item ?? ''} ${c.severity} ${c.detail}`.toLowerCase().includes(f))
		: changes;
	const lines: Line[] = [];
	let pallet: string | undefined;
	for (const change of shown) {
		if (change.pallet !== pallet) {
			pallet = change.pallet;
			lines.push({ kind: 'pallet', text: pallet });
		}
		lines.push({ kind: 'change', change });
	}
	return lines;
}

function Verdict({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
	return (
		<Text color={ok ? colors.ok : colors.bad}>
			{ok ? symbols.done : symbols.failed} {ok ? yes : no}
		</Text>
	);
}

/** Forward-compatibility summary first, then a scrollable, filterable list grouped by pallet. */
export function CompatView({ from, to, verdicts, counts, changes, height, offset, cursor, filter, filtering, waiver }: CompatViewProps) {
	const lines = compatLines(changes, filter);
	const start = Math.max(0, Math.min(offset, Math.max(0, lines.length - height)));
	const visible = lines.slice(start, start + height);
	const bumpOk = !verdicts.transactionVersionBumpRequired || verdicts.transactionVersionBumped;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text bold>{to}</Text>
				<Text color={colors.muted}> against </Text>
				<Text bold>{from}</Text>
				<Text color={colors.muted}>{`  ${counts.total} changes: `}</Text>
				<Text color={counts.breaking ? colors.bad : colors.ok}>{counts.breaking} breaking</Text>
				<Text color={colors.muted}>, {counts.additive} additive</Text>
			</Text>
			<Box columnGap={2} flexWrap="wrap">
				<Verdict ok={verdicts.forwardCompatible} yes="forward compatible" no="NOT forward compatible" />
				<Verdict ok={bumpOk} yes="tx version ok" no="tx version must increase" />
				<Verdict ok={verdicts.specVersionIncreased} yes="spec version up" no="spec version not up" />
			</Box>
			{waiver ? <Text color={colors.warn} wrap="truncate-end">{`⊘ waived: ${waiver.reason}`}</Text> : null}
			<Text color={colors.muted} wrap="truncate-end">
				{filtering
					? `filter: ${filter}▏`
					: filter
						? `filter: ${filter} (${lines.filter((l) => l.kind === 'change').length} shown)`
						: 'all changes'}
				{lines.length > height ? ` · lines ${start + 1}–${Math.min(lines.length, start + height)} of ${lines.length}` : ''}
			</Text>
			{visible.map((line, i) =>
				line.kind === 'pallet' ? (
					<Text key={`p${start + i}`} bold color={colors.accent} wrap="truncate-end">
						{line.text}
					</Text>
				) : (
					<Text key={`c${start + i}`} wrap="truncate-end" inverse={cursor === start + i}>
						<Text color={line.change.severity === 'breaking' ? colors.bad : colors.ok}>
							{`${cursor === start + i ? '❯' : ' '}${line.change.severity === 'breaking' ? '✖' : '+'} `}
						</Text>
						<Text>{line.change.detail}</Text>
					</Text>
				),
			)}
			{lines.length === 0 ? <Text color={colors.muted}>no change matches</Text> : null}
		</Box>
	);
}
