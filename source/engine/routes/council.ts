/** Council-democracy: the council's external-proposal motion, the technical committee's fast-track, the democracy referendum. */
import { accountText } from '../../chain/dev-accounts.js';
import { formatAmount } from '../../chain/prompt.js';
import type { ApiPromise } from '@polkadot/api';
import type { GovProgress, StageId } from '../../domain/types.js';
import type { Authority } from '../../chain/prompt.js';
import { callWeight, planOf, sameAccount, type CallPlan, palletCall } from '../../chain/pallets/common.js';
import {
	collectiveMembers,
	collectiveShape,
	COLLECTIVE_TITLE,
	motionState,
	proportionThreshold,
	type CollectiveName,
} from '../../chain/pallets/collective.js';
import {
	ayeVote,
	bakedReferendum2019,
	democracyReferendum,
	democracyShape,
	externalProposalArg,
	findDemocracyReferendum,
	hasVotedInReferendum,
	nextExternalHash,
} from '../../chain/pallets/democracy.js';
import { freeBalance } from '../../chain/pallets/balances.js';
import {
	type Again,
	type EngineContext,
	type StepResult,
	blocks,
	blocksAway,
	done,
	failed,
	gov,
	record,
	short,
	waiting,
} from '../context.js';
import { offer, rerun } from '../offer.js';
import type { Plans } from './plans.js';

// --- council and technical committee motions --------------------------------------------------

interface Motion {
	pallet: CollectiveName;
	stage: StageId;
	inner: CallPlan;
	threshold: number;
	members: string[];
	describe: string;
}

