/**
 * The embedded chains keep their state across restarts, the way a dev node keeps
 * its base path: a background chain stopped (`devnet stop`) and started again
 * resumes at the same head with the same state and instance id; `devnet reset`
 * deletes the kept state on purpose and says so; `devnet stop` without --chain
 * stops every embedded chain of the store and names each. Headless commands as
 * child processes, the chains checked through @polkadot/api.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { ensureEmbeddedChain, readDaemonState, stopAllEmbeddedChains } from '../../source/devnet/daemon.js';
import { readChainInstance } from '../../source/chain/embedded.js';
import { isPidAlive } from '../../source/store/lock.js';
import { connect, devKeys, findEvent, send } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

const home = tempHome('rc-devnet-persist-');
const env = { RELEASE_CONSOLE_HOME: home };

afterAll(async () => {
	await stopAllEmbeddedChains(home);
}, 60_000);

describe('background chains: stop, restart, reset', () => {
	const s = scenario();
	let api: (ApiPromise & { query: any; tx: any }) | undefined;
	let before: { number: number; hash: string; instance: string; preimage: string; referendum: number };
	let rococoPid: number;

	const open = async () => {
		// 'instant': a block per transaction, none otherwise, so the head is the same before and after a restart.
		const { state, started } = await ensureEmbeddedChain(home, 'governance', { blockTime: 'instant' });
		api = (await connect(state.endpoint)) as ApiPromise & { query: any; tx: any };
		return { state, started, api: api! };
	};
	const close = async () => {
		await api?.disconnect();
		api = undefined;
	};

	it(
		'a governance chain with a preimage and a referendum, beside a Rococo chain: `devnet stop` stops both and names each',
		s.step(async () => {
			const { state, started, api } = await open();
			expect(started).toBe(true);
			expect(state.instance?.persistent).toBe(true);
			const keys = await devKeys();
			const bytes = api.tx.system.remark('kept across restarts').method.toU8a();
			const hash = blake2AsHex(bytes, 256);
			await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.alice);
			const submitted = await send(
				api,
				api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash, len: bytes.length } }, { After: 100 }),
				keys.alice,
			);
			const referendum = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
			const head = await api.rpc.chain.getHeader();
			const instance = await readChainInstance(api);
			expect(instance).toEqual(state.instance);
			before = { number: head.number.toNumber(), hash: head.hash.toHex(), instance: instance!.id, preimage: hash, referendum };
			await close();

			rococoPid = (await ensureEmbeddedChain(home, 'rococo', { blockTime: 'manual' })).state.pid;
			const stop = await runCli(['devnet', 'stop'], env);
			expect(stop.stderr).toBe('');
			expect(stop.code).toBe(0);
			expect(stop.stdout).toContain(`stopped the embedded rococo chain (pid ${rococoPid}`);
			expect(stop.stdout).toContain(`stopped the embedded governance chain (pid ${state.pid}`);
			expect(stop.stdout).toContain('its state is kept');
			expect(isPidAlive(state.pid)).toBe(false);
			expect(isPidAlive(rococoPid)).toBe(false);
			expect(readDaemonState(home, 'governance')).toBeUndefined();
			const again = await runCli(['devnet', 'stop'], env);
			expect(again.stdout).toContain('no embedded chain was running for this store');
		}),
		s.timeout(180_000),
	);

	it(
		'started again, the governance chain resumes: same head, same instance, the preimage and the referendum are there',
		s.step(async () => {
			const { state, started, api } = await open();
			expect(started).toBe(true);
			expect(state.resumedAt).toBe(before.number);
			const head = await api.rpc.chain.getHeader();
			expect(head.number.toNumber()).toBe(before.number);
			expect(head.hash.toHex()).toBe(before.hash);
			expect((await readChainInstance(api))?.id).toBe(before.instance);
			expect(state.instance?.id).toBe(before.instance);
			expect((await api.query.preimage.requestStatusFor(before.preimage)).isSome).toBe(true);
			const info = await api.query.referenda.referendumInfoFor(before.referendum);
			expect(info.isSome).toBe(true);
			expect(info.unwrap().isOngoing).toBe(true);
			// and it goes on building on that head
			const keys = await devKeys();
			const next = await send(api, api.tx.system.remark('after the restart'), keys.bob);
			expect((await api.rpc.chain.getHeader(next.blockHash)).number.toNumber()).toBe(before.number + 1);
			await close();
		}),
		s.timeout(120_000),
	);

	it(
		'`devnet reset --chain governance` stops it, deletes its state and says what that means; the next start is a new chain',
		s.step(async () => {
			const running = readDaemonState(home, 'governance')!;
			const reset = await runCli(['devnet', 'reset', '--chain', 'governance'], env);
			expect(reset.stderr).toBe('');
			expect(reset.code).toBe(0);
			expect(reset.stdout).toContain(`stopped the embedded governance chain (pid ${running.pid})`);
			expect(reset.stdout).toContain(`reset the embedded governance chain (instance ${before.instance}`);
			expect(reset.stdout).toContain('deleted devnet-governance.snapshot.json');
			expect(reset.stdout).toContain('will show the chain disagreeing');
			expect(reset.stdout).not.toContain('rococo');
			expect(isPidAlive(running.pid)).toBe(false);
			expect(existsSync(path.join(home, 'devnet-governance.snapshot.json'))).toBe(false);
			expect(existsSync(path.join(home, 'devnet-rococo.sqlite'))).toBe(true);

			const { state, api } = await open();
			expect(state.resumedAt).toBeUndefined();
			expect(state.instance?.id).not.toBe(before.instance);
			expect((await readChainInstance(api))?.id).toBe(state.instance?.id);
			expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(0);
			expect((await api.query.referenda.referendumInfoFor(before.referendum)).isNone).toBe(true);
			await close();
		}),
		s.timeout(120_000),
	);

	it(
		'`devnet reset` without --chain resets every embedded chain of the store and names each',
		s.step(async () => {
			const reset = await runCli(['devnet', 'reset'], env);
			expect(reset.code).toBe(0);
			expect(reset.stdout).toMatch(/stopped the embedded governance chain/);
			expect(reset.stdout).toContain('reset the embedded rococo chain: deleted devnet-rococo.sqlite');
			expect(reset.stdout).toContain('reset the embedded governance chain');
			expect(existsSync(path.join(home, 'devnet-rococo.sqlite'))).toBe(false);
			expect(existsSync(path.join(home, 'devnet-governance.snapshot.json'))).toBe(false);
			const bad = await runCli(['devnet', 'reset', '--chain', 'kusama'], env);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toContain('unknown chain "kusama"');
		}),
		s.timeout(60_000),
	);
});
