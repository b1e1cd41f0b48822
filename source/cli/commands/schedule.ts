/**
 * `schedule --env NAME [--at ISO_TIME | --window] [--block N]`: enactment
 * time in blocks. The environment's block time is measured from the chain
 * (timestamps of the best block and one up to 100 blocks before it); a target
 * wall-clock time (or the next Monday–Wednesday 08:00 UTC, the Fellowship's
 * habit) becomes the enactment block, and any block number gets its expected
 * time.
 */
import { EXIT, UsageError, findEnvironment, type CommandContext } from './context.js';
import { embeddedResolver } from '../../engine/session.js';
import { enactmentBlockFor, expectedTimeOf, nextEnactmentWindow } from '../../domain/enactment.js';

export async function runSchedule(
	ctx: CommandContext,
	flags: { env?: string; at?: string; window?: boolean; block?: number },
): Promise<number> {
	const usage = 'usage: release-console schedule --env NAME [--at 2026-11-23T08:00:00Z | --window] [--block N]';
	if (!flags.env) throw new UsageError('missing --env', usage);
	let target: number | undefined;
	if (flags.at !== undefined) {
		target = Date.parse(flags.at);
		if (!Number.isFinite(target))
			throw new UsageError(`--at ${flags.at} is not a date and time`, 'give an ISO time, e.g. 2026-11-23T08:00:00Z');
	}
	if (flags.block !== undefined && (!Number.isInteger(flags.block) || flags.block < 0))
		throw new UsageError(`--block ${flags.block} is not a block number`, 'give a whole number ≥ 0');
	const env = findEnvironment(ctx.store, flags.env);
	const { connectEnvironment } = await import('../../chain/connect.js');
	const connection = await connectEnvironment(env, { resolveEmbedded: embeddedResolver(ctx.home), timeoutMs: 10_000 });
	try {
		const api = connection.api;
		const { chainBlockTime } = await import('../../chain/block-time.js');
		const measured = await chainBlockTime(api);
		const { best, bestAt, ms } = measured;
		const back = measured.over;
		const how = measured.how === 'measured' ? 'measured' : 'expected (not enough blocks to measure)';
		if (flags.window) target = nextEnactmentWindow(bestAt, 0);
		const out: Record<string, unknown> = {
			env: env.name,
			bestBlock: best,
			bestBlockTime: new Date(bestAt).toISOString(),
			blockTimeMs: Math.round(ms),
			blockTimeFrom: how,
		};
		const lines = [
			`${env.name}: best block #${best} at ${new Date(bestAt).toISOString()}; block time ${(ms / 1000).toFixed(2)} s (${how}${back > 0 && how === 'measured' ? ` over the last ${back} blocks` : ''})`,
		];
		if (target !== undefined) {
			const block = enactmentBlockFor(target, best, bestAt, ms);
			out.target = { time: new Date(target).toISOString(), enactmentBlock: block, blocksFromNow: block - best };
			lines.push(
				`enact at ${new Date(target).toISOString()}${flags.window ? ' (next Monday–Wednesday 08:00 UTC)' : ''}: block #${block} (${block - best} blocks from now)`,
			);
		}
		if (flags.block !== undefined) {
			const at = expectedTimeOf(flags.block, best, bestAt, ms);
			out.block = { number: flags.block, expectedTime: new Date(at).toISOString() };
			lines.push(`block #${flags.block} ${flags.block <= best ? 'was' : 'is expected'} at about ${new Date(at).toISOString()}`);
		}
		ctx.io.stdout(ctx.json ? JSON.stringify(out) : lines.join('\n'));
		return EXIT.ok;
	} finally {
		await connection.disconnect();
	}
}
