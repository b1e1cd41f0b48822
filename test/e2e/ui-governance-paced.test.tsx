/**
 * The governance sample in the console at a person's pace, as the README's
 * walkthrough tells it: on `embedded:governance` (the background governance
 * devnet the console starts, paced by the person: a block when someone acts,
 * and when they press f), with pauses between keys. Nothing expires while a
 * prompt is open, the fast-track is not lost to a launch period, f jumps to
 * where something can happen. Then the console is quit and started again:
 * the embedded chain kept its state and agrees with the finished release;
 * after `devnet reset` the release screen says the chain no longer shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { ensureSamples, GOVERNANCE_SAMPLE_NAME } from '../../source/engine/samples.js';
import { readDaemonState } from '../../source/devnet/daemon.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { typeText, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };

let store: Store;
let home: string;
let releaseId: string;

/** A frame's text without the boxes' borders and line breaks (wrapped words join again). */
const flat = (frame: string) => frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

/** A person reading the screen before the next key. */
const read = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	home = tempHome('rc-paced-');
	store = openStore({ dir: home });
	await ensureSamples(store, home);
	releaseId = store.listReleases().find((r) => r.name === GOVERNANCE_SAMPLE_NAME)!.id;
}, 60_000);

afterAll(async () => {
	await runCleanups();
	await runCli(['devnet', 'stop'], { RELEASE_CONSOLE_HOME: home });
}, 60_000);

async function best(): Promise<number> {
	const state = readDaemonState(home, 'governance');
	if (!state) throw new Error('the governance devnet is not running');
	const api = await ApiPromise.create({ provider: new WsProvider(state.endpoint), noInitWarn: true });
	try {
		return (await api.rpc.chain.getHeader()).number.toNumber();
	} finally {
		await api.disconnect();
	}
}

describe('the governance sample at a person pace', () => {
	it('walks the README: signers in turn, f to the end of each wait, release complete; then quit, start again, reset', async () => {
		const open = () =>
			renderAt(
				<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
				SIZE,
			);
		let ui = open();
		const signAs = async (signer: string) => {
			await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for governance'), 60_000);
			await read();
			await typeText(ui, signer);
			ui.stdin.write('\r');
		};
		const sign = async (step: string) => {
			await waitForFrame(ui.lastFrame, (f) => f.includes(step) && f.includes('sign and submit'), 60_000);
			await read();
			ui.stdin.write('y');
		};
		const actAs = async (signer: string) => {
			await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'), 60_000);
			await read();
			ui.stdin.write('s');
			await signAs(signer);
		};

		await signAs('//Alice');
		await sign('note the preimage');
		await sign('propose a Council motion');
		await sign('vote aye on Council motion');
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		expect(flat(frame)).toContain('//Alice has voted');
		// A paced chain: reading the screen builds no block, so nothing can expire meanwhile.
		const before = await best();
		await read(3000);
		expect(await best()).toBe(before);
		await actAs('//Bob');
		await sign('vote aye on Council motion');
		await actAs('//Charlie');
		await sign('vote aye on Council motion');
		await sign('close Council motion');
		await waitForFrame(ui.lastFrame, (f) => f.includes('member of the Technical Committee to propose'), 60_000);
		await read();
		ui.stdin.write('s');
		await signAs('//Dave');
		await sign('propose a Technical Committee motion');
		await sign('vote aye on Technical Committee motion');
		await actAs('//Alice');
		await sign('vote aye on Technical Committee motion');
		await sign('close Technical Committee motion');
		await sign('vote aye on referendum');
		// The referendum the fast-track made waits for its end: f goes there.
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for blocks') && /ends at #\d+/.test(f), 60_000);
		expect(frame).toMatch(/f to #\d+/);
		const ends = Number(/ends at #(\d+)/.exec(frame)![1]);
		for (let i = 0; i < 8; i++) {
			const now = await waitForFrame(
				ui.lastFrame,
				(f) => (f.includes('Waiting for') && f.includes('f to #')) || f.includes('sign and submit'),
				60_000,
			);
			if (now.includes('sign and submit')) break;
			await read(1000);
			ui.stdin.write('f');
			await waitForFrame(ui.lastFrame, (f) => f.includes('fast-forwarded') || f.includes('sign and submit'), 60_000);
		}
		expect(await best()).toBeGreaterThanOrEqual(ends);
		const release = store.getRelease(releaseId)!;
		const gov = release.progress.governance!.gov!;
		// The referendum is the fast-track's: it passed long before the first launch period (block 1000) could table the proposal.
		expect(gov.fastTrack?.index).toBe(0);
		expect(gov.referendum?.approvedAt).toBeLessThan(1000);
		// Authorize payload: anyone applies the code once the hash is authorized.
		await sign('apply');
		for (let i = 0; i < 8 && !(ui.lastFrame() ?? '').includes('Release complete'); i++) {
			await waitForFrame(
				ui.lastFrame,
				(f) => f.includes('Release complete') || (f.includes('Waiting for') && f.includes('f to #')),
				60_000,
			);
			if ((ui.lastFrame() ?? '').includes('Release complete')) break;
			await read(1000);
			ui.stdin.write('f');
			await waitForFrame(ui.lastFrame, (f) => f.includes('fast-forwarded') || f.includes('Release complete'), 60_000);
		}
		await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete'), 60_000);
		// Every frame of the walkthrough fitted the 80×24 terminal.
		expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);

		// Quit and come back: the embedded chain kept its state and shows the release.
		ui.stdin.write('q');
		ui.unmount();
		await runCleanups();
		ui = open();
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete'), 90_000);
		expect(frame).not.toContain('does not show this release');
		ui.unmount();
		await runCleanups();

		// devnet reset: the release screen says what that means for the release.
		const reset = await runCli(['devnet', 'reset', '--chain', 'governance'], { RELEASE_CONSOLE_HOME: home });
		expect(reset.code).toBe(0);
		ui = open();
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('does not show this release'), 90_000);
		expect(flat(frame)).toMatch(/another instance|does not exist/);
		expect(frame).not.toContain('Release complete');
		ui.unmount();
	}, 600_000);
});
