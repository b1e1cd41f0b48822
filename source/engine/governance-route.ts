/**
 * The governance stages: preimage, council and technical-committee motions,
 * whitelist, referendum (democracy or OpenGov), enactment, multisig approvals,
 * and applying an authorized upgrade.
 *
 * Each call reads the chain first and continues from what is true there: a
 * preimage someone else noted, a motion someone else proposed, a vote already
 * cast, a referendum already started are picked up, never duplicated. Then it
 * offers at most one extrinsic, for what *this* signer may do now, or says who
 * must act and what it waits for.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Call } from '@polkadot/types/interfaces';
import type { Environment, GovProgress, Hex, IntentOutcome, StageId } from '../domain/types.js';
import { readArtifact } from '../artifact/read.js';
import { chainRunsCode } from '../chain/live.js';
import { signAndTrack } from '../chain/extrinsic.js';
import { buildSignerPrompt, describeCall, type Authority } from '../chain/sudo.js';
import {
	authorizedCodeHash,
	boundedArg,
	buildApply,
	buildPayload,
	callWeight,
	collectiveMembers,
	COLLECTIVE_TITLE,
	convictionVotes,
	democracyReferendum,
	democracyVotes,
	findDemocracyReferendum,
	findOpenGovReferendum,
	motionState,
	multisigAddress,
	multisigState,
	nextExternalHash,
	openGovOrigin,
	openGovReferendum,
	otherSignatories,
	planOf,
	preimageState,
	proportionThreshold,
	sameAccount,
	scheduledAt,
	type CallPlan,
	type CollectiveName,
} from '../chain/governance.js';
import { findUpgradeBlock, payloadOf, recordUpgradeOutcome, type EngineContext, type StepResult } from './sudo-route.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const iso = (ctx: EngineContext) => new Date(ctx.now?.() ?? Date.now()).toISOString();
const short = (hex: string) => (hex.length > 20 ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : hex);

/** Blocks → "≈ 1 min 12 s" from the chain's expected block time. */
function eta(api: ApiPromise, blocks: number): string {
	const ms = expectedBlockTimeMs(api) * Math.max(0, blocks);
	const s = Math.round(ms / 1000);
	return s < 90 ? `≈ ${s} s` : s < 5400 ? `≈ ${Math.round(s / 60)} min` : `≈ ${(s / 3600).toFixed(1)} h`;
}

function expectedBlockTimeMs(api: ApiPromise): number {
	const c = api.consts as Any;
	const v = c.babe?.expectedBlockTime ?? c.aura?.slotDuration ?? (c.timestamp?.minimumPeriod ? c.timestamp.minimumPeriod.toNumber() * 2 : undefined);
	const n = typeof v === 'number' ? v : v?.toNumber?.();
	return n && n > 0 ? n : 6000;
}

// --- what the route decides on ------------------------------------------------------------

interface Plans {
	code: Uint8Array;
	codeHash: Hex;
	/** The runtime call: setCode(code) or authorizeUpgrade(hash). */
	payload: CallPlan;
	/** What the referendum/motion refers to: the payload, or the whitelist wrapper around it. */
	proposal: CallPlan;
}

async function plans(ctx: EngineContext, api: ApiPromise): Promise<Plans> {
	const release = ctx.release.get();
	const artifact = await readArtifact(release.artifact.path);
	if (artifact.codeHash !== release.artifact.codeHash) {
		throw Object.assign(new Error(`the wasm at ${release.artifact.path} changed since the release was created (code hash ${artifact.codeHash}, release ${release.artifact.codeHash})`), {
			hint: 'restore the file or create a new release',
		});
	}
	const payload = buildPayload(api, payloadOf(ctx.env), artifact.bytes, release.artifact.codeHash);
	let proposal = payload;
	if (ctx.env.route === 'opengov' && ctx.env.routeOptions?.track === 'whitelisted') {
		proposal = planOf((api.tx as Any).whitelist.dispatchWhitelistedCallWithPreimage(payload.tx.method), 'whitelist.dispatchWhitelistedCallWithPreimage');
	}
	return { code: artifact.bytes, codeHash: release.artifact.codeHash, payload, proposal };
}

function gov(ctx: EngineContext): GovProgress {
	return ctx.release.get().progress[ctx.env.name]?.gov ?? {};
}

function record(ctx: EngineContext, patch: Partial<GovProgress>, detail: string): void {
	ctx.release.apply({ type: 'gov/record', env: ctx.env.name, patch, detail, at: iso(ctx) });
}

function done(ctx: EngineContext, stage: StageId, detail: string): StepResult {
	ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage, status: 'done', detail, at: iso(ctx) });
	return { kind: 'progressed', stage, message: `${stage}: ${detail}` };
}

function waiting(ctx: EngineContext, stage: StageId, detail: string, waitingFor: 'blocks' | 'someone-else' | 'time' = 'blocks'): StepResult {
	const current = ctx.release.get().progress[ctx.env.name]?.stages.find((s) => s.id === stage);
	if (current?.status !== 'waiting' || current.detail !== detail) {
		ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage, status: 'waiting', detail, at: iso(ctx) });
	}
	return { kind: 'wait', stage, message: detail, waitingFor };
}

function failed(ctx: EngineContext, stage: StageId, message: string, hint?: string): StepResult {
	ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage, status: 'failed', detail: message, at: iso(ctx) });
	return { kind: 'failed', stage, message, ...(hint ? { hint } : {}) };
}

// --- one extrinsic, offered to the signer ------------------------------------------------

interface Offer {
	stage: StageId;
	plan: CallPlan;
	authority: Authority;
	purpose: string;
	facts?: Array<{ label: string; value: string }>;
	/** Who may do this, for the message when no signer is given. */
	who: string;
	/** Re-read the chain right before sending: a result means "do not send". */
	recheck?: () => Promise<StepResult | undefined>;
	after: (r: { outcome: IntentOutcome; events: string[] }) => Promise<StepResult>;
}

