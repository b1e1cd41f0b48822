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
				const child = spawn('script', ['-qfec', command, '/dev/null'], {
					env: { ...env, COLUMNS: '80', LINES: '24' },
					stdio: ['pipe', 'pipe', 'pipe'],
				});
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

/**
 * One figure, beside its anchor (measured in the same run). `target`: a ratio to
 * the anchor (`{ ratio: 2.2 }`) or an absolute bound (`{ max: 1000 }`), printed ✔/✖.
 */
function record(name, value, unit, anchor, target) {
	const ratio = anchor ? value / anchor.value : undefined;
	const met = target === undefined ? undefined : target.ratio !== undefined ? ratio <= target.ratio : value <= target.max;
	results.push({ name, value, unit, anchor, ...(ratio === undefined ? {} : { ratio }), ...(target ? { target, met } : {}) });
	const anchorText = anchor
		? `   (anchor ${anchor.name}: ${anchor.value.toFixed(anchor.value < 10 ? 2 : 0)} ${anchor.unit ?? unit}; ratio ${ratio.toFixed(2)}x)`
		: '';
	const targetText = target
		? `   target ${target.ratio !== undefined ? `≤ ${target.ratio}x` : `≤ ${target.max} ${unit}`} ${met ? '✔' : '✖'}`
		: '';
	console.log(`${name.padEnd(52)} ${value.toFixed(value < 10 ? 2 : 0).padStart(8)} ${unit}${anchorText}${targetText}`);
}

/** The anchor for the first frame: bench/ink-hello.mjs bundled the way scripts/build.mjs bundles the console. */
async function bundledInkHello(dir) {
	const { build } = await import('esbuild');
	const outfile = path.join(dir, 'ink-hello.bundle.mjs');
	await build({
		entryPoints: [path.join(root, 'bench/ink-hello.mjs')],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		external: ['react-devtools-core'],
		define: { 'process.env.NODE_ENV': '"production"' },
		minifyWhitespace: true,
		minifySyntax: true,
		banner: {
			js: "import { createRequire as __rcCreateRequire } from 'node:module'; const require = __rcCreateRequire(import.meta.url);",
		},
		absWorkingDir: root,
		nodePaths: [path.join(root, 'node_modules')],
		logLevel: 'warning',
	});
	return outfile;
}

