/**
 * Voting after a review: council / technical committee motion votes,
 * democracy votes with conviction, OpenGov conviction votes. The signer
 * prompt says what is signed and why this key may vote; refusals are decided
 * before anything is signed (non-members on collective votes, a duplicate
 * vote that would change nothing, aye on a mismatch, anything on a blocked
 * review). Before sending, the vote state is read again: a vote is never
 * sent twice.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Environment, Hex } from '../domain/types.js';
import type { SignerPromptModel } from '../chain/types.js';
import { buildSignerPrompt, formatAmount } from '../chain/prompt.js';
import { submitExtrinsic, type TxStep } from '../chain/submit.js';
import { readRole, readVoteState, type ResolvedTarget } from './fetch.js';
import type { CastVote, Conviction, ReviewReport, ReviewerRole, VoteState } from './types.js';
import { palletCall, palletConsts, type NumberCodec } from '../chain/pallets/common.js';
import { COLLECTIVE_TITLE } from '../chain/pallets/collective.js';

export interface VoteRequest {
	aye: boolean;
	/** Referendum votes: conviction (default Locked1x) and amount in planck. */
	conviction?: Conviction;
	balance?: bigint;
}

export interface VoteSigner {
	pair: KeyringPair;
	address: string;
	label: string;
}

export type VoteOutcome =
	| {
			status: 'included';
			blockNumber: number;
			blockHash: Hex;
			extrinsicHash: Hex;
			events: string[];
			confirmed: boolean;
			role: ReviewerRole;
	  }
	| { status: 'failed'; blockNumber?: number; blockHash?: Hex; extrinsicHash?: Hex; events?: string[]; error: string }
	| { status: 'not-sent'; reason: string };

export interface PreparedVote {
	prompt: SignerPromptModel;
	/** What the vote decides, one line (shown above the prompt). */
	context: string;
	intended: CastVote;
	/** Sends at most once; re-reads the vote state first. */
	submit: (onStatus?: (step: TxStep, detail?: string) => void) => Promise<VoteOutcome>;
}

export function sameVote(a: CastVote | undefined, b: CastVote): boolean {
	if (!a) return false;
	if (a.aye !== b.aye) return false;
	if (b.conviction !== undefined && a.conviction !== b.conviction) return false;
	if (b.balance !== undefined && a.balance !== b.balance) return false;
	return true;
}

function voteTx(api: ApiPromise, state: VoteState, request: VoteRequest): SubmittableExtrinsic<'promise'> | undefined {
	if (state.kind === 'motion') return palletCall(api, state.collective, 'vote')(state.hash, state.index, request.aye);
	const accountVote = {
		Standard: { vote: { aye: request.aye, conviction: request.conviction ?? 'Locked1x' }, balance: request.balance ?? 0n },
	};
	if (state.kind === 'democracy') return palletCall(api, 'democracy', 'vote')(state.index, accountVote);
	if (state.kind === 'opengov') return palletCall(api, 'convictionVoting', 'vote')(state.index, accountVote);
	return undefined;
}

function lockNote(api: ApiPromise, state: VoteState, conviction: Conviction): string {
	if (conviction === 'None') return 'no lock (0.1× vote weight)';
	const n = Number(conviction.slice(6, 7));
	const period = palletConsts<{ voteLockingPeriod?: NumberCodec }>(
		api,
		state.kind === 'democracy' ? 'democracy' : 'convictionVoting',
	)?.voteLockingPeriod;
	const blocks = period ? period.toNumber() * 2 ** (n - 1) : undefined;
	return `${n}× vote weight, locked${blocks !== undefined ? ` for ${blocks.toLocaleString('en-US')} blocks` : ''} after the referendum ends if on the winning side`;
}

