/**
 * `rehearse` forks the embedded Rococo chain (a real runtime behind a real
 * JSON-RPC endpoint: forked exactly as a live chain would be) and runs the
 * release's 9130 → 9140 upgrade on the fork with Root reproduced through the
 * fork's sudo key; the upstream chain stays at 9130 with nothing sent to it.
 * A chain the upgrade breaks on its first block under the new runtime gives a
 * failed rehearsal naming what failed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { HISTORICAL_STORAGE_VERSION_KEY, startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { connect, rawRpc } from '../helpers/governance.js';
import { countExtrinsicsOnChain } from '../helpers/chain.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await connect(devnet.endpoint);
	home = tempHome('rc-rehearse-');
}, 120_000);
afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('rehearse on a fork of the embedded Rococo chain', () => {
	let id: string;
	const s = scenario();

	it(
		'the 9140 upgrade on the fork: CodeUpdated, the first block under 9140 and 2 more; upstream still 9130, nothing sent; the audit log keeps the evidence',
		s.step(async () => {
			await runCli(['env', 'add', 'staging', '--endpoint', devnet.endpoint, '--kind', 'testnet', '--route', 'sudo'], env());
			id = (
				await runCli(['new', '--name', 'rococo 9140', '--wasm', writeRococoWasm(9140, home), '--env', 'staging', '--json'], env())
			).json().id;
			const head = (await api.rpc.chain.getHeader()).number.toNumber();
			const r = await runCli(['rehearse', id, '--env', 'staging', '--blocks', '2', '--json'], env());
			expect(r.code).toBe(0);
			const { report, upstream } = r.json();
			expect(report.verdict).toBe('passed');
			expect(report.forkedAt.number).toBe(head);
			expect(report.before).toEqual({ specName: 'rococo', specVersion: 9130 });
			expect(report.upgrade).toMatchObject({ number: head + 1, codeUpdated: true, dispatch: 'Ok' });
			expect(report.upgrade.events).toContain('sudo.Sudid');
			expect(report.firstUnderNew.number).toBe(head + 2);
			expect(report.after).toMatchObject({
				specName: 'rococo',
				specVersion: 9140,
				codeHash: '0xe49e1a81ddc4e80d0aed4adf9321136dd7a197deaf8a14a8d52012348f8e05b6',
			});
			expect(report.blocks.map((b: { number: number }) => b.number)).toEqual([head + 3, head + 4]);
			// 9140 is no try-runtime build: its checks are not run, and the report says why.
			expect(report.tryRuntime).toEqual({
				ran: false,
				note: 'not run: rococo 9140 is not a try-runtime build (its version lists no TryRuntime API)',
			});
			expect(upstream.untouched).toBe(true);
			// a dev chain can change a block's state in place: nothing fetched from it is kept
			expect(r.json().cache).toMatch(/^off: the chain can change a block’s state in place \(dev_setStorage\)/);
			expect(existsSync(path.join(home, 'fork-cache'))).toBe(false);
			// the real chain: still 9130, the same head, no upgrade sent
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
			expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(head);
			expect(await countExtrinsicsOnChain(api, 'sudo')).toBe(0);
			const status = (await runCli(['status', id, '--json'], env())).json();
			expect(status.environments[0].stages.find((x: { id: string }) => x.id === 'upgrade').status).toBe('pending');
			const audit = await runCli(['export', id, '--format', 'json'], env());
			expect(audit.stdout).toMatch(/"action":\s*"rehearsal"[^}]*fork of staging at #\d+[^}]*passed/);
		}),
		s.timeout(240_000),
	);

	it(
		'production: the artifact stage refuses until the code was rehearsed on a fork of its chain; after rehearse it goes on',
		s.step(async () => {
			const signatories = [
				'5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
				'5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
				'5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
			];
			await runCli(
				[
					'env',
					'add',
					'prod',
					'--endpoint',
					devnet.endpoint,
					'--kind',
					'production',
					'--route',
					'multisig-sudo',
					...signatories.flatMap((a) => ['--signatory', a]),
					'--threshold',
					'2',
				],
				env(),
			);
			const prodId = (
				await runCli(['new', '--name', 'rococo 9140 prod', '--wasm', writeRococoWasm(9140, home), '--env', 'prod', '--json'], env())
			).json().id;
			// 9140 is not forward compatible with 9130: accepted in writing, so only the rehearsal is missing
			const first = await runCli(['advance', prodId, '--env', 'prod', '--json'], env());
			expect(first.code).toBe(1);
			expect(first.json().result.message).toMatch(/has not been rehearsed on a fork of prod/);
			expect(first.json().result.hint).toMatch(/release-console rehearse .* --env prod/);
			const waived = await runCli(
				[
					'waive',
					prodId,
					'--env',
					'prod',
					'--gate',
					'forward-compatible',
					'--reason',
					'rehearsal chain: the breaking changes are known',
				],
				env(),
			);
			expect(waived.code).toBe(0);
			const again = await runCli(['advance', prodId, '--env', 'prod', '--json'], env());
			expect(again.code).toBe(1);
			expect(again.json().result.message).toMatch(/^code 0xe49e1a81… has not been rehearsed on a fork of prod$/);
			const rehearsed = await runCli(['rehearse', prodId, '--env', 'prod', '--blocks', '1', '--json'], env());
			expect(rehearsed.code).toBe(0);
			const after = await runCli(['advance', prodId, '--env', 'prod', '--json'], env());
			// past the artifact stage: the route's own first step decides now (here: the chain's sudo key is not the multisig)
			const out = after.json();
			expect(out.release.environments[0].stages[0]).toMatchObject({ id: 'artifact', status: 'done' });
			expect(out.result.stage).toBe('multisig');
			const gates = (await runCli(['gates', prodId, '--env', 'prod', '--json'], env())).stdout;
			expect(gates).toMatch(/fork-rehearsal/);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
		}),
		s.timeout(300_000),
	);

	it(
		'a chain the upgrade breaks: the first block under the new runtime fails, the rehearsal says so with the runtime’s message (exit 1)',
		s.step(async () => {
			// The storage-version fix the embedded chain applies at genesis, taken away on the upstream chain:
			// 9140's session_historical migration then traps in its first block.
			await rawRpc(api, 'dev_setStorage', [[[HISTORICAL_STORAGE_VERSION_KEY, null]]]);
			const r = await runCli(['rehearse', id, '--env', 'staging', '--blocks', '1'], env());
			expect(r.code).toBe(1);
			expect(r.stdout).toMatch(
				/✖ failed: the first block under the new runtime could not be built \(its migrations run there\): the fork's runtime executor crashed \(exit \S+\): .*(panicked at|unreachable)/,
			);
			expect(r.stdout).toContain('system.CodeUpdated');
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
		}),
		s.timeout(240_000),
	);

	it(
		'the governance devnet cannot be forked: exit 2, says why',
		s.step(async () => {
			await runCli(
				['env', 'add', 'gov', '--endpoint', 'embedded:governance', '--kind', 'local', '--route', 'council-democracy'],
				env(),
			);
			const created = await runCli(['new', '--name', 'gov', '--wasm', writeRococoWasm(9140, home), '--env', 'gov', '--json'], env());
			const r = await runCli(['rehearse', created.json().id, '--env', 'gov'], env());
			expect(r.code).toBe(2);
			expect(r.stderr).toMatch(/a simulation without an executable runtime: it cannot be forked/);
			// and bad flags are bad input before anything is forked
			const blocks = await runCli(['rehearse', id, '--env', 'staging', '--blocks', '501'], env());
			expect([blocks.code, blocks.stderr]).toEqual([
				2,
				expect.stringMatching(/--blocks 501 is not a number of blocks from 0 to 500/),
			]);
			const other = await runCli(['rehearse', id, '--env', 'nowhere'], env());
			expect([other.code, other.stderr]).toEqual([2, expect.stringMatching(/does not travel environment nowhere/)]);
		}),
		s.timeout(60_000),
	);
});
