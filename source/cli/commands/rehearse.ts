/**
 * `rehearse ID --env NAME [--block N] [--blocks N] [--json]`: fork the
 * environment's chain (read-only towards it), run the release's upgrade on the
 * fork with the origin it will have, build blocks under the new runtime, and
 * report. The report goes into the release's audit log as evidence; exit 0
 * when the rehearsal passed, 1 when it failed.
 */
import { EXIT, UsageError, findEnvironment, findRelease, type CommandContext } from './context.js';
import { pickEnvironment } from '../../domain/release.js';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
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
	const { connectEnvironment, connectEndpoint, messageOf } = await import('../../chain/connect.js');
	const upstream = await connectEnvironment(env, {
		resolveEmbedded: embeddedResolver(ctx.home, (_c, line) => say(line)),
		timeoutMs: 10_000,
	});
	const readUpstream = async () => {
		const [header, version] = await Promise.all([upstream.api.rpc.chain.getHeader(), upstream.api.rpc.state.getRuntimeVersion()]);
		return { head: header.number.toNumber(), specVersion: version.specVersion.toNumber() };
	};
	let fork: ForkProcess | undefined;
	try {
		const beforeUpstream = await readUpstream();
		say(
			`forking ${env.name} (${upstream.endpoint}) at ${flags.block !== undefined ? `#${flags.block}` : `its head #${beforeUpstream.head}`}…`,
		);
		try {
			const cacheDir = path.join(ctx.home, 'fork-cache');
			if (flags.noCache) rmSync(cacheDir, { recursive: true, force: true });
			fork = await spawnFork(upstream.endpoint, flags.block, cacheDir);
		} catch (error) {
			const message = messageOf(error);
			ctx.io.stderr(
				`failed: ${message}\n  what to do: fork at a block the endpoint keeps state for (an archive node), or drop --block`,
			);
			if (ctx.json) ctx.io.stdout(JSON.stringify({ error: message }));
			return EXIT.failed;
		}
		say(`  fork cache: ${fork.cache}`);
		const forkApi = await connectEndpoint(fork.endpoint, { timeoutMs: 30_000 });
		const { rehearseOnFork, rehearsalText } = await import('../../engine/rehearsal.js');
		let report;
		try {
			report = await rehearseOnFork(forkApi.api, release, env, {
				forkedAt: fork.forkedAt,
				crashed: fork.crashed,
				...(flags.blocks !== undefined ? { blocks: flags.blocks } : {}),
				onProgress: (line) => say(`  ${line}`),
			});
		} finally {
			await forkApi.disconnect();
		}
		const afterUpstream = await readUpstream();
		const untouched = afterUpstream.specVersion === beforeUpstream.specVersion;
		const { forkRehearsalGate } = await import('../../domain/gates.js');
		const { blake2AsHex } = await import('@polkadot/util-crypto');
		const at = new Date().toISOString();
		const gate = forkRehearsalGate(
			env.name,
			release.artifact.codeHash,
			{
				codeHash: report.codeHash,
				forkedAt: report.forkedAt,
				verdict: report.verdict,
				...(report.failure ? { failure: report.failure } : {}),
				...(report.after ? { specAfter: report.after.specVersion } : {}),
				digest: blake2AsHex(JSON.stringify(report), 256) as `0x${string}`,
			},
			at,
		);
		ctx.store.dispatch(release.id, { type: 'gate/set', gate, at });
		ctx.store.dispatch(release.id, {
			type: 'audit',
			entry: {
				at: new Date().toISOString(),
				env: env.name,
				action: 'rehearsal',
				detail: `fork of ${env.name} at #${report.forkedAt.number} (${report.forkedAt.hash}): ${report.verdict}${report.failure ? ` — ${report.failure}` : ''}; code ${report.codeHash}${report.after ? `, ${report.after.specName} ${report.after.specVersion} after` : ''}; ${report.blocks.length} blocks built after the first under the new runtime`,
				blockNumber: report.forkedAt.number,
				blockHash: report.forkedAt.hash as `0x${string}`,
			},
		});
		if (ctx.json)
			ctx.io.stdout(
				JSON.stringify({ report, cache: fork.cache, upstream: { before: beforeUpstream, after: afterUpstream, untouched } }),
			);
		else {
			for (const line of rehearsalText(report)) ctx.io.stdout(line);
			ctx.io.stdout(`upstream ${env.name}: spec ${afterUpstream.specVersion}, head #${afterUpstream.head} (nothing was sent to it)`);
		}
		return report.verdict === 'passed' ? EXIT.ok : EXIT.failed;
	} finally {
		await fork?.close();
		await upstream.disconnect();
	}
}

interface ForkProcess {
	endpoint: string;
	forkedAt: { number: number; hash: string };
	/** Whether fetched state is kept for the next rehearsal, and why not. */
	cache: string;
	/** Resolves with what the fork process said if it dies before it is closed (an executor crash). */
	crashed: Promise<string>;
	close: () => Promise<void>;
}

/** The fork in its own process (`devnet fork`): a block that crashes chopsticks' executor takes only that process down. */
function spawnFork(endpoint: string, block: number | undefined, cacheDir: string): Promise<ForkProcess> {
	const args = [
		process.argv[1]!,
		'devnet',
		'fork',
		'--endpoint',
		endpoint,
		'--data-dir',
		cacheDir,
		...(block !== undefined ? ['--block', String(block)] : []),
	];
	const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
	let stdout = '';
	let stderr = '';
	let closing = false;
	child.stderr.on('data', (d) => (stderr = (stderr + String(d)).slice(-20_000)));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const crashed = exited.then((code) => {
		if (closing) return new Promise<string>(() => undefined);
		const said = stderr
			.split('\n')
			.map((l) => l.trim())
			.filter((l) => /panicked at|assertion failed|RuntimeError|Error:|wasm trap|unreachable/i.test(l) && !l.startsWith('at '))
			.slice(0, 4)
			.join('; ');
		return `the fork's runtime executor crashed (exit ${code ?? 'by signal'})${said ? `: ${said}` : ''}`;
	});
	return new Promise((resolve, reject) => {
		child.stdout.on('data', (d) => {
			stdout += String(d);
			const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
			if (!line) return;
			try {
				const ready = JSON.parse(line) as { endpoint: string; forkedAt: { number: number; hash: string }; cache: string };
				resolve({
					...ready,
					crashed,
					close: async () => {
						closing = true;
						child.stdin.end();
						const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
						await exited;
						clearTimeout(timer);
					},
				});
			} catch {
				// not the ready line yet
			}
		});
		void exited.then((code) =>
			reject(new Error(`the fork did not start (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`)),
		);
	});
}
