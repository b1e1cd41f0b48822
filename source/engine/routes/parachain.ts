/**
 * The parachain route: the relay chain decides, the parachain applies, the
 * console follows both.
 *
 * - *authorize*: the relay's Root authorizes the para's code hash with an XCM
 *   `Transact{Superuser, authorize_upgrade(hash)}`. The relay environment's own
 *   route carries it: its upgrade call becomes `utility.batchAll` of the relay's
 *   own payload and one `xcmPallet.send` per parachain of the release
 *   (`withParaAuthorizations`, used by plans.ts and the sudo route). Here the
 *   para is read: `UpgradeAuthorized` for this hash, or why not yet (the relay
 *   has not acted, the downward message is on its way, the para rejected it).
 * - *apply*: the unsigned `enactAuthorizedUpgrade(code)` (or frame-system's
 *   `applyAuthorizedUpgrade`), refused before sending when the para's
 *   authorization names another hash.
 * - *pending*: `PendingValidationCode` holds the code until the relay's
 *   go-ahead; `ValidationFunctionApplied` records the upgrade block.
 *
 * Every call reads both chains first and continues from what is true there.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Environment, Hex, ParaProgress, Release } from '../../domain/types.js';
import type { GateEvaluation } from '../../domain/gates.js';
import { artifactFor } from '../../domain/release.js';
import { readArtifact } from '../../artifact/read.js';
import { onChainCodeHash } from '../../chain/live.js';
import { eventsAt } from '../../chain/submit.js';
import { planOf, type CallPlan } from '../../chain/pallets/common.js';
import {
	buildParaEnact,
	hasParachainSystem,
	paraAuthorization,
	paraBlockReport,
	paraIdOf,
	pendingUpgrade,
	type ParaUpgradeEvent,
} from '../../chain/pallets/parachain-system.js';
import { buildAuthorizeXcm, buildRelayBatch, destinationParaId, type AuthorizeXcmPlan } from '../../chain/pallets/xcm.js';
import { codeSizeGate, relayParaFacts, type RelayParaFacts } from '../../chain/pallets/paras.js';
import {
	type EngineContext,
	type LinkedChain,
	type StepResult,
	artifactOf,
	blocksAway,
	done,
	failed,
	gov,
	record,
	short,
	waiting,
} from '../context.js';
import { offerUnsigned } from '../offer.js';
import { findUpgradeBlock, recordUpgradeOutcome } from '../upgrade-record.js';

/** The parachain environments of the release whose relay is this environment, connected. */
export function linkedParas(ctx: EngineContext): LinkedChain[] {
	return Object.values(ctx.linked ?? {}).filter((l) => l.env.route === 'parachain' && l.env.parachain?.relay === ctx.env.name);
}

/** The relay of a parachain environment, connected; undefined when the session has none. */
export function linkedRelay(ctx: EngineContext): LinkedChain | undefined {
	const relay = ctx.env.parachain?.relay;
	return relay ? ctx.linked?.[relay] : undefined;
}

export interface ParaSend {
	env: string;
	paraId: number;
	plan: AuthorizeXcmPlan;
}

/** A parachain environment of the release with an API to its chain (the session's, or a fork's). */
export interface ParaChain {
	env: Environment;
	api: ApiPromise;
}

/**
 * What this relay's upgrade must also send: for each of `paras` that does not run, hold pending or hold an
 * authorization for the release's runtime, the `xcmPallet.send` that authorizes it. Read from the chains right
 * now, so a resumed step never sends one twice. Used by the route and by a rehearsal on forks.
 */
export async function authorizationSendsFor(release: Release, relayApi: ApiPromise, paras: readonly ParaChain[]): Promise<ParaSend[]> {
	const out: ParaSend[] = [];
	for (const { env, api: paraApi } of paras) {
		const art = artifactFor(release, env.name);
		const paraId = env.parachain!.paraId;
		if ((await onChainCodeHash(paraApi)) === art.codeHash) continue;
		if ((await pendingUpgrade(paraApi)).pendingCodeHash === art.codeHash) continue;
		if ((await paraAuthorization(paraApi))?.codeHash === art.codeHash) continue;
		out.push({ env: env.name, paraId, plan: await buildAuthorizeXcm(relayApi, paraApi, paraId, art.codeHash) });
	}
	return out;
}

