/**
 * Offline runtime API calls through the chopsticks wasm executor (smoldot's
 * host, in a worker thread). No storage is available: reads see an empty
 * state, which is enough for `Core_version` and `Metadata_*`.
 *
 * The executor worker keeps the process alive until it is destroyed; callers
 * that are done call `releaseExecutor()`, which only destroys it when none of
 * this module's calls is in flight.
 */
import { u8aToHex, hexToU8a } from '@polkadot/util';
import type { Hex } from '../release/types.js';
import { ArtifactError } from './errors.js';

type Executor = typeof import('@acala-network/chopsticks-core/wasm-executor/index');

let executor: Promise<Executor> | undefined;
let inFlight = 0;
let started = false;
const hexCache = new WeakMap<Uint8Array, Hex>();

function load(): Promise<Executor> {
	if (!executor) {
		// chopsticks-core reads LOG_LEVEL when its logger module is first evaluated.
		process.env.LOG_LEVEL ??= 'error';
		executor = import('@acala-network/chopsticks-core/wasm-executor/index');
	}
	return executor;
}

function hexOf(code: Uint8Array): Hex {
	let hex = hexCache.get(code);
	if (!hex) {
		hex = u8aToHex(code) as Hex;
		hexCache.set(code, hex);
	}
	return hex;
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
export async function callRuntimeApi(code: Uint8Array, method: string, args: Uint8Array[] = [], path?: string): Promise<Uint8Array> {
	inFlight++;
	try {
		const { runTask } = await load();
		started = true;
		let response: Awaited<ReturnType<Executor['runTask']>>;
		try {
			response = await runTask(
				{
					wasm: hexOf(code),
					calls: [[method, args.map((a) => u8aToHex(a) as Hex)]],
					mockSignatureHost: false,
					allowUnresolvedImports: true,
					runtimeLogLevel: 0,
				},
				// The executor's callback type wants HexString results; an empty state answers nothing.
				EMPTY_STATE as unknown as Parameters<Executor['runTask']>[1],
			);
		} catch (error) {
			throw new ArtifactError('execution-failed', `the executor failed running ${method}: ${(error as Error).message ?? String(error)}`, 'The wasm may be corrupt or not a runtime for this executor', path, { cause: error });
		}
		if ('Error' in response) {
			throw new ArtifactError('execution-failed', `running ${method} failed: ${response.Error.trim()}`, 'The wasm may be corrupt, or built for a host this executor does not provide', path);
		}
		return hexToU8a(response.Call.result);
	} finally {
		inFlight--;
	}
}

/** Destroy the executor worker if it was started and no call is in flight. */
export async function releaseExecutor(): Promise<void> {
	if (!started || inFlight > 0 || !executor) return;
	const { destroyWorker } = await executor;
	if (inFlight > 0) return;
	started = false;
	await destroyWorker();
}
