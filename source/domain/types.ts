/**
 * The release domain: plain data, no I/O. Everything here is JSON-serialisable
 * so that the store can persist it as is and `status --json` can print it.
 */

import type { AlignmentAction, ReleaseAlignment } from './alignment-types.js';

export type { EnvironmentKind, GateId, Hex } from './primitives.js';
import type { EnvironmentKind, GateId, Hex } from './primitives.js';

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

/**
 * How an environment's upgrade is decided. `parachain`: the relay chain's Root authorizes the
 * parachain's code hash (an XCM Transact from the relay), anyone applies the code on the
 * parachain, and the relay's go-ahead makes it take effect (engine/routes/parachain.ts).
 */
export type RouteKind = 'sudo' | 'multisig-sudo' | 'council-democracy' | 'opengov' | 'parachain';
/** Built-in embedded chain identifiers usable as endpoints. */
export const EMBEDDED_ROCOCO = 'embedded:rococo';
/** The governance devnet (a simulation): council, democracy, OpenGov, multisig, sudo. */
export const EMBEDDED_GOVERNANCE = 'embedded:governance';
/** The real genesis runtimes of Kusama (1020) and Polkadot (0), governance members replaced for rehearsal (in memory only). */
export const EMBEDDED_KUSAMA_1020 = 'embedded:kusama-1020';
export const EMBEDDED_POLKADOT_0 = 'embedded:polkadot-0';
/** The embedded Rococo network: the relay, and statemine 900 as its para 1000 (one process, source/devnet/network.ts). */
export const EMBEDDED_ROCOCO_NETWORK = 'embedded:rococo-network';
export const EMBEDDED_ASSET_HUB = 'embedded:asset-hub-rococo';
export const EMBEDDED_ENDPOINTS: readonly string[] = [
	EMBEDDED_ROCOCO,
	EMBEDDED_GOVERNANCE,
	EMBEDDED_KUSAMA_1020,
	EMBEDDED_POLKADOT_0,
	EMBEDDED_ROCOCO_NETWORK,
	EMBEDDED_ASSET_HUB,
];

export interface SoakPolicy {
	/** Blocks that must be produced after the upgrade block. */
	minBlocks: number;
	/** Seconds that must pass after the upgrade block. */
	minSeconds: number;
	/** A gap between two blocks longer than this is a stall and fails the soak. */
	maxStallSeconds: number;
}

/**
 * What the governance decides on: `set-code` puts the whole wasm in the
 * preimage; `authorize` puts only `authorizeUpgrade(code_hash)` there, and the
 * code is applied afterwards by anyone (hash first, code later).
 */
export type PayloadKind = 'set-code' | 'authorize';

/** Route settings beyond the route's name; every field has a default. */
export interface RouteOptions {
	/** Default `set-code`. */
	payload?: PayloadKind;
	/** council-democracy: which external proposal the council makes (default `majority`). */
	external?: 'majority' | 'default' | 'plain';
	/** council-democracy: the technical committee's fast-track, in blocks (default: the chain's FastTrackVotingPeriod and 1 block delay). */
	fastTrackVotingPeriod?: number;
	fastTrackDelay?: number;
	/** opengov: `root` (default) or through the Whitelist (`whitelisted`). */
	track?: 'root' | 'whitelisted';
	/** opengov: enactment delay after approval, in blocks (default 1). */
	enactmentDelay?: number;
	/** multisig-sudo: the signatories (SS58 addresses) and threshold of the multisig that is the sudo key. */
	multisig?: { signatories: string[]; threshold: number };
	/** Referendum votes: conviction (default Locked1x) and the share of free balance voted, in percent (default 50). */
	conviction?: 'None' | 'Locked1x' | 'Locked2x' | 'Locked3x' | 'Locked4x' | 'Locked5x' | 'Locked6x';
	votePercent?: number;
}

export interface Environment {
	name: string;
	/** Tried in order; `embedded:rococo` starts the embedded Rococo chain. */
	endpoints: string[];
	kind: EnvironmentKind;
	route: RouteKind;
	routeOptions?: RouteOptions;
	/** Pinned on first successful connect; a different genesis afterwards is refused. */
	genesisHash?: Hex;
	soak: SoakPolicy;
	/** A parachain environment (route `parachain`): its relay chain's environment and its para id there. */
	parachain?: { relay: string; paraId: number };
}

export type StageId =
	| 'artifact'
	| 'authorize'
	| 'preimage'
	| 'upgrade'
	| 'multisig'
	| 'council'
	| 'fast-track'
	| 'whitelist'
	| 'referendum'
	| 'enactment'
	| 'apply'
	| 'pending'
	| 'verify'
	| 'soak';

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
	/**
	 * Signed elsewhere (an air-gapped signer, Polkadot Vault): what was handed out to sign.
	 * Until `signature` comes back the intent was never sent and has no extrinsic hash.
	 */
	awaiting?: AwaitingSignature;
	/** The signature that came back for `awaiting` (MultiSignature bytes), once it has. */
	signature?: Hex;
	outcome?: IntentOutcome;
}

