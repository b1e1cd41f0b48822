/**
 * A JSON-RPC 2.0 server over WebSocket, bound to 127.0.0.1, speaking the
 * substrate subscription protocol that @polkadot/api expects. Handlers follow
 * chopsticks' signature `(context, params, subscriptionManager)` so the
 * chopsticks-core handler table can be served as is.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface SubscriptionManager {
	subscribe: (method: string, subid: string, onCancel?: (subid: string) => void) => (data: unknown) => void;
	unsubscribe: (subid: string) => void;
}

export type RpcHandler<C> = (context: C, params: unknown[], subs: SubscriptionManager) => Promise<unknown> | unknown;

export class RpcError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly data?: unknown,
	) {
		super(message);
	}
}

export interface RpcServer {
	port: number;
	endpoint: string;
	/** Number of JSON-RPC messages sent to clients (responses and notifications). */
	stats: { received: number; sent: number };
	/** Open WebSocket connections now. */
	connections: () => number;
	close: () => Promise<void>;
}

interface JsonRpcRequest {
	id?: number | string | null;
	jsonrpc?: string;
	method?: unknown;
	params?: unknown;
}

export async function startRpcServer<C>(
	handlers: Record<string, RpcHandler<C>>,
	context: C,
	options: { port?: number; host?: string } = {},
): Promise<RpcServer> {
	const host = options.host ?? '127.0.0.1';
	const stats = { received: 0, sent: 0 };
	const table: Record<string, RpcHandler<C>> = {
		...handlers,
		rpc_methods: () => ({ version: 1, methods: Object.keys(table).sort() }),
	};
	const server = http.createServer((_req, res) => {
		res.writeHead(405, { 'content-type': 'text/plain' });
		res.end('release-console devnet: connect over WebSocket\n');
	});
	const wss = new WebSocketServer({ server, maxPayload: 100 * 1024 * 1024 });
	const sockets = new Set<WebSocket>();

	wss.on('connection', (ws) => {
		sockets.add(ws);
		const subscriptions = new Map<string, (subid: string) => void>();
		const send = (payload: unknown) => {
			if (ws.readyState === WebSocket.OPEN) {
				stats.sent++;
				ws.send(JSON.stringify(payload));
			}
		};
		const manager: SubscriptionManager = {
			subscribe: (method, subid, onCancel = () => {}) => {
				subscriptions.set(subid, onCancel);
				return (data) => {
					if (subscriptions.has(subid)) {
						send({ jsonrpc: '2.0', method, params: { result: data, subscription: subid } });
					}
				};
			},
			unsubscribe: (subid) => {
				const cancel = subscriptions.get(subid);
				if (cancel) {
					subscriptions.delete(subid);
					cancel(subid);
				}
			},
		};
		const handle = async (req: JsonRpcRequest) => {
			stats.received++;
			if (typeof req !== 'object' || req === null || typeof req.method !== 'string') {
				return { jsonrpc: '2.0', id: req?.id ?? null, error: { code: -32600, message: 'Invalid Request' } };
			}
			const fn = table[req.method];
			if (!fn) {
				return { jsonrpc: '2.0', id: req.id ?? null, error: { code: -32601, message: `Method not found: ${req.method}` } };
			}
			try {
				const params = Array.isArray(req.params) ? req.params : [];
				const result = await fn(context, params, manager);
				return { jsonrpc: '2.0', id: req.id ?? null, result: result ?? null };
			} catch (error) {
				const e = error as { code?: unknown; message?: string; data?: unknown };
				const code = typeof e.code === 'number' ? e.code : -32603;
				return {
					jsonrpc: '2.0',
					id: req.id ?? null,
					error: { code, message: e.message ?? String(error), ...(e.data === undefined ? {} : { data: e.data }) },
				};
			}
		};
		ws.on('message', async (raw) => {
			let parsed: unknown;
			try {
				parsed = JSON.parse(raw.toString());
			} catch {
				send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
				return;
			}
			if (Array.isArray(parsed)) {
				send(await Promise.all(parsed.map((r) => handle(r as JsonRpcRequest))));
			} else {
				send(await handle(parsed as JsonRpcRequest));
			}
		});
		const cleanup = () => {
			sockets.delete(ws);
			for (const [subid, cancel] of subscriptions) cancel(subid);
			subscriptions.clear();
		};
		ws.on('close', cleanup);
		ws.on('error', cleanup);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	return {
		port,
		endpoint: `ws://${host}:${port}`,
		stats,
		connections: () => sockets.size,
		close: async () => {
			for (const ws of sockets) ws.terminate();
			await new Promise<void>((resolve) => {
				wss.close(() => server.close(() => resolve()));
				server.closeAllConnections?.();
			});
		},
	};
}