async function offer(ctx: EngineContext, api: ApiPromise, o: Offer): Promise<StepResult> {
	const { env } = ctx;
	if (!ctx.signer) return { kind: 'needs-signer', stage: o.stage, message: `${o.purpose}: needs a signer (${o.who})` };
	const signer = ctx.signer;
	const base = await buildSignerPrompt(
		api,
		env,
		{ tx: o.plan.tx, call: o.plan.label, callLines: describeCall(o.plan.tx.method as unknown as Call), callHash: o.plan.hash, encodedLength: o.plan.len },
		signer.address,
		o.authority,
	);
	const prompt = { ...base, purpose: o.purpose, ...(o.facts ? { facts: o.facts } : {}) };
	if (prompt.refusals.length === 0) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: o.stage, status: 'active', detail: `${o.purpose}: awaiting confirmation by ${signer.label}`, at: iso(ctx) });
	}
	return {
		kind: 'confirm',
		stage: o.stage,
		prompt,
		submit: async () => {
			if (prompt.refusals.length > 0) return { kind: 'refused', stage: o.stage, message: prompt.refusals.join('; '), hint: `this step needs ${o.who}` };
			const again = await o.recheck?.();
			if (again) return again;
			if (ctx.release.get().progress[env.name]?.intents.some((i) => !i.outcome)) {
				return { kind: 'wait', stage: o.stage, message: 'an earlier extrinsic has no outcome yet', waitingFor: 'inclusion' };
			}
			const intentId = `${env.name}-${o.stage}-${Date.now().toString(36)}`;
			try {
				const result = await signAndTrack(api, o.plan.tx, signer.pair, prompt.nonce, { env: env.name, stage: o.stage, call: o.plan.label, callHash: o.plan.hash, intentId }, {
					onIntent: async (intent) => {
						ctx.release.apply({ type: 'intent/record', intent, at: iso(ctx) });
					},
					onStatus: ctx.onTx,
					onOutcome: async (outcome) => {
						ctx.release.apply({ type: 'intent/outcome', env: env.name, intentId, outcome, at: iso(ctx) });
					},
				});
				if (result.outcome.error) {
					return failed(ctx, o.stage, `${o.plan.label} in block #${result.outcome.blockNumber} failed: ${result.outcome.error}`, 'read the error; advance again re-reads the chain and offers the step again');
				}
				return await o.after(result);
			} catch (error) {
				const message = (error as Error).message;
				const open = ctx.release.get().progress[env.name]?.intents.find((i) => i.id === intentId && !i.outcome);
				if (open && /1010|1012|Invalid Transaction|priority|dropped|invalid/i.test(message)) {
					ctx.release.apply({ type: 'intent/outcome', env: env.name, intentId, outcome: { status: 'dropped', error: message, at: iso(ctx) }, at: iso(ctx) });
				}
				return failed(ctx, o.stage, message);
			}
		},
	};
}

/** After an extrinsic, the next step re-reads the chain: it says what the extrinsic achieved. */
function rerun(_ctx: EngineContext, _api: ApiPromise, stage: StageId) {
	return async ({ outcome }: { outcome: IntentOutcome }): Promise<StepResult> => ({
		kind: 'progressed',
		stage,
		message: `included in block #${outcome.blockNumber} (extrinsic ${outcome.extrinsicHash})`,
	});
}

// --- enacted already? ---------------------------------------------------------------------

type Enacted = { kind: 'code' } | { kind: 'authorized' } | undefined;

async function enacted(ctx: EngineContext, api: ApiPromise, codeHash: Hex): Promise<Enacted> {
	if (await chainRunsCode(api, codeHash, ctx.release.get().artifact.specVersion)) return { kind: 'code' };
	if (payloadOf(ctx.env) === 'authorize' && (await authorizedCodeHash(api)) === codeHash) return { kind: 'authorized' };
	return undefined;
}

const BEFORE_ENACTMENT: StageId[] = ['preimage', 'multisig', 'council', 'fast-track', 'whitelist', 'referendum'];

/** The chain already runs (or has authorized) this code: close the decision stages with that fact. */
async function skipDecided(ctx: EngineContext, api: ApiPromise, found: NonNullable<Enacted>): Promise<StepResult> {
	const stages = ctx.release.get().progress[ctx.env.name]!.stages;
	const what = found.kind === 'code' ? 'the chain already runs this code' : 'the chain has already authorized this code hash';
	for (const s of stages) {
		if (!BEFORE_ENACTMENT.includes(s.id) || s.status === 'done') continue;
		ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage: s.id, status: 'done', detail: `${what}; nothing to do`, at: iso(ctx) });
	}
	return { kind: 'progressed', stage: 'enactment', message: what };
}

// --- dispatch ---------------------------------------------------------------------------------

export async function governanceStage(ctx: EngineContext, api: ApiPromise, stage: StageId): Promise<StepResult> {
	let p: Plans;
	try {
		p = await plans(ctx, api);
	} catch (error) {
		return { kind: 'refused', stage, message: (error as Error).message, hint: (error as { hint?: string }).hint };
	}
	if (BEFORE_ENACTMENT.includes(stage)) {
		const found = await enacted(ctx, api, p.codeHash);
		if (found) return stage === 'multisig' ? multisigDecided(ctx, api, p, found) : skipDecided(ctx, api, found);
	}
	switch (stage) {
		case 'preimage':
			return preimageStage(ctx, api, p);
		case 'council':
			return councilStage(ctx, api, p);
		case 'fast-track':
			return fastTrackStage(ctx, api, p);
		case 'whitelist':
			return whitelistStage(ctx, api, p);
		case 'referendum':
			return ctx.env.route === 'opengov' ? openGovStage(ctx, api, p) : democracyStage(ctx, api, p);
		case 'enactment':
			return enactmentStage(ctx, api, p);
		case 'multisig':
			return multisigStage(ctx, api, p);
		case 'apply':
			return applyStage(ctx, api, p);
		default:
			return { kind: 'failed', stage, message: `stage ${stage} is not part of route ${ctx.env.route}` };
	}
}

// --- preimage ----------------------------------------------------------------------------------

