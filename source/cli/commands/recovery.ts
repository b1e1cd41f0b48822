/**
 * `recovery ID --env NAME [--out FILE]`: the recovery plan recorded before the
 * upgrade (the runtime it replaces), and with --out the chain-spec
 * `codeSubstitutes` fragment holding the previous code, read from the chain.
 */
import { writeFileSync } from 'node:fs';
import { EXIT, UsageError, findEnvironment, findRelease, type CommandContext } from './context.js';
import { embeddedResolver } from '../../engine/session.js';

export async function runRecovery(ctx: CommandContext, id: string | undefined, flags: { env?: string; out?: string }): Promise<number> {
	if (!id) throw new UsageError('missing release id', 'usage: release-console recovery ID --env NAME [--out codeSubstitutes.json]');
	const release = findRelease(ctx.store, id);
	const envName = flags.env ?? release.environments[0]!;
	const plan = release.alignment?.recovery?.[envName];
	if (!plan) {
		throw new UsageError(
			`release ${release.id} has no recovery plan for ${envName} yet`,
			`it is recorded by the artifact stage: run \`release-console advance ${release.id} --env ${envName}\` first`,
		);
	}
	const { recoveryLines } = await import('../../chain/recovery.js');
	const upgradeBlock = release.progress[envName]?.upgrade?.blockNumber;
	let written: string | undefined;
	if (flags.out) {
		const env = findEnvironment(ctx.store, envName);
		const { connectEnvironment } = await import('../../chain/connect.js');
		const { codeSubstitutesFragment } = await import('../../chain/recovery.js');
		const connection = await connectEnvironment(env, { resolveEmbedded: embeddedResolver(ctx.home), timeoutMs: 10_000 });
		try {
			const fragment = await codeSubstitutesFragment(connection.api, plan, upgradeBlock);
			writeFileSync(flags.out, `${fragment.json}\n`);
			written = flags.out;
		} finally {
			await connection.disconnect();
		}
	}
	if (ctx.json) ctx.io.stdout(JSON.stringify({ plan, upgradeBlock: upgradeBlock ?? null, written: written ?? null }));
	else {
		ctx.io.stdout(`recovery plan for ${release.id} on ${envName}:`);
		for (const line of recoveryLines(plan, upgradeBlock)) ctx.io.stdout(`  ${line}`);
		if (written) ctx.io.stdout(`wrote the codeSubstitutes fragment (previous code ${plan.previousCodeHash}) to ${written}`);
	}
	return EXIT.ok;
}
