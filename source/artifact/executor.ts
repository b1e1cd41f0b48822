/**
 * Offline runtime API calls through the chopsticks wasm executor (smoldot's
 * host, in a worker thread). No storage is available: reads see an empty
 * state, which is enough for `Core_version` and `Metadata_*`.
 *
 * This module runs its own executor worker, not chopsticks' process-wide
 * one: an embedded chain in the same process keeps its worker when an
 * inspection ends and this one is destroyed. The worker keeps the process
 * alive until destroyed; callers that are done call `releaseExecutor()` (or
 * the function `holdExecutor()` returned), which only destroys it when no call
 * is in flight and nobody holds it.
 */
import { createRequire } from 'node:module';
import type { TaskCallResponse, WasmExecutor } from '@acala-network/chopsticks-core/wasm-executor/index';
import type { Hex } from '../domain/types.js';
import { ArtifactError } from './errors.js';

interface Comlink {
	proxy<T>(value: T): T;
	releaseProxy: symbol;
}

interface OwnWorker {
	remote: Pick<WasmExecutor, 'runTask'> & Record<symbol, () => void>;
	terminate: () => Promise<void>;
}

type TaskResponse = { Call: TaskCallResponse } | { Error: string };

let worker: Promise<OwnWorker> | undefined;
let comlink: Comlink | undefined;
let inFlight = 0;
let holders = 0;
let nextTaskId = 0;
let destroying: Promise<void> | undefined;
const hexCache = new WeakMap<Uint8Array, Hex>();

/** The comlink instance chopsticks' worker wrapper uses (callbacks must carry its proxy marker). */
function comlinkOfChopsticks(): Comlink {
	if (!comlink) {
		const core = createRequire(import.meta.url).resolve('@acala-network/chopsticks-core');
		comlink = createRequire(core)('comlink') as Comlink;
	}
	return comlink;
}

function ownWorker(): Promise<OwnWorker> {
	if (!worker) {
		// chopsticks-core reads LOG_LEVEL when its logger is first evaluated.
		process.env.LOG_LEVEL ??= 'error';
		startedOnce = true;
		worker = import('@acala-network/chopsticks-core/wasm-executor/node-worker').then(
			({ startWorker }) => startWorker<WasmExecutor>() as unknown as Promise<OwnWorker>,
		);
		worker.catch(() => {
			worker = undefined;
		});
	}
	return worker;
}

/** The code as hex for the executor task (Buffer's encoder: ~100× faster than u8aToHex on a 3.5 MB runtime). */
function hexOf(code: Uint8Array): Hex {
	let hex = hexCache.get(code);
	if (!hex) {
		hex = `0x${Buffer.from(code.buffer, code.byteOffset, code.byteLength).toString('hex')}` as Hex;
		hexCache.set(code, hex);
	}
	return hex;
}

/**
 * Results of runtime API calls kept on disk, keyed by the code hash: the calls
 * run with an empty state, so their results depend on the code alone.
 */
export interface RuntimeCallCache {
	get(key: string): Uint8Array | undefined;
	set(key: string, value: Uint8Array): void;
}

export interface CallOptions {
	/** For messages. */
	path?: string;
	/** With `cacheKey` (the code hash): answer from, and store into, this cache. */
	cache?: RuntimeCallCache;
	cacheKey?: string;
}

let startedOnce = false;

