/**
 * The console pins an environment's genesis on its first connection, through
 * the same session runner as `advance`, and refuses a different chain behind
 * the same endpoint afterwards: nothing is read from it, nothing is signed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
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

/** The frame's text with box edges and line breaks folded, for messages that wrap. */
const flat = (frame: string) => frame.replace(/[│╭╮╰╯─\s]+/g, ' ');

const releaseId = 'pin-rehearsal';
let devnet: GovernanceDevnet | undefined;
let store: Store;
let home: string;

async function genesisOf(endpoint: string): Promise<string> {
	const api = await connect(endpoint);
	try {
		return api.genesisHash.toHex();
	} finally {
		await api.disconnect();
	}
}

beforeEach(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant' });
	home = tempHome('rc-tui-pin-');
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'staging',
		endpoints: [devnet.endpoint],
		kind: 'testnet',
		route: 'sudo',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const api = await connect(devnet.endpoint);
	const specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
	await api.disconnect();
	const wasm = path.join(home, 'next.wasm');
	writeFileSync(wasm, buildDevnetCode({ specVersion }));
	store.saveRelease(
		createRelease({
			id: releaseId,
			name: 'pinned rehearsal',
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [env.env],
			at: new Date().toISOString(),
		}),
	);
});

afterEach(async () => {
	await runCleanups();
	await devnet?.close();
}, 60_000);

describe('genesis pinning in the console', () => {
	it('pins a new environment to the genesis of the chain it first connects to', async () => {
		expect(store.getEnvironment('staging')!.genesisHash).toBeUndefined();
		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		// The sudo route stops at the upgrade for a signer: the session is open and a step ran.
		await waitForFrame(ui.lastFrame, (f) => f.includes('A signer is needed'), 60_000);
		expect(store.getEnvironment('staging')!.genesisHash).toBe(await genesisOf(devnet!.endpoint));
		ui.unmount();
	}, 90_000);

	it('refuses a different chain behind the pinned endpoint, and runs no step on it', async () => {
		const first = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		await waitForFrame(first.lastFrame, (f) => f.includes('A signer is needed'), 60_000);
		first.unmount();
		await runCleanups();
		const pinned = store.getEnvironment('staging')!.genesisHash!;
		const before = JSON.stringify(store.getRelease(releaseId)!.progress);

		// Another chain (other governance periods: another genesis) now answers at the same address.
		const port = devnet!.port;
		await devnet!.close();
		devnet = await startGovernanceDevnet({ blockTime: 'instant', port, periods: { launchPeriod: 1000 } });
		const other = await genesisOf(devnet.endpoint);
		expect(other).not.toBe(pinned);

		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		const frame = flat(await waitForFrame(ui.lastFrame, (f) => flat(f).includes('is pinned to'), 60_000));
		expect(frame).toContain('Refused');
		expect(frame).toContain(other);
		expect(frame).not.toContain('A signer is needed');
		expect(store.getEnvironment('staging')!.genesisHash).toBe(pinned);
		expect(JSON.stringify(store.getRelease(releaseId)!.progress)).toBe(before);
		ui.unmount();
	}, 120_000);
});
