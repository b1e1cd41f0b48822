/**
 * multisig-sudo, headless, end to end on the real embedded Rococo 9130 chain
 * (set-code, 9130 → 9140: its old Multisig takes the call as an OpaqueCall and
 * a u64 max_weight, and its Sudo.Key is a plain AccountId). The sudo key is a
 * 2-of-3 multisig of //Alice //Bob //Charlie; //Bob approves the call hash,
 * //Charlie submits the call and it executes. Checked through @polkadot/api.
 * (The same route on the governance devnet: e2e-governance-multisig.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { blockEvents, connect, devKeys, eventNames } from '../helpers/governance.js';
import { countExtrinsicsOnChain, pendingOr, pumpBlocks } from '../helpers/chain.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';
import { dispatchResults, envAddArgs, intentsOf, multisigEntry, multisigOf, setSudoKey, stageOf, type Keys } from '../helpers/multisig.js';

describe('on the real embedded Rococo 9130 chain', () => {
	let devnet: RococoDevnet;
	let api: ApiPromise;
	let home: string;
	let wasm: string;
	let keys: Keys;
	let multisig: { address: string; signatories: string[] };
	const env = () => ({ RELEASE_CONSOLE_HOME: home });
	const cli = (args: string[]) => runCli(args, env());
	let id: string;
	let stopPump: (() => Promise<void>) | undefined;
	// Each step builds on the one before; any one runs alone with -t (its earlier steps run first).
	const s = scenario();

	beforeAll(async () => {
		// Manual blocks, built by the test: one as soon as an extrinsic waits in the pool, and once the
		// chain runs 9140, back to back for verify and the soak. (Chopsticks' instant mode fails to apply
		// the inherents of this chain's first block.)
		devnet = await startRococoDevnet({ blockTime: 'manual' });
		api = await connect(devnet.endpoint);
		stopPump = pumpBlocks(
			devnet.newBlocks,
			pendingOr(api, async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === 9140),
		);
		home = tempHome('rc-msig-rococo-');
		wasm = writeRococoWasm(9140, home);
		keys = await devKeys();
		multisig = multisigOf(keys);
	});
	afterAll(async () => {
		await stopPump?.();
		await api?.disconnect();
		await devnet?.close();
	});

	async function advance(signer: string, expectCode = 0, extra: string[] = []): Promise<any> {
		const r = await cli(['advance', id, '--env', 'rococo-multisig', '--signer', signer, '--yes', ...extra, '--json']);
		if (r.code !== expectCode) throw new Error(`advance ${signer} exited ${r.code}, expected ${expectCode}: ${r.stderr}${r.stdout}`);
		return r.json();
	}

	it(
		'(arranging the chain) Alice makes the 2-of-3 multisig the sudo key; the environment and release are created',
		s.step(async () => {
			await setSudoKey(api, keys.alice, multisig.address);
			const add = await cli(envAddArgs('rococo-multisig', devnet.endpoint, multisig.signatories, 'set-code', 3));
			expect(add.stderr).toBe('');
			const created = await cli(['new', '--name', 'rococo 9140', '--wasm', wasm, '--env', 'rococo-multisig', '--json']);
			expect(created.code).toBe(0);
			id = created.json().id;
			expect(created.json().artifact.specVersion).toBe(9140);
		}),
		s.timeout(120_000),
	);

	it(
		'Bob approves the call hash and waits for a second signatory',
		s.step(async () => {
			const out = await advance('//Bob');
			expect(out.result.kind).toBe('wait');
			expect(out.result.message).toMatch(/1 of 2 approvals/);
			// 9140 is not forward compatible with 9130: advice only on a local environment.
			expect(stageOf(out, 'artifact').detail).toMatch(/NOT forward compatible/);
			const callHash = out.release.environments[0].gov.multisig.callHash;
			expect((await multisigEntry(api, multisig.address, callHash))?.approvals).toEqual([keys.bob.address]);
		}),
		s.timeout(90_000),
	);

	it(
		'Dave is refused and nothing is sent',
		s.step(async () => {
			const out = await advance('//Dave', 1);
			expect(out.result.message).toMatch(/is not a signatory/);
			expect(intentsOf(out)).toHaveLength(1);
			expect(await countExtrinsicsOnChain(api, 'multisig')).toBe(1);
		}),
		s.timeout(60_000),
	);

	it(
		'Charlie submits the OpaqueCall with a u64 max weight: 9130 → 9140, verified and soaked',
		s.step(async () => {
			const out = await advance('//Charlie', 0, ['--follow', '--timeout', '300']);
			expect(out.result.kind).toBe('complete');
			const asMulti = intentsOf(out)[1];
			expect(asMulti.call).toBe('multisig.asMulti(sudo.sudoUncheckedWeight(system.setCode))');
			expect(await dispatchResults(api, asMulti.outcome.blockHash)).toEqual({
				'sudo.Sudid': 'Ok',
				'multisig.MultisigExecuted': 'Ok',
			});
			expect(eventNames(await blockEvents(api, asMulti.outcome.blockHash))).toContain('system.CodeUpdated');
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			expect(out.release.environments[0].upgrade.blockNumber).toBe(asMulti.outcome.blockNumber);
			expect(await countExtrinsicsOnChain(api, 'multisig')).toBe(2);
		}),
		s.timeout(240_000),
	);
});
