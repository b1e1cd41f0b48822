/**
 * Connecting to an environment: endpoints tried in order, `embedded:*`
 * endpoints resolved to a running embedded chain, the genesis hash checked
 * against the pinned one. @polkadot/api is imported on demand so the home
 * screen never waits for it.
 */
import type { ApiPromise } from '@polkadot/api';
import type { ConnectionState } from './types.js';
import type { Environment, Hex } from '../release/types.js';

export class ConnectError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

export interface Connection {
	api: ApiPromise;
	endpoint: string;
	genesisHash: Hex;
	disconnect: () => Promise<void>;
}

export interface ConnectOptions {
	onState?: (state: ConnectionState) => void;
	/** Per-endpoint time to wait for the first connection. */
	timeoutMs?: number;
	/** Resolves `embedded:*` endpoints to a ws:// URL (starting the chain if needed). */
	resolveEmbedded?: (endpoint: string) => Promise<string>;
	/** Delay between reconnect attempts once connected (WsProvider's autoConnectMs). */
	reconnectMs?: number;
}

export async function connectEndpoint(endpoint: string, options: ConnectOptions = {}): Promise<Connection> {
	const { ApiPromise, WsProvider } = await import('@polkadot/api');
	const timeoutMs = options.timeoutMs ?? 15_000;
	const reconnectMs = options.reconnectMs ?? 2_000;
	options.onState?.({ status: 'connecting', endpoint });
	// autoConnectMs 0 for the first attempt so an unreachable endpoint fails fast
	// instead of retrying forever; once connected, reconnects are turned on.
	const provider = new WsProvider(endpoint, false, undefined, timeoutMs);
	let attempt = 0;
	try {
		const failed = new Promise<never>((_, reject) => {
			const off = provider.on('error', (error: unknown) => {
				off();
				reject(new Error(messageOf(error) || 'connection refused'));
			});
			provider.isReady.then(off, off);
		});
		await provider.connect();
		await withTimeout(Promise.race([provider.isReady, failed]), timeoutMs, `no answer within ${timeoutMs / 1000}s`);
	} catch (error) {
		await provider.disconnect().catch(() => {});
		throw new ConnectError(
			`cannot reach ${endpoint}: ${messageOf(error)}`,
			'check the endpoint URL and that the node is running (`release-console env list` shows what is configured)',
		);
	}
	const api = new ApiPromise({ provider, noInitWarn: true, throwOnConnect: true });
	try {
		await withTimeout(api.isReadyOrError, timeoutMs * 2, `${endpoint} connected but did not serve metadata`);
	} catch (error) {
		await api.disconnect().catch(() => {});
		throw new ConnectError(`cannot use ${endpoint}: ${messageOf(error)}`, 'is this a Substrate node endpoint?');
	}
	// From now on, reconnect automatically and report it.
	const reconnect = () => {
		attempt++;
		options.onState?.({ status: 'reconnecting', endpoint, attempt, backoffMs: reconnectMs });
		setTimeout(() => {
			if (disconnected) return;
			// A refused connection closes the socket again, which emits
			// 'disconnected' and schedules the next attempt.
			provider.connect().catch(() => {});
		}, reconnectMs).unref();
	};
	let disconnected = false;
	provider.on('disconnected', () => {
		if (!disconnected) reconnect();
	});
	provider.on('connected', () => {
		attempt = 0;
		options.onState?.({ status: 'connected', endpoint });
	});
	options.onState?.({ status: 'connected', endpoint });
	return {
		api,
		endpoint,
		genesisHash: api.genesisHash.toHex() as Hex,
		disconnect: async () => {
			disconnected = true;
			await api.disconnect().catch(() => {});
		},
	};
}

/** Try each endpoint in order; the first that answers wins. */
export async function connectEnvironment(env: Environment, options: ConnectOptions = {}): Promise<Connection> {
	const errors: string[] = [];
	for (const configured of env.endpoints) {
		let endpoint = configured;
		try {
			if (configured.startsWith('embedded:')) {
				if (!options.resolveEmbedded) throw new ConnectError(`${configured} is not available here`, 'use a ws:// endpoint');
				options.onState?.({ status: 'starting-embedded', chain: configured.slice('embedded:'.length) });
				endpoint = await options.resolveEmbedded(configured);
			}
			const connection = await connectEndpoint(endpoint, options);
			if (env.genesisHash && env.genesisHash !== connection.genesisHash) {
				await connection.disconnect();
				throw new ConnectError(
					`${configured} has genesis ${connection.genesisHash}, but environment ${env.name} is pinned to ${env.genesisHash}`,
					`this is a different chain; check the endpoint, or if the chain was really reset remove and re-add environment ${env.name}`,
				);
			}
			return connection;
		} catch (error) {
			if (error instanceof ConnectError && error.message.includes('is pinned to')) {
				options.onState?.({ status: 'error', endpoint: configured, message: error.message });
				throw error;
			}
			errors.push(messageOf(error));
		}
	}
	const message = errors.join('; ');
	options.onState?.({ status: 'error', endpoint: env.endpoints.join(', '), message });
	throw new ConnectError(
		`environment ${env.name}: no endpoint answered (${message})`,
		`check that the node is running, or change the endpoints with \`release-console env add ${env.name} --endpoint URL …\``,
	);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		promise.finally(() => clearTimeout(timer)),
		new Promise<T>((_, reject) => {
			timer = setTimeout(() => reject(new Error(message)), ms);
			timer.unref();
		}),
	]);
}

export function messageOf(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (typeof error === 'object' && error && 'message' in error) return String((error as { message: unknown }).message);
	return String(error);
}