async function preimageStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const { proposal } = p;
	const state = await preimageState(api, proposal.hash);
	const facts = [
		{ label: 'Preimage hash', value: proposal.hash },
		{ label: 'Length', value: `${proposal.len.toLocaleString('en-US')} bytes` },
		{ label: 'Code hash', value: p.codeHash },
	];
	if (state.noted) {
		if (state.len !== proposal.len) {
			return failed(ctx, 'preimage', `the chain holds preimage ${proposal.hash} with length ${state.len}, but the call is ${proposal.len} bytes`, 'a wrong length sinks the referendum; investigate before going on');
		}
		record(ctx, { payload: payloadOf(ctx.env), preimage: { hash: proposal.hash, len: proposal.len, call: proposal.label } }, `preimage ${proposal.hash} (${proposal.len} bytes, ${proposal.label}) is on chain`);
		return done(ctx, 'preimage', `${proposal.label} preimage ${short(proposal.hash)} (${proposal.len.toLocaleString('en-US')} bytes) is on chain`);
	}
	const note = planOf(api.tx.preimage.notePreimage(proposal.hex), 'preimage.notePreimage');
	return offer(ctx, api, {
		stage: 'preimage',
		plan: note,
		authority: { ok: true, text: 'any funded account may note a preimage (it holds the deposit until the preimage is unnoted)' },
		who: 'any funded account',
		purpose: `note the preimage of ${proposal.label} (${proposal.len.toLocaleString('en-US')} bytes)`,
		facts,
		recheck: async () => ((await preimageState(api, proposal.hash)).noted ? preimageStage(ctx, api, p) : undefined),
		after: rerun(ctx, api, 'preimage'),
	});
}

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
		variant === 'plain' ? (['externalPropose', 1, 2] as const) : variant === 'default' ? (['externalProposeDefault', 1, 1] as const) : (['externalProposeMajority', 3, 4] as const);
	const fn = (api.tx as Any).democracy[method];
	const inner = planOf(fn(boundedArg(fn, 0, p.proposal.hash, p.proposal.len)), `democracy.${method}`);
	const members = await collectiveMembers(api, 'council');
	return { pallet: 'council', stage: 'council', inner, members, threshold: proportionThreshold(members.length, num, den), describe: `democracy.${method} (${num}/${den} of the council)` };
}

async function fastTrackMotion(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<Motion> {
	const consts = (api.consts as Any).democracy;
	const fastTrackPeriod = consts?.fastTrackVotingPeriod?.toNumber?.() ?? 3;
	const votingPeriod = ctx.env.routeOptions?.fastTrackVotingPeriod ?? fastTrackPeriod;
	const delay = ctx.env.routeOptions?.fastTrackDelay ?? 1;
	const inner = planOf((api.tx as Any).democracy.fastTrack(p.proposal.hash, votingPeriod, delay), 'democracy.fastTrack');
	const members = await collectiveMembers(api, 'technicalCommittee');
	// Below FastTrackVotingPeriod the InstantOrigin (unanimous) is needed; else FastTrackOrigin (2/3).
	const instant = votingPeriod < fastTrackPeriod;
	return {
		pallet: 'technicalCommittee',
		stage: 'fast-track',
		inner,
		members,
		threshold: instant ? members.length : proportionThreshold(members.length, 2, 3),
		describe: `democracy.fastTrack(voting period ${votingPeriod}, delay ${delay}) (${instant ? 'unanimous: instant' : '2/3 of the committee'})`,
	};
}

async function councilStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	// Done once democracy holds the external proposal, or a referendum on it already runs.
	if ((await nextExternalHash(api)) === p.proposal.hash) return done(ctx, 'council', `democracy holds the external proposal ${short(p.proposal.hash)}`);
	const running = await findDemocracyReferendum(api, p.proposal.hash);
	if (running) {
		record(ctx, { referendum: { index: running.index, kind: 'democracy' } }, `democracy referendum #${running.index} on ${p.proposal.hash} is running`);
		return done(ctx, 'council', `referendum #${running.index} on the proposal already runs`);
	}
	return motionStep(ctx, api, await councilMotion(ctx, api, p), 'the council motion closed, but democracy holds no external proposal for this preimage');
}

async function fastTrackStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const running = await findDemocracyReferendum(api, p.proposal.hash);
	if (running) {
		record(ctx, { referendum: { index: running.index, kind: 'democracy' } }, `democracy referendum #${running.index} on ${p.proposal.hash} started`);
		return done(ctx, 'fast-track', `referendum #${running.index} started`);
	}
	const known = gov(ctx).referendum;
	if (known?.kind === 'democracy') {
		const r = await democracyReferendum(api, known.index);
		if (r?.finished) return done(ctx, 'fast-track', `referendum #${known.index} already ran`);
	}
	if ((await nextExternalHash(api)) !== p.proposal.hash) {
		return failed(ctx, 'fast-track', `democracy holds no external proposal ${short(p.proposal.hash)} and no referendum runs on it (cancelled, vetoed, or launched and finished?)`, 'check the chain (democracy.nextExternal, referendumInfoOf); the council may have to propose again');
	}
	return motionStep(ctx, api, await fastTrackMotion(ctx, api, p), 'the technical committee motion closed, but no referendum started');
}