/** `authorizationSendsFor` the session's connected parachains of this relay. */
export function paraAuthorizationSends(ctx: EngineContext, relayApi: ApiPromise): Promise<ParaSend[]> {
	return authorizationSendsFor(
		ctx.release.get(),
		relayApi,
		linkedParas(ctx).map((p) => ({ env: p.env, api: p.connection.api })),
	);
}

/**
 * The relay's own upgrade call with the sends: `utility.batchAll(own, xcmPallet.send…)` (all or nothing: a send
 * that fails reverts the relay's upgrade too, so the set ships together); `own` alone when there is nothing to send.
 */
export function withSends(relayApi: ApiPromise, own: CallPlan, sends: readonly ParaSend[]): CallPlan {
	if (sends.length === 0) return own;
	const batch = buildRelayBatch(
		relayApi,
		[{ tx: own.tx, label: own.label }, ...sends.map((s) => ({ tx: s.plan.tx, label: s.plan.label }))],
		'batchAll',
	);
	return planOf(batch.tx, batch.label);
}

/** The relay's own upgrade call, with the parachains' authorizations when the release has any to send (`withSends`). */
export async function withParaAuthorizations(
	ctx: EngineContext,
	relayApi: ApiPromise,
	own: CallPlan,
): Promise<{ plan: CallPlan; sends: ParaSend[] }> {
	const sends = await paraAuthorizationSends(ctx, relayApi);
	return { plan: withSends(relayApi, own, sends), sends };
}

const relayBlocks = (n: number) => `${n} relay block${n === 1 ? '' : 's'}`;

// --- gates a parachain's runtime must pass before anything is signed ------------------------------

/**
 * The parachain's own checks: it is a parachain (ParachainSystem), its para id is the
 * environment's, the relay knows it where the relay can say, and its code fits the relay's
 * `maxCodeSize` (warn from 80%, fail from 95%). Run by the para's artifact stage and by its
 * relay's (the relay's upgrade sends the authorization, so the para is checked before that).
 */
export async function parachainGates(
	paraEnv: Environment,
	paraApi: ApiPromise,
	relay: LinkedChain | undefined,
	codeLen: number,
	at: string,
): Promise<{ gates: GateEvaluation[]; facts?: RelayParaFacts; notes: string[] }> {
	const base = { env: paraEnv.name, checkedAt: at };
	const gates: GateEvaluation[] = [];
	const notes: string[] = [];
	const paraId = paraEnv.parachain?.paraId;
	const onChainId = await paraIdOf(paraApi);
	if (!hasParachainSystem(paraApi))
		gates.push({
			...base,
			id: 'parachain',
			status: 'fail',
			summary: `${paraEnv.name} runs no ParachainSystem pallet: it is not a parachain; use another route`,
		});
	else if (onChainId !== undefined && paraId !== undefined && onChainId !== paraId)
		gates.push({
			...base,
			id: 'parachain',
			status: 'fail',
			summary: `${paraEnv.name} is para ${onChainId}, not para ${paraId} as the environment says`,
			evidence: { chain: onChainId, env: paraId },
		});
	if (!relay) {
		gates.push({
			...base,
			id: 'parachain',
			status: 'fail',
			summary: `the relay environment ${paraEnv.parachain?.relay ?? '(none)'} is not connected`,
		});
		return { gates, notes };
	}
	const facts = await relayParaFacts(relay.connection.api, paraId ?? onChainId ?? 0, paraApi);
	if (!gates.some((g) => g.status === 'fail')) {
		if (facts.known === false && relay.env.kind !== 'local')
			gates.push({
				...base,
				id: 'parachain',
				status: 'fail',
				summary: `the relay ${relay.env.name} does not know para ${paraId} (no paras.paraLifecycles entry)`,
				evidence: { paraId },
			});
		else
			gates.push({
				...base,
				id: 'parachain',
				status: 'pass',
				summary:
					facts.known === false
						? `para ${paraId} is not registered on ${relay.env.name} (a local relay: its downward messages are delivered anyway; on testnet and production an unknown para id fails)`
						: `para ${paraId} on ${relay.env.name}${facts.lifecycle ? ` (${facts.lifecycle})` : ''}`,
				evidence: { paraId, known: facts.known ?? null },
			});
	}
	const size = codeSizeGate(codeLen, facts.maxCodeSize);
	gates.push({
		...base,
		id: 'code-size',
		status: size.status === 'fail' ? 'fail' : 'pass',
		summary: `${size.status === 'warn' ? 'warning: ' : ''}${size.text}`,
		evidence: { codeLen, maxCodeSize: facts.maxCodeSize, level: size.status },
	});
	if (facts.validationUpgradeDelay !== undefined)
		notes.push(
			`the relay applies a new para code ${relayBlocks(facts.validationUpgradeDelay)} after it accepts it (validationUpgradeDelay)` +
				(facts.validationUpgradeCooldown !== undefined
					? `; then no new upgrade for ${relayBlocks(facts.validationUpgradeCooldown)} (cooldown)`
					: ''),
		);
	if (!facts.simulated) notes.push(`relay-side upgrade of para ${paraId}: not simulated here (${facts.simulatedBecause})`);
	return { gates, facts, notes };
}

