/**
 * The release screen at 80×24 on a governance route: every frame fits (≤ 24 lines, ≤ 80
 * columns) with the chain panel and its [SIMULATION] tag on top and the release id whole;
 * the signer prompt scrolls under its keys; hashes a person compares are whole; ↑/↓ read a
 * finished stage again; ? shows the keys of the mode from the key table; esc goes back;
 * a resize re-lays the screen out to the new size.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { connect } from '../helpers/governance.js';
import { tempHome } from '../helpers/cli.js';
import { waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

let devnet: GovernanceDevnet;
let api: ApiPromise & { query: any };
let store: Store;
let home: string;
let specVersion: number;
const releaseId = 'tui-layout-0123456789-abcdef';

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
	api = (await connect(devnet.endpoint)) as any;
	home = tempHome('rc-tui-layout-');
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'gov',
		endpoints: [devnet.endpoint],
		kind: 'local',
		route: 'council-democracy',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
	const wasm = path.join(home, 'next.wasm');
	writeFileSync(wasm, buildDevnetCode({ specVersion }));
	store.saveRelease(
		createRelease({
			id: releaseId,
			name: 'a governance rehearsal with a name too long to fit beside its id on one line of the screen',
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [env.env],
			at: new Date().toISOString(),
		}),
	);
});

afterAll(async () => {
	await runCleanups();
	await api?.disconnect();
	await devnet?.close();
}, 60_000);

const SIZE = { columns: 80, rows: 24 };
const PGDN = '\x1b[6~';
const UP = '\x1b[A';
const hash64 = /0x[0-9a-f]{64}/;

describe('the release screen at 80×24', () => {
	it('fits, keeps its header, scrolls, shows hashes whole, reads stages back, shows the keys', async () => {
		const ui = renderAt(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
			SIZE,
		);
		const header = (f: string) => {
			const lines = f.split('\n');
			return lines[1]?.includes('[SIMULATION]') === true && lines.some((l) => l.includes(releaseId));
		};
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
		expect(header(frame)).toBe(true);
		ui.stdin.write('//Alice\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('you are about to sign') && f.includes('sign and submit'));
		expect(header(frame)).toBe(true);
		// the prompt scrolls under its keys until its last line shows; the call hash is whole on its line
		for (let i = 0; i < 6 && !ui.lastFrame()!.includes('Nonce'); i++) {
			const before = ui.lastFrame();
			ui.stdin.write(PGDN);
			await waitForFrame(ui.lastFrame, (f) => f !== before, 5000);
		}
		frame = ui.lastFrame()!;
		expect(frame).toContain('Nonce');
		expect(frame).toMatch(hash64);
		expect(header(frame)).toBe(true);
		expect(frame).toContain('y sign and submit');

		// ? : the keys of the signer prompt, from the table; esc back to the prompt
		ui.stdin.write('?');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Keys — signer prompt'));
		expect(frame).toMatch(/n \/ esc\s+cancel/);
		ui.stdin.write('\x1b');
		await waitForFrame(ui.lastFrame, (f) => f.includes('you are about to sign'));

		ui.stdin.write('y');
		await waitForFrame(ui.lastFrame, (f) => f.includes('propose a Council motion') && f.includes('sign and submit'));
		ui.stdin.write('y');
		await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye on Council motion') && f.includes('sign and submit'));
		ui.stdin.write('y');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		expect(header(frame)).toBe(true);

		// ↑: the preimage stage, done, read again — its hash whole
		ui.stdin.write(UP);
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('viewing Preimage'), 5000);
		// its trail further down: pgdn until it shows; the preimage hash is not cut (… would follow a few hex digits)
		for (let i = 0; i < 6 && !ui.lastFrame()!.includes('on chain so far'); i++) {
			const before = ui.lastFrame();
			ui.stdin.write(PGDN);
			await waitForFrame(ui.lastFrame, (f) => f !== before, 5000);
		}
		expect(ui.lastFrame()).toMatch(/preimage 0x[0-9a-f]{30,}/);

		// ? on the release: the release keys; esc means back, never quit
		ui.stdin.write('?');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Keys — release'));
		expect(frame).toMatch(/b \/ esc\s+back to the releases/);
		expect(frame).toMatch(/q \/ ctrl\+c\s+quit/);
		ui.stdin.write('\x1b');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));

		// the alignment view scrolls; esc back
		ui.stdin.write('g');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Alignment — gov'));
		expect(header(frame)).toBe(true);
		ui.stdin.write('\x1b');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));

		const misfits = framesThatDoNotFit(ui.frames, SIZE);
		expect(misfits, misfits[0]).toEqual([]);

		// a smaller terminal: once the console has read the new size (Ink lays the old frame out once first), frames fit it
		const small = { columns: 64, rows: 20 };
		ui.resize(small.columns, small.rows);
		frame = await waitForFrame(
			ui.lastFrame,
			(f) => f.split('\n')[0]!.length === small.columns && framesThatDoNotFit([f], small).length === 0,
			5000,
		);
		expect(frame.split('\n')[1]).toContain('[SIMULATION]');
		expect(frame).toContain('Waiting for someone else');
		ui.unmount();
	}, 120_000);
});
