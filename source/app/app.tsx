import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Text, useApp } from 'ink';
import type { Store } from '../store/store.js';
import { HomeScreen } from './screens/home-screen.js';

// The release and review screens (and the engine, @polkadot/api and hashing behind them) load
// when first opened: the home screen's first frame needs none of them.
const ReleaseScreen = lazy(() => import('./screens/release-screen.js').then((m) => ({ default: m.ReleaseScreen })));
const ReviewScreen = lazy(() => import('./screens/review-screen.js').then((m) => ({ default: m.ReviewScreen })));
const loading = <Text dimColor>loading…</Text>;

export type Screen = { name: 'home' } | { name: 'release'; id: string } | { name: 'review' };

export interface AppProps {
	store: Store;
	home: string;
	initialScreen?: Screen;
	demo?: boolean;
	createSample: () => Promise<string>;
}

export function App({ store, home, initialScreen, demo, createSample }: AppProps) {
	const { exit } = useApp();
	const [screen, setScreen] = useState<Screen>(initialScreen ?? { name: 'home' });
	const [notice, setNotice] = useState<{ kind: 'info' | 'warn' | 'error' | 'success'; title: string; lines: string[] } | undefined>();
	const [, setTick] = useState(0);
	const quit = useCallback(() => exit(), [exit]);
	const onCreateSample = useCallback(async () => {
		try {
			const id = await createSample();
			setNotice({
				kind: 'success',
				title: 'Sample release ready',
				lines: [`${id}: Rococo 9130 → 9140 on the embedded chain. Press enter to open it.`],
			});
			setTick((t) => t + 1);
		} catch (error) {
			setNotice({ kind: 'error', title: 'Could not create the sample release', lines: [(error as Error).message] });
		}
	}, [createSample]);
	useEffect(() => {
		if (demo && screen.name === 'home') {
			void createSample().then((id) => setScreen({ name: 'release', id }));
		}
	}, [demo, screen.name, createSample]);
	if (screen.name === 'release') {
		return (
			<Suspense fallback={loading}>
				<ReleaseScreen
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
			onReview={() => setScreen({ name: 'review' })}
			onQuit={quit}
			notice={notice}
		/>
	);
}
