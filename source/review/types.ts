/**
 * Review mode: the data a reviewer sees. Plain, JSON-serialisable (bigints
 * are carried as decimal strings), no I/O.
 *
 * Two hashes are kept apart everywhere:
 *   - a CODE hash is blake2-256 of the runtime wasm bytes (what `:code` holds,
 *     what `system.authorizeUpgrade` takes);
 *   - a CALL hash is blake2-256 of an encoded call (what a motion, a preimage
 *     or a whitelist entry is keyed by).
 */
import type { Hex } from '../domain/types.js';
import type { RehearsalReport } from '../engine/rehearsal.js';

export type Collective = 'council' | 'technicalCommittee' | 'collective';
export type ReferendumPallet = 'democracy' | 'referenda';

/** What the reviewer asked to check. */
export type ReviewTarget =
	| { kind: 'motion'; collective?: Collective; hash?: Hex; index?: number }
	| { kind: 'referendum'; pallet?: ReferendumPallet; index: number }
	/** Democracy's NextExternal: the external proposal waiting to be tabled or fast-tracked. */
	| { kind: 'external' }
	| { kind: 'preimage'; hash: Hex }
	/** A pending pallet-multisig operation, by the hash of the call it dispatches (what its signatories approve). */
	| { kind: 'multisig'; hash: Hex }
	/** Call data before it is on chain (`--call FILE|0xHEX`): what a proposal builder wrote, reviewed the same way. */
	| { kind: 'call'; bytes: Uint8Array; source: string };

export type UpgradeKind =
	| 'system.setCode'
	| 'system.setCodeWithoutChecks'
	| 'system.applyAuthorizedUpgrade'
	| 'system.authorizeUpgrade'
	| 'system.authorizeUpgradeWithoutChecks'
	| 'parachainSystem.authorizeUpgrade'
	| 'parachainSystem.enactAuthorizedUpgrade';

/** A runtime upgrade found inside the proposal. */
export interface UpgradeFinding {
	kind: UpgradeKind;
	/** True when the call carries the code itself (setCode); false when only its hash (authorizeUpgrade). */
	carriesCode: boolean;
	/** blake2-256 of the code bytes (computed for setCode, read for authorizeUpgrade). */
	codeHash: Hex;
	/** Bytes of the code, when the call carries it. */
	codeLength?: number;
	/** blake2-256 of the encoded upgrade call itself (not of the code). */
	callHash: Hex;
	/** parachainSystem.authorizeUpgrade's check_version. */
	checkVersion?: boolean;
	/** The chain it upgrades when not the reviewed one (through an XCM Transact), e.g. "para 1000". */
	destination?: string;
	/** The calls from the top of the proposal down to this one, e.g. ["democracy.externalProposeMajority", "Lookup 0x…", "system.setCode"]. */
	path: string[];
	/** Read from the code on chain when the call carries it. */
	specName?: string;
	specVersion?: number;
	/** Why the version could not be read, if it could not. */
	versionError?: string;
}

/** How one preimage reference was resolved. */
export interface PreimageCheck {
	/** Where the reference came from: "Lookup", "Inline", "Legacy", "NextExternal", "whitelist.whitelistCall", … */
	via: string;
	/** Call hash of the referenced call. */
	hash: Hex;
	/** The length the reference notes (Lookup.len, dispatchWhitelistedCall's call_encoded_len). */
	expectedLength?: number;
	/** The length the preimage pallet noted it with (RequestStatusFor / StatusFor). */
	notedLength?: number;
	/** requested / unrequested / none (not known to the preimage pallet) / inline. */
	status: 'requested' | 'unrequested' | 'none' | 'inline';
	present: boolean;
	/** Length of the bytes read. */
	length?: number;
	/** Noted length equals the reference's length (undefined when one of them is not known). */
	lengthMatches?: boolean;
	/** blake2-256 of the bytes equals the hash. */
	hashMatches?: boolean;
	/** The decoded call, one line. */
	call?: string;
}

export interface ReviewProblem {
	/** Its name in the table of findings (source/review/findings.ts). */
	id?: string;
	severity: 'blocking' | 'warning';
	message: string;
	/** What to do about it. */
	todo?: string;
}

/** What the chain alone says about the target. */
export interface ChainFindings {
	target: ReviewTarget;
	/** e.g. "council motion 3", "referendum 0 (democracy)", "referendum 1 (OpenGov, track root)". */
	label: string;
	/** The call the governance body decides on. */
	proposal: {
		/** Call hash of the proposal. */
		hash?: Hex;
		length?: number;
		/** One line, e.g. "democracy.externalProposeMajority(proposal: Lookup …)". */
		call?: string;
		/** How the proposal is held: "motion", "Lookup", "Inline", "Legacy", "preimage". */
		via: string;
	};
	upgrades: UpgradeFinding[];
	/** Every other call the proposal makes (neither an upgrade nor a wrapper of one), one line each: what rides along. */
	alsoDoes: string[];
	preimages: PreimageCheck[];
	/** The walk down the proposal, one indented line per step, for display. */
	steps: string[];
	problems: ReviewProblem[];
	notes: string[];
	/** Best block when read. */
	atBlock: number;
}

