import type { ApiPromise } from '@polkadot/api';

/** How many extrinsics of a pallet the chain holds, over every block: "exactly one on chain" checks. */
export async function countExtrinsicsOnChain(api: ApiPromise, section: string): Promise<number> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	let count = 0;
	for (let n = 1; n <= best; n++) {
		const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
		count += block.block.extrinsics.filter((x) => x.method.section === section).length;
	}
	return count;
}
