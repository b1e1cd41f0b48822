/**
 * The embedded Rococo network as the built CLI runs it: `devnet --chain
 * rococo-network --port 0` in a child process prints both endpoints (relay
 * Rococo 9130, asset hub statemine 900 as para 1000) and what is not
 * simulated; @polkadot/api checks each chain (spec, para id, its own
 * devnet_instance, instant blocks); the relay's sudo sends
 * `xcmPallet.send(Parachain(1000), Transact(Superuser, authorizeUpgrade(hash)))`
 * built by chain/pallets/xcm.ts, and the para's blocks show
 * `parachainSystem.UpgradeAuthorized` with the hash.
 *
 * In the background: ensureEmbeddedChain(home, 'rococo-network') starts one
 * process whose state file names both endpoints; embeddedResolver resolves
 * `embedded:rococo-network` and `embedded:asset-hub-rococo` to them (no second
 * process); `devnet status` lists both; `devnet stop --chain asset-hub-rococo`
 * stops the network's process.
 */
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import { assetHubCodeHash, STATEMINE_900_CODE_HASH } from '../../source/artifact/embedded-runtimes.js';
import { readBlockMode, readChainInstance } from '../../source/chain/embedded.js';
import { authorizedParaUpgrade, paraIdOf } from '../../source/chain/pallets/parachain-system.js';
import { buildAuthorizeXcm } from '../../source/chain/pallets/xcm.js';
import { ensureEmbeddedChain, readDaemonState } from '../../source/devnet/daemon.js';
import { embeddedResolver } from '../../source/engine/session.js';
import { connect, devKeys, eventNames, rawRpc } from '../helpers/governance.js';
import { runCli, spawnCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

const PARA = 1000;

interface Printed {
	child: ChildProcess;
	out: string;
	relay: string;
	para: string;
}

/** `devnet --chain rococo-network --port 0` in a child process; resolves with what it printed once it listens. */
function startNetwork(): Promise<Printed> {
	const child = spawnCli(['devnet', '--chain', 'rococo-network', '--port', '0']);
	let out = '';
	let err = '';
	child.stderr!.on('data', (d) => (err += d));
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (d) => {
			out += d;
			if (!/listening on .*Ctrl\+C/.test(out)) return;
			const relay = /embedded:rococo-network\s+(ws:\/\/\S+)/.exec(out)?.[1];
			const para = /embedded:asset-hub-rococo\s+(ws:\/\/\S+)/.exec(out)?.[1];
			if (relay && para) resolve({ child, out, relay, para });
			else reject(new Error(`devnet printed no endpoints:\n${out}`));
		});
		child.once('exit', (code) => reject(new Error(`devnet exited with ${code}: ${err}`)));
	});
}

