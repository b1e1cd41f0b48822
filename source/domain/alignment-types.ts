/**
 * Alignment: release notes, stakeholder groups and their signed sign-offs,
 * the recovery plan and the requirements of each environment of the release
 * train. Plain JSON data, no I/O; stored in `Release.alignment`.
 */
import type { EnvironmentKind, GateId, Hex } from './primitives.js';

export type SignoffDecision = 'approve' | 'reject';
export type SignoffCryptoType = 'sr25519' | 'ed25519';

/** A sign-off blob as printed by `release-console signoff` and imported by the release engineer. */
export interface Signoff {
	format: 'release-console/signoff@1';
	/** Informational: the manifest's release and environment (the digest binds them). */
	releaseId: string;
	env: string;
	group: string;
	/** SS58 address of the signer. */
	signer: string;
	/** 0x hex public key (32 bytes). */
	publicKey: string;
	cryptoType: SignoffCryptoType;
	decision: SignoffDecision;
	/** Required for a rejection. */
	reason?: string;
	/** manifestDigest of the manifest signed. */
	digest: string;
	/** 0x hex signature over `signoffMessage(...)`. */
	signature: string;
	signedAt: string;
}

export interface StakeholderMember {
	/** SS58 address as configured. */
	address: string;
	/** 0x hex public key decoded from the address. */
	publicKey: string;
	/** A role, e.g. "QA lead" (no names of people). */
	role?: string;
}

export interface StakeholderGroup {
	/** e.g. "release-engineers", "qa", "security". */
	name: string;
	members: StakeholderMember[];
	/** How many distinct members must approve. */
	threshold: number;
	/** Gates this group is responsible for (shown beside them; e.g. QA owns `soak`). */
	owns?: GateId[];
}

/** Per environment of the release: who signs off the promotion to it, and what it requires. */
export interface EnvAlignmentConfig {
	/** The environment's kind when configured (signed in the manifest: dev keys cannot sign off a production manifest). */
	kind?: EnvironmentKind;
	groups?: StakeholderGroup[];
	/** Gates that must pass (or be waived) before the release is promoted to this environment. Defaults from the environment kind. */
	requires?: GateId[];
}

export type NoteGroup = 'runtime' | 'pallets' | 'node' | 'other';

export interface NoteCommit {
	sha: string;
	subject: string;
	/** Pull request number from a merge commit or a "(#123)" suffix. */
	pr?: number;
	/** Conventional-commit type (feat, fix, …) when the subject has one. */
	type?: string;
	scope?: string;
	breaking?: boolean;
	group: NoteGroup;
	files?: string[];
}

export interface ReleaseNotes {
	/** Where the notes came from (a path; no credentials). */
	repo: string;
	/** GitHub "owner/name" when the origin remote is on GitHub (for PR links). */
	github?: string;
	branch: string;
	/** The ref that proved reachability (e.g. refs/remotes/origin/main), when it did. */
	branchRef?: string;
	fromCommit: string;
	releaseCommit: string;
	onBranch: boolean;
	commits: NoteCommit[];
	/** blake2-256 of the canonical JSON of {fromCommit, releaseCommit, commits}. */
	digest: string;
	collectedAt: string;
	/** What was not done (e.g. GitHub enrichment without GITHUB_TOKEN). */
	remarks?: string[];
	/** From GitHub when GITHUB_TOKEN is set (descriptive: not part of the digest). */
	pullRequests?: Record<string, { title: string; state: string; merged: boolean; url: string }>;
	releaseChecks?: { state: 'success' | 'failure' | 'pending' | 'none'; total: number; failing: string[]; pending: string[] };
}

export interface RecoveryPlan {
	env: string;
	capturedAt: string;
	/** Block at which the current (to be replaced) runtime was read. */
	blockNumber: number;
	blockHash: Hex;
	previousCodeHash: Hex;
	previousSpecName: string;
	previousSpecVersion: number;
	/** Size of the previous code in bytes (the code itself is not stored). */
	previousCodeSize: number;
	/** Chain-spec entry: `"codeSubstitutes": { "<block number>": "<previous code hex>" }` — the hex comes from `codeSource`. */
	codeSubstitute: { blockNumber: number; blockHash: Hex; codeHash: Hex; codeSource: string };
	/** For a parachain: the relay-chain call that forces the previous code back. */
	parachain?: { paraId: number; relayCall: string };
	/** What a node operator does, step by step. */
	steps: string[];
}

export interface ReleaseAlignment {
	envs?: Record<string, EnvAlignmentConfig>;
	signoffs?: Signoff[];
	notes?: ReleaseNotes;
	srtoolDigest?: string;
	recovery?: Record<string, RecoveryPlan>;
}

export type AlignmentAction =
	| { type: 'alignment/configure'; env: string; config: EnvAlignmentConfig; at: string }
	| { type: 'alignment/signoff'; signoff: Signoff; at: string }
	| { type: 'alignment/notes'; notes: ReleaseNotes; at: string }
	| { type: 'alignment/srtool'; digest: string; at: string }
	| { type: 'alignment/recovery'; plan: RecoveryPlan; at: string };