async function motionStep(ctx: EngineContext, api: ApiPromise, m: Motion, closedWithoutEffect: string): Promise<StepResult> {
	const title = COLLECTIVE_TITLE[m.pallet];
	const tx = (api.tx as Any)[m.pallet];
	const motionHash = m.inner.hash;
	const state = await motionState(api, m.pallet, motionHash);
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const known = m.pallet === 'council' ? gov(ctx).council : gov(ctx).fastTrack;
	const key = m.pallet === 'council' ? 'council' : 'fastTrack';
	const signer = ctx.signer;
	const isMember = signer ? m.members.some((a) => sameAccount(a, signer.address)) : false;
	const memberAuthority: Authority = isMember
		? { ok: true, text: `is a member of the ${title} (${m.members.length} members)` }
		: { ok: false, text: `${signer?.address ?? 'this signer'} is not a member of the ${title}; members: ${m.members.join(', ')}` };

	if (!state) {
		if (known && known.hash === motionHash) {
			// We saw this motion before and it is gone without its effect.
			return failed(ctx, m.stage, `${closedWithoutEffect} (motion #${known.index} ${short(motionHash)})`, 'read the Closed/Disapproved events; a member may propose again');
		}
		if (signer && !isMember) {
			return waiting(ctx, m.stage, `waiting for a member of the ${title} to propose ${m.describe} (${signer.address} is not a member; members: ${m.members.join(', ')})`, 'someone-else');
		}
		const facts = [
			{ label: 'Motion', value: m.describe },
			{ label: 'Threshold', value: `${m.threshold} of ${m.members.length} members` },
			{ label: 'Motion hash', value: motionHash },
		];
		return offer(ctx, api, {
			stage: m.stage,
			plan: planOf(tx.propose(m.threshold, m.inner.tx, m.inner.len), `${m.pallet}.propose(${m.inner.label})`),
			authority: memberAuthority,
			who: `a member of the ${title}`,
			purpose: `propose a ${title} motion: ${m.describe}${m.threshold < 2 ? ' (threshold 1: executes at once)' : ''}`,
			facts,
			recheck: async () => ((await motionState(api, m.pallet, motionHash)) ? motionStep(ctx, api, m, closedWithoutEffect) : undefined),
			after: rerun(ctx, api, m.stage),
		});
	}
	if (!known || known.index !== state.index) {
		record(ctx, { [key]: { index: state.index, hash: motionHash, threshold: state.threshold } } as Partial<GovProgress>, `${title} motion #${state.index} ${motionHash}: ${state.ayes.length}/${state.threshold} ayes`);
	}
	const voted = (a: string) => state.ayes.some((x) => sameAccount(x, a)) || state.nays.some((x) => sameAccount(x, a));
	const missing = m.members.filter((a) => !voted(a));
	const tally = `${title} motion #${state.index}: ${state.ayes.length} aye, ${state.nays.length} nay of ${m.members.length}; threshold ${state.threshold}; ends at #${state.end}${state.end > best ? ` (${state.end - best} blocks, ${eta(api, state.end - best)})` : ' (ended)'}`;
	if (state.nays.length > m.members.length - state.threshold) {
		return failed(ctx, m.stage, `${tally}: too many nays, it cannot pass`, 'the motion will be disapproved when closed; start again after addressing the objections');
	}
	if (state.ayes.length >= state.threshold) {
		const weight = await callWeight(api, m.inner.tx, signer?.address ?? m.members[0]!);
		const closeFn = tx.close;
		const args = closeFn.meta.args.length === 4 ? [motionHash, state.index, weight, m.inner.len] : [motionHash, state.index, weight, m.inner.len];
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
			recheck: async () => ((await motionState(api, m.pallet, motionHash)) ? undefined : governanceStage(ctx, api, m.stage)),
			after: rerun(ctx, api, m.stage),
		});
	}
	if (signer && isMember && !voted(signer.address)) {
		return offer(ctx, api, {
			stage: m.stage,
			plan: planOf(tx.vote(motionHash, state.index, true), `${m.pallet}.vote(aye)`),
			authority: memberAuthority,
			who: `a ${title} member who has not voted`,
			purpose: `vote aye on ${title} motion #${state.index} (${state.ayes.length} of ${state.threshold} ayes so far)`,
			facts: [
				{ label: 'Motion', value: m.describe },
				{ label: 'Motion hash', value: motionHash },
			],
			recheck: async () => {
				const now = await motionState(api, m.pallet, motionHash);
				return now && [...now.ayes, ...now.nays].some((x) => sameAccount(x, signer.address)) ? motionStep(ctx, api, m, closedWithoutEffect) : undefined;
			},
			after: rerun(ctx, api, m.stage),
		});
	}
	const why = !signer ? '' : !isMember ? ` (${signer.address} is not a member)` : ' (you have voted)';
	return waiting(ctx, m.stage, `${tally}; waiting for votes from: ${missing.join(', ') || 'nobody'}${why}`, 'someone-else');
}

// --- whitelist ---------------------------------------------------------------------------------

async function whitelistStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const q = (api.query as Any).whitelist;
	if (!q) return failed(ctx, 'whitelist', 'this chain has no Whitelist pallet', 'use track root');
	const whitelisted = await q.whitelistedCall(p.payload.hash);
	if (whitelisted.isSome) {
		record(ctx, { whitelist: { callHash: p.payload.hash } }, `call ${p.payload.hash} is whitelisted`);
		return done(ctx, 'whitelist', `${p.payload.label} ${short(p.payload.hash)} is whitelisted`);
	}
	// On a real chain the Fellowship whitelists (its own origin). On a local chain whose
	// WhitelistOrigin is Root (the governance devnet), the sudo key stands in for it.
	const sudoKey = (api.query as Any).sudo ? String(await (api.query as Any).sudo.key()) : undefined;
	const mayStandIn = ctx.env.kind === 'local' && sudoKey && ctx.signer && sameAccount(sudoKey.replace(/^"|"$/g, ''), ctx.signer.address);
	if (!mayStandIn) {
		const standIn = ctx.env.kind === 'local' && sudoKey ? `; on this local chain the sudo key ${sudoKey.replace(/^"|"$/g, '')} may stand in: run advance with --signer set to it` : '';
		return waiting(ctx, 'whitelist', `waiting for the whitelist origin (the Fellowship) to whitelist call hash ${p.payload.hash} (${p.payload.label})${standIn}`, 'someone-else');
	}
	const inner = (api.tx as Any).whitelist.whitelistCall(p.payload.hash);
	return offer(ctx, api, {
		stage: 'whitelist',
		plan: planOf((api.tx as Any).sudo.sudo(inner), 'sudo.sudo(whitelist.whitelistCall)'),
		authority: { ok: true, text: `is the sudo key; on this local chain the whitelist origin is Root, so the sudo key stands in for the Fellowship` },
		who: 'the whitelist origin',
		purpose: `whitelist call hash ${short(p.payload.hash)} (${p.payload.label})`,
		facts: [{ label: 'Call hash', value: p.payload.hash }],
		recheck: async () => ((await q.whitelistedCall(p.payload.hash)).isSome ? whitelistStage(ctx, api, p) : undefined),
		after: rerun(ctx, api, 'whitelist'),
	});
}

