#!/usr/bin/env node
/**
 * `npm run bench`: speed and memory of release-console on this machine, each
 * figure beside an anchor measured in the same run. Not part of `npm test`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const env = { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'error' };
const results = [];

function median(values) {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function timeCommand(args, runs = 5, extraEnv = {}) {
	const times = [];
	for (let i = 0; i < runs; i++) {
		const t0 = process.hrtime.bigint();
		const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
		times.push(Number(process.hrtime.bigint() - t0) / 1e6);
		if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
	}
	return median(times);
}

/** Time from spawn to the first frame that contains `marker`, under a pseudo-terminal (util-linux `script`); runs one at a time. */
async function firstFrame(command, marker, runs = 5) {
	const times = [];
	for (let i = 0; i < runs; i++) {
		times.push(
			await new Promise((resolve, reject) => {
				const t0 = process.hrtime.bigint();
				const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, COLUMNS: '80', LINES: '24' }, stdio: ['pipe', 'pipe', 'pipe'] });
				child.stdin.on('error', () => {});
				let out = '';
				let done = false;
				const timer = setTimeout(() => {
					child.kill('SIGKILL');
					reject(new Error(`no frame with "${marker}" from ${command}: ${out.slice(-400)}`));
				}, 20_000);
				child.stdout.on('data', (d) => {
					out += d;
					if (!done && out.includes(marker)) {
						done = true;
						clearTimeout(timer);
						const ms = Number(process.hrtime.bigint() - t0) / 1e6;
						child.stdin.write('q');
						child.once('exit', () => resolve(ms));
						setTimeout(() => child.kill('SIGKILL'), 2000).unref();
					}
				});
			}),
		);
	}
	return median(times);
}

function record(name, value, unit, anchor) {
	results.push({ name, value, unit, anchor });
	const anchorText = anchor ? `   (anchor ${anchor.name}: ${anchor.value.toFixed(0)} ${unit}; ratio ${(value / anchor.value).toFixed(2)}x)` : '';
	console.log(`${name.padEnd(52)} ${value.toFixed(value < 10 ? 2 : 0).padStart(8)} ${unit}${anchorText}`);
}

