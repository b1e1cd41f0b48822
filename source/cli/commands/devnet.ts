/**
 * `release-console devnet --chain rococo`: run the embedded chain in the foreground
 * (`--chain rococo-network`: the relay and its asset hub, one process, two endpoints).
 * With --state-file it also writes its endpoint there (used by the background mode);
 * with --data-dir it keeps its blocks and state there and resumes from them.
 * `devnet stop [--chain C]` stops the store's background chains (all, or one);
 * `devnet reset [--chain C]` stops them and deletes their kept state;
 * `devnet status [--chain C]` says which of them run, and where.
 */
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError, type CommandContext } from './context.js';
import {
	readDaemonState,
	resetEmbeddedChain,
	stopAllEmbeddedChains,
	stopEmbeddedChain,
	type DaemonState,
	type StoppedChain,
} from '../../devnet/daemon.js';
import {
	EMBEDDED_CHAINS,
	type DevnetInstance,
	type EmbeddedChainName,
	isGenesisChainName,
	isInMemoryChain,
	servedChainNames,
	servingChain,
} from '../../devnet/instance.js';

export interface DevnetFlags {
	chain?: string;
	port?: number;
	blockTime?: string;
	stateFile?: string;
	/** Keep the chain's blocks and state in this directory (the background mode passes the store directory). */
	dataDir?: string;
	/** `devnet fork`: the chain to fork, and the block. */
	endpoint?: string;
	/** `devnet fork --para`: parachains of the forked relay to fork and join to it. */
	paras?: string[];
	block?: number;
}

/**
 * Where a fork of the chain behind `endpoint` keeps what it fetched: one SQLite file per chain (keyed by block
 * hash inside it), or nothing for a dev chain, which can change a block's state in place (dev_setStorage), so
 * what was fetched for a block hash may no longer be its state.
 */
async function forkCacheFor(endpoint: string, dataDir: string | undefined): Promise<{ cacheFile?: string; note: string }> {
	if (!dataDir) return { note: 'off' };
	const { mkdirSync } = await import('node:fs');
	const { connectEndpoint } = await import('../../chain/connect.js');
	const probe = await connectEndpoint(endpoint, { timeoutMs: 10_000 });
	const genesis = probe.genesisHash;
	const methods = ((await probe.api.rpc.rpc.methods()).methods as unknown as Array<{ toString(): string }>).map(String);
	await probe.disconnect();
	if (methods.includes('dev_setStorage'))
		return { note: 'off: the chain can change a block’s state in place (dev_setStorage), so fetched state is not kept' };
	mkdirSync(dataDir, { recursive: true });
	const cacheFile = path.join(dataDir, `fork-cache-${genesis.slice(2, 18)}.sqlite`);
	return { cacheFile, note: `kept in ${cacheFile}` };
}

/**
 * `devnet fork --endpoint URL [--para URL…] [--block N]`: a fork of a live chain, in its own
 * process (a runtime whose block crashes chopsticks' executor takes only this
 * process down, and its parent says what happened). With `--para`, each parachain is forked at its
 * head too and joined to the relay's fork (downward and upward messages). Prints one JSON line
 * `{ endpoint, forkedAt, cache, paras }` once it serves, then serves until stdin closes or a
 * signal comes. `rehearse` runs it.
 */
async function fork(ctx: CommandContext, flags: DevnetFlags): Promise<number> {
	if (!flags.endpoint)
		throw new UsageError('devnet fork needs --endpoint', 'e.g. devnet fork --endpoint ws://127.0.0.1:9944 [--block 100]');
	const { startForkNetwork } = await import('../../devnet/fork.js');
	const relayCache = await forkCacheFor(flags.endpoint, flags.dataDir);
	const paraCaches: Array<{ endpoint: string; cacheFile?: string; note: string }> = [];
	for (const para of flags.paras ?? []) paraCaches.push({ endpoint: para, ...(await forkCacheFor(para, flags.dataDir)) });
	const running = await startForkNetwork(
		{
			endpoint: flags.endpoint,
			...(flags.block !== undefined ? { at: flags.block } : {}),
			...(relayCache.cacheFile ? { cacheFile: relayCache.cacheFile } : {}),
		},
		paraCaches.map((p) => ({ endpoint: p.endpoint, ...(p.cacheFile ? { cacheFile: p.cacheFile } : {}) })),
	);
	ctx.io.stdout(
		JSON.stringify({
			endpoint: running.relay.endpoint,
			forkedAt: running.relay.forkedAt,
			cache: relayCache.note,
			paras: running.paras.map((p, i) => ({
				upstream: paraCaches[i]!.endpoint,
				endpoint: p.endpoint,
				forkedAt: p.forkedAt,
				paraId: p.paraId,
				cache: paraCaches[i]!.note,
			})),
		}),
	);
	await new Promise<void>((resolve) => {
		process.once('SIGTERM', resolve);
		process.once('SIGINT', resolve);
		process.stdin.once('end', resolve);
		process.stdin.once('close', resolve);
		process.stdin.resume();
	});
	await running.close();
	return EXIT.ok;
}

