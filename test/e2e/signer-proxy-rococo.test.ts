/**
 * Signing through a proxy on the real Rococo 9130 runtime (its own Proxy
 * pallet): `advance --signer S --as REAL` sends `proxy.proxy(REAL, type,
 * call)` signed by S after checking `Proxy.Proxies(REAL)` lists S with a type
 * whose filter lets the call through. A proxy of the sudo key upgrades the
 * chain; a proxy whose type does not allow the call, or no proxy at all, is
 * refused before anything is signed; a multisig signatory's proxy approves
 * for the signatory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { connect, devKeys, send } from '../helpers/governance.js';
import { countExtrinsicsOnChain, pendingOr, pumpBlocks } from '../helpers/chain.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';
import { envAddArgs, intentsOf, multisigEntry, multisigOf, setSudoKey, type Keys } from '../helpers/multisig.js';

const at9140 = (api: ApiPromise) => async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === 9140;

describe('a proxy of the sudo key', () => {
	let devnet: RococoDevnet;
	let api: ApiPromise;
	let home: string;
	let keys: Keys;
	let id: string;
	let stopPump: (() => Promise<void>) | undefined;
	const s = scenario();
	const advance = (signer: string, ...extra: string[]) =>
		runCli(['advance', id, '--env', 'rehearsal', '--signer', signer, '--as', keys.alice.address, ...extra, '--json'], {
			RELEASE_CONSOLE_HOME: home,
		});

	beforeAll(async () => {
		devnet = await startRococoDevnet({ blockTime: 'manual' });
		api = await connect(devnet.endpoint);
		stopPump = pumpBlocks(devnet.newBlocks, pendingOr(api, at9140(api)));
		home = tempHome('rc-proxy-');
		keys = await devKeys();
	}, 120_000);
	afterAll(async () => {
		await stopPump?.();
		await api?.disconnect();
		await devnet?.close();
	});

	it(
		'(arranging the chain) the sudo key //Alice makes //Bob an Any proxy and //Charlie a CancelProxy proxy (Rococo 9130 has Any, CancelProxy and Auction)',
		s.step(async () => {
			const add = api.tx.utility.batchAll([
				api.tx.proxy.addProxy(keys.bob.address, 'Any', 0),
				api.tx.proxy.addProxy(keys.charlie.address, 'CancelProxy', 0),
			]);
			expect((await send(api, add, keys.alice)).error).toBeUndefined();
			const env = { RELEASE_CONSOLE_HOME: home };
			await runCli(
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
					'1',
					'--soak-minutes',
					'0',
				],
				env,
			);
			id = (
				await runCli(['new', '--name', 'rococo 9140', '--wasm', writeRococoWasm(9140, home), '--env', 'rehearsal', '--json'], env)
			).json().id;
		}),
		s.timeout(120_000),
	);

	it(
		'a CancelProxy proxy may not call sudo: refused before anything is signed',
		s.step(async () => {
			const r = await advance('//Charlie', '--yes');
			expect(r.code).toBe(1);
			const out = r.json();
			expect(out.result.kind).toBe('refused');
			expect(out.result.message).toMatch(/a CancelProxy proxy may not call sudo\.sudoUncheckedWeight/);
			expect(out.result.message).toContain('nothing was signed');
			expect(out.release.environments[0].intents).toHaveLength(0);
			expect(await countExtrinsicsOnChain(api, 'proxy')).toBe(0);
		}),
		s.timeout(90_000),
	);

	it(
		'an account that is no proxy of the sudo key is refused, naming the proxies there are',
		s.step(async () => {
			const r = await advance('//Dave', '--yes');
			expect(r.code).toBe(1);
			expect(r.json().result.message).toMatch(/is not a proxy of 5Grw.*lists 2 for it/);
			expect(await countExtrinsicsOnChain(api, 'proxy')).toBe(0);
		}),
		s.timeout(90_000),
	);

	it(
		'the Any proxy: the prompt says whom it acts for, then it upgrades 9130 → 9140 through proxy.proxy',
		s.step(async () => {
			const shown = await runCli(['advance', id, '--env', 'rehearsal', '--signer', '//Bob', '--as', keys.alice.address], {
				RELEASE_CONSOLE_HOME: home,
			});
			expect(shown.code).toBe(0);
			expect(shown.stdout).toMatch(/dev account \/\/Bob acts for 5Grw\S+ through a Any proxy; 5Grw\S+ is the sudo key/);
			expect(shown.stdout).toContain('proxy.proxy');
			const r = await advance('//Bob', '--yes', '--follow', '--timeout', '300');
			expect(r.stderr).toBe('');
			const out = r.json();
			expect(out.result.kind).toBe('complete');
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			const [intent] = intentsOf(out);
			expect(intent.call).toBe('proxy.proxy(sudo.sudoUncheckedWeight(system.setCode))');
			expect(intent.signer).toBe(keys.bob.address);
			expect(await countExtrinsicsOnChain(api, 'proxy')).toBe(1);
		}),
		s.timeout(240_000),
	);
});

describe('a proxy of a multisig signatory', () => {
	let devnet: RococoDevnet;
	let api: ApiPromise;
	let home: string;
	let keys: Keys;
	let id: string;
	let multisig: { address: string; signatories: string[] };
	let stopPump: (() => Promise<void>) | undefined;
	const s = scenario();
	const cli = (args: string[]) => runCli(args, { RELEASE_CONSOLE_HOME: home });

	beforeAll(async () => {
		devnet = await startRococoDevnet({ blockTime: 'manual' });
		api = await connect(devnet.endpoint);
		stopPump = pumpBlocks(devnet.newBlocks, pendingOr(api, at9140(api)));
		home = tempHome('rc-proxy-msig-');
		keys = await devKeys();
		multisig = multisigOf(keys);
	}, 120_000);
	afterAll(async () => {
		await stopPump?.();
		await api?.disconnect();
		await devnet?.close();
	});

	it(
		'//Eve, an Any proxy of the signatory //Bob, approves the call hash for Bob; Charlie completes the upgrade',
		s.step(async () => {
			await setSudoKey(api, keys.alice, multisig.address);
			expect((await send(api, api.tx.proxy.addProxy(keys.eve.address, 'Any', 0), keys.bob)).error).toBeUndefined();
			await cli(envAddArgs('rococo-multisig', devnet.endpoint, multisig.signatories, 'set-code', 1));
			id = (
				await cli(['new', '--name', 'rococo 9140', '--wasm', writeRococoWasm(9140, home), '--env', 'rococo-multisig', '--json'])
			).json().id;

			const r = await cli([
				'advance',
				id,
				'--env',
				'rococo-multisig',
				'--signer',
				'//Eve',
				'--as',
				keys.bob.address,
				'--yes',
				'--json',
			]);
			expect(r.stderr).toBe('');
			const out = r.json();
			expect(out.result.kind).toBe('wait');
			expect(out.result.message).toMatch(/1 of 2 approvals/);
			const callHash = out.release.environments[0].gov.multisig.callHash;
			// the approval is Bob's, not Eve's
			expect((await multisigEntry(api, multisig.address, callHash))?.approvals).toEqual([keys.bob.address]);
			expect(intentsOf(out)[0].call).toMatch(/^proxy\.proxy\(multisig\.approveAsMulti/);

			const done = await cli([
				'advance',
				id,
				'--env',
				'rococo-multisig',
				'--signer',
				'//Charlie',
				'--yes',
				'--follow',
				'--timeout',
				'300',
				'--json',
			]);
			expect(done.json().result.kind).toBe('complete');
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
		}),
		s.timeout(300_000),
	);
});
