/**
 * Connection faults, seen the way a release engineer sees them: the console's
 * release screen (ink-testing-library) watching the governance devnet over
 * real JSON-RPC (@polkadot/api). The first endpoint of the environment is
 * dead, so the second is used and the panel says so; the devnet is stopped
 * mid-watch and the panel counts reconnect attempts with a growing backoff;
 * the devnet is started again on the same port (same genesis: it is
 * deterministic) and live state resumes; then a different chain is started
 * behind the same URL and the console refuses it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { startGovernanceDevnet, buildDevnetCode, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { backoffDelay } from '../../source/chain/connect.js';
import { ChainPanel } from '../../source/app/components/chain-panel/index.js';
import { tempHome } from '../helpers/cli.js';
import { settled, waitFor, waitForFrame } from '../helpers/frames.js';

const DEAD = 'ws://127.0.0.1:1';
let devnet: GovernanceDevnet;
let port: number;
let store: Store;
let home: string;
let releaseId: string;

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ port: 0, blockTime: 'manual' });
	port = devnet.port;
	home = tempHome('rc-reconnect-');
	store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'gov',
		endpoints: [DEAD, devnet.endpoint],
		kind: 'local',
		route: 'sudo',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const wasm = path.join(home, 'devnet-269.wasm');
	writeFileSync(wasm, buildDevnetCode({ specVersion: 269 }));
	const release = createRelease({
		id: 'reconnect',
		name: 'reconnect rehearsal',
		artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
		environments: [env.env],
		at: new Date().toISOString(),
	});
	store.saveRelease(release);
	releaseId = release.id;
});

afterAll(async () => {
	await runCleanups();
	await devnet?.close();
}, 60_000);

/** The chain panel's connection line. */
const connectionLine = (frame: string) => frame.split('\n').find((line) => /connected|reconnecting|connecting|error:/.test(line)) ?? '';

describe('connection faults', () => {
	it('backoff doubles from 1 s and is capped at 30 s', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
		expect(backoffDelay(3, 500, 1500)).toBe(1500);
	});

	it('the panel counts the delay down to the next attempt', () => {
		const at = 1_700_000_000_000;
		const frame = (now: number) =>
			render(
				<ChainPanel
					state={{
						connection: { status: 'reconnecting', endpoint: 'ws://a', attempt: 4, backoffMs: 8000, nextAttemptAt: at + 8000 },
					}}
					now={now}
					envName="e"
					envKind="local"
				/>,
			).lastFrame() ?? '';
		expect(frame(at)).toContain('reconnecting (attempt 4, next in 8s) · ws://a');
		expect(frame(at + 2500)).toContain('reconnecting (attempt 4, next in 6s)');
		expect(frame(at + 9000)).toContain('reconnecting (attempt 4, next in 0s)');
	});

	it(
		'uses the second endpoint when the first is dead, shows reconnecting with attempts and backoff, resumes after a restart, and refuses another chain',
		{ timeout: 180_000 },
		async () => {
			const ui = render(
				<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
			);
			try {
				// Connected through the fallback, with live state; the artifact stage passed.
				let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov') && f.includes('node/268'));
				expect(connectionLine(frame)).toContain(`✔ connected · ${devnet.endpoint}`);
				expect(connectionLine(frame)).toContain('(fallback; 1 down)');
				expect(frame).toContain('[SIMULATION]');
				await devnet.newBlocks(2);
				frame = await waitForFrame(ui.lastFrame, (f) => f.includes('best #2'));

				// The endpoint goes away mid-watch.
				await devnet.close();
				const seen = new Map<number, number>();
				await waitForFrame(
					ui.lastFrame,
					(f) => {
						const m = /reconnecting \(attempt (\d+), next in (\d+)s\)/.exec(f);
						if (m && !seen.has(Number(m[1]))) seen.set(Number(m[1]), Number(m[2]));
						return seen.has(3);
					},
					30_000,
				);
				// Each attempt waits longer: 1 s, 2 s, 4 s (the first frame of an attempt shows its whole delay).
				expect([...seen.entries()].filter(([n]) => n <= 3)).toEqual([
					[1, 1],
					[2, 2],
					[3, 4],
				]);
				frame = ui.lastFrame() ?? '';
				// The attempts alternate between the environment's endpoints.
				expect(frame).toMatch(new RegExp(`reconnecting \\(attempt 3, next in \\ds\\) · ${DEAD.replaceAll('.', '\\.')}`));
				// Nothing crashed: the screen still shows the release and the last known state.
				expect(frame).toContain('reconnect rehearsal');
				expect(frame).toContain('best #2');
				expect(frame).not.toMatch(/Cannot connect|Failed/);

				// Started again on the same port: the same genesis (the devnet is deterministic), so the console resumes.
				devnet = await startGovernanceDevnet({ port, blockTime: 'manual' });
				frame = await waitForFrame(
					ui.lastFrame,
					(f) => /✔ connected · \S+ \(reconnected, \d+ tries\)/.test(connectionLine(f)),
					60_000,
				);
				expect(connectionLine(frame)).toContain(devnet.endpoint);
				await devnet.newBlocks(3);
				frame = await waitForFrame(ui.lastFrame, (f) => f.includes('best #3') && f.includes('finalized #3'));
				expect(frame).toContain('node/268');
				expect(frame).not.toMatch(/Cannot connect|Failed/);

				// A different chain behind the same URL (other governance periods → other genesis): refused, not followed.
				await devnet.close();
				await waitForFrame(ui.lastFrame, (f) => f.includes('reconnecting (attempt 1'));
				devnet = await startGovernanceDevnet({ port, blockTime: 'manual', periods: { launchPeriod: 11 } });
				frame = await waitForFrame(ui.lastFrame, (f) => f.includes('a different chain answers at'), 60_000);
				expect(frame).toContain('✖ error');
				await devnet.newBlocks(5);
				// The console disconnects from a refused chain: once its socket is closed nothing more can arrive,
				// and whatever arrived before has been handled.
				await waitFor(() => devnet.connections() === 0, 'the console to disconnect from the other chain', 30_000);
				await settled();
				frame = ui.lastFrame() ?? '';
				// Its blocks are not shown as if they were the pinned chain's.
				expect(frame).not.toContain('best #5');
				expect(frame).toContain('best #3');
			} finally {
				ui.unmount();
				await runCleanups();
			}
		},
	);
});
