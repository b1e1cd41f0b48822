/**
 * The fork of `fork.ts` in a process of its own (`release-console devnet fork`):
 * a block that crashes chopsticks' executor ends only that process, and what
 * it printed is what the rehearsal reports. Used by `rehearse` and the console.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** dist/cli.js: the running CLI, or found from this module (bundled in dist/chunks, or source/devnet in tests). */
function cliPath(): string {
	const candidates = [
		process.argv[1] && /(^|[\\/])cli\.js$/.test(process.argv[1]) ? process.argv[1] : undefined,
		fileURLToPath(new URL('../cli.js', import.meta.url)),
		fileURLToPath(new URL('../../dist/cli.js', import.meta.url)),
	].filter((c): c is string => Boolean(c));
	const found = candidates.find((c) => existsSync(c));
	if (!found)
		throw new Error(
			`cannot find release-console's dist/cli.js to run the fork (looked at ${candidates.join(', ')}); run npm run build`,
		);
	return found;
}

export interface ForkProcess {
	endpoint: string;
	forkedAt: { number: number; hash: string };
	/** Whether fetched state is kept for the next rehearsal, and why not. */
	cache: string;
	/** Resolves with what the fork process said if it dies before it is closed (an executor crash). */
	crashed: Promise<string>;
	/** The parachains forked with it (`paras`), each joined to this fork. */
	paras: Array<{ upstream: string; endpoint: string; forkedAt: { number: number; hash: string }; paraId: number; cache: string }>;
	close: () => Promise<void>;
}

/**
 * The fork in its own process (`devnet fork`): a block that crashes chopsticks' executor takes only that process down.
 * `paras`: endpoints of parachains of this chain, forked in the same process and joined to it.
 */
export function spawnFork(
	endpoint: string,
	block: number | undefined,
	cacheDir: string,
	paras: readonly string[] = [],
): Promise<ForkProcess> {
	const args = [
		cliPath(),
		'devnet',
		'fork',
		'--endpoint',
		endpoint,
		'--data-dir',
		cacheDir,
		...(block !== undefined ? ['--block', String(block)] : []),
		...paras.flatMap((p) => ['--para', p]),
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
				const ready = JSON.parse(line) as Omit<ForkProcess, 'crashed' | 'close'>;
				resolve({
					...ready,
					paras: ready.paras ?? [],
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
