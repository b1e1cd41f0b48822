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
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { startRpcServer, type RpcHandler, type RpcServer } from './rpc-server.js';
import { filterLibraryNoise } from '../noise.js';

const require = createRequire(import.meta.url);

export const HISTORICAL_STORAGE_VERSION_KEY = '0x2f85f1e1378cb2d7b83adbaf0b5869c24e7b9012096b41c4eb3aaf947f6ea429';
export const DEV_ACCOUNTS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'] as const;
export const EMBEDDED_NAME = 'release-console embedded Rococo (real runtime on chopsticks)';

export type BlockTime = number | 'manual' | 'instant';

export interface RococoDevnetOptions {
	port?: number;
	/** Milliseconds between blocks (default 6000), `manual` (dev_newBlock only) or `instant` (a block per extrinsic). */
	blockTime?: BlockTime;
}

export interface RococoDevnet {
	endpoint: string;
	port: number;
	rpc: RpcServer;
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
	const chain = await core.setup({
		genesis,
		buildBlockMode: blockTime === 'instant' ? core.BuildBlockMode.Instant : core.BuildBlockMode.Manual,
		runtimeLogLevel: 0,
	});

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

async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
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
