import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Text, useApp } from 'ink';
import type { Store } from '../store/store.js';
import type { SamplesOutcome } from '../engine/samples.js';
import { HomeScreen } from './screens/home/index.js';

// The release and review screens (and the engine, @polkadot/api and hashing behind them) load
// when first opened: the home screen's first frame needs none of them.
const ReleaseScreen = lazy(() => import('./screens/release/index.js').then((m) => ({ default: m.ReleaseScreen })));
const ReviewScreen = lazy(() => import('./screens/review/index.js').then((m) => ({ default: m.ReviewScreen })));
const loading = <Text dimColor>loading…</Text>;

export type Screen = { name: 'home' } | { name: 'release'; id: string } | { name: 'review' };

export interface AppProps {
	store: Store;
	home: string;
	initialScreen?: Screen;
	demo?: boolean;
	/** Make the sample releases that are missing: what was made and what existed (or only the id of the sample to open). */
	createSample: () => Promise<SamplesOutcome | string>;
	/** First start: create the samples at once, saying so on the home screen while it runs. */
	createSamplesOnStart?: boolean;
}

type Notice = { kind: 'info' | 'warn' | 'error' | 'success'; title: string; lines: string[] };

/** What the home screen says after `createSample`: the samples made, those that existed (n never copies one), failures. */
export function sampleNotice(outcome: SamplesOutcome): Notice {
	const lines: string[] = [];
	const named = (refs: { id: string; name: string }[]) => refs.map((r) => `${r.name} (${r.id})`);
	if (outcome.created.length > 0) lines.push(...named(outcome.created));
	if (outcome.existing.length > 0) {
		lines.push(
			outcome.created.length > 0
				? 'Already there (each sample is made once):'
				: 'n makes each sample once; these are the ones there:',
		);
		lines.push(...named(outcome.existing));
	}
	for (const f of outcome.failed) lines.push(`Could not create ${f.name}: ${f.message}`);
	lines.push('Select one with ↑ ↓ and press enter to open it.');
	if (outcome.created.length === 0 && outcome.existing.length > 0)
		return { kind: 'info', title: 'The sample releases exist already', lines };
	return {
		kind: outcome.failed.length > 0 ? 'warn' : 'success',
		title: outcome.created.length === 1 ? 'Sample release ready' : 'Sample releases ready',
		lines,
	};
}

export function App({ store, home, initialScreen, demo, createSample, createSamplesOnStart }: AppProps) {
	const { exit } = useApp();
	const [screen, setScreen] = useState<Screen>(initialScreen ?? { name: 'home' });
	// Opening the release screen again (its next environment) mounts a new session.
	const [visit, setVisit] = useState(0);
	const [notice, setNotice] = useState<Notice | undefined>();
	const [creating, setCreating] = useState(Boolean(createSamplesOnStart));
	const inFlight = useRef<Promise<void> | undefined>(undefined);
	const [, setTick] = useState(0);
	const quit = useCallback(() => exit(), [exit]);
	const asOutcome = useCallback(
		(result: SamplesOutcome | string): SamplesOutcome => {
			if (typeof result !== 'string') return result;
			const release = store.getRelease(result);
			return { open: result, created: release ? [{ id: release.id, name: release.name }] : [], existing: [], failed: [] };
		},
		[store],
	);
	const onCreateSample = useCallback((): Promise<void> => {
		// One run at a time: `n` while the samples are being made says so and starts nothing.
		if (inFlight.current) {
			setNotice({
				kind: 'info',
				title: 'Already creating the sample releases',
				lines: ['They appear here when they are ready; n does not start a second copy.'],
			});
			return inFlight.current;
		}
		setCreating(true);
		setNotice(undefined);
		const run = (async () => {
			try {
				setNotice(sampleNotice(asOutcome(await createSample())));
			} catch (error) {
				setNotice({ kind: 'error', title: 'Could not create the sample releases', lines: [(error as Error).message] });
			} finally {
				inFlight.current = undefined;
				setCreating(false);
				setTick((t) => t + 1);
			}
		})();
		inFlight.current = run;
		return run;
	}, [createSample, asOutcome]);
	const startedOnce = useRef(false);
	useEffect(() => {
		if (!createSamplesOnStart || demo || startedOnce.current) return;
		startedOnce.current = true;
		void onCreateSample();
	}, [createSamplesOnStart, demo, onCreateSample]);
	useEffect(() => {
		if (demo && screen.name === 'home') {
			void createSample().then((result) => setScreen({ name: 'release', id: asOutcome(result).open }));
		}
	}, [demo, screen.name, createSample, asOutcome]);
	if (screen.name === 'release') {
		return (
			<Suspense fallback={loading}>
				<ReleaseScreen
					key={`${screen.id}-${visit}`}
					onNextEnvironment={() => setVisit((v) => v + 1)}
					store={store}
					home={home}
					releaseId={screen.id}
					demo={demo}
					onBack={() => setScreen({ name: 'home' })}
					onQuit={quit}
				/>
			</Suspense>
		);
	}
	if (screen.name === 'review') {
		return (
			<Suspense fallback={loading}>
				<ReviewScreen store={store} home={home} onBack={() => setScreen({ name: 'home' })} onQuit={quit} />
			</Suspense>
		);
	}
	return (
		<HomeScreen
			store={store}
			onOpen={(id) => setScreen({ name: 'release', id })}
			onCreateSample={onCreateSample}
			creatingSamples={creating}
			onReview={() => setScreen({ name: 'review' })}
			onQuit={quit}
			notice={notice}
		/>
	);
}
