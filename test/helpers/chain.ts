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
		// The parent's runtime first; around an upgrade a chain may report either runtime for a block, so
		// the block's own and the client's are tried too. A decoding counts only if it encodes back to the
		// same bytes (a wrong registry either throws or misreads the call, and then does not round-trip).
		const header = await api.rpc.chain.getHeader(hash);
		const registries = [(await api.at(header.parentHash)).registry, (await api.at(hash)).registry, api.registry];
		const raw = (await provider.send('chain_getBlock', [hash])) as { block: { extrinsics: string[] } };
		for (const x of raw.block.extrinsics) {
			let decoded: string | undefined;
			for (const registry of registries) {
				try {
					const ext = registry.createType('Extrinsic', x);
					if (ext.toHex() === x) {
						decoded = ext.method.section;
						break;
					}
				} catch {
					// another runtime's encoding: try the next registry
				}
			}
			if (decoded === undefined)
				throw new Error(`block #${n}: extrinsic ${x.slice(0, 18)}… decodes with none of the runtimes around it`);
			if (decoded === section) count++;
		}
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
