#!/usr/bin/env node
/**
 * Bench helper (child process of bench/watch.mjs, run with --expose-gc): a
 * console-like watcher — @polkadot/api over WebSocket and the console's own
 * live watch (dist/chain/live.js watchChain, subscriptions only) — that
 * reports its resident memory after a garbage collection.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { watchChain } from '../dist/chain/live.js';

const endpoint = process.argv[2];
console.log = console.error; // @polkadot/api chatter stays off the IPC channel's way
const api = await ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true });
let state = {};
let waiting;
const stop = await watchChain(api, (patch) => {
	state = { ...state, ...patch };
	if (waiting && state.bestNumber >= waiting.target && state.finalizedNumber >= waiting.target) {
		const w = waiting;
		waiting = undefined;
		w.resolve();
	}
});
const memory = async () => {
	await new Promise((r) => setTimeout(r, 200));
	global.gc?.();
	global.gc?.();
	return process.memoryUsage().rss;
};
process.on('message', async (msg) => {
	if (msg.type === 'wait') {
		if (!(state.bestNumber >= msg.target && state.finalizedNumber >= msg.target))
			await new Promise((resolve) => (waiting = { target: msg.target, resolve }));
		process.send({ type: 'wait', best: state.bestNumber });
	} else if (msg.type === 'memory') {
		process.send({ type: 'memory', rss: await memory(), best: state.bestNumber, simulated: state.simulated });
	} else if (msg.type === 'stop') {
		stop();
		await api.disconnect();
		process.exit(0);
	}
});
process.send({ type: 'ready' });
