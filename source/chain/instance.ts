/**
 * Which instance of an embedded chain is behind a connection. Every embedded
 * chain reports frame-system's placeholder genesis hash (0x4545…), so the
 * genesis cannot tell a chain from the same chain reset; each persisted
 * embedded chain carries an instance id made when it was created, served by
 * the `devnet_instance` RPC. Real nodes do not have the method: undefined.
 */
import type { ApiPromise } from '@polkadot/api';

export interface ChainInstance {
	id: string;
	createdAt?: string;
	chain?: string;
}

export async function readChainInstance(api: ApiPromise): Promise<ChainInstance | undefined> {
	try {
		// @polkadot/api decorates only the methods it knows: a node's own methods go through the provider.
		const provider = (api as unknown as { _rpcCore: { provider: { send: (m: string, p: unknown[]) => Promise<unknown> } } })._rpcCore
			.provider;
		const answer = (await provider.send('devnet_instance', [])) as Partial<ChainInstance> | null;
		return answer && typeof answer.id === 'string' ? (answer as ChainInstance) : undefined;
	} catch {
		// Method not found: not an embedded chain (or one without an identity).
		return undefined;
	}
}
