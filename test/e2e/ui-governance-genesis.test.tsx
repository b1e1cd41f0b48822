/**
 * The council-democracy route in the console on real governance code: the
 * embedded Polkadot 0 genesis runtime, whose launch call filter refuses signed
 * governance calls. Keys in, frames out at 80×24: the refusal with the
 * rehearsal path it allows on a local chain, then the sudo key acting for each
 * member (`//Alice sudo-as //Bob`), labelled so in the prompt, through council,
 * fast-track, referendum and the Scheduler's enactment to polkadot 1.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { startGenesisChain, type GenesisChain } from '../../source/devnet/genesis-chains.js';
import { writeGenesisRuntimeWasm } from '../../source/artifact/embedded-runtimes.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { rawRpc } from '../helpers/governance.js';
import { tempHome } from '../helpers/cli.js';
import { typeText, waitForFrame } from '../helpers/frames.js';

let chain: GenesisChain;
let api: ApiPromise;
let store: Store;
let home: string;
const releaseId = 'tui-polkadot-1';

beforeAll(async () => {
	chain = await startGenesisChain('polkadot-0', { blockTime: 'instant' });
	api = await ApiPromise.create({ provider: new WsProvider(chain.endpoint), noInitWarn: true });
	home = tempHome('rc-tui-dot-');
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'polkadot',
		endpoints: [chain.endpoint],
		kind: 'local',
		route: 'council-democracy',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const wasm = writeGenesisRuntimeWasm('polkadot-0', 'bumped', path.join(home, 'wasm'));
	store.saveRelease(
		createRelease({
			id: releaseId,
			name: 'polkadot 1',
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [env.env],
			at: new Date().toISOString(),
		}),
	);
}, 60_000);

afterAll(async () => {
	await runCleanups();
	await api?.disconnect();
	await chain?.close();
}, 60_000);

describe('council-democracy in the console on the real Polkadot 0 runtime', () => {
	it('refuses a member’s signed call (the launch filter), then takes the sudo-as rehearsal path, member by member, to polkadot 1', async () => {
		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		const signAs = async (signer: string) => {
			await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for polkadot'));
			await typeText(ui, signer);
			ui.stdin.write('\r');
		};
		const actAs = async (signer: string) => {
			ui.stdin.write('s');
			await signAs(signer);
		};
		const sign = async (step: string) => {
			await waitForFrame(ui.lastFrame, (f) => f.includes(step) && f.includes('sign and submit'));
			ui.stdin.write('y');
		};
		// The local environment's signer line says what it takes, sudo-as included.
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for polkadot'));
		expect(frame).toContain('sudo-as MEMBER');
		// The chain panel says what this chain is: the real runtime, its governance members replaced.
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('[REAL GENESIS RUNTIME · DEV GOVERNANCE]'));
		await signAs('//Alice');
		// Signed directly, the chain would refuse it: said before anything is signed, with what to do instead.
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Cannot sign'));
		expect(frame).toContain('Custom(2)');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Instead:'));
		expect(frame).toMatch(/sudo\.sudoAs/);
		expect((await api.rpc.author.pendingExtrinsics()).length).toBe(0);
		// n: nothing is sent; s: another signer.
		ui.stdin.write('n');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Nothing was sent'));

		await actAs('//Alice sudo-as //Alice');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('note the preimage') && f.includes('sign and submit'));
		expect(frame).toContain('sudo.sudoAs');
		expect(frame).toContain('REHEARSAL PATH');
		ui.stdin.write('y');
		await sign('propose a Council motion');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		await actAs('//Alice sudo-as //Bob');
		await sign('vote aye on Council motion');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		await actAs('//Alice sudo-as //Charlie');
		await sign('vote aye on Council motion');
		await sign('close Council motion');
		await waitForFrame(ui.lastFrame, (f) => f.includes('member of the Technical Committee'));
		await actAs('//Alice sudo-as //Dave');
		await sign('propose a Technical Committee motion');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		await actAs('//Alice sudo-as //Eve');
		await sign('vote aye on Technical Committee motion');
		await sign('close Technical Committee motion');
		await sign('vote aye on referendum');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for blocks') && /ends at #[\d,]+/.test(f));

		// FastTrackVotingPeriod is 1800 blocks: the chain jumps to the referendum's end, then to its enactment.
		const ref = store.getRelease(releaseId)!.progress.polkadot!.gov!.referendum!;
		await rawRpc(api, 'dev_newBlock', [{ unsafeBlockHeight: ref.end }]);
		await waitForFrame(ui.lastFrame, (f) => /scheduler dispatches/.test(f));
		await rawRpc(api, 'dev_newBlock', [{ unsafeBlockHeight: ref.end! + ref.delay! }]);
		for (let i = 0; i < 8 && !ui.lastFrame()?.includes('Release complete'); i++) {
			await rawRpc(api, 'dev_newBlock', [{ count: 1 }]);
			const best = (await api.rpc.chain.getHeader()).number.toNumber();
			await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete') || f.includes(`best #${best.toLocaleString('en-US')}`));
		}
		await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete'));
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(1);
		// The audit trail names the path: every extrinsic was the sudo key's sudo.sudoAs for a member.
		const intents = store.getRelease(releaseId)!.progress.polkadot!.intents;
		expect(intents.length).toBeGreaterThanOrEqual(9);
		expect(intents.every((i) => i.call.startsWith('sudo.sudoAs('))).toBe(true);
		ui.unmount();
	}, 240_000);
});
