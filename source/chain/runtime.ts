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
	const metadataVersions = await liveMetadataVersions(api, info, metadata.version);
	return { metadata, version: info, label: `${label} (${info.specName} ${info.specVersion})`, metadataVersions };
}

/** blake2-64 of "Metadata": the Metadata runtime API's id. */
const METADATA_API = '0x37e397fc7c91f5e4';

/**
 * The metadata versions the chain's runtime offers: `Metadata_metadata_versions` through `state_call`
 * where its Metadata API is v2 or later (the version that has it), else only the version of the metadata
 * the chain gives (`fallback`).
 */
export async function liveMetadataVersions(api: ApiPromise, version: RuntimeVersionInfo, fallback: number): Promise<number[]> {
	const metadataApi = version.apis.find((a) => a.id.toLowerCase() === METADATA_API)?.version ?? 0;
	if (metadataApi < 2) return [fallback];
	const raw = await api.rpc.state.call('Metadata_metadata_versions', '0x');
	const versions = api.createType('Vec<u32>', raw).map((v) => v.toNumber());
	return [...new Set(versions)].sort((a, b) => a - b);
}
