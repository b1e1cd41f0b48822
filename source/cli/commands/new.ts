import path from 'node:path';
import { existsSync } from 'node:fs';
import { EXIT, UsageError, findEnvironment, type CommandContext } from './context.js';
import { createRelease, newReleaseId } from '../../domain/release.js';
import { routeSupport } from '../../domain/stages.js';

export async function runNew(ctx: CommandContext, flags: { name?: string; wasm?: string; env?: string[] }): Promise<number> {
	if (!flags.name?.trim())
		throw new UsageError(
			'missing --name',
			'e.g. `release-console new --name "runtime 9140" --wasm ./rococo_runtime.compact.compressed.wasm`',
		);
	if (!flags.wasm) throw new UsageError('missing --wasm PATH', 'the runtime wasm (raw or zstd-compressed) the release ships');
	const wasm = path.resolve(flags.wasm);
	if (!existsSync(wasm)) throw new UsageError(`no file at ${wasm}`, 'check the path to the runtime wasm');
	const envNames = flags.env && flags.env.length > 0 ? flags.env : ['devnet'];
	const environments = envNames.map((name) => findEnvironment(ctx.store, name));
	for (const env of environments) {
		const support = routeSupport(env.route);
		if (!support.supported) throw new UsageError(`environment ${env.name}: ${support.message}`);
	}
	const { inspectArtifact, toArtifactInfo } = await import('../../artifact/inspect.js');
	let inspection;
	try {
		inspection = await inspectArtifact(wasm);
	} catch (error) {
		throw new UsageError(
			`cannot use ${wasm} as a runtime: ${(error as Error).message}`,
			'pass the runtime wasm built for this chain (e.g. target/srtool/…/*.compact.compressed.wasm)',
		);
	}
	const at = new Date().toISOString();
	const release = createRelease({
		id: newReleaseId(flags.name, at),
		name: flags.name.trim(),
		artifact: toArtifactInfo(inspection, wasm),
		environments,
		at,
	});
	ctx.store.saveRelease(release);
	if (ctx.json) {
		ctx.io.stdout(
			JSON.stringify({ id: release.id, name: release.name, artifact: release.artifact, environments: release.environments }),
		);
	} else {
		const a = release.artifact;
		ctx.io.stdout(
			[
				`created release ${release.id}: ${release.name}`,
				`  artifact ${a.path}`,
				`  ${a.specName} spec ${a.specVersion} (tx ${a.transactionVersion}), code hash ${a.codeHash}`,
				`  environments: ${release.environments.join(' → ')}`,
				`next: release-console advance ${release.id} --env ${release.environments[0]} --signer //Alice`,
			].join('\n'),
		);
	}
	return EXIT.ok;
}
