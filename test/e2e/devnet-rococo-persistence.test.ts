/**
 * The embedded Rococo chain (the real runtime on chopsticks) keeps its blocks and
 * storage in the store directory and resumes from them: upgraded to 9140 through
 * sudo, with a transfer and a remark, stopped (SIGTERM, as `devnet stop` does) and
 * started again, it serves the same head, spec 9140, the balance and the remark's
 * block, the same instance id, and builds the next block on that head. The chain
 * runs as the foreground `devnet` command in a child process; @polkadot/api checks it.
 * Without --data-dir a foreground chain stays in memory: a restart is a new genesis.
 */
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { readFileSync } from 'node:fs';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { readChainInstance } from '../../source/chain/embedded.js';
import { connect, devKeys, rawRpc } from '../helpers/governance.js';
import { spawnCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

const home = tempHome('rc-rococo-persist-');
const children = new Set<ChildProcess>();

interface Started {
	child: ChildProcess;
	endpoint: string;
	resumedAt: number | null;
	instance: { id: string; persistent: boolean };
}

/** `devnet --chain rococo --json` in a child process; resolves with the JSON line it prints when it listens. */
async function startChain(dataDir?: string): Promise<Started> {
	const child = spawnCli([
		'devnet',
		'--chain',
		'rococo',
		'--block-time',
		'manual',
		'--json',
		...(dataDir ? ['--data-dir', dataDir] : []),
	]);
	children.add(child);
	let out = '';
	let err = '';
	child.stderr!.on('data', (d) => (err += d));
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (d) => {
			out += d;
			const line = out.split('\n').find((l) => l.startsWith('{'));
			if (line) resolve({ child, ...(JSON.parse(line) as Omit<Started, 'child'>) });
		});
		child.once('exit', (code) => reject(new Error(`devnet exited with ${code}: ${err}`)));
	});
}

async function stopChain(child: ChildProcess): Promise<void> {
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	const [code] = await exited;
	children.delete(child);
	expect(code).toBe(0);
}

/** Sign and submit, then build a block (manual mode): the hash of the block that includes it. */
async function include(api: ApiPromise, tx: any, signer: any): Promise<string> {
	let settle!: { resolve: (hash: string) => void; reject: (e: Error) => void };
	const inBlock = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
	// immortal (a mortal era is checked against the BlockHash the chain keeps); signAndSend resolves once the pool has it
	const unsub = await tx.signAndSend(signer, { era: 0 }, (r: any) => {
		// chopsticks reports a block's transactions finalized at once (no inBlock first)
		if (r.status.isInBlock || r.status.isFinalized)
			settle.resolve((r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex());
		if (r.status.isInvalid || r.status.isDropped) settle.reject(new Error(r.status.type));
	});
	await rawRpc(api, 'dev_newBlock', []);
	const hash = await inBlock;
	unsub();
	return hash;
}

afterAll(() => {
	for (const c of children) c.kill('SIGKILL');
});

describe('embedded Rococo with --data-dir', () => {
	const s = scenario();
	let before: { number: number; hash: string; instance: string; dave: string; remarkBlock: string };

	it(
		'upgraded to 9140, with a transfer and a remark, then stopped',
		s.step(async () => {
			const started = await startChain(home);
			expect(started.resumedAt).toBeNull();
			expect(started.instance.persistent).toBe(true);
			const api = (await connect(started.endpoint)) as ApiPromise & { tx: any; query: any };
			try {
				const keys = await devKeys();
				expect(api.runtimeVersion.specVersion.toNumber()).toBe(9130);
				const daveBefore = (await api.query.system.account(keys.dave.address)).data.free.toBigInt();
				await include(api, api.tx.balances.transferKeepAlive(keys.dave.address, 123_456_789n), keys.alice);
				const remarkBlock = await include(api, api.tx.system.remark('kept by the database'), keys.bob);
				const wasm = readFileSync(writeRococoWasm(9140, home));
				await include(api, api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(wasm)), 0), keys.alice);
				// the first block of the new code runs its migrations
				await rawRpc(api, 'dev_newBlock', []);
				const version = await api.rpc.state.getRuntimeVersion();
				expect(version.specVersion.toNumber()).toBe(9140);
				const dave = (await api.query.system.account(keys.dave.address)).data.free.toBigInt();
				expect(dave).toBe(daveBefore + 123_456_789n);
				const head = await api.rpc.chain.getHeader();
				const instance = await readChainInstance(api);
				expect(instance?.id).toBe(started.instance.id);
				before = {
					number: head.number.toNumber(),
					hash: head.hash.toHex(),
					instance: instance!.id,
					dave: dave.toString(),
					remarkBlock,
				};
			} finally {
				await api.disconnect();
			}
			await stopChain(started.child);
		}),
		s.timeout(300_000),
	);

	it(
		'started again with the same --data-dir: same head, spec 9140, the balance, the remark, the instance; the next block builds on it',
		s.step(async () => {
			const t0 = Date.now();
			const started = await startChain(home);
			const resumeMs = Date.now() - t0;
			expect(started.resumedAt).toBe(before.number);
			const api = (await connect(started.endpoint)) as ApiPromise & { tx: any; query: any };
			try {
				const keys = await devKeys();
				const head = await api.rpc.chain.getHeader();
				expect(head.number.toNumber()).toBe(before.number);
				expect(head.hash.toHex()).toBe(before.hash);
				expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
				expect((await api.query.system.account(keys.dave.address)).data.free.toString()).toBe(before.dave);
				const remark = await api.rpc.chain.getBlock(before.remarkBlock);
				expect(remark.block.extrinsics.some((x) => x.method.section === 'system' && x.method.method === 'remark')).toBe(true);
				expect((await readChainInstance(api))?.id).toBe(before.instance);
				const next = await include(api, api.tx.system.remark('after the restart'), keys.charlie);
				const nextHeader = await api.rpc.chain.getHeader(next);
				expect(nextHeader.number.toNumber()).toBe(before.number + 1);
				expect(nextHeader.parentHash.toHex()).toBe(before.hash);
				process.stdout.write(`rococo resume: listening ${resumeMs} ms after the start (head #${before.number})\n`);
			} finally {
				await api.disconnect();
			}
			await stopChain(started.child);
		}),
		s.timeout(180_000),
	);

	it('without --data-dir a foreground chain is in memory: it starts at genesis', async () => {
		const started = await startChain();
		expect(started.resumedAt).toBeNull();
		expect(started.instance.persistent).toBe(false);
		const api = await connect(started.endpoint);
		try {
			expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(1);
			expect(api.runtimeVersion.specVersion.toNumber()).toBe(9130);
		} finally {
			await api.disconnect();
		}
		await stopChain(started.child);
	}, 120_000);
});
