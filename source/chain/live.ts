/**
 * Live chain state from subscriptions (new heads, finalized heads, runtime
 * version). The on-chain code hash is read once at start and again only when
 * the runtime version changes, never polled.
 */
import type { ApiPromise } from '@polkadot/api';
import type { ChainState } from './types.js';
import type { Hex } from '../release/types.js';

export type ChainPatch = Partial<Omit<ChainState, 'connection'>>;

export async function onChainCodeHash(api: ApiPromise, at?: string): Promise<Hex | undefined> {
	const { blake2AsHex } = await import('@polkadot/util-crypto');
	const raw = at ? await api.rpc.state.getStorage(':code', at) : await api.rpc.state.getStorage(':code');
	const bytes = (raw as unknown as { toU8a?: (bare?: boolean) => Uint8Array; isSome?: boolean; unwrap?: () => { toU8a: (b?: boolean) => Uint8Array } });
	// getStorage returns Option<StorageData> on some versions, StorageData on others.
	let u8a: Uint8Array | undefined;
	if (bytes.isSome !== undefined) {
		if (!bytes.isSome) return undefined;
		u8a = bytes.unwrap!().toU8a(true);
	} else {
		u8a = bytes.toU8a!(true);
	}
	if (!u8a || u8a.length === 0) return undefined;
	return blake2AsHex(u8a, 256) as Hex;
}

export async function watchChain(api: ApiPromise, onPatch: (patch: ChainPatch) => void): Promise<() => void> {
	const unsubs: Array<() => void> = [];
	let stopped = false;
	const [chainName, nodeName] = await Promise.all([api.rpc.system.chain(), api.rpc.system.name()]);
	onPatch({
		chainName: chainName.toString(),
		simulated: /simulation/i.test(nodeName.toString()),
		genesisHash: api.genesisHash.toHex() as Hex,
	});
	unsubs.push(
		await api.rpc.chain.subscribeNewHeads((header) => {
			onPatch({ bestNumber: header.number.toNumber(), lastBlockAt: Date.now() });
		}),
	);
	unsubs.push(
		await api.rpc.chain.subscribeFinalizedHeads((header) => {
			onPatch({ finalizedNumber: header.number.toNumber() });
		}),
	);
	unsubs.push(
		await api.rpc.state.subscribeRuntimeVersion((version) => {
			onPatch({
				specName: version.specName.toString(),
				specVersion: version.specVersion.toNumber(),
				transactionVersion: version.transactionVersion.toNumber(),
			});
			onChainCodeHash(api)
				.then((codeHash) => {
					if (!stopped) onPatch({ codeHash });
				})
				.catch(() => {});
		}),
	);
	return () => {
		stopped = true;
		for (const unsub of unsubs) {
			try {
				unsub();
			} catch {
				// the connection may already be gone
			}
		}
	};
}
