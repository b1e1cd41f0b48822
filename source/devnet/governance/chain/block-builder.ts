/**
 * Block building, as frame_executive and chopsticks' core block builder do
 * it: initialize the block (frame_system, then on_initialize hooks in
 * construct_runtime order), apply the inherents of the injected providers,
 * apply the pool's transactions (each sender's in nonce order), finalize
 * (events, digest, pruned BlockHash) and seal the header with real trie roots.
 */
import type { GenericCall, TypeRegistry } from '@polkadot/types';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { Runtime, type RuntimeMeta } from '../runtime.js';
import { CODE_KEY, type Hex } from '../storage.js';
import { trieRoot } from '../trie.js';
import { u32ToU8a } from '../util.js';
import type { InherentProvider } from './types.js';
import type { PoolTx, TxPool } from './txpool.js';
import type { BlockData, Header, RuntimeInfo } from './types.js';
import { blockHashCount, type Checked, transactionFee } from './validate.js';

export interface BuildEnv {
	registry: TypeRegistry;
	meta: RuntimeMeta;
	/** The pallets' on_initialize hooks, in construct_runtime order. */
	onInitialize: ReadonlyArray<(rt: Runtime) => Promise<void> | void>;
	inherents: readonly InherentProvider[];
	pool: TxPool;
	/** A runtime context over a copy of `parent`'s state. */
	context(parent: BlockData, number: number, timestamp: bigint): Runtime;
	validate(bytes: Uint8Array, rt: Runtime): Promise<Checked>;
	runtimeFor(code: Hex): Promise<RuntimeInfo>;
	/** The new state's trie root; `written`: the keys the block wrote over its parent's state. */
	stateRoot(state: Map<string, string>, written: Set<string>): Promise<Hex>;
	tx(section: string, method: string, ...args: unknown[]): GenericCall;
}

export interface BuiltBlock {
	block: BlockData;
	/** Pool transactions in the block, and those found invalid (both left the pool). */
	included: PoolTx[];
	dropped: PoolTx[];
	/** The block's notes for devnet_unmodelledCalls. */
	notes: readonly string[];
}