export interface WasmFacts {
	path: string;
	codeHash: Hex;
	/** Bytes on disk (what setCode carries). */
	size: number;
	specName: string;
	specVersion: number;
	transactionVersion: number;
	/** Against the runtime the chain runs now. */
	live?: { specName: string; specVersion: number };
	compat?: { status: 'pass' | 'fail' | 'error'; summary: string; breaking?: number };
}

/** What `verifyRecord` (source/record/verify.ts) reports, as far as review uses it. */
export interface RecordFacts {
	path: string;
	ok: boolean;
	codeHash?: Hex;
	digestOk: boolean;
	signoffs: Array<{ group: string; signer: string; decision: string; valid: boolean; stale: boolean; reason?: string }>;
	/** Approvals per group against its threshold (information). */
	groups?: Array<{ env: string; group: string; threshold: number; approvals: number; met: boolean }>;
	/** What the record says the artifact is. */
	specName?: string;
	specVersion?: number;
	size?: number;
	problems: string[];
}

export type Verdict = 'match' | 'mismatch' | 'blocked' | 'unverified';

export interface VerdictResult {
	verdict: Verdict;
	/** One line, first thing shown. */
	line: string;
	/** Each difference between chain and reviewer's artifacts, e.g. "code hash 0xa… vs 0xb…". */
	differences: string[];
	/** Every upgrade the proposal performs, with its chain and how it compares with what the reviewer holds. */
	upgrades?: UpgradeRow[];
}

/** One row of the table of upgrades. */
export interface UpgradeRow {
	/** "this chain" or the destination ("para 1000"). */
	chain: string;
	call: UpgradeKind;
	codeHash: Hex;
	/** Against the reviewer's wasm / release record for that chain. */
	verdict: 'match' | 'differs' | 'not compared';
}

export type Conviction = 'None' | 'Locked1x' | 'Locked2x' | 'Locked3x' | 'Locked4x' | 'Locked5x' | 'Locked6x';
export const CONVICTIONS: readonly Conviction[] = ['None', 'Locked1x', 'Locked2x', 'Locked3x', 'Locked4x', 'Locked5x', 'Locked6x'];

export interface CastVote {
	aye: boolean;
	conviction?: Conviction;
	/** Planck, decimal string. */
	balance?: string;
}

/** Live state of the vote on the target. */
export type VoteState =
	| {
			kind: 'motion';
			collective: Collective;
			hash: Hex;
			index: number;
			threshold: number;
			ayes: string[];
			nays: string[];
			/** Undefined on a collective whose motions have no voting period (2019: the vote reaching the threshold runs it). */
			end?: number;
			members: string[];
			prime?: string;
			best: number;
	  }
	| {
			kind: 'democracy';
			index: number;
			status: 'ongoing' | 'finished';
			approved?: boolean;
			end: number;
			threshold?: string;
			delay?: number;
			tally?: { ayes: string; nays: string; turnout: string };
			totalIssuance?: string;
			best: number;
	  }
	| {
			kind: 'opengov';
			index: number;
			status: 'ongoing' | 'approved' | 'rejected' | 'cancelled' | 'timedout' | 'killed';
			track?: number;
			trackName?: string;
			phase?: 'preparing' | 'queued' | 'deciding' | 'confirming';
			submitted?: number;
			decidingSince?: number;
			confirmingUntil?: number;
			/** Block at which the decision period ends (deciding) or the prepare period ends (preparing). */
			decisionEnds?: number;
			periods?: { prepare: number; decision: number; confirm: number; minEnactment: number };
			/** DispatchTime of the referendum: at a block, or blocks after approval. */
			enactment?: { at: number } | { after: number };
			tally?: { ayes: string; nays: string; support: string };
			best: number;
	  }
	| { kind: 'none'; reason: string };

/** The reviewer's own standing in the vote. */
export interface ReviewerRole {
	address: string;
	/** For collective motions: is the reviewer a member. */
	member?: boolean;
	/** The vote already on chain from this account, if any. */
	voted?: CastVote;
	/** One line: "member of the Council; has not voted", … */
	summary: string;
}

export interface ReviewReport {
	verdict: VerdictResult;
	findings: ChainFindings;
	wasm?: WasmFacts;
	record?: RecordFacts;
	voteState: VoteState;
	role?: ReviewerRole;
	env: { name: string; kind: string; endpoint: string };
	/** `--dry-run`: what the proposal enacts, dispatched with its origin on a fork of the chain. */
	dryRun?: DryRunFacts;
}

/** Blocks a review's dry-run builds after the first block under the new runtime: enough to see the chain go on. */
export const DRY_RUN_BLOCKS = 3;

export interface DryRunFacts {
	/** The call dispatched and with which origin, one phrase. */
	what?: string;
	/** Why it was not dispatched (the report's failure when the fork's pool refused it). */
	notRun?: string;
	report?: RehearsalReport;
	/** The parachains its XCM goes to, forked with the chain and followed: what each did with the message. */
	paras?: RehearsalReport[];
	/** The parachains its XCM goes to that were not followed, one line each with what to do. */
	unfollowed?: string[];
	/** Whether fetched state was kept for the next fork of the same block, and why not. */
	cache?: string;
}