// --- referendum: democracy -----------------------------------------------------------------------

async function voteBalance(ctx: EngineContext, api: ApiPromise, who: string): Promise<bigint> {
	const account = (await api.query.system.account(who)) as Any;
	const free = account.data.free.toBigInt() as bigint;
	const percent = BigInt(Math.round((ctx.env.routeOptions?.votePercent ?? 50) * 100));
	return (free * percent) / 10_000n;
}

async function democracyStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const known = gov(ctx).referendum;
	let ref = known?.kind === 'democracy' ? await democracyReferendum(api, known.index) : undefined;
	if (!ref || (!ref.ongoing && !ref.finished)) ref = await findDemocracyReferendum(api, p.proposal.hash);
	if (!ref) {
		const external = await nextExternalHash(api);
		return waiting(ctx, 'referendum', external === p.proposal.hash ? 'the external proposal waits for the fast-track or the next launch period' : `no referendum on ${short(p.proposal.hash)} yet`);
	}
	if (!known || known.index !== ref.index) record(ctx, { referendum: { index: ref.index, kind: 'democracy' } }, `democracy referendum #${ref.index}`);
	if (ref.finished) {
		if (!ref.finished.approved) return failed(ctx, 'referendum', `referendum #${ref.index} was rejected at block #${ref.finished.end}`);
		record(ctx, { referendum: { index: ref.index, kind: 'democracy', approvedAt: ref.finished.end } }, `referendum #${ref.index} approved at block #${ref.finished.end}`);
		return done(ctx, 'referendum', `referendum #${ref.index} passed at block #${ref.finished.end}`);
	}
	const o = ref.ongoing!;
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const fmt = (v: bigint) => api.createType('Balance', v).toHuman() as unknown as string;
	const tally = `referendum #${ref.index} (${o.threshold}): ayes ${fmt(o.ayes)}, nays ${fmt(o.nays)}, turnout ${fmt(o.turnout)}; ends at #${o.end} (${Math.max(0, o.end - best)} blocks, ${eta(api, o.end - best)}), enactment ${o.delay} blocks later`;
	const signer = ctx.signer;
	if (signer && !(await democracyVotes(api, signer.address)).includes(ref.index)) {
		const balance = await voteBalance(ctx, api, signer.address);
		const conviction = ctx.env.routeOptions?.conviction ?? 'Locked1x';
		if (balance > 0n) {
			return offer(ctx, api, {
				stage: 'referendum',
				plan: planOf(api.tx.democracy.vote(ref.index, { Standard: { vote: { aye: true, conviction }, balance } } as never), 'democracy.vote(aye)'),
				authority: { ok: true, text: 'any account with free balance may vote in a referendum' },
				who: 'any voter',
				purpose: `vote aye on referendum #${ref.index} with ${fmt(balance)} at ${conviction}`,
				facts: [{ label: 'Tally now', value: tally }],
				recheck: async () => ((await democracyVotes(api, signer.address)).includes(ref!.index) ? democracyStage(ctx, api, p) : undefined),
				after: rerun(ctx, api, 'referendum'),
			});
		}
	}
	return waiting(ctx, 'referendum', `${tally}${signer ? '' : '; vote with --signer'}`);
}

// --- referendum: OpenGov -------------------------------------------------------------------------

