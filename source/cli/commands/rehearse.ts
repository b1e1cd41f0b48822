/**
 * `rehearse ID --env NAME [--block N] [--blocks N] [--json]`: fork the
 * environment's chain (read-only towards it), run the release's upgrade on the
 * fork with the origin it will have, build blocks under the new runtime, and
 * report. The report goes into the release's audit log as evidence; exit 0
 * when the rehearsal passed, 1 when it failed.
 */
import { EXIT, UsageError, findReleaseEnvironment, type CommandContext } from './context.js';
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
	const { release, env: asked } = findReleaseEnvironment(ctx.store, id, flags.env);
	if (flags.blocks !== undefined && (!Number.isInteger(flags.blocks) || flags.blocks < 0 || flags.blocks > 500))
		throw new UsageError(`--blocks ${flags.blocks} is not a number of blocks from 0 to 500`, 'e.g. --blocks 10');
	const { rehearsalEnvironments } = await import('../../engine/rehearsal.js');
	// A parachain is rehearsed with its relay (its Root is the relay's XCM), and a relay with the release's parachains on it.
	const { relay: env, paras: paraEnvs } = rehearsalEnvironments(release, asked, (name) => ctx.store.getEnvironment(name));
	if ([env, ...paraEnvs].some((e) => e.endpoints.some((x) => x === 'embedded:governance')))
		throw new UsageError(
			`${env.name} is the governance devnet, a simulation without an executable runtime: it cannot be forked`,
			'rehearse on an environment whose chain runs a real runtime (embedded:rococo, or a live endpoint)',
		);
	const say = (line: string) => {
		if (!ctx.json) ctx.io.stdout(line);
	};
	if (env !== asked)
		say(
			`${asked.name} is a parachain of ${env.name}: its code is authorized by ${env.name}'s upgrade, so both are rehearsed, each on a fork of its own`,
		);
	const { connectEnvironment, messageOf } = await import('../../chain/connect.js');
	const resolveEmbedded = embeddedResolver(ctx.home, (_c, line) => say(line));
	const upstream = await connectEnvironment(env, { resolveEmbedded, timeoutMs: 10_000 });
	const paraUpstreams: Awaited<ReturnType<typeof connectEnvironment>>[] = [];
	const read = async (c: typeof upstream) => {
		const [header, version] = await Promise.all([c.api.rpc.chain.getHeader(), c.api.rpc.state.getRuntimeVersion()]);
		return { head: header.number.toNumber(), specVersion: version.specVersion.toNumber() };
	};
	try {
		for (const p of paraEnvs) paraUpstreams.push(await connectEnvironment(p, { resolveEmbedded, timeoutMs: 10_000 }));
		const beforeUpstream = await read(upstream);
		const beforeParas = await Promise.all(paraUpstreams.map(read));
		say(
			`forking ${env.name} (${upstream.endpoint}) at ${flags.block !== undefined ? `#${flags.block}` : `its head #${beforeUpstream.head}`}${paraEnvs.length ? `, with ${paraEnvs.map((p, i) => `${p.name} (${paraUpstreams[i]!.endpoint}) at its head #${beforeParas[i]!.head}`).join(', ')}` : ''}…`,
		);
		const [{ rehearseEnvironment, rehearsalActions, rehearsalPassed }, { rehearsalText }] = await Promise.all([
			import('../../engine/rehearsal.js'),
			import('../../engine/rehearsal-text.js'),
		]);
		let outcome;
		try {
			outcome = await rehearseEnvironment({
				endpoint: upstream.endpoint,
				release,
				env,
				paras: paraEnvs.map((p, i) => ({ env: p, endpoint: paraUpstreams[i]!.endpoint })),
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
		const { report, paras, cache } = outcome;
		const afterUpstream = await read(upstream);
		const afterParas = await Promise.all(paraUpstreams.map(read));
		const untouched =
			afterUpstream.specVersion === beforeUpstream.specVersion &&
			afterParas.every((a, i) => a.specVersion === beforeParas[i]!.specVersion);
		const at = new Date().toISOString();
		for (const action of await rehearsalActions(release, env, report, at)) ctx.store.dispatch(release.id, action);
		for (const [i, p] of paras.entries())
			for (const action of await rehearsalActions(release, paraEnvs[i]!, p, at)) ctx.store.dispatch(release.id, action);
		if (ctx.json)
			ctx.io.stdout(
				JSON.stringify({
					report,
					paras,
					cache,
					upstream: { before: beforeUpstream, after: afterUpstream, untouched },
					paraUpstreams: paraEnvs.map((p, i) => ({ env: p.name, before: beforeParas[i], after: afterParas[i] })),
				}),
			);
		else {
			for (const line of rehearsalText(report)) ctx.io.stdout(line);
			for (const p of paras) for (const line of rehearsalText(p)) ctx.io.stdout(line);
			ctx.io.stdout(`upstream ${env.name}: spec ${afterUpstream.specVersion}, head #${afterUpstream.head} (nothing was sent to it)`);
			for (const [i, p] of paraEnvs.entries())
				ctx.io.stdout(
					`upstream ${p.name}: spec ${afterParas[i]!.specVersion}, head #${afterParas[i]!.head} (nothing was sent to it)`,
				);
		}
		return rehearsalPassed(outcome) ? EXIT.ok : EXIT.failed;
	} finally {
		await Promise.all([upstream.disconnect(), ...paraUpstreams.map((c) => c.disconnect())]);
	}
}
