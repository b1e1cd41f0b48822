/**
 * The release domain: plain data, no I/O. Everything here is JSON-serialisable
 * so that the store can persist it as is and `status --json` can print it.
 */

export type Hex = `0x${string}`;

/** What the artifact stage learned from the wasm file. */
export interface ArtifactInfo {
	/** Absolute path of the wasm as given when the release was created. */
	path: string;
	/** Bytes on disk (compressed size when the file is zstd-compressed). */
	size: number;
	/** Bytes after decompression (equal to size for a raw wasm). */
	uncompressedSize: number;
	compressed: boolean;
	/** blake2-256 of the file's bytes as they would be put in `:code`. */
	codeHash: Hex;
	specName: string;
	implName?: string;
	specVersion: number;
	implVersion?: number;
	transactionVersion: number;
	stateVersion?: number;
}

export type EnvironmentKind = 'local' | 'testnet' | 'production';
export type RouteKind = 'sudo' | 'multisig-sudo' | 'council-democracy' | 'opengov';
/** Built-in embedded chain identifiers usable as endpoints. */
export const EMBEDDED_ROCOCO = 'embedded:rococo';

export interface SoakPolicy {
	/** Blocks that must be produced after the upgrade block. */
	minBlocks: number;
	/** Seconds that must pass after the upgrade block. */
	minSeconds: number;
	/** A gap between two blocks longer than this is a stall and fails the soak. */
	maxStallSeconds: number;
}

export interface Environment {
	name: string;
	/** Tried in order; `embedded:rococo` starts the embedded Rococo chain. */
	endpoints: string[];
	kind: EnvironmentKind;
	route: RouteKind;
	/** Pinned on first successful connect; a different genesis afterwards is refused. */
	genesisHash?: Hex;
	soak: SoakPolicy;
}

export type StageId = 'artifact' | 'upgrade' | 'verify' | 'soak';

export type StageStatus = 'pending' | 'active' | 'waiting' | 'done' | 'failed';

export interface StageProgress {
	id: StageId;
	status: StageStatus;
	/** One line for the checklist: why it waits, why it failed, what it found. */
	detail?: string;
	updatedAt?: string;
}

/** Write-ahead record of an extrinsic, made before it is sent. */
export interface Intent {
	id: string;
	env: string;
	stage: StageId;
	/** e.g. "sudo.sudoUncheckedWeight(system.setCode)" */
	call: string;
	/** blake2-256 of the encoded call (not of the extrinsic). */
	callHash: Hex;
	signer: string;
	nonce: number;
	/** Hash of the signed extrinsic, known before sending. */
	extrinsicHash?: Hex;
	/** Mortality: the extrinsic is valid from this block for `mortalPeriod` blocks. */
	mortalFrom?: number;
	mortalPeriod?: number;
	createdAt: string;
	outcome?: IntentOutcome;
}

export interface IntentOutcome {
	status: 'included' | 'failed' | 'dropped';
	blockNumber?: number;
	blockHash?: Hex;
	extrinsicHash?: Hex;
	error?: string;
	at: string;
}

export interface UpgradeRecord {
	blockNumber: number;
	blockHash: Hex;
	extrinsicHash: Hex;
	/** Wall time of the upgrade block (its timestamp when known). */
	at: string;
	fromSpecVersion: number;
	toSpecVersion: number;
}

export interface SoakProgress {
	startBlock: number;
	startedAt: string;
	lastBlock: number;
	lastBlockAt: string;
	longestStallSeconds: number;
}

export interface EnvProgress {
	env: string;
	/** Route the stage list was built for (set by `createRelease`; absent in older records, read as `sudo`). */
	route?: RouteKind;
	stages: StageProgress[];
	intents: Intent[];
	upgrade?: UpgradeRecord;
	verified?: { specVersion: number; codeHash: Hex; blockNumber: number; at: string };
	soak?: SoakProgress;
}

export type GateId =
	| 'spec-name'
	| 'spec-version'
	| 'artifact-integrity'
	| 'forward-compatible'
	| 'soak';

export type GateStatus = 'pending' | 'pass' | 'fail' | 'waived';

export interface GateResult {
	id: GateId;
	env: string;
	status: GateStatus;
	summary: string;
	evidence?: Record<string, unknown>;
	waiver?: { reason: string; at: string };
	checkedAt: string;
}

export interface AuditEntry {
	at: string;
	env?: string;
	action: string;
	detail: string;
	blockNumber?: number;
	blockHash?: Hex;
	extrinsicHash?: Hex;
}

export interface Release {
	id: string;
	name: string;
	createdAt: string;
	updatedAt: string;
	artifact: ArtifactInfo;
	/** Environment names, in the order the release travels them. */
	environments: string[];
	progress: Record<string, EnvProgress>;
	gates: GateResult[];
	/** Append-only. */
	audit: AuditEntry[];
}

/** Everything the reducer accepts. `at` is passed in so the reducer stays pure. */
export type ReleaseAction =
	| {
			type: 'stage/set';
			env: string;
			stage: StageId;
			status: StageStatus;
			detail?: string;
			at: string;
			/** Only used when the env has no progress yet, to pick its stage list (default `sudo`). */
			route?: RouteKind;
	  }
	| { type: 'intent/record'; intent: Intent; at: string }
	| { type: 'intent/outcome'; env: string; intentId: string; outcome: IntentOutcome; at: string }
	| { type: 'upgrade/included'; env: string; record: UpgradeRecord; at: string }
	| { type: 'verify/done'; env: string; specVersion: number; codeHash: Hex; blockNumber: number; at: string }
	| { type: 'soak/update'; env: string; soak: SoakProgress; at: string }
	| { type: 'gate/set'; gate: Omit<GateResult, 'waiver'>; at: string }
	| { type: 'gate/waive'; env: string; gate: GateId; reason: string; at: string }
	| { type: 'audit'; entry: AuditEntry };