/** Build the vote and its signer prompt. Nothing is signed here. */
export async function prepareVote(
	api: ApiPromise,
	env: Environment,
	report: ReviewReport,
	resolved: ResolvedTarget,
	signer: VoteSigner,
	request: VoteRequest,
): Promise<PreparedVote> {
	const state = await readVoteState(api, resolved);
	const role = await readRole(api, resolved, state, signer.address);
	const refusals: string[] = [];
	const verdict = report.verdict;
	if (verdict.verdict === 'blocked') refusals.push(`the review is blocked (${verdict.line.replace(/^BLOCKED:\s*/, '')})`);
	if (verdict.verdict === 'mismatch' && request.aye)
		refusals.push(
			'the proposal does not match what you reproduced: voting aye is refused (vote nay, or review again with the right wasm)',
		);
	const intended: CastVote =
		state.kind === 'motion'
			? { aye: request.aye }
			: { aye: request.aye, conviction: request.conviction ?? 'Locked1x', balance: (request.balance ?? 0n).toString() };
	let authority: string;
	let what = report.findings.label;
	if (state.kind === 'none') {
		refusals.push(`nothing to vote on: ${state.reason}`);
		authority = state.reason;
	} else if (state.kind === 'motion') {
		const body = `the ${COLLECTIVE_TITLE[state.collective]}`;
		what = `${report.findings.label} (motion hash ${state.hash})`;
		authority = `${role.summary} (${state.members.length} members, ${state.threshold} ayes needed; ${state.ayes.length} aye, ${state.nays.length} nay so far)`;
		if (!role.member)
			refusals.push(
				`${signer.address} is not a member of ${body}; only members may vote on its motions (members: ${state.members.join(', ')})`,
			);
		if (role.voted && role.voted.aye === request.aye)
			refusals.push(
				`${signer.address} has already voted ${request.aye ? 'aye' : 'nay'} on this motion; voting again changes nothing (the chain would refuse it as DuplicateVote)`,
			);
	} else {
		const open = state.kind === 'democracy' ? state.status === 'ongoing' : state.status === 'ongoing';
		if (!open) refusals.push(`${report.findings.label} is ${state.status}: it takes no more votes`);
		if (!request.balance || request.balance <= 0n) refusals.push('a referendum vote needs an amount to vote with');
		const conviction = intended.conviction!;
		authority = `${role.summary}; votes ${formatAmount(api, request.balance ?? 0n)} with conviction ${conviction}: ${lockNote(api, state, conviction)}`;
		if (sameVote(role.voted, intended))
			refusals.push(
				`${signer.address} has already cast exactly this vote (${request.aye ? 'aye' : 'nay'}, ${conviction}, ${formatAmount(api, request.balance ?? 0n)}); sending it again changes nothing`,
			);
	}
	const tx = voteTx(api, state, request);
	const prompt: SignerPromptModel = tx
		? await buildSignerPrompt(api, {
				env,
				tx,
				signerAddress: signer.address,
				signerLabel: signer.label,
				authority: { ok: true, text: authority },
				refusals,
				...(state.kind === 'democracy' || state.kind === 'opengov'
					? { spends: { amount: request.balance ?? 0n, what: 'the vote' } }
					: {}),
			})
		: {
				env: env.name,
				envKind: env.kind,
				signerAddress: signer.address,
				signerLabel: signer.label,
				authority,
				callLines: ['(no vote call for this target)'],
				callHash: '0x' as Hex,
				encodedLength: 0,
				nonce: (await api.rpc.system.accountNextIndex(signer.address)).toNumber(),
				refusals,
			};
	const context = `vote ${request.aye ? 'AYE' : 'NAY'} on ${what} — ${verdict.line}`;
	let sent = false;
	return {
		prompt,
		context,
		intended,
		submit: async (onStatus) => {
			if (prompt.refusals.length > 0) return { status: 'not-sent', reason: prompt.refusals.join('; ') };
			if (sent) return { status: 'not-sent', reason: 'this vote was already submitted once from this prompt' };
			sent = true;
			// Read the vote again right before sending: it may have been cast meanwhile (here or elsewhere).
			const fresh = await readVoteState(api, resolved);
			const now = await readRole(api, resolved, fresh, signer.address);
			if (fresh.kind === 'none') return { status: 'not-sent', reason: `the vote closed meanwhile: ${fresh.reason}` };
			if (sameVote(now.voted, intended))
				return { status: 'not-sent', reason: `the chain already holds this vote from ${signer.address}; nothing sent` };
			return sendVote(
				api,
				env,
				tx!,
				signer.pair,
				async () => readRole(api, resolved, await readVoteState(api, resolved), signer.address),
				intended,
				onStatus,
			);
		},
	};
}

async function sendVote(
	api: ApiPromise,
	env: Environment,
	tx: SubmittableExtrinsic<'promise'>,
	pair: KeyringPair,
	readBack: () => Promise<ReviewerRole>,
	intended: CastVote,
	onStatus?: (step: TxStep, detail?: string) => void,
): Promise<VoteOutcome> {
	let result;
	try {
		// A review keeps no release, so no write-ahead intent: the vote state read back is the record.
		result = await submitExtrinsic(api, {
			tx,
			pair,
			meta: {
				env: env.name,
				stage: 'referendum',
				call: `${tx.method.section}.${tx.method.method}`,
				callHash: tx.method.hash.toHex() as Hex,
			},
			...(onStatus ? { onStatus } : {}),
		});
	} catch (error) {
		// Once signed (in place), its hash is the signed extrinsic's; a failure before signing has none.
		return { status: 'failed', ...(tx.isSigned ? { extrinsicHash: tx.hash.toHex() as Hex } : {}), error: (error as Error).message };
	}
	const { outcome, events } = result;
	const blockNumber = outcome.blockNumber!;
	const blockHash = outcome.blockHash!;
	const extrinsicHash = outcome.extrinsicHash!;
	if (outcome.error) return { status: 'failed', blockNumber, blockHash, extrinsicHash, events, error: outcome.error };
	const role = await readBack();
	return { status: 'included', blockNumber, blockHash, extrinsicHash, events, confirmed: sameVote(role.voted, intended), role };
}
