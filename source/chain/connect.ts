/**
 * Connecting to an environment: endpoints tried in order, `embedded:*`
 * endpoints resolved to a running embedded chain, the genesis hash checked
 * against the pinned one. @polkadot/api is imported on demand so the home
 * screen never waits for it.
 *
 * Once connected, a lost connection is retried with exponential backoff
 * (1 s, 2 s, 4 s, … up to 30 s), cycling through the environment's other
 * endpoints in order; every attempt is reported (`reconnecting`, with the
 * attempt count and the delay) so the chain panel can show it. After a
 * reconnect the endpoint's genesis hash is checked again: a different chain
 * behind the same URL is refused, never silently followed.
 */
import type { ApiPromise, WsProvider as WsProviderType } from '@polkadot/api';
import type { ConnectionState } from './types.js';
import type { Environment, Hex } from '../domain/types.js';
import { RefusedError } from '../errors.js';
import { applyLegacyExtrinsicVersion } from './legacy-registry.js';

/** No endpoint could be used (kind `refused`, exit 1). */
export class ConnectError extends RefusedError {
	declare readonly hint: string;

	constructor(message: string, hint: string) {
		super(message, hint);
	}
}

/** The endpoint answered, but with a different genesis than the environment is pinned to: refused at once, never skipped for the next endpoint. */
export class GenesisMismatchError extends ConnectError {}

export interface Connection {
	api: ApiPromise;
	/** The endpoint in use now (it changes when a reconnect fails over to another endpoint). */
	readonly endpoint: string;
	genesisHash: Hex;
	disconnect: () => Promise<void>;
}

export interface ConnectOptions {
	onState?: (state: ConnectionState) => void;
	/** Per-endpoint time to wait for the first connection. */
	timeoutMs?: number;
	/** Resolves `embedded:*` endpoints to a ws:// URL (starting the chain if needed). */
	resolveEmbedded?: (endpoint: string) => Promise<string>;
	/** First delay before a reconnect attempt once connected; it doubles each attempt (default 1000 ms). */
	reconnectMs?: number;
	/** The longest delay between reconnect attempts (default 30 000 ms). */
	maxReconnectMs?: number;
	/** Endpoints to fail over to, in order, when the connected one goes away (connectEnvironment fills this in). */
	fallbacks?: string[];
}

/**
 * Whether what arrives on a connection's subscriptions can be believed: after
 * a reconnect it is `checking` until the endpoint's genesis hash is confirmed,
 * and `refused` for good once a different chain answered. watchChain holds
 * patches while checking and drops them when refused.
 */
export type Trust = 'trusted' | 'checking' | 'refused';

interface TrustGate {
	state: Trust;
	listeners: Set<(state: Trust) => void>;
}

const trustGates = new WeakMap<object, TrustGate>();

function setTrust(gate: TrustGate, state: Trust): void {
	if (gate.state === state || gate.state === 'refused') return;
	gate.state = state;
	for (const listener of gate.listeners) listener(state);
}

/** The trust state of an api made by connectEndpoint (undefined for any other api). */
export function trustOf(api: object): { readonly state: Trust; subscribe: (fn: (state: Trust) => void) => () => void } | undefined {
	const gate = trustGates.get(api);
	if (!gate) return undefined;
	return {
		get state() {
			return gate.state;
		},
		subscribe: (fn) => {
			gate.listeners.add(fn);
			return () => gate.listeners.delete(fn);
		},
	};
}

export const DEFAULT_RECONNECT_MS = 1_000;
export const DEFAULT_MAX_RECONNECT_MS = 30_000;

/** The delay before reconnect attempt `attempt` (1-based): base, 2×base, 4×base, … capped at max. */
export function backoffDelay(attempt: number, baseMs = DEFAULT_RECONNECT_MS, maxMs = DEFAULT_MAX_RECONNECT_MS): number {
	return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
}

