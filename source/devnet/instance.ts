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
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** The embedded chains whose state is kept across restarts. */
export type PersistentChainName = 'rococo' | 'governance';
/** The real genesis runtimes of Kusama and Polkadot (./genesis-chains.ts), in memory only. */
export type GenesisChainName = 'kusama-1020' | 'polkadot-0';
export type EmbeddedChainName = PersistentChainName | GenesisChainName;
export const GENESIS_CHAINS: readonly GenesisChainName[] = ['kusama-1020', 'polkadot-0'];
export const EMBEDDED_CHAINS: readonly EmbeddedChainName[] = ['rococo', 'governance', ...GENESIS_CHAINS];

export const INSTANCE_RPC = 'devnet_instance';

export interface DevnetInstance {
	/** Random, fixed when the chain instance was created (its genesis on this machine). */
	id: string;
	/** ISO time the instance was created. */
	createdAt: string;
	chain: EmbeddedChainName;
	/** Its blocks and state are kept on disk (a restart resumes it); false: in memory only. */
	persistent: boolean;
}

export function newInstance(chain: EmbeddedChainName, persistent: boolean): DevnetInstance {
	return { id: randomUUID(), createdAt: new Date().toISOString(), chain, persistent };
}

export function isEmbeddedChainName(name: string): name is EmbeddedChainName {
	return (EMBEDDED_CHAINS as readonly string[]).includes(name);
}

export function isGenesisChainName(name: string): name is GenesisChainName {
	return (GENESIS_CHAINS as readonly string[]).includes(name);
}

/** The file holding a chain's persisted state in `dataDir`. */
export function dataFile(dataDir: string, chain: PersistentChainName): string {
	return path.join(dataDir, chain === 'rococo' ? 'devnet-rococo.sqlite' : 'devnet-governance.snapshot.json');
}

/** Every file of a chain's persisted state (what `devnet reset` deletes). */
export function dataFiles(dataDir: string, chain: EmbeddedChainName): string[] {
	if (isGenesisChainName(chain)) return [];
	const main = dataFile(dataDir, chain);
	return chain === 'rococo' ? [main, `${main}-wal`, `${main}-shm`, `${main}-journal`] : [main];
}
