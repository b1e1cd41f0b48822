/**
 * A release of two runtimes, headless, on real code: Rococo 9130 → 9140 as the
 * relay and a byte-different statemine 900 as para 1000 (asset hub), joined by
 * chopsticks' connectVertical, driven through `env add`, `new --runtime`,
 * `advance` and `status --json` as child processes (the process is the contract).
 *
 * - the relay's one sudo call is utility.batchAll(system.setCode,
 *   xcmPallet.send(Parachain(1000), Transact(Superuser, authorizeUpgrade(hash))));
 * - the para shows UpgradeAuthorized, takes the unsigned enactAuthorizedUpgrade,
 *   applies the code in the next block (ValidationFunctionApplied), verifies and soaks;
 * - SIGKILL of `advance` with the para's apply in the pool: the resumed advance
 *   reconciles it, and the chains hold exactly one relay upgrade and one
 *   enactAuthorizedUpgrade;
 * - bad input: a parachain whose relay is not in the release, an unknown relay environment.
 *
 * Manual blocks: the test builds them (a block when the pool holds an
 * extrinsic, or back to back through verify and the soak).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { blake2AsHex } from '@polkadot/util-crypto';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { onChainCodeHash } from '../../source/chain/live.js';
import { connect } from '../helpers/governance.js';
import { byteDifferentAssetHubCode, startTestParachainNetwork, type TestNetwork } from '../helpers/parachain-network.js';
import { pumpBlocks } from '../helpers/chain.js';
import { waitFor } from '../helpers/frames.js';
import { runCli, spawnCli, tempHome } from '../helpers/cli.js';

/** How many extrinsics of section.method the chain holds, each block decoded with its parent's runtime. */
async function countCalls(api: ApiPromise, section: string, method: string): Promise<number> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	let count = 0;
	for (let n = 1; n <= best; n++) {
		const hash = await api.rpc.chain.getBlockHash(n);
		const header = await api.rpc.chain.getHeader(hash);
		const { registry } = await api.at(header.parentHash);
		const block = await api.rpc.chain.getBlock(hash);
		for (const x of block.block.extrinsics) {
			const call = registry.createType('Extrinsic', x.toU8a()).method;
			if (call.section === section && call.method === method) count++;
		}
	}
	return count;
}

