/**
 * A governance route in the console, keys in and frames out, against the
 * governance devnet (a simulation of FRAME governance): the preimage and the
 * council motion with their signer prompts, the live tally while waiting for
 * other members, and a second signer in the same session (a rehearsal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import type { Store } from '../../source/store/store.js';
import type { GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { councilRehearsal, type ConsoleRehearsal } from '../helpers/console-rehearsal.js';
import { typeText, waitForFrame } from '../helpers/frames.js';

let devnet: GovernanceDevnet;
let api: ConsoleRehearsal['api'];
let store: Store;
let home: string;
let specVersion: number;
let rehearsal: ConsoleRehearsal;
const releaseId = 'tui-council';

beforeAll(async () => {
	rehearsal = await councilRehearsal({ releaseId, name: 'council rehearsal', homePrefix: 'rc-tui-gov-' });
	({ devnet, api, store, home, specVersion } = rehearsal);
});

afterAll(async () => {
	await rehearsal?.close();
}, 60_000);

describe('council-democracy in the console', () => {
	it('runs the whole route in one session: preimage, council, fast-track, referendum, enactment, verify, soak, switching signers', async () => {
		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
		await typeText(ui, '//Alice');
		ui.stdin.write('\r');
		// The preimage: what is noted, its hash and length, before anything is signed.
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Preimage hash'));
		expect(frame).toContain('note the preimage of system.setCode');
		expect(frame).toContain('preimage.notePreimage');
		ui.stdin.write('y');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('propose a Council motion'));
		expect(frame).toContain('is a member of the Council');
		expect(frame).toContain('3 of 3 members');
		ui.stdin.write('y');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye on Council motion'));
		ui.stdin.write('y');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		expect(frame).toMatch(/1 aye, 0 nay of 3/);
		expect(frame).toContain('other signer');
		// A rehearsal: act as another council member in the same session.
		ui.stdin.write('s');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
		await typeText(ui, '//Bob');
		ui.stdin.write('\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye on Council motion'));
		expect(frame).toContain('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty');
		ui.stdin.write('y');
		frame = await waitForFrame(ui.lastFrame, (f) => /2 aye, 0 nay of 3/.test(f));
		const [hash] = (await api.query.council.proposals()) as any;
		const votes = ((await api.query.council.voting(hash)) as any).unwrap();
		expect(votes.ayes.length).toBe(2);

		// The rest of the route in the same session: each prompt is read, then signed.
		const actAs = async (signer: string) => {
			ui.stdin.write('s');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
			await typeText(ui, signer);
			ui.stdin.write('\r');
		};
		const sign = async (step: string) => {
			await waitForFrame(ui.lastFrame, (f) => f.includes(step) && f.includes('sign and submit'));
			ui.stdin.write('y');
		};
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		await actAs('//Charlie');
		await sign('vote aye on Council motion');
		await sign('close Council motion');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('member of the Technical Committee to propose'));
		await actAs('//Dave');
		await sign('propose a Technical Committee motion');
		await sign('vote aye on Technical Committee motion');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		await actAs('//Alice');
		await sign('vote aye on Technical Committee motion');
		await sign('close Technical Committee motion');
		await sign('vote aye on referendum');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for blocks') && /ends at #\d+/.test(f));
		// The voting period passes; the screen follows each block: enactment, verify, soak.
		for (let i = 0; i < 12 && !ui.lastFrame()?.includes('Release complete'); i++) {
			await devnet.newBlocks(1);
			// the next block once the screen has this one (its chain panel shows it as the best block)
			const best = (await api.rpc.chain.getHeader()).number.toNumber();
			await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete') || f.includes(`best #${best.toLocaleString('en-US')}`));
		}
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete'));
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
		ui.unmount();
	}, 180_000);
});
