/**
 * Relay and asset hub together, for chain-layer tests, booted here with
 * chopsticks-core directly: Rococo 9130 (its usual rehearsal set-up: //Alice
 * the sudo key and funded, Historical storage version 1) and statemine 900 as
 * para 1000, both from their raw genesis, joined with `connectVertical` (the
 * relay's downward messages to 1000 go to the para's next block, the para's
 * upward messages to the relay). Manual blocks, in memory.
 *
 * Same shape as source/devnet/network.ts's `startRococoNetwork` (being
 * written alongside); it stands in until that is committed, so a test moves
 * to it by changing one import.
 */
import * as core from '@acala-network/chopsticks-core';
import { chainSpec } from '@substrate/connect-known-chains/rococo_v2_2_asset_hub';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aConcat } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { decompress } from 'fzstd';
import { DEV_ACCOUNTS, HISTORICAL_STORAGE_VERSION_KEY, loadRococoChainSpec } from '../../source/devnet/rococo.js';
import { startRpcServer, type RpcHandler, type RpcServer } from '../../source/devnet/rpc-server.js';
import { filterLibraryNoise } from '../../source/noise.js';

export interface TestChain {
	endpoint: string;
	/** Build n blocks now; resolves with the head's number. */
	newBlocks: (n?: number) => Promise<number>;
}

export interface TestNetwork {
	relay: TestChain;
	para: TestChain & { paraId: number };
	close: () => Promise<void>;
}

interface RawSpec {
	id: string;
	name: string;
	properties?: Record<string, unknown>;
	genesis: { raw: { top: Record<string, string> } };
}

const CODE_KEY = '0x3a636f6465';

function genesisOf(spec: RawSpec): core.GenesisProvider {
	return new core.GenesisProvider({
		id: spec.id,
		name: spec.name,
		properties: (spec.properties ?? {}) as never,
		genesis: { raw: { top: spec.genesis.raw.top } },
	} as never);
}

function serialBlocks(chain: core.Blockchain): (n?: number) => Promise<number> {
	let building: Promise<unknown> = Promise.resolve();
	return async (n = 1) => {
		const run = building.then(async () => {
			for (let i = 0; i < n; i++) await chain.newBlock();
		});
		building = run.catch(() => {});
		await run;
		return chain.head.number;
	};
}

export async function startTestParachainNetwork(): Promise<TestNetwork> {
	process.env.LOG_LEVEL ??= 'error';
	filterLibraryNoise();
	await cryptoWaitReady();
	const relay = await core.setup({
		genesis: genesisOf(loadRococoChainSpec(9130) as RawSpec),
		buildBlockMode: core.BuildBlockMode.Manual,
		runtimeLogLevel: 0,
	});
	// As the embedded Rococo chain does: block 1 can fail when its slot and timestamp fall in different 6 s slots.
	for (let attempt = 0; relay.head.number < 1 && attempt < 5; attempt++) await relay.newBlock();
	if (relay.head.number < 1) throw new Error('the relay could not build its first block');
	const keyring = new Keyring({ type: 'sr25519' });
	const accounts = DEV_ACCOUNTS.map((uri) => keyring.addFromUri(uri).address);
	await core.setStorage(relay, {
		Sudo: { Key: accounts[0]! },
		System: { Account: accounts.map((address) => [[address], { providers: 1, data: { free: '1000000000000000000' } }]) },
		Timestamp: { Now: Date.now() },
	});
	await core.setStorage(relay, [[HISTORICAL_STORAGE_VERSION_KEY, '0x0100']]);
	const para = await core.setup({
		genesis: genesisOf(JSON.parse(chainSpec) as RawSpec),
		buildBlockMode: core.BuildBlockMode.Manual,
		runtimeLogLevel: 0,
	});
	await core.connectVertical(relay, para);
	const handlers = core.allHandlers as unknown as Record<string, RpcHandler<{ chain: core.Blockchain }>>;
	const servers: RpcServer[] = [];
	servers.push(await startRpcServer(handlers, { chain: relay }, { port: 0 }));
	servers.push(await startRpcServer(handlers, { chain: para }, { port: 0 }));
	return {
		relay: { endpoint: servers[0]!.endpoint, newBlocks: serialBlocks(relay) },
		para: { endpoint: servers[1]!.endpoint, newBlocks: serialBlocks(para), paraId: 1000 },
		close: async () => {
			for (const s of servers) await s.close().catch(() => {});
			await relay.close().catch(() => {});
			await para.close().catch(() => {});
			await core.destroyWorker().catch(() => {});
		},
	};
}

/** statemine 900 as the asset hub's genesis `:code` holds it (zstd-compressed, with the Substrate prefix). */
export function assetHubGenesisCode(): Uint8Array {
	const spec = JSON.parse(chainSpec) as RawSpec;
	return hexToU8a(spec.genesis.raw.top[CODE_KEY]!);
}

function leb128(n: number): Uint8Array {
	const out: number[] = [];
	do {
		let byte = n & 0x7f;
		n >>>= 7;
		if (n) byte |= 0x80;
		out.push(byte);
	} while (n);
	return Uint8Array.from(out);
}

/**
 * A byte-different statemine 900: the wasm decompressed (8-byte Substrate zstd prefix stripped) with a
 * custom section appended. Uncompressed wasm is a valid `:code` (a blob without the prefix is taken as
 * is), 2.48 MB here, under the relay's 3 MiB maxCodeSize; its spec stays 900, its hash is new.
 */
export function byteDifferentAssetHubCode(tag = 'release-console test'): Uint8Array {
	const wasm = decompress(assetHubGenesisCode().subarray(8));
	const name = new TextEncoder().encode('release-console');
	const payload = new TextEncoder().encode(tag);
	const body = u8aConcat(leb128(name.length), name, payload);
	return u8aConcat(wasm, Uint8Array.of(0), leb128(body.length), body);
}
