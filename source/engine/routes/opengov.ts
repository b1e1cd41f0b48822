/** OpenGov: the whitelist (Fellowship) and the referendum on its track. */
import { formatAmount } from '../../chain/prompt.js';
import type { ApiPromise } from '@polkadot/api';
import { boundedArg, planOf, sameAccount, palletCall, palletConsts, type NumberCodec } from '../../chain/pallets/common.js';
import { findOpenGovReferendum, openGovOrigin, openGovReferendum } from '../../chain/pallets/referenda.js';
import { convictionVotes } from '../../chain/pallets/conviction-voting.js';
import { scheduledAt } from '../../chain/pallets/scheduler.js';
import { type EngineContext, type StepResult, blocks, done, failed, gov, record, short, waiting } from '../context.js';
import { offer, rerun } from '../offer.js';
import type { Plans } from './plans.js';
import { voteBalance } from './council.js';
import { sudoKey as readSudoKey } from '../../chain/pallets/sudo.js';
import { isWhitelisted } from '../../chain/pallets/whitelist.js';
import { totalIssuance } from '../../chain/pallets/balances.js';

interface Amount {
	toString(): string;
}

/** The Referenda constants this route reads. */
function referendaConsts(api: ApiPromise) {
	return palletConsts<{
		submissionDeposit?: Amount;
		undecidingTimeout?: NumberCodec;
		tracks?: Array<[NumberCodec, { decisionDeposit: Amount }]>;
	}>(api, 'referenda');
}

// --- whitelist ---------------------------------------------------------------------------------

export async function whitelistStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const whitelisted = await isWhitelisted(api, p.payload.hash);
	if (whitelisted === undefined) return failed(ctx, 'whitelist', 'this chain has no Whitelist pallet', 'use track root');
	if (whitelisted) {
		record(ctx, { whitelist: { callHash: p.payload.hash } }, `call ${p.payload.hash} is whitelisted`);
		return done(ctx, 'whitelist', `${p.payload.label} ${short(p.payload.hash)} is whitelisted`);
	}
	// On a real chain the Fellowship whitelists (its own origin). On a local chain whose
	// WhitelistOrigin is Root (the governance devnet), the sudo key stands in for it.
	const sudoKey = await readSudoKey(api);
	const mayStandIn = ctx.env.kind === 'local' && sudoKey && ctx.signer && sameAccount(sudoKey.replace(/^"|"$/g, ''), ctx.signer.address);
	if (!mayStandIn) {
		const standIn =
			ctx.env.kind === 'local' && sudoKey
				? `; on this local chain the sudo key ${sudoKey.replace(/^"|"$/g, '')} may stand in: run advance with --signer set to it`
				: '';
		return waiting(
			ctx,
			'whitelist',
			`waiting for the whitelist origin (the Fellowship) to whitelist call hash ${p.payload.hash} (${p.payload.label})${standIn}`,
			'someone-else',
		);
	}
	const inner = palletCall(api, 'whitelist', 'whitelistCall')(p.payload.hash);
	return offer(ctx, api, {
		stage: 'whitelist',
		plan: planOf(palletCall(api, 'sudo', 'sudo')(inner), 'sudo.sudo(whitelist.whitelistCall)'),
		authority: {
			ok: true,
			text: `is the sudo key; on this local chain the whitelist origin is Root, so the sudo key stands in for the Fellowship`,
		},
		who: 'the whitelist origin',
		purpose: `whitelist call hash ${short(p.payload.hash)} (${p.payload.label})`,
		facts: [{ label: 'Call hash', value: p.payload.hash }],
		recheck: async () => ((await isWhitelisted(api, p.payload.hash)) ? whitelistStage(ctx, api, p) : undefined),
		after: rerun('whitelist'),
	});
}

// --- referendum: OpenGov -------------------------------------------------------------------------