async function councilMotion(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<Motion> {
	const variant = ctx.env.routeOptions?.external ?? 'majority';
	const [method, num, den] =
		variant === 'plain'
			? (['externalPropose', 1, 2] as const)
			: variant === 'default'
				? (['externalProposeDefault', 1, 1] as const)
				: (['externalProposeMajority', 3, 4] as const);
	const fn = palletCall(api, 'democracy', method);
	const inner = planOf(fn(externalProposalArg(api, p.proposal)), `democracy.${method}`);
	const members = await collectiveMembers(api, 'council');
	return {
		pallet: 'council',
		stage: 'council',
		inner,
		members,
		threshold: proportionThreshold(members.length, num, den),
		describe: `democracy.${method} (${num}/${den} of the council)`,
	};
}

async function fastTrackMotion(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<Motion> {
	// FastTrackVotingPeriod (EmergencyVotingPeriod in 2019) is the shortest period FastTrackOrigin (2/3 of the
	// committee) may set; below it only the InstantOrigin (unanimous), and only where InstantAllowed says so.
	const shape = democracyShape(api);
	const asked = ctx.env.routeOptions?.fastTrackVotingPeriod ?? shape.minFastTrackPeriod;
	const instant = asked < shape.minFastTrackPeriod && shape.instantAllowed;
	const votingPeriod = asked < shape.minFastTrackPeriod && !instant ? shape.minFastTrackPeriod : asked;
	const raised =
		votingPeriod !== asked ? `; ${asked} asked, but this chain allows no fast-track below ${shape.minFastTrackPeriod} blocks` : '';
	const delay = ctx.env.routeOptions?.fastTrackDelay ?? 1;
	const inner = planOf(palletCall(api, 'democracy', 'fastTrack')(p.proposal.hash, votingPeriod, delay), 'democracy.fastTrack');
	const members = await collectiveMembers(api, 'technicalCommittee');
	return {
		pallet: 'technicalCommittee',
		stage: 'fast-track',
		inner,
		members,
		threshold: instant ? members.length : proportionThreshold(members.length, 2, 3),
		describe: `democracy.fastTrack(voting period ${votingPeriod}, delay ${delay}) (${instant ? 'unanimous: instant' : '2/3 of the committee'}${raised})`,
	};
}

export async function councilStage(ctx: EngineContext, api: ApiPromise, p: Plans, again: Again): Promise<StepResult> {
	// Done once democracy holds the external proposal, or a referendum on it already runs.
	if ((await nextExternalHash(api)) === p.proposal.hash)
		return done(ctx, 'council', `democracy holds the external proposal ${short(p.proposal.hash)}`);
	const running = await findDemocracyReferendum(api, p.proposal.hash);
	if (running) {
		record(
			ctx,
			{ referendum: { index: running.index, kind: 'democracy' } },
			`democracy referendum #${running.index} on ${p.proposal.hash} is running`,
		);
		return done(ctx, 'council', `referendum #${running.index} on the proposal already runs`);
	}
	return motionStep(
		ctx,
		api,
		await councilMotion(ctx, api, p),
		'the council motion closed, but democracy holds no external proposal for this preimage',
		again,
	);
}

export async function fastTrackStage(ctx: EngineContext, api: ApiPromise, p: Plans, again: Again): Promise<StepResult> {
	const running = await findDemocracyReferendum(api, p.proposal.hash);
	if (running) {
		record(
			ctx,
			{ referendum: { index: running.index, kind: 'democracy' } },
			`democracy referendum #${running.index} on ${p.proposal.hash} started`,
		);
		return done(ctx, 'fast-track', `referendum #${running.index} started`);
	}
	const known = gov(ctx).referendum;
	if (known?.kind === 'democracy') {
		const r = await democracyReferendum(api, known.index);
		// A 2019 Democracy removes a referendum once it is baked.
		if (r?.finished || (!r && democracyShape(api).referendum === 'struct-2019'))
			return done(ctx, 'fast-track', `referendum #${known.index} already ran`);
	}
	if ((await nextExternalHash(api)) !== p.proposal.hash) {
		return failed(
			ctx,
			'fast-track',
			`democracy holds no external proposal ${short(p.proposal.hash)} and no referendum runs on it (cancelled, vetoed, or launched and finished?)`,
			'check the chain (democracy.nextExternal, referendumInfoOf); the council may have to propose again',
		);
	}
	return motionStep(
		ctx,
		api,
		await fastTrackMotion(ctx, api, p),
		'the technical committee motion closed, but no referendum started',
		again,
	);
}

async function motionStep(ctx: EngineContext, api: ApiPromise, m: Motion, closedWithoutEffect: string, again: Again): Promise<StepResult> {
	const title = COLLECTIVE_TITLE[m.pallet];
	const tx = (method: string) => palletCall(api, m.pallet, method);
	const motionHash = m.inner.hash;
	const state = await motionState(api, m.pallet, motionHash);
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const known = m.pallet === 'council' ? gov(ctx).council : gov(ctx).fastTrack;
	const key = m.pallet === 'council' ? 'council' : 'fastTrack';
	const signer = ctx.signer;
	const shape = collectiveShape(api, m.pallet);
	const isMember = signer ? m.members.some((a) => sameAccount(a, signer.address)) : false;
	const memberAuthority: Authority = isMember
		? { ok: true, text: `is a member of the ${title} (${m.members.length} members)` }
		: {
				ok: false,
				text: `${signer?.label ?? 'this signer'} is not a member of the ${title}; members: ${m.members.map(accountText).join(', ')}`,
			};

	if (!state) {
		if (known && known.hash === motionHash) {
			// We saw this motion before and it is gone without its effect.
			return failed(
				ctx,
				m.stage,
				`${closedWithoutEffect} (motion #${known.index} ${short(motionHash)})`,
				'read the Closed/Disapproved events; a member may propose again',
			);
		}
		if (signer && !isMember) {
			return waiting(
				ctx,
				m.stage,
				`waiting for a member of the ${title} to propose ${m.describe} (${signer.label} is not a member; members: ${m.members.map(accountText).join(', ')})`,
				'someone-else',
			);
		}
		const facts = [
			{ label: 'Motion', value: m.describe },
			{ label: 'Threshold', value: `${m.threshold} of ${m.members.length} members` },
			{ label: 'Motion hash', value: motionHash },
		];
		return offer(ctx, api, {
			stage: m.stage,
			plan: planOf(
				shape.lengthBound ? tx('propose')(m.threshold, m.inner.tx, m.inner.len) : tx('propose')(m.threshold, m.inner.tx),
				`${m.pallet}.propose(${m.inner.label})`,
			),
			authority: memberAuthority,
			who: `a member of the ${title}`,
			purpose: `propose a ${title} motion: ${m.describe}${m.threshold < 2 ? ' (threshold 1: executes at once)' : ''}`,
			facts,
			recheck: async () =>
				(await motionState(api, m.pallet, motionHash)) ? motionStep(ctx, api, m, closedWithoutEffect, again) : undefined,
			after: rerun(m.stage),
		});
	}
	if (!known || known.index !== state.index) {
		record(
			ctx,
			{ [key]: { index: state.index, hash: motionHash, threshold: state.threshold } } as Partial<GovProgress>,
			`${title} motion #${state.index} ${motionHash}: ${state.ayes.length}/${state.threshold} ayes`,
		);
	}
	const voted = (a: string) => state.ayes.some((x) => sameAccount(x, a)) || state.nays.some((x) => sameAccount(x, a));
	const missing = m.members.filter((a) => !voted(a));
	const ends =
		state.end === undefined
			? 'no voting period: the vote that reaches the threshold runs it'
			: `ends at #${state.end}${state.end > best ? ` (${blocksAway(ctx, state.end - best)})` : ' (ended)'}`;
	const tally = `${title} motion #${state.index}: ${state.ayes.length} aye, ${state.nays.length} nay of ${m.members.length}; threshold ${state.threshold}; ${ends}`;
	if (state.nays.length > m.members.length - state.threshold) {
		return failed(
			ctx,
			m.stage,
			`${tally}: too many nays, it cannot pass`,
			'the motion will be disapproved when closed; start again after addressing the objections',
		);
	}
	if (state.ayes.length >= state.threshold && !shape.close)
		return waiting(ctx, m.stage, `${tally}: it has its ayes and runs with the vote that reached them`, 'blocks', best + 1);
	if (state.ayes.length >= state.threshold) {
		const weight = await callWeight(api, m.inner.tx, signer?.address ?? m.members[0]!);
		const closeFn = tx('close');
		const args = [motionHash, state.index, weight, m.inner.len];
		return offer(ctx, api, {
			stage: m.stage,
			plan: planOf(closeFn(...args), `${m.pallet}.close`),
			authority: { ok: true, text: 'any account may close a motion that has reached its threshold' },
			who: 'any funded account',
			purpose: `close ${title} motion #${state.index} (${state.ayes.length} of ${state.threshold} ayes): it executes ${m.inner.label}`,
			facts: [
				{ label: 'Motion hash', value: motionHash },
				{ label: 'Length bound', value: `${m.inner.len} bytes` },
			],
			recheck: async () => ((await motionState(api, m.pallet, motionHash)) ? undefined : again()),
			after: rerun(m.stage),
		});
	}
	if (signer && isMember && !voted(signer.address)) {
		return offer(ctx, api, {
			stage: m.stage,
			plan: planOf(tx('vote')(motionHash, state.index, true), `${m.pallet}.vote(aye)`),
			authority: memberAuthority,
			who: `a ${title} member who has not voted`,
			purpose: `vote aye on ${title} motion #${state.index} (${state.ayes.length} of ${state.threshold} ayes so far)${!shape.close && state.ayes.length + 1 >= state.threshold ? `: this vote reaches the threshold and runs ${m.inner.label} (this ${title} has no close)` : ''}`,
			facts: [
				{ label: 'Motion', value: m.describe },
				{ label: 'Motion hash', value: motionHash },
			],
			recheck: async () => {
				const now = await motionState(api, m.pallet, motionHash);
				return now && [...now.ayes, ...now.nays].some((x) => sameAccount(x, signer.address))
					? motionStep(ctx, api, m, closedWithoutEffect, again)
					: undefined;
			},
			after: rerun(m.stage),
		});
	}
	const why = !signer
		? ''
		: !isMember
			? ` (${signer.label} is not a member)`
			: ` (${signer.label} has voted${missing.length > 0 ? '; the next vote needs a member who has not' : ''})`;
	return waiting(
		ctx,
		m.stage,
		`${tally}; waiting for votes from: ${missing.map(accountText).join(', ') || 'nobody'}${why}`,
		'someone-else',
	);
}

// --- referendum: democracy -----------------------------------------------------------------------

export async function voteBalance(ctx: EngineContext, api: ApiPromise, who: string): Promise<bigint> {
	const free = await freeBalance(api, who);
	const percent = BigInt(Math.round((ctx.env.routeOptions?.votePercent ?? 50) * 100));
	return (free * percent) / 10_000n;
}

export async function democracyStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const known = gov(ctx).referendum;
	const shape = democracyShape(api);
	let ref = known?.kind === 'democracy' ? await democracyReferendum(api, known.index) : undefined;
	if (!ref && known?.kind === 'democracy' && shape.referendum === 'struct-2019' && known.end !== undefined) {
		// Baked: the 2019 pallet removed it; the block it ended in says how.
		const baked = await bakedReferendum2019(api, known.index, known.end);
		if (baked) ref = { index: known.index, finished: { approved: baked.approved, end: known.end } };
	}
	if (!ref || (!ref.ongoing && !ref.finished)) ref = await findDemocracyReferendum(api, p.proposal.hash);
	if (!ref) {
		const external = await nextExternalHash(api);
		return waiting(
			ctx,
			'referendum',
			external === p.proposal.hash
				? 'the external proposal waits for the fast-track or the next launch period'
				: `no referendum on ${short(p.proposal.hash)} yet`,
		);
	}
	if (!known || known.index !== ref.index || (ref.ongoing && known.end !== ref.ongoing.end))
		record(
			ctx,
			{
				referendum: {
					index: ref.index,
					kind: 'democracy',
					...(ref.ongoing ? { end: ref.ongoing.end, delay: ref.ongoing.delay } : {}),
				},
			},
			`democracy referendum #${ref.index}${ref.ongoing ? ` (ends at #${ref.ongoing.end}, enactment ${ref.ongoing.delay} blocks later)` : ''}`,
		);
	if (ref.finished) {
		if (!ref.finished.approved) return failed(ctx, 'referendum', `referendum #${ref.index} was rejected at block #${ref.finished.end}`);
		record(
			ctx,
			{ referendum: { ...gov(ctx).referendum!, index: ref.index, kind: 'democracy', approvedAt: ref.finished.end } },
			`referendum #${ref.index} approved at block #${ref.finished.end}`,
		);
		return done(ctx, 'referendum', `referendum #${ref.index} passed at block #${ref.finished.end}`);
	}
	const o = ref.ongoing!;
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const fmt = (v: bigint) => formatAmount(api, v);
	const tally = `referendum #${ref.index} (${o.threshold}): ayes ${fmt(o.ayes)}, nays ${fmt(o.nays)}, turnout ${fmt(o.turnout)}; ends at #${o.end} (${blocksAway(ctx, o.end - best)}), enactment ${blocks(o.delay)} later`;
	const signer = ctx.signer;
	if (signer && !(await hasVotedInReferendum(api, ref.index, signer.address))) {
		// A one-byte vote (2019) carries no balance: the voter's whole balance votes.
		const balance = shape.vote === 'byte' ? await freeBalance(api, signer.address) : await voteBalance(ctx, api, signer.address);
		const conviction = ctx.env.routeOptions?.conviction ?? 'Locked1x';
		if (balance > 0n) {
			return offer(ctx, api, {
				stage: 'referendum',
				plan: planOf(api.tx.democracy.vote(ref.index, ayeVote(api, conviction, balance) as never), 'democracy.vote(aye)'),
				authority: { ok: true, text: 'any account with free balance may vote in a referendum' },
				who: 'any voter',
				purpose: `vote aye on referendum #${ref.index} with ${fmt(balance)} at ${conviction}${shape.vote === 'byte' ? " (this chain's vote is one byte: the whole balance votes)" : ''}`,
				facts: [{ label: 'Tally now', value: tally }],
				recheck: async () =>
					(await hasVotedInReferendum(api, ref!.index, signer.address)) ? democracyStage(ctx, api, p) : undefined,
				after: rerun('referendum'),
			});
		}
	}
	return waiting(ctx, 'referendum', `${tally}${signer ? '' : '; vote with --signer'}`, 'blocks', o.end);
}
