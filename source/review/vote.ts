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
import type { Call } from '@polkadot/types/interfaces';
import type { Environment, Hex } from '../domain/types.js';
import type { SignerPromptModel } from '../chain/types.js';
import { describeCall } from '../chain/sudo.js';
import { describeDispatchError, friendlySubmitError, MORTAL_PERIOD, type TxStep } from '../chain/extrinsic.js';
import { messageOf } from '../chain/connect.js';
import { readRole, readVoteState, type ResolvedTarget } from './fetch.js';
import { formatBalance } from './target.js';
import type { CastVote, Conviction, ReviewReport, ReviewerRole, VoteState } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

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
	| { status: 'included'; blockNumber: number; blockHash: Hex; extrinsicHash: Hex; events: string[]; confirmed: boolean; role: ReviewerRole }
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

function chainToken(api: ApiPromise): { decimals: number; symbol: string } {
	return { decimals: api.registry.chainDecimals[0] ?? 12, symbol: api.registry.chainTokens[0] ?? 'UNIT' };
}

export function sameVote(a: CastVote | undefined, b: CastVote): boolean {
	if (!a) return false;
	if (a.aye !== b.aye) return false;
	if (b.conviction !== undefined && a.conviction !== b.conviction) return false;
	if (b.balance !== undefined && a.balance !== b.balance) return false;
	return true;
}

function voteTx(api: ApiPromise, state: VoteState, request: VoteRequest): SubmittableExtrinsic<'promise'> | undefined {
	const tx = (api as Loose).tx;
	if (state.kind === 'motion') return tx[state.collective].vote(state.hash, state.index, request.aye);
	const accountVote = { Standard: { vote: { aye: request.aye, conviction: request.conviction ?? 'Locked1x' }, balance: request.balance ?? 0n } };
	if (state.kind === 'democracy') return tx.democracy.vote(state.index, accountVote);
	if (state.kind === 'opengov') return tx.convictionVoting.vote(state.index, accountVote);
	return undefined;
}

function lockNote(api: ApiPromise, state: VoteState, conviction: Conviction): string {
	if (conviction === 'None') return 'no lock (0.1× vote weight)';
	const n = Number(conviction.slice(6, 7));
	const consts = (api as Loose).consts;
	const period = state.kind === 'democracy' ? consts.democracy?.voteLockingPeriod : consts.convictionVoting?.voteLockingPeriod;
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
	const { decimals, symbol } = chainToken(api);
	const state = await readVoteState(api, resolved);
	const role = await readRole(api, resolved, state, signer.address);
	const refusals: string[] = [];
	const verdict = report.verdict;
	if (verdict.verdict === 'blocked') refusals.push(`the review is blocked (${verdict.line.replace(/^BLOCKED:\s*/, '')})`);
	if (verdict.verdict === 'mismatch' && request.aye) refusals.push('the proposal does not match what you reproduced: voting aye is refused (vote nay, or review again with the right wasm)');
	const intended: CastVote = state.kind === 'motion' ? { aye: request.aye } : { aye: request.aye, conviction: request.conviction ?? 'Locked1x', balance: (request.balance ?? 0n).toString() };
	let authority: string;
	let what = report.findings.label;
	if (state.kind === 'none') {
		refusals.push(`nothing to vote on: ${state.reason}`);
		authority = state.reason;
	} else if (state.kind === 'motion') {
		const body = state.collective === 'council' ? 'the Council' : 'the Technical Committee';
		what = `${report.findings.label} (motion hash ${state.hash})`;
		authority = `${role.summary} (${state.members.length} members, ${state.threshold} ayes needed; ${state.ayes.length} aye, ${state.nays.length} nay so far)`;
		if (!role.member) refusals.push(`${signer.address} is not a member of ${body}; only members may vote on its motions (members: ${state.members.join(', ')})`);
		if (role.voted && role.voted.aye === request.aye) refusals.push(`${signer.address} has already voted ${request.aye ? 'aye' : 'nay'} on this motion; voting again changes nothing (the chain would refuse it as DuplicateVote)`);
	} else {
		const open = state.kind === 'democracy' ? state.status === 'ongoing' : state.status === 'ongoing';
		if (!open) refusals.push(`${report.findings.label} is ${state.status}: it takes no more votes`);
		if (!request.balance || request.balance <= 0n) refusals.push('a referendum vote needs an amount to vote with');
		const conviction = intended.conviction!;
		authority = `${role.summary}; votes ${formatBalance(request.balance ?? 0n, decimals, symbol)} with conviction ${conviction}: ${lockNote(api, state, conviction)}`;
		if (sameVote(role.voted, intended)) refusals.push(`${signer.address} has already cast exactly this vote (${request.aye ? 'aye' : 'nay'}, ${conviction}, ${formatBalance(request.balance ?? 0n, decimals, symbol)}); sending it again changes nothing`);
	}
	const tx = voteTx(api, state, request);
	const callLines = tx ? describeCall(tx.method as unknown as Call) : ['(no vote call for this target)'];
	const nonce = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
	let fee: string | undefined;
	let feeValue: bigint | undefined;
	if (tx) {
		try {
			const info = await tx.paymentInfo(signer.address);
			feeValue = info.partialFee.toBigInt();
			fee = formatBalance(feeValue, decimals, symbol);
		} catch (error) {
			fee = `unknown (${(error as Error).message})`;
		}
	}
	const account = (await (api as Loose).query.system.account(signer.address)) as { data: { free: { toBigInt: () => bigint } } };
	const free = account.data.free.toBigInt();
	const needed = (feeValue ?? 0n) + (state.kind === 'democracy' || state.kind === 'opengov' ? (request.balance ?? 0n) : 0n);
	if (free === 0n || free < needed) refusals.push(`account ${signer.address} has ${formatBalance(free, decimals, symbol)} free, not enough for ${state.kind === 'motion' ? 'the fee' : 'the vote and the fee'} (${formatBalance(needed, decimals, symbol)})`);
	const prompt: SignerPromptModel = {
		env: env.name,
		envKind: env.kind,
		signerAddress: signer.address,
		authority,
		callLines,
		callHash: (tx ? tx.method.hash.toHex() : '0x') as Hex,
		encodedLength: tx ? tx.method.encodedLength : 0,
		...(fee ? { fee } : {}),
		nonce,
		refusals,
	};
	const context = `vote ${request.aye ? 'AYE' : 'NAY'} on ${what} — ${verdict.line}`;
	let sent = false;
	return {
		prompt,
		context,
		intended,
		submit: async (onStatus) => {
			if (refusals.length > 0) return { status: 'not-sent', reason: refusals.join('; ') };
			if (sent) return { status: 'not-sent', reason: 'this vote was already submitted once from this prompt' };
			sent = true;
			// Read the vote again right before sending: it may have been cast meanwhile (here or elsewhere).
			const fresh = await readVoteState(api, resolved);
			const now = await readRole(api, resolved, fresh, signer.address);
			if (fresh.kind === 'none') return { status: 'not-sent', reason: `the vote closed meanwhile: ${fresh.reason}` };
			if (sameVote(now.voted, intended)) return { status: 'not-sent', reason: `the chain already holds this vote from ${signer.address}; nothing sent` };
			return sendOnce(api, tx!, signer.pair, async () => readRole(api, resolved, await readVoteState(api, resolved), signer.address), intended, onStatus);
		},
	};
}

