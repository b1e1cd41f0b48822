/**
 * The Substrate JSON-RPC surface of the governance devnet, plus chopsticks-style
 * dev_* calls. Served over WebSocket by ../rpc-server.ts.
 */
import { randomBytes } from 'node:crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import type { RpcHandler, SubscriptionManager } from '../rpc-server.js';
import { type BlockData, type GovernanceChain, NodeRpcError, type TxStatus } from './chain/index.js';
import type { Hex } from './storage.js';
import { type DevnetInstance, INSTANCE_RPC } from '../instance.js';

export const SYSTEM_NAME = 'release-console governance devnet (simulation)';
export const CHAIN_NAME = 'Governance Devnet (simulation)';
export const SYSTEM_VERSION = '0.1.0-simulation';

export type BuildMode = 'instant' | 'manual' | 'interval';

export interface DevnetContext {
	chain: GovernanceChain;
	buildMode: BuildMode;
	/** Called after a transaction is accepted into the pool. */
	onSubmitted: () => void;
	/** This chain instance (`devnet_instance`; ../instance.ts). */
	instance?: DevnetInstance;
}

const subId = () => randomBytes(16).toString('hex');

function unknownBlock(chain: GovernanceChain, what: string): NodeRpcError {
	const { firstBlock } = chain.kept;
	return new NodeRpcError(
		4003,
		`Client error: UnknownBlock: Header was not found in the local chain: ${what}`,
		firstBlock > 0
			? `the governance devnet (simulation) keeps the last ${chain.blockWindow} blocks (#${firstBlock} onwards)`
			: undefined,
	);
}

/**
 * A block whose state is still kept; a node pruning state answers older ones
 * the same way. `runtimeOnly`: the runtime version and metadata, which every
 * kept block remembers (so clients still decode older blocks).
 */
function at(chain: GovernanceChain, hash: unknown, runtimeOnly = false): BlockData {
	if (hash === undefined || hash === null) return chain.best;
	const b = chain.blockAt(String(hash));
	if (!b) throw unknownBlock(chain, String(hash));
	if (b.statePruned && !runtimeOnly) {
		throw new NodeRpcError(
			4003,
			`Client error: State already discarded for ${b.hash}`,
			`block #${b.number} is older than the state window: the governance devnet (simulation) keeps the state of the last ${chain.stateWindow} blocks (#${chain.kept.firstState} onwards)`,
		);
	}
	return b;
}

function runtimeVersionJson(b: BlockData) {
	const v = b.runtime.version;
	return {
		specName: v.specName,
		implName: v.implName,
		authoringVersion: v.authoringVersion,
		specVersion: v.specVersion,
		implVersion: v.implVersion,
		apis: v.apis,
		transactionVersion: v.transactionVersion,
		stateVersion: v.stateVersion,
	};
}

function accountFromParam(p: unknown): string {
	try {
		return u8aToHex(decodeAddress(String(p)));
	} catch {
		throw new NodeRpcError(-32602, 'Invalid params', `invalid account ${String(p)}`);
	}
}

function headSubscription(notification: string, event: 'block' | 'finalized'): RpcHandler<DevnetContext> {
	return ({ chain }, _params, subs: SubscriptionManager) => {
		const id = subId();
		const send = subs.subscribe(notification, id, () => chain.off('block', listener));
		const listener = (b: BlockData) => send(b.header);
		chain.on('block', listener);
		void event;
		setImmediate(() => send(chain.best.header));
		return id;
	};
}

const unsubscribe: RpcHandler<DevnetContext> = (_ctx, [id], subs) => {
	subs.unsubscribe(String(id));
	return true;
};

