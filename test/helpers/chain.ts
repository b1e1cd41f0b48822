import type { ApiPromise } from '@polkadot/api';

/** How many extrinsics of a pallet the chain holds, over every block: "exactly one on chain" checks. */
export async function countExtrinsicsOnChain(api: ApiPromise, section: string): Promise<number> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const provider = (api as unknown as { _rpcCore: { provider: { send: (m: string, p: unknown[]) => Promise<unknown> } } })._rpcCore
		.provider;
	let count = 0;
	for (let n = 1; n <= best; n++) {
		const hash = (await api.rpc.chain.getBlockHash(n)).toHex();
		// A block's extrinsics are decoded with the runtime they were made for (its parent's): after an
		// upgrade, the client's own registry is the new runtime's, and the old calls may not decode with it.
		const header = await api.rpc.chain.getHeader(hash);
		const { registry } = await api.at(header.parentHash);
		const raw = (await provider.send('chain_getBlock', [hash])) as { block: { extrinsics: string[] } };
		count += raw.block.extrinsics.filter((x) => registry.createType('Extrinsic', x).method.section === section).length;
	}
	return count;
}

/**
 * Build blocks one after another, each as soon as the previous one is built (no
 * timer), until the returned stop function is called; it resolves once the
 * block in progress is done. For a chain in manual mode while a command follows
 * it (`advance --follow`, a console screen): the chain moves as fast as it can
 * build, and never two builds at once. With `when`, a block is built only while
 * it holds (e.g. an extrinsic waits in the pool, or the upgrade is in and the
 * soak needs blocks); otherwise the pump checks again shortly.
 */
export function pumpBlocks(newBlocks: (n?: number) => Promise<unknown>, when?: () => Promise<boolean>): () => Promise<void> {
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			if (when && !(await when().catch(() => false))) {
				await new Promise((r) => setTimeout(r, 25));
				continue;
			}
			if (stopped) break;
			await newBlocks(1).catch(() => undefined);
			// let the RPC server answer the followers of this block before the next one
			await new Promise((r) => setImmediate(r));
		}
	})();
	return async () => {
		stopped = true;
		await loop;
	};
}

/** For `pumpBlocks`: an extrinsic waits in the pool, or `after()` holds (the upgrade is in: verify and soak need blocks). */
export function pendingOr(api: ApiPromise, after: () => Promise<boolean>): () => Promise<boolean> {
	return async () => (await api.rpc.author.pendingExtrinsics()).length > 0 || (await after());
}