export function parseBlockTime(value: string | undefined): number | 'manual' | 'instant' {
	if (value === undefined) return 6000;
	if (value === 'manual' || value === 'instant') return value;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 100)
		throw new UsageError(`--block-time ${value} is not valid`, 'give milliseconds (>= 100), `manual` or `instant`');
	return n;
}

/** The process `--chain` names: an embedded chain, or the network serving a parachain (asset-hub-rococo → rococo-network). */
function chainFlag(chain: string | undefined): EmbeddedChainName | undefined {
	if (chain === undefined) return undefined;
	const serving = servingChain(chain);
	if (!serving)
		throw new UsageError(
			`unknown chain "${chain}"`,
			`the embedded chains are ${servedChainNames().join(', ')}: use --chain with one of them`,
		);
	return serving.process;
}

const stoppedLine = (s: StoppedChain) =>
	`stopped the embedded ${s.chain} chain (pid ${s.pid}, ${s.endpoint}); ${isInMemoryChain(s.chain) ? 'it keeps no state: the next start is at genesis' : 'its state is kept: the next start resumes it'}`;

/** `devnet status [--chain C]`: the store's background chains that run, with every endpoint each serves. */
function status(ctx: CommandContext, only: EmbeddedChainName | undefined): number {
	const running = (only ? [only] : EMBEDDED_CHAINS)
		.map((chain) => ({ chain, state: readDaemonState(ctx.home, chain) }))
		.filter((r): r is { chain: EmbeddedChainName; state: DaemonState } => r.state !== undefined);
	if (ctx.json) {
		ctx.io.stdout(JSON.stringify({ running: running.map((r) => r.state) }));
		return EXIT.ok;
	}
	if (running.length === 0)
		ctx.io.stdout(only ? `the embedded ${only} chain is not running for this store` : 'no embedded chain is running for this store');
	for (const { chain, state } of running) {
		const kept = isInMemoryChain(chain) ? 'in memory' : 'state kept in the store';
		ctx.io.stdout(`embedded ${chain}: pid ${state.pid}, since ${state.startedAt}, ${kept}`);
		for (const [name, endpoint] of Object.entries(state.endpoints ?? { [chain]: state.endpoint }))
			ctx.io.stdout(`  embedded:${name}  ${endpoint}`);
	}
	return EXIT.ok;
}

async function stop(ctx: CommandContext, only: EmbeddedChainName | undefined): Promise<number> {
	const stopped = only ? [await stopEmbeddedChain(ctx.home, only)].filter((s) => s !== undefined) : await stopAllEmbeddedChains(ctx.home);
	if (ctx.json) ctx.io.stdout(JSON.stringify({ stopped }));
	else if (stopped.length === 0)
		ctx.io.stdout(only ? `the embedded ${only} chain was not running for this store` : 'no embedded chain was running for this store');
	else for (const s of stopped) ctx.io.stdout(stoppedLine(s));
	return EXIT.ok;
}

async function reset(ctx: CommandContext, only: EmbeddedChainName | undefined): Promise<number> {
	const results = [];
	for (const chain of only ? [only] : EMBEDDED_CHAINS) results.push(await resetEmbeddedChain(ctx.home, chain));
	if (ctx.json) {
		ctx.io.stdout(JSON.stringify({ reset: results }));
		return EXIT.ok;
	}
	const idText = (i: DevnetInstance | undefined) => (i ? ` (instance ${i.id}, created ${i.createdAt})` : '');
	for (const r of results) {
		if (r.stopped) ctx.io.stdout(`stopped the embedded ${r.chain} chain (pid ${r.stopped.pid})`);
		if (r.deleted.length === 0)
			ctx.io.stdout(`embedded ${r.chain} chain: no kept state in ${ctx.home}; its next start is a new chain anyway`);
		else
			ctx.io.stdout(
				`reset the embedded ${r.chain} chain${idText(r.instance)}: deleted ${r.deleted.map((f) => path.basename(f)).join(', ')} in ${ctx.home}\n` +
					`  its next start is a new chain from genesis, with a new instance id. Releases rehearsed on it recorded blocks\n` +
					`  that no longer exist: they will show the chain disagreeing with what they recorded.`,
			);
	}
	return EXIT.ok;
}

