/**
 * The home screen and the way in: keys in, frames out, with a real store.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import { openStore } from '../../source/store/store.js';
import { createRelease } from '../../source/domain/release.js';
import { builtinDevnetEnvironment } from '../../source/domain/environments.js';
import type { ArtifactInfo } from '../../source/domain/types.js';
import { ensureSamples, GOVERNANCE_SAMPLE_NAME, NETWORK_SAMPLE_NAME, SAMPLE_NAME } from '../../source/engine/samples.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { sendInput, waitForFrame } from '../helpers/frames.js';

const artifact: ArtifactInfo = {
	path: '/tmp/runtime.wasm',
	size: 10,
	uncompressedSize: 10,
	compressed: false,
	codeHash: `0x${'ab'.repeat(32)}`,
	specName: 'rococo',
	specVersion: 9140,
	transactionVersion: 0,
};

describe('home screen', () => {
	it('shows the empty state and creates the sample release on n', async () => {
		const home = tempHome();
		const store = openStore({ dir: home });
		let created = 0;
		const createSample = async () => {
			created++;
			const release = createRelease({
				id: 'sample-1',
				name: 'Rococo 9130 → 9140 (sample)',
				artifact,
				environments: [builtinDevnetEnvironment()],
				at: new Date().toISOString(),
			});
			store.saveRelease(release);
			return release.id;
		};
		const ui = render(<App store={store} home={home} createSample={createSample} />);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('No releases yet'));
		expect(frame).toContain('n sample releases');
		ui.stdin.write('n');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Sample release ready'));
		expect(created).toBe(1);
		expect(frame).toContain('Rococo 9130 → 9140');
		expect(frame).toContain('devnet: artifact: pending');
		ui.unmount();
	});

	it('moves the selection with the arrow keys and lists each release with its state', async () => {
		const home = tempHome();
		const store = openStore({ dir: home });
		const env = builtinDevnetEnvironment();
		store.saveRelease(
			createRelease({ id: 'first-aaaa', name: 'first release', artifact, environments: [env], at: '2026-01-01T00:00:00.000Z' }),
		);
		store.saveRelease(
			createRelease({ id: 'second-bbbb', name: 'second release', artifact, environments: [env], at: '2026-01-02T00:00:00.000Z' }),
		);
		const ui = render(<App store={store} home={home} createSample={async () => 'x'} />);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('second release'));
		const marker = (f: string) => f.split('\n').find((l) => l.includes('❯'));
		expect(marker(frame)).toContain('second release');
		ui.stdin.write('\u001B[B'); // down
		frame = await waitForFrame(ui.lastFrame, (f) => Boolean(marker(f)?.includes('first release')));
		expect(frame).toContain('devnet');
		ui.unmount();
	});
});

describe('first start: the sample releases', () => {
	const names = (store: ReturnType<typeof openStore>) =>
		store
			.listReleases()
			.map((r) => r.name)
			.sort();

	it('says it is creating them from the first frame, and n (pressed then, and after) never makes a duplicate', async () => {
		const home = tempHome();
		const store = openStore({ dir: home });
		const ui = render(<App store={store} home={home} createSample={() => ensureSamples(store, home)} createSamplesOnStart />);
		// The first frame: what is happening, not "No releases yet. Press n …".
		let frame = ui.lastFrame() ?? '';
		expect(frame).toContain('Creating the sample releases');
		expect(frame).not.toContain('No releases yet');
		// n, as the first frame used to tell people to, pressed twice while the samples are being made
		await sendInput(ui, 'n', 'n');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Already creating the sample releases'));
		expect(frame).toContain('n does not start a second copy');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Sample releases ready'), 120_000);
		expect(frame).not.toContain('Creating the sample releases');
		expect(names(store)).toEqual([GOVERNANCE_SAMPLE_NAME, NETWORK_SAMPLE_NAME, SAMPLE_NAME].sort());
		// n again, once they exist: it names the existing samples and makes nothing
		await sendInput(ui, 'n');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('exist already'), 120_000);
		const rococo = store.listReleases().find((r) => r.name === SAMPLE_NAME)!;
		expect(frame.replace(/\s+/g, ' ')).toContain(rococo.id);
		expect(names(store)).toEqual([GOVERNANCE_SAMPLE_NAME, NETWORK_SAMPLE_NAME, SAMPLE_NAME].sort());
		ui.unmount();
	}, 180_000);

	it('calls that overlap (two starts of the home screen on one store) share one run: each sample once', async () => {
		const home = tempHome();
		const store = openStore({ dir: home });
		const [a, b] = await Promise.all([ensureSamples(store, home), ensureSamples(store, home)]);
		expect(a).toEqual(b);
		expect(a.created.map((r) => r.name).sort()).toEqual([GOVERNANCE_SAMPLE_NAME, NETWORK_SAMPLE_NAME, SAMPLE_NAME].sort());
		const again = await ensureSamples(store, home);
		expect(again.created).toEqual([]);
		expect(again.existing.map((r) => r.id).sort()).toEqual(a.created.map((r) => r.id).sort());
		expect(store.listReleases()).toHaveLength(3);
	}, 180_000);
});

describe('without a terminal', () => {
	it('says so, points to the headless commands, and exits 2', async () => {
		const home = tempHome();
		const r = await runCli([], { RELEASE_CONSOLE_HOME: home });
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('no terminal (TTY)');
		expect(r.stderr).toContain('release-console status --json');
	});

	it('--demo without a terminal refuses the same way (exit 2), and creates nothing', async () => {
		const home = tempHome();
		const r = await runCli(['--demo'], { RELEASE_CONSOLE_HOME: home });
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('release-console --demo: no terminal (TTY)');
		expect(r.stderr).toContain('release-console status --json');
		expect((await runCli(['status', '--json'], { RELEASE_CONSOLE_HOME: home })).json().releases).toEqual([]);
	});

	it('a corrupt store is reported with its backup, not reset', async () => {
		const home = tempHome();
		const { writeFileSync, readdirSync, readFileSync } = await import('node:fs');
		const path = await import('node:path');
		writeFileSync(path.join(home, 'store.json'), '{"schemaVersion": 1, "releases": {"x": ');
		const r = await runCli(['status', '--json'], { RELEASE_CONSOLE_HOME: home });
		expect(r.code).toBe(2);
		expect(r.json().error).toMatch(/corrupt/i);
		const backups = readdirSync(home).filter((f) => f.startsWith('store.json.corrupt-'));
		expect(backups).toHaveLength(1);
		expect(readFileSync(path.join(home, backups[0]!), 'utf8')).toContain('"releases": {"x": ');
	});
});
