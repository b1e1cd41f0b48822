/** Enactment: the approved proposal scheduled and dispatched at its block. */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { authorizedCodeHash } from '../../chain/pallets/system.js';
import { scheduledAt } from '../../chain/pallets/scheduler.js';
import { type EngineContext, type StepResult, blocksAway, done, gov, record, short, waiting } from '../context.js';
import { findUpgradeBlock, recordUpgradeOutcome } from '../upgrade-record.js';
import { type Plans, enacted } from './plans.js';

// --- enactment -------------------------------------------------------------------------------------

export async function enactmentStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const found = await enacted(ctx, api, p.codeHash);
	if (found?.kind === 'code') {
		const block = await findUpgradeBlock(api, p.codeHash);
		if (!block) return done(ctx, 'enactment', 'the chain runs this code (the enactment block is older than the search window)');
		record(ctx, { enactment: { blockNumber: block.blockNumber } }, `enacted at block #${block.blockNumber}`);
		return recordUpgradeOutcome(
			ctx,
			block.blockNumber,
			block.blockHash,
			'0x' as Hex,
			['system.CodeUpdated'],
			undefined,
			'enacted by the scheduler',
			'enactment',
		);
	}
	if (found?.kind === 'authorized') {
		const block = await findUpgradeBlock(api, p.codeHash, authorizedCodeHash);
		const blockNumber = block?.blockNumber ?? (await api.rpc.chain.getHeader()).number.toNumber();
		record(
			ctx,
			{ enactment: { blockNumber }, authorized: { blockNumber, codeHash: p.codeHash } },
			`upgrade authorized at block #${blockNumber}`,
		);
		return done(
			ctx,
			'enactment',
			`the chain authorized code hash ${short(p.codeHash)} at block #${blockNumber}; the code can be applied`,
		);
	}
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const at = await scheduledAt(api, p.proposal.hash);
	if (at !== undefined) {
		if (gov(ctx).enactment?.scheduledAt !== at) record(ctx, { enactment: { scheduledAt: at } }, `scheduled for block #${at}`);
		return waiting(
			ctx,
			'enactment',
			`the scheduler dispatches ${p.proposal.label} at block #${at} (${blocksAway(ctx, at - best)})`,
			'blocks',
			at,
		);
	}
	return waiting(
		ctx,
		'enactment',
		`waiting for the approved proposal to be scheduled and dispatched (best block #${best})`,
		'blocks',
		best + 1,
	);
}
