/**
 * The forward-compatibility gate on a testnet environment, in the console:
 * the real Rococo 9130 → 9140 diff fails it, the stage refuses, the list of
 * changes is scrollable and filterable, and a written waiver lets it go on.
 * On a local environment the failing gate is advice: the release goes on, and
 * the list offers no waiver (w says why).
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

let devnet: RococoDevnet;
let store: Store;
let home: string;

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	home = tempHome();
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'staging',
		endpoints: [devnet.endpoint],
		kind: 'testnet',
		route: 'sudo',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 120 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const local = validateEnvironment({
		name: 'scratch',
		endpoints: [devnet.endpoint],
		kind: 'local',
		route: 'sudo',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 120 },
	});
	if (!local.ok) throw new Error(local.errors.join());
	store.saveEnvironment(local.env);
	const wasm = writeRococoWasm(9140, home);
	store.saveRelease(
		createRelease({
			id: 'compat-release',
			name: 'compat check',
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [env.env],
			at: new Date().toISOString(),
		}),
	);
	store.saveRelease(
		createRelease({
			id: 'compat-local',
			name: 'compat advice',
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [local.env],
			at: new Date().toISOString(),
		}),
	);
});

afterAll(async () => {
	await runCleanups();
	await devnet?.close();
}, 60_000);

describe('forward-compatibility gate', () => {
	it('refuses on testnet, lists the real changes, and goes on after a written waiver', async () => {
		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: 'compat-release' }} createSample={async () => 'x'} />,
		);
		try {
			let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Refused'), 120_000);
			expect(frame).toContain('not forward compatible with rococo 9130');
			expect(frame).toContain('c compat');
			ui.stdin.write('c');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('NOT forward compatible'));
			expect(frame).toMatch(/\d+ breaking/);
			await typeText(ui, '/');
			await typeText(ui, 'sudo');
			ui.stdin.write('\r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('filter: sudo ('));
			expect(frame).toMatch(/Sudo/);
			expect(frame).not.toMatch(/^ *Hrmp *$/m);
			// a waiver needs a reason of 10 characters or more
			ui.stdin.write('w');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Why is shipping this acceptable'));
			await typeText(ui, 'too short');
			ui.stdin.write('\r');
			// refused: the reason stays in the field (a waiver would close it)
			await waitForFrame(ui.lastFrame, (f) => f.includes('Why is shipping this acceptable') && f.includes('> too short'));
			expect(store.getRelease('compat-release')!.gates.find((g) => g.id === 'forward-compatible')!.status).toBe('fail');
			await typeText(ui, ': rehearsal of a known-breaking Rococo release');
			ui.stdin.write('\r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('waived'));
			const release = store.getRelease('compat-release')!;
			const gate = release.gates.find((g) => g.id === 'forward-compatible')!;
			expect(gate.status).toBe('waived');
			expect(gate.waiver?.reason).toContain('known-breaking');
			expect(gate.waiver?.reason).toBe('too short: rehearsal of a known-breaking Rococo release'); // the short reason was kept, not recorded
			expect(release.audit.some((a) => a.detail.includes('known-breaking'))).toBe(true);
			ui.stdin.write('a');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for staging'), 120_000);
			expect(store.getRelease('compat-release')!.progress.staging!.stages[0]!.status).toBe('done');
			// The hygiene gates block on testnet; the real 9130 → 9140 passes them (v14 on both sides, no CheckMetadataHash).
			const hygiene = store
				.getRelease('compat-release')!
				.gates.filter((g) => ['metadata-versions', 'check-metadata-hash'].includes(g.id));
			expect(hygiene.map((g) => [g.id, g.status])).toEqual([
				['metadata-versions', 'pass'],
				['check-metadata-hash', 'pass'],
			]);
		} finally {
			ui.unmount();
		}
	}, 240_000);

	it('on a local environment the failing gate is advice: the list offers no waiver, and w says why', async () => {
		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: 'compat-local' }} createSample={async () => 'x'} />,
		);
		try {
			// the release goes on to the signer (the gate is recorded, not a refusal)
			await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for scratch'), 120_000);
			expect(store.getRelease('compat-local')!.gates.find((g) => g.id === 'forward-compatible')!.status).toBe('fail');
			ui.stdin.write('c');
			let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('NOT forward compatible') && f.includes('esc back'));
			expect(frame).not.toContain('w waive');
			ui.stdin.write('w');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('no waiver is offered'));
			expect(frame.replace(/\s+/g, ' ')).toContain('on scratch (local) the gate is advice only');
			expect(frame).not.toContain('Why is shipping this acceptable');
			expect(store.getRelease('compat-local')!.gates.find((g) => g.id === 'forward-compatible')!.status).toBe('fail');
		} finally {
			ui.unmount();
		}
	}, 240_000);
});