export async function openGovStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const known = gov(ctx).referendum;
	let ref = known?.kind === 'referenda' ? await openGovReferendum(api, known.index) : undefined;
	// A referendum we knew that ended without approval: someone may have submitted a new one on the same proposal.
	if (!ref || (!ref.ongoing && ref.status !== 'approved')) ref = (await findOpenGovReferendum(api, p.proposal.hash)) ?? ref;
	const signer = ctx.signer;
	const trackOption = ctx.env.routeOptions?.track ?? 'root';
	if (!ref) {
		// An approved referendum no longer names its proposal; its enactment in the scheduler's agenda does.
		// (Someone else's referendum passed: never submit a second one.)
		const at = await scheduledAt(api, p.proposal.hash);
		if (at !== undefined) {
			record(ctx, { enactment: { scheduledAt: at } }, `the scheduler holds ${p.proposal.label} ${p.proposal.hash} for block #${at}`);
			return done(
				ctx,
				'referendum',
				`a referendum on ${short(p.proposal.hash)} was approved: the scheduler dispatches ${p.proposal.label} at block #${at}`,
			);
		}
		const { origin, label } = openGovOrigin(api, trackOption);
		if (trackOption === 'whitelisted' && label !== 'WhitelistedCaller' && ctx.env.kind !== 'local') {
			return {
				kind: 'refused',
				stage: 'referendum',
				message: `${ctx.env.name} has no WhitelistedCaller origin: the whitelisted track would be a Root referendum`,
				hint: 'use --track root for this environment',
			};
		}
		const delay = ctx.env.routeOptions?.enactmentDelay ?? 1;
		const submit = palletCall(api, 'referenda', 'submit');
		const deposit = referendaConsts(api)?.submissionDeposit;
		return offer(ctx, api, {
			stage: 'referendum',
			plan: planOf(
				submit(origin, boundedArg(submit, 1, p.proposal.hash, p.proposal.len), { After: delay }),
				`referenda.submit(${label})`,
			),
			authority: {
				ok: true,
				text: `any funded account may submit a referendum (submission deposit ${deposit ? formatAmount(api, BigInt(deposit.toString())) : 'per the chain'})`,
			},
			who: 'any funded account',
			purpose: `submit a referendum on the ${label} track for ${p.proposal.label}, enacted ${delay} block(s) after approval`,
			facts: [
				{ label: 'Proposal', value: `${p.proposal.hash} (${p.proposal.len.toLocaleString('en-US')} bytes)` },
				{ label: 'Code hash', value: p.codeHash },
			],
			recheck: async () =>
				(await findOpenGovReferendum(api, p.proposal.hash)) || (await scheduledAt(api, p.proposal.hash)) !== undefined
					? openGovStage(ctx, api, p)
					: undefined,
			after: rerun('referendum'),
		});
	}
	if (!known || known.index !== ref.index)
		record(ctx, { referendum: { index: ref.index, kind: 'referenda' } }, `OpenGov referendum #${ref.index} on track ${ref.track}`);
	if (ref.status === 'approved') {
		record(
			ctx,
			{ referendum: { index: ref.index, kind: 'referenda', ...(ref.endedAt !== undefined ? { approvedAt: ref.endedAt } : {}) } },
			`referendum #${ref.index} approved`,
		);
		return done(ctx, 'referendum', `referendum #${ref.index} approved${ref.endedAt !== undefined ? ` at block #${ref.endedAt}` : ''}`);
	}
	if (!ref.ongoing) {
		return failed(
			ctx,
			'referendum',
			`referendum #${ref.index} ended: ${ref.status}${ref.endedAt !== undefined ? ` at block #${ref.endedAt}` : ''}`,
			'a new referendum on the same preimage is picked up by the next advance; or start a new release',
		);
	}
	const o = ref.ongoing;
	const fmt = (v: bigint) => formatAmount(api, v);
	const total = o.ayes + o.nays;
	const approval = total > 0n ? Number((o.ayes * 10_000n) / total) / 100 : 0;
	const issuance = (await totalIssuance(api)) ?? 0n;
	const support = issuance > 0n ? Number((o.support * 1_000_000n) / issuance) / 10_000 : 0;
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const phase =
		ref.status === 'confirming'
			? `confirming until #${o.confirmingUntil} (${blocks(Math.max(0, o.confirmingUntil! - best))})`
			: ref.status === 'deciding'
				? `deciding since #${o.decidingSince}`
				: o.inQueue
					? `queued: the track's deciding slots are taken (it starts deciding when one frees)`
					: o.hasDecisionDeposit
						? 'preparing (decision deposit placed)'
						: `preparing: needs a decision deposit${undecidingTimeout(api) > 0 ? ` (times out at #${o.submitted + undecidingTimeout(api)} without one)` : ''}`;
	const tally = `referendum #${ref.index} (track ${ref.track}): ${phase}; approval ${approval}% (ayes ${fmt(o.ayes)}, nays ${fmt(o.nays)}), support ${support}%`;
	if (signer && !o.hasDecisionDeposit) {
		const deposit = referendaConsts(api)?.tracks?.find((t) => t[0].toNumber() === ref!.track)?.[1]?.decisionDeposit;
		return offer(ctx, api, {
			stage: 'referendum',
			plan: planOf(palletCall(api, 'referenda', 'placeDecisionDeposit')(ref.index), 'referenda.placeDecisionDeposit'),
			authority: {
				ok: true,
				text: `any funded account may place the decision deposit${deposit ? ` (${formatAmount(api, BigInt(deposit.toString()))})` : ''}`,
			},
			who: 'any funded account',
			purpose: `place the decision deposit for referendum #${ref.index} so it can start deciding`,
			facts: [{ label: 'State', value: tally }],
			recheck: async () =>
				(await openGovReferendum(api, ref!.index))?.ongoing?.hasDecisionDeposit ? openGovStage(ctx, api, p) : undefined,
			after: rerun('referendum'),
		});
	}
	if (signer && !(await convictionVotes(api, signer.address, ref.track)).includes(ref.index)) {
		const balance = await voteBalance(ctx, api, signer.address);
		const conviction = ctx.env.routeOptions?.conviction ?? 'Locked1x';
		if (balance > 0n) {
			return offer(ctx, api, {
				stage: 'referendum',
				plan: planOf(
					palletCall(api, 'convictionVoting', 'vote')(ref.index, { Standard: { vote: { aye: true, conviction }, balance } }),
					'convictionVoting.vote(aye)',
				),
				authority: { ok: true, text: 'any account with free balance may vote' },
				who: 'any voter',
				purpose: `vote aye on referendum #${ref.index} with ${fmt(balance)} at ${conviction}`,
				facts: [{ label: 'State', value: tally }],
				recheck: async () =>
					(await convictionVotes(api, signer.address, ref!.track)).includes(ref!.index) ? openGovStage(ctx, api, p) : undefined,
				after: rerun('referendum'),
			});
		}
	}
	// Without a decision deposit the referendum never decides (it times out): that needs someone to act.
	if (!signer && !o.hasDecisionDeposit)
		return {
			kind: 'needs-signer',
			stage: 'referendum',
			message: `${tally}; any funded account may place the decision deposit: run advance with --signer`,
		};
	// Fast-forward stops where the referendum can move: the end of its confirmation, else the next block.
	const until = ref.status === 'confirming' && o.confirmingUntil !== undefined ? o.confirmingUntil : best + 1;
	return waiting(ctx, 'referendum', `${tally}${signer ? '' : '; vote with --signer'}`, 'blocks', until);
}

function undecidingTimeout(api: ApiPromise): number {
	return referendaConsts(api)?.undecidingTimeout?.toNumber() ?? 0;
}