async function sendOnce(
	api: ApiPromise,
	tx: SubmittableExtrinsic<'promise'>,
	pair: KeyringPair,
	readBack: () => Promise<ReviewerRole>,
	intended: CastVote,
	onStatus?: (step: TxStep, detail?: string) => void,
): Promise<VoteOutcome> {
	const header = await api.rpc.chain.getHeader();
	const era = api.createType('ExtrinsicEra', { current: header.number.toNumber(), period: MORTAL_PERIOD });
	const nonce = (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
	await tx.signAsync(pair, { nonce, era, blockHash: header.hash });
	const extrinsicHash = tx.hash.toHex() as Hex;
	onStatus?.('signed', extrinsicHash);
	const included = await new Promise<{ blockHash: Hex; events: string[]; error?: string } | { failed: string }>((resolve) => {
		let done = false;
		let unsub: (() => void) | undefined;
		const finish = (value: { blockHash: Hex; events: string[]; error?: string } | { failed: string }) => {
			if (done) return;
			done = true;
			unsub?.();
			resolve(value);
		};
		tx.send((result) => {
			const { status } = result;
			if (status.isReady) onStatus?.('ready');
			if (status.isInBlock || status.isFinalized) {
				const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex() as Hex;
				finish({
					blockHash,
					events: result.events.map(({ event }) => `${event.section}.${event.method}`),
					...(result.dispatchError ? { error: describeDispatchError(api, result.dispatchError) } : {}),
				});
			}
			if (status.isDropped || status.isInvalid || status.isUsurped) finish({ failed: `extrinsic ${extrinsicHash} was ${status.type.toLowerCase()} by the node` });
		})
			.then((u) => {
				unsub = u;
				if (done) u();
			})
			.catch((error) => finish({ failed: friendlySubmitError(messageOf(error)) }));
	});
	if ('failed' in included) return { status: 'failed', extrinsicHash, error: included.failed };
	const blockNumber = (await api.rpc.chain.getHeader(included.blockHash)).number.toNumber();
	onStatus?.('inBlock', `#${blockNumber}`);
	if (included.error) return { status: 'failed', blockNumber, blockHash: included.blockHash, extrinsicHash, events: included.events, error: included.error };
	const role = await readBack();
	return { status: 'included', blockNumber, blockHash: included.blockHash, extrinsicHash, events: included.events, confirmed: sameVote(role.voted, intended), role };
}
