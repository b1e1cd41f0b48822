/**
 * The embedded genesis chains: the real **Kusama 1020** (Dec 2019, metadata
 * v9) and **Polkadot 0** (May 2020, metadata v11) runtimes — the genesis
 * `:code` of the raw chain specs `dist/specs/kusama.json` and
 * `dist/specs/polkadot.json` in @substrate/connect@0.4.7 (the `rococo-9130`
 * alias) — executed by chopsticks-core, served over JSON-RPC on 127.0.0.1
 * like the embedded Rococo chain (./rococo.ts).
 *
 * What it takes to build blocks on these runtimes with chopsticks-core 1.1.0
 * (a registry with extrinsic version 4 for metadata v9, the validate_transaction
 * arguments of the runtime's API version, an empty `parachains.setHeads`
 * inherent, the timestamp inherent only where a Timestamp pallet exists) is in
 * ./legacy-chain.ts, shared with a fork of these chains (./fork.ts).
 *
 * Rehearsal set-up applied at genesis (properties of these rehearsal chains,
 * not of the console; the real governance members are replaced):
 *  - //Alice is the sudo key.
 *  - //Alice … //Ferdie are funded: 10^18 planck each (10^6 KSM, 10^8 DOT).
 *    Kusama 1020 keeps balances in `Balances.FreeBalance` (it has no
 *    `System.Account`); Polkadot 0 in `System.Account`.
 *  - Council (`Council.Members`): //Alice, //Bob, //Charlie.
 *  - Technical committee (`TechnicalCommittee.Members` and
 *    `TechnicalMembership.Members`): //Dave, //Eve (issue 18: "//Dave and
 *    //Eve on the committee").
 *  - Members are written straight into the collectives. ElectionsPhragmen's
 *    own member list is left as the genesis had it (empty), so at the end of
 *    an election term (every `electionsPhragmen.termDuration` blocks) the
 *    election would replace the council; a rehearsal stays far below that.
 *  - Timestamp starts at the current wall time; each block adds the slot
 *    duration (6 s).
 *
 * No persistence: these chains run in memory and start at genesis each time
 * (`dataDir` is not taken; `devnet reset` has nothing to delete for them).
 * They serve `devnet_instance` and `devnet_blockMode` like the Rococo chain.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { HexString } from '@polkadot/util/types';
import { startRpcServer, type RpcHandler, type RpcServer } from './rpc-server.js';
import { type DevnetInstance, type GenesisChainName, INSTANCE_RPC, newInstance } from './instance.js';
import { DEV_ACCOUNTS, settleWithin, type BlockTime } from './rococo.js';
import { legacyChainParts } from './legacy-chain.js';
import { filterLibraryNoise } from '../noise.js';

const require = createRequire(import.meta.url);

interface GenesisChainFacts {
	/** File in the `rococo-9130` alias (@substrate/connect@0.4.7). */
	specFile: string;
	label: string;
	specName: string;
	specVersion: number;
}

export const GENESIS_CHAIN_FACTS: Record<GenesisChainName, GenesisChainFacts> = {
	'kusama-1020': { specFile: 'rococo-9130/dist/specs/kusama.json', label: 'Kusama 1020', specName: 'kusama', specVersion: 1020 },
	'polkadot-0': { specFile: 'rococo-9130/dist/specs/polkadot.json', label: 'Polkadot 0', specName: 'polkadot', specVersion: 0 },
};

/** What `system_name` answers: what the chain is. */
export function genesisChainSystemName(chain: GenesisChainName): string {
	return `release-console embedded ${GENESIS_CHAIN_FACTS[chain].label} (the real genesis runtime on chopsticks; governance members replaced for rehearsal)`;
}

export const GENESIS_COUNCIL = ['//Alice', '//Bob', '//Charlie'] as const;
export const GENESIS_TECHNICAL_COMMITTEE = ['//Dave', '//Eve'] as const;
const FUNDS = '1000000000000000000';

export interface GenesisChainOptions {
	port?: number;
	/** Milliseconds between blocks (default 6000), `manual` (dev_newBlock only) or `instant` (a block per extrinsic). */
	blockTime?: BlockTime;
}

