/**
 * `release-console devnet --chain rococo`: run the embedded chain in the foreground.
 * With --state-file it also writes its endpoint there (used by the background mode).
 */
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import { EXIT, UsageError, type CommandContext } from './context.js';
import { stopEmbeddedChain } from '../../devnet/daemon.js';

export interface DevnetFlags {
	chain?: string;
	port?: number;
	blockTime?: string;
	stateFile?: string;
	/** Keep the chain's blocks and state in this directory (the background mode passes the store directory). */
	dataDir?: string;
}

export function parseBlockTime(value: string | undefined): number | 'manual' | 'instant' {
	if (value === undefined) return 6000;
	if (value === 'manual' || value === 'instant') return value;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 100)
		throw new UsageError(`--block-time ${value} is not valid`, 'give milliseconds (>= 100), `manual` or `instant`');
	return n;
}

export async function runDevnet(ctx: CommandContext, sub: string | undefined, flags: DevnetFlags): Promise<number> {
	if (sub === 'stop') {
		const stopped = await stopEmbeddedChain(ctx.home, flags.chain ?? 'rococo');
		ctx.io.stdout(stopped ? 'stopped the embedded chain' : 'no embedded chain was running for this store');
		return EXIT.ok;
	}
	const chain = flags.chain ?? 'rococo';
	const blockTime = parseBlockTime(flags.blockTime);
	if (chain === 'governance') {
		const { startGovernanceDevnet } = await import('../../devnet/governance/index.js');
		const devnet = await startGovernanceDevnet({ port: flags.port ?? 0, blockTime });
		return serve(
			ctx,
			devnet.endpoint,
			`governance devnet (a SIMULATION of FRAME governance; see README), block time ${blockTime}`,
			devnet.close,
			flags.stateFile,
			chain,
			() => devnet.connections(),
		);
	}
	if (chain !== 'rococo')
		throw new UsageError(`unknown chain "${chain}"`, 'use --chain rococo (real Rococo 9130 runtime) or --chain governance');
	const { startRococoDevnet } = await import('../../devnet/rococo.js');
	const t0 = Date.now();
	const devnet = await startRococoDevnet({ port: flags.port ?? 0, blockTime });
	ctx.io.stdout(`embedded Rococo 9130 (real runtime, chopsticks) ready in ${Date.now() - t0} ms`);
	return serve(ctx, devnet.endpoint, `rococo, block time ${blockTime}`, devnet.close, flags.stateFile, chain, () =>
		devnet.rpc.connections(),
	);
}

/** A background chain (started with --state-file) with no client for this long stops by itself. */
export const IDLE_EXIT_MS = Number(process.env.RELEASE_CONSOLE_DEVNET_IDLE_MS ?? 15 * 60_000);

async function serve(
	ctx: CommandContext,
	endpoint: string,
	label: string,
	close: () => Promise<void>,
	stateFile: string | undefined,
	chain: string,
	connections?: () => number,
): Promise<number> {
	const port = Number(new URL(endpoint).port);
	if (stateFile) {
		const tmp = `${stateFile}.${process.pid}.tmp`;
		writeFileSync(tmp, JSON.stringify({ pid: process.pid, port, endpoint, chain, startedAt: new Date().toISOString() }));
		renameSync(tmp, stateFile);
	}
	ctx.io.stdout(
		ctx.json
			? JSON.stringify({ endpoint, port, pid: process.pid })
			: `${label}\nlistening on ${endpoint} (127.0.0.1 only); Ctrl+C stops it`,
	);
	await new Promise<void>((resolve) => {
		const stop = () => resolve();
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		// In the background, a chain nobody uses any more (its console was killed)
		// must not run forever: stop after IDLE_EXIT_MS without a client.
		if (stateFile && connections) {
			let idleSince = Date.now();
			const timer = setInterval(
				() => {
					if (connections() > 0) idleSince = Date.now();
					else if (Date.now() - idleSince > IDLE_EXIT_MS) {
						clearInterval(timer);
						ctx.io.stdout(`no client for ${Math.round(IDLE_EXIT_MS / 60_000)} min: stopping`);
						resolve();
					}
				},
				Math.min(30_000, IDLE_EXIT_MS),
			);
			timer.unref();
		}
	});
	if (stateFile) rmSync(stateFile, { force: true });
	await close();
	return EXIT.ok;
}
