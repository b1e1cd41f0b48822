/** The runtime an environment's chain runs now: metadata and version, for comparisons. */
import type { ApiPromise } from '@polkadot/api';
import type { AgainstRuntime } from '../cli/commands/inspect.js';
import type { RuntimeVersionInfo } from '../artifact/version.js';

export async function liveRuntime(api: ApiPromise, label: string): Promise<AgainstRuntime> {
	const [metadata, version] = await Promise.all([api.rpc.state.getMetadata(), api.rpc.state.getRuntimeVersion()]);
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
	return { metadata: metadata.toU8a(), version: info, label: `${label} (${info.specName} ${info.specVersion})` };
}