const home = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-'));
try {
	console.log(`release-console bench — ${new Date().toISOString()} — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);

	const watchOnly = process.argv.includes('--watch-only');
	if (!watchOnly) {
	// 1. start-up
	const nodeZero = timeCommand(['-e', '0']);
	const status = timeCommand([cli, 'status', '--json'], 7, { RELEASE_CONSOLE_HOME: home });
	record('status --json (wall)', status, 'ms', { name: 'node -e 0', value: nodeZero });

	const hello = path.join(root, 'bench/ink-hello.mjs');
	const inkHello = await firstFrame(`${process.execPath} ${hello}`, 'hello');
	const consoleFrame = await firstFrame(`RELEASE_CONSOLE_HOME=${home} ${process.execPath} ${cli}`, 'release-console');
	record('console first frame (pty, 80x24)', consoleFrame, 'ms', { name: 'bare Ink hello-world', value: inkHello });

	if (process.argv.includes('--startup-only')) {
		rmSync(home, { recursive: true, force: true });
		process.exit(0);
	}

	// 2. artifact
	const { writeRococoWasm } = await import(path.join(root, 'dist/artifact/embedded-runtimes.js'));
	const wasm9140 = writeRococoWasm(9140, home);
	const wasm9130 = writeRococoWasm(9130, home);
	// Cold: a fresh store directory each run (nothing cached, the wasm executor runs Core_version
	// and Metadata_metadata). Warm: the executor's answers cached by code hash in the store directory.
	const cold = (args) => {
		const times = [];
		for (let i = 0; i < 3; i++) {
			const h = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-cold-'));
			times.push(timeCommand(args, 1, { RELEASE_CONSOLE_HOME: h }));
			rmSync(h, { recursive: true, force: true });
		}
		return median(times);
	};
	const inspectCold = cold([cli, 'inspect', wasm9140, '--json']);
	record('inspect Rococo 9140, cold (process wall)', inspectCold, 'ms', { name: 'node -e 0', value: nodeZero });
	timeCommand([cli, 'inspect', wasm9140, '--json'], 1, { RELEASE_CONSOLE_HOME: home });
	const inspectWarm = timeCommand([cli, 'inspect', wasm9140, '--json'], 5, { RELEASE_CONSOLE_HOME: home });
	record('inspect Rococo 9140, warm (cached by code hash)', inspectWarm, 'ms', { name: 'node -e 0', value: nodeZero });
	const diffCold = cold([cli, 'inspect', wasm9140, '--against', wasm9130, '--json']);
	record('inspect 9140 --against 9130, cold (process wall)', diffCold, 'ms', { name: 'inspect 9140 cold', value: inspectCold });
	timeCommand([cli, 'inspect', wasm9140, '--against', wasm9130, '--json'], 1, { RELEASE_CONSOLE_HOME: home });
	const diffWarm = timeCommand([cli, 'inspect', wasm9140, '--against', wasm9130, '--json'], 3, { RELEASE_CONSOLE_HOME: home });
	record('inspect 9140 --against 9130, warm', diffWarm, 'ms', { name: 'inspect 9140 warm', value: inspectWarm });

	// 3. the real upgrade, headless, end to end
	{
		const h = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-up-'));
		// Cold: nothing cached in this store directory.
		const t0 = Date.now();
		const run = (args) => spawnSync(process.execPath, [cli, ...args], { env: { ...env, RELEASE_CONSOLE_HOME: h, RELEASE_CONSOLE_DEVNET_BLOCK_TIME: '500' }, encoding: 'utf8' });
		const created = run(['new', '--name', 'bench', '--wasm', wasm9140, '--json']);
		const id = JSON.parse(created.stdout).id;
		const adv = run(['advance', id, '--env', 'devnet', '--signer', '//Alice', '--yes', '--follow', '--json']);
		const ms = Date.now() - t0;
		const result = JSON.parse(adv.stdout.trim().split('\n').pop()).result;
		run(['devnet', 'stop']);
		rmSync(h, { recursive: true, force: true });
		record(`9130→9140 upgrade headless, devnet start to soak (${result.kind})`, ms, 'ms', { name: 'status --json', value: status });
	}

	// 4. governance devnet: a full gov v1 rehearsal, and blocks per second in manual mode
	const { benchGovernance } = await import('./governance.mjs');
	const gov = await benchGovernance({ blocks: 200 });
	record('governance devnet start (cold)', gov.startMs, 'ms');
	record(`gov v1 rehearsal, preimage → enactment (${gov.rehearsalBlocks} blocks)`, gov.rehearsalMs, 'ms', { name: '9130→9140 sudo upgrade', value: results.find((r) => r.name.startsWith('9130→9140'))?.value ?? gov.rehearsalMs });
	record('governance devnet blocks/s (manual, idle, first 200)', gov.blocksPerSecond, 'blocks/s');
	// A full council-democracy rehearsal through the console's own route, headless, signer by signer.
	{
		const { benchCouncil } = await import('./council.mjs');
		const c = await benchCouncil();
		record(`council-democracy rehearsal headless (${c.cliCalls} CLI runs: env add, new, 5 signers, enactment)`, c.ms / 1000, 's', { name: 'gov v1 rehearsal through @polkadot/api alone', value: gov.rehearsalMs / 1000 });
		record('  median CLI run (connect, read the chain, act, record)', c.medianCallMs, 'ms', { name: 'status --json', value: status });
	}

	}
	// 5. watching a chain for many blocks: the devnet in its own process (manual blocks, produced
	// over IPC), a console-like watcher (watchChain over @polkadot/api) in another; see bench/watch.mjs.
	{
		const { benchWatch } = await import('./watch.mjs');
		const w = await benchWatch(Number(process.env.BENCH_WATCH_BLOCKS ?? 10_000), (l) => console.log(l));
		const MiB = 2 ** 20;
		record(`watch ${w.blocks} blocks (devnet and watcher in their own processes)`, w.ms / 1000, 's');
		record('  blocks per second during the watch', w.blocks / (w.ms / 1000), 'blocks/s');
		record('RPC messages per block to the watcher (server count)', w.messagesPerBlock, 'msg');
		record('  of which requests from the watcher (polling)', w.requestsPerBlock, 'msg');
		record('watcher resident memory at start (after gc)', w.watcherRssStart / MiB, 'MiB');
		record(`watcher resident memory after ${w.blocks} blocks (after gc)`, w.watcherRssEnd / MiB, 'MiB', { name: 'start', value: w.watcherRssStart / MiB });
		record(`watcher memory growth over ${w.blocks} blocks (target < 10 MB)`, (w.watcherRssEnd - w.watcherRssStart) / MiB, 'MiB');
		record(`devnet resident memory, start → after ${w.blocks} blocks`, w.devnetRssEnd / MiB, 'MiB', { name: 'start', value: w.devnetRssStart / MiB });
		record('devnet heap after the watch (after gc)', w.devnetHeapEnd / MiB, 'MiB');
	}
	writeFileSync(path.join(root, 'bench/last-run.json'), JSON.stringify({ at: new Date().toISOString(), machine: `${os.cpus()[0]?.model} x${os.cpus().length}`, node: process.version, results }, null, 2));
} finally {
	rmSync(home, { recursive: true, force: true });
}