// --- authorize ----------------------------------------------------------------------------------

function paraOf(ctx: EngineContext): ParaProgress {
	return gov(ctx).para ?? {};
}

function recordPara(ctx: EngineContext, patch: Partial<ParaProgress>, detail: string): void {
	record(ctx, { para: { ...paraOf(ctx), ...patch } }, detail);
}

/** Para blocks from `from` (exclusive) to the best, newest last, with their upgrade and downward-message events. */
async function paraBlocksSince(
	api: ApiPromise,
	from: number,
): Promise<Array<{ number: number; report: Awaited<ReturnType<typeof paraBlockReport>> }>> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const out = [];
	for (let n = Math.max(from + 1, best - 50); n <= best; n++) {
		const hash = (await api.rpc.chain.getBlockHash(n)).toHex() as Hex;
		out.push({ number: n, report: await paraBlockReport(api, hash) });
	}
	return out;
}

export async function authorizeStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const art = artifactOf(ctx);
	const relayName = ctx.env.parachain?.relay;
	if ((await onChainCodeHash(api)) === art.codeHash) return done(ctx, 'authorize', 'the parachain already runs this code');
	if ((await pendingUpgrade(api)).pendingCodeHash === art.codeHash)
		return done(ctx, 'authorize', 'the parachain already holds this code as pending');
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const held = await paraAuthorization(api);
	if (held?.codeHash === art.codeHash) {
		recordPara(
			ctx,
			{ authorizedAt: paraOf(ctx).authorizedAt ?? best },
			`para authorization for ${art.codeHash} seen at block #${best}`,
		);
		return done(
			ctx,
			'authorize',
			`the parachain holds the authorization for ${short(art.codeHash)} (UpgradeAuthorized)${held.checkVersion ? ', with its version check' : ''}`,
		);
	}
	const release = ctx.release.get();
	if (!relayName || !release.environments.includes(relayName))
		return {
			kind: 'refused',
			stage: 'authorize',
			message: `the authorization of ${ctx.env.name}'s code comes from its relay's Root, and the relay environment ${relayName ?? '(none)'} does not travel in release ${release.id}`,
			hint: `create the release with the relay too (release-console new --runtime ${relayName ?? 'RELAY'}=WASM --runtime ${ctx.env.name}=WASM): its route carries the authorization`,
		};
	const relay = linkedRelay(ctx);
	const relayProgress = release.progress[relayName];
	const relayUpgrade = relayProgress?.upgrade;
	if (!relayUpgrade) {
		const stage = relayProgress?.stages.find((s) => s.status !== 'done');
		return waiting(
			ctx,
			'authorize',
			`the relay ${relayName}'s upgrade carries this authorization (an XCM Transact of authorizeUpgrade(${short(art.codeHash)})): advance ${relayName} first${stage ? ` (it is at ${stage.id}: ${stage.status})` : ''}`,
			'someone-else',
		);
	}
	if (!relay)
		return {
			kind: 'failed',
			stage: 'authorize',
			message: `the relay environment ${relayName} is not connected`,
			hint: 'check its endpoints',
		};
	const para = paraOf(ctx);
	if (!para.sent) {
		// The relay's upgrade block: did it send to this para?
		const relayApi = relay.connection.api;
		const events = await eventsAt(relayApi, relayUpgrade.blockHash);
		const sent = events.filter(
			(e) => (e.event.section === 'xcmPallet' || e.event.section === 'polkadotXcm') && e.event.method === 'Sent',
		);
		const paraId = ctx.env.parachain!.paraId;
		// xcmPallet.Sent(origin, destination, message): the destination names Parachain(paraId).
		const toUs = sent.some(
			(e) => destinationParaId((e.event.data[1] as { toJSON?: () => unknown } | undefined)?.toJSON?.()) === paraId,
		);
		if (!toUs)
			return failed(
				ctx,
				'authorize',
				`the relay's upgrade in block #${relayUpgrade.blockNumber} sent no authorization to para ${ctx.env.parachain!.paraId} (no xcmPallet.Sent to it)`,
				`the relay was upgraded without this parachain's authorization; send it from the relay's Root (an xcmPallet.send of Transact{Superuser, authorizeUpgrade(${art.codeHash})}) or start a new release`,
			);
		recordPara(
			ctx,
			{
				sent: {
					relayEnv: relayName,
					blockNumber: relayUpgrade.blockNumber,
					extrinsicHash: relayUpgrade.extrinsicHash,
					paraBlock: best,
				},
			},
			`the relay sent the authorization to para ${ctx.env.parachain!.paraId} in relay block #${relayUpgrade.blockNumber}`,
		);
		return waitForDelivery(ctx, relayName, relayUpgrade.blockNumber, best);
	}
	// Sent: look at what the para did with its downward messages since.
	for (const { number, report } of await paraBlocksSince(api, para.sent.paraBlock ?? best - 1)) {
		const other = report.upgrade.find(
			(e): e is Extract<ParaUpgradeEvent, { kind: 'UpgradeAuthorized' }> => e.kind === 'UpgradeAuthorized',
		);
		if (report.downward.rejected.length > 0 && !other)
			return failed(
				ctx,
				'authorize',
				`para block #${number} did not execute the relay's downward message: ${report.downward.rejected.map((r) => r.text).join('; ')}`,
				'read the event: an overweight message waits to be serviced by hand; an error means the Transact was refused (origin, weight or call)',
			);
		if (other && other.codeHash !== art.codeHash)
			return failed(
				ctx,
				'authorize',
				`para block #${number} authorized another code hash: ${other.codeHash}, not this artifact's ${art.codeHash}`,
				'someone else authorized another code since; look at the relay before sending anything again',
			);
	}
	return waitForDelivery(ctx, relayName, para.sent.blockNumber, best);
}

