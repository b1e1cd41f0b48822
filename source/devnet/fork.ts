/**
 * A fork of a live chain, for rehearsals: chopsticks-core's `setup({ endpoint,
 * block })` fetches the state it needs from the chain behind `endpoint` at that
 * block (read-only: nothing is ever sent there) and runs the chain's own
 * runtime on it; the fork is served over JSON-RPC on 127.0.0.1 like the other
 * embedded chains, so a rehearsal talks to it through @polkadot/api.
 *
 * Blocks are built when asked (dev_newBlock), and a failed build is an
 * error the caller sees, with the
 * runtime's own message: a rehearsal must not mistake a broken block for a
 * quiet chain.
 */
import { filterLibraryNoise } from '../noise.js';
import { startRpcServer, RpcError, type RpcHandler } from './rpc-server.js';
import { settleWithin } from './rococo.js';
import { legacyChainParts } from './legacy-chain.js';
import type { StorageChange } from '../chain/storage-diff.js';

export interface Fork {
	endpoint: string;
	/** The block the fork starts from (its head before anything was done on it). */
	forkedAt: { number: number; hash: string };
	/** Build `n` blocks; resolves to the new head, or throws with the runtime's message if a block cannot be built. */
	newBlocks: (n?: number) => Promise<number>;
	/** The forked chain itself (to join a relay and its parachains: `connectVertical`). */
	chain: import('@acala-network/chopsticks-core').Blockchain;
	close: () => Promise<void>;
}

export interface ForkOptions {
	/** The chain to fork (ws:// or wss://). */
	endpoint: string;
	/** Block number or hash to fork at (default: the chain's head). */
	at?: number | string;
	/** Keep what is fetched from the chain in this SQLite file (chopsticks-db): a second fork of the same blocks reads it from there. */
	cacheFile?: string;
}

const byteLength = (hex: string | null | undefined): number | null => (hex == null ? null : (hex.length - 2) / 2);

/** What block `hash` changed against its parent: every key whose value differs, with lengths (not values: `:code` alone is a megabyte). */
async function storageDiff(chain: import('@acala-network/chopsticks-core').Blockchain, hash: string): Promise<StorageChange[]> {
	const block = await chain.getBlock(hash as `0x${string}`);
	if (!block) throw new RpcError(1, `no block ${hash} on the fork`);
	const parent = await block.parentBlock;
	const diff = await block.storageDiff();
	const out: StorageChange[] = [];
	for (const [key, value] of Object.entries(diff)) {
		const before = parent ? await parent.get(key) : undefined;
		// Written with the value it had: not a change.
		if ((before ?? null) === (value ?? null)) continue;
		out.push({ key, before: byteLength(before), after: byteLength(value) });
	}
	return out;
}

