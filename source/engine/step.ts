/**
 * One step of a release on one environment, shared by the console and
 * `advance` (through session.ts): each call reads the chain and the stored
 * release, does at most one thing, records it, and says what happened or
 * what it waits for.
 *
 * Order of business on every call: reconcile intents without an outcome
 * (the console may have been killed between sending and inclusion), then the
 * current stage: artifact, verify and soak (stages/) are the same on every
 * route; the route's own stages are in routes/.
 */
import { reconcileIntent } from '../chain/submit.js';
import { currentStage } from '../domain/release.js';
import { isUnsigned } from '../domain/reducer.js';
import { artifactOf, iso, payloadOf, type EngineContext, type StepResult } from './context.js';
import { artifactStage } from './stages/artifact.js';
import { verifyStage } from './stages/verify.js';
import { soakStage } from './stages/soak.js';
import { recordUpgradeOutcome } from './upgrade-record.js';
import { upgradeStage } from './routes/sudo.js';
import { governanceStage } from './routes/index.js';
import { parachainStage } from './routes/parachain.js';

export async function step(ctx: EngineContext): Promise<StepResult> {
	const { env, connection } = ctx;
	const api = connection.api;
	let release = ctx.release.get();
	const progress = release.progress[env.name];
	if (!progress) {
		return {
			kind: 'refused',
			stage: 'artifact',
			message: `release ${release.id} does not travel environment ${env.name}`,
			hint: `its environments are: ${release.environments.join(', ')}`,
		};
	}
	// 1. Reconcile what was sent before a stop. A payload handed to an outside signer was never sent:
	//    the stage's offer takes its signature (offer.ts); only once its era is over is it closed here.
	for (const intent of progress.intents.filter((i) => !i.outcome && isUnsigned(i))) {
		const best = (await api.rpc.chain.getHeader()).number.toNumber();
		// With a signature in hand the offer closes it, and says why that signature cannot be sent.
		if (best + 1 < intent.awaiting!.expiresAt || ctx.signer?.external?.signature) continue;
		release = ctx.release.apply({
			type: 'intent/outcome',
			env: env.name,
			intentId: intent.id,
			outcome: {
				status: 'dropped',
				error: `payload not signed before its era ended at block #${intent.awaiting!.expiresAt}`,
				at: iso(ctx),
			},
			at: iso(ctx),
		});
	}
	for (const intent of progress.intents.filter((i) => !i.outcome && !isUnsigned(i))) {
		const result = await reconcileIntent(api, intent);
		if (result.kind === 'pending') return { kind: 'wait', stage: intent.stage, message: result.reason, waitingFor: 'inclusion' };
		release = ctx.release.apply({ type: 'intent/outcome', env: env.name, intentId: intent.id, outcome: result.outcome, at: iso(ctx) });
		if (result.kind === 'included' && intent.stage === 'upgrade' && payloadOf(env) === 'set-code') {
			return recordUpgradeOutcome(
				ctx,
				result.outcome.blockNumber!,
				result.outcome.blockHash!,
				intent.extrinsicHash!,
				result.events,
				result.outcome.error,
			);
		}
		if (result.kind === 'included') {
			// Governance steps and the authorize payload re-read the chain: it says what the extrinsic achieved.
			const failed = result.outcome.status === 'failed' ? ` but failed: ${result.outcome.error}` : '';
			return {
				kind: 'progressed',
				stage: intent.stage,
				message: `earlier extrinsic ${intent.call} (${intent.extrinsicHash}) was included in block #${result.outcome.blockNumber}${failed}`,
			};
		}
		return {
			kind: 'progressed',
			stage: intent.stage,
			message: `earlier extrinsic ${intent.extrinsicHash} was dropped (${result.outcome.error}); it can be sent again`,
		};
	}

	const stage = currentStage(release, env.name)?.id;
	if (!stage)
		return {
			kind: 'complete',
			message: `${env.name}: upgraded to ${artifactOf(ctx).specName} ${artifactOf(ctx).specVersion}, verified and soaked`,
		};

	if (env.route === 'parachain' && (stage === 'authorize' || stage === 'apply' || stage === 'pending'))
		return parachainStage(ctx, api, stage);
	switch (stage) {
		case 'artifact':
			return artifactStage(ctx, api);
		case 'upgrade':
			return upgradeStage(ctx, api);
		case 'verify':
			return verifyStage(ctx, api);
		case 'soak':
			return soakStage(ctx, api);
		default:
			return governanceStage(ctx, api, stage);
	}
}
