/**
 * `rehearse` on a release of a relay and its parachain: the embedded Rococo
 * network (Rococo 9130 relay, statemine 900 as para 1000, joined by chopsticks'
 * connectVertical) is forked as a live network would be, one fork per chain in
 * one process, the forks joined as the originals are. On the forks: the
 * relay's upgrade as its route sends it (utility.batchAll of system.setCode and
 * the XCM that authorizes the para's code, with Root through the relay's sudo
 * key), the para's UpgradeAuthorized from that message, the unsigned
 * enactAuthorizedUpgrade, the code applied on the relay's go-ahead, and blocks
 * under the new code on both. The upstream chains stay as they were, and the
 * evidence lands on both environments of the release.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { blake2AsHex } from '@polkadot/util-crypto';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { onChainCodeHash } from '../../source/chain/live.js';
import { connect } from '../helpers/governance.js';
import { byteDifferentAssetHubCode, startTestParachainNetwork, type TestNetwork } from '../helpers/parachain-network.js';
import { runCli, tempHome } from '../helpers/cli.js';

describe('rehearse a relay and its parachain on forks of both', () => {
	let net: TestNetwork;
	let relay: ApiPromise;
	let para: ApiPromise;
	let home: string;
	const env = (): Record<string, string> => ({ RELEASE_CONSOLE_HOME: home });
	const code = byteDifferentAssetHubCode('release-console rehearsal');
	const codeHash = blake2AsHex(code, 256);

	beforeAll(async () => {
		net = await startTestParachainNetwork();
		[relay, para] = await Promise.all([connect(net.relay.endpoint), connect(net.para.endpoint)]);
		home = tempHome('rc-rehearse-net-');
	}, 120_000);

	afterAll(async () => {
		await relay?.disconnect();
		await para?.disconnect();
		await net?.close();
	});

	it(
		'--env hub rehearses through its relay: the relay goes to 9140, the para takes its code on the go-ahead, both keep producing blocks; upstream untouched',
		{ timeout: 600_000 },
		async () => {
			const relayWasm = writeRococoWasm(9140, home);
			const hubWasm = path.join(home, 'asset_hub_rebuilt.wasm');
			writeFileSync(hubWasm, code);
			const add = (args: string[]) => runCli(['env', 'add', ...args, '--kind', 'local'], env());
			expect((await add(['relay', '--endpoint', net.relay.endpoint, '--route', 'sudo'])).code).toBe(0);
			expect(
				(await add(['hub', '--endpoint', net.para.endpoint, '--route', 'parachain', '--relay', 'relay', '--para-id', '1000'])).code,
			).toBe(0);
			const id = (
				await runCli(
					['new', '--name', 'relay + hub', '--runtime', `relay=${relayWasm}`, '--runtime', `hub=${hubWasm}`, '--json'],
					env(),
				)
			).json().id as string;
			const relayHead = (await relay.rpc.chain.getHeader()).number.toNumber();
			const paraHead = (await para.rpc.chain.getHeader()).number.toNumber();
			const paraCodeBefore = await onChainCodeHash(para);

			const r = await runCli(['rehearse', id, '--env', 'hub', '--blocks', '2', '--json'], env());
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
			const { report, paras, upstream, paraUpstreams } = r.json();

			// The relay: the route's batch, with Root through the fork's sudo key.
			expect(report.env).toBe('relay');
			expect(report.verdict).toBe('passed');
			expect(report.forkedAt.number).toBe(relayHead);
			expect(report.call).toMatch(/^utility\.batchAll/);
			expect(report.upgrade).toMatchObject({ number: relayHead + 1, codeUpdated: true, dispatch: 'Ok' });
			expect(report.upgrade.events).toContain('xcmPallet.Sent');
			expect(report.upgrade.weight.percent).toBeGreaterThan(0);
			expect(report.after).toMatchObject({ specName: 'rococo', specVersion: 9140 });
			expect(report.blocks).toHaveLength(2);

			// The para: authorized by the relay's message, the code handed over unsigned, applied on the go-ahead.
			expect(paras).toHaveLength(1);
			const hub = paras[0];
			expect(hub.env).toBe('hub');
			expect(hub.verdict).toBe('passed');
			expect(hub.forkedAt.number).toBe(paraHead);
			expect(hub.origin).toContain(`its upgrade block #${relayHead + 1} sends Transact(Superuser, authorizeUpgrade) to para 1000`);
			expect(hub.steps.join('\n')).toContain(`parachainSystem.UpgradeAuthorized(${codeHash})`);
			expect(hub.steps.join('\n')).toMatch(
				/parachainSystem\.enactAuthorizedUpgrade\(<code [^>]+>\) Ok; parachainSystem\.ValidationFunctionStored/,
			);
			expect(hub.upgrade.dispatch).toContain('parachainSystem.ValidationFunctionApplied');
			expect(hub.after).toMatchObject({ specVersion: 900, codeHash });
			expect(hub.blocks).toHaveLength(2);

			// Nothing reached the real chains.
			expect(upstream.untouched).toBe(true);
			expect(paraUpstreams[0].after.specVersion).toBe(900);
			expect((await relay.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
			expect((await relay.rpc.chain.getHeader()).number.toNumber()).toBe(relayHead);
			expect((await para.rpc.chain.getHeader()).number.toNumber()).toBe(paraHead);
			expect(await onChainCodeHash(para)).toBe(paraCodeBefore);

			// The evidence, on both environments.
			const gates = (await runCli(['status', id, '--json'], env())).json().gates as Array<{
				id: string;
				env: string;
				status: string;
				evidence?: { verdict?: string };
			}>;
			for (const name of ['relay', 'hub'])
				expect(
					gates.find((g) => g.id === 'fork-rehearsal' && g.env === name),
					name,
				).toMatchObject({ status: 'pass', evidence: { verdict: 'passed' } });
		},
	);
});
