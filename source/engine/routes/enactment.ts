/** Enactment: the approved proposal scheduled and dispatched at its block. */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { authorizedCodeHash } from '../../chain/pallets/system.js';
import { scheduledAt } from '../../chain/pallets/scheduler.js';
import { democracyShape, inDispatchQueue } from '../../chain/pallets/democracy.js';
import { eventsAt } from '../../chain/submit.js';
import { type EngineContext, type StepResult, blocksAway, done, gov, record, short, waiting } from '../context.js';
import { findUpgradeBlock, recordUpgradeOutcome } from '../upgrade-record.js';
import { type Plans, enacted } from './plans.js';

// --- enactment -------------------------------------------------------------------------------------

/**
 * The block the approved proposal is dispatched at: the Scheduler's agenda, or (a 2019 Democracy) its own
 * DispatchQueue at the referendum's end plus its delay, as the referendum showed them.
 */
async function enactmentBlock(ctx: EngineContext, api: ApiPromise, proposalHash: Hex): Promise<number | undefined> {
	if (ctx.env.route === 'council-democracy' && api.query.democracy && democracyShape(api).enactment === 'dispatch-queue') {
		const r = gov(ctx).referendum;
		const when = r?.approvedAt !== undefined && r.delay !== undefined ? r.approvedAt + r.delay : undefined;
		return when !== undefined && (await inDispatchQueue(api, when, proposalHash)) ? when : undefined;
	}
	return scheduledAt(api, proposalHash);
}

export async function enactmentStage(ctx: EngineContext, api: ApiPromise, p: Plans): Promise<StepResult> {
	const found = await enacted(ctx, api, p.codeHash);
	if (found?.kind === 'code') {
		const block = await findUpgradeBlock(api, p.codeHash);
		if (!block) return done(ctx, 'enactment', 'the chain runs this code (the enactment block is older than the search window)');
		record(ctx, { enactment: { blockNumber: block.blockNumber } }, `enacted at block #${block.blockNumber}`);
		const events = (await eventsAt(api, block.blockHash)).map(({ event }) => `${event.section}.${event.method}`);
		const by = events.includes('scheduler.Dispatched')
			? 'enacted by the scheduler'
			: events.includes('democracy.Executed')
				? "enacted from Democracy's dispatch queue"
				: 'enacted';
		return recordUpgradeOutcome(ctx, block.blockNumber, block.blockHash, '0x' as Hex, events, undefined, by, 'enactment');
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
	const at = await enactmentBlock(ctx, api, p.proposal.hash);
	if (at !== undefined) {
		if (gov(ctx).enactment?.scheduledAt !== at) record(ctx, { enactment: { scheduledAt: at } }, `scheduled for block #${at}`);
		return waiting(
			ctx,
			'enactment',
			`${democracyShape(api).enactment === 'dispatch-queue' && ctx.env.route === 'council-democracy' ? "Democracy's dispatch queue" : 'the scheduler'} dispatches ${p.proposal.label} at block #${at} (${blocksAway(ctx, at - best)})`,
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