export async function startFork(options: ForkOptions): Promise<Fork> {
	process.env.LOG_LEVEL ??= 'error';
	filterLibraryNoise();
	const core = await import('@acala-network/chopsticks-core');
	let db: import('@acala-network/chopsticks-core').Database | undefined;
	if (options.cacheFile) {
		const { SqliteDatabase } = await import('@acala-network/chopsticks-db');
		db = new SqliteDatabase(options.cacheFile);
	}
	let chain: import('@acala-network/chopsticks-core').Blockchain;
	try {
		// What core.setup() does, with the parts older runtimes need (./legacy-chain.ts; a current runtime is left alone).
		const legacy = await legacyChainParts(core);
		const { api, blockHash } = await core.processOptions({
			endpoint: options.endpoint,
			...(options.at !== undefined ? { block: options.at } : {}),
		});
		const header = await api.getHeader(blockHash);
		if (!header) throw new Error(`no header for ${blockHash}`);
		chain = new legacy.Blockchain({
			api,
			...(db ? { db } : {}),
			buildBlockMode: core.BuildBlockMode.Manual,
			inherentProviders: legacy.inherentProviders,
			header: { hash: blockHash as `0x${string}`, number: Number(header.number) },
			runtimeLogLevel: 0,
			registeredTypes: {},
			// A signature that starts 0xdeadbeef (then 0xcd) verifies here: a rehearsal signs as the account
			// that will really dispatch (the chain's sudo key, a multisig account) without its key. Real
			// signatures verify as before.
			mockSignatureHost: true,
		});
	} catch (error) {
		throw new Error(
			`cannot fork ${options.endpoint}${options.at !== undefined ? ` at ${options.at}` : ''}: ${(error as Error).message}`,
		);
	}
	const forkedAt = { number: chain.head.number, hash: chain.head.hash };

	let building: Promise<unknown> = Promise.resolve();
	const newBlocks = async (n = 1) => {
		const run = building.then(async () => {
			for (let i = 0; i < n; i++) {
				const before = chain.head.number;
				// A failed build rejects with the runtime's own error (chopsticks' txpool passes it on).
				await chain.newBlock();
				if (chain.head.number === before) throw new Error(`block #${before + 1} could not be built`);
			}
		});
		building = run.catch(() => {});
		await run;
		return chain.head.number;
	};

	const handlers = core.allHandlers as unknown as Record<string, RpcHandler<{ chain: typeof chain }>>;
	const rpc = await startRpcServer(
		{
			...handlers,
			system_name: () => `release-console fork of ${options.endpoint} at #${forkedAt.number} (chopsticks-core 1.1.0)`,
			devnet_blockMode: () => ({ mode: 'manual' }),
			devnet_storageDiff: async (_context, params) => storageDiff(chain, String(params[0] ?? chain.head.hash)),
			dev_newBlock: async (_context, params) => {
				const count = Number((params[0] as { count?: number } | undefined)?.count ?? 1);
				try {
					const head = await newBlocks(count);
					return chain.head.hash ?? head;
				} catch (error) {
					throw new RpcError(1, (error as Error).message);
				}
			},
		},
		{ chain },
		{ port: 0 },
	);
	let closed = false;
	return {
		endpoint: rpc.endpoint,
		forkedAt,
		newBlocks,
		chain,
		close: async () => {
			if (closed) return;
			closed = true;
			await settleWithin(building, 10_000);
			await settleWithin(rpc.close(), 5_000);
			await settleWithin(chain.close(), 5_000);
			await settleWithin(core.destroyWorker(), 5_000);
		},
	};
}

export interface ForkNetwork {
	relay: Fork;
	/** The parachains, forked at their heads, each joined to the relay's fork. */
	paras: Array<Fork & { paraId: number }>;
	close: () => Promise<void>;
}

/**
 * A fork of a relay chain and of parachains of it, joined as chopsticks joins them
 * (`connectVertical`): the relay fork's downward messages to a para go into that para
 * fork's next block, its upward messages into the relay fork's. The relay is forked at
 * `at` (or its head), each para at its own head. What each fork fetches comes only from
 * its own endpoint.
 */
export async function startForkNetwork(relay: ForkOptions, paras: Array<Omit<ForkOptions, 'at'>>): Promise<ForkNetwork> {
	const core = await import('@acala-network/chopsticks-core');
	const started: Fork[] = [];
	const closeAll = async () => {
		// The executor worker is shared: close the chains first, the worker with the last.
		for (const f of started.reverse()) await f.close();
	};
	try {
		const relayFork = await startFork(relay);
		started.push(relayFork);
		const out: Array<Fork & { paraId: number }> = [];
		for (const p of paras) {
			const para = await startFork(p);
			started.push(para);
			const paraId = (await core.getParaId(para.chain)).toNumber();
			await core.connectVertical(relayFork.chain, para.chain);
			out.push({ ...para, paraId });
		}
		return { relay: relayFork, paras: out, close: closeAll };
	} catch (error) {
		await closeAll();
		throw error;
	}
}
