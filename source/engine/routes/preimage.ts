/** The preimage stage: note the proposal's preimage (or find it noted / requested). */
import type { ApiPromise } from '@polkadot/api';
import { palletCall, planOf } from '../../chain/pallets/common.js';
import type { Hex } from '../../domain/types.js';
import { preimageState, type PreimageState } from '../../chain/pallets/preimage.js';
import { democracyPreimageLen, democracyShape } from '../../chain/pallets/democracy.js';
import { type EngineContext, type StepResult, done, failed, payloadOf, record, short } from '../context.js';
import { offer, rerun } from '../offer.js';
import type { Plans } from './plans.js';

// --- preimage ----------------------------------------------------------------------------------

/**
 * Where the preimage goes: the Preimage pallet; Democracy's own `note_preimage` where the chain's Democracy takes a
 * proposal by hash without a Preimage pallet (2020–22); nowhere where it takes the call itself (2019).
 */
function preimageHome(ctx: EngineContext, api: ApiPromise): 'preimage-pallet' | 'democracy' | 'inline' {
	if (ctx.env.route !== 'council-democracy' || !api.query.democracy) return 'preimage-pallet';
	return democracyShape(api).preimage;
}

async function noted(api: ApiPromise, home: 'preimage-pallet' | 'democracy', hash: Hex): Promise<PreimageState> {
	if (home === 'preimage-pallet') return preimageState(api, hash);
	const len = await democracyPreimageLen(api, hash);
	return len === undefined ? { noted: false, requested: false } : { noted: true, len, requested: false };
}

export async function preimageStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const { proposal } = p;
	const home = preimageHome(ctx, api);
	if (home === 'inline') {
		record(
			ctx,
			{ payload: payloadOf(ctx.env), preimage: { hash: proposal.hash, len: proposal.len, call: proposal.label } },
			`no preimage to note: this chain's Democracy takes the proposal itself (${proposal.len.toLocaleString('en-US')} bytes inline)`,
		);
		return done(
			ctx,
			'preimage',
			`no preimage needed: this chain's Democracy (2019) takes ${proposal.label} inline in the council motion (${proposal.len.toLocaleString('en-US')} bytes)`,
		);
	}
	const state = await noted(api, home, proposal.hash);
	const facts = [
		{ label: 'Preimage hash', value: proposal.hash },
		{ label: 'Length', value: `${proposal.len.toLocaleString('en-US')} bytes` },
		{ label: 'Code hash', value: p.codeHash },
	];
	if (state.noted) {
		if (state.len !== proposal.len) {
			return failed(
				ctx,
				'preimage',
				`the chain holds preimage ${proposal.hash} with length ${state.len}, but the call is ${proposal.len} bytes`,
				'a wrong length sinks the referendum; investigate before going on',
			);
		}
		record(
			ctx,
			{ payload: payloadOf(ctx.env), preimage: { hash: proposal.hash, len: proposal.len, call: proposal.label } },
			`preimage ${proposal.hash} (${proposal.len} bytes, ${proposal.label}) is on chain`,
		);
		return done(
			ctx,
			'preimage',
			`${proposal.label} preimage ${short(proposal.hash)} (${proposal.len.toLocaleString('en-US')} bytes) is on chain`,
		);
	}
	const pallet = home === 'democracy' ? 'democracy' : 'preimage';
	const note = planOf(palletCall(api, pallet, 'notePreimage')(proposal.hex), `${pallet}.notePreimage`);
	return offer(ctx, api, {
		stage: 'preimage',
		plan: note,
		authority: { ok: true, text: 'any funded account may note a preimage (it holds the deposit until the preimage is unnoted)' },
		who: 'any funded account',
		purpose: `note the preimage of ${proposal.label} (${proposal.len.toLocaleString('en-US')} bytes)`,
		facts,
		recheck: async () => ((await noted(api, home, proposal.hash)).noted ? preimageStage(ctx, api, p) : undefined),
		after: rerun('preimage'),
	});
}
