/**
 * The foundation's vertical slice, end to end on the real Rococo runtime:
 * 9130 → 9140 through sudo, headless commands run as child processes, the
 * chain checked through @polkadot/api.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { countExtrinsicsOnChain, pendingOr, pumpBlocks } from '../helpers/chain.js';
import { scenario } from '../helpers/steps.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { storageBytes } from '../../source/chain/live.js';

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
let wasm: string;
const env = (): Record<string, string> => ({ RELEASE_CONSOLE_HOME: home });

const countUpgradeExtrinsics = () => countExtrinsicsOnChain(api, 'sudo');

beforeAll(async () => {
	// Manual blocks: the chain moves when the test builds them (while `advance --follow` runs).
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
	home = tempHome();
	wasm = writeRococoWasm(9140, home);
});

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('sudo route on the embedded Rococo chain', () => {
	let id: string;
	// Each step builds on the one before; any one runs alone with -t (its earlier steps run first).
	const s = scenario();

	it(
		'registers the environment and creates the release headless',
		s.step(async () => {
			const add = await runCli(
				[
					'env',
					'add',
					'rehearsal',
					'--endpoint',
					devnet.endpoint,
					'--kind',
					'local',
					'--route',
					'sudo',
					'--soak-blocks',
					'3',
					'--soak-minutes',
					'0',
					'--max-stall',
					'120',
				],
				env(),
			);
			expect(add.stderr).toBe('');
			expect(add.code).toBe(0);
			const created = await runCli(['new', '--name', 'rococo 9140', '--wasm', wasm, '--env', 'rehearsal', '--json'], env());
			expect(created.code).toBe(0);
			const out = created.json();
			id = out.id;
			expect(out.artifact.specVersion).toBe(9140);
			expect(out.artifact.codeHash).toBe('0xe49e1a81ddc4e80d0aed4adf9321136dd7a197deaf8a14a8d52012348f8e05b6');
		}),
		s.timeout(120_000),
	);

	it(
		'stops and says who must sign when no signer is given',
		s.step(async () => {
			const r = await runCli(['advance', id, '--env', 'rehearsal', '--json'], env());
			expect(r.code).toBe(0);
			const out = r.json();
			expect(out.result.kind).toBe('needs-signer');
			expect(out.result.message).toMatch(/sudo key/);
			expect(out.release.environments[0].stages[0].status).toBe('done');
		}),
		s.timeout(60_000),
	);

	it(
		'refuses a signer that is not the sudo key, and sends nothing',
		s.step(async () => {
			const r = await runCli(['advance', id, '--env', 'rehearsal', '--signer', '//Bob', '--yes', '--json'], env());
			expect(r.code).toBe(1);
			const out = r.json();
			expect(out.result.kind).toBe('refused');
			expect(out.result.message).toMatch(/is not the sudo key/);
			expect(out.release.environments[0].intents).toHaveLength(0);
			expect(await countUpgradeExtrinsics()).toBe(0);
		}),
		s.timeout(60_000),
	);

	it(
		'without --yes prints the signer prompt and sends nothing',
		s.step(async () => {
			const r = await runCli(['advance', id, '--env', 'rehearsal', '--signer', '//Alice'], env());
			expect(r.code).toBe(0);
			expect(r.stdout).toContain('signer prompt');
			expect(r.stdout).toContain('is the sudo key');
			expect(r.stdout).toContain('system.setCode');
			expect(r.stdout).toMatch(/call hash:\s+0x[0-9a-f]{64}/);
			expect(await countUpgradeExtrinsics()).toBe(0);
		}),
		s.timeout(60_000),
	);

	it(
		'upgrades 9130 → 9140, verifies and soaks',
		s.step(async () => {
			// a block for the upgrade once it is in the pool, then blocks back to back for verify and the soak
			const stopPump = pumpBlocks(
				devnet.newBlocks,
				pendingOr(api, async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === 9140),
			);
			let r;
			try {
				r = await runCli(
					['advance', id, '--env', 'rehearsal', '--signer', '//Alice', '--yes', '--follow', '--timeout', '300', '--json'],
					env(),
				);
			} finally {
				await stopPump();
			}
			expect(r.stderr).toBe('');
			const out = r.json();
			expect(out.result.kind).toBe('complete');
			expect(r.code).toBe(0);
			const version = await api.rpc.state.getRuntimeVersion();
			expect(version.specVersion.toNumber()).toBe(9140);
			expect(await countUpgradeExtrinsics()).toBe(1);
		}),
		s.timeout(240_000),
	);

	it(
		'status --json shows the environment at spec 9140 with the upgrade block and extrinsic',
		s.step(async () => {
			const r = await runCli(['status', id, '--json'], env());
			expect(r.code).toBe(0);
			const e = r.json().environments[0];
			expect(e.complete).toBe(true);
			expect(e.specVersion).toBe(9140);
			expect(e.upgrade.blockNumber).toBeGreaterThan(0);
			expect(e.upgrade.extrinsicHash).toMatch(/^0x[0-9a-f]{64}$/);
			const block = await api.rpc.chain.getBlock(e.upgrade.blockHash);
			expect(block.block.extrinsics.map((x) => x.hash.toHex())).toContain(e.upgrade.extrinsicHash);
		}),
		s.timeout(30_000),
	);

	it(
		'recorded the runtime it replaced, and writes the codeSubstitutes entry that would put it back',
		s.step(async () => {
			const out = path.join(home, 'codeSubstitutes.json');
			const r = await runCli(['recovery', id, '--env', 'rehearsal', '--out', out, '--json'], env());
			expect(r.stderr).toBe('');
			const { plan, upgradeBlock } = r.json();
			expect(plan.previousSpecName).toBe('rococo');
			expect(plan.previousSpecVersion).toBe(9130);
			const substitutes = JSON.parse(readFileSync(out, 'utf8')).codeSubstitutes;
			expect(Object.keys(substitutes)).toEqual([String(upgradeBlock + 1)]);
			// The substitute is the 9130 code, byte for byte: its hash is the one the chain ran before.
			expect(blake2AsHex(hexToU8a(substitutes[String(upgradeBlock + 1)]), 256)).toBe(plan.previousCodeHash);
			const before = storageBytes(await api.rpc.state.getStorage('0x3a636f6465', await api.rpc.chain.getBlockHash(upgradeBlock - 1)));
			expect(blake2AsHex(before!, 256)).toBe(plan.previousCodeHash);
		}),
		s.timeout(60_000),
	);

	it(
		'a second advance sends nothing more',
		s.step(async () => {
			const r = await runCli(['advance', id, '--env', 'rehearsal', '--signer', '//Alice', '--yes', '--json'], env());
			expect(r.code).toBe(0);
			expect(r.json().result.kind).toBe('complete');
			expect(await countUpgradeExtrinsics()).toBe(1);
		}),
		s.timeout(60_000),
	);

	it(
		'a fresh chain behind the same endpoint: advance is refused naming what differs, status no longer says complete',
		s.step(async () => {
			const port = devnet.port;
			await api.disconnect();
			await devnet.close();
			// The same runtime, the same placeholder genesis hash, but none of the release's blocks.
			devnet = await startRococoDevnet({ blockTime: 'manual', port });
			api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
			const r = await runCli(['advance', id, '--env', 'rehearsal', '--signer', '//Alice', '--yes', '--json'], env());
			expect(r.code).toBe(1);
			const out = r.json();
			expect(out.result.kind).toBe('refused');
			expect(out.result.message).toMatch(/does not show what this release recorded/);
			expect(out.result.message).toMatch(/block #\d+ \(the upgrade\) does not exist: the chain's head is #1/);
			expect(out.result.hint).toMatch(/may be behind/);
			expect(await countUpgradeExtrinsics()).toBe(0);
			const status = await runCli(['status', id, '--json'], env());
			const e = status.json().environments[0];
			expect(e.complete).toBe(false);
			expect(e.chain.lastCheck.agrees).toBe(false);
			const text = await runCli(['status', id], env());
			expect(text.stdout).toContain('rehearsal: the chain does not show it');
			expect(text.stdout).toMatch(/✖ block #\d+ \(the upgrade\) does not exist/);
		}),
		s.timeout(60_000),
	);
});
