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
import type { StageId } from '../../domain/types.js';
import type { EngineContext, StepResult } from '../context.js';
import { BEFORE_ENACTMENT, type Plans, enacted, plans, skipDecided } from './plans.js';
import { preimageStage } from './preimage.js';
import { councilStage, democracyStage, fastTrackStage } from './council.js';
import { openGovStage, whitelistStage } from './opengov.js';
import { enactmentStage } from './enactment.js';
import { multisigDecided, multisigStage } from './multisig.js';
import { applyStage } from './apply.js';

// --- dispatch ---------------------------------------------------------------------------------

export async function governanceStage(ctx: EngineContext, api: ApiPromise, stage: StageId): Promise<StepResult> {
	let p: Plans;
	try {
		p = await plans(ctx, api);
	} catch (error) {
		return { kind: 'refused', stage, message: (error as Error).message, hint: (error as { hint?: string }).hint };
	}
	const again = () => governanceStage(ctx, api, stage);
	if (BEFORE_ENACTMENT.includes(stage)) {
		const found = await enacted(ctx, api, p.codeHash);
		if (found) return stage === 'multisig' ? multisigDecided(ctx, api, p, found) : skipDecided(ctx, found);
	}
	switch (stage) {
		case 'preimage':
			return preimageStage(ctx, api, p);
		case 'council':
			return councilStage(ctx, api, p, again);
		case 'fast-track':
			return fastTrackStage(ctx, api, p, again);
		case 'whitelist':
			return whitelistStage(ctx, api, p);
		case 'referendum':
			return ctx.env.route === 'opengov' ? openGovStage(ctx, api, p) : democracyStage(ctx, api, p);
		case 'enactment':
			return enactmentStage(ctx, api, p);
		case 'multisig':
			return multisigStage(ctx, api, p, again);
		case 'apply':
			return applyStage(ctx, api, p);
		default:
			return { kind: 'failed', stage, message: `stage ${stage} is not part of route ${ctx.env.route}` };
	}
}
