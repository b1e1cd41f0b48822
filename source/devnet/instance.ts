/**
 * Which embedded chain this is, and where it keeps its state.
 *
 * Both embedded chains report the same placeholder genesis hash (frame-system's
 * hash69, `0x4545…`), so a genesis pin cannot tell one embedded chain instance
 * from another. Each instance therefore gets an identity when it is created: a
 * random id and its creation time, kept with the chain's persisted state (so a
 * restart that resumes the chain keeps it, and `devnet reset` or a lost store
 * gives a new one). Both embedded chains serve it over JSON-RPC as
 * `devnet_instance` → `{ id, createdAt, chain, persistent }`; the daemon state
 * file repeats it. source/chain/embedded.ts reads it through @polkadot/api.
 *
 * Persisted state, in the store directory (the background mode passes it as
 * `--data-dir`): `devnet-rococo.sqlite` (chopsticks' SQLite database:
 * blocks with their storage diffs; plus its `-wal`/`-shm` files) and
 * `devnet-governance.snapshot.json` (the governance devnet's kept window).
 * The genesis chains (`kusama-1020`, `polkadot-0`: ./genesis-chains.ts) keep
 * no state: they run in memory and start at genesis each time.
 *
 * A network (`rococo-network`: ./network.ts) is one devnet process serving
 * several chains, each on its own endpoint: its relay under the network's own
 * name and its parachains under theirs (`asset-hub-rococo`). Each chain answers
 * `devnet_instance` with its own instance (its own chain name and id). In
 * memory only, like the genesis chains.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** The embedded chains whose state is kept across restarts. */
export type PersistentChainName = 'rococo' | 'governance';
/** The real genesis runtimes of Kusama and Polkadot (./genesis-chains.ts), in memory only. */
export type GenesisChainName = 'kusama-1020' | 'polkadot-0';
/** A relay and its parachains in one process (./network.ts), in memory only; the name is also its relay's. */
export type NetworkName = 'rococo-network';
/** The embedded chains a devnet process runs (`devnet --chain NAME`, one state file each). */
export type EmbeddedChainName = PersistentChainName | GenesisChainName | NetworkName;
/** A parachain served by a network's process beside its relay. */
export type NetworkParaName = 'asset-hub-rococo';
/** Every chain an `embedded:NAME` endpoint can name: the embedded chains and the parachains of the networks. */
export type ServedChainName = EmbeddedChainName | NetworkParaName;
export const GENESIS_CHAINS: readonly GenesisChainName[] = ['kusama-1020', 'polkadot-0'];
export const NETWORKS: readonly NetworkName[] = ['rococo-network'];
export const EMBEDDED_CHAINS: readonly EmbeddedChainName[] = ['rococo', 'governance', ...GENESIS_CHAINS, ...NETWORKS];

/** The parachains each network serves beside its relay: name, para id, and the network's process that serves it. */
export const NETWORK_PARAS: Readonly<Record<NetworkParaName, { network: NetworkName; paraId: number }>> = {
	'asset-hub-rococo': { network: 'rococo-network', paraId: 1000 },
};

export const INSTANCE_RPC = 'devnet_instance';

export interface DevnetInstance {
	/** Random, fixed when the chain instance was created (its genesis on this machine). */
	id: string;
	/** ISO time the instance was created. */
	createdAt: string;
	chain: ServedChainName;
	/** Its blocks and state are kept on disk (a restart resumes it); false: in memory only. */
	persistent: boolean;
}

export function newInstance(chain: ServedChainName, persistent: boolean): DevnetInstance {
	return { id: randomUUID(), createdAt: new Date().toISOString(), chain, persistent };
}

export function isEmbeddedChainName(name: string): name is EmbeddedChainName {
	return (EMBEDDED_CHAINS as readonly string[]).includes(name);
}

export function isGenesisChainName(name: string): name is GenesisChainName {
	return (GENESIS_CHAINS as readonly string[]).includes(name);
}

export function isNetworkName(name: string): name is NetworkName {
	return (NETWORKS as readonly string[]).includes(name);
}

export function isNetworkParaName(name: string): name is NetworkParaName {
	return Object.hasOwn(NETWORK_PARAS, name);
}

/** The chain `embedded:NAME` names and the embedded chain (process) that serves it; undefined for an unknown name. */
export function servingChain(name: string): { served: ServedChainName; process: EmbeddedChainName } | undefined {
	if (isEmbeddedChainName(name)) return { served: name, process: name };
	if (isNetworkParaName(name)) return { served: name, process: NETWORK_PARAS[name].network };
	return undefined;
}

/** Every name an `embedded:NAME` endpoint may use. */
export function servedChainNames(): ServedChainName[] {
	return [...EMBEDDED_CHAINS, ...(Object.keys(NETWORK_PARAS) as NetworkParaName[])];
}

/** Its state lives only in the process: the next start is at genesis. */
/**
 * Whether the console leaves this chain running when it closes a screen or quits: the embedded network
 * keeps its chains in memory only, so stopping it would lose a release's progress on it (`devnet stop`
 * stops it). Every other embedded chain keeps its state on disk and is stopped by whoever started it.
 */
export function outlivesTheConsole(name: string): boolean {
	return isNetworkName(servingChain(name)?.process ?? name);
}

export function isInMemoryChain(name: EmbeddedChainName): boolean {
	return isGenesisChainName(name) || isNetworkName(name);
}

/** The file holding a chain's persisted state in `dataDir`. */
export function dataFile(dataDir: string, chain: PersistentChainName): string {
	return path.join(dataDir, chain === 'rococo' ? 'devnet-rococo.sqlite' : 'devnet-governance.snapshot.json');
}

/** Every file of a chain's persisted state (what `devnet reset` deletes). */
export function dataFiles(dataDir: string, chain: EmbeddedChainName): string[] {
	if (isGenesisChainName(chain) || isNetworkName(chain)) return [];
	const main = dataFile(dataDir, chain);
	return chain === 'rococo' ? [main, `${main}-wal`, `${main}-shm`, `${main}-journal`] : [main];
}
