/**
 * Rehearsal bench: `rehearse` of the 9130 → 9140 upgrade on a fork of the
 * embedded Rococo chain, a second one of the same block (state read from the
 * fork cache), and chopsticks-core's own dry-run of the same extrinsic
 * (`Blockchain.dryRunExtrinsic`: it applies the one extrinsic, builds no block
 * after it) from the same endpoint.
 *
 * The embedded chain answers dev_setStorage, so `rehearse` keeps nothing it
 * fetched from it (a dev chain can change a block's state in place). A live
 * node has no dev_* methods: the chain is put behind a JSON-RPC proxy that
 * hides them, as a live node's endpoint would, so the cache applies.
 *
 *   node bench/rehearse.mjs   (needs `npm run build` first)
 *     -> { uncachedMs, cachedMs, chopsticksDryRunMs, blocks }
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');

/** The embedded Rococo chain in a process of its own; resolves with its endpoint. */
function startChain(env) {
	const child = spawn(process.execPath, [cli, 'devnet', '--chain', 'rococo', '--port', '0', '--block-time', 'manual'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = /listening on (ws:\/\/[^\s]+)/.exec(out);
			if (m) resolve({ endpoint: m[1], stop: () => child.kill('SIGTERM') });
		});
		child.once('exit', (code) => reject(new Error(`the embedded Rococo chain exited ${code}: ${out}`)));
	});
}

/** A JSON-RPC proxy to `upstream` without the dev_* methods (as a live node's endpoint): listed nowhere, refused if called. */
function liveLikeProxy(upstream) {
	const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
	server.on('connection', (client) => {
		const up = new WebSocket(upstream);
		const queue = [];
		const methodsIds = new Set();
		up.on('open', () => queue.splice(0).forEach((m) => up.send(m)));
		client.on('message', (data) => {
			const text = String(data);
			const msg = JSON.parse(text);
			if (typeof msg.method === 'string' && msg.method.startsWith('dev_')) {
				client.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } }));
				return;
			}
			if (msg.method === 'rpc_methods') methodsIds.add(msg.id);
			if (up.readyState === WebSocket.OPEN) up.send(text);
			else queue.push(text);
		});
		up.on('message', (data) => {
			const msg = JSON.parse(String(data));
			if (methodsIds.has(msg.id) && msg.result?.methods) {
				methodsIds.delete(msg.id);
				msg.result.methods = msg.result.methods.filter((m) => !m.startsWith('dev_'));
				client.send(JSON.stringify(msg));
				return;
			}
			client.send(String(data));
		});
		client.on('close', () => up.close());
		up.on('close', () => client.close());
		up.on('error', () => client.close());
	});
	return new Promise((resolve) =>
		server.on('listening', () => resolve({ endpoint: `ws://127.0.0.1:${server.address().port}`, close: () => server.close() })),
	);
}

/** chopsticks-core's own dry-run of the upgrade extrinsic, from a fresh fork of `endpoint` (its own setup timed too). */
async function chopsticksDryRun(endpoint, code) {
	const core = await import('@acala-network/chopsticks-core');
	const { ApiPromise, WsProvider } = await import('@polkadot/api');
	const { u8aToHex } = await import('@polkadot/util');
	const api = await ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true });
	const weight = /u64/.test(api.tx.sudo.sudoUncheckedWeight.meta.args[1].type.toString()) ? 0 : { refTime: 0, proofSize: 0 };
	const call = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(code)), weight).method.toHex();
	const sudo = (await api.query.sudo.key()).toString();
	await api.disconnect();
	const t0 = performance.now();
	const chain = await core.setup({ endpoint, buildBlockMode: core.BuildBlockMode.Manual, mockSignatureHost: true, runtimeLogLevel: 0 });
	const { outcome } = await chain.dryRunExtrinsic({ call, address: sudo });
	const ms = performance.now() - t0;
	await chain.close();
	await core.destroyWorker();
	if (!outcome.isOk) throw new Error(`chopsticks' dry-run of the upgrade failed: ${outcome.toString()}`);
	return ms;
}

export async function benchRehearse({ blocks = 3 } = {}) {
	const home = mkdtempSync(path.join(os.tmpdir(), 'rc-bench-rehearse-'));
	const env = { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'error', RELEASE_CONSOLE_HOME: home };
	const chain = await startChain(env);
	const proxy = await liveLikeProxy(chain.endpoint);
	try {
		// Not spawnSync: the proxy runs in this process and must keep answering.
		const run = (args) =>
			new Promise((resolve) => {
				const t0 = performance.now();
				const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
				let stdout = '';
				let stderr = '';
				child.stdout.on('data', (d) => (stdout += d));
				child.stderr.on('data', (d) => (stderr += d));
				child.once('exit', (status) => resolve({ status, stdout, stderr, ms: performance.now() - t0 }));
			});
		const { rococoRuntime, writeRococoWasm } = await import(path.join(root, 'dist/artifact/embedded-runtimes.js'));
		await run(['env', 'add', 'staging', '--endpoint', proxy.endpoint, '--kind', 'testnet', '--route', 'sudo']);
		const id = JSON.parse(
			(await run(['new', '--name', 'bench', '--wasm', writeRococoWasm(9140, home), '--env', 'staging', '--json'])).stdout,
		).id;
		const rehearse = async () => {
			const r = await run(['rehearse', id, '--env', 'staging', '--blocks', String(blocks), '--json']);
			const out = JSON.parse(r.stdout.trim().split('\n').pop());
			if (r.status !== 0 || out.report?.verdict !== 'passed')
				throw new Error(`rehearse failed (${r.status}): ${r.stdout} ${r.stderr}`);
			return { ms: r.ms, cache: out.cache };
		};
		const uncached = await rehearse();
		const cached = await rehearse();
		if (!/^kept in /.test(cached.cache)) throw new Error(`the fork cache was not used: ${cached.cache}`);
		const chopsticksDryRunMs = await chopsticksDryRun(proxy.endpoint, rococoRuntime(9140).code);
		return { uncachedMs: uncached.ms, cachedMs: cached.ms, chopsticksDryRunMs, blocks, cache: cached.cache };
	} finally {
		proxy.close();
		chain.stop();
		rmSync(home, { recursive: true, force: true });
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	console.log(JSON.stringify(await benchRehearse()));
	process.exit(0);
}
