/**
 * Nothing left running: a chain the console started is stopped when the console
 * quits, whatever screen started it. Review mode on an `embedded:governance`
 * environment starts the governance chain in the background; quitting the console
 * (unmount, then the cleanups start.tsx runs after Ink exits) stops it. A chain that
 * was already running when the console used it (here started by a headless
 * `review`) is not the console's: it keeps running.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { readDaemonState, stopAllEmbeddedChains } from '../../source/devnet/daemon.js';
import { isPidAlive } from '../../source/store/lock.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { sendInput, typeText, waitForFrame } from '../helpers/frames.js';

const homes: string[] = [];

afterAll(async () => {
	for (const home of homes) await stopAllEmbeddedChains(home);
}, 60_000);

function storeWithGovernanceEnv(): { home: string; store: Store } {
	const home = tempHome('rc-quit-');
	homes.push(home);
	const store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'gov',
		endpoints: ['embedded:governance'],
		kind: 'local',
		route: 'sudo',
		soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 60 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	return { home, store };
}

/** Open review mode from home on the `gov` environment and review referendum 0 (there is none: it only connects). */
async function reviewOnGov(store: Store, home: string) {
	const ui = render(<App store={store} home={home} createSample={async () => 'x'} />);
	await waitForFrame(ui.lastFrame, (f) => f.includes('r review a proposal'));
	ui.stdin.write('r');
	await waitForFrame(ui.lastFrame, (f) => f.includes('check a proposed upgrade'));
	// the store also holds the built-in devnet environment: pick gov with ↑ then →
	await sendInput(ui, '\u001B[A', '\u001B[C');
	await waitForFrame(ui.lastFrame, (f) => f.includes('‹ gov (local) ›'));
	await sendInput(ui, '\u001B[B');
	await typeText(ui, 'referendum 0');
	ui.stdin.write('\r');
	// the review connected (so the chain runs) and answered: there is no referendum 0
	await waitForFrame(ui.lastFrame, (f) => readDaemonState(home, 'governance') !== undefined && /no referendum 0/i.test(f), 120_000);
	return ui;
}

describe('quitting the console', () => {
	it('stops the governance chain that review mode started', async () => {
		const { home, store } = storeWithGovernanceEnv();
		expect(readDaemonState(home, 'governance')).toBeUndefined();
		const ui = await reviewOnGov(store, home);
		const running = readDaemonState(home, 'governance');
		expect(running).toBeDefined();
		ui.unmount();
		await runCleanups();
		expect(readDaemonState(home, 'governance')).toBeUndefined();
		expect(isPidAlive(running!.pid)).toBe(false);
	}, 180_000);

	it('keeps running a chain that was running before the console used it', async () => {
		const { home, store } = storeWithGovernanceEnv();
		// a headless command starts it and leaves it running (that is what the background mode is for)
		const headless = await runCli(['review', '--env', 'gov', '--referendum', '0'], { RELEASE_CONSOLE_HOME: home });
		expect(headless.stderr).toContain('started the embedded governance chain');
		const before = readDaemonState(home, 'governance')!;
		expect(before).toBeDefined();
		const ui = await reviewOnGov(store, home);
		ui.unmount();
		await runCleanups();
		expect(readDaemonState(home, 'governance')?.pid).toBe(before.pid);
		expect(isPidAlive(before.pid)).toBe(true);
	}, 180_000);
});
