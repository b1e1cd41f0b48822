/**
 * `rehearse` on forks of the embedded genesis chains (the real Polkadot 0 and
 * Kusama 1020 runtimes): Root comes as the chain's governance would give it.
 * Polkadot 0 has a Scheduler: the council-democracy route's upgrade is written
 * into `Scheduler.Agenda` for the next block and dispatched by the scheduler
 * (as Democracy enacts), while a sudo-route environment of the same chain goes
 * through the sudo key. Kusama 1020 has no Scheduler and no
 * `sudoUncheckedWeight`: Root through `sudo.sudo`, and (no `CodeUpdated` event
 * in 2019) the change is shown by `:code` itself. The upstream chains are
 * untouched.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { startGenesisChain, type GenesisChain } from '../../source/devnet/genesis-chains.js';
import { GENESIS_RUNTIMES, bumpedGenesisRuntimeCode, writeGenesisRuntimeWasm } from '../../source/artifact/embedded-runtimes.js';
import { blake2AsHex } from '@polkadot/util-crypto';
import { connect } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

function genesisFork(chainName: 'kusama-1020' | 'polkadot-0') {
	const state = { chain: undefined as unknown as GenesisChain, api: undefined as unknown as ApiPromise, home: '' };
	beforeAll(async () => {
		state.chain = await startGenesisChain(chainName, { blockTime: 'manual' });
		state.api = await connect(state.chain.endpoint);
		state.home = tempHome(`rc-rehearse-${chainName}-`);
	}, 120_000);
	afterAll(async () => {
		await state.api?.disconnect();
		await state.chain?.close();
	});
	const env = () => ({ RELEASE_CONSOLE_HOME: state.home });
	return {
		state,
		env,
		/** An environment on the chain with `route`, and a release of the chain's bumped runtime on it. */
		async release(envName: string, route: string): Promise<string> {
			const add = await runCli(
				['env', 'add', envName, '--endpoint', state.chain.endpoint, '--kind', 'testnet', '--route', route],
				env(),
			);
			expect(add.stderr).toBe('');
			const wasm = writeGenesisRuntimeWasm(chainName, 'bumped', path.join(state.home, 'wasm'));
			const created = await runCli(['new', '--name', `${chainName} ${envName}`, '--wasm', wasm, '--env', envName, '--json'], env());
			expect(created.stderr).toBe('');
			return created.json().id;
		},
	};
}

describe('rehearse on a fork of Polkadot 0: Root through its scheduler', () => {
	const g = genesisFork('polkadot-0');
	const s = scenario();
	const codeHash = blake2AsHex(bumpedGenesisRuntimeCode('polkadot-0'), 256);

	it(
		'council-democracy: setCode written into Scheduler.Agenda for the next block, dispatched there (scheduler.Dispatched Ok, CodeUpdated), spec 1 after; the upstream stays at 0',
		s.step(async () => {
			const id = await g.release('polkadot', 'council-democracy');
			const head = (await g.state.api.rpc.chain.getHeader()).number.toNumber();
			const r = await runCli(['rehearse', id, '--env', 'polkadot', '--blocks', '1', '--json'], g.env());
			expect(r.code).toBe(0);
			const { report, upstream } = r.json();
			expect(report.verdict).toBe('passed');
			expect(report.origin).toBe(
				`Root through the scheduler: system.setCode written into Scheduler.Agenda(#${head + 1}) at index 0 (priority 63, as governance enacts; the call itself), on the fork only`,
			);
			expect(report.upgrade).toMatchObject({ number: head + 1, codeUpdated: true, shownBy: 'system.CodeUpdated', dispatch: 'Ok' });
			expect(report.upgrade.events).toEqual(expect.arrayContaining(['scheduler.Dispatched', 'system.CodeUpdated']));
			// no extrinsic carried it: the block holds only its inherents
			expect(report.upgrade.events).not.toContain('sudo.Sudid');
			expect(report.before).toEqual({ specName: 'polkadot', specVersion: 0 });
			expect(report.after).toMatchObject({ specName: 'polkadot', specVersion: GENESIS_RUNTIMES['polkadot-0'].bumped, codeHash });
			expect(report.firstUnderNew.number).toBe(head + 2);
			expect(report.blocks.map((b: { number: number }) => b.number)).toEqual([head + 3]);
			// the agenda item the fork wrote is taken by the scheduler in the upgrade block
			expect(report.storage.upgrade).toEqual(expect.arrayContaining([expect.objectContaining({ pallet: 'Scheduler', removed: 1 })]));
			expect(upstream.untouched).toBe(true);
			expect((await g.state.api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(0);
			expect((await g.state.api.rpc.chain.getHeader()).number.toNumber()).toBe(head);
			const gates = (await runCli(['gates', id, '--env', 'polkadot', '--json'], g.env())).stdout;
			expect(gates).toMatch(/fork-rehearsal/);
		}),
		s.timeout(240_000),
	);

	it(
		'a sudo-route environment of the same chain: Root through its sudo key, as that route submits',
		s.step(async () => {
			const id = await g.release('polkadot-sudo', 'sudo');
			const r = await runCli(['rehearse', id, '--env', 'polkadot-sudo', '--blocks', '0', '--json'], g.env());
			expect(r.code).toBe(0);
			const { report } = r.json();
			expect(report.verdict).toBe('passed');
			expect(report.origin).toMatch(/^Root through sudo\.sudoUncheckedWeight, signed as the chain's own sudo key /);
			expect(report.upgrade.events).toEqual(expect.arrayContaining(['sudo.Sudid', 'system.CodeUpdated']));
			expect(report.upgrade.events).not.toContain('scheduler.Dispatched');
			expect(report.after).toMatchObject({ specVersion: GENESIS_RUNTIMES['polkadot-0'].bumped, codeHash });
		}),
		s.timeout(240_000),
	);
});

describe('rehearse on a fork of Kusama 1020: no scheduler, Root through sudo.sudo', () => {
	const g = genesisFork('kusama-1020');
	const s = scenario();

	it(
		'the upgrade dispatches through sudo.sudo; the change is shown by :code (no CodeUpdated event in 2019); spec 1021 after',
		s.step(async () => {
			const id = await g.release('kusama', 'council-democracy');
			const head = (await g.state.api.rpc.chain.getHeader()).number.toNumber();
			const r = await runCli(['rehearse', id, '--env', 'kusama', '--blocks', '1'], g.env());
			expect(r.code).toBe(0);
			expect(r.stdout).toMatch(
				/origin: Root through sudo\.sudo, signed as the chain's own sudo key \w+ \(a mock signature only the fork accepts\)/,
			);
			expect(r.stdout).toContain(`#${head + 1} upgrade block (`);
			expect(r.stdout).toMatch(/\): :code changed \(this runtime has no CodeUpdated event\); dispatch Ok; events .*sudo\.Sudid/);
			expect(r.stdout).toMatch(
				new RegExp(
					`after: kusama ${GENESIS_RUNTIMES['kusama-1020'].bumped}, code ${blake2AsHex(bumpedGenesisRuntimeCode('kusama-1020'), 256)}`,
				),
			);
			expect(r.stdout).toMatch(/✔ passed: the chain kept producing blocks under the new runtime/);
			expect((await g.state.api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(1020);
			expect((await g.state.api.rpc.chain.getHeader()).number.toNumber()).toBe(head);
		}),
		s.timeout(240_000),
	);
});
