/**
 * The embedded Rococo network: a relay and its asset hub in one process, each
 * a real runtime executed by chopsticks-core and served over JSON-RPC on
 * 127.0.0.1 on its own endpoint.
 *
 *  - relay `rococo-network`: Rococo 9130 (the genesis `:code` of the raw chain
 *    spec in @substrate/connect@0.4.7), with the embedded Rococo chain's
 *    rehearsal set-up (./rococo.ts): //Alice the sudo key, //Alice … //Ferdie
 *    funded, Historical storage version 1.
 *  - para `asset-hub-rococo`: statemine 900 as para 1000 (the genesis of
 *    asset-hub-rococo in @substrate/connect-known-chains, untouched: no sudo,
 *    so its Root comes from the relay).
 *
 * They are joined with chopsticks' `connectVertical`: the relay's downward
 * messages to para 1000 (`Dmp.DownwardMessageQueues(1000)`) go into the
 * para's next block and the para's upward messages into the relay's. Every
 * downward message goes that way, so the relay's DMQ MQC head and the para's
 * `LastDmqMqcHead` stay in step (a message handed to the para any other way,
 * e.g. `dev_newBlock({ dmp })` on the para, breaks that).
 *
 * Blocks (`blockTime`): `instant` (the daemon's default, as on the governance
 * devnet, so a person paces it) builds a block on a chain when an extrinsic
 * reaches it and when a downward or upward message arrives, and on request
 * (`dev_newBlock` on either endpoint); `manual` only on request; a number of
 * milliseconds builds a block on each chain at that interval.
 *
 * Each endpoint answers `devnet_instance` with its own instance (chain
 * `rococo-network` or `asset-hub-rococo`), `devnet_blockMode`, and
 * `devnet_network` (both endpoints and the para id), beside chopsticks' own
 * methods (dev_newBlock, dev_setStorage, …).
 *
 * In memory only: nothing is kept; every start is at genesis (new instance
 * ids). Not simulated (NOT_SIMULATED): chopsticks' relay side of a parachain
 * is a stub, so the relay never sees the para's candidates.
 */
import type * as Core from '@acala-network/chopsticks-core';
import { assetHubChainSpec, type RawChainSpec } from '../artifact/embedded-runtimes.js';
import { type DevnetInstance, INSTANCE_RPC, NETWORK_PARAS, newInstance } from './instance.js';
import { type BlockTime, DEV_ACCOUNTS, HISTORICAL_STORAGE_VERSION_KEY, loadRococoChainSpec, settleWithin } from './rococo.js';
import { startRpcServer, type RpcHandler, type RpcServer } from './rpc-server.js';
import { filterLibraryNoise } from '../noise.js';

export const NETWORK_NAME = 'rococo-network';
export const RELAY_NAME = 'rococo-network';
export const PARA_NAME = 'asset-hub-rococo';
export const ASSET_HUB_PARA_ID = NETWORK_PARAS[PARA_NAME].paraId;

/** What the embedded network does not simulate (shown by `devnet --chain rococo-network` and answered by `devnet_network`). */
export const NOT_SIMULATED: readonly string[] = [
	'the relay never sees the parachain’s candidates (chopsticks’ para-inherent is a stub): no PVF pre-check (pvfActiveVoteMap)',
	'no paras.futureCodeHash / futureCodeUpgrades for para 1000 (the para applies its code when its own next block says go ahead)',
	'no upgrade cooldown or validation_upgrade_delay on the relay',
	'para 1000 is not registered on the relay (Rococo 9130’s DMP accepts messages to it anyway)',
];

export interface RococoNetworkOptions {
	/** The relay's port (default 0: any free port). */
	port?: number;
	/** The para's port (default 0: any free port). */
	paraPort?: number;
	/** `instant` (default), `manual`, or milliseconds between blocks on each chain. */
	blockTime?: BlockTime;
}

export interface NetworkChain {
	/** `rococo-network` (the relay) or `asset-hub-rococo` (the para). */
	name: string;
	endpoint: string;
	port: number;
	rpc: RpcServer;
	instance: DevnetInstance;
	chain: Core.Blockchain;
	/** Build n blocks now (one at a time, after any block in the making); resolves with the head's number. */
	newBlocks: (n?: number) => Promise<number>;
}

export interface RococoNetwork {
	relay: NetworkChain;
	para: NetworkChain & { paraId: number };
	/** Each chain's endpoint by name: `{ 'rococo-network': relay, 'asset-hub-rococo': para }`. */
	endpoints: Record<string, string>;
	blockTime: BlockTime;
	/** Milliseconds from the start of the boot to both chains serving. */
	bootMs: number;
	/** Open client connections on both endpoints. */
	connections: () => number;
	close: () => Promise<void>;
}

function genesisOf(core: typeof Core, spec: RawChainSpec): Core.GenesisProvider {
	return new core.GenesisProvider({
		id: spec.id,
		name: spec.name,
		properties: (spec.properties ?? {}) as never,
		genesis: { raw: { top: spec.genesis.raw.top } },
	} as never);
}

function serialBlocks(chain: Core.Blockchain): { newBlocks: (n?: number) => Promise<number>; idle: () => Promise<unknown> } {
	let building: Promise<unknown> = Promise.resolve();
	return {
		newBlocks: async (n = 1) => {
			const run = building.then(async () => {
				for (let i = 0; i < n; i++) await chain.newBlock();
			});
			building = run.catch(() => {});
			await run;
			return chain.head.number;
		},
		idle: () => building,
	};
}

