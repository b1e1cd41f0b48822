/**
 * What an embedded chain says about itself, and the one thing the console asks
 * of it: blocks. Real nodes have none of these methods; each reader answers
 * undefined there.
 *
 * - Instance: every embedded chain reports frame-system's placeholder genesis
 *   hash (0x4545…), so the genesis cannot tell a chain from the same chain
 *   reset; each persisted embedded chain carries an instance id made when it
 *   was created, served by `devnet_instance`.
 * - Block mode (`devnet_blockMode`): `interval` (a timer), `instant` (a block
 *   when a transaction arrives, and when asked) or `manual` (only when asked).
 *   On the last two the person sets the pace: nothing is stalled when no block
 *   comes, and `dev_newBlock` fast-forwards.
 */
import type { ApiPromise } from '@polkadot/api';
import { type DevnetInstance, INSTANCE_RPC } from '../devnet/instance.js';

export type ChainInstance = DevnetInstance;

export type BlockMode = 'interval' | 'instant' | 'manual';

type Send = (method: string, params: unknown[]) => Promise<unknown>;

/** @polkadot/api decorates only the methods it knows: a node's own methods (dev_*, devnet_*) go through the provider. */
export function nodeRpc(api: ApiPromise): Send {
	const provider = (api as unknown as { _rpcCore: { provider: { send: Send } } })._rpcCore.provider;
	return (method, params) => provider.send(method, params);
}

export async function readChainInstance(api: ApiPromise): Promise<ChainInstance | undefined> {
	try {
		const answer = (await nodeRpc(api)(INSTANCE_RPC, [])) as Partial<ChainInstance> | null;
		return answer && typeof answer.id === 'string' ? (answer as ChainInstance) : undefined;
	} catch {
		// Method not found: not an embedded chain (or one without an identity).
		return undefined;
	}
}

export async function readBlockMode(api: ApiPromise): Promise<BlockMode | undefined> {
	try {
		const answer = (await nodeRpc(api)('devnet_blockMode', [])) as { mode?: unknown } | null;
		const mode = answer?.mode;
		return mode === 'interval' || mode === 'instant' || mode === 'manual' ? mode : undefined;
	} catch {
		return undefined;
	}
}

/** Build blocks on an embedded chain until the best block is `to` (at least one block). Returns the new best number. */
export async function buildBlocksTo(api: ApiPromise, to: number): Promise<number> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const count = Math.max(1, to - best);
	await nodeRpc(api)('dev_newBlock', [{ count }]);
	return (await api.rpc.chain.getHeader()).number.toNumber();
}
