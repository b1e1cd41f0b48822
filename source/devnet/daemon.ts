/**
 * The embedded chain as a background process, so that it outlives one
 * headless command (new → advance → status) and a console restart.
 * Its pid and endpoint live in a small state file in the store directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { isPidAlive as isAlive } from '../store/lock.js';

export interface DaemonState {
	pid: number;
	port: number;
	endpoint: string;
	chain: string;
	startedAt: string;
}

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

/** Reuse the running embedded chain for this store, or start one in the background. */
export async function ensureEmbeddedChain(
	home: string,
	chain: string,
	options: { blockTime?: string; timeoutMs?: number } = {},
): Promise<EnsureResult> {
	if (chain !== 'rococo' && chain !== 'governance')
		throw new Error(`unknown embedded chain "${chain}"; the embedded chains are embedded:rococo and embedded:governance`);
	const existing = readDaemonState(home, chain);
	if (existing) return { state: existing, started: false };
	mkdirSync(home, { recursive: true });
	const stateFile = daemonStateFile(home, chain);
	rmSync(stateFile, { force: true });
	const log = openSync(path.join(home, `devnet-${chain}.log`), 'a');
	// The governance devnet's periods are counted in blocks (a motion lasts 10): 2 s blocks keep a rehearsal short.
	const blockTime = options.blockTime ?? process.env.RELEASE_CONSOLE_DEVNET_BLOCK_TIME ?? (chain === 'governance' ? '2000' : '6000');
	const child = spawn(
		process.execPath,
		[cliEntry(), 'devnet', '--chain', chain, '--port', '0', '--block-time', blockTime, '--state-file', stateFile],
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
		if (state) return { state, started: true };
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

export async function stopEmbeddedChain(home: string, chain: string): Promise<boolean> {
	const state = readDaemonState(home, chain);
	rmSync(daemonStateFile(home, chain), { force: true });
	if (!state) return false;
	try {
		process.kill(state.pid, 'SIGTERM');
	} catch {
		return false;
	}
	const deadline = Date.now() + 10_000;
	while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
	if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
	return true;
}
