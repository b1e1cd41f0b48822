/**
 * The embedded chain as a background process, so that it outlives one
 * headless command (new → advance → status) and a console restart.
 * Its pid, endpoint and instance identity (./instance.ts) live in a small
 * state file in the store directory; its blocks and state are kept there too
 * (`--data-dir`), so a chain stopped (`devnet stop`, idle exit, the console
 * quitting) resumes where it was at its next start. `devnet reset` deletes them.
 *
 * The console stops, when it quits, every chain this process started
 * (`stopChainsStartedHere`) and only those: a chain that was already running
 * (started by a headless command or another console) keeps running.
 *
 * A network (`rococo-network`, ./network.ts) is one such process serving
 * several chains: its state file names each chain's endpoint (`endpoints`),
 * and `embedded:asset-hub-rococo` resolves to the para endpoint of the
 * `rococo-network` process (`ensureEmbeddedEndpoint`). It keeps no state.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { isPidAlive as isAlive } from '../store/lock.js';
import {
	type DevnetInstance,
	EMBEDDED_CHAINS,
	type EmbeddedChainName,
	dataFiles,
	isEmbeddedChainName,
	isNetworkName,
	outlivesTheConsole,
	servedChainNames,
	servingChain,
} from './instance.js';

export interface DaemonState {
	pid: number;
	port: number;
	endpoint: string;
	chain: string;
	startedAt: string;
	/** The chain instance it serves (also answered by the `devnet_instance` RPC). */
	instance?: DevnetInstance;
	/** It resumed kept state at this block (absent: created afresh). */
	resumedAt?: number;
	/** A network's process: every chain it serves by name (its relay under `chain`, e.g. `{ 'rococo-network': ws, 'asset-hub-rococo': ws }`). */
	endpoints?: Record<string, string>;
	/** A network's process: the instance of each chain it serves, by name. */
	instances?: Record<string, DevnetInstance>;
}

/** Chains this process started in the background, by state file (what the console stops when it quits). */
const startedHere = new Map<string, { home: string; chain: string; pid: number }>();

export function cliEntry(): string {
	const here = fileURLToPath(import.meta.url);
	// From sources (tests): use the build.
	if (here.endsWith('.ts')) return path.resolve(path.dirname(here), '../../dist/cli.js');
	// Bundled (scripts/build.mjs): this code is in dist/cli.js itself or in a chunk under dist/chunks/.
	const beside = path.resolve(path.dirname(here), 'cli.js');
	return existsSync(beside) ? beside : path.resolve(path.dirname(here), '../cli.js');
}

export function daemonStateFile(home: string, chain: string): string {
	return path.join(home, `devnet-${chain}.json`);
}

export function readDaemonState(home: string, chain: string): DaemonState | undefined {
	const file = daemonStateFile(home, chain);
	if (!existsSync(file)) return undefined;
	try {
		const state = JSON.parse(readFileSync(file, 'utf8')) as DaemonState;
		if (typeof state.pid === 'number' && isAlive(state.pid)) return state;
	} catch {
		// A half-written state file is treated as absent.
	}
	return undefined;
}

export interface EnsureResult {
	state: DaemonState;
	started: boolean;
}

/** Starts under way in this process, by state file: a second ask for the same chain waits for the first (one process per chain). */
const starting = new Map<string, Promise<EnsureResult>>();

/** Reuse the running embedded chain for this store, or start one in the background. */
export async function ensureEmbeddedChain(
	home: string,
	chain: string,
	options: { blockTime?: string; timeoutMs?: number } = {},
): Promise<EnsureResult> {
	const key = daemonStateFile(home, chain);
	const pending = starting.get(key);
	if (pending) return pending.then(({ state }) => ({ state, started: false }));
	const run = ensureOnce(home, chain, options);
	starting.set(key, run);
	try {
		return await run;
	} finally {
		starting.delete(key);
	}
}