async function openGovStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
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
			return done(ctx, 'referendum', `a referendum on ${short(p.proposal.hash)} was approved: the scheduler dispatches ${p.proposal.label} at block #${at}`);
		}
		const { origin, label } = openGovOrigin(api, trackOption);
		if (trackOption === 'whitelisted' && label !== 'WhitelistedCaller' && ctx.env.kind !== 'local') {
			return { kind: 'refused', stage: 'referendum', message: `${ctx.env.name} has no WhitelistedCaller origin: the whitelisted track would be a Root referendum`, hint: 'use --track root for this environment' };
		}
		const delay = ctx.env.routeOptions?.enactmentDelay ?? 1;
		const submit = (api.tx as Any).referenda.submit;
		const deposit = (api.consts as Any).referenda?.submissionDeposit;
		return offer(ctx, api, {
			stage: 'referendum',
			plan: planOf(submit(origin, boundedArg(submit, 1, p.proposal.hash, p.proposal.len), { After: delay }), `referenda.submit(${label})`),
			authority: { ok: true, text: `any funded account may submit a referendum (submission deposit ${deposit?.toHuman?.() ?? 'per the chain'})` },
			who: 'any funded account',
			purpose: `submit a referendum on the ${label} track for ${p.proposal.label}, enacted ${delay} block(s) after approval`,
			facts: [
				{ label: 'Proposal', value: `${p.proposal.hash} (${p.proposal.len.toLocaleString('en-US')} bytes)` },
				{ label: 'Code hash', value: p.codeHash },
			],
			recheck: async () => ((await findOpenGovReferendum(api, p.proposal.hash)) || (await scheduledAt(api, p.proposal.hash)) !== undefined ? openGovStage(ctx, api, p) : undefined),
			after: rerun(ctx, api, 'referendum'),
		});
	}
	if (!known || known.index !== ref.index) record(ctx, { referendum: { index: ref.index, kind: 'referenda' } }, `OpenGov referendum #${ref.index} on track ${ref.track}`);
	if (ref.status === 'approved') {
		record(ctx, { referendum: { index: ref.index, kind: 'referenda', ...(ref.endedAt !== undefined ? { approvedAt: ref.endedAt } : {}) } }, `referendum #${ref.index} approved`);
		return done(ctx, 'referendum', `referendum #${ref.index} approved${ref.endedAt !== undefined ? ` at block #${ref.endedAt}` : ''}`);
	}
	if (!ref.ongoing) {
		return failed(ctx, 'referendum', `referendum #${ref.index} ended: ${ref.status}${ref.endedAt !== undefined ? ` at block #${ref.endedAt}` : ''}`, 'a new referendum on the same preimage is picked up by the next advance; or start a new release');
	}
	const o = ref.ongoing;
	const fmt = (v: bigint) => api.createType('Balance', v).toHuman() as unknown as string;
	const total = o.ayes + o.nays;
	const approval = total > 0n ? Number((o.ayes * 10_000n) / total) / 100 : 0;
	const issuance = ((await api.query.balances.totalIssuance()) as Any).toBigInt() as bigint;
	const support = issuance > 0n ? Number((o.support * 1_000_000n) / issuance) / 10_000 : 0;
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const phase =
		ref.status === 'confirming'
			? `confirming until #${o.confirmingUntil} (${Math.max(0, o.confirmingUntil! - best)} blocks)`
			: ref.status === 'deciding'
				? `deciding since #${o.decidingSince}`
				: o.inQueue
					? `queued: the track's deciding slots are taken (it starts deciding when one frees)`
					: o.hasDecisionDeposit
						? 'preparing (decision deposit placed)'
						: `preparing: needs a decision deposit${undecidingTimeout(api) > 0 ? ` (times out at #${o.submitted + undecidingTimeout(api)} without one)` : ''}`;
	const tally = `referendum #${ref.index} (track ${ref.track}): ${phase}; approval ${approval}% (ayes ${fmt(o.ayes)}, nays ${fmt(o.nays)}), support ${support}%`;
	if (signer && !o.hasDecisionDeposit) {
		const deposit = (api.consts as Any).referenda?.tracks?.find?.((t: Any) => t[0].toNumber() === ref!.track)?.[1]?.decisionDeposit;
		return offer(ctx, api, {
			stage: 'referendum',
			plan: planOf((api.tx as Any).referenda.placeDecisionDeposit(ref.index), 'referenda.placeDecisionDeposit'),
			authority: { ok: true, text: `any funded account may place the decision deposit${deposit ? ` (${deposit.toHuman()})` : ''}` },
			who: 'any funded account',
			purpose: `place the decision deposit for referendum #${ref.index} so it can start deciding`,
			facts: [{ label: 'State', value: tally }],
			recheck: async () => ((await openGovReferendum(api, ref!.index))?.ongoing?.hasDecisionDeposit ? openGovStage(ctx, api, p) : undefined),
			after: rerun(ctx, api, 'referendum'),
		});
	}
	if (signer && !(await convictionVotes(api, signer.address, ref.track)).includes(ref.index)) {
		const balance = await voteBalance(ctx, api, signer.address);
		const conviction = ctx.env.routeOptions?.conviction ?? 'Locked1x';
		if (balance > 0n) {
			return offer(ctx, api, {
				stage: 'referendum',
				plan: planOf((api.tx as Any).convictionVoting.vote(ref.index, { Standard: { vote: { aye: true, conviction }, balance } }), 'convictionVoting.vote(aye)'),
				authority: { ok: true, text: 'any account with free balance may vote' },
				who: 'any voter',
				purpose: `vote aye on referendum #${ref.index} with ${fmt(balance)} at ${conviction}`,
				facts: [{ label: 'State', value: tally }],
				recheck: async () => ((await convictionVotes(api, signer.address, ref!.track)).includes(ref!.index) ? openGovStage(ctx, api, p) : undefined),
				after: rerun(ctx, api, 'referendum'),
			});
		}
	}
	// Without a decision deposit the referendum never decides (it times out): that needs someone to act.
	if (!signer && !o.hasDecisionDeposit) return { kind: 'needs-signer', stage: 'referendum', message: `${tally}; any funded account may place the decision deposit: run advance with --signer` };
	return waiting(ctx, 'referendum', `${tally}${signer ? '' : '; vote with --signer'}`);
}

function undecidingTimeout(api: ApiPromise): number {
	return ((api.consts as Any).referenda?.undecidingTimeout?.toNumber?.() as number | undefined) ?? 0;
}

// --- enactment -------------------------------------------------------------------------------------

async function enactmentStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const found = await enacted(ctx, api, p.codeHash);
	if (found?.kind === 'code') {
		const block = await findUpgradeBlock(api, p.codeHash);
		if (!block) return done(ctx, 'enactment', 'the chain runs this code (the enactment block is older than the search window)');
		record(ctx, { enactment: { blockNumber: block.blockNumber } }, `enacted at block #${block.blockNumber}`);
		return recordUpgradeOutcome(ctx, block.blockNumber, block.blockHash, '0x' as Hex, ['system.CodeUpdated'], undefined, 'enacted by the scheduler', 'enactment');
	}
	if (found?.kind === 'authorized') {
		const block = await findUpgradeBlock(api, p.codeHash, authorizedCodeHash);
		const blockNumber = block?.blockNumber ?? (await api.rpc.chain.getHeader()).number.toNumber();
		record(ctx, { enactment: { blockNumber }, authorized: { blockNumber, codeHash: p.codeHash } }, `upgrade authorized at block #${blockNumber}`);
		return done(ctx, 'enactment', `the chain authorized code hash ${short(p.codeHash)} at block #${blockNumber}; the code can be applied`);
	}
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const at = await scheduledAt(api, p.proposal.hash);
	if (at !== undefined) {
		if (gov(ctx).enactment?.scheduledAt !== at) record(ctx, { enactment: { scheduledAt: at } }, `scheduled for block #${at}`);
		return waiting(ctx, 'enactment', `the scheduler dispatches ${p.proposal.label} at block #${at} (${Math.max(0, at - best)} blocks, ${eta(api, at - best)})`);
	}
	return waiting(ctx, 'enactment', `waiting for the approved proposal to be scheduled and dispatched (best block #${best})`);
}

// --- multisig sudo ------------------------------------------------------------------------------------

/**
 * The multisig call already executed (another signatory's console, or this one
 * killed before the outcome): the route has no enactment stage, so the
 * multisig stage records what the chain shows — the upgrade block (verify
 * needs it) or the authorization.
 */
async function multisigDecided(ctx: EngineContext, api: ApiPromise, p: Plans, found: NonNullable<Enacted>): Promise<StepResult> {
	if (found.kind === 'code') {
		const block = await findUpgradeBlock(api, p.codeHash);
		if (!block) return done(ctx, 'multisig', 'the chain already runs this code (the upgrade block is older than the search window)');
		return recordUpgradeOutcome(ctx, block.blockNumber, block.blockHash, '0x' as Hex, ['system.CodeUpdated'], undefined, 'the chain already runs this code', 'multisig');
	}
	const block = await findUpgradeBlock(api, p.codeHash, authorizedCodeHash);
	const blockNumber = block?.blockNumber ?? (await api.rpc.chain.getHeader()).number.toNumber();
	record(ctx, { authorized: { blockNumber, codeHash: p.codeHash } }, `upgrade authorized at block #${blockNumber}`);
	return done(ctx, 'multisig', `the chain authorized code hash ${short(p.codeHash)} at block #${blockNumber}; the code can be applied`);
}

async function multisigStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const config = ctx.env.routeOptions?.multisig;
	if (!config) return { kind: 'refused', stage: 'multisig', message: `environment ${ctx.env.name} has no multisig configured`, hint: 'env add … --route multisig-sudo --signatory A --signatory B --threshold 2' };
	const ss58 = api.registry.chainSS58 ?? 42;
	const address = multisigAddress(config.signatories, config.threshold, ss58);
	if (!(api.query as Any).sudo || !(api.tx as Any).multisig) return failed(ctx, 'multisig', `${ctx.env.name} needs the Sudo and Multisig pallets for route multisig-sudo`);
	const keyRaw = (await (api.query as Any).sudo.key()) as Any;
	const sudoKey = keyRaw.isSome === undefined ? keyRaw.toString() : keyRaw.isSome ? keyRaw.unwrap().toString() : '';
	if (!sameAccount(sudoKey, address)) {
		return { kind: 'refused', stage: 'multisig', message: `the sudo key is ${sudoKey || 'not set'}, not the multisig ${address} (${config.threshold} of ${config.signatories.length})`, hint: 'check the environment\'s signatories and threshold, or make the multisig the sudo key (sudo.setKey)' };
	}
	const set = payloadOf(ctx.env) === 'set-code';
	const weightType = String((api.tx as Any).sudo.sudoUncheckedWeight.meta.args[1]?.type ?? '');
	const zero = /u64/.test(weightType) ? 0 : { refTime: 0, proofSize: 0 };
	const call = set ? planOf((api.tx as Any).sudo.sudoUncheckedWeight(p.payload.tx, zero), 'sudo.sudoUncheckedWeight(system.setCode)') : planOf((api.tx as Any).sudo.sudo(p.payload.tx), `sudo.sudo(${p.payload.label})`);
	const state = await multisigState(api, address, call.hash);
	if (gov(ctx).multisig?.callHash !== call.hash || JSON.stringify(gov(ctx).multisig?.timepoint) !== JSON.stringify(state?.when)) {
		record(ctx, { multisig: { address, callHash: call.hash, threshold: config.threshold, ...(state ? { timepoint: state.when } : {}) } }, `multisig ${address}: call ${call.hash}, ${state?.approvals.length ?? 0} of ${config.threshold} approvals`);
	}
	const signer = ctx.signer;
	const isSignatory = signer ? config.signatories.some((s) => sameAccount(s, signer.address)) : false;
	const approvals = state?.approvals ?? [];
	const missing = config.signatories.filter((s) => !approvals.some((a) => sameAccount(a, s)));
	const status = `multisig ${short(address)}: ${approvals.length} of ${config.threshold} approvals for call ${short(call.hash)}`;
	if (!signer) return { kind: 'needs-signer', stage: 'multisig', message: `${status}; needs a signatory: ${missing.join(', ')}` };
	if (!isSignatory) {
		return { kind: 'refused', stage: 'multisig', message: `${signer.address} is not a signatory of multisig ${address}; signatories: ${config.signatories.join(', ')}`, hint: 'sign with one of the signatories' };
	}
	if (approvals.some((a) => sameAccount(a, signer.address))) {
		const more = config.threshold - approvals.length;
		return waiting(ctx, 'multisig', `${status}; you have approved; ${more} more approval${more === 1 ? '' : 's'} needed, from any of: ${missing.join(', ')}`, 'someone-else');
	}
	const others = otherSignatories(config.signatories, signer.address, ss58);
	const authority: Authority = { ok: true, text: `is signatory ${config.signatories.findIndex((s) => sameAccount(s, signer.address)) + 1} of ${config.signatories.length} of multisig ${address}, which is the sudo key` };
	const facts = [
		{ label: 'Multisig', value: `${address} (${config.threshold} of ${config.signatories.length})` },
		{ label: 'Inner call', value: `${call.label}, hash ${call.hash}` },
		{ label: 'Code hash', value: p.codeHash },
	];
	const weight = await callWeight(api, call.tx, address);
	const timepoint = state ? state.when : null;
	const recheck = async () => {
		if (await enacted(ctx, api, p.codeHash)) return governanceStage(ctx, api, 'multisig');
		const now = await multisigState(api, address, call.hash);
		// Another signatory approved, executed or cancelled since the prompt: its timepoint or
		// approval count no longer holds, so prepare the step again from the chain.
		const stale = JSON.stringify(now?.when) !== JSON.stringify(state?.when) || (now?.approvals.length ?? 0) !== approvals.length;
		return stale || now?.approvals.some((a) => sameAccount(a, signer.address)) ? multisigStage(ctx, api, p) : undefined;
	};
	const final = approvals.length + 1 >= config.threshold;
	if (final) {
		const asMulti = (api.tx as Any).multisig.asMulti;
		// Older Multisig (e.g. Rococo 9130): as_multi(threshold, others, timepoint, call: OpaqueCall, store_call, max_weight: u64).
		// The call's bare hex becomes Compact<len> ++ call for WrapperKeepOpaque<Call> and Vec<u8>, and the Call itself where
		// the type is Call; the chain hashes the inner bytes, so the call hash matches approveAsMulti's.
		const tx =
			config.threshold === 1
				? (api.tx as Any).multisig.asMultiThreshold1(others, call.tx)
				: asMulti.meta.args.length === 6
					? asMulti(config.threshold, others, timepoint, call.tx.method.toHex(), false, weight)
					: asMulti(config.threshold, others, timepoint, call.tx, weight);
		return offer(ctx, api, {
			stage: 'multisig',
			plan: planOf(tx, `multisig.asMulti(${call.label})`),
			authority,
			who: 'a signatory',
			purpose: `final approval: submit the call through multisig ${short(address)} (${approvals.length + 1} of ${config.threshold}); it executes ${call.label}`,
			facts,
			recheck,
			after: async ({ outcome, events }) => {
				if (set && events.includes('system.CodeUpdated')) {
					return recordUpgradeOutcome(ctx, outcome.blockNumber!, outcome.blockHash!, outcome.extrinsicHash!, events, undefined, `executed by multisig ${short(address)}`, 'multisig');
				}
				if (!set && events.includes('system.UpgradeAuthorized')) {
					record(ctx, { authorized: { blockNumber: outcome.blockNumber!, codeHash: p.codeHash } }, `upgrade authorized at block #${outcome.blockNumber}`);
					return done(ctx, 'multisig', `executed by multisig ${short(address)} in block #${outcome.blockNumber}: code hash ${short(p.codeHash)} authorized`);
				}
				return failed(ctx, 'multisig', `the multisig call in block #${outcome.blockNumber} did not ${set ? 'update the code' : 'authorize the upgrade'} (events: ${events.join(', ')})`, 'read the MultisigExecuted / Sudid results in that block');
			},
		});
	}
	return offer(ctx, api, {
		stage: 'multisig',
		plan: planOf((api.tx as Any).multisig.approveAsMulti(config.threshold, others, timepoint, call.hash, weight), 'multisig.approveAsMulti'),
		authority,
		who: 'a signatory',
		purpose: `approve call hash ${short(call.hash)} for multisig ${short(address)} (${approvals.length + 1} of ${config.threshold})`,
		facts,
		recheck,
		after: rerun(ctx, api, 'multisig'),
	});
}