function waitForDelivery(ctx: EngineContext, relayName: string, relayBlock: number, best: number): StepResult {
	return waiting(
		ctx,
		'authorize',
		`the relay ${relayName} sent the authorization in relay block #${relayBlock} (xcmPallet.Sent); the parachain takes it in with its next block's downward messages (${blocksAway(ctx, 1)})`,
		'blocks',
		best + 1,
	);
}

// --- apply --------------------------------------------------------------------------------------

/** The block that included this release's apply, when its events show the code stored (ValidationFunctionStored). */
async function storedByApply(ctx: EngineContext, api: ApiPromise): Promise<number | undefined> {
	const outcome = ctx.release
		.get()
		.progress[ctx.env.name]?.intents.find((i) => i.stage === 'apply' && i.outcome?.status === 'included')?.outcome;
	if (!outcome?.blockHash || outcome.blockNumber === undefined) return undefined;
	const report = await paraBlockReport(api, outcome.blockHash);
	return report.upgrade.some((e) => e.kind === 'ValidationFunctionStored') ? outcome.blockNumber : undefined;
}

export async function paraApplyStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const art = artifactOf(ctx);
	if ((await onChainCodeHash(api)) === art.codeHash) {
		// Stored and applied before this stage looked (a run resumed while the parachain built blocks).
		const stored = paraOf(ctx).storedAt ?? (await storedByApply(ctx, api));
		if (stored !== undefined && paraOf(ctx).storedAt === undefined)
			recordPara(ctx, { storedAt: stored }, `ValidationFunctionStored in para block #${stored} (the apply's block)`);
		return done(ctx, 'apply', 'the parachain already runs this code');
	}
	const pending = await pendingUpgrade(api);
	if (pending.pendingCodeHash === art.codeHash) {
		const best = (await api.rpc.chain.getHeader()).number.toNumber();
		const stored = paraOf(ctx).storedAt ?? (await storedByApply(ctx, api));
		recordPara(
			ctx,
			{ storedAt: stored ?? best },
			stored !== undefined
				? `ValidationFunctionStored in para block #${stored}`
				: `the code is pending on the parachain (seen at #${best})`,
		);
		return done(ctx, 'apply', `the parachain holds the code as pending (ValidationFunctionStored)`);
	}
	const held = await paraAuthorization(api);
	if (held?.codeHash !== art.codeHash)
		return {
			kind: 'refused',
			stage: 'apply',
			message: held
				? `the parachain's AuthorizedUpgrade names another code hash: ${held.codeHash}, not this artifact's ${art.codeHash}; nothing was sent`
				: `the parachain holds no authorized upgrade; nothing was sent`,
			hint: 'the authorization was replaced or consumed: read parachainSystem.authorizedUpgrade, and authorize this hash from the relay again',
		};
	const artifact = await readArtifact(art.path);
	if (artifact.codeHash !== art.codeHash)
		return {
			kind: 'refused',
			stage: 'apply',
			message: `the wasm at ${art.path} changed since the release was created`,
			hint: 'restore the file or create a new release',
		};
	const plan = buildParaEnact(api, artifact.bytes);
	return offerUnsigned(ctx, api, {
		stage: 'apply',
		plan: { tx: plan.tx, label: plan.label, hash: plan.callHash },
		authority:
			"nobody signs it: the parachain's ValidateUnsigned takes this call when the code hashes to the authorized hash (free, no nonce)",
		purpose: `hand the authorized code to the parachain: ${artifact.bytes.length.toLocaleString('en-US')} bytes, hash ${short(art.codeHash)}`,
		facts: [
			{ label: 'Authorized hash', value: held.codeHash },
			{ label: 'Code hash', value: art.codeHash },
		],
		recheck: async () => {
			if ((await pendingUpgrade(api)).pendingCodeHash === art.codeHash) return paraApplyStage(ctx, api);
			return undefined;
		},
		after: async ({ outcome, events }) => {
			if (!events.includes('parachainSystem.ValidationFunctionStored') && !events.includes('system.CodeUpdated'))
				return failed(
					ctx,
					'apply',
					`${plan.label} was included in block #${outcome.blockNumber} without ValidationFunctionStored (events: ${events.join(', ') || 'none'})`,
					'read the block: the parachain did not take the code',
				);
			recordPara(ctx, { storedAt: outcome.blockNumber! }, `ValidationFunctionStored in para block #${outcome.blockNumber}`);
			return done(
				ctx,
				'apply',
				`ValidationFunctionStored in block #${outcome.blockNumber}: the code is pending the relay's go-ahead`,
			);
		},
	});
}

