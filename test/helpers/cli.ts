import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	json: <T = any>() => T;
}

export function tempHome(prefix = 'rc-test-'): string {
	return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The child's environment. vitest sets VITEST in its workers, and a child would
 * inherit it: the CLI then turns its inspect cache off (meant for in-process
 * tests without a directory) and every `new` pays the runtime executor again.
 * A child given its own store directory (RELEASE_CONSOLE_HOME, a temp dir) runs
 * as it does for a user, its cache inside that directory.
 */
function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
	const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'error', ...env };
	if (env.RELEASE_CONSOLE_HOME) delete merged.VITEST;
	return merged;
}

export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
	return spawn(process.execPath, [CLI, ...args], {
		env: childEnv(env),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/** Run the built CLI as a child process, the way scripts and CI do. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
	return new Promise((resolve) => {
		const child = spawnCli(args, env);
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d) => (stdout += d));
		child.stderr!.on('data', (d) => (stderr += d));
		child.on('close', (code) =>
			resolve({
				code,
				stdout,
				stderr,
				json: () => JSON.parse(stdout.trim().split('\n').filter(Boolean).pop()!),
			}),
		);
	});
}