// --- sudo with the authorize payload -------------------------------------------------------------------

export async function sudoAuthorizeStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	let p: Plans;
	try {
		p = await plans(ctx, api);
	} catch (error) {
		return { kind: 'refused', stage: 'upgrade', message: (error as Error).message, hint: (error as { hint?: string }).hint };
	}
	if ((await authorizedCodeHash(api)) === p.codeHash) {
		const at = (await api.rpc.chain.getHeader()).number.toNumber();
		record(ctx, { authorized: { blockNumber: at, codeHash: p.codeHash } }, `code hash ${p.codeHash} is authorized`);
		return done(ctx, 'upgrade', `code hash ${short(p.codeHash)} is authorized; the code can be applied`);
	}
	const { hasSudo, sudoAuthority } = await import('../chain/sudo.js');
	if (!hasSudo(api)) return { kind: 'refused', stage: 'upgrade', message: `${ctx.env.name} has no Sudo pallet`, hint: 'configure a governance route for this environment' };
	const authority = ctx.signer ? await sudoAuthority(api, ctx.signer.address) : { ok: false, text: '' };
	const key = String(await (api.query as Any).sudo.key());
	return offer(ctx, api, {
		stage: 'upgrade',
		plan: planOf((api.tx as Any).sudo.sudo(p.payload.tx), `sudo.sudo(${p.payload.label})`),
		authority,
		who: `the sudo key${key ? `, ${key}` : ''}`,
		purpose: `authorize code hash ${short(p.codeHash)} (hash first, code later)`,
		facts: [{ label: 'Code hash', value: p.codeHash }],
		recheck: async () => ((await authorizedCodeHash(api)) === p.codeHash ? sudoAuthorizeStage(ctx, api) : undefined),
		after: rerun(ctx, api, 'upgrade'),
	});
}