export async function runDevnet(ctx: CommandContext, sub: string | undefined, flags: DevnetFlags): Promise<number> {
	if (sub === 'stop') return stop(ctx, chainFlag(flags.chain));
	if (sub === 'reset') return reset(ctx, chainFlag(flags.chain));
	if (sub === 'status') return status(ctx, chainFlag(flags.chain));
	if (sub === 'fork') return fork(ctx, flags);
	if (sub !== undefined)
		throw new UsageError(
			`unknown devnet command "${sub}"`,
			'use `devnet --chain C` (run one), `devnet status [--chain C]`, `devnet stop [--chain C]` or `devnet reset [--chain C]`',
		);
	const chain = flags.chain ?? 'rococo';
	const blockTime = parseBlockTime(flags.blockTime);
	const dataDir = flags.dataDir ? path.resolve(flags.dataDir) : undefined;
	const kept = dataDir ? `; state kept in ${dataDir}` : '; in memory (give --data-dir DIR to keep its state)';
	if (chain === 'governance') {
		const { startGovernanceDevnet } = await import('../../devnet/governance/index.js');
		const t0 = Date.now();
		// A chain paced by a person (blocks when someone acts or asks) gets periods long enough that nothing expires while they read.
		const { PACED_PERIODS } = await import('../../devnet/governance/metadata.js');
		const devnet = await startGovernanceDevnet({
			port: flags.port ?? 0,
			blockTime,
			...(blockTime === 'instant' ? { periods: PACED_PERIODS } : {}),
			...(dataDir ? { dataDir } : {}),
		});
		if (!ctx.json)
			ctx.io.stdout(
				`governance devnet ${devnet.resumedAt === undefined ? 'created' : `resumed at block #${devnet.resumedAt}`} in ${Date.now() - t0} ms${kept}`,
			);
		return serve(
			ctx,
			devnet.endpoint,
			`governance devnet (a SIMULATION of FRAME governance; see README), block time ${blockTime}`,
			devnet.close,
			flags.stateFile,
			chain,
			() => devnet.connections(),
			{ instance: devnet.instance, resumedAt: devnet.resumedAt },
		);
	}
	if (chain === 'rococo-network' || chain === 'asset-hub-rococo') return network(ctx, flags, blockTime);
	if (isGenesisChainName(chain)) {
		// The real Kusama 1020 / Polkadot 0 genesis runtimes: in memory only (--data-dir is not used).
		const { startGenesisChain, GENESIS_CHAIN_FACTS } = await import('../../devnet/genesis-chains.js');
		const devnet = await startGenesisChain(chain, { port: flags.port ?? 0, blockTime });
		const { label } = GENESIS_CHAIN_FACTS[chain];
		if (!ctx.json)
			ctx.io.stdout(
				`embedded ${label} (the real genesis runtime on chopsticks; governance members replaced for rehearsal) created at genesis in ${devnet.bootMs} ms; in memory only (this chain keeps no state)`,
			);
		return serve(
			ctx,
			devnet.endpoint,
			`${chain}, block time ${blockTime}`,
			devnet.close,
			flags.stateFile,
			chain,
			() => devnet.rpc.connections(),
			{ instance: devnet.instance, resumedAt: undefined },
		);
	}
	if (chain !== 'rococo')
		throw new UsageError(
			`unknown chain "${chain}"`,
			'use --chain rococo (real Rococo 9130 runtime), rococo-network (Rococo 9130 + statemine 900 as para 1000), kusama-1020 or polkadot-0 (real genesis runtimes), or governance',
		);
	const { startRococoDevnet } = await import('../../devnet/rococo.js');
	const t0 = Date.now();
	const devnet = await startRococoDevnet({ port: flags.port ?? 0, blockTime, ...(dataDir ? { dataDir } : {}) });
	if (!ctx.json)
		ctx.io.stdout(
			`embedded Rococo (real runtime, chopsticks) ${devnet.resumedAt === undefined ? 'created at genesis (9130)' : `resumed at block #${devnet.resumedAt}`} in ${Date.now() - t0} ms${kept}`,
		);
	return serve(
		ctx,
		devnet.endpoint,
		`rococo, block time ${blockTime}`,
		devnet.close,
		flags.stateFile,
		chain,
		() => devnet.rpc.connections(),
		{ instance: devnet.instance, resumedAt: devnet.resumedAt },
	);
}