/** Building block `number` failed; `removed`: pool transactions it had already taken out of the pool. */
export class BlockBuildError extends Error {
	constructor(
		readonly number: number,
		cause: unknown,
		readonly removed: readonly PoolTx[],
		readonly notes: readonly string[],
	) {
		super(`building block #${number} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
		this.name = 'BlockBuildError';
	}
}

export function extrinsicsRoot(extrinsics: Hex[]): Hex {
	return trieRoot(extrinsics.map((x, i) => [u8aToHex(compactToU8a(i)), x] as [Hex, Hex]));
}

export function hashHeader(registry: TypeRegistry, header: Header): Hex {
	return registry.createType('Header', header).hash.toHex() as Hex;
}

/** frame_system::initialize, and on_runtime_upgrade's LastRuntimeUpgrade. */
function initializeSystem(rt: Runtime, parent: BlockData): void {
	const s = rt.store;
	s.put('System', 'Number', [], rt.number);
	s.put('System', 'ParentHash', [], parent.hash);
	s.put('System', 'BlockHash', [parent.number], parent.hash);
	s.put('System', 'Digest', [], { logs: [] });
	s.remove('System', 'Events');
	s.remove('System', 'EventCount');
	const last = s.get('System', 'LastRuntimeUpgrade') as any;
	const v = parent.runtime.version;
	if (!last || last.specVersion.toNumber() !== v.specVersion || last.specName.toString() !== v.specName) {
		// frame_executive: the first block run by new code records it (on_runtime_upgrade).
		s.put('System', 'LastRuntimeUpgrade', [], { specVersion: v.specVersion, specName: v.specName });
	}
}

function encodeEvents(rt: Runtime): Hex {
	const parts: Uint8Array[] = [compactToU8a(rt.events.length)];
	for (const e of rt.events) {
		const phase =
			'ApplyExtrinsic' in e.phase
				? u8aConcat(Uint8Array.from([0]), u32ToU8a(e.phase.ApplyExtrinsic))
				: 'Finalization' in e.phase
					? Uint8Array.from([1])
					: Uint8Array.from([2]);
		parts.push(phase, e.bytes, compactToU8a(0));
	}
	return u8aToHex(u8aConcat(...parts)) as Hex;
}

/** frame_executive::apply_extrinsic for a pool transaction: nonce, fee withdrawal, dispatch, refund. */
async function applyExtrinsic(meta: RuntimeMeta, rt: Runtime, index: number, checked: Checked): Promise<void> {
	const { call, signer } = checked;
	rt.enterPhase({ ApplyExtrinsic: index });
	const cls = Runtime.dispatchClass(call);
	let outcome;
	let paysFee: 'Yes' | 'No' = 'Yes';
	let actualWeight = checked.weight;
	if (signer === undefined) {
		paysFee = 'No';
		outcome = await rt.dispatch(call, { kind: 'none' });
		if (outcome.ok && outcome.post.actualWeight) actualWeight = outcome.post.actualWeight;
	} else {
		// CheckNonce::pre_dispatch, then withdraw the fee (ChargeAssetTxPayment, native asset).
		const info = rt.account(signer);
		info.nonce += 1;
		rt.putAccount(signer, info);
		const withdrawn = checked.fee + checked.tip;
		rt.mutateBalance(signer, (d) => void (d.free -= withdrawn));
		rt.deposit('Balances', 'Withdraw', [signer, withdrawn]);
		outcome = await rt.dispatch(call, { kind: 'signed', who: signer });
		const post = outcome.ok ? outcome.post : {};
		if (post.actualWeight) actualWeight = post.actualWeight.refTime < checked.weight.refTime ? post.actualWeight : checked.weight;
		if (post.paysFee === 'No') paysFee = 'No';
		const actual = paysFee === 'No' ? 0n : transactionFee(meta, checked.len, actualWeight);
		const refund = checked.fee - actual;
		if (refund > 0n) {
			rt.mutateBalance(signer, (d) => void (d.free += refund));
			rt.deposit('Balances', 'Deposit', [signer, refund]);
		}
		// Fees are burned (the kitchensink splits them between treasury and author).
		rt.setTotalIssuance(rt.totalIssuance() - actual - checked.tip);
		rt.deposit('TransactionPayment', 'TransactionFeePaid', [signer, actual + checked.tip, checked.tip]);
	}
	const dispatchInfo = { weight: actualWeight, class: cls, paysFee };
	if (outcome.ok) rt.deposit('System', 'ExtrinsicSuccess', [dispatchInfo]);
	else rt.deposit('System', 'ExtrinsicFailed', [outcome.error.value, dispatchInfo]);
}

/**
 * Build the block after `parent` with `timestamp`. Internal errors of one
 * on_initialize hook or one transaction are notes (that hook or transaction
 * fails, the block goes on); anything else rejects with a BlockBuildError.
 */
export async function buildBlock(env: BuildEnv, parent: BlockData, timestamp: bigint): Promise<BuiltBlock> {
	const number = parent.number + 1;
	let rt: Runtime | undefined;
	let removed: PoolTx[] = [];
	try {
		rt = env.context(parent, number, timestamp);
		return await build(env, rt, parent, timestamp, (txs) => {
			removed = txs;
			env.pool.remove(txs);
		});
	} catch (e) {
		throw new BlockBuildError(number, e, removed, rt?.notes ?? []);
	}
}

async function build(
	env: BuildEnv,
	rt: Runtime,
	parent: BlockData,
	timestamp: bigint,
	removeFromPool: (txs: PoolTx[]) => void,
): Promise<BuiltBlock> {
	const { registry, meta } = env;
	const number = rt.number;
	initializeSystem(rt, parent);
	rt.enterPhase({ Initialization: null });
	for (const hook of env.onInitialize) {
		try {
			await rt.transactional(async () => hook(rt));
		} catch (e) {
			rt.note(`governance devnet (simulation) internal error in on_initialize: ${(e as Error)?.stack ?? String(e)}`);
		}
	}
	// Inherents, from the injected providers (the timestamp by default).
	const extrinsics: Hex[] = [];
	for (const provider of env.inherents) {
		for (const call of await provider.createInherents({ number, timestamp, parent, tx: env.tx })) {
			extrinsics.push(registry.createType('Extrinsic', { method: call }).toHex() as Hex);
			rt.enterPhase({ ApplyExtrinsic: extrinsics.length - 1 });
			const outcome = await rt.dispatch(call, { kind: 'none' });
			if (!outcome.ok) throw new Error(`${call.section} inherent failed: ${outcome.error.message}`);
			rt.deposit('System', 'ExtrinsicSuccess', [{ weight: Runtime.callWeight(call), class: 'Mandatory', paysFee: 'Yes' }]);
		}
	}

	// Transactions from the pool, in order, each sender's in nonce order.
	const included: PoolTx[] = [];
	const dropped: PoolTx[] = [];
	let progress = true;
	while (progress) {
		progress = false;
		for (const tx of env.pool.pending) {
			if (included.includes(tx) || dropped.includes(tx)) continue;
			const bytes = hexToU8a(tx.hex);
			let checked: Checked;
			try {
				checked = await env.validate(bytes, rt);
			} catch {
				// No longer valid (a node drops it too): its watchers hear `invalid`.
				dropped.push(tx);
				continue;
			}
			if (checked.future) continue;
			try {
				await rt.transactional(() => applyExtrinsic(meta, rt, extrinsics.length, checked));
			} catch (e) {
				rt.note(`governance devnet (simulation) internal error applying ${tx.hash}: ${(e as Error)?.stack ?? String(e)}`);
				dropped.push(tx);
				continue;
			}
			extrinsics.push(tx.hex);
			included.push(tx);
			progress = true;
		}
	}
	removeFromPool([...included, ...dropped]);
	// Finalization
	rt.enterPhase({ Finalization: null });
	const s = rt.store;
	const toRemove = number - blockHashCount(meta) - 1;
	if (toRemove > 0) s.remove('System', 'BlockHash', [toRemove]);
	s.state.set(s.key('System', 'Events'), encodeEvents(rt));
	s.put('System', 'EventCount', [], rt.events.length);
	const logs = rt.digestLogs.map((l) => registry.createType('DigestItem', l).toHex() as Hex);
	s.put('System', 'Digest', [], { logs });
	const state = s.state.base;
	const code = state.get(CODE_KEY) as Hex;
	const runtime = rt.codeChanged ? await env.runtimeFor(code) : parent.runtime;
	const header: Header = {
		parentHash: parent.hash,
		number: `0x${number.toString(16)}` as Hex,
		stateRoot: await env.stateRoot(state, s.state.written),
		extrinsicsRoot: await extrinsicsRoot(extrinsics),
		digest: { logs },
	};
	const hash = hashHeader(registry, header);
	const block: BlockData = { number, hash, parentHash: parent.hash, header, extrinsics, state, runtime };
	return { block, included, dropped, notes: rt.notes };
}
