/**
 * Kill the console between submission and inclusion (SIGKILL, no clean-up),
 * start it again, and check the resumed console reconciles the write-ahead
 * intent against the chain instead of sending the upgrade a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { startRococoDevnet, type RococoDevnet } from '../source/devnet/rococo.js';
import { writeRococoWasm } from '../source/artifact/embedded-runtimes.js';
import { countExtrinsicsOnChain } from './helpers/chain.js';
import { runCli, spawnCli, tempHome } from './helpers/cli.js';

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
const env = (): Record<string, string> => ({ RELEASE_CONSOLE_HOME: home });

const sudoExtrinsicsOnChain = () => countExtrinsicsOnChain(api, 'sudo');

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
	home = tempHome();
});

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('crash between submission and inclusion', () => {
	it('resumes without a second submission', { timeout: 420_000 }, async () => {
		const wasm = writeRococoWasm(9140, home);
		expect((await runCli(['env', 'add', 'crashy', '--endpoint', devnet.endpoint, '--kind', 'local', '--route', 'sudo', '--soak-blocks', '2', '--soak-minutes', '0'], env())).code).toBe(0);
		const created = await runCli(['new', '--name', 'crash test', '--wasm', wasm, '--env', 'crashy', '--json'], env());
		const id = created.json().id as string;

		// Submit, and kill the process as soon as the extrinsic is in the node's pool.
		const child = spawnCli(['advance', id, '--env', 'crashy', '--signer', '//Alice', '--yes'], env());
		const deadline = Date.now() + 120_000;
		let pending = 0;
		while (Date.now() < deadline) {
			pending = (await api.rpc.author.pendingExtrinsics()).length;
			if (pending > 0) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(pending).toBe(1);
		child.kill('SIGKILL');
		await new Promise((r) => child.once('exit', r));

		// The write-ahead intent is in the store, without an outcome.
		const before = (await runCli(['status', id, '--json'], env())).json();
		const intents = before.environments[0].intents;
		expect(intents).toHaveLength(1);
		expect(intents[0].outcome).toBeUndefined();
		expect(intents[0].extrinsicHash).toMatch(/^0x[0-9a-f]{64}$/);

		// Restart while it is still in the pool: it waits, and sends nothing.
		const waiting = await runCli(['advance', id, '--env', 'crashy', '--signer', '//Alice', '--yes', '--json'], env());
		expect(waiting.code).toBe(0);
		expect(waiting.json().result.kind).toBe('wait');
		expect(waiting.json().result.waitingFor).toBe('inclusion');
		expect((await api.rpc.author.pendingExtrinsics()).length).toBe(1);

		// The chain includes it; the resumed console records it and carries on.
		await devnet.newBlocks(1);
		const timer = setInterval(() => void devnet.newBlocks(1).catch(() => {}), 700);
		try {
			const resumed = await runCli(['advance', id, '--env', 'crashy', '--signer', '//Alice', '--yes', '--follow', '--timeout', '300', '--json'], env());
			expect(resumed.stderr).toBe('');
			const out = resumed.json();
			expect(out.result.kind).toBe('complete');
			const e = out.release.environments[0];
			expect(e.intents).toHaveLength(1);
			expect(e.intents[0].outcome.status).toBe('included');
			expect(e.upgrade.extrinsicHash).toBe(intents[0].extrinsicHash);
		} finally {
			clearInterval(timer);
		}
		expect(await sudoExtrinsicsOnChain()).toBe(1);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
	});
});
