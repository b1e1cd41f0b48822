/**
 * A full council-democracy rehearsal through the console's own route,
 * headless: `advance` run as a child process by each signer in turn
 * (preimage, council motion and votes, close, technical-committee fast-track,
 * referendum vote, enactment, verify, soak) against the governance devnet
 * (a simulation; instant blocks, periods passed with dev_newBlock).
 *
 *   node bench/council.mjs      (after npm run build)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDevnetCode, startGovernanceDevnet } from '../dist/devnet/governance/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');

export async function benchCouncil({ payload = 'set-code' } = {}) {
	const devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
	const home = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-council-'));
	const env = { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'error', RELEASE_CONSOLE_HOME: home };
	const calls = [];
	/** Per CLI run: wall time, the time from its last output to its exit (idle), and what it did. */
	const runs = [];
	// Asynchronous: the devnet runs in this process and must keep answering while a CLI run waits on it.
	const run = (args, label = args[0]) =>
		new Promise((resolve, reject) => {
			const t0 = performance.now();
			const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			let lastOutput = t0;
			child.stdout.on('data', (d) => {
				stdout += d;
				lastOutput = performance.now();
			});
			child.stderr.on('data', (d) => {
				stderr += d;
				lastOutput = performance.now();
			});
			child.on('exit', () => {
				const t = performance.now();
				calls.push(t - t0);
				runs.push({ label, ms: t - t0, idleMs: t - lastOutput });
			});
			child.on('close', (code) => {
				if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}${stdout.slice(0, 600)}`));
				const out = JSON.parse(stdout.trim().split('\n').pop());
				if (runs.length) runs[runs.length - 1].result = out.result?.message ?? out.result?.kind;
				resolve(out);
			});
		});
	try {
		const t0 = Date.now();
		await run([
			'env',
			'add',
			'gov',
			'--endpoint',
			devnet.endpoint,
			'--kind',
			'local',
			'--route',
			'council-democracy',
			'--payload',
			payload,
			'--soak-blocks',
			'2',
			'--soak-minutes',
			'0',
			'--max-stall',
			'600',
			'--json',
		]);
		const wasm = path.join(home, 'next.wasm');
		writeFileSync(wasm, buildDevnetCode());
		const { id } = await run(['new', '--name', 'bench council', '--wasm', wasm, '--env', 'gov', '--json']);
		const advance = (signer) =>
			run(
				['advance', id, '--env', 'gov', ...(signer ? ['--signer', signer, '--yes'] : []), '--json'],
				`advance ${signer ?? '(no signer)'}`,
			);
		for (const signer of ['//Alice', '//Bob', '//Charlie', '//Dave', '//Alice']) await advance(signer);
		let out;
		for (let i = 0; i < 6; i++) {
			await devnet.newBlocks(i === 0 ? 6 : 2);
			out = await advance(payload === 'authorize' ? '//Eve' : undefined);
			if (out.result.kind === 'complete') break;
		}
		if (out.result.kind !== 'complete') throw new Error(`the rehearsal did not complete: ${out.result.message}`);
		const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		// One vote each: //Bob and //Charlie on the council motion, //Dave on the technical committee's.
		const votes = runs.filter((r) => ['advance //Bob', 'advance //Charlie', 'advance //Dave'].includes(r.label));
		return {
			ms: Date.now() - t0,
			cliCalls: calls.length,
			medianCallMs: median(calls),
			medianVoteMs: median(votes.map((r) => r.ms)),
			maxIdleMs: Math.max(...runs.map((r) => r.idleMs)),
			runs,
		};
	} finally {
		await devnet.close();
		rmSync(home, { recursive: true, force: true });
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const r = await benchCouncil({ payload: process.argv[2] ?? 'set-code' });
	console.log(JSON.stringify(r));
}
