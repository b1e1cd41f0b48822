/**
 * Which embedded chain instance an API is connected to (source/devnet/instance.ts).
 * The embedded chains all report the placeholder genesis `0x4545…`, so the genesis
 * cannot tell a reset chain from the one a release was rehearsed on; their
 * `devnet_instance` RPC can. A chain that does not serve it (a real node) has no
 * instance: `undefined`.
 */
import type { ApiPromise } from '@polkadot/api';
import { type DevnetInstance, INSTANCE_RPC } from '../devnet/instance.js';

export type { DevnetInstance };

interface RawProvider {
	send: (method: string, params: unknown[]) => Promise<unknown>;
}

/** The embedded chain instance behind `api`, or undefined when the chain is not an embedded one. */
export async function embeddedInstance(api: ApiPromise): Promise<DevnetInstance | undefined> {
	const methods = await api.rpc.rpc.methods();
	if (!methods.methods.some((m) => m.toString() === INSTANCE_RPC)) return undefined;
	const provider = (api as unknown as { _rpcCore: { provider: RawProvider } })._rpcCore.provider;
	const answer = (await provider.send(INSTANCE_RPC, [])) as DevnetInstance | null;
	return answer && typeof answer.id === 'string' ? answer : undefined;
}