export async function connectEndpoint(endpoint: string, options: ConnectOptions = {}): Promise<Connection> {
	const { ApiPromise, WsProvider } = await import('@polkadot/api');
	const timeoutMs = options.timeoutMs ?? 15_000;
	const baseMs = options.reconnectMs ?? DEFAULT_RECONNECT_MS;
	const maxMs = Math.max(baseMs, options.maxReconnectMs ?? DEFAULT_MAX_RECONNECT_MS);
	options.onState?.({ status: 'connecting', endpoint });
	// The first endpoint is this one; reconnects cycle on through the fallbacks.
	const rotation = [endpoint, ...(options.fallbacks ?? []).filter((e) => e !== endpoint && /^wss?:\/\//.test(e))];
	// autoConnectMs 0: the first attempt fails fast instead of retrying for ever;
	// once connected, reconnects are scheduled here, with backoff.
	let provider: WsProviderType;
	try {
		provider = new WsProvider(rotation, false, undefined, timeoutMs);
	} catch (error) {
		throw new ConnectError(`cannot use ${endpoint}: ${messageOf(error)}`, 'endpoints are ws:// or wss:// URLs (or embedded:rococo)');
	}
	try {
		const failed = new Promise<never>((_, reject) => {
			const off = provider.on('error', (error: unknown) => {
				off();
				reject(new Error(socketErrorMessage(error) || 'connection refused'));
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
	// Metadata before v11 (Kusama 1020) names no extrinsic version: block bodies are version 4 (a no-op elsewhere).
	applyLegacyExtrinsicVersion(api.registry);
	const genesisHash = api.genesisHash.toHex() as Hex;
	const gate: TrustGate = { state: 'trusted', listeners: new Set() };
	trustGates.set(api, gate);

	// From now on, reconnect automatically (with backoff) and report it.
	let stopped = false;
	let attempt = 0;
	let timer: NodeJS.Timeout | undefined;
	const nextEndpoint = () => rotation[(rotation.indexOf(provider.endpoint) + 1) % rotation.length]!;
	provider.on('disconnected', () => {
		if (stopped) return;
		attempt++;
		const delay = backoffDelay(attempt, baseMs, maxMs);
		options.onState?.({
			status: 'reconnecting',
			endpoint: nextEndpoint(),
			attempt,
			backoffMs: delay,
			nextAttemptAt: Date.now() + delay,
		});
		clearTimeout(timer);
		timer = setTimeout(() => {
			if (stopped) return;
			// A refused connection closes the socket again, which emits
			// 'disconnected' and schedules the next attempt.
			provider.connect().catch(() => {});
		}, delay);
		timer.unref();
	});
	provider.on('connected', () => {
		if (stopped) return;
		const now = provider.endpoint;
		const after = attempt;
		// Subscriptions were re-sent just before this event: hold what they
		// deliver until the genesis check below says it is the same chain.
		setTrust(gate, 'checking');
		// The same chain? A restarted node keeps its genesis; another chain
		// behind the same URL does not, and is refused.
		(provider.send('chain_getBlockHash', [0]) as Promise<string>)
			.then(async (hash) => {
				if (stopped) return;
				if (typeof hash === 'string' && hash.toLowerCase() !== genesisHash.toLowerCase()) {
					stopped = true;
					clearTimeout(timer);
					setTrust(gate, 'refused');
					options.onState?.({
						status: 'error',
						endpoint: now,
						message: `a different chain answers at ${now} (genesis ${hash.toLowerCase()}, expected ${genesisHash}); disconnected from it. If the chain was really reset, remove and re-add the environment`,
					});
					await api.disconnect().catch(() => {});
					return;
				}
				attempt = 0;
				options.onState?.({ status: 'connected', endpoint: now, ...(after > 0 ? { reconnects: after } : {}) });
				setTrust(gate, 'trusted');
			})
			.catch(() => {
				// the socket went away again: 'disconnected' schedules the next attempt
			});
	});
	options.onState?.({ status: 'connected', endpoint });
	return {
		api,
		get endpoint() {
			return provider.endpoint ?? endpoint;
		},
		genesisHash,
		disconnect: async () => {
			stopped = true;
			clearTimeout(timer);
			await api.disconnect().catch(() => {});
		},
	};
}

/** Try each endpoint in order; the first that answers wins, and the others stay fallbacks for reconnects. */
export async function connectEnvironment(env: Environment, options: ConnectOptions = {}): Promise<Connection> {
	const errors: string[] = [];
	const skipped: string[] = [];
	for (const [index, configured] of env.endpoints.entries()) {
		let endpoint = configured;
		try {
			if (configured.startsWith('embedded:')) {
				if (!options.resolveEmbedded) throw new ConnectError(`${configured} is not available here`, 'use a ws:// endpoint');
				options.onState?.({ status: 'starting-embedded', chain: configured.slice('embedded:'.length) });
				endpoint = await options.resolveEmbedded(configured);
			}
			// Reconnects fail over to the endpoints after this one, then back to the earlier ones.
			const fallbacks = [...env.endpoints.slice(index + 1), ...env.endpoints.slice(0, index)].filter(
				(e) => !e.startsWith('embedded:'),
			);
			const connection = await connectEndpoint(endpoint, {
				...options,
				fallbacks,
				// The first report says which earlier endpoints did not answer.
				onState: (state) =>
					options.onState?.(
						state.status === 'connected' && skipped.length > 0 && !state.reconnects && state.endpoint === endpoint
							? { ...state, skipped: [...skipped] }
							: state,
					),
			});
			if (env.genesisHash && env.genesisHash.toLowerCase() !== connection.genesisHash.toLowerCase()) {
				await connection.disconnect();
				throw new GenesisMismatchError(
					`${configured} has genesis ${connection.genesisHash}, but environment ${env.name} is pinned to ${env.genesisHash}`,
					`this is a different chain; check the endpoint, or if the chain was really reset remove and re-add environment ${env.name}`,
				);
			}
			return connection;
		} catch (error) {
			if (error instanceof GenesisMismatchError) {
				options.onState?.({ status: 'error', endpoint: configured, message: error.message });
				throw error;
			}
			errors.push(messageOf(error));
			skipped.push(configured);
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

/** A socket error event carries its cause (e.g. ECONNREFUSED) on `.error`. */
function socketErrorMessage(error: unknown): string {
	const inner = (error as { error?: unknown } | undefined)?.error;
	return messageOf(inner ?? error);
}

export function messageOf(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (typeof error === 'object' && error && 'message' in error) return String((error as { message: unknown }).message);
	return String(error);
}
