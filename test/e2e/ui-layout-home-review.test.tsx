/**
 * The home screen and the review screen at 80×24 (issue 13, items 3 and 6): every frame fits
 * (≤ 24 lines, ≤ 80 columns) with the header on top and the keys at the bottom; the release list
 * scrolls with the selection; ? shows the keys of the mode from the key table and esc goes back;
 * on home, where no text field is open, a typed chunk (nnn, //Dave) or a word typed key by key
 * is refused with a visible line and never acts as hotkeys. The review screen (against the
 * governance devnet) scrolls its body under its keys and shows the hashes a person compares whole.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { createRelease } from '../../source/domain/release.js';
import { builtinDevnetEnvironment, validateEnvironment } from '../../source/domain/environments.js';
import type { ArtifactInfo } from '../../source/domain/types.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, findEvent, send } from '../helpers/governance.js';
import { tempHome } from '../helpers/cli.js';
import { sendInput, settled, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };
const DOWN = '\x1b[B';
const PGDN = '\x1b[6~';

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

describe('the home screen at 80×24', () => {
	it('fits with many releases (the list scrolls with the selection), ? shows the keys, typed text never acts', async () => {
		const home = tempHome('rc-home-layout-');
		const store = openStore({ dir: home });
		const env = builtinDevnetEnvironment();
		for (let i = 0; i < 30; i++) {
			const n = String(i).padStart(2, '0');
			store.saveRelease(
				createRelease({
					id: `release-${n}-abcdef`,
					name: `release number ${n}`,
					artifact,
					environments: [env],
					at: `2026-01-01T00:${n}:00.000Z`,
				}),
			);
		}
		let created = 0;
		const ui = renderAt(
			<App
				store={store}
				home={home}
				createSample={async () => {
					created++;
					return 'release-00-abcdef';
				}}
			/>,
			SIZE,
		);
		const selectedLine = (f: string) => f.split('\n').find((l) => l.includes('❯'));
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('release number 29') && f.includes('↓'));
		expect(frame.split('\n')[1]).toContain('release-console');
		expect(frame).toContain('q quit');
		// the selection moves past the first window: the list follows it
		for (let i = 0; i < 25; i++) await sendInput(ui, DOWN);
		frame = await waitForFrame(ui.lastFrame, (f) => selectedLine(f)?.includes('release number 04') === true);
		expect(frame).toMatch(/↑ \d+ more/);
		expect(frame.split('\n')[1]).toContain('release-console');
		expect(frame).toContain('q quit');

		// ?: the keys of home, from the key table; esc back
		ui.stdin.write('?');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Keys — releases'));
		expect(frame).toMatch(/n\s+new sample release/);
		expect(frame).toMatch(/r\s+review a proposal/);
		expect(frame).toMatch(/enter\s+open the release/);
		expect(frame).toMatch(/q \/ ctrl\+c\s+quit/);
		ui.stdin.write('\x1b');
		frame = await waitForFrame(ui.lastFrame, (f) => !f.includes('Keys — releases') && f.includes('release number 04'));

		// a chunk where no text field is open: refused whole, nothing is created or opened
		ui.stdin.write('nnn');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored ("nnn")'));
		ui.stdin.write('//Dave');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored ("//Dave")'));
		// a word typed key by key: after its first unbound key, its r and n do not act either
		for (const ch of '/run') {
			ui.stdin.write(ch);
			await settled();
		}
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored ("n")'));
		expect(frame).not.toContain('check a proposed upgrade');
		expect(frame).not.toContain('Creating the sample releases');
		expect(created).toBe(0);
		// esc is back, never quit: on the first screen it says so
		ui.stdin.write('\x1b');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('nothing to go back to'));

		const misfits = framesThatDoNotFit(ui.frames, SIZE);
		expect(misfits, misfits[0]).toEqual([]);
		ui.unmount();
	}, 60_000);
});

describe('the review screen at 80×24', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any };
	let store: Store;
	let home: string;
	let wasm: string;
	let codeHash: string;
	let preimageHash: string;
	let motionHash: string;
	let motionIndex: number;

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = (await connect(devnet.endpoint)) as any;
		const keys = await devKeys();
		home = tempHome('rc-review-layout-');
		store = openStore({ dir: home });
		const env = validateEnvironment({
			name: 'gov',
			endpoints: [devnet.endpoint],
			kind: 'local',
			route: 'sudo',
			soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 60 },
		});
		if (!env.ok) throw new Error(env.errors.join());
		store.saveEnvironment(env.env);
		const code = buildDevnetCode({ specVersion: api.runtimeVersion.specVersion.toNumber() + 1 });
		codeHash = blake2AsHex(code, 256);
		wasm = path.join(home, 'runtime.wasm');
		writeFileSync(wasm, code);
		const bytes = api.tx.system.setCode(u8aToHex(code)).method.toU8a();
		preimageHash = blake2AsHex(bytes, 256);
		await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.alice);
		const external = api.tx.democracy.externalProposeMajority({ Lookup: { hash: preimageHash, len: bytes.length } });
		const proposed = await send(api, api.tx.council.propose(3, external, external.method.encodedLength), keys.alice);
		const [, index, mh] = findEvent(proposed.events, 'council.Proposed')!.event.data as any;
		motionIndex = index.toNumber();
		motionHash = mh.toHex();
	}, 120_000);

	afterAll(async () => {
		await runCleanups();
		await api?.disconnect();
		await devnet?.close();
	}, 60_000);

	it('fits with its header and keys, scrolls its body, shows the hashes whole, ? shows the keys, esc is back', async () => {
		const ui = renderAt(<App store={store} home={home} createSample={async () => 'x'} />, SIZE);
		const lines = (f: string) => f.split('\n');
		const header = (f: string) => lines(f)[1]?.includes('review') === true && lines(f)[1]?.includes('check a proposed upgrade');
		await waitForFrame(ui.lastFrame, (f) => f.includes('r review a proposal'));
		ui.stdin.write('r');
		await waitForFrame(ui.lastFrame, (f) => f.includes('check a proposed upgrade') && f.includes('‹ devnet (local) ›'));
		await sendInput(ui, '\u001B[A', '\u001B[C');
		await waitForFrame(ui.lastFrame, (f) => f.includes('‹ gov (local) ›'));
		// the fields take chunks as the keys they are: the target, tab, the wasm path, enter
		await sendInput(ui, '\u001B[B');
		ui.stdin.write(`motion ${motionIndex}\t${wasm}\r`);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('MATCH:'), 120_000);
		expect(header(frame)).toBe(true);
		expect(lines(frame).at(-1)).toContain('q quit');
		expect(frame).toContain('v vote');

		// the body scrolls under the keys; every hash a person compares is whole somewhere on the way
		const seen: string[] = [frame];
		for (let i = 0; i < 12 && !/lines \d+–(\d+) of \1 /.test(ui.lastFrame()!); i++) {
			const before = ui.lastFrame();
			ui.stdin.write(PGDN);
			seen.push(await waitForFrame(ui.lastFrame, (f) => f !== before, 5000));
		}
		const text = seen.join('\n');
		expect(text).toContain('lines 1–');
		for (const hash of [motionHash, preimageHash, codeHash]) expect(text, hash).toContain(hash);
		// no detail line cuts a hash (the one-line verdict sums up with a short one, and the call path names a
		// preimage by a short hash: both are whole on their own lines of the details)
		const cut = text.split('\n').filter((l) => /(hash|preimage)[^\n]*0x[0-9a-f]{4,}…/.test(l) && !/MATCH:/.test(l));
		expect(cut).toEqual([]);
		frame = ui.lastFrame()!;
		expect(header(frame)).toBe(true);
		expect(lines(frame).at(-1)).toContain('q quit');

		// ?: the keys of review mode from the table; esc back to the report (not to home)
		ui.stdin.write('?');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Keys — review'));
		expect(frame).toMatch(/v\s+vote/);
		expect(frame).toMatch(/e\s+edit the form/);
		expect(header(frame)).toBe(true);
		ui.stdin.write('\x1b');
		await waitForFrame(ui.lastFrame, (f) => !f.includes('Keys — review') && f.includes('v vote'));

		// vote: choose, its keys on ?, then the signer prompt scrolls under its keys with the call hash whole
		ui.stdin.write('v');
		await waitForFrame(ui.lastFrame, (f) => f.includes(`Vote on council motion ${motionIndex}`));
		ui.stdin.write('?');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Keys — review: choose your vote'));
		expect(frame).toMatch(/a\s+aye/);
		ui.stdin.write('\x1b');
		await waitForFrame(ui.lastFrame, (f) => f.includes(`Vote on council motion ${motionIndex}`));
		ui.stdin.write('a');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov (local)'));
		ui.stdin.write('//Bob\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('you are about to sign') && f.includes('y sign and submit'), 60_000);
		expect(header(frame)).toBe(true);
		const prompt: string[] = [frame];
		for (let i = 0; i < 8 && !/lines \d+–(\d+) of \1 /.test(ui.lastFrame()!); i++) {
			const before = ui.lastFrame();
			ui.stdin.write(PGDN);
			prompt.push(await waitForFrame(ui.lastFrame, (f) => f !== before, 5000));
		}
		expect(prompt.join('\n')).toMatch(/Call hash[\s\S]*0x[0-9a-f]{64}/);
		expect(lines(ui.lastFrame()!).at(-1)).toContain('y sign and submit');
		ui.stdin.write('n');
		await waitForFrame(ui.lastFrame, (f) => f.includes('MATCH:') && f.includes('v vote'));
		// esc on the report is back to the releases, never quit
		ui.stdin.write('\x1b');
		await waitForFrame(ui.lastFrame, (f) => f.includes('r review a proposal'));

		const misfits = framesThatDoNotFit(ui.frames, SIZE);
		expect(misfits, misfits[0]).toEqual([]);
		ui.unmount();
	}, 300_000);
});
