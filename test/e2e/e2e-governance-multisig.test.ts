/**
 * multisig-sudo, headless, end to end: the sudo key is a 2-of-3 multisig of
 * //Alice //Bob //Charlie. //Bob approves the call hash (approveAsMulti),
 * //Charlie submits the call (asMulti) and it executes; with the authorize
 * payload the apply stage then submits the code. Checked through
 * @polkadot/api, on the governance devnet (both payloads, and the sudo route
 * with the authorize payload) and on the real embedded Rococo 9130 chain
 * (set-code, 9130 → 9140: its old Multisig takes the call as an OpaqueCall
 * and a u64 max_weight, and its Sudo.Key is a plain AccountId).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, createKeyMulti, encodeAddress, sortAddresses } from '@polkadot/util-crypto';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { blockEvents, connect, devKeys, eventNames, newBlocks, send } from '../helpers/governance.js';
import { countExtrinsicsOnChain } from '../helpers/chain.js';
import { openStore } from '../../source/store/store.js';
import { connectEnvironment } from '../../source/chain/connect.js';
import { releaseAccess } from '../../source/cli/commands/context.js';
import { step } from '../../source/engine/sudo-route.js';
import { runCli, tempHome, type CliResult } from '../helpers/cli.js';

type Keys = Awaited<ReturnType<typeof devKeys>>;

const stageOf = (out: any, id: string) => out.release.environments[0].stages.find((s: any) => s.id === id);
const intentsOf = (out: any) => out.release.environments[0].intents as any[];

function multisigOf(keys: Keys): { address: string; signatories: string[] } {
	const signatories = [keys.alice.address, keys.bob.address, keys.charlie.address];
	return { address: encodeAddress(createKeyMulti(signatories, 2), 42), signatories };
}

function envAddArgs(name: string, endpoint: string, signatories: string[], payload: 'set-code' | 'authorize', soakBlocks: number): string[] {
	return [
		'env', 'add', name, '--endpoint', endpoint, '--kind', 'local', '--route', 'multisig-sudo',
		...signatories.flatMap((s) => ['--signatory', s]), '--threshold', '2', '--payload', payload,
		'--soak-blocks', String(soakBlocks), '--soak-minutes', '0', '--max-stall', '600',
	];
}

async function sudoKey(api: ApiPromise): Promise<string> {
	const raw = (await api.query.sudo.key()) as any;
	return raw.isSome === undefined ? raw.toString() : raw.unwrap().toString();
}

async function setSudoKey(api: ApiPromise, sudo: KeyringPair, to: string): Promise<void> {
	const r = await send(api, api.tx.sudo.setKey(to), sudo);
	expect(r.error).toBeUndefined();
	expect(await sudoKey(api)).toBe(to);
}

async function multisigEntry(api: ApiPromise, address: string, callHash: string): Promise<{ approvals: string[] } | undefined> {
	const v = (await api.query.multisig.multisigs(address, callHash)) as any;
	return v.isNone ? undefined : { approvals: v.unwrap().approvals.map((a: any) => a.toString()) };
}

/** The Sudid / MultisigExecuted results of a block: `Ok` or the error. */
async function dispatchResults(api: ApiPromise, blockHash: string): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const { event } of await blockEvents(api, blockHash)) {
		const name = `${event.section}.${event.method}`;
		if (name === 'sudo.Sudid') out[name] = (event.data[0] as any).isOk ? 'Ok' : 'Err';
		if (name === 'multisig.MultisigExecuted') out[name] = (event.data[4] as any).isOk ? 'Ok' : 'Err';
	}
	return out;
}

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
		if (r.code !== expectCode) throw new Error(`advance ${signer ?? ''} exited ${r.code}, expected ${expectCode}: ${r.stderr}${r.stdout}`);
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
			const add = await cli(['env', 'add', 'sudo-authorize', '--endpoint', devnet.endpoint, '--kind', 'local', '--route', 'sudo', '--payload', 'authorize', '--soak-blocks', '2', '--soak-minutes', '0', '--max-stall', '600']);
			expect(add.stderr).toBe('');
			const { id, specVersion } = await newRelease('sudo-authorize');
			const status = await cli(['status', id, '--json']);
			expect(status.json().environments[0].stages.map((s: any) => s.id)).toEqual(['artifact', 'upgrade', 'apply', 'verify', 'soak']);

			const unsigned = await advance(id, 'sudo-authorize');
			expect(unsigned.result.kind).toBe('needs-signer');
			expect(unsigned.result.message).toBe(`authorize code hash ${unsigned.release.artifact.codeHash.slice(0, 10)}…${unsigned.release.artifact.codeHash.slice(-6)} (hash first, code later): needs a signer (the sudo key, ${keys.alice.address})`);

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
		});
	});

	for (const payload of ['set-code', 'authorize'] as const) {
		describe(`multisig-sudo with the ${payload} payload`, () => {
			const envName = `multisig-${payload}`;
			let id: string;
			let specVersion: number;
			let callHash: string;

			it('creates the environment and the release', async () => {
				const add = await cli(envAddArgs(envName, devnet.endpoint, multisig.signatories, payload, 2));
				expect(add.stderr).toBe('');
				({ id, specVersion } = await newRelease(envName));
				const status = await cli(['status', id, '--json']);
				expect(status.json().environments[0].stages.map((s: any) => s.id)).toEqual(['artifact', 'multisig', ...(payload === 'authorize' ? ['apply'] : []), 'verify', 'soak']);
			});

			if (payload === 'set-code') {
				it('refuses while the sudo key is not the multisig, and sends nothing', async () => {
					expect(await sudoKey(api)).toBe(keys.alice.address);
					const out = await advance(id, envName, '//Bob', 1);
					expect(out.result.kind).toBe('refused');
					expect(out.result.message).toContain(`the sudo key is ${keys.alice.address}, not the multisig ${multisig.address} (2 of 3)`);
					expect(intentsOf(out)).toHaveLength(0);
				});

				it('(arranging the chain) Alice makes the 2-of-3 multisig the sudo key', async () => {
					await setSudoKey(api, keys.alice, multisig.address);
				});
			}

			it('without a signer it names the signatories who may approve', async () => {
				const out = await advance(id, envName);
				expect(out.result.kind).toBe('needs-signer');
				expect(out.result.message).toMatch(/0 of 2 approvals/);
				for (const s of multisig.signatories) expect(out.result.message).toContain(s);
			});

			it('Bob approves the call hash, then waits and says who must still approve', async () => {
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
			});

			it('a second run with Bob sends nothing', async () => {
				const before = (await api.rpc.chain.getHeader()).number.toNumber();
				const out = await advance(id, envName, '//Bob');
				expect(out.result.kind).toBe('wait');
				expect(out.result.message).toMatch(/you have approved/);
				expect(intentsOf(out)).toHaveLength(1);
				expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before);
			});

			it('Dave is not a signatory: refused, exit 1, nothing sent', async () => {
				const before = (await api.rpc.chain.getHeader()).number.toNumber();
				const out = await advance(id, envName, '//Dave', 1);
				expect(out.result.kind).toBe('refused');
				expect(out.result.message).toContain(`${keys.dave.address} is not a signatory of multisig ${multisig.address}`);
				expect(intentsOf(out)).toHaveLength(1);
				expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before);
				expect((await multisigEntry(api, multisig.address, callHash))?.approvals).toEqual([keys.bob.address]);
			});

			it(`Charlie submits the call; it executes${payload === 'authorize' ? ' and the apply stage applies the code' : ''}`, async () => {
				const out = await advance(id, envName, '//Charlie');
				const intents = intentsOf(out);
				expect(intents.map((i) => i.call)).toEqual([
					'multisig.approveAsMulti',
					expect.stringMatching(/^multisig\.asMulti\(sudo\./),
					...(payload === 'authorize' ? ['system.applyAuthorizedUpgrade'] : []),
				]);
				expect(stageOf(out, 'multisig').status).toBe('done');
				const asMulti = intents[1];
				expect(await dispatchResults(api, asMulti.outcome.blockHash)).toEqual({ 'sudo.Sudid': 'Ok', 'multisig.MultisigExecuted': 'Ok' });
				const names = eventNames(await blockEvents(api, asMulti.outcome.blockHash));
				expect(names).toContain(payload === 'set-code' ? 'system.CodeUpdated' : 'system.UpgradeAuthorized');
				if (payload === 'authorize') {
					expect(stageOf(out, 'apply').status).toBe('done');
					expect(eventNames(await blockEvents(api, intents[2].outcome.blockHash))).toContain('system.CodeUpdated');
				}
				expect(await multisigEntry(api, multisig.address, callHash)).toBeUndefined();
				expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
			});

			it('verify and soak complete as blocks are produced', async () => {
				const out = await finish(id, envName);
				expect(out.result.kind).toBe('complete');
				expect(out.release.environments[0].stages.every((s: any) => s.status === 'done')).toBe(true);
				expect(out.release.environments[0].specVersion).toBe(specVersion);
			});
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
				const ctx = { release: releaseAccess(store, id), env: envConfig, connection, signer: { pair: keys.charlie, address: keys.charlie.address, label: '//Charlie' } };
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
			expect(intentsOf(done).map((i) => i.call)).toEqual(['multisig.approveAsMulti', 'multisig.asMulti(sudo.sudoUncheckedWeight(system.setCode))']);
		});
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
			const r = await send(api, api.tx.multisig.asMulti(2, others, timepoint, call.method, { refTime: 10n ** 12n, proofSize: 10n ** 6n }), keys.alice);
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
		});
	});
});

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

	beforeAll(async () => {
		devnet = await startRococoDevnet({ blockTime: 1500 });
		api = await connect(devnet.endpoint);
		home = tempHome('rc-msig-rococo-');
		wasm = writeRococoWasm(9140, home);
		keys = await devKeys();
		multisig = multisigOf(keys);
	});
	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	async function advance(signer: string, expectCode = 0, extra: string[] = []): Promise<any> {
		const r = await cli(['advance', id, '--env', 'rococo-multisig', '--signer', signer, '--yes', ...extra, '--json']);
		if (r.code !== expectCode) throw new Error(`advance ${signer} exited ${r.code}, expected ${expectCode}: ${r.stderr}${r.stdout}`);
		return r.json();
	}

	it('(arranging the chain) Alice makes the 2-of-3 multisig the sudo key; the environment and release are created', async () => {
		await setSudoKey(api, keys.alice, multisig.address);
		const add = await cli(envAddArgs('rococo-multisig', devnet.endpoint, multisig.signatories, 'set-code', 3));
		expect(add.stderr).toBe('');
		const created = await cli(['new', '--name', 'rococo 9140', '--wasm', wasm, '--env', 'rococo-multisig', '--json']);
		expect(created.code).toBe(0);
		id = created.json().id;
		expect(created.json().artifact.specVersion).toBe(9140);
	});

	it('Bob approves the call hash and waits for a second signatory', async () => {
		const out = await advance('//Bob');
		expect(out.result.kind).toBe('wait');
		expect(out.result.message).toMatch(/1 of 2 approvals/);
		// 9140 is not forward compatible with 9130: advice only on a local environment.
		expect(stageOf(out, 'artifact').detail).toMatch(/NOT forward compatible/);
		const callHash = out.release.environments[0].gov.multisig.callHash;
		expect((await multisigEntry(api, multisig.address, callHash))?.approvals).toEqual([keys.bob.address]);
	});

	it('Dave is refused and nothing is sent', async () => {
		const out = await advance('//Dave', 1);
		expect(out.result.message).toMatch(/is not a signatory/);
		expect(intentsOf(out)).toHaveLength(1);
		expect(await countExtrinsicsOnChain(api, 'multisig')).toBe(1);
	});

	it('Charlie submits the OpaqueCall with a u64 max weight: 9130 → 9140, verified and soaked', async () => {
		const out = await advance('//Charlie', 0, ['--follow', '--timeout', '300']);
		expect(out.result.kind).toBe('complete');
		const asMulti = intentsOf(out)[1];
		expect(asMulti.call).toBe('multisig.asMulti(sudo.sudoUncheckedWeight(system.setCode))');
		expect(await dispatchResults(api, asMulti.outcome.blockHash)).toEqual({ 'sudo.Sudid': 'Ok', 'multisig.MultisigExecuted': 'Ok' });
		expect(eventNames(await blockEvents(api, asMulti.outcome.blockHash))).toContain('system.CodeUpdated');
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
		expect(out.release.environments[0].upgrade.blockNumber).toBe(asMulti.outcome.blockNumber);
		expect(await countExtrinsicsOnChain(api, 'multisig')).toBe(2);
	});
});