export interface GenesisChain {
	chain: GenesisChainName;
	endpoint: string;
	port: number;
	rpc: RpcServer;
	instance: DevnetInstance;
	/** Milliseconds from the call to a served chain with block 1 built and the set-up written. */
	bootMs: number;
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

export function loadGenesisChainSpec(chain: GenesisChainName): RawChainSpec {
	return JSON.parse(readFileSync(require.resolve(GENESIS_CHAIN_FACTS[chain].specFile), 'utf8')) as RawChainSpec;
}

export async function startGenesisChain(chain: GenesisChainName, options: GenesisChainOptions = {}): Promise<GenesisChain> {
	const t0 = Date.now();
	process.env.LOG_LEVEL ??= 'error';
	filterLibraryNoise();
	const core = await import('@acala-network/chopsticks-core');
	const { Keyring } = await import('@polkadot/keyring');
	const { cryptoWaitReady } = await import('@polkadot/util-crypto');
	await cryptoWaitReady();
	const legacy = await legacyChainParts(core);

	const spec = loadGenesisChainSpec(chain);
	const genesis = new core.GenesisProvider({
		id: spec.id,
		name: spec.name,
		properties: (spec.properties ?? {}) as never,
		genesis: { raw: { top: spec.genesis.raw.top } },
	});
	const blockTime = options.blockTime ?? 6000;
	const buildBlockMode = blockTime === 'instant' ? core.BuildBlockMode.Instant : core.BuildBlockMode.Manual;
	// What core.setup() does, with the Blockchain subclass above.
	const { api, blockHash } = await core.processOptions({ genesis });
	const blockchain = new legacy.Blockchain({
		api,
		buildBlockMode,
		inherentProviders: legacy.inherentProviders,
		header: { hash: blockHash as HexString, number: 0 },
		runtimeLogLevel: 0,
		registeredTypes: {},
		saveBlocks: false,
	});
	// Block 1's slot comes from the wall clock and its timestamp a moment later: on a loaded machine they can fall in
	// different slots and the build fails (chopsticks leaves the head at genesis); try again (see rococo.ts).
	for (let attempt = 0; blockchain.head.number < 1 && attempt < 5; attempt++) await blockchain.newBlock();
	if (blockchain.head.number !== 1) throw new Error(`the embedded ${chain} chain did not build its first block`);

	const keyring = new Keyring({ type: 'sr25519' });
	const address = (uri: string) => keyring.addFromUri(uri).address;
	const accounts = DEV_ACCOUNTS.map(address);
	const meta = await blockchain.head.meta;
	const council = GENESIS_COUNCIL.map(address).sort();
	const committee = GENESIS_TECHNICAL_COMMITTEE.map(address).sort();
	const funding: Record<string, Record<string, unknown>> = meta.query.system?.account
		? { System: { Account: accounts.map((a) => [[a], { providers: 1, data: { free: FUNDS } }]) } }
		: { Balances: { FreeBalance: accounts.map((a) => [[a], FUNDS]) } };
	const setUp: Record<string, Record<string, unknown>> = {
		Sudo: { Key: accounts[0]! },
		...funding,
		Council: { Members: council },
		TechnicalCommittee: { Members: committee },
		TechnicalMembership: { Members: committee },
	};
	if (meta.query.timestamp?.now) setUp.Timestamp = { Now: Date.now() };
	await core.setStorage(blockchain, setUp);
	const identity = newInstance(chain, false);

	let building: Promise<unknown> = Promise.resolve();
	const newBlocks = async (n = 1) => {
		const run = building.then(async () => {
			for (let i = 0; i < n; i++) await blockchain.newBlock();
		});
		building = run.catch(() => {});
		await run;
		return blockchain.head.number;
	};

	const handlers = core.allHandlers as unknown as Record<string, RpcHandler<{ chain: typeof blockchain }>>;
	const rpc = await startRpcServer(
		{
			...handlers,
			system_name: () => genesisChainSystemName(chain),
			system_version: () => 'chopsticks-core 1.1.0',
			devnet_blockMode: () => ({ mode: typeof blockTime === 'number' ? 'interval' : blockTime }),
			[INSTANCE_RPC]: () => identity,
		},
		{ chain: blockchain },
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
		chain,
		endpoint: rpc.endpoint,
		port: rpc.port,
		rpc,
		instance: identity,
		bootMs: Date.now() - t0,
		newBlocks,
		close: async () => {
			if (closed) return;
			closed = true;
			if (timer) clearInterval(timer);
			await settleWithin(building, 10_000);
			await settleWithin(rpc.close(), 5_000);
			await settleWithin(blockchain.close(), 5_000);
			await settleWithin(core.destroyWorker(), 5_000);
		},
	};
}
