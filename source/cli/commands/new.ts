import path from 'node:path';
import { existsSync } from 'node:fs';
import { EXIT, UsageError, findEnvironment, type CommandContext } from './context.js';
import { createRelease, newReleaseId, shippedRuntimes } from '../../domain/release.js';
import { routeSupport } from '../../domain/stages.js';

/** `ENV=WASM` of `--runtime`, checked: a configured environment, a file that exists. */
function parseRuntimeFlag(value: string): { env: string; wasm: string } {
	const at = value.indexOf('=');
	if (at <= 0 || at === value.length - 1)
		throw new UsageError(
			`--runtime ${value} is not ENV=WASM`,
			'e.g. --runtime rococo=./rococo_runtime.wasm --runtime asset-hub=./asset_hub.wasm',
		);
	const wasm = path.resolve(value.slice(at + 1));
	if (!existsSync(wasm)) throw new UsageError(`no file at ${wasm} (--runtime ${value})`, 'check the path to the runtime wasm');
	return { env: value.slice(0, at).trim(), wasm };
}

async function inspectWasm(wasm: string) {
	const { inspectArtifact, toArtifactInfo } = await import('../../artifact/inspect.js');
	try {
		return toArtifactInfo(await inspectArtifact(wasm), wasm);
	} catch (error) {
		throw new UsageError(
			`cannot use ${wasm} as a runtime: ${(error as Error).message}`,
			'pass the runtime wasm built for this chain (e.g. target/srtool/…/*.compact.compressed.wasm)',
		);
	}
}

export async function runNew(
	ctx: CommandContext,
	flags: { name?: string; wasm?: string; env?: string[]; runtime?: string[] },
): Promise<number> {
	if (!flags.name?.trim())
		throw new UsageError(
			'missing --name',
			'e.g. `release-console new --name "runtime 9140" --wasm ./rococo_runtime.compact.compressed.wasm`',
		);
	const runtimes = (flags.runtime ?? []).map(parseRuntimeFlag);
	if (runtimes.length > 0 && (flags.wasm || (flags.env && flags.env.length > 0)))
		throw new UsageError(
			'--runtime names each environment with its wasm: it does not go with --wasm or --env',
			'e.g. release-console new --name N --runtime rococo=./relay.wasm --runtime asset-hub=./asset_hub.wasm',
		);
	if (runtimes.length === 0 && !flags.wasm)
		throw new UsageError(
			'missing --wasm PATH',
			'the runtime wasm (raw or zstd-compressed) the release ships; or --runtime ENV=WASM per chain',
		);
	const twice = runtimes.find((r, i) => runtimes.findIndex((o) => o.env === r.env) !== i);
	if (twice) throw new UsageError(`--runtime names ${twice.env} twice`, 'give each environment one runtime');
	const wasm = flags.wasm ? path.resolve(flags.wasm) : undefined;
	if (wasm && !existsSync(wasm)) throw new UsageError(`no file at ${wasm}`, 'check the path to the runtime wasm');
	const envNames = runtimes.length > 0 ? runtimes.map((r) => r.env) : flags.env && flags.env.length > 0 ? flags.env : ['devnet'];
	const environments = envNames.map((name) => findEnvironment(ctx.store, name));
	for (const env of environments) {
		const support = routeSupport(env.route);
		if (!support.supported) throw new UsageError(`environment ${env.name}: ${support.message}`);
		const relay = env.parachain?.relay;
		if (relay && !envNames.includes(relay))
			throw new UsageError(
				`parachain environment ${env.name}'s relay ${relay} is not in the release: the relay's route carries the parachain's authorization`,
				`add it: --runtime ${relay}=RELAY.wasm (first, so the relay goes first) --runtime ${env.name}=…`,
			);
		if (relay && envNames.indexOf(relay) > envNames.indexOf(env.name))
			throw new UsageError(
				`parachain environment ${env.name} comes before its relay ${relay}: the relay's upgrade carries its authorization`,
				`list ${relay} first: --runtime ${relay}=… --runtime ${env.name}=…`,
			);
	}
	const infos = new Map<string, Awaited<ReturnType<typeof inspectWasm>>>();
	for (const r of runtimes) infos.set(r.env, await inspectWasm(r.wasm));
	const artifact = wasm ? await inspectWasm(wasm) : infos.get(envNames[0]!)!;
	const at = new Date().toISOString();
	const release = createRelease({
		id: newReleaseId(flags.name, at),
		name: flags.name.trim(),
		artifact,
		environments,
		...(runtimes.length > 0 ? { runtimes: Object.fromEntries(infos) } : {}),
		at,
	});
	ctx.store.saveRelease(release);
	if (ctx.json) {
		ctx.io.stdout(
			JSON.stringify({
				id: release.id,
				name: release.name,
				artifact: release.artifact,
				...(release.runtimes ? { runtimes: release.runtimes } : {}),
				environments: release.environments,
			}),
		);
	} else {
		const lines = [`created release ${release.id}: ${release.name}`];
		for (const { artifact: a, environments: envs } of shippedRuntimes(release)) {
			lines.push(`  artifact ${a.path}${release.runtimes ? ` (${envs.join(', ')})` : ''}`);
			lines.push(`  ${a.specName} spec ${a.specVersion} (tx ${a.transactionVersion}), code hash ${a.codeHash}`);
		}
		lines.push(`  environments: ${release.environments.join(' → ')}`);
		lines.push(`next: release-console advance ${release.id} --env ${release.environments[0]} --signer //Alice`);
		ctx.io.stdout(lines.join('\n'));
	}
	return EXIT.ok;
}