/** Sign (immortal) and send; resolves with the events of the block that includes it (the relay builds it: instant mode). */
function include(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<{ blockHash: string; events: EventRecord[] }> {
	return new Promise((resolve, reject) => {
		let unsub: (() => void) | undefined;
		tx.signAndSend(signer, { era: 0 }, (r) => {
			if (r.status.isInBlock || r.status.isFinalized) {
				unsub?.();
				const blockHash = (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex();
				resolve({ blockHash, events: r.events as unknown as EventRecord[] });
			} else if (r.status.isInvalid || r.status.isDropped) {
				unsub?.();
				reject(new Error(`transaction ${r.status.type}`));
			}
		})
			.then((u) => (unsub = u))
			.catch(reject);
	});
}

async function eventsAt(api: ApiPromise, number: number): Promise<EventRecord[]> {
	const hash = await api.rpc.chain.getBlockHash(number);
	return (await (await api.at(hash)).query.system.events()) as unknown as EventRecord[];
}

describe('embedded:rococo-network: relay Rococo 9130 and statemine 900 as para 1000, from the built CLI', () => {
	let net: Printed;
	let relay: ApiPromise;
	let para: ApiPromise;
	let alice: KeyringPair;
	const s = scenario();

	beforeAll(async () => {
		net = await startNetwork();
		relay = await connect(net.relay);
		para = await connect(net.para);
		alice = (await devKeys()).alice;
	}, 60_000);
	afterAll(async () => {
		await relay?.disconnect();
		await para?.disconnect();
		if (net?.child.exitCode === null) {
			const exited = once(net.child, 'exit');
			net.child.kill('SIGTERM');
			await exited;
		}
	});

	it(
		'prints both endpoints and what is not simulated; each endpoint is its chain: relay 9130, asset hub statemine 900 with para id 1000, each its own instance, instant blocks',
		s.step(async () => {
			expect(net.out).toContain('in memory only');
			expect(net.out).toMatch(/asset hub\s+embedded:asset-hub-rococo\s+ws:\/\/\S+\s+statemine 900, para 1000/);
			expect(net.out).toContain('not simulated here:');
			expect(net.out).toContain('no PVF pre-check');
			expect(net.out).toContain('no paras.futureCodeHash');
			expect(net.out).toContain('no upgrade cooldown');
			expect(net.relay).not.toBe(net.para);

			const relayVersion = await relay.rpc.state.getRuntimeVersion();
			expect(relayVersion.specName.toString()).toBe('rococo');
			expect(relayVersion.specVersion.toNumber()).toBe(9130);
			const paraVersion = await para.rpc.state.getRuntimeVersion();
			expect(paraVersion.specName.toString()).toBe('statemine');
			expect(paraVersion.specVersion.toNumber()).toBe(900);
			expect((await para.query.parachainInfo.parachainId()).toString()).toBe(String(PARA));
			expect(await paraIdOf(para)).toBe(PARA);

			const relayInstance = await readChainInstance(relay);
			const paraInstance = await readChainInstance(para);
			expect(relayInstance).toMatchObject({ chain: 'rococo-network', persistent: false });
			expect(paraInstance).toMatchObject({ chain: 'asset-hub-rococo', persistent: false });
			expect(paraInstance!.id).not.toBe(relayInstance!.id);
			expect(await readBlockMode(relay)).toBe('instant');
			expect(await readBlockMode(para)).toBe('instant');
			const about = await rawRpc<{ endpoints: Record<string, string> }>(relay, 'devnet_network');
			expect(about.endpoints).toEqual({ 'rococo-network': net.relay, 'asset-hub-rococo': net.para });
		}),
		s.timeout(30_000),
	);

	it(
		'the relay’s sudo sends the authorization (buildAuthorizeXcm, signed by //Alice): xcmPallet.Sent on the relay, then parachainSystem.UpgradeAuthorized with the hash in the para’s blocks',
		s.step(async () => {
			const codeHash = assetHubCodeHash('rebuilt');
			expect(codeHash).not.toBe(STATEMINE_900_CODE_HASH);
			expect(assetHubCodeHash('genesis')).toBe(STATEMINE_900_CODE_HASH);
			expect(await authorizedParaUpgrade(para)).toBeUndefined();
			const paraStart = (await para.rpc.chain.getHeader()).number.toNumber();
			const plan = await buildAuthorizeXcm(relay, para, PARA, codeHash);
			expect(plan.label).toMatch(
				/^xcmPallet\.send\(Parachain\(1000\), V2 \[Transact\(Superuser, [\d,]+, parachainSystem\.authorizeUpgrade/,
			);

			// Instant blocks: the relay builds the block when the extrinsic arrives.
			const sent = await include(relay.tx.sudo.sudo(plan.tx), alice);
			expect(eventNames(sent.events)).toEqual(expect.arrayContaining(['xcmPallet.Sent', 'sudo.Sudid']));
			const sudid = sent.events.find((e) => e.event.section === 'sudo' && e.event.method === 'Sudid');
			expect((sudid!.event.data[0] as unknown as { isOk: boolean }).isOk).toBe(true);

			// The downward message reaches the para's next block (built when it arrives, or now, on request); read each new block.
			let seen: EventRecord | undefined;
			let next = paraStart + 1;
			for (let asked = 0; !seen && asked < 4; asked++) {
				await rawRpc(para, 'dev_newBlock', [{ count: 1 }]);
				const head = (await para.rpc.chain.getHeader()).number.toNumber();
				for (; next <= head && !seen; next++)
					seen = (await eventsAt(para, next)).find(
						(e) => e.event.section === 'parachainSystem' && e.event.method === 'UpgradeAuthorized',
					);
			}
			expect(seen, 'no para block authorized the upgrade').toBeDefined();
			expect(seen!.event.data[0]!.toHex()).toBe(codeHash);
			expect(await authorizedParaUpgrade(para)).toBe(codeHash);
		}),
		s.timeout(40_000),
	);
});

describe('embedded:rococo-network in the background (the daemon, from the build)', () => {
	it('one process serves both chains: ensureEmbeddedChain names both endpoints, embeddedResolver resolves embedded:rococo-network and embedded:asset-hub-rococo to them, devnet status lists them, devnet stop stops it', async () => {
		const home = tempHome('rc-network-daemon-');
		const env = { RELEASE_CONSOLE_HOME: home };
		const { state, started } = await ensureEmbeddedChain(home, 'rococo-network');
		try {
			expect(started).toBe(true);
			expect(state.chain).toBe('rococo-network');
			expect(Object.keys(state.endpoints ?? {})).toEqual(['rococo-network', 'asset-hub-rococo']);
			expect(state.endpoints!['rococo-network']).toBe(state.endpoint);
			expect(state.instances?.['asset-hub-rococo']).toMatchObject({ chain: 'asset-hub-rococo', persistent: false });

			const lines: string[] = [];
			const resolve = embeddedResolver(home, (_chain, line) => lines.push(line));
			expect(await resolve('embedded:asset-hub-rococo')).toBe(state.endpoints!['asset-hub-rococo']);
			expect(await resolve('embedded:rococo-network')).toBe(state.endpoint);
			expect(lines).toEqual([]); // already running: nothing started
			expect(readDaemonState(home, 'rococo-network')?.pid).toBe(state.pid);

			const para = await connect(state.endpoints!['asset-hub-rococo']!);
			try {
				expect((await para.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(900);
				expect(await readChainInstance(para)).toEqual(state.instances!['asset-hub-rococo']);
				// The daemon paces it as the governance devnet: a block on request.
				expect(await readBlockMode(para)).toBe('instant');
			} finally {
				await para.disconnect();
			}

			const status = await runCli(['devnet', 'status'], env);
			expect(status.code).toBe(0);
			expect(status.stdout).toContain(`embedded rococo-network: pid ${state.pid}`);
			expect(status.stdout).toContain(`embedded:asset-hub-rococo  ${state.endpoints!['asset-hub-rococo']}`);
		} finally {
			const stop = await runCli(['devnet', 'stop', '--chain', 'asset-hub-rococo'], env);
			expect(stop.stdout).toContain(`stopped the embedded rococo-network chain (pid ${state.pid}`);
			expect(stop.stdout).toContain('it keeps no state');
			expect(readDaemonState(home, 'rococo-network')).toBeUndefined();
		}
	}, 60_000);
});
