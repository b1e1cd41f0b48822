/**
 * The embedded Rococo chain: the real Rococo 9130 runtime (genesis `:code` of
 * the raw chain spec shipped in @substrate/connect@0.4.7), executed by
 * chopsticks-core, served over JSON-RPC on 127.0.0.1.
 *
 * Rehearsal set-up applied at genesis (properties of this rehearsal chain,
 * not of the console):
 *  - //Alice is the sudo key; //Alice … //Ferdie are funded.
 *  - Historical pallet storage version set to 1: without it the first block
 *    after the 9140 upgrade crashes chopsticks' executor in the
 *    `session_historical` migration.
 *  - Timestamp starts at the current wall time; each block adds 6 s.
 *
 * Persistence (`dataDir`, which the background mode sets to the store
 * directory): blocks and their storage diffs go to a SQLite file through
 * chopsticks' `db` option (@acala-network/chopsticks-db, `saveBlocks`), each
 * block written when it is built. chopsticks-core's `setup()` has no resume
 * (that lives in the chopsticks CLI) and, for a genesis chain, always builds a
 * new block 1, whose save would replace the kept block 1 (the database keeps
 * one block per number). So a restart with a database builds the Blockchain
 * at genesis itself, loads the highest kept block (chopsticks loads its
 * ancestors from the database, each a storage layer over its parent) and sets
 * it as the head: the chain continues from the same block number, hash, spec
 * version and storage. Limits: transactions in the pool when the chain stopped
 * are gone; a block in the making when the process was killed is lost; a
 * restart loads every kept block (see README for the figures); dev_setStorage
 * and dev_timeTravel writes are saved with the head block they change.
 * The instance identity (./instance.ts) is kept in the same database.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startRpcServer, type RpcHandler, type RpcServer } from './rpc-server.js';
import { type DevnetInstance, INSTANCE_RPC, dataFile, newInstance } from './instance.js';
import { filterLibraryNoise } from '../noise.js';

const require = createRequire(import.meta.url);

export const HISTORICAL_STORAGE_VERSION_KEY = '0x2f85f1e1378cb2d7b83adbaf0b5869c24e7b9012096b41c4eb3aaf947f6ea429';
export const DEV_ACCOUNTS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'] as const;
export const EMBEDDED_NAME = 'release-console embedded Rococo (real runtime on chopsticks)';

/** Where the instance identity is kept in the chopsticks database (a row of its key/value table, outside any block). */
const INSTANCE_KEY = { blockHash: 'release-console:instance' as `0x${string}`, key: 'instance' as `0x${string}` };

export type BlockTime = number | 'manual' | 'instant';

export interface RococoDevnetOptions {
	port?: number;
	/** Milliseconds between blocks (default 6000), `manual` (dev_newBlock only) or `instant` (a block per extrinsic). */
	blockTime?: BlockTime;
	/** Keep blocks and storage in `<dataDir>/devnet-rococo.sqlite` and resume from it (default: in memory only). */
	dataDir?: string;
}

export interface RococoDevnet {
	endpoint: string;
	port: number;
	rpc: RpcServer;
	instance: DevnetInstance;
	/** Resumed from kept state (the block it resumed at), or created afresh. */
	resumedAt?: number;
	/** Build n blocks now. */
	newBlocks: (n?: number) => Promise<number>;
	close: () => Promise<void>;
}

interface RawChainSpec {
	id: string;
	name: string;
	properties?: Record<string, unknown>;
	genesis: { raw: { top: Record<string, string> } };
}

export function rococoChainSpecPath(version: 9130 | 9140): string {
	return version === 9130
		? require.resolve('rococo-9130/dist/specs/rococo.json')
		: require.resolve('rococo-9140/dist/connector/specs/rococo_v2_1.json');
}

export function loadRococoChainSpec(version: 9130 | 9140): RawChainSpec {
	return JSON.parse(readFileSync(rococoChainSpecPath(version), 'utf8')) as RawChainSpec;
}

