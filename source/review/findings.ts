/**
 * Every finding review can report, in one table: its name, how serious it is,
 * and what to do about it. The review walk raises them by name (`finding`);
 * the README's table of findings is generated from this one
 * (`findingsTableMarkdown`, checked by test/unit/review-findings.test.ts).
 * Pure.
 */
import type { ReviewProblem } from './types.js';

export interface FindingSpec {
	severity: ReviewProblem['severity'];
	/** What it means, one phrase (the README's table). */
	means: string;
	/** What to do about it. */
	todo: string;
}

export const FINDINGS = {
	'target-missing': {
		severity: 'blocking',
		means: 'the motion, referendum, external proposal or preimage asked for is not on chain',
		todo: 'check the index or hash against the chain (`review --env NAME` lists what is open); it may have been closed or enacted',
	},
	'preimage-missing': {
		severity: 'blocking',
		means: 'a call referenced by hash has no preimage: nobody can check what it runs, and it cannot be enacted',
		todo: 'ask the proposer to note the preimage (`preimage.notePreimage`) and review again; do not vote on what you cannot read',
	},
	'preimage-length': {
		severity: 'blocking',
		means: "the preimage is noted with another length than the proposal's Lookup says (Polkadot referendum 514 was lost so)",
		todo: 'the proposal cannot fetch its call at enactment: it must be resubmitted with the noted length (or the preimage noted again with the right bytes)',
	},
	'preimage-hash': {
		severity: 'blocking',
		means: 'the bytes stored for a preimage do not hash to its key',
		todo: 'do not vote: the chain state is inconsistent; report it to the chain’s maintainers',
	},
	'preimage-undecodable': {
		severity: 'blocking',
		means: "a preimage does not decode as a call of the chain's runtime (or has bytes after the call)",
		todo: 'the proposal was built for another runtime or is corrupt: ask the proposer to rebuild it against the live metadata',
	},
	'inline-too-long': {
		severity: 'blocking',
		means: 'an Inline proposal is over 128 bytes, the most FRAME’s Bounded::Inline holds',
		todo: 'note the call as a preimage and refer to it with Lookup { hash, len } instead',
	},
	'fast-track-mismatch': {
		severity: 'warning',
		means: 'democracy.fastTrack names another proposal than the external one waiting (or none is waiting)',
		todo: 'fast_track will fail with ProposalMissing: the motion must name Democracy.NextExternal’s hash',
	},
	'not-whitelisted': {
		severity: 'warning',
		means: 'dispatchWhitelistedCall(WithPreimage) names a call not in Whitelist.WhitelistedCall',
		todo: 'it fails unless the Fellowship whitelists that exact call hash before enactment; check its whitelist referendum',
	},
	'transact-origin': {
		severity: 'warning',
		means: 'an upgrade is carried by an XCM Transact whose origin kind is not Superuser',
		todo: 'the upgrade call needs Root on the destination: rebuild the message with origin kind Superuser',
	},
	'batch-not-atomic': {
		severity: 'warning',
		means: 'an upgrade is inside utility.batch, which stops at the first failing call and still reports success',
		todo: 'use utility.batchAll (all or nothing) or utility.forceBatch (each failure reported)',
	},
	'xcm-version': {
		severity: 'warning',
		means: 'an XCM message is sent in a version the destination does not support (XcmPallet.SupportedVersion, else SafeXcmVersion)',
		todo: 'pallet-xcm converts the message down to that version and the send fails where an instruction has no older form (UnpaidExecution): rebuild it in the version the relay records for that destination',
	},
	'unpaid-execution': {
		severity: 'warning',
		means: 'a v3+ message carrying an upgrade does not start with UnpaidExecution',
		todo: 'system parachains let the relay’s messages through only with UnpaidExecution { Unlimited } first (AllowExplicitUnpaidExecutionFrom); add it, as the Fellowship’s builder does',
	},
	'double-authorization': {
		severity: 'warning',
		means: 'the same code hash is upgraded or authorized twice for the same chain',
		todo: 'one call per chain is meant: remove the repeat (a second authorizeUpgrade of the same hash is harmless on chain but hides a mistake in the builder)',
	},
	'several-upgrades': {
		severity: 'warning',
		means: 'the proposal holds different runtimes for the same chain',
		todo: 'only the last one would stay: find out which code is meant and have the proposal rebuilt with that one',
	},
	'enactment-window': {
		severity: 'warning',
		means: 'on a production environment, the referendum is expected to enact outside the release window (Monday–Wednesday from 08:00 UTC)',
		todo: 'an upgrade that lands on a weekend or at night has nobody watching: resubmit with an enactment from `release-console schedule --env NAME --window`',
	},
	'wasm-spec-name': {
		severity: 'warning',
		means: 'your wasm is for another chain (spec name) than the reviewed one',
		todo: 'pass the wasm built for this chain, or `--wasm ENV=PATH` for another chain of the proposal',
	},
	'wasm-spec-version': {
		severity: 'warning',
		means: "your wasm's spec version does not increase on the live runtime",
		todo: 'setCode with checks would fail: the release needs a runtime with a higher spec_version',
	},
	'dry-run-failed': {
		severity: 'blocking',
		means: 'dispatched with its origin on a fork of the chain (`--dry-run`), the proposal failed, installed other code than it names, or the chain stopped producing blocks after it',
		todo: 'do not vote for it: the report shows the block and the runtime’s own message; tell the proposer, who can dry-run the fix the same way',
	},
	'dry-run-not-run': {
		severity: 'warning',
		means: 'the dry-run could not dispatch the proposal on the fork (an origin the console cannot reproduce there, a call the fork’s pool refused): nothing was shown either way',
		todo: 'the message says why; review the call by hand, or dry-run the call it enacts (`review --call 0x… --dry-run` dispatches it as Root)',
	},
} as const satisfies Record<string, FindingSpec>;

export type FindingId = keyof typeof FINDINGS;

/** A finding by name, with this case's message. */
export function finding(id: FindingId, message: string): ReviewProblem {
	const spec: FindingSpec = FINDINGS[id];
	return { id, severity: spec.severity, message, todo: spec.todo };
}

/** The README's table of findings. */
export function findingsTableMarkdown(): string {
	const rows = Object.entries(FINDINGS).map(
		([id, spec]: [string, FindingSpec]) => `| \`${id}\` | ${spec.severity} | ${spec.means} | ${spec.todo} |`,
	);
	return ['| finding | severity | what it means | what to do |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
