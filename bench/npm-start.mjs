#!/usr/bin/env node
/**
 * `node bench/npm-start.mjs [runs]`: time from running `npm start` (under a
 * pseudo-terminal, 80×24, util-linux `script`) to the console's first frame, and the
 * same for `node dist/cli.js`. Each run uses a fresh store directory (a first start).
 * Nothing in the sources changes between runs, so `npm start` needs no build;
 * "build, then start" is what `npm start` did before (the full build every time).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const marker = 'release-console';

function firstFrame(command) {
	return new Promise((resolve, reject) => {
		const home = mkdtempSync(path.join(os.tmpdir(), 'rc-npm-start-'));
		const t0 = process.hrtime.bigint();
		const child = spawn('script', ['-qfec', command, '/dev/null'], {
			cwd: root,
			env: { ...process.env, RELEASE_CONSOLE_HOME: home, COLUMNS: '80', LINES: '24', NO_COLOR: '1' },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		child.stdin.on('error', () => {});
		let out = '';
		let ms;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no frame from ${command}: ${out.slice(-400)}`));
		}, 120_000);
		child.stdout.on('data', (d) => {
			out += d;
			// The console's frame: its title box (npm's own banner names the package, not in a box).
			if (ms === undefined && out.includes(`╭`) && out.lastIndexOf(marker) > out.indexOf('╭')) {
				ms = Number(process.hrtime.bigint() - t0) / 1e6;
				clearTimeout(timer);
				child.stdin.write('q');
			}
		});
		child.once('exit', () => {
			rmSync(home, { recursive: true, force: true });
			if (ms === undefined) reject(new Error(`no frame from ${command}: ${out.slice(-400)}`));
			else resolve(ms);
		});
	});
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, command] of [
	['npm start', 'npm start --silent'],
	// what `npm start` did before the skip (prestart ran the full build every time)
	['build, then start', `${process.execPath} scripts/build.mjs && ${process.execPath} dist/cli.js`],
	['node dist/cli.js', `${process.execPath} dist/cli.js`],
]) {
	const times = [];
	for (let i = 0; i < runs; i++) times.push(await firstFrame(command));
	console.log(
		`${label.padEnd(20)} first frame: median ${median(times).toFixed(0)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`,
	);
}