// --- pending ------------------------------------------------------------------------------------

export async function pendingStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const art = artifactOf(ctx);
	const para = paraOf(ctx);
	if ((await onChainCodeHash(api)) === art.codeHash) {
		const found = await findUpgradeBlock(api, art.codeHash);
		if (!found) return done(ctx, 'pending', 'the parachain runs this code (the block that applied it was not found)');
		const report = await paraBlockReport(api, found.blockHash);
		const applied = report.upgrade.find((e) => e.kind === 'ValidationFunctionApplied');
		recordPara(
			ctx,
			{ appliedAt: found.blockNumber, ...(applied?.kind === 'ValidationFunctionApplied' ? { relayBlock: applied.relayBlock } : {}) },
			`ValidationFunctionApplied in para block #${found.blockNumber}`,
		);
		return recordUpgradeOutcome(
			ctx,
			found.blockNumber,
			found.blockHash,
			'0x' as Hex,
			report.events,
			undefined,
			applied ? applied.text : 'the code was applied',
			'pending',
		);
	}
	const pending = await pendingUpgrade(api);
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	// Did the relay abort it, or the para refuse it, since it was stored?
	if (para.storedAt !== undefined) {
		for (const { number, report } of await paraBlocksSince(api, para.storedAt - 1)) {
			const bad = report.upgrade.find(
				(e) => e.kind === 'ValidationFunctionDiscarded' || e.kind === 'RejectedInvalidAuthorizedUpgrade',
			);
			if (bad)
				return failed(ctx, 'pending', `para block #${number}: ${bad.text}`, 'the code was dropped; authorize and apply it again');
		}
	}
	// Read after the code check: a block built between the two may have applied the pending code. Look again.
	if (pending.pendingCodeHash === undefined && (await onChainCodeHash(api)) === art.codeHash) return pendingStage(ctx, api);
	if (pending.pendingCodeHash !== art.codeHash)
		return failed(
			ctx,
			'pending',
			pending.pendingCodeHash
				? `the parachain holds another pending code: ${pending.pendingCodeHash}, not ${art.codeHash}`
				: `the parachain holds no pending code and does not run ${art.codeHash}`,
			'read parachainSystem.pendingValidationCode; apply the authorized code again if it was dropped',
		);
	const facts: string[] = [];
	if (pending.relayParent !== undefined) facts.push(`relay parent #${pending.relayParent}`);
	facts.push(`UpgradeGoAhead ${pending.goAhead ?? 'none yet'}`);
	facts.push(`UpgradeRestrictionSignal ${pending.restriction ?? 'none'}`);
	const relay = linkedRelay(ctx);
	if (relay) {
		const rf = await relayParaFacts(relay.connection.api, ctx.env.parachain!.paraId, api).catch(() => undefined);
		if (rf && !rf.simulated) facts.push(`relay side not simulated here: ${rf.simulatedBecause}`);
		else if (rf) {
			if (rf.futureCodeHash) facts.push(`relay futureCodeHash ${short(rf.futureCodeHash)}`);
			if (rf.futureCodeUpgradeAt !== undefined) {
				const relayBest = (await relay.connection.api.rpc.chain.getHeader()).number.toNumber();
				facts.push(
					`applies at relay block #${rf.futureCodeUpgradeAt} (${Math.max(0, rf.futureCodeUpgradeAt - relayBest)} relay blocks away)`,
				);
			}
			if (rf.pvfVotes) facts.push(`PVF pre-check votes ${rf.pvfVotes.accept} for, ${rf.pvfVotes.reject} against`);
			if (rf.cooldownUntil !== undefined) facts.push(`cooldown until relay block #${rf.cooldownUntil}`);
		}
	}
	return waiting(
		ctx,
		'pending',
		`the code is pending since para block #${para.storedAt ?? '?'} (ValidationFunctionStored); it applies when the relay gives the go-ahead (${facts.join('; ')}); next para block ${blocksAway(ctx, 1)}`,
		'blocks',
		best + 1,
	);
}

export async function parachainStage(ctx: EngineContext, api: ApiPromise, stage: 'authorize' | 'apply' | 'pending'): Promise<StepResult> {
	if (stage === 'authorize') return authorizeStage(ctx, api);
	if (stage === 'apply') return paraApplyStage(ctx, api);
	return pendingStage(ctx, api);
}
