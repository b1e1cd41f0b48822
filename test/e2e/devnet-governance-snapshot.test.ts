/**
 * The governance devnet's snapshot round trip, in process: a chain with a kept
 * state directory, upgraded through sudo and holding a preimage, is closed and
 * started again from the same directory. Through @polkadot/api it serves the
 * same head, the new spec version (and the old one at a block before the
 * upgrade: every kept block remembers its code), the preimage, the balances and
 * the same instance id, and builds the next block on that head.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { readChainInstance } from '../../source/chain/embedded.js';
import { connect, devKeys, send } from '../helpers/governance.js';
import { tempHome } from '../helpers/cli.js';

const dir = tempHome('rc-gov-snapshot-');
let devnet: GovernanceDevnet | undefined;
let api: (ApiPromise & { tx: any; query: any }) | undefined;

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('governance devnet snapshot', () => {
	it('resumes an upgraded chain with its preimage, balances, instance and old blocks', async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant', dataDir: dir });
		expect(devnet.resumedAt).toBeUndefined();
		api = (await connect(devnet.endpoint)) as ApiPromise & { tx: any; query: any };
		const keys = await devKeys();
		const spec = api.runtimeVersion.specVersion.toNumber();
		const beforeUpgrade = (await api.rpc.chain.getHeader()).hash.toHex();
		await send(api, api.tx.sudo.sudo(api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec + 1 })))), keys.alice);
		const preimage = api.tx.system.remark('kept in the snapshot').method.toU8a();
		await send(api, api.tx.preimage.notePreimage(u8aToHex(preimage)), keys.bob);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(spec + 1);
		const head = await api.rpc.chain.getHeader();
		const bob = (await api.query.system.account(keys.bob.address)).data.free.toString();
		const instance = await readChainInstance(api);
		expect(instance).toEqual(devnet.instance);
		expect(instance?.persistent).toBe(true);
		await api.disconnect();
		await devnet.close();

		devnet = await startGovernanceDevnet({ blockTime: 'instant', dataDir: dir });
		expect(devnet.resumedAt).toBe(head.number.toNumber());
		api = (await connect(devnet.endpoint)) as ApiPromise & { tx: any; query: any };
		const resumed = await api.rpc.chain.getHeader();
		expect(resumed.hash.toHex()).toBe(head.hash.toHex());
		expect(api.runtimeVersion.specVersion.toNumber()).toBe(spec + 1);
		expect((await api.rpc.state.getRuntimeVersion(beforeUpgrade)).specVersion.toNumber()).toBe(spec);
		expect((await api.query.preimage.requestStatusFor(blake2AsHex(preimage, 256))).isSome).toBe(true);
		expect((await api.query.system.account(keys.bob.address)).data.free.toString()).toBe(bob);
		expect((await readChainInstance(api))?.id).toBe(instance!.id);
		const next = await send(api, api.tx.system.remark('after the restart'), keys.charlie);
		const built = await api.rpc.chain.getHeader(next.blockHash);
		expect(built.parentHash.toHex()).toBe(head.hash.toHex());
		expect(built.number.toNumber()).toBe(head.number.toNumber() + 1);
	}, 120_000);

	it('without a data directory it is in memory: not persistent', async () => {
		const memory = await startGovernanceDevnet({ blockTime: 'manual' });
		try {
			expect(memory.instance.persistent).toBe(false);
			expect(memory.resumedAt).toBeUndefined();
		} finally {
			await memory.close();
		}
	}, 60_000);
});
