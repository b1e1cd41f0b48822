#!/usr/bin/env node
/**
 * Bench helper (child process of bench/watch.mjs): the governance devnet in
 * manual block mode, served by the devnet's own JSON-RPC server, with blocks
 * produced on request over IPC so that the only WebSocket client is the
 * watcher and the server's message counts are the watcher's.
 */
import { startRpcServer } from '../dist/devnet/rpc-server.js';
import { GovernanceChain } from '../dist/devnet/governance/chain/index.js';
import { rpcHandlers } from '../dist/devnet/governance/rpc.js';

process.env.LOG_LEVEL ??= 'error';
const chain = await GovernanceChain.create();
const server = await startRpcServer(rpcHandlers(), { chain, buildMode: 'manual', onSubmitted: () => {} }, { port: 0, host: '127.0.0.1' });
const memory = () => {
	global.gc?.();
	const m = process.memoryUsage();
	return { rss: m.rss, heapUsed: m.heapUsed };
};
process.on('message', async (msg) => {
	if (msg.type === 'blocks') {
		const t0 = Date.now();
		await chain.newBlocks(msg.count);
		process.send({ type: 'blocks', best: chain.best.number, ms: Date.now() - t0 });
	} else if (msg.type === 'stats') {
		process.send({ type: 'stats', stats: { ...server.stats }, best: chain.best.number, kept: chain.kept, memory: memory() });
	} else if (msg.type === 'stop') {
		await server.close();
		process.exit(0);
	}
});
process.send({ type: 'ready', endpoint: server.endpoint });