/** A signing payload handed to a signer outside this process. */
export interface AwaitingSignature {
	/** The signer payload as polkadot-js describes it (SignerPayloadJSON): method, era, nonce, tip, versions, extensions. */
	payload: Record<string, unknown>;
	/** The exact bytes the signer signs: the extrinsic payload, or its blake2-256 when longer than 256 bytes. */
	signingPayload: Hex;
	/** The extrinsic payload itself (Vault decodes and shows it). */
	extrinsicPayload: Hex;
	/** The first block at which the signed extrinsic is no longer valid (its era ends). */
	expiresAt: number;
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
	/** What the governance route found or did on chain (indexes, hashes, blocks): the on-chain trail. */
	gov?: GovProgress;
	/** The chain this progress was made on, and the last check that it still shows it (engine/agreement.ts). */
	chain?: ChainRecord;
	/** Earlier progress the chain no longer shows (an embedded chain reset), kept whole: nothing recorded is dropped. */
	superseded?: SupersededProgress[];
}

/** A fact the release recorded that the chain, as read now, does not show. */
export interface ChainDifference {
	kind: 'instance' | 'block' | 'code' | 'spec';
	message: string;
}

export interface ChainRecord {
	/** An embedded chain's instance id (`devnet_instance`): a reset makes a new one, the genesis hash stays the same. */
	instance?: string;
	lastCheck?: { at: string; agrees: boolean; head: number; differences: ChainDifference[] };
}

export interface SupersededProgress {
	at: string;
	differences: ChainDifference[];
	progress: Omit<EnvProgress, 'superseded'>;
}

/** The on-chain trail of a governance route; every field is re-read from chain before it is trusted. */
export interface GovProgress {
	payload?: PayloadKind;
	/** blake2-256 of the runtime call the governance decides on (the preimage). */
	preimage?: { hash: Hex; len: number; call: string; notedAt?: number };
	council?: { index: number; hash: Hex; threshold: number; closedAt?: number };
	fastTrack?: { index: number; hash: Hex; threshold: number; closedAt?: number };
	whitelist?: { callHash: Hex; referendum?: number; whitelistedAt?: number };
	/** `end` and `delay` as the ongoing referendum showed them (a 2019 Democracy forgets a referendum once baked). */
	referendum?: { index: number; kind: 'democracy' | 'referenda'; approvedAt?: number; end?: number; delay?: number };
	multisig?: { address: string; callHash: Hex; threshold: number; timepoint?: { height: number; index: number } };
	enactment?: { scheduledAt?: number; blockNumber?: number };
	authorized?: { blockNumber: number; codeHash: Hex };
	/** A parachain's upgrade as the parachain and its relay showed it. */
	para?: ParaProgress;
}

export interface ParaProgress {
	/** The relay block whose extrinsic sent the authorization (xcmPallet.Sent), the relay environment, and the para's best block then. */
	sent?: { relayEnv: string; blockNumber: number; extrinsicHash?: Hex; paraBlock?: number };
	/** The parachain block with UpgradeAuthorized for this code hash. */
	authorizedAt?: number;
	/** The parachain block with ValidationFunctionStored (the code is pending). */
	storedAt?: number;
	/** The parachain block with ValidationFunctionApplied, and the relay block it names. */
	appliedAt?: number;
	relayBlock?: number;
}

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
	/** The runtime of the release's first chain (and of every environment without its own in `runtimes`). */
	artifact: ArtifactInfo;
	/**
	 * A release of several runtimes ("ship as a set"): the runtime each environment upgrades to, by
	 * environment name; absent for an environment that takes `artifact`. Read it through domain/release.ts `artifactFor`.
	 */
	runtimes?: Record<string, ArtifactInfo>;
	/** Environment names, in the order the release travels them. */
	environments: string[];
	progress: Record<string, EnvProgress>;
	gates: GateResult[];
	/** Append-only. */
	audit: AuditEntry[];
	// --- alignment (issue 6): notes, stakeholder groups, sign-offs, recovery plan (see alignment-types.ts) ---
	alignment?: ReleaseAlignment;
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
	| { type: 'intent/signed'; env: string; intentId: string; signature: Hex; extrinsicHash: Hex; at: string }
	| { type: 'upgrade/included'; env: string; record: UpgradeRecord; at: string }
	| { type: 'verify/done'; env: string; specVersion: number; codeHash: Hex; blockNumber: number; at: string }
	| { type: 'soak/update'; env: string; soak: SoakProgress; at: string }
	| { type: 'gov/record'; env: string; patch: Partial<GovProgress>; detail: string; at: string }
	| { type: 'gate/set'; gate: Omit<GateResult, 'waiver'>; at: string }
	| { type: 'gate/waive'; env: string; gate: GateId; reason: string; at: string }
	| { type: 'audit'; entry: AuditEntry }
	/** The chain was read against what this env's progress recorded. */
	| { type: 'chain/checked'; env: string; instance?: string; head: number; differences: ChainDifference[]; at: string }
	/** The chain no longer shows this env's progress (an embedded chain was reset): start the env again, keeping the old record. */
	| { type: 'chain/rederive'; env: string; differences: ChainDifference[]; at: string }
	// alignment (issue 6): handled by alignment-reducer.ts
	| AlignmentAction;
