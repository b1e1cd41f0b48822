/** Apply an authorized upgrade: anyone submits the code whose hash the chain authorized. */
import type { ApiPromise } from '@polkadot/api';
import { chainRunsCode } from '../../chain/live.js';
import { authorizedCodeHash, buildApply } from '../../chain/pallets/system.js';
import { artifactOf, type EngineContext, type StepResult, failed } from '../context.js';
import { offer } from '../offer.js';
import { recordRunningCode, recordUpgradeOutcome } from '../upgrade-record.js';
import type { Plans } from './plans.js';

// --- apply an authorized upgrade ---------------------------------------------------------------------

export async function applyStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	if (await chainRunsCode(api, p.codeHash, artifactOf(ctx).specVersion))
		return recordRunningCode(ctx, api, p.codeHash, 'apply', 'the chain already runs this code');
	const authorized = await authorizedCodeHash(api);
	if (authorized !== p.codeHash) {
		return failed(
			ctx,
			'apply',
			authorized
				? `the chain has authorized a different code hash: ${authorized}, not this artifact's ${p.codeHash}`
				: `the chain holds no authorized upgrade for ${p.codeHash}`,
			'the authorization was replaced or consumed; check system.authorizedUpgrade',
		);
	}
	const apply = buildApply(api, p.code);
	return offer(ctx, api, {
		stage: 'apply',
		plan: apply,
		authority: {
			ok: true,
			text: 'anyone may apply an authorized upgrade: the chain checks the code against the authorized hash (free when it succeeds)',
		},
		who: 'any funded account',
		purpose: `apply the authorized upgrade: ${p.code.length.toLocaleString('en-US')} bytes whose hash the chain checks`,
		facts: [{ label: 'Authorized hash', value: authorized }],
		recheck: async () => ((await chainRunsCode(api, p.codeHash, artifactOf(ctx).specVersion)) ? applyStage(ctx, api, p) : undefined),
		after: async ({ outcome, events }) => {
			if (events.includes('system.RejectedInvalidAuthorizedUpgrade')) {
				return failed(
					ctx,
					'apply',
					`the chain rejected the code in block #${outcome.blockNumber} (RejectedInvalidAuthorizedUpgrade)`,
					'the code does not pass the runtime version check',
				);
			}
			return recordUpgradeOutcome(
				ctx,
				outcome.blockNumber!,
				outcome.blockHash!,
				outcome.extrinsicHash!,
				events,
				undefined,
				'applied',
				'apply',
			);
		},
	});
}
