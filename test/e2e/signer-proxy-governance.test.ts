/**
 * A council member votes through a Governance proxy on the governance devnet
 * (its pallet_proxy is modelled on Polkadot's): `advance --signer //Eve --as
 * <Bob>` sends `proxy.proxy(Bob, Governance, council.vote(…))` signed by Eve,
 * and the motion counts Bob's aye. An announced (delayed) proxy is refused
 * before anything is signed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, send } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

let devnet: GovernanceDevnet;
let api: ApiPromise;
let home: string;
let keys: Awaited<ReturnType<typeof devKeys>>;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
	api = await connect(devnet.endpoint);
	home = tempHome('rc-gov-proxy-');
	keys = await devKeys();
});
afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('a council member’s Governance proxy', () => {
	let id: string;
	const s = scenario();
	const advance = (...args: string[]) => runCli(['advance', id, '--env', 'council', ...args, '--json'], env());
	const ayes = async () => {
		const hash = (await runCli(['status', id, '--json'], env())).json().environments[0].gov.council.hash;
		const voting = (await api.query.council.voting(hash)) as any;
		return voting.unwrap().ayes.map((a: any) => a.toString()) as string[];
	};

	it(
		'(arranging) Alice proposes the motion; Bob makes Eve his Governance proxy and Ferdie an announced one (delay 5)',
		s.step(async () => {
			await runCli(
				[
					'env',
					'add',
					'council',
					'--endpoint',
					devnet.endpoint,
					'--kind',
					'local',
					'--route',
					'council-democracy',
					'--soak-blocks',
					'1',
					'--soak-minutes',
					'0',
				],
				env(),
			);
			const specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
			const wasm = path.join(home, `devnet-${specVersion}.wasm`);
			writeFileSync(wasm, buildDevnetCode({ specVersion }));
			id = (await runCli(['new', '--name', `devnet ${specVersion}`, '--wasm', wasm, '--env', 'council', '--json'], env())).json().id;
			const proposed = await advance('--signer', '//Alice', '--yes');
			expect(proposed.json().result.message).toMatch(/1 aye, 0 nay of 3/);
			const add = api.tx.utility.batchAll([
				api.tx.proxy.addProxy(keys.eve.address, 'Governance', 0),
				api.tx.proxy.addProxy(keys.ferdie.address, 'Governance', 5),
			]);
			expect((await send(api, add, keys.bob)).error).toBeUndefined();
		}),
		s.timeout(120_000),
	);

	it(
		'an announced proxy is refused before anything is signed',
		s.step(async () => {
			const r = await advance('--signer', '//Ferdie', '--as', keys.bob.address, '--yes');
			expect(r.code).toBe(1);
			expect(r.json().result.message).toMatch(/announced \(delayed\) proxy of 5FHneW46\S+ \(Governance with a delay of 5 blocks\)/);
			expect(await ayes()).toEqual([keys.alice.address]);
		}),
		s.timeout(60_000),
	);

	it(
		'the prompt says Eve acts for Bob, a council member; with --yes the motion counts Bob’s aye, not Eve’s',
		s.step(async () => {
			const shown = await runCli(['advance', id, '--env', 'council', '--signer', '//Eve', '--as', keys.bob.address], env());
			expect(shown.code).toBe(0);
			expect(shown.stdout).toMatch(
				/dev account \/\/Eve acts for 5FHneW46\S+ through a Governance proxy; 5FHneW46\S+ is a member of the Council/,
			);
			const r = await advance('--signer', '//Eve', '--as', keys.bob.address, '--yes');
			expect(r.stderr).toBe('');
			const out = r.json();
			expect(out.result.message).toMatch(/2 aye, 0 nay of 3/);
			expect(await ayes()).toEqual([keys.alice.address, keys.bob.address]);
			const vote = out.release.environments[0].intents.at(-1);
			expect(vote.call).toMatch(/^proxy\.proxy\(council\.vote/);
			expect(vote.signer).toBe(keys.eve.address);
			expect(vote.outcome.status).toBe('included');
		}),
		s.timeout(60_000),
	);
});
