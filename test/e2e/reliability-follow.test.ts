/**
 * `advance --follow` through a network blip: the connection to the node drops
 * for a few seconds in the middle of the soak (a TCP proxy between the console
 * and the governance devnet, a simulation, closes every socket and refuses new
 * ones), and the command waits for the endpoint to come back and finishes,
 * instead of exiting with the error. Nothing is sent twice.
 */
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect } from '../helpers/governance.js';
import { runCli, spawnCli, tempHome } from '../helpers/cli.js';
import { waitFor } from '../helpers/frames.js';

let devnet: GovernanceDevnet;
let api: ApiPromise;
let home: string;
let proxy: net.Server;
let proxyPort: number;
const sockets = new Set<net.Socket>();

function listen(port = 0): Promise<number> {
	proxy = net.createServer((client) => {
		const upstream = net.connect(devnet.port, '127.0.0.1');
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => s.destroy());
		}
		client.pipe(upstream).pipe(client);
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});
	return new Promise((resolve) => proxy.listen(port, '127.0.0.1', () => resolve((proxy.address() as net.AddressInfo).port)));
}

/** The network goes away: every open socket is cut and nothing answers, for `ms`. */
async function blip(ms: number): Promise<void> {
	await new Promise<void>((resolve) => {
		proxy.close(() => resolve());
		for (const s of sockets) s.destroy();
	});
	await new Promise((r) => setTimeout(r, ms));
	await listen(proxyPort);
}

beforeAll(async () => {
	// A block timer on purpose: the test measures time itself (a 4 s blip is 8 blocks of the soak).
	devnet = await startGovernanceDevnet({ blockTime: 500 });
	api = await connect(devnet.endpoint);
	home = tempHome('rc-follow-');
	proxyPort = await listen();
});
afterAll(async () => {
	await api?.disconnect();
	proxy?.close();
	for (const s of sockets) s.destroy();
	await devnet?.close();
});

describe('advance --follow through a dropped connection', () => {
	it('waits for the endpoint to come back and completes the soak; one upgrade on chain', async () => {
		const env = { RELEASE_CONSOLE_HOME: home };
		const add = await runCli(
			[
				'env',
				'add',
				'blip',
				'--endpoint',
				`ws://127.0.0.1:${proxyPort}`,
				'--kind',
				'local',
				'--route',
				'sudo',
				'--soak-blocks',
				'24',
				'--soak-minutes',
				'0',
				'--max-stall',
				'600',
			],
			env,
		);
		expect(add.code).toBe(0);
		const specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
		const wasm = path.join(home, 'next.wasm');
		writeFileSync(wasm, buildDevnetCode({ specVersion }));
		const id = (await runCli(['new', '--name', 'blip', '--wasm', wasm, '--env', 'blip', '--json'], env)).json().id;

		const child = spawnCli(['advance', id, '--env', 'blip', '--signer', '//Alice', '--yes', '--follow', '--timeout', '240'], env);
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d) => (stdout += d));
		child.stderr!.on('data', (d) => (stderr += d));
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		await waitFor(() => stdout.includes('✔ verified'), `✔ verified in the output:\n${stdout}`, 180_000);
		expect(stdout).toContain('✔ verified');
		// In the soak: the network drops for 4 s (8 blocks of the devnet's 0.5 s).
		await blip(4000);
		const code = await exited;
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toMatch(/^done: /m);
		const status = (await runCli(['status', id, '--json'], env)).json();
		const e = status.environments[0];
		expect(e.complete).toBe(true);
		expect(e.intents.filter((i: any) => i.stage === 'upgrade')).toHaveLength(1);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
	}, 300_000);
});