const home = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-'));
try {
	const loadAtStart = os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ');
	console.log(
		`release-console bench — ${new Date().toISOString()} — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadAtStart}\n`,
	);

	const watchOnly = process.argv.includes('--watch-only');
	if (!watchOnly) {
		// 1. start-up
		// Interleaved, so that both see the same load.
		const zeros = [];
		const statuses = [];
		for (let i = 0; i < 9; i++) {
			zeros.push(timeCommand(['-e', '0'], 1));
			statuses.push(timeCommand([cli, 'status', '--json'], 1, { RELEASE_CONSOLE_HOME: home }));
		}
		const nodeZero = median(zeros);
		const status = median(statuses);
		record('status --json (wall)', status, 'ms', { name: 'node -e 0', value: nodeZero }, { ratio: 2.2 });

		const hello = await bundledInkHello(home);
		const inkHello = await firstFrame(`${process.execPath} ${hello}`, 'hello');
		const consoleFrame = await firstFrame(`RELEASE_CONSOLE_HOME=${home} ${process.execPath} ${cli}`, 'release-console');
		record(
			'console first frame (pty, 80x24)',
			consoleFrame,
			'ms',
			{ name: 'bundled Ink hello-world', value: inkHello },
			{ ratio: 1.7 },
		);

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
		record('inspect Rococo 9140, cold (process wall)', inspectCold, 'ms', { name: 'node -e 0', value: nodeZero }, { ratio: 10 });
		timeCommand([cli, 'inspect', wasm9140, '--json'], 1, { RELEASE_CONSOLE_HOME: home });
		const inspectWarm = timeCommand([cli, 'inspect', wasm9140, '--json'], 5, { RELEASE_CONSOLE_HOME: home });
		record(
			'inspect Rococo 9140, warm (whole inspection cached)',
			inspectWarm,
			'ms',
			{ name: 'node -e 0', value: nodeZero },
			{ ratio: 3 },
		);
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
			const run = (args) =>
				spawnSync(process.execPath, [cli, ...args], {
					env: { ...env, RELEASE_CONSOLE_HOME: h, RELEASE_CONSOLE_DEVNET_BLOCK_TIME: '500' },
					encoding: 'utf8',
				});
			const created = run(['new', '--name', 'bench', '--wasm', wasm9140, '--json']);
			const id = JSON.parse(created.stdout).id;
			const adv = run(['advance', id, '--env', 'devnet', '--signer', '//Alice', '--yes', '--follow', '--json']);
			const ms = Date.now() - t0;
			const result = JSON.parse(adv.stdout.trim().split('\n').pop()).result;
			run(['devnet', 'stop']);
			rmSync(h, { recursive: true, force: true });
			record(`9130→9140 upgrade headless, devnet start to soak (${result.kind})`, ms, 'ms', { name: 'status --json', value: status });
		}

		// 3b. the multi-chain release, headless, end to end on the embedded network (its boot included):
		// relay 9130 → 9140 with the asset hub's authorization in one sudo call, then the asset hub's apply,
		// go-ahead, verify and soak (5 blocks each, blocks built on request: instant mode, advance --follow).
		{
			const h = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-net-'));
			const { writeAssetHubWasm } = await import(path.join(root, 'dist/artifact/embedded-runtimes.js'));
			const hubWasm = writeAssetHubWasm(h, 'rebuilt');
			const run = (args) =>
				spawnSync(process.execPath, [cli, ...args], { env: { ...env, RELEASE_CONSOLE_HOME: h }, encoding: 'utf8' });
			const t0 = Date.now();
			run([
				'env',
				'add',
				'relay',
				'--endpoint',
				'embedded:rococo-network',
				'--kind',
				'local',
				'--route',
				'sudo',
				'--soak-blocks',
				'5',
				'--soak-minutes',
				'0',
			]);
			run([
				'env',
				'add',
				'hub',
				'--endpoint',
				'embedded:asset-hub-rococo',
				'--kind',
				'local',
				'--route',
				'parachain',
				'--relay',
				'relay',
				'--para-id',
				'1000',
				'--soak-blocks',
				'5',
				'--soak-minutes',
				'0',
			]);
			const created = run(['new', '--name', 'bench', '--runtime', `relay=${wasm9140}`, '--runtime', `hub=${hubWasm}`, '--json']);
			const id = JSON.parse(created.stdout).id;
			const relayRun = run(['advance', id, '--env', 'relay', '--signer', '//Alice', '--yes', '--follow', '--json']);
			const hubRun = run(['advance', id, '--env', 'hub', '--yes', '--follow', '--json']);
			const ms = Date.now() - t0;
			const kinds = [relayRun, hubRun].map((r) => JSON.parse(r.stdout.trim().split('\n').pop()).result.kind).join(', ');
			run(['devnet', 'stop']);
			rmSync(h, { recursive: true, force: true });
			record(`relay 9130→9140 + asset hub, one proposal, headless, network start to both soaked (${kinds})`, ms, 'ms', {
				name: '9130→9140 sudo upgrade',
				value: results.find((r) => r.name.startsWith('9130→9140'))?.value ?? ms,
			});
		}

		// 4. governance devnet: a full gov v1 rehearsal, and blocks per second in manual mode
		const { benchGovernance } = await import('./governance.mjs');
		const gov = await benchGovernance({ blocks: 200 });
		record('governance devnet start (cold)', gov.startMs, 'ms');
		record(`gov v1 rehearsal, preimage → enactment (${gov.rehearsalBlocks} blocks)`, gov.rehearsalMs, 'ms', {
			name: '9130→9140 sudo upgrade',
			value: results.find((r) => r.name.startsWith('9130→9140'))?.value ?? gov.rehearsalMs,
		});
		record('governance devnet blocks/s (manual, idle, first 200)', gov.blocksPerSecond, 'blocks/s');
		// A full council-democracy rehearsal through the console's own route, headless, signer by signer.
		{
			const { benchCouncil } = await import('./council.mjs');
			const c = await benchCouncil();
			record(
				`council-democracy rehearsal headless (${c.cliCalls} CLI runs: env add, new, 5 signers, enactment)`,
				c.ms / 1000,
				's',
				{ name: 'gov v1 rehearsal through @polkadot/api alone', value: gov.rehearsalMs / 1000 },
				{ ratio: 2.7 },
			);
			record('  median CLI run (connect, read the chain, act, record)', c.medianCallMs, 'ms', {
				name: 'status --json',
				value: status,
			});
			record(
				'  one signed advance step, one vote (median of //Bob, //Charlie, //Dave)',
				c.medianVoteMs,
				'ms',
				{ name: 'status --json', value: status },
				{ max: 1000 },
			);
			record("  longest idle after a CLI run's last output (of all runs)", c.maxIdleMs, 'ms', undefined, { max: 100 });
		}
	}
	// 4b. rehearsal on a fork: uncached, the same block again from the fork cache, and chopsticks' own
	// dry-run of the same extrinsic (no blocks after it); see bench/rehearse.mjs.
	{
		const { benchRehearse } = await import('./rehearse.mjs');
		const r = await benchRehearse({ blocks: 3 });
		const dry = { name: "chopsticks-core's dryRunExtrinsic of the same upgrade (setup included)", value: r.chopsticksDryRunMs };
		record(`rehearse 9130→9140 on a fork, ${r.blocks} blocks after the first under 9140, cache empty`, r.uncachedMs, 'ms', dry);
		record('  rehearse again, same block, state from the fork cache', r.cachedMs, 'ms', {
			name: 'rehearse, cache empty',
			value: r.uncachedMs,
		});
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
		record(`watcher resident memory after ${w.blocks} blocks (after gc)`, w.watcherRssEnd / MiB, 'MiB', {
			name: 'start',
			value: w.watcherRssStart / MiB,
		});
		record(`watcher memory growth over ${w.blocks} blocks (target < 10 MB)`, (w.watcherRssEnd - w.watcherRssStart) / MiB, 'MiB');
		record(`devnet resident memory, start → after ${w.blocks} blocks`, w.devnetRssEnd / MiB, 'MiB', {
			name: 'start',
			value: w.devnetRssStart / MiB,
		});
		record('devnet heap after the watch (after gc)', w.devnetHeapEnd / MiB, 'MiB');
	}
	const targets = results.filter((r) => r.target);
	console.log(
		`\ntargets: ${targets.filter((r) => r.met).length} of ${targets.length} met${
			targets.some((r) => !r.met)
				? ` (missed: ${targets
						.filter((r) => !r.met)
						.map((r) => r.name.trim())
						.join('; ')})`
				: ''
		}; load average at the end ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}`,
	);
	writeFileSync(
		path.join(root, 'bench/last-run.json'),
		JSON.stringify(
			{
				at: new Date().toISOString(),
				machine: `${os.cpus()[0]?.model} x${os.cpus().length}`,
				node: process.version,
				loadAverage: {
					start: loadAtStart,
					end: os
						.loadavg()
						.map((l) => l.toFixed(1))
						.join(' '),
				},
				results,
			},
			null,
			2,
		),
	);
} finally {
	rmSync(home, { recursive: true, force: true });
}
