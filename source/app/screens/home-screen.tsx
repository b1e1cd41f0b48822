import { useRef, useState } from 'react';
import { Box, Text, useInput, useStdin, type Key } from 'ink';
import type { Store } from '../../store/store.js';
import { Banner } from '../components/banner/index.js';
import { KeyHints } from '../components/key-hints/index.js';
import { ReleaseList } from '../components/release-list/index.js';
import { actionFor, hintsFor } from '../keys.js';
import { releaseSummary } from '../../domain/release.js';
import { requirementsOf } from '../../domain/alignment.js';

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

export function HomeScreen({ store, onOpen, onCreateSample, creatingSamples, onReview, onQuit, notice }: HomeScreenProps) {
	const releases = store.listReleases().sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	const [selected, setSelected] = useState(0);
	const { isRawModeSupported } = useStdin();
	// The handler is replaced on every render and called through a ref: a key
	// that arrives before React re-subscribes still sees the latest state.
	const onKey = useRef<(input: string, key: Key) => void>(() => {});
	onKey.current = (input, key) => {
		const action = actionFor(input, key, ['quit', 'up', 'down', 'open', 'newSample', 'review']);
		if (action === 'quit') onQuit();
		else if (action === 'up') setSelected((s) => Math.max(0, s - 1));
		else if (action === 'down') setSelected((s) => Math.min(releases.length - 1, s + 1));
		else if (action === 'open' && releases[selected]) onOpen(releases[selected]!.id);
		else if (action === 'review' && onReview) onReview();
		else if (action === 'newSample') void onCreateSample();
	};
	useInput((input, key) => onKey.current(input, key), { isActive: isRawModeSupported === true });
	const items = releases.map((r) => ({
		id: r.id,
		name: r.name,
		updatedAt: r.updatedAt,
		summary: releaseSummary(r, (env, gate) => {
			// A gate the environment's promotion does not require is advice there (alignment.ts).
			const kind = store.getEnvironment(env)?.kind;
			return kind !== undefined && !requirementsOf(r, { name: env, kind }).includes(gate);
		})
			.map((s) => `${s.env}: ${s.statusLine}`)
			.join(' · '),
	}));
	return (
		<Box flexDirection="column" width="100%">
			<Box borderStyle="round" paddingX={1}>
				<Text bold color="cyan">
					release-console
				</Text>
				<Text color="gray">{'  runtime upgrades, stage by stage'}</Text>
			</Box>
			{creatingSamples && items.length === 0 ? null : <ReleaseList releases={items} selected={selected} />}
			{creatingSamples ? <Text color="cyan">{CREATING_SAMPLES}</Text> : null}
			{notice ? <Banner kind={notice.kind} title={notice.title} lines={notice.lines} /> : null}
			<Text color="gray">store: {store.path}</Text>
			<KeyHints
				hints={hintsFor([
					[['up', 'down'], 'move'],
					['open', 'open'],
					['newSample', 'new sample release'],
					...(onReview ? [['review', 'review a proposal'] as const] : []),
					'quit',
				])}
			/>
		</Box>
	);
}
