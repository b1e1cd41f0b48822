/**
 * The rehearsal on a fork, from the console: on the release screen `d` forks
 * the environment's chain (the embedded Rococo runtime behind a real JSON-RPC
 * endpoint), runs the 9130 → 9140 upgrade there and shows the verdict, keys
 * in and frames out at 80×24. The chain itself stays at 9130 and the release
 * keeps the evidence (the fork-rehearsal gate). On a release of a relay and
 * its parachain (the embedded network), `d` forks both and rehearses the
 * relay's batch and the para's apply: both verdicts, both gates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { sendInput, typeText, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';
import { countExtrinsicsOnChain } from '../helpers/chain.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { byteDifferentAssetHubCode, startTestParachainNetwork, type TestNetwork } from '../helpers/parachain-network.js';
import type { Environment } from '../../source/domain/types.js';

let devnet: RococoDevnet;
let api: ApiPromise;
let store: Store;
let home: string;
let releaseId: string;
const SIZE = { columns: 80, rows: 24 };

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
	home = tempHome('rc-ui-rehearse-');
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'staging',
		endpoints: [devnet.endpoint],
		kind: 'testnet',
		route: 'sudo',
		soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const wasm = writeRococoWasm(9140, home);
	const release = createRelease({
		id: 'rehearse-release',
		name: 'rococo 9140 (rehearse)',
		artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
		environments: [env.env],
		at: new Date().toISOString(),
	});
	store.saveRelease(release);
	releaseId = release.id;
}, 120_000);

afterAll(async () => {
	await runCleanups();
	await api?.disconnect();
	await devnet?.close();
}, 60_000);

describe('rehearse from the console', () => {
	it('d on the release screen: the upgrade on a fork passes, the chain stays at 9130, the gate keeps the verdict', async () => {
		const ui = renderAt(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
			SIZE,
		);
		try {
			// 9140 is not forward compatible with 9130: on a testnet the artifact stage stops there and waits for a person
			await waitForFrame(ui.lastFrame, (f) => f.includes('Refused') && f.includes('not forward compatible'), 120_000);
			await sendInput(ui, 'd');
			await waitForFrame(ui.lastFrame, (f) => f.includes('rehearsing'), 30_000);
			const done = await waitForFrame(ui.lastFrame, (f) => f.includes('Rehearsal on a fork: passed'), 200_000);
			expect(done).toContain('the chain kept producing blocks under the new runtime');
			// the progress bar counted the blocks as they were built: the upgrade block, the first under 9140, 3 more
			expect(ui.frames.some((f) => /working… rehearsing on a fork: #\d+/.test(f) && / [1-5]\/5 blocks/.test(f))).toBe(true);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
			expect(await countExtrinsicsOnChain(api, 'sudo')).toBe(0);
			const gate = store.getRelease(releaseId)!.gates.find((g) => g.id === 'fork-rehearsal');
			expect(gate).toMatchObject({ env: 'staging', status: 'pass', evidence: { verdict: 'passed', specAfter: 9140 } });
			// o: the whole report, in a view of its own that scrolls (it does not fit 24 rows); esc goes back to the stage
			expect(done).toMatch(/o report/);
			await sendInput(ui, 'o');
			const top = await waitForFrame(ui.lastFrame, (f) => f.includes('── lines 1–'), 10_000);
			expect(top).toMatch(/Rehearsal on a fork: passed \(\d\d:\d\d:\d\d UTC\)/);
			expect(top).toContain('origin: Root through sudo.sudoUncheckedWeight');
			const total = Number(/── lines 1–\d+ of (\d+)/.exec(top)![1]);
			expect(total).toBeGreaterThan(20);
			// the last lines are below the fold: the verdict and the upstream chain come after every block's events
			expect(top).not.toContain('✔ passed: the chain kept producing blocks under the new runtime');
			for (let i = 0; i < 6; i++) await sendInput(ui, '\u001B[6~');
			const bottom = await waitForFrame(ui.lastFrame, (f) => new RegExp(`── lines \\d+–${total} of ${total}`).test(f), 10_000);
			expect(bottom).toContain('✔ passed: the chain kept producing blocks under the new runtime');
			expect(bottom).not.toContain('Rehearsal on a fork: passed (');
			await sendInput(ui, '\u001B');
			await waitForFrame(ui.lastFrame, (f) => !f.includes('── lines') && f.includes('Rehearsal on a fork: passed'), 10_000);
			expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);
		} finally {
			ui.unmount();
		}
	}, 300_000);
});

describe('rehearse from the signer field', () => {
	it('ctrl+r while the signer field is open: the rehearsal runs, ctrl+o shows its report, the field keeps what was typed, nothing is sent', async () => {
		const env = validateEnvironment({
			name: 'dev',
			endpoints: [devnet.endpoint],
			kind: 'local',
			route: 'sudo',
			soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 600 },
		});
		if (!env.ok) throw new Error(env.errors.join());
		store.saveEnvironment(env.env);
		const wasm = writeRococoWasm(9140, home);
		const release = createRelease({
			id: 'rehearse-from-field',
			name: 'rococo 9140 (signer field)',
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [env.env],
			at: new Date().toISOString(),
		});
		store.saveRelease(release);
		const ui = renderAt(
			<App store={store} home={home} initialScreen={{ name: 'release', id: release.id }} createSample={async () => release.id} />,
			SIZE,
		);
		try {
			// a local environment: the upgrade asks for its signer at once, and the field takes every letter
			await waitForFrame(
				ui.lastFrame,
				(f) => f.includes('Signer for dev (local)') && f.includes('ctrl+r rehearse on a fork'),
				120_000,
			);
			await typeText(ui, '//Al');
			await sendInput(ui, '\u0012');
			await waitForFrame(ui.lastFrame, (f) => f.includes('rehearsing'), 30_000);
			const done = await waitForFrame(ui.lastFrame, (f) => f.includes('Rehearsal on a fork: passed'), 200_000);
			expect(done).toContain('> //Al');
			expect(done).toContain('ctrl+o report');
			await sendInput(ui, '\u000F');
			const report = await waitForFrame(ui.lastFrame, (f) => f.includes('── lines 1–'), 10_000);
			expect(report).toContain('origin: Root through sudo.sudoUncheckedWeight');
			expect(report).not.toContain('> //Al');
			await sendInput(ui, '\u001B');
			await waitForFrame(ui.lastFrame, (f) => f.includes('> //Al') && !f.includes('── lines 1–'), 10_000);
			// the field goes on from what was typed: the signer prompt for //Alice, cancelled
			await typeText(ui, 'ice');
			await sendInput(ui, '\r');
			await waitForFrame(ui.lastFrame, (f) => f.includes('sign and submit'), 60_000);
			await sendInput(ui, 'n');
			await waitForFrame(ui.lastFrame, (f) => !f.includes('sign and submit'), 30_000);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
			expect(await countExtrinsicsOnChain(api, 'sudo')).toBe(0);
			expect(store.getRelease(release.id)!.gates.find((g) => g.id === 'fork-rehearsal' && g.env === 'dev')).toMatchObject({
				status: 'pass',
			});
			expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);
		} finally {
			ui.unmount();
		}
	}, 300_000);
});

describe('rehearse a relay and its parachain from the console', () => {
	let net: TestNetwork;
	let relay: ApiPromise;
	let netStore: Store;
	let id: string;

	beforeAll(async () => {
		net = await startTestParachainNetwork();
		relay = await ApiPromise.create({ provider: new WsProvider(net.relay.endpoint), noInitWarn: true });
		const dir = tempHome('rc-ui-rehearse-net-');
		netStore = openStore({ dir });
		const soak = { minBlocks: 1, minSeconds: 0, maxStallSeconds: 600 };
		const valid = (e: unknown): Environment => {
			const r = validateEnvironment(e);
			if (!r.ok) throw new Error(r.errors.join());
			return r.env;
		};
		const relayEnv = netStore.saveEnvironment(
			valid({ name: 'relay', endpoints: [net.relay.endpoint], kind: 'testnet', route: 'sudo', soak }),
		);
		const hubEnv = netStore.saveEnvironment(
			valid({
				name: 'hub',
				endpoints: [net.para.endpoint],
				kind: 'testnet',
				route: 'parachain',
				parachain: { relay: 'relay', paraId: 1000 },
				soak,
			}),
		);
		const relayWasm = writeRococoWasm(9140, dir);
		const hubWasm = path.join(dir, 'asset_hub_rebuilt.wasm');
		writeFileSync(hubWasm, byteDifferentAssetHubCode('release-console ui rehearsal'));
		const [relayInfo, hubInfo] = [
			toArtifactInfo(await inspectArtifact(relayWasm), relayWasm),
			toArtifactInfo(await inspectArtifact(hubWasm), hubWasm),
		];
		const release = createRelease({
			id: 'rehearse-network',
			name: 'relay + hub (rehearse)',
			artifact: relayInfo,
			environments: [relayEnv, hubEnv],
			runtimes: { relay: relayInfo, hub: hubInfo },
			at: new Date().toISOString(),
		});
		netStore.saveRelease(release);
		id = release.id;
	}, 120_000);

	afterAll(async () => {
		await runCleanups();
		await relay?.disconnect();
		await net?.close();
	}, 60_000);

	it('d on the relay: both chains forked, the relay batch and the para apply pass, a gate on each, the relay stays at 9130', async () => {
		const ui = render(<App store={netStore} home={home} initialScreen={{ name: 'release', id }} createSample={async () => id} />);
		try {
			// A testnet: 9140 is not forward compatible with 9130, so the relay's artifact stage stops and waits for a person.
			await waitForFrame(ui.lastFrame, (f) => f.includes('Refused') && f.includes('not forward compatible'), 120_000);
			await sendInput(ui, 'd');
			const done = await waitForFrame(ui.lastFrame, (f) => f.includes('Rehearsal on a fork: passed'), 300_000);
			expect(done).toContain('relay: ✔ passed');
			expect(done).toContain('hub: ✔ passed');
			// one bar for both chains: 5 relay blocks, then the para's 7 (message, stored, applied, first, 3 more)
			expect(ui.frames.some((f) => f.includes('forking relay and hub and fetching state') && f.includes('0/12 blocks'))).toBe(true);
			expect(ui.frames.some((f) => f.includes('rehearsing on a fork: hub: #') && / (6|7|8|9|10|11|12)\/12 blocks/.test(f))).toBe(
				true,
			);
			expect((await relay.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
			expect(await countExtrinsicsOnChain(relay, 'sudo')).toBe(0);
			const gates = netStore.getRelease(id)!.gates.filter((g) => g.id === 'fork-rehearsal');
			expect(gates.map((g) => [g.env, g.status])).toEqual(
				expect.arrayContaining([
					['relay', 'pass'],
					['hub', 'pass'],
				]),
			);
		} finally {
			ui.unmount();
		}
	}, 400_000);
});