export async function startRococoDevnet(options: RococoDevnetOptions = {}): Promise<RococoDevnet> {
	process.env.LOG_LEVEL ??= 'error';
	// chopsticks-core pins @polkadot/util 13 beside @polkadot/api's 14 and
	// @polkadot/util warns on import; the shared filter drops that known noise.
	filterLibraryNoise();
	const core = await import('@acala-network/chopsticks-core');
	const { Keyring } = await import('@polkadot/keyring');
	const { cryptoWaitReady } = await import('@polkadot/util-crypto');
	await cryptoWaitReady();

	const spec = loadRococoChainSpec(9130);
	const genesis = new core.GenesisProvider({
		id: spec.id,
		name: spec.name,
		properties: (spec.properties ?? {}) as never,
		genesis: { raw: { top: spec.genesis.raw.top } },
	});
	const blockTime = options.blockTime ?? 6000;
	const buildBlockMode = blockTime === 'instant' ? core.BuildBlockMode.Instant : core.BuildBlockMode.Manual;
	let db: import('@acala-network/chopsticks-core').Database | undefined;
	let kept: { number: number } | null = null;
	let instance: DevnetInstance | undefined;
	if (options.dataDir) {
		mkdirSync(options.dataDir, { recursive: true });
		const { SqliteDatabase } = await import('@acala-network/chopsticks-db');
		db = new SqliteDatabase(path.resolve(dataFile(options.dataDir, 'rococo')));
		kept = await db.queryHighestBlock();
		const stored = await db.queryStorage(INSTANCE_KEY.blockHash, INSTANCE_KEY.key);
		if (kept && stored?.value) instance = JSON.parse(stored.value) as DevnetInstance;
	}

	let chain: import('@acala-network/chopsticks-core').Blockchain;
	let resumedAt: number | undefined;
	if (db && kept && kept.number >= 1) {
		// Resume: the Blockchain at genesis (no new block 1), then the kept head and its ancestors from the database.
		const { api, blockHash } = await core.processOptions({ genesis });
		chain = new core.Blockchain({
			api,
			buildBlockMode,
			inherentProviders: core.inherentProviders,
			db,
			header: { hash: blockHash as `0x${string}`, number: 0 },
			runtimeLogLevel: 0,
			registeredTypes: {},
			saveBlocks: true,
		});
		const head = await chain.loadBlockFromDB(kept.number);
		if (!head)
			throw new Error(
				`the kept Rococo chain in ${options.dataDir} has no block ${kept.number}; reset it with \`release-console devnet reset --chain rococo\``,
			);
		await chain.setHead(head);
		resumedAt = head.number;
		instance ??= newInstance('rococo', true);
	} else {
		chain = await core.setup({ genesis, buildBlockMode, runtimeLogLevel: 0, ...(db ? { db, saveBlocks: true } : {}) });
		// setup() builds block 1 from genesis, whose timestamp is 0: chopsticks takes the slot from the wall clock
		// and the timestamp from it a moment later, and on a loaded machine the two can fall in different 6 s slots
		// (BABE: "Timestamp slot must match `CurrentSlot`"). chopsticks logs the failure and leaves the head at
		// genesis, where the reported genesis hash later changes: build block 1 again until it exists.
		for (let attempt = 0; chain.head.number < 1 && attempt < 5; attempt++) await chain.newBlock();
		if (chain.head.number < 1) throw new Error('the embedded Rococo chain could not build its first block (see its log)');
		const keyring = new Keyring({ type: 'sr25519' });
		const accounts = DEV_ACCOUNTS.map((uri) => keyring.addFromUri(uri).address);
		const alice = accounts[0]!;
		await core.setStorage(chain, {
			Sudo: { Key: alice },
			System: {
				Account: accounts.map((address) => [[address], { providers: 1, data: { free: '1000000000000000000' } }]),
			},
			Timestamp: { Now: Date.now() },
		});
		await core.setStorage(chain, [[HISTORICAL_STORAGE_VERSION_KEY, '0x0100']]);
		instance = newInstance('rococo', Boolean(db));
		if (db) {
			// Block 1 was saved when setup() built it: save it again with the rehearsal set-up above.
			await chain.saveBlockToDB(chain.head);
			await db.saveStorage(INSTANCE_KEY.blockHash, INSTANCE_KEY.key, JSON.stringify(instance) as `0x${string}`);
		}
	}
	const identity = instance!;
	/** Writes into the head block's storage (dev_setStorage, dev_timeTravel) are kept with that block. */
	const saveHead = async () => {
		if (db) await chain.saveBlockToDB(chain.head);
	};

	let building: Promise<unknown> = Promise.resolve();
	const newBlocks = async (n = 1) => {
		const run = building.then(async () => {
			for (let i = 0; i < n; i++) await chain.newBlock();
		});
		building = run.catch(() => {});
		await run;
		return chain.head.number;
	};

	const handlers = core.allHandlers as unknown as Record<string, RpcHandler<{ chain: typeof chain }>>;
	const rpc = await startRpcServer(
		{
			...handlers,
			system_name: () => EMBEDDED_NAME,
			system_version: () => 'chopsticks-core 1.1.0',
			// Same answer as the governance devnet's: how blocks are made here.
			devnet_blockMode: () => ({ mode: typeof blockTime === 'number' ? 'interval' : blockTime }),
			[INSTANCE_RPC]: () => identity,
			dev_setStorage: async (context, params, subs) => {
				const result = await handlers.dev_setStorage!(context, params, subs);
				await saveHead();
				return result;
			},
			dev_timeTravel: async (context, params, subs) => {
				const result = await handlers.dev_timeTravel!(context, params, subs);
				await saveHead();
				return result;
			},
		},
		{ chain },
		{ port: options.port ?? 0 },
	);

	let timer: NodeJS.Timeout | undefined;
	if (typeof blockTime === 'number') {
		timer = setInterval(() => {
			newBlocks(1).catch(() => {});
		}, blockTime);
	}

	let closed = false;
	return {
		endpoint: rpc.endpoint,
		port: rpc.port,
		rpc,
		instance: identity,
		...(resumedAt === undefined ? {} : { resumedAt }),
		newBlocks,
		close: async () => {
			if (closed) return;
			closed = true;
			if (timer) clearInterval(timer);
			// Each step is bounded: a block build stuck in the executor must not
			// keep a stopping chain (or a test run) alive.
			await settleWithin(building, 10_000);
			await settleWithin(rpc.close(), 5_000);
			await settleWithin(chain.close(), 5_000);
			await settleWithin(core.destroyWorker(), 5_000);
		},
	};
}

/** Wait for `work` at most `ms` (its failure ignored): each step of stopping a chain is bounded. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		work.catch(() => {}),
		new Promise<void>((resolve) => {
			timer = setTimeout(resolve, ms);
			timer.unref();
		}),
	]);
	clearTimeout(timer);
}
