/** The runtime an environment's chain runs now: metadata and version, for comparisons. */
import type { ApiPromise } from '@polkadot/api';
import type { AgainstRuntime } from '../artifact/inspect.js';
import type { RuntimeVersionInfo } from '../artifact/version.js';

/**
 * The chain's runtime as the API already holds it: the metadata it decoded on
 * connecting (and again after each runtime upgrade it saw) is reused, not
 * fetched and decoded a second time. Only when the chain's version is not the
 * one the API's metadata belongs to (an upgrade the API has not caught up with
 * yet) is the metadata fetched.
 */
export async function liveRuntime(api: ApiPromise, label: string): Promise<AgainstRuntime> {
	const version = await api.rpc.state.getRuntimeVersion();
	const current = version.specVersion.eq(api.runtimeVersion.specVersion) && version.specName.eq(api.runtimeVersion.specName);
	const metadata = current ? api.runtimeMetadata : await api.rpc.state.getMetadata();
	const info: RuntimeVersionInfo = {
		specName: version.specName.toString(),
		implName: version.implName.toString(),
		authoringVersion: version.authoringVersion.toNumber(),
		specVersion: version.specVersion.toNumber(),
		implVersion: version.implVersion.toNumber(),
		transactionVersion: version.transactionVersion.toNumber(),
		stateVersion: (version as unknown as { stateVersion?: { toNumber: () => number } }).stateVersion?.toNumber(),
		apis: version.apis.map(([id, v]) => ({ id: id.toHex(), version: v.toNumber() })),
		source: 'chain',
	};
	return { metadata, version: info, label: `${label} (${info.specName} ${info.specVersion})` };
}