// --- apply an authorized upgrade ---------------------------------------------------------------------

async function applyStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	if (await chainRunsCode(api, p.codeHash, ctx.release.get().artifact.specVersion)) {
		const block = await findUpgradeBlock(api, p.codeHash);
		if (!block) return done(ctx, 'apply', 'the chain already runs this code');
		return recordUpgradeOutcome(ctx, block.blockNumber, block.blockHash, '0x' as Hex, ['system.CodeUpdated'], undefined, 'the chain already runs this code', 'apply');
	}
	const authorized = await authorizedCodeHash(api);
	if (authorized !== p.codeHash) {
		return failed(ctx, 'apply', authorized ? `the chain has authorized a different code hash: ${authorized}, not this artifact's ${p.codeHash}` : `the chain holds no authorized upgrade for ${p.codeHash}`, 'the authorization was replaced or consumed; check system.authorizedUpgrade');
	}
	const apply = buildApply(api, p.code);
	return offer(ctx, api, {
		stage: 'apply',
		plan: apply,
		authority: { ok: true, text: 'anyone may apply an authorized upgrade: the chain checks the code against the authorized hash (free when it succeeds)' },
		who: 'any funded account',
		purpose: `apply the authorized upgrade: ${p.code.length.toLocaleString('en-US')} bytes whose hash the chain checks`,
		facts: [{ label: 'Authorized hash', value: authorized }],
		recheck: async () => ((await chainRunsCode(api, p.codeHash, ctx.release.get().artifact.specVersion)) ? applyStage(ctx, api, p) : undefined),
		after: async ({ outcome, events }) => {
			if (events.includes('system.RejectedInvalidAuthorizedUpgrade')) {
				return failed(ctx, 'apply', `the chain rejected the code in block #${outcome.blockNumber} (RejectedInvalidAuthorizedUpgrade)`, 'the code does not pass the runtime version check');
			}
			return recordUpgradeOutcome(ctx, outcome.blockNumber!, outcome.blockHash!, outcome.extrinsicHash!, events, undefined, 'applied', 'apply');
		},
	});
}
