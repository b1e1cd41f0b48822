#!/usr/bin/env node
/**
 * The 10,000-block watch: the governance devnet (manual blocks) in one
 * process, a console-like watcher (watchChain over @polkadot/api) in another.
 * Reports RPC messages per block as the devnet's JSON-RPC server counted them
 * (the watcher is its only client: requests + responses + notifications), the
 * watcher's resident memory at start and end (after gc), and the devnet's.
 *
 *   node bench/watch.mjs [blocks]   (needs `npm run build`; default BENCH_WATCH_BLOCKS or 10000)
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function child(file, args = []) {
	const proc = fork(path.join(here, file), args, {
		execArgv: ['--expose-gc'],
		env: { ...process.env, LOG_LEVEL: 'error' },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
	});
	const queue = [];
	proc.on('message', (m) => {
		const i = queue.findIndex((q) => q.type === m.type);
		if (i >= 0) queue.splice(i, 1)[0].resolve(m);
	});
	let exited;
	proc.once('exit', (code) => {
		exited = new Error(`${file} exited ${code}`);
		for (const q of queue.splice(0)) q.reject(exited);
	});
	const ask = (msg, type = msg.type) =>
		new Promise((resolve, reject) => {
			if (exited) return reject(exited);
			queue.push({ type, resolve, reject });
			if (msg.type !== 'ready') proc.send(msg);
		});
	return { proc, ask, ready: ask({ type: 'ready' }) };
}

export async function benchWatch(blocks = Number(process.env.BENCH_WATCH_BLOCKS ?? 10_000), log = () => {}) {
	const devnet = child('watch-devnet.mjs');
	let watcher;
	try {
		const { endpoint } = await devnet.ready;
		watcher = child('watch-watcher.mjs', [endpoint]);
		await watcher.ready;
		await devnet.ask({ type: 'blocks', count: 10 });
		await watcher.ask({ type: 'wait', target: 10 });
		const rss0 = (await watcher.ask({ type: 'memory' })).rss;
		const s0 = await devnet.ask({ type: 'stats' });
		const t0 = Date.now();
		let best = 10;
		let lastLog = Date.now();
		while (best < 10 + blocks) {
			const count = Math.min(100, 10 + blocks - best);
			best = (await devnet.ask({ type: 'blocks', count })).best;
			if (Date.now() - lastLog > 10_000) {
				lastLog = Date.now();
				log(`  … ${best - 10} blocks, ${((best - 10) / ((Date.now() - t0) / 1000)).toFixed(0)} blocks/s`);
			}
		}
		await watcher.ask({ type: 'wait', target: best });
		const ms = Date.now() - t0;
		const end = await watcher.ask({ type: 'memory' });
		const s1 = await devnet.ask({ type: 'stats' });
		const requests = s1.stats.received - s0.stats.received;
		const sent = s1.stats.sent - s0.stats.sent;
		return {
			blocks,
			ms,
			messagesPerBlock: (requests + sent) / blocks,
			requestsPerBlock: requests / blocks,
			watcherRssStart: rss0,
			watcherRssEnd: end.rss,
			devnetRssStart: s0.memory.rss,
			devnetRssEnd: s1.memory.rss,
			devnetHeapEnd: s1.memory.heapUsed,
			keptFrom: s1.kept,
		};
	} finally {
		if (watcher) await watcher.ask({ type: 'stop' }).catch(() => undefined);
		await devnet.ask({ type: 'stop' }).catch(() => undefined);
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const blocks = Number(process.argv[2] ?? process.env.BENCH_WATCH_BLOCKS ?? 10_000);
	const r = await benchWatch(blocks, (l) => console.error(l));
	console.log(JSON.stringify(r, null, 2));
}
