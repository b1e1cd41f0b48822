/**
 * A block the governance devnet cannot build is never dropped silently.
 *
 * A timestamp past u64 (dev_timeTravel takes any finite number of ms) makes
 * the timestamp inherent unencodable, so building fails. In 'instant' mode the
 * build is started in the background by a submitted transaction, where no
 * caller awaits it: the failure must still be counted (devnet_buildFailures),
 * listed (devnet_unmodelledCalls), emitted ('buildFailed') and written to
 * stderr. dev_newBlock, whose caller awaits, gets the error. The chain stays
 * at its best block, keeps the transaction pooled and builds again once the
 * time is sane.
 */
import { once } from 'node:events';
import type { ApiPromise } from '@polkadot/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BuildFailure, GovernanceChain } from '../../source/devnet/governance/chain/index.js';
import { startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, rawRpc } from '../helpers/governance.js';

describe('governance devnet: block-building failures', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { tx: any };

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant' });
		api = (await connect(devnet.endpoint)) as any;
	});
	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	it('are counted, listed, emitted and written to stderr, also when no caller awaits the build; the chain recovers', async () => {
		const chain: GovernanceChain = devnet.chain;
		const { alice } = await devKeys();
		const before = chain.best.number;
		expect(await rawRpc(api, 'devnet_buildFailures')).toEqual({ count: 0 });
		const stderr = vi.spyOn(process.stderr, 'write');
		try {
			await rawRpc(api, 'dev_timeTravel', [2 ** 70]);
			const failed = once(chain, 'buildFailed') as Promise<[Error, BuildFailure]>;
			// 'instant' mode: the submission starts a background build, which fails.
			const tx = await api.tx.system.remark('0x01').signAsync(alice);
			await rawRpc(api, 'author_submitExtrinsic', [tx.toHex()]);
			// A guard, not synchronisation: without the event the failure was swallowed.
			let guard: NodeJS.Timeout | undefined;
			const swallowed = new Promise<never>((_, reject) => {
				guard = setTimeout(
					() => reject(new Error('no buildFailed event within 15 s: the failed background build was swallowed')),
					15_000,
				);
			});
			const [error, failure] = await Promise.race([failed, swallowed]).finally(() => clearTimeout(guard));

			expect(failure.block).toBe(before + 1);
			expect(error.message).toMatch(new RegExp(`^building block #${before + 1} failed: .*u64: Input too large`));
			const reported = await rawRpc<{ count: number; last?: BuildFailure }>(api, 'devnet_buildFailures');
			expect(reported.count).toBe(1);
			expect(reported.last).toEqual(failure);
			const notes = await rawRpc<string[]>(api, 'devnet_unmodelledCalls');
			expect(
				notes.some((n) => n.startsWith(`block ${before + 1}: governance devnet (simulation) internal error building the block:`)),
			).toBe(true);
			expect(
				stderr.mock.calls.some(([line]) =>
					String(line).includes(`governance devnet (simulation): building block #${before + 1} failed`),
				),
			).toBe(true);
			// Nothing was built and nothing was lost: the transaction is still pooled.
			expect(chain.best.number).toBe(before);
			expect(await rawRpc<string[]>(api, 'author_pendingExtrinsics')).toEqual([tx.toHex()]);

			// A caller that awaits the build gets the error.
			await expect(rawRpc(api, 'dev_newBlock')).rejects.toThrow(/building block #\d+ failed/);
			expect((await rawRpc<{ count: number }>(api, 'devnet_buildFailures')).count).toBe(2);

			// With a sane time the next block is built, with the pooled transaction.
			await rawRpc(api, 'dev_timeTravel', [Date.now()]);
			const hash = await rawRpc<string>(api, 'dev_newBlock');
			expect(chain.best.number).toBe(before + 1);
			expect(chain.best.hash).toBe(hash);
			expect(chain.best.extrinsics).toContain(tx.toHex());
			expect((await rawRpc<{ count: number }>(api, 'devnet_buildFailures')).count).toBe(2);
		} finally {
			stderr.mockRestore();
		}
	}, 60_000);
});
