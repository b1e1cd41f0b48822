/**
 * `rehearse ID --env NAME [--block N] [--blocks N] [--json]`: fork the
 * environment's chain (read-only towards it), run the release's upgrade on the
 * fork with the origin it will have, build blocks under the new runtime, and
 * report. The report goes into the release's audit log as evidence; exit 0
 * when the rehearsal passed, 1 when it failed.
 */
import { EXIT, UsageError, findEnvironment, findRelease, type CommandContext } from './context.js';
import { pickEnvironment } from '../../domain/release.js';
import path from 'node:path';
import { embeddedResolver } from '../../engine/session.js';

export interface RehearseFlags {
	env?: string;
	block?: number;
	blocks?: number;
	/** Fetch everything from the chain again: the fork cache of this store is deleted first. */
	noCache?: boolean;
}

export async function runRehearse(ctx: CommandContext, id: string | undefined, flags: RehearseFlags): Promise<number> {
	if (!id) throw new UsageError('missing release id', 'usage: release-console rehearse ID --env NAME [--block N] [--blocks 10]');
	const release = findRelease(ctx.store, id);
	const envName = pickEnvironment(release, flags.env);
	if (!envName)
		throw new UsageError(
			`release ${release.id} does not travel environment ${flags.env}`,
			`its environments: ${release.environments.join(', ')}`,
		);
	const env = findEnvironment(ctx.store, envName);
	if (flags.blocks !== undefined && (!Number.isInteger(flags.blocks) || flags.blocks < 0 || flags.blocks > 500))
		throw new UsageError(`--blocks ${flags.blocks} is not a number of blocks from 0 to 500`, 'e.g. --blocks 10');
	if (env.endpoints.some((e) => e === 'embedded:governance'))
		throw new UsageError(
			`${env.name} is the governance devnet, a simulation without an executable runtime: it cannot be forked`,
			'rehearse on an environment whose chain runs a real runtime (embedded:rococo, or a live endpoint)',
		);
	const say = (line: string) => {
		if (!ctx.json) ctx.io.stdout(line);
	};
	const { connectEnvironment, messageOf } = await import('../../chain/connect.js');
	const upstream = await connectEnvironment(env, {
		resolveEmbedded: embeddedResolver(ctx.home, (_c, line) => say(line)),
		timeoutMs: 10_000,
	});
	const readUpstream = async () => {
		const [header, version] = await Promise.all([upstream.api.rpc.chain.getHeader(), upstream.api.rpc.state.getRuntimeVersion()]);
		return { head: header.number.toNumber(), specVersion: version.specVersion.toNumber() };
	};
	try {
		const beforeUpstream = await readUpstream();
		say(
			`forking ${env.name} (${upstream.endpoint}) at ${flags.block !== undefined ? `#${flags.block}` : `its head #${beforeUpstream.head}`}…`,
		);
		const [{ rehearseEnvironment, rehearsalActions }, { rehearsalText }] = await Promise.all([
			import('../../engine/rehearsal.js'),
			import('../../engine/rehearsal-text.js'),
		]);
		let outcome;
		try {
			outcome = await rehearseEnvironment({
				endpoint: upstream.endpoint,
				release,
				env,
				cacheDir: path.join(ctx.home, 'fork-cache'),
				...(flags.noCache ? { noCache: true } : {}),
				...(flags.block !== undefined ? { block: flags.block } : {}),
				...(flags.blocks !== undefined ? { blocks: flags.blocks } : {}),
				onProgress: (line) => say(`  ${line}`),
			});
		} catch (error) {
			const message = messageOf(error);
			ctx.io.stderr(
				`failed: ${message}\n  what to do: fork at a block the endpoint keeps state for (an archive node), or drop --block`,
			);
			if (ctx.json) ctx.io.stdout(JSON.stringify({ error: message }));
			return EXIT.failed;
		}
		const { report, cache } = outcome;
		const afterUpstream = await readUpstream();
		const untouched = afterUpstream.specVersion === beforeUpstream.specVersion;
		for (const action of await rehearsalActions(release, env, report, new Date().toISOString())) ctx.store.dispatch(release.id, action);
		if (ctx.json)
			ctx.io.stdout(JSON.stringify({ report, cache, upstream: { before: beforeUpstream, after: afterUpstream, untouched } }));
		else {
			for (const line of rehearsalText(report)) ctx.io.stdout(line);
			ctx.io.stdout(`upstream ${env.name}: spec ${afterUpstream.specVersion}, head #${afterUpstream.head} (nothing was sent to it)`);
		}
		return report.verdict === 'passed' ? EXIT.ok : EXIT.failed;
	} finally {
		await upstream.disconnect();
	}
}
