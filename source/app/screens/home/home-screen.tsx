import { useEffect, useRef, useState } from 'react';
import { Box, Text, measureElement, type DOMElement } from 'ink';
import type { Store } from '../../../store/store.js';
import { Banner } from '../../components/banner/index.js';
import { KeyHints } from '../../components/key-hints/index.js';
import { KeyHelp } from '../../components/key-help/index.js';
import { ReleaseList } from '../../components/release-list/index.js';
import { ScrollView } from '../../components/scroll-view/index.js';
import { hintsFor } from '../../keys.js';
import { useTerminalSize } from '../../hooks/use-terminal-size.js';
import { releaseSummary } from '../../../domain/release.js';
import { useHomeScreenState } from './use-home-state.js';
import { useHomeKeys } from './use-home-keys.js';

export interface HomeScreenProps {
	store: Store;
	onOpen: (id: string) => void;
	onCreateSample: () => Promise<void>;
	/** The sample releases are being created (first start, or `n`). */
	creatingSamples?: boolean;
	/** Open review mode (no release needed). */
	onReview?: () => void;
	onQuit: () => void;
	notice?: { kind: 'info' | 'warn' | 'error' | 'success'; title: string; lines: string[] };
}

/** Shown while the samples are made (reading and executing their runtimes takes a few seconds). */
export const CREATING_SAMPLES =
	'Creating the sample releases (Rococo 9130 → 9140, governance rehearsal)… reading their runtimes takes a few seconds.';

/** The releases, newest first; enter opens one, n makes the samples, r opens review mode. */
export function HomeScreen({ store, onOpen, onCreateSample, creatingSamples, onReview, onQuit, notice }: HomeScreenProps) {
	const releases = store.listReleases().sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	const ui = useHomeScreenState();
	const { view, selected, scroll } = ui.state;
	// The whole screen fits the terminal (rows − 1: a full-height frame would make Ink clear the screen each time).
	const { columns, rows } = useTerminalSize();
	// The list takes the lines the header and the footer leave; its window follows the selection.
	const listBox = useRef<DOMElement>(null);
	const [listHeight, setListHeight] = useState<number | undefined>(undefined);
	const pageRef = useRef({ height: 10, content: 0 });
	const { keyNotice } = useHomeKeys({
		ui,
		releaseIds: releases.map((r) => r.id),
		page: pageRef,
		onOpen,
		onCreateSample,
		onReview,
		onQuit,
	});

	// Measured again whenever what the list is given may have changed: the terminal, the lines below it, the view.
	useEffect(() => {
		if (!rows || !listBox.current) return;
		const height = measureElement(listBox.current).height;
		if (height !== listHeight) setListHeight(height);
	}, [rows, columns, listHeight, keyNotice, notice, creatingSamples, view, releases.length]);

	const items = releases.map((r) => ({
		id: r.id,
		name: r.name,
		updatedAt: r.updatedAt,
		summary: releaseSummary(r)
			.map((s) => `${s.env}: ${s.statusLine}`)
			.join(' · '),
	}));
	// ReleaseList takes its column header, the rows and a "more" line above and below.
	const maxRows = rows && listHeight !== undefined ? Math.max(1, listHeight - 3) : 10;
	const noticeLines = Math.max(2, (rows ?? 24) - 1 - 3 - 5 - 1 - 1 - 2 - (creatingSamples ? 2 : 0) - (keyNotice ? 2 : 0));
	return (
		<Box flexDirection="column" width="100%" {...(rows ? { height: rows - 1 } : {})}>
			<Box borderStyle="round" paddingX={1} flexShrink={0}>
				<Text bold color="cyan">
					release-console
				</Text>
				<Text color="gray">{'  runtime upgrades, stage by stage'}</Text>
			</Box>
			{view === 'help' ? (
				<ScrollView
					offset={scroll}
					onMeasure={(m) => {
						pageRef.current = m;
					}}
					keysHint="↑↓ pgup/pgdn scroll · esc back"
				>
					<KeyHelp mode="home" />
				</ScrollView>
			) : (
				<Box
					ref={listBox}
					flexDirection="column"
					flexGrow={1}
					flexShrink={1}
					overflow="hidden"
					{...(rows ? { flexBasis: 0, minHeight: 2 } : {})}
				>
					{creatingSamples && items.length === 0 ? null : (
						<ReleaseList releases={items} selected={Math.min(selected, Math.max(0, items.length - 1))} maxRows={maxRows} />
					)}
				</Box>
			)}
			<Box flexDirection="column" flexShrink={0}>
				{creatingSamples ? <Text color="cyan">{CREATING_SAMPLES}</Text> : null}
				{notice ? (
					<Banner
						kind={notice.kind}
						title={notice.title}
						lines={notice.lines}
						{...(rows ? { budget: { maxLines: noticeLines, width: columns } } : {})}
					/>
				) : null}
				{keyNotice ? (
					<Text color="yellow" wrap="wrap">
						⚠ {keyNotice}
					</Text>
				) : null}
				<Text color="gray" wrap="truncate-middle">
					store: {store.path}
				</Text>
				<KeyHints
					hints={hintsFor(
						view === 'help'
							? [[['up', 'down'], 'scroll'], ['back', 'esc back'], 'quit']
							: [
									[['up', 'down'], 'move'],
									['open', 'open'],
									['newSample', 'sample releases'],
									...(onReview ? [['review', 'review a proposal'] as const] : []),
									['help', 'keys'],
									'quit',
								],
					)}
				/>
			</Box>
		</Box>
	);
}
