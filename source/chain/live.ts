/**
 * Live chain state from subscriptions (new heads, finalized heads, runtime
 * version). The on-chain code hash is read once at start and again only when
 * the runtime version changes, never polled.
 */
import type { ApiPromise } from '@polkadot/api';
import type { ChainState } from './types.js';
import type { Hex } from '../domain/types.js';
import { trustOf } from './connect.js';
import { CODE_KEY } from '../domain/primitives.js';

export type ChainPatch = Partial<Omit<ChainState, 'connection'>>;

/**
 * The raw bytes of a `state_getStorage` answer: @polkadot/api gives an
 * Option<StorageData> for some keys and a bare StorageData for others.
 */
export function storageBytes(raw: unknown): Uint8Array | undefined {
	const value = raw as {
		isSome?: boolean;
		unwrap?: () => { toU8a: (bare?: boolean) => Uint8Array };
		toU8a: (bare?: boolean) => Uint8Array;
	};
	if (value.isSome === undefined) return value.toU8a(true);
	return value.isSome ? value.unwrap!().toU8a(true) : undefined;
}

export async function onChainCodeHash(api: ApiPromise, at?: string): Promise<Hex | undefined> {
	const { blake2AsHex } = await import('@polkadot/util-crypto');
	const u8a = storageBytes(at ? await api.rpc.state.getStorage(CODE_KEY, at) : await api.rpc.state.getStorage(CODE_KEY));
	if (!u8a || u8a.length === 0) return undefined;
	return blake2AsHex(u8a, 256) as Hex;
}

/**
 * Does the chain run this code? The runtime version is asked first (a few
 * bytes): only when it reports the artifact's spec version is `:code` (about a
 * megabyte) read and hashed. Steps that run on every block use this.
 */
export async function chainRunsCode(api: ApiPromise, codeHash: Hex, specVersion: number): Promise<boolean> {
	const version = await api.rpc.state.getRuntimeVersion();
	if (version.specVersion.toNumber() !== specVersion) return false;
	return (await onChainCodeHash(api)) === codeHash;
}

/**
 * Subscriptions survive reconnects (the provider re-sends them). After a
 * reconnect, patches are held until connect.ts has confirmed the endpoint
 * still serves the same chain (same genesis), and dropped if it does not.
 */
export async function watchChain(api: ApiPromise, deliver: (patch: ChainPatch) => void): Promise<() => void> {
	const unsubs: Array<() => void> = [];
	let stopped = false;
	const trust = trustOf(api);
	let held: ChainPatch | undefined;
	const onPatch = (patch: ChainPatch) => {
		const state = trust?.state ?? 'trusted';
		if (state === 'trusted') deliver(patch);
		else if (state === 'checking') held = { ...held, ...patch };
	};
	if (trust) {
		unsubs.push(
			trust.subscribe((state) => {
				const pending = held;
				held = undefined;
				if (state === 'trusted' && pending && !stopped) deliver(pending);
			}),
		);
	}
	const [chainName, nodeName] = await Promise.all([api.rpc.system.chain(), api.rpc.system.name()]);
	onPatch({
		chainName: chainName.toString(),
		simulated: /simulation/i.test(nodeName.toString()),
		rehearsalGenesis: /real genesis runtime .*governance members replaced/i.test(nodeName.toString()),
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
