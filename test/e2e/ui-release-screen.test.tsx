/**
 * The console itself, keys in and frames out: open a release, give the
 * signer, read the signer prompt, confirm, and watch the checklist reach the
 * soak on the real Rococo runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { typeText, waitForFrame } from '../helpers/frames.js';
import { pumpBlocks } from '../helpers/chain.js';

let devnet: RococoDevnet;
let store: Store;
let home: string;
let releaseId: string;

beforeAll(async () => {
	// Manual blocks: the chain moves only once the upgrade is signed, as fast as it can build (see below).
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	home = tempHome();
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'tui',
		endpoints: [devnet.endpoint],
		kind: 'local',
		route: 'sudo',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 120 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const wasm = writeRococoWasm(9140, home);
	const at = new Date().toISOString();
	const release = createRelease({
		id: 'tui-release',
		name: 'TUI upgrade',
		artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
		environments: [env.env],
		at,
	});
	store.saveRelease(release);
	releaseId = release.id;
});

afterAll(async () => {
	await runCleanups();
	await devnet?.close();
}, 60_000);

describe('release screen', () => {
	it('home lists the release; enter opens it; the upgrade is signed only after y', async () => {
		const ui = render(<App store={store} home={home} createSample={async () => releaseId} />);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('TUI upgrade'));
		expect(frame).toContain('release-console');
		ui.stdin.write('\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for tui'));
		// the chain panel is live and the artifact stage passed on its own
		expect(frame).toMatch(/rococo/i);
		expect(frame).toContain('9130');
		await typeText(ui, '//Bob');
		await waitForFrame(ui.lastFrame, (f) => f.includes('> //Bob'));
		ui.stdin.write('\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Cannot sign'));
		expect(frame).toContain('is not the sudo key');
		expect(frame).toContain('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'); // //Bob
		expect(frame).not.toContain('y sign');
		ui.stdin.write('n');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Not signed'));
		// give the right key
		ui.unmount();
		await runCleanups();

		const ui2 = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		await waitForFrame(ui2.lastFrame, (f) => f.includes('Signer for tui'));
		await typeText(ui2, '//Alice');
		ui2.stdin.write('\r');
		frame = await waitForFrame(ui2.lastFrame, (f) => f.includes('you are about to sign'));
		expect(frame).toContain('is the sudo key');
		expect(frame).toContain('system.setCode');
		expect(store.getRelease(releaseId)!.progress.tui!.intents).toHaveLength(0);
		ui2.stdin.write('y');
		// Blocks back to back from here: the upgrade's, then verify and the soak, until the screen says complete.
		const stopPump = pumpBlocks(devnet.newBlocks);
		try {
			frame = await waitForFrame(ui2.lastFrame, (f) => /Release complete/.test(f), 180_000);
		} finally {
			await stopPump();
		}
		const release = store.getRelease(releaseId)!;
		expect(release.progress.tui!.upgrade?.toSpecVersion).toBe(9140);
		expect(release.progress.tui!.stages.every((s) => s.status === 'done')).toBe(true);
		ui2.unmount();
	}, 240_000);
});