// Buffer's hex codec (this module stays free of @polkadot/util: inspect.ts and the inspect command import it on every run).
const toHex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}` as Hex;
const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.startsWith('0x') ? hex.slice(2) : hex, 'hex'));
/** Whether a runtime was ever executed in this process, by V8 (host.ts) or an executor worker (a cached answer executes none). */
export function executorStarted(): boolean {
	return startedOnce;
}

const EMPTY_STATE = {
	getStorage: async () => undefined,
	getNextKey: async () => undefined,
	offchainGetStorage: async () => undefined,
	offchainTimestamp: async () => Date.now(),
	offchainRandomSeed: async () => `0x${'00'.repeat(32)}`,
	offchainSubmitTransaction: async () => false,
};

/**
 * Call a runtime API of `code` (the decompressed wasm) and return the SCALE
 * bytes it returned. `args` are SCALE-encoded parameters.
 */
export async function callRuntimeApi(
	code: Uint8Array,
	method: string,
	args: Uint8Array[] = [],
	pathOrOptions?: string | CallOptions,
): Promise<Uint8Array> {
	const options: CallOptions = typeof pathOrOptions === 'string' ? { path: pathOrOptions } : (pathOrOptions ?? {});
	const path = options.path;
	const cacheKey = options.cache && options.cacheKey ? `${options.cacheKey}/${method}(${args.map(toHex).join(',')})` : undefined;
	if (cacheKey) {
		const hit = options.cache!.get(cacheKey);
		if (hit) return hit;
	}
	const result = (await answerWithMinimalHost(code, method, args)) ?? (await executeRuntimeApi(code, method, args, path));
	if (cacheKey) options.cache!.set(cacheKey, result);
	return result;
}

/**
 * `Core_version` and `Metadata_*` on V8's WebAssembly with the minimal host
 * (host.ts); undefined whenever it cannot answer cleanly (chopsticks then runs
 * the call). RELEASE_CONSOLE_V8_HOST=0 always uses chopsticks.
 */
async function answerWithMinimalHost(code: Uint8Array, method: string, args: Uint8Array[]): Promise<Uint8Array | undefined> {
	if (process.env.RELEASE_CONSOLE_V8_HOST === '0' || !(method === 'Core_version' || method.startsWith('Metadata_'))) return undefined;
	try {
		const { callWithMinimalHost } = await import('./host.js');
		const input = Buffer.concat(args);
		const answer = callWithMinimalHost(code, method, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
		startedOnce = true;
		return answer;
	} catch {
		return undefined;
	}
}

async function executeRuntimeApi(code: Uint8Array, method: string, args: Uint8Array[], path: string | undefined): Promise<Uint8Array> {
	inFlight++;
	try {
		if (destroying) await destroying;
		let response: TaskResponse;
		try {
			const { remote } = await ownWorker();
			const task = {
				wasm: hexOf(code),
				calls: [[method, args.map(toHex)]] as [string, Hex[]][],
				mockSignatureHost: false,
				allowUnresolvedImports: true,
				runtimeLogLevel: 0,
				id: nextTaskId++,
				storageProofSize: 0,
			};
			// The worker's callback type wants HexString results; an empty state answers nothing.
			response = (await remote.runTask(task, comlinkOfChopsticks().proxy(EMPTY_STATE) as never)) as TaskResponse;
		} catch (error) {
			throw new ArtifactError(
				'execution-failed',
				`the executor failed running ${method}: ${(error as Error)?.message ?? String(error)}`,
				'The wasm may be corrupt or not a runtime this executor can run',
				path,
				{ cause: error },
			);
		}
		if ('Error' in response) {
			throw new ArtifactError(
				'execution-failed',
				`running ${method} failed: ${response.Error.trim()}`,
				'The wasm may be corrupt, or built for a host this executor does not provide',
				path,
			);
		}
		return fromHex(response.Call.result);
	} finally {
		inFlight--;
	}
}

/**
 * Keep the worker alive across several calls (e.g. one inspection); the
 * returned function lets go and, unless `keep`, destroys the worker when
 * nobody else holds it and no call is in flight.
 */
export function holdExecutor(): (options?: { keep?: boolean }) => Promise<void> {
	holders++;
	let released = false;
	return async (options = {}) => {
		if (released) return;
		released = true;
		holders--;
		if (!options.keep) await releaseExecutor();
	};
}

/** Destroy this module's executor worker if it runs, nobody holds it and no call is in flight. */
export async function releaseExecutor(): Promise<void> {
	if (destroying) return destroying;
	if (!worker || inFlight > 0 || holders > 0) return;
	const pending = worker;
	worker = undefined;
	destroying = (async () => {
		try {
			const w = await pending;
			w.remote[comlinkOfChopsticks().releaseProxy]?.();
			// As chopsticks' destroyWorker does: let the release message go out first.
			await new Promise((resolve) => setTimeout(resolve, 50));
			await w.terminate();
		} catch {
			// A worker that failed to start has nothing to stop.
		}
	})().finally(() => {
		destroying = undefined;
	});
	return destroying;
}
