import { useEffect, useRef, useState } from 'react';
import { Box, Text, measureElement, type DOMElement } from 'ink';
import type { Store } from '../../store/store.js';
import { Banner } from '../components/banner/index.js';
import { KeyHints } from '../components/key-hints/index.js';
import { KeyHelp } from '../components/key-help/index.js';
import { ReleaseList } from '../components/release-list/index.js';
import { ScrollView } from '../components/scroll-view/index.js';
import { KEYS, actionIn, hintsFor, isTextKey, matchKey, type KeyEvent } from '../keys.js';
import { useKeyEvents } from '../hooks/use-key-events.js';
import { useSyncedState } from '../hooks/use-synced-state.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { releaseSummary } from '../../domain/release.js';

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

/** After a key was ignored as typed text, the rest of the word typed key by key is ignored too. */
const TYPED_GUARD_MS = 1500;

export function HomeScreen({ store, onOpen, onCreateSample, creatingSamples, onReview, onQuit, notice }: HomeScreenProps) {
	const releases = store.listReleases().sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	const [selected, setSelected, selectedRef] = useSyncedState(0);
	const [view, setView, viewRef] = useSyncedState<'list' | 'help'>('list');
	// The whole screen fits the terminal (rows − 1: a full-height frame would make Ink clear the screen each time).
	const { columns, rows } = useTerminalSize();
	// The list takes the lines the header and the footer leave; its window follows the selection.
	const listBox = useRef<DOMElement>(null);
	const [listHeight, setListHeight] = useState<number | undefined>(undefined);
	// eslint-disable-next-line react-hooks/exhaustive-deps
	useEffect(() => {
		if (!rows || !listBox.current) return;
		const height = measureElement(listBox.current).height;
		if (height !== listHeight) setListHeight(height);
	});
	const [scroll, setScroll] = useSyncedState(0);
	const pageRef = useRef({ height: 10, content: 0 });
	const scrollBy = (lines: number) =>
		setScroll((o) => Math.max(0, Math.min(Math.max(0, pageRef.current.content - pageRef.current.height), o + lines)));

	// Keys that cannot act are refused with a visible line; none is dropped silently, none is a hotkey by accident.
	const [keyNotice, setKeyNotice] = useState<string | undefined>();
	const lastIgnoredAt = useRef(0);
	const refusedChunk = useRef<readonly KeyEvent[] | undefined>(undefined);
	const accept = (run: () => void) => {
		setKeyNotice(undefined);
		run();
	};
	const refuseText = (events: readonly KeyEvent[]) => {
		// A word typed key by key: the keys after this one are part of it (a chunk came whole).
		if (events.length === 1) lastIgnoredAt.current = Date.now();
		if (refusedChunk.current === events) return;
		refusedChunk.current = events;
		const typed = events
			.filter(isTextKey)
			.map((e) => e.input)
			.join('');
		setKeyNotice(
			`typed text ignored (${JSON.stringify(typed)}): no text field is open here — keys are single letters, nothing was done · ? lists the keys`,
		);
	};
	const onKey = (event: KeyEvent, events: readonly KeyEvent[]) => {
		const { input, key } = event;
		if (viewRef.current === 'help') {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.help)) return accept(() => setView('list'));
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			const page = Math.max(1, pageRef.current.height - 1);
			const action = actionIn('help', input, key);
			if (action === 'down' || action === 'pageDown') return scrollBy(action === 'down' ? 1 : page);
			if (action === 'up' || action === 'pageUp') return scrollBy(action === 'up' ? -1 : -page);
			return;
		}
		// No text field is open on this screen: a typed chunk (a paste, //Dave, nnn) is never a sequence of hotkeys.
		if (isTextKey(event) && event.inChunk) return refuseText(events);
		const action = actionIn('home', input, key);
		if (action === 'quit') return onQuit();
		// A word typed key by key: once a key was ignored, the rest of the word is too (its n or r never acts).
		if (isTextKey(event) && Date.now() - lastIgnoredAt.current < TYPED_GUARD_MS) return refuseText([event]);
		if (action === 'help')
			return accept(() => {
				setScroll(0);
				setView('help');
			});
		if (action === 'up') return accept(() => setSelected((s) => Math.max(0, s - 1)));
		if (action === 'down') return accept(() => setSelected((s) => Math.max(0, Math.min(releases.length - 1, s + 1))));
		if (action === 'open') {
			const release = releases[selectedRef.current];
			if (release) return accept(() => onOpen(release.id));
			return setKeyNotice('enter: there is no release to open yet — n creates the sample releases');
		}
		if (action === 'review') {
			if (onReview) return accept(onReview);
			return setKeyNotice('r: review mode is not available here');
		}
		if (action === 'newSample') return accept(() => void onCreateSample());
		if (key.escape) return setKeyNotice('esc: this is the first screen, there is nothing to go back to — q quits');
		if (isTextKey(event)) return refuseText([event]);
	};
	useKeyEvents(onKey);

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