/**
 * `devnet --chain rococo-network`: the relay and its asset hub in one process (../../devnet/network.ts),
 * each on its own endpoint, in memory (--data-dir is not used). The state file names both endpoints.
 */
async function network(ctx: CommandContext, flags: DevnetFlags, blockTime: number | 'manual' | 'instant'): Promise<number> {
	const { startRococoNetwork, NOT_SIMULATED, RELAY_NAME, PARA_NAME, ASSET_HUB_PARA_ID } = await import('../../devnet/network.js');
	// Instant by default (as the daemon starts it): a person paces it.
	const mode = flags.blockTime === undefined ? 'instant' : blockTime;
	const port = flags.port ?? 0;
	const net = await startRococoNetwork({ port, paraPort: port === 0 ? 0 : port + 1, blockTime: mode });
	if (!ctx.json)
		ctx.io.stdout(
			[
				`embedded Rococo network (real runtimes, chopsticks) created at genesis in ${net.bootMs} ms; in memory only (this network keeps no state)`,
				`  relay       embedded:${RELAY_NAME}     ${net.relay.endpoint}   Rococo 9130 (//Alice sudo, dev accounts funded)`,
				`  asset hub   embedded:${PARA_NAME}   ${net.para.endpoint}   statemine 900, para ${ASSET_HUB_PARA_ID} (no sudo: its Root comes from the relay)`,
				`  joined by chopsticks' connectVertical: the relay's downward messages reach the para's next block`,
				`not simulated here:`,
				...NOT_SIMULATED.map((line) => `  - ${line}`),
			].join('\n'),
		);
	return serve(
		ctx,
		net.relay.endpoint,
		`rococo-network, block time ${mode}`,
		net.close,
		flags.stateFile,
		'rococo-network',
		() => net.connections(),
		{
			instance: net.relay.instance,
			resumedAt: undefined,
			endpoints: net.endpoints,
			instances: { [RELAY_NAME]: net.relay.instance, [PARA_NAME]: net.para.instance },
		},
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
	connections: () => number,
	about: {
		instance: DevnetInstance;
		resumedAt: number | undefined;
		/** A network: every chain it serves, by name (the relay's is `endpoint`). */
		endpoints?: Record<string, string>;
		instances?: Record<string, DevnetInstance>;
	},
): Promise<number> {
	const port = Number(new URL(endpoint).port);
	const network = about.endpoints ? { endpoints: about.endpoints, ...(about.instances ? { instances: about.instances } : {}) } : {};
	if (stateFile) {
		const tmp = `${stateFile}.${process.pid}.tmp`;
		const state: DaemonState = {
			pid: process.pid,
			port,
			endpoint,
			chain,
			startedAt: new Date().toISOString(),
			instance: about.instance,
			...network,
		};
		writeFileSync(tmp, JSON.stringify(about.resumedAt === undefined ? state : { ...state, resumedAt: about.resumedAt }));
		renameSync(tmp, stateFile);
	}
	const listening = about.endpoints
		? `listening on ${Object.values(about.endpoints).join(' and ')} (127.0.0.1 only); Ctrl+C stops it`
		: `listening on ${endpoint} (127.0.0.1 only); Ctrl+C stops it`;
	ctx.io.stdout(
		ctx.json
			? JSON.stringify({ endpoint, port, pid: process.pid, instance: about.instance, resumedAt: about.resumedAt ?? null, ...network })
			: `${label}\n${listening}`,
	);
	await new Promise<void>((resolve) => {
		const stop = () => resolve();
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		// In the background, a chain nobody uses any more (its console was killed)
		// must not run forever: stop after IDLE_EXIT_MS without a client.
		if (stateFile) {
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
