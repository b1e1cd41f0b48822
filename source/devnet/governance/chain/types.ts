/** The governance devnet chain's data types, constants and the node's RPC error. */
import type { RuntimeVersionJson } from '../metadata.js';
import type { GovernancePeriods } from '../metadata.js';
import { DOLLARS } from '../runtime.js';
import type { Hex } from '../storage.js';
import type { GenericCall } from '@polkadot/types';

export { CODE_KEY } from '../storage.js';
export const BLOCK_TIME_MS = 6000;
export const DEV_ACCOUNTS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
export const ENDOWMENT = 10_000_000n * DOLLARS;
export const IMPL_NAME = 'release-console-governance-devnet';

/** Blocks whose full state is kept (as a node's default `--state-pruning 256`). */
export const DEFAULT_STATE_WINDOW = 256;
/** Blocks whose header and body are kept (at least BlockHashCount, which mortal eras need). */
export const DEFAULT_BLOCK_WINDOW = 4096;

/** A JSON-RPC error with the node's code, message and data. */
export class NodeRpcError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly data?: unknown,
	) {
		super(message);
	}
}

export const invalidTx = (data: string): NodeRpcError => new NodeRpcError(1010, 'Invalid Transaction', data);

export interface RuntimeInfo {
	codeHash: Hex;
	version: RuntimeVersionJson;
	versionHex: Hex;
	metadataHex: Hex;
}

export interface Header {
	parentHash: Hex;
	number: Hex;
	stateRoot: Hex;
	extrinsicsRoot: Hex;
	digest: { logs: Hex[] };
}

export interface BlockData {
	number: number;
	hash: Hex;
	parentHash: Hex;
	header: Header;
	extrinsics: Hex[];
	/** Empty once the block is older than the state window (see `statePruned`). */
	state: Map<string, string>;
	runtime: RuntimeInfo;
	/** Its state was discarded (older than `ChainOptions.stateWindow` blocks): only header and body remain. */
	statePruned?: boolean;
}

export type TxStatus = 'future' | 'ready' | { inBlock: Hex } | { finalized: Hex } | 'invalid' | 'dropped';

export interface ChainOptions {
	periods?: Partial<GovernancePeriods>;
	/** Unix ms of the first block; default: now, rounded down to the block time. */
	startTime?: number;
	/** Keep the state of this many recent blocks (default 256); older state queries fail as on a pruned node. */
	stateWindow?: number;
	/** Keep headers and bodies of this many recent blocks (default 4096, never under BlockHashCount + 2); older ones are forgotten. */
	blockWindow?: number;
	/** The inherents every block starts with (default: the timestamp, as chopsticks' SetTimestamp). */
	inherents?: InherentProvider[];
	/** Resume this kept window (./snapshot.ts) instead of building a genesis; its periods win over `periods`. */
	snapshot?: ChainSnapshot;
}

/** A block the chain failed to build (see GovernanceChain's 'buildFailed' event and `buildFailures`). */
export interface BuildFailure {
	/** The number the block would have had. */
	block: number;
	message: string;
	/** ISO time of the failure. */
	at: string;
}

/** What an inherent provider (chain/inherents.ts) sees of the block it starts. */
export interface InherentContext {
	/** The new block's number and timestamp (unix ms). */
	number: number;
	timestamp: bigint;
	parent: BlockData;
	/** A call built from the metadata, e.g. tx('timestamp', 'set', now). */
	tx(section: string, method: string, ...args: unknown[]): GenericCall;
}

export interface InherentProvider {
	createInherents(ctx: InherentContext): GenericCall[] | Promise<GenericCall[]>;
}

/** The governance devnet's kept window as written to a file (./snapshot.ts). */
export const SNAPSHOT_FORMAT = 'release-console governance devnet snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotBlock {
	number: number;
	hash: Hex;
	parentHash: Hex;
	header: Header;
	extrinsics: Hex[];
	/** The code this block ran (a key of `codes`). */
	codeHash: Hex;
}

/** A state as [key, value] pairs; a `:code` value is written as `code:` + its hash (the code is in `codes`). */
type Pairs = Array<[string, string]>;

export interface ChainSnapshot<I = unknown> {
	format: typeof SNAPSHOT_FORMAT;
	version: typeof SNAPSHOT_VERSION;
	savedAt: string;
	instance: I;
	genesis: Hex;
	periods: GovernancePeriods;
	/** Unix ms of the next block (decimal). */
	nextTimestamp: string;
	codes: Record<string, Hex>;
	/** The block window, oldest first. */
	blocks: SnapshotBlock[];
	/** Number of the oldest block whose state is kept, its state, then each later block's changes. */
	stateFrom: number;
	state: Pairs;
	changes: Array<{ set: Pairs; deleted: string[] }>;
}