export function rpcHandlers(): Record<string, RpcHandler<DevnetContext>> {
	const h: Record<string, RpcHandler<DevnetContext>> = {
		[INSTANCE_RPC]: ({ instance }) => instance ?? null,
		system_name: () => SYSTEM_NAME,
		system_chain: () => CHAIN_NAME,
		system_version: () => SYSTEM_VERSION,
		system_chainType: () => 'Development',
		system_properties: () => ({ ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'DEV' }),
		system_health: () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }),
		system_localPeerId: () => '12D3KooWGovernanceDevnetSimulation',
		system_peers: () => [],
		system_nodeRoles: () => ['Authority'],
		system_syncState: ({ chain }) => ({ startingBlock: 0, currentBlock: chain.best.number, highestBlock: chain.best.number }),
		system_accountNextIndex: ({ chain }, [who]) =>
			chain.nextIndex(chain.registry.createType('AccountId', accountFromParam(who)).toString()),

		chain_getBlockHash: ({ chain }, [n]) => {
			if (n === undefined || n === null) return chain.best.hash;
			const num = typeof n === 'string' ? parseInt(n, n.startsWith('0x') ? 16 : 10) : Number(n);
			if (num >= 0 && num < chain.kept.firstBlock) throw unknownBlock(chain, `#${num}`);
			return chain.blockAt(num)?.hash ?? null;
		},
		// An unknown hash (never seen, or older than the block window) is null, as on a node.
		chain_getHeader: ({ chain }, [hash]) => (hash ? (chain.blockAt(String(hash))?.header ?? null) : chain.best.header),
		chain_getBlock: ({ chain }, [hash]) => {
			const b = hash ? chain.blockAt(String(hash)) : chain.best;
			return b ? { block: { header: b.header, extrinsics: b.extrinsics }, justifications: null } : null;
		},
		chain_getFinalizedHead: ({ chain }) => chain.best.hash,
		chain_subscribeNewHeads: headSubscription('chain_newHead', 'block'),
		chain_subscribeFinalizedHeads: headSubscription('chain_finalizedHead', 'finalized'),
		chain_subscribeAllHeads: headSubscription('chain_allHead', 'block'),
		chain_unsubscribeNewHeads: unsubscribe,
		chain_unsubscribeFinalizedHeads: unsubscribe,
		chain_unsubscribeAllHeads: unsubscribe,

		state_getMetadata: ({ chain }, [hash]) => at(chain, hash, true).runtime.metadataHex,
		state_getRuntimeVersion: ({ chain }, [hash]) => runtimeVersionJson(at(chain, hash, true)),
		state_subscribeRuntimeVersion: ({ chain }, _p, subs) => {
			const id = subId();
			const send = subs.subscribe('state_runtimeVersion', id, () => chain.off('runtime', listener));
			const listener = (b: BlockData) => send(runtimeVersionJson(b));
			chain.on('runtime', listener);
			setImmediate(() => send(runtimeVersionJson(chain.best)));
			return id;
		},
		state_unsubscribeRuntimeVersion: unsubscribe,
		state_getStorage: ({ chain }, [key, hash]) => at(chain, hash).state.get(String(key).toLowerCase()) ?? null,
		state_getStorageHash: ({ chain }, [key, hash]) => {
			const v = at(chain, hash).state.get(String(key).toLowerCase());
			return v === undefined ? null : blake2AsHex(hexToU8a(v), 256);
		},
		state_getStorageSize: ({ chain }, [key, hash]) => {
			const v = at(chain, hash).state.get(String(key).toLowerCase());
			return v === undefined ? null : (v.length - 2) / 2;
		},
		state_getKeysPaged: ({ chain }, [prefix, count, startKey, hash]) => {
			const b = at(chain, hash);
			const p = String(prefix ?? '0x').toLowerCase();
			const start = startKey ? String(startKey).toLowerCase() : undefined;
			return [...b.state.keys()]
				.filter((k) => k.startsWith(p) && (start === undefined || k > start))
				.sort()
				.slice(0, Number(count ?? 1000));
		},
		state_getKeys: ({ chain }, [prefix, hash]) => {
			const p = String(prefix ?? '0x').toLowerCase();
			return [...at(chain, hash).state.keys()].filter((k) => k.startsWith(p)).sort();
		},
		state_queryStorageAt: ({ chain }, [keys, hash]) => {
			const b = at(chain, hash);
			return [{ block: b.hash, changes: (keys as string[]).map((k) => [k, b.state.get(k.toLowerCase()) ?? null]) }];
		},
		state_subscribeStorage: ({ chain }, [keys], subs) => {
			const id = subId();
			const watched = Array.isArray(keys) ? (keys as string[]).map((k) => k.toLowerCase()) : undefined;
			const send = subs.subscribe('state_storage', id, () => {
				chain.off('block', listener);
				chain.off('storage', onSet);
			});
			const last = new Map<string, string | null>();
			const changes = (b: BlockData, all: boolean) => {
				const list = watched ?? [];
				const out: Array<[string, string | null]> = [];
				for (const k of list) {
					const v = b.state.get(k) ?? null;
					if (all || last.get(k) !== v) out.push([k, v]);
					last.set(k, v);
				}
				return out;
			};
			const listener = (b: BlockData) => {
				const c = changes(b, false);
				if (c.length) send({ block: b.hash, changes: c });
			};
			const onSet = (b: BlockData) => listener(b);
			chain.on('block', listener);
			chain.on('storage', onSet);
			setImmediate(() => send({ block: chain.best.hash, changes: changes(chain.best, true) }));
			return id;
		},
		state_unsubscribeStorage: unsubscribe,
		state_call: ({ chain }, [method, data, hash]) => chain.stateCall(String(method), String(data ?? '0x') as Hex, at(chain, hash)),

		payment_queryInfo: async ({ chain }, [ext, hash]) => {
			const bytes = hexToU8a(String(ext));
			const len = new Uint8Array(4);
			new DataView(len.buffer).setUint32(0, bytes.length, true);
			const res = await chain.stateCall(
				'TransactionPaymentApi_query_info',
				u8aToHex(new Uint8Array([...bytes, ...len])) as Hex,
				at(chain, hash),
			);
			const info = chain.registry.createType('RuntimeDispatchInfoV2', res) as any;
			return {
				weight: { refTime: info.weight.refTime.toNumber(), proofSize: info.weight.proofSize.toNumber() },
				class: info.class.type.toLowerCase(),
				partialFee: info.partialFee.toString(),
			};
		},

		author_submitExtrinsic: async (ctx, [ext]) => {
			const hash = await ctx.chain.submit(String(ext) as Hex);
			ctx.onSubmitted();
			return hash;
		},
		author_submitAndWatchExtrinsic: async (ctx, [ext], subs) => {
			const id = subId();
			// Statuses that arrive before the subscription exists are held, then flushed in order.
			const sink: { send?: (data: unknown) => void } = {};
			const pending: TxStatus[] = [];
			await ctx.chain.submit(String(ext) as Hex, (s) => {
				if (sink.send) sink.send(s);
				else pending.push(s);
			});
			const flush = subs.subscribe('author_extrinsicUpdate', id);
			sink.send = flush;
			setImmediate(() => {
				for (const s of pending.splice(0)) flush(s);
			});
			ctx.onSubmitted();
			return id;
		},
		author_unwatchExtrinsic: unsubscribe,
		author_pendingExtrinsics: ({ chain }) => chain.pendingExtrinsics(),

		dev_newBlock: async ({ chain }, [params]) => {
			const p = (params ?? {}) as { count?: number; to?: number };
			const count = p.to !== undefined ? Math.max(0, p.to - chain.best.number) : (p.count ?? 1);
			return chain.newBlocks(count);
		},
		dev_timeTravel: ({ chain }, [date]) => {
			const ms = typeof date === 'number' ? date : Date.parse(String(date));
			if (!Number.isFinite(ms))
				throw new NodeRpcError(-32602, 'Invalid params', 'dev_timeTravel takes a unix time in ms or a date string');
			return chain.timeTravel(ms);
		},
		dev_setStorage: async ({ chain }, [values]) => {
			if (!Array.isArray(values)) {
				throw new NodeRpcError(-32602, 'Invalid params', 'the governance devnet (simulation) takes raw [key, value] pairs only');
			}
			return chain.setStorage(values as Array<[Hex, Hex | null]>);
		},
		dev_setBlockBuildMode: (ctx, [mode]) => {
			const m = String(mode).toLowerCase();
			if (m === 'instant') ctx.buildMode = 'instant';
			else if (m === 'manual') ctx.buildMode = 'manual';
			else if (m === 'batch') ctx.buildMode = 'instant';
			else throw new NodeRpcError(-32602, 'Invalid params', `unknown build mode ${String(mode)}`);
			return null;
		},
		devnet_unmodelledCalls: ({ chain }) => chain.notes,
		// Blocks the devnet failed to build (also in devnet_unmodelledCalls and on its stderr): { count, last? }.
		devnet_buildFailures: ({ chain }) => chain.buildFailures,
		// How blocks are made: 'interval' (a timer), 'instant' (when a transaction arrives, or dev_newBlock), 'manual' (dev_newBlock only).
		devnet_blockMode: (ctx) => ({ mode: ctx.buildMode }),
	};
	// Substrate's aliases
	h.chain_subscribeNewHead = h.chain_subscribeNewHeads!;
	h.chain_unsubscribeNewHead = h.chain_unsubscribeNewHeads!;
	h.chain_subscribeFinalisedHeads = h.chain_subscribeFinalizedHeads!;
	h.chain_unsubscribeFinalisedHeads = h.chain_unsubscribeFinalizedHeads!;
	h.chain_getFinalisedHead = h.chain_getFinalizedHead!;
	h.chain_getRuntimeVersion = h.state_getRuntimeVersion!;
	h.chain_subscribeRuntimeVersion = h.state_subscribeRuntimeVersion!;
	h.chain_unsubscribeRuntimeVersion = h.state_unsubscribeRuntimeVersion!;
	return h;
}
