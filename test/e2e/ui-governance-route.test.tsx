/**
 * A governance route in the console, keys in and frames out, against the
 * governance devnet (a simulation of FRAME governance): the preimage and the
 * council motion with their signer prompts, the live tally while waiting for
 * other members, and a second signer in the same session (a rehearsal).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
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
import { typeText, waitForFrame } from '../helpers/frames.js';

let devnet: GovernanceDevnet;
let api: ApiPromise & { query: any };
let store: Store;
let home: string;
let specVersion: number;
const releaseId = 'tui-council';

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
	api = (await connect(devnet.endpoint)) as any;
	home = tempHome('rc-tui-gov-');
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
			name: 'council rehearsal',
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