/** Boot the relay and the asset hub, join them, and serve each on its own endpoint. */
export async function startRococoNetwork(options: RococoNetworkOptions = {}): Promise<RococoNetwork> {
	process.env.LOG_LEVEL ??= 'error';
	filterLibraryNoise();
	const t0 = Date.now();
	const core = await import('@acala-network/chopsticks-core');
	const { Keyring } = await import('@polkadot/keyring');
	const { cryptoWaitReady } = await import('@polkadot/util-crypto');
	await cryptoWaitReady();
	const blockTime = options.blockTime ?? 'instant';
	const buildBlockMode = blockTime === 'instant' ? core.BuildBlockMode.Instant : core.BuildBlockMode.Manual;

	const started: Array<{ close: () => Promise<void> }> = [];
	const closeStarted = async () => {
		for (const s of started.reverse()) await settleWithin(s.close(), 5_000);
		await settleWithin(core.destroyWorker(), 5_000);
	};
	try {
		const relay = await core.setup({ genesis: genesisOf(core, loadRococoChainSpec(9130)), buildBlockMode, runtimeLogLevel: 0 });
		started.push(relay);
		// As the embedded Rococo chain does: block 1 can fail when its slot and timestamp fall in different 6 s slots.
		for (let attempt = 0; relay.head.number < 1 && attempt < 5; attempt++) await relay.newBlock();
		if (relay.head.number < 1) throw new Error('the relay of the embedded network could not build its first block');
		const keyring = new Keyring({ type: 'sr25519' });
		const accounts = DEV_ACCOUNTS.map((uri) => keyring.addFromUri(uri).address);
		await core.setStorage(relay, {
			Sudo: { Key: accounts[0]! },
			System: { Account: accounts.map((address) => [[address], { providers: 1, data: { free: '1000000000000000000' } }]) },
			Timestamp: { Now: Date.now() },
		});
		await core.setStorage(relay, [[HISTORICAL_STORAGE_VERSION_KEY, '0x0100']]);

		const para = await core.setup({ genesis: genesisOf(core, assetHubChainSpec()), buildBlockMode, runtimeLogLevel: 0 });
		started.push(para);
		await core.connectVertical(relay, para);

		const relayInstance = newInstance(RELAY_NAME, false);
		const paraInstance = newInstance(PARA_NAME, false);
		const endpoints: Record<string, string> = {};
		const network = () => ({
			network: NETWORK_NAME,
			relay: RELAY_NAME,
			endpoints,
			paras: { [PARA_NAME]: { paraId: ASSET_HUB_PARA_ID, endpoint: endpoints[PARA_NAME] } },
			persistent: false,
			notSimulated: NOT_SIMULATED,
		});
		const handlers = core.allHandlers as unknown as Record<string, RpcHandler<{ chain: Core.Blockchain }>>;
		const serveChain = (label: string, instance: DevnetInstance, chain: Core.Blockchain, port: number) =>
			startRpcServer(
				{
					...handlers,
					system_name: () => label,
					system_version: () => 'chopsticks-core 1.1.0',
					devnet_blockMode: () => ({ mode: typeof blockTime === 'number' ? 'interval' : blockTime }),
					[INSTANCE_RPC]: () => instance,
					devnet_network: network,
				},
				{ chain },
				{ port },
			);
		const relayRpc = await serveChain(
			'release-console embedded Rococo network: relay (real Rococo 9130 on chopsticks)',
			relayInstance,
			relay,
			options.port ?? 0,
		);
		started.push(relayRpc);
		const paraRpc = await serveChain(
			`release-console embedded Rococo network: asset hub, para ${ASSET_HUB_PARA_ID} (real statemine 900 on chopsticks)`,
			paraInstance,
			para,
			options.paraPort ?? 0,
		);
		started.push(paraRpc);
		endpoints[RELAY_NAME] = relayRpc.endpoint;
		endpoints[PARA_NAME] = paraRpc.endpoint;

		const relayBlocks = serialBlocks(relay);
		const paraBlocks = serialBlocks(para);
		const timers: NodeJS.Timeout[] = [];
		if (typeof blockTime === 'number')
			for (const b of [relayBlocks, paraBlocks])
				timers.push(
					setInterval(() => {
						b.newBlocks(1).catch(() => {});
					}, blockTime),
				);

		let closed = false;
		return {
			relay: {
				name: RELAY_NAME,
				endpoint: relayRpc.endpoint,
				port: relayRpc.port,
				rpc: relayRpc,
				instance: relayInstance,
				chain: relay,
				newBlocks: relayBlocks.newBlocks,
			},
			para: {
				name: PARA_NAME,
				endpoint: paraRpc.endpoint,
				port: paraRpc.port,
				rpc: paraRpc,
				instance: paraInstance,
				chain: para,
				newBlocks: paraBlocks.newBlocks,
				paraId: ASSET_HUB_PARA_ID,
			},
			endpoints: { ...endpoints },
			blockTime,
			bootMs: Date.now() - t0,
			connections: () => relayRpc.connections() + paraRpc.connections(),
			close: async () => {
				if (closed) return;
				closed = true;
				for (const t of timers) clearInterval(t);
				// Each step is bounded: a block build stuck in the executor must not keep a stopping network alive.
				await settleWithin(Promise.all([relayBlocks.idle(), paraBlocks.idle()]), 10_000);
				await settleWithin(relayRpc.close(), 5_000);
				await settleWithin(paraRpc.close(), 5_000);
				await settleWithin(para.close(), 5_000);
				await settleWithin(relay.close(), 5_000);
				await settleWithin(core.destroyWorker(), 5_000);
			},
		};
	} catch (error) {
		await closeStarted();
		throw error;
	}
}
