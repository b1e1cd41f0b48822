/**
 * The governance devnet keeps a bounded window of recent blocks, so it can run
 * for thousands of blocks (the 10,000-block watch of `npm run bench`): the
 * last 256 blocks keep their state, the last 4096 their header and body; state
 * queries further back fail as on a pruning node, and the state roots it
 * computes incrementally are the real trie roots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { executor } from '../../source/devnet/governance/chain/index.js';
import { connect, devKeys, rawRpc, send } from '../helpers/governance.js';

let devnet: GovernanceDevnet;
let api: ApiPromise;

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'manual' });
	api = await connect(devnet.endpoint);
});

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

const SYSTEM_NUMBER = '0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac';

describe('governance devnet block window', () => {
	it('state roots are the real trie roots, also after transactions and dev_setStorage', async () => {
		const ex = await executor();
		const rootOf = (state: Map<string, string>) =>
			ex.calculateStateRoot([...state.entries()] as Array<[`0x${string}`, `0x${string}`]>, 1);
		const { alice, bob } = await devKeys();
		await rawRpc(api, 'dev_setBlockBuildMode', ['instant']);
		const included = await send(api, api.tx.balances.transferKeepAlive(bob.address, 10n ** 15n), alice);
		await rawRpc(api, 'dev_setBlockBuildMode', ['manual']);
		const withTransfer = devnet.chain.blockAt(included.blockHash)!;
		expect(withTransfer.extrinsics.length).toBe(2);
		expect(withTransfer.header.stateRoot).toBe(await rootOf(withTransfer.state));
		// dev_setStorage writes into the best block's state; the next blocks build on it.
		await rawRpc(api, 'dev_setStorage', [[['0x1234', '0x5678']]]);
		await rawRpc(api, 'dev_newBlock', [{ count: 2 }]);
		expect(devnet.chain.best.header.stateRoot).toBe(await rootOf(devnet.chain.best.state));
		const header = await api.rpc.chain.getHeader();
		expect(header.stateRoot.toHex()).toBe(await rootOf(devnet.chain.best.state));
		expect(await rawRpc(api, 'state_getStorage', ['0x1234'])).toBe('0x5678');
	});

	it('after 300 blocks: recent state is served, older state fails like a pruning node, headers stay', async () => {
		await rawRpc(api, 'dev_newBlock', [{ count: 300 }]);
		const best = (await api.rpc.chain.getHeader()).number.toNumber();
		expect(best).toBeGreaterThanOrEqual(300);
		const recent = await api.rpc.chain.getBlockHash(best - 200);
		const number = await api.rpc.state.getStorage(SYSTEM_NUMBER, recent);
		expect(api.createType('u32', (number as any).toU8a(true)).toNumber()).toBe(best - 200);

		const old = await api.rpc.chain.getBlockHash(5);
		expect((await api.rpc.chain.getHeader(old)).number.toNumber()).toBe(5);
		expect((await api.rpc.chain.getBlock(old)).block.extrinsics.length).toBeGreaterThan(0);
		await expect(api.rpc.state.getStorage(SYSTEM_NUMBER, old)).rejects.toThrow(/State already discarded/);
		const error = await rawRpc(api, 'state_getStorage', [SYSTEM_NUMBER, old.toHex()]).catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/4003.*State already discarded/);
		expect(devnet.chain.kept.firstState).toBe(best - 255);
	});

	it('after 4400 blocks: blocks older than the 4096-block window are forgotten with a clear error, recent ones served', async () => {
		const oldHash = (await api.rpc.chain.getBlockHash(5)).toHex() as string;
		await rawRpc(api, 'dev_newBlock', [{ count: 4400 }]);
		const best = (await api.rpc.chain.getHeader()).number.toNumber();
		const error = await rawRpc(api, 'chain_getBlockHash', [5]).catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/UnknownBlock.*#5.*keeps the last 4096 blocks/);
		expect(await rawRpc(api, 'chain_getHeader', [oldHash])).toBeNull();
		const within = await api.rpc.chain.getBlockHash(best - 4000);
		expect((await api.rpc.chain.getHeader(within)).number.toNumber()).toBe(best - 4000);
		// The chain still takes transactions and a mortal era still resolves its birth block.
		const { alice, bob } = await devKeys();
		await rawRpc(api, 'dev_setBlockBuildMode', ['instant']);
		const included = await send(api, api.tx.balances.transferKeepAlive(alice.address, 10n ** 15n), bob);
		expect(included.names).toContain('balances.Transfer');
		await rawRpc(api, 'dev_setBlockBuildMode', ['manual']);
	}, 120_000);
});
