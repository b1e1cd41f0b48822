/**
 * multisig-sudo, headless, end to end: the sudo key is a 2-of-3 multisig of
 * //Alice //Bob //Charlie. //Bob approves the call hash (approveAsMulti),
 * //Charlie submits the call (asMulti) and it executes; with the authorize
 * payload the apply stage then submits the code. Checked through
 * @polkadot/api, on the governance devnet (both payloads, and the sudo route
 * with the authorize payload) and on the real embedded Rococo 9130 chain
 * (set-code, 9130 → 9140: its old Multisig takes the call as an OpaqueCall
 * and a u64 max_weight, and its Sudo.Key is a plain AccountId) in
 * e2e-governance-multisig-rococo.test.ts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, sortAddresses } from '@polkadot/util-crypto';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { blockEvents, connect, devKeys, eventNames, newBlocks, send } from '../helpers/governance.js';
import { openStore } from '../../source/store/store.js';
import { connectEnvironment } from '../../source/chain/connect.js';
import { releaseAccess } from '../../source/engine/session.js';
import { step } from '../../source/engine/step.js';
import { runCli, tempHome, type CliResult } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';
import {
	dispatchResults,
	envAddArgs,
	intentsOf,
	multisigEntry,
	multisigOf,
	setSudoKey,
	stageOf,
	sudoKey,
	type Keys,
} from '../helpers/multisig.js';

describe('on the governance devnet', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise;
	let home: string;
	let keys: Keys;
	let multisig: { address: string; signatories: string[] };
	const env = () => ({ RELEASE_CONSOLE_HOME: home });
	const cli = (args: string[]) => runCli(args, env());

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant' });
		api = await connect(devnet.endpoint);
		home = tempHome('rc-msig-');
		keys = await devKeys();
		multisig = multisigOf(keys);
	});
	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	async function advance(id: string, envName: string, signer?: string, expectCode = 0): Promise<any> {
		const r: CliResult = await cli(['advance', id, '--env', envName, ...(signer ? ['--signer', signer, '--yes'] : []), '--json']);
		if (r.code !== expectCode)
			throw new Error(`advance ${signer ?? ''} exited ${r.code}, expected ${expectCode}: ${r.stderr}${r.stdout}`);
		return r.json();
	}

	async function newRelease(envName: string): Promise<{ id: string; specVersion: number }> {
		const specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
		const wasm = path.join(home, `devnet-${specVersion}.wasm`);
		writeFileSync(wasm, buildDevnetCode({ specVersion }));
		const created = await cli(['new', '--name', `devnet ${specVersion}`, '--wasm', wasm, '--env', envName, '--json']);
		expect(created.stderr).toBe('');
		return { id: created.json().id, specVersion };
	}

	async function finish(id: string, envName: string, signer?: string): Promise<any> {
		let out: any;
		for (let i = 0; i < 6; i++) {
			out = await advance(id, envName, signer);
			if (out.result.kind === 'complete') break;
			await newBlocks(api, 2);
		}
		return out;
	}

	describe('the sudo route with the authorize payload', () => {
		it('Alice authorizes the code hash with sudo.sudo(authorizeUpgrade), then applies the code; verified and soaked', async () => {
			const add = await cli([
				'env',
				'add',
				'sudo-authorize',
				'--endpoint',
				devnet.endpoint,
				'--kind',
				'local',
				'--route',
				'sudo',
				'--payload',
				'authorize',
				'--soak-blocks',
				'2',
				'--soak-minutes',
				'0',
				'--max-stall',
				'600',
			]);
			expect(add.stderr).toBe('');
			const { id, specVersion } = await newRelease('sudo-authorize');
			const status = await cli(['status', id, '--json']);
			expect(status.json().environments[0].stages.map((s: any) => s.id)).toEqual(['artifact', 'upgrade', 'apply', 'verify', 'soak']);

			const unsigned = await advance(id, 'sudo-authorize');
			expect(unsigned.result.kind).toBe('needs-signer');
			expect(unsigned.result.message).toBe(
				`authorize code hash ${unsigned.release.artifact.codeHash.slice(0, 10)}…${unsigned.release.artifact.codeHash.slice(-6)} (hash first, code later): needs a signer (the sudo key, ${keys.alice.address})`,
			);

			const refused = await advance(id, 'sudo-authorize', '//Bob', 1);
			expect(refused.result.kind).toBe('refused');
			expect(refused.result.message).toMatch(/not the sudo key/);
			expect(intentsOf(refused)).toHaveLength(0);

			const out = await advance(id, 'sudo-authorize', '//Alice');
			expect(stageOf(out, 'upgrade').status).toBe('done');
			expect(stageOf(out, 'apply').status).toBe('done');
			const calls = intentsOf(out).map((i) => i.call);
			expect(calls).toEqual(['sudo.sudo(system.authorizeUpgrade)', 'system.applyAuthorizedUpgrade']);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
			expect(((await api.query.system.authorizedUpgrade()) as any).isNone).toBe(true);

			const done = await finish(id, 'sudo-authorize');
			expect(done.result.kind).toBe('complete');
			expect(done.release.environments[0].stages.every((s: any) => s.status === 'done')).toBe(true);
		}, 360_000);
	});

	for (const payload of ['set-code', 'authorize'] as const) {
		describe(`multisig-sudo with the ${payload} payload`, () => {
			const envName = `multisig-${payload}`;
			let id: string;
			let specVersion: number;
			let callHash: string;
			// Each step builds on the one before; any one runs alone with -t (its earlier steps run first).
			const s = scenario();

			it(
				'creates the environment and the release',
				s.step(async () => {
					// (the set-code scenario makes the multisig the sudo key; run alone, this one does it too)
					if (payload === 'authorize' && (await sudoKey(api)) !== multisig.address)
						await setSudoKey(api, keys.alice, multisig.address);
					const add = await cli(envAddArgs(envName, devnet.endpoint, multisig.signatories, payload, 2));
					expect(add.stderr).toBe('');
					({ id, specVersion } = await newRelease(envName));
					const status = await cli(['status', id, '--json']);
					expect(status.json().environments[0].stages.map((s: any) => s.id)).toEqual([
						'artifact',
						'multisig',
						...(payload === 'authorize' ? ['apply'] : []),
						'verify',
						'soak',
					]);
				}),
				s.timeout(60_000),
			);

			if (payload === 'set-code') {
				it(
					'refuses while the sudo key is not the multisig, and sends nothing',
					s.step(async () => {
						expect(await sudoKey(api)).toBe(keys.alice.address);
						const out = await advance(id, envName, '//Bob', 1);
						expect(out.result.kind).toBe('refused');
						expect(out.result.message).toContain(
							`the sudo key is ${keys.alice.address}, not the multisig ${multisig.address} (2 of 3)`,
						);
						expect(intentsOf(out)).toHaveLength(0);
					}),
					s.timeout(60_000),
				);

				it(
					'(arranging the chain) Alice makes the 2-of-3 multisig the sudo key',
					s.step(async () => {
						await setSudoKey(api, keys.alice, multisig.address);
					}),
					s.timeout(30_000),
				);
			}

			it(
				'without a signer it names the signatories who may approve',
				s.step(async () => {
					const out = await advance(id, envName);
					expect(out.result.kind).toBe('needs-signer');
					expect(out.result.message).toMatch(/0 of 2 approvals/);
					for (const s of multisig.signatories) expect(out.result.message).toContain(s);
				}),
				s.timeout(60_000),
			);

			it(
				'Bob approves the call hash, then waits and says who must still approve',
				s.step(async () => {
					const out = await advance(id, envName, '//Bob');
					expect(intentsOf(out).map((i) => i.call)).toEqual(['multisig.approveAsMulti']);
					expect(out.result.kind).toBe('wait');
					expect(out.result.waitingFor).toBe('someone-else');
					expect(out.result.message).toMatch(/1 of 2 approvals .*; you have approved; 1 more approval needed, from any of: /);
					expect(out.result.message).toContain(keys.alice.address);
					expect(out.result.message).toContain(keys.charlie.address);
					expect(out.result.message).not.toContain(`${keys.bob.address},`);
					callHash = out.release.environments[0].gov.multisig.callHash;
					expect(out.release.environments[0].gov.multisig.address).toBe(multisig.address);
					const entry = await multisigEntry(api, multisig.address, callHash);
					expect(entry?.approvals).toEqual([keys.bob.address]);
				}),
				s.timeout(60_000),
			);

			it(
				'a second run with Bob sends nothing',
				s.step(async () => {
					const before = (await api.rpc.chain.getHeader()).number.toNumber();
					const out = await advance(id, envName, '//Bob');
					expect(out.result.kind).toBe('wait');
					expect(out.result.message).toMatch(/you have approved/);
					expect(intentsOf(out)).toHaveLength(1);
					expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before);
				}),
				s.timeout(60_000),
			);

			it(
				'Dave is not a signatory: refused, exit 1, nothing sent',
				s.step(async () => {
					const before = (await api.rpc.chain.getHeader()).number.toNumber();
					const out = await advance(id, envName, '//Dave', 1);
					expect(out.result.kind).toBe('refused');
					expect(out.result.message).toContain(`${keys.dave.address} is not a signatory of multisig ${multisig.address}`);
					expect(intentsOf(out)).toHaveLength(1);
					expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before);
					expect((await multisigEntry(api, multisig.address, callHash))?.approvals).toEqual([keys.bob.address]);
				}),
				s.timeout(60_000),
			);

			it(
				`Charlie submits the call; it executes${payload === 'authorize' ? ' and the apply stage applies the code' : ''}`,
				s.step(async () => {
					const out = await advance(id, envName, '//Charlie');
					const intents = intentsOf(out);
					expect(intents.map((i) => i.call)).toEqual([
						'multisig.approveAsMulti',
						expect.stringMatching(/^multisig\.asMulti\(sudo\./),
						...(payload === 'authorize' ? ['system.applyAuthorizedUpgrade'] : []),
					]);
					expect(stageOf(out, 'multisig').status).toBe('done');
					const asMulti = intents[1];
					expect(await dispatchResults(api, asMulti.outcome.blockHash)).toEqual({
						'sudo.Sudid': 'Ok',
						'multisig.MultisigExecuted': 'Ok',
					});
					const names = eventNames(await blockEvents(api, asMulti.outcome.blockHash));
					expect(names).toContain(payload === 'set-code' ? 'system.CodeUpdated' : 'system.UpgradeAuthorized');
					if (payload === 'authorize') {
						expect(stageOf(out, 'apply').status).toBe('done');
						expect(eventNames(await blockEvents(api, intents[2].outcome.blockHash))).toContain('system.CodeUpdated');
					}
					expect(await multisigEntry(api, multisig.address, callHash)).toBeUndefined();
					expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
				}),
				s.timeout(60_000),
			);

			it(
				'verify and soak complete as blocks are produced',
				s.step(async () => {
					const out = await finish(id, envName);
					expect(out.result.kind).toBe('complete');
					expect(out.release.environments[0].stages.every((s: any) => s.status === 'done')).toBe(true);
					expect(out.release.environments[0].specVersion).toBe(specVersion);
				}),
				s.timeout(90_000),
			);
		});
	}

	describe('multisig-sudo when another signatory approves while a prompt is open', () => {
		it('confirming the stale approval prepares the final asMulti instead, and it executes', async () => {
			if ((await sudoKey(api)) !== multisig.address) await setSudoKey(api, keys.alice, multisig.address);
			const add = await cli(envAddArgs('multisig-race', devnet.endpoint, multisig.signatories, 'set-code', 2));
			expect(add.stderr).toBe('');
			const { id, specVersion } = await newRelease('multisig-race');
			// Charlie's console, in process: the engine's step function, as the TUI drives it.
			const store = openStore({ dir: home });
			const envConfig = store.getEnvironment('multisig-race')!;
			const connection = await connectEnvironment(envConfig, { timeoutMs: 10_000 });
			try {
				const ctx = {
					release: releaseAccess(store, id),
					env: envConfig,
					connection,
					signer: { pair: keys.charlie, address: keys.charlie.address, label: '//Charlie' },
				};
				let result = await step(ctx);
				while (result.kind === 'progressed') result = await step(ctx);
				expect(result.kind).toBe('confirm');
				if (result.kind !== 'confirm') return;
				expect(result.prompt.purpose).toMatch(/^approve call hash .* \(1 of 2\)/);

				// Meanwhile Bob approves from his own machine.
				const bob = await advance(id, 'multisig-race', '//Bob');
				expect(bob.result.message).toMatch(/1 of 2 approvals/);

				// Charlie confirms the prompt he was shown: the chain moved, so the step is prepared again.
				const again = await result.submit();
				expect(again.kind).toBe('confirm');
				if (again.kind !== 'confirm') return;
				expect(again.prompt.purpose).toMatch(/^final approval: submit the call through multisig .* \(2 of 2\)/);
				expect(again.prompt.callLines[0]).toMatch(/multisig\.asMulti/);
				expect(store.getRelease(id)!.progress['multisig-race']!.intents).toHaveLength(1);
				const executed = await again.submit();
				expect(executed.kind).toBe('progressed');
				expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
			} finally {
				await connection.disconnect();
			}
			const done = await finish(id, 'multisig-race');
			expect(done.result.kind).toBe('complete');
			expect(intentsOf(done).map((i) => i.call)).toEqual([
				'multisig.approveAsMulti',
				'multisig.asMulti(sudo.sudoUncheckedWeight(system.setCode))',
			]);
		}, 360_000);
	});

	describe('multisig-sudo when another signatory executes the call from their own machine', () => {
		it('the console picks the upgrade up from the chain: multisig done with the upgrade block, verified and soaked', async () => {
			if ((await sudoKey(api)) !== multisig.address) await setSudoKey(api, keys.alice, multisig.address);
			const add = await cli(envAddArgs('multisig-elsewhere', devnet.endpoint, multisig.signatories, 'set-code', 2));
			expect(add.stderr).toBe('');
			const { id, specVersion } = await newRelease('multisig-elsewhere');
			const approved = await advance(id, 'multisig-elsewhere', '//Bob');
			expect(approved.result.message).toMatch(/1 of 2 approvals/);
			const { callHash, timepoint } = approved.release.environments[0].gov.multisig;

			// Alice, outside this console, submits the same call with asMulti.
			const code = buildDevnetCode({ specVersion });
			const call = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(code)), { refTime: 0, proofSize: 0 });
			expect(blake2AsHex(call.method.toU8a(), 256)).toBe(callHash);
			const others = sortAddresses([keys.bob.address, keys.charlie.address], 42);
			const r = await send(
				api,
				api.tx.multisig.asMulti(2, others, timepoint, call.method, { refTime: 10n ** 12n, proofSize: 10n ** 6n }),
				keys.alice,
			);
			expect(r.error).toBeUndefined();
			expect(r.names).toContain('system.CodeUpdated');
			const upgradeBlock = (await api.rpc.chain.getHeader(r.blockHash)).number.toNumber();

			const out = await advance(id, 'multisig-elsewhere');
			expect(stageOf(out, 'multisig').status).toBe('done');
			expect(out.release.environments[0].upgrade.blockNumber).toBe(upgradeBlock);
			expect(intentsOf(out)).toHaveLength(1);
			const done = await finish(id, 'multisig-elsewhere');
			expect(done.result.kind).toBe('complete');
			expect(done.release.environments[0].specVersion).toBe(specVersion);
		}, 360_000);
	});
});
