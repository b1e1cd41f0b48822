/** The preimage stage: note the proposal's preimage (or find it noted / requested). */
import type { ApiPromise } from '@polkadot/api';
import { planOf } from '../../chain/pallets/common.js';
import { preimageState } from '../../chain/pallets/preimage.js';
import { type EngineContext, type StepResult, done, failed, payloadOf, record, short } from '../context.js';
import { offer, rerun } from '../offer.js';
import type { Plans } from './plans.js';

// --- preimage ----------------------------------------------------------------------------------

export async function preimageStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const { proposal } = p;
	const state = await preimageState(api, proposal.hash);
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
	const note = planOf(api.tx.preimage.notePreimage(proposal.hex), 'preimage.notePreimage');
	return offer(ctx, api, {
		stage: 'preimage',
		plan: note,
		authority: { ok: true, text: 'any funded account may note a preimage (it holds the deposit until the preimage is unnoted)' },
		who: 'any funded account',
		purpose: `note the preimage of ${proposal.label} (${proposal.len.toLocaleString('en-US')} bytes)`,
		facts,
		recheck: async () => ((await preimageState(api, proposal.hash)).noted ? preimageStage(ctx, api, p) : undefined),
		after: rerun('preimage'),
	});
}
