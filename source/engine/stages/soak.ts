/** The soak stage: blocks and chain time since the upgrade, stalls. */
import type { ApiPromise } from '@polkadot/api';
import type { Hex, ReleaseAction } from '../../domain/types.js';
import { soakGate, updateSoak, evaluateSoak, formatDuration } from '../../domain/gates.js';
import { type EngineContext, type StepResult, iso } from '../context.js';
import { blockTimestamp } from '../upgrade-record.js';

export async function soakStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const progress = release.progress[env.name]!;
	const upgrade = progress.upgrade!;
	const at = iso(ctx);
	const header = await api.rpc.chain.getHeader();
	const best = header.number.toNumber();
	const bestAt = (await blockTimestamp(api, header.hash.toHex() as Hex)) ?? Date.now();
	const upgradeAt = Date.parse(upgrade.at);
	const start = progress.soak ?? {
		startBlock: upgrade.blockNumber,
		startedAt: upgrade.at,
		lastBlock: upgrade.blockNumber,
		lastBlockAt: upgrade.at,
		longestStallSeconds: 0,
	};
	const soak = updateSoak(start, best, bestAt);
	const evaluation = evaluateSoak(env.soak, soak, bestAt);
	const gate = soakGate(env.name, env.soak, soak, bestAt);
	const wallStall = (Date.now() - bestAt) / 1000;
	const actions: ReleaseAction[] = [
		{ type: 'soak/update', env: env.name, soak, at },
		{ type: 'gate/set', gate, at },
	];
	if (gate.status === 'fail' || evaluation.stalled) {
		ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'soak', status: 'failed', detail: gate.summary, at });
		return {
			kind: 'failed',
			stage: 'soak',
			message: `soak failed: ${gate.summary}`,
			hint: 'a stall after an upgrade needs investigation before promotion',
		};
	}
	if (evaluation.met) {
		ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'soak', status: 'done', detail: gate.summary, at });
		return { kind: 'progressed', stage: 'soak', message: `soak passed: ${gate.summary}` };
	}
	ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'soak', status: 'waiting', detail: gate.summary, at });
	const waitingFor = evaluation.remainingBlocks > 0 ? 'blocks' : 'time';
	const since = formatDuration(Math.max(0, Math.round((bestAt - upgradeAt) / 1000)));
	// The soak ends where both its blocks and its chain time are reached (chain time moves with blocks).
	const chainMsPerBlock = ctx.pace?.blockMs ?? 6000;
	const until = best + Math.max(evaluation.remainingBlocks, Math.ceil((evaluation.remainingSeconds * 1000) / chainMsPerBlock), 1);
	const toGo = [
		evaluation.remainingBlocks > 0 ? `${evaluation.remainingBlocks} more ${evaluation.remainingBlocks === 1 ? 'block' : 'blocks'}` : '',
		evaluation.remainingSeconds > 0 ? `${formatDuration(evaluation.remainingSeconds)} of chain time` : '',
	]
		.filter(Boolean)
		.join(' and ');
	// On a chain paced by the person no block is expected until they ask: that is not a stall.
	const stall = !ctx.pace?.paced && wallStall > env.soak.maxStallSeconds ? `; no block for ${Math.round(wallStall)}s` : '';
	return {
		kind: 'wait',
		stage: 'soak',
		waitingFor,
		until,
		message: `soaking since block #${upgrade.blockNumber} (${since} of chain time): ${gate.summary}; ${toGo} to go${ctx.pace?.paced ? ' (f fast-forwards)' : ''}${stall}`,
	};
}