describe('relay + asset hub in one release, headless', () => {
	let net: TestNetwork;
	let relay: ApiPromise;
	let para: ApiPromise;
	let home: string;
	const env = (): Record<string, string> => ({ RELEASE_CONSOLE_HOME: home });
	const code = byteDifferentAssetHubCode('release-console e2e');
	const codeHash = blake2AsHex(code, 256);

	beforeAll(async () => {
		net = await startTestParachainNetwork();
		[relay, para] = await Promise.all([connect(net.relay.endpoint), connect(net.para.endpoint)]);
		home = tempHome();
	}, 120_000);

	afterAll(async () => {
		await relay?.disconnect();
		await para?.disconnect();
		await net?.close();
	});

	it('bad input: a parachain environment needs its relay configured and in the release', { timeout: 120_000 }, async () => {
		const orphan = await runCli(
			['env', 'add', 'hub-x', '--endpoint', net.para.endpoint, '--route', 'parachain', '--relay', 'nowhere', '--para-id', '1000'],
			env(),
		);
		expect(orphan.code).toBe(2);
		expect(orphan.stderr).toContain('names relay environment nowhere, which is not configured');
		const noId = await runCli(['env', 'add', 'hub-y', '--endpoint', net.para.endpoint, '--route', 'parachain'], env());
		expect(noId.code).toBe(2);
		expect(noId.stderr).toContain('route parachain needs its relay environment and para id');
	});

	it(
		'the relay upgrades and authorizes the para in one sudo call; the para applies, verifies and soaks; a kill mid-apply sends nothing twice',
		{ timeout: 900_000 },
		async () => {
			const relayWasm = writeRococoWasm(9140, home);
			const hubWasm = path.join(home, 'asset_hub_rebuilt.wasm');
			writeFileSync(hubWasm, code);
			const add = (args: string[]) =>
				runCli(['env', 'add', ...args, '--kind', 'local', '--soak-blocks', '2', '--soak-minutes', '0'], env());
			expect((await add(['relay', '--endpoint', net.relay.endpoint, '--route', 'sudo'])).code).toBe(0);
			const hub = await add([
				'hub',
				'--endpoint',
				net.para.endpoint,
				'--route',
				'parachain',
				'--relay',
				'relay',
				'--para-id',
				'1000',
			]);
			expect(hub.stdout).toContain('saved environment hub (local, route parachain, para 1000 of relay');

			// The parachain without its relay in the release: refused, with what to write.
			const alone = await runCli(['new', '--name', 'hub alone', '--runtime', `hub=${hubWasm}`], env());
			expect(alone.code).toBe(2);
			expect(alone.stderr).toContain("parachain environment hub's relay relay is not in the release");

			const created = await runCli(
				['new', '--name', 'relay + hub', '--runtime', `relay=${relayWasm}`, '--runtime', `hub=${hubWasm}`, '--json'],
				env(),
			);
			expect(created.code).toBe(0);
			const made = created.json();
			const id = made.id as string;
			expect(made.runtimes.hub.codeHash).toBe(codeHash);
			expect(made.runtimes.relay.specVersion).toBe(9140);

			// 1. The relay: artifact (the para's gates checked too), the batch, verify, soak.
			const stopRelay = pumpBlocks(net.relay.newBlocks);
			let relayRun;
			try {
				relayRun = await runCli(
					['advance', id, '--env', 'relay', '--signer', '//Alice', '--yes', '--follow', '--timeout', '300', '--json'],
					env(),
				);
			} finally {
				await stopRelay();
			}
			const relayOut = relayRun.json();
			expect(relayOut.result.kind, relayRun.stdout + relayRun.stderr).toBe('complete');
			const gates = relayOut.release.gates.filter((g: { env: string }) => g.env === 'hub');
			expect(gates.find((g: { id: string }) => g.id === 'code-size').summary).toMatch(/of the relay's maxCodeSize 3,145,728/);
			// The relay's own runtime against its own limit too.
			const own = relayOut.release.gates.find((g: { id: string; env: string }) => g.id === 'code-size' && g.env === 'relay');
			expect(own.status).toBe('pass');
			expect(own.summary).toMatch(/^the code is 859,727 bytes, 27\.3% of this relay's own maxCodeSize 3,145,728/);
			// Hygiene on the real runtimes: 9140 keeps every API the node needs of 9130's, and neither build is a dev one.
			const apis = relayOut.release.gates.find((g: { id: string; env: string }) => g.id === 'runtime-apis' && g.env === 'relay');
			expect(apis.status).toBe('pass');
			expect(apis.evidence.missing).toEqual([]);
			expect(apis.evidence.artifact).toEqual(expect.arrayContaining(['Core', 'BabeApi', 'GrandpaApi', 'ParachainHost']));
			// Neither 2021 runtime has Metadata_metadata_versions: both offer v14 only; neither chain uses CheckMetadataHash.
			const relayGate = (id: string) =>
				relayOut.release.gates.find((g: { id: string; env: string }) => g.id === id && g.env === 'relay');
			expect(relayGate('metadata-versions')).toMatchObject({
				status: 'pass',
				summary: 'metadata versions: none dropped (artifact: v14; live runtime: v14)',
				evidence: { artifact: [14], live: [14], dropped: [] },
			});
			expect(relayGate('check-metadata-hash')).toMatchObject({
				status: 'pass',
				summary: 'CheckMetadataHash: not used by this chain',
				evidence: { live: false, artifact: false },
			});
			const relayIntents = relayOut.release.environments.find((e: { name: string }) => e.name === 'relay').intents;
			expect(relayIntents).toHaveLength(1);
			expect(relayIntents[0].call).toMatch(
				/^sudo\.sudoUncheckedWeight\(utility\.batchAll\(system\.setCode, xcmPallet\.send\(Parachain\(1000\), V2 \[Transact\(Superuser/,
			);
			expect((await relay.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			expect(await countCalls(relay, 'sudo', 'sudoUncheckedWeight')).toBe(1);

			// 2. The para: the downward message arrives with its next block; the apply goes to the pool unsigned.
			const paraBlocks = pumpBlocks(net.para.newBlocks, async () => (await para.rpc.author.pendingExtrinsics()).length === 0);
			const child = spawnCli(['advance', id, '--env', 'hub', '--yes', '--follow', '--timeout', '300'], env());
			let out = '';
			child.stdout!.on('data', (d) => (out += d));
			child.stderr!.on('data', (d) => (out += d));
			const exited = new Promise((r) => child.once('exit', r));
			try {
				await waitFor(async () => (await para.rpc.author.pendingExtrinsics()).length > 0, 'the apply in the para pool', 300_000);
			} finally {
				await paraBlocks();
			}
			expect(out).toContain('authorize: the parachain holds the authorization');
			child.kill('SIGKILL');
			await exited;
			const mid = (await runCli(['status', id, '--json'], env())).json();
			const hubMid = mid.environments.find((e: { name: string }) => e.name === 'hub');
			expect(hubMid.currentStage).toBe('apply');
			expect(hubMid.intents).toHaveLength(1);
			expect(hubMid.intents[0].outcome).toBeUndefined();
			expect(hubMid.intents[0].signer).toBe('unsigned extrinsic (no signer)');

			// 3. Resume: the pool's apply is included and applied (two para blocks, built before the resumed run starts: the
			// run finds the code already running, as it does when blocks beat it), reconciled, and nothing is sent again;
			// the block the apply went into is recorded as where the code was stored.
			await net.para.newBlocks(2);
			expect(await onChainCodeHash(para)).toBe(codeHash);
			const stopPara = pumpBlocks(net.para.newBlocks);
			let resumed;
			try {
				resumed = await runCli(['advance', id, '--env', 'hub', '--yes', '--follow', '--timeout', '300', '--json'], env());
			} finally {
				await stopPara();
			}
			const final = resumed.json();
			expect(final.result.kind, resumed.stdout + resumed.stderr).toBe('complete');
			const hubFinal = final.release.environments.find((e: { name: string }) => e.name === 'hub');
			expect(hubFinal.intents).toHaveLength(1);
			expect(hubFinal.intents[0].outcome.status).toBe('included');
			expect(hubFinal.verified.codeHash).toBe(codeHash);
			expect(hubFinal.gov.para.storedAt).toBeGreaterThan(0);
			expect(hubFinal.gov.para.appliedAt).toBeGreaterThan(hubFinal.gov.para.storedAt);
			expect(await onChainCodeHash(para)).toBe(codeHash);
			expect(await countCalls(para, 'parachainSystem', 'enactAuthorizedUpgrade')).toBe(1);
			expect(await countCalls(relay, 'sudo', 'sudoUncheckedWeight')).toBe(1);

			const status = (await runCli(['status', id, '--json'], env())).json();
			expect(status.complete).toBe(true);
			const text = (await runCli(['status', id], env())).stdout;
			expect(text).toContain('hub: statemine 900');
			expect(text).toContain('statemine 900 → 900, code hash checked; spec version did not increase (advice on local)');
			expect(text).toContain('relay-side upgrade of para 1000: not simulated here');
			const specGate = status.gates.find((g: { id: string; env: string }) => g.id === 'spec-version' && g.env === 'hub');
			expect(specGate.summary).toMatch(/^spec version did not increase \(900 → 900\): other code with the same version/);
		},
	);
});