async function ensureOnce(home: string, chain: string, options: { blockTime?: string; timeoutMs?: number }): Promise<EnsureResult> {
	if (!isEmbeddedChainName(chain)) {
		const serving = servingChain(chain);
		throw new Error(
			serving
				? `${chain} is served by the embedded ${serving.process} process: start that one (ensureEmbeddedEndpoint resolves embedded:${chain})`
				: `unknown embedded chain "${chain}"; the embedded chains are ${EMBEDDED_CHAINS.map((c) => `embedded:${c}`).join(', ')}`,
		);
	}
	const existing = readDaemonState(home, chain);
	if (existing) return { state: existing, started: false };
	mkdirSync(home, { recursive: true });
	const stateFile = daemonStateFile(home, chain);
	rmSync(stateFile, { force: true });
	const log = openSync(path.join(home, `devnet-${chain}.log`), 'a');
	// The governance devnet is paced by the person: a block when someone acts and when they ask (the console's
	// fast-forward key, `advance --follow`), with periods long enough that nothing expires while they read.
	// So is the embedded network: a block when an extrinsic or a message arrives, and on request.
	const blockTime =
		options.blockTime ??
		process.env.RELEASE_CONSOLE_DEVNET_BLOCK_TIME ??
		(chain === 'governance' || isNetworkName(chain) ? 'instant' : '6000');
	const child = spawn(
		process.execPath,
		[cliEntry(), 'devnet', '--chain', chain, '--port', '0', '--block-time', blockTime, '--state-file', stateFile, '--data-dir', home],
		{
			detached: true,
			stdio: ['ignore', log, log],
			env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
		},
	);
	closeSync(log);
	child.unref();
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	let exited: number | null = null;
	child.once('exit', (code) => {
		exited = code ?? -1;
	});
	while (Date.now() < deadline) {
		const state = readDaemonState(home, chain);
		if (state) {
			if (!outlivesTheConsole(chain)) startedHere.set(stateFile, { home, chain, pid: state.pid });
			return { state, started: true };
		}
		if (exited !== null) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	try {
		if (child.pid) process.kill(child.pid, 'SIGTERM');
	} catch {
		// already gone
	}
	throw new Error(`the embedded ${chain} chain did not start (see ${path.join(home, `devnet-${chain}.log`)})`);
}

/**
 * The endpoint of `embedded:NAME`: an embedded chain's own (started in the background if needed), or a
 * network's parachain (`asset-hub-rococo`), served by its network's process (`rococo-network`).
 */
export async function ensureEmbeddedEndpoint(
	home: string,
	name: string,
	options: { blockTime?: string; timeoutMs?: number } = {},
): Promise<EnsureResult & { endpoint: string; process: EmbeddedChainName }> {
	const serving = servingChain(name);
	if (!serving)
		throw new Error(
			`unknown embedded chain "${name}"; the embedded chains are ${servedChainNames()
				.map((c) => `embedded:${c}`)
				.join(', ')}`,
		);
	const result = await ensureEmbeddedChain(home, serving.process, options);
	const endpoint = serving.served === serving.process ? result.state.endpoint : result.state.endpoints?.[serving.served];
	if (!endpoint)
		throw new Error(
			`the embedded ${serving.process} process (pid ${result.state.pid}) does not say where it serves ${name}; stop it with \`release-console devnet stop --chain ${serving.process}\` and try again`,
		);
	return { ...result, endpoint, process: serving.process };
}

export interface StoppedChain {
	chain: EmbeddedChainName;
	pid: number;
	endpoint: string;
}

/** Stop the store's background chain `chain`, if it runs; what was stopped. */
export async function stopEmbeddedChain(home: string, chain: string): Promise<StoppedChain | undefined> {
	const state = readDaemonState(home, chain);
	rmSync(daemonStateFile(home, chain), { force: true });
	startedHere.delete(daemonStateFile(home, chain));
	if (!state || !isEmbeddedChainName(chain)) return undefined;
	try {
		process.kill(state.pid, 'SIGTERM');
	} catch {
		return undefined;
	}
	// SIGTERM lets it save its state (the governance snapshot) and close the database.
	const deadline = Date.now() + 15_000;
	while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
	if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
	return { chain, pid: state.pid, endpoint: state.endpoint };
}

/** Stop every embedded chain of the store that runs (each one named in the result). */
export async function stopAllEmbeddedChains(home: string): Promise<StoppedChain[]> {
	const stopped = await Promise.all(EMBEDDED_CHAINS.map((chain) => stopEmbeddedChain(home, chain)));
	return stopped.filter((s): s is StoppedChain => s !== undefined);
}

/**
 * Stop the chains this process started (and that still run as the process it
 * started: a chain restarted since by someone else is theirs). The console
 * calls it when it quits; headless commands leave their chains running.
 */
export async function stopChainsStartedHere(): Promise<StoppedChain[]> {
	const mine = [...startedHere.values()];
	startedHere.clear();
	const stopped = await Promise.all(
		mine.map(async ({ home, chain, pid }) => (readDaemonState(home, chain)?.pid === pid ? stopEmbeddedChain(home, chain) : undefined)),
	);
	return stopped.filter((s): s is StoppedChain => s !== undefined);
}

export interface ResetChain {
	chain: EmbeddedChainName;
	/** The running chain that was stopped first, if any. */
	stopped?: StoppedChain;
	/** The instance whose state was deleted, when the daemon state file knew it. */
	instance?: DevnetInstance;
	/** The files deleted (none: it had no kept state). */
	deleted: string[];
}

/** Stop `chain` if it runs and delete its kept state: its next start is a new chain (a new instance id). */
export async function resetEmbeddedChain(home: string, chain: EmbeddedChainName): Promise<ResetChain> {
	const instance = readDaemonState(home, chain)?.instance;
	const stopped = await stopEmbeddedChain(home, chain);
	const deleted: string[] = [];
	for (const file of dataFiles(home, chain)) {
		if (!existsSync(file)) continue;
		rmSync(file, { force: true });
		deleted.push(file);
	}
	return { chain, deleted, ...(stopped ? { stopped } : {}), ...(instance ? { instance } : {}) };
}
