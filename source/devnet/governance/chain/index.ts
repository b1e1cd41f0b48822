/**
 * The governance devnet chain, a thin coordinator: it owns the kept blocks,
 * the pool and the runtime code, and serializes block production. The work
 * is elsewhere in this folder: txpool.ts (pool), validate.ts (transaction
 * validation), block-builder.ts (blocks, with injected inherent providers
 * from inherents.ts), runtime-api.ts (state_call answers), code.ts (runtime
 * code), genesis.ts, blocks.ts (pruning windows), snapshot.ts (the kept
 * window as a file, for a restart). Pallet behaviour lives in
 * ../pallets/*, one file per FRAME pallet.
 *
 * Events: 'block' (block, parent), 'runtime' (block, when its code changed),
 * 'storage' (best block, after dev_setStorage), 'submitted' (pool tx) and
 * 'buildFailed' (BlockBuildError, BuildFailure) when a block cannot be built.
 */
import { EventEmitter } from 'node:events';
import { Keyring } from '@polkadot/keyring';
import { expandMetadata, type Metadata, type TypeRegistry } from '@polkadot/types';
import type { GenericCall } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { debug } from '../../../debug.js';
import { DEFAULT_PERIODS, type GovernancePeriods, kitchensinkRegistry } from '../metadata.js';
import { installPallets, type InstalledPallets } from '../pallets/index.js';
import { type Handler, Runtime, RuntimeMeta } from '../runtime.js';
import { CODE_KEY, type Hex, Overlay, TypedStore } from '../storage.js';
import { IncrementalTrie } from '../trie.js';
import { BlockBuildError, type BuildEnv, buildBlock, extrinsicsRoot, hashHeader } from './block-builder.js';
import { BlockStore } from './blocks.js';
import { devnetVersion, devnetWasm, RuntimeCode } from './code.js';
import { genesisState } from './genesis.js';
import { SetTimestamp } from './inherents.js';
import type { InherentProvider } from './types.js';
import { stateCall } from './runtime-api.js';
import { TxPool, type PoolTx } from './txpool.js';
import { type ChainSnapshot, decodeStates, encodeSnapshot } from './snapshot.js';
import {
	BLOCK_TIME_MS,
	type BlockData,
	type BuildFailure,
	type ChainOptions,
	DEFAULT_BLOCK_WINDOW,
	DEFAULT_STATE_WINDOW,
	DEV_ACCOUNTS,
	type Header,
	type RuntimeInfo,
	type TxStatus,
} from './types.js';
import { blockHashCount, unmodelledCalls, validateTransaction, type ValidationEnv } from './validate.js';

export * from './types.js';
export { buildDevnetCode, devnetMetadata, devnetVersion, executor } from './code.js';
export { SetTimestamp } from './inherents.js';
export { BlockBuildError } from './block-builder.js';
export type { PoolTx } from './txpool.js';
export { readSnapshotFile, writeSnapshotFile, type ChainSnapshot } from './snapshot.js';

/** Outside the block builder, so the timer does not keep the block's runtime context alive. */
function reportFinalized(included: PoolTx[], hash: Hex): void {
	setTimeout(() => {
		for (const tx of included) for (const w of tx.watchers) w({ finalized: hash });
	}, 20);
}

export class GovernanceChain extends EventEmitter {
	readonly registry: TypeRegistry;
	readonly metadata: Metadata;
	readonly meta: RuntimeMeta;
	readonly store: TypedStore;
	readonly periods: GovernancePeriods;
	readonly pool: TxPool;
	/** The modelled pallets' calls, on_initialize hooks and services (../pallets/index.ts). */
	private readonly pallets: InstalledPallets;
	private readonly blocks: BlockStore;
	private readonly code: RuntimeCode;
	private readonly inherents: readonly InherentProvider[];
	/** The state trie of the latest root computed (only changed paths are re-hashed). */
	private readonly trie = new IncrementalTrie();
	/** Keys of the best block's state written since its root was computed (dev_setStorage). */
	private readonly bestWrites = new Set<string>();
	private readonly messages: string[] = [];
	private readonly failures: { count: number; last?: BuildFailure } = { count: 0 };
	private building: Promise<unknown> = Promise.resolve();
	private nextTimestamp: bigint;
	private genesis: Hex | undefined;
	private decoratedTx: ReturnType<typeof expandMetadata>['tx'] | undefined;

	private constructor(opts: ChainOptions) {
		super();
		this.setMaxListeners(0);
		const { registry, metadata } = kitchensinkRegistry();
		this.registry = registry as TypeRegistry;
		this.metadata = metadata;
		this.meta = new RuntimeMeta(this.registry, metadata.asV14);
		this.store = new TypedStore(this.registry, metadata, new Overlay(new Map()));
		this.periods = { ...DEFAULT_PERIODS, ...(opts.snapshot ? opts.snapshot.periods : opts.periods) };
		const start = opts.startTime ?? Math.floor(Date.now() / BLOCK_TIME_MS) * BLOCK_TIME_MS;
		this.nextTimestamp = BigInt(start);
		this.pallets = installPallets();
		this.inherents = opts.inherents ?? [new SetTimestamp()];
		this.code = new RuntimeCode(metadata);
		const stateWindow = Math.max(1, Math.floor(opts.stateWindow ?? DEFAULT_STATE_WINDOW));
		const blockWindow = Math.max(stateWindow, blockHashCount(this.meta) + 2, Math.floor(opts.blockWindow ?? DEFAULT_BLOCK_WINDOW));
		this.blocks = new BlockStore(stateWindow, blockWindow);
		this.pool = new TxPool({
			readContext: () => this.readContext(),
			validate: (bytes, rt) => validateTransaction(this.validation, bytes, rt, 'pool'),
			unmodelledCalls: (call) => unmodelledCalls(this.pallets.calls, call),
			onSubmitted: (tx) => this.emit('submitted', tx),
		});
	}

	static async create(opts: ChainOptions = {}): Promise<GovernanceChain> {
		await cryptoWaitReady();
		const chain = new GovernanceChain(opts);
		if (opts.snapshot) await chain.restore(opts.snapshot);
		else await chain.buildGenesis();
		return chain;
	}

	/** The kept window, to be written as a file (./snapshot.ts) and resumed by `create({ snapshot })`. */
	toSnapshot<I>(instance: I): ChainSnapshot<I> {
		return encodeSnapshot({
			instance,
			genesis: this.genesisHash,
			periods: this.periods,
			nextTimestamp: this.nextTimestamp,
			blocks: this.blocks.list(),
			codeOf: (hash) => this.code.codeOf(hash),
		});
	}

	private async restore(s: ChainSnapshot): Promise<void> {
		const runtimes = new Map<string, RuntimeInfo>();
		for (const [hash, code] of Object.entries(s.codes)) runtimes.set(hash, await this.runtimeFor(code));
		const states = decodeStates(s);
		const blocks: BlockData[] = s.blocks.map((b) => {
			const runtime = runtimes.get(b.codeHash);
			if (!runtime) throw new Error(`the snapshot has no code for block #${b.number}`);
			const state = states.get(b.number);
			return {
				number: b.number,
				hash: b.hash,
				parentHash: b.parentHash,
				header: b.header,
				extrinsics: b.extrinsics,
				runtime,
				state: state ?? new Map(),
				...(state ? {} : { statePruned: true }),
			};
		});
		this.blocks.restore(blocks);
		this.genesis = s.genesis;
		this.nextTimestamp = BigInt(s.nextTimestamp);
		// The trie holds the best block's state (later roots are computed from it incrementally;
		// dev_setStorage writes after the best block's root are in it too, as before the restart).
		this.trie.root(this.best.state);
	}

	// ------------------------------------------------------------ blocks

	get genesisHash(): Hex {
		return this.genesis!;
	}

	get best(): BlockData {
		return this.blocks.best;
	}

	/** A kept block by number or hash (blocks older than the block window are forgotten). */
	blockAt(hashOrNumber?: string | number | null): BlockData | undefined {
		return this.blocks.blockAt(hashOrNumber);
	}

	/** The oldest block number still kept (header and body), and the oldest with its state. */
	get kept(): { firstBlock: number; firstState: number } {
		return this.blocks.kept;
	}

	get stateWindow(): number {
		return this.blocks.stateWindow;
	}

	get blockWindow(): number {
		return this.blocks.blockWindow;
	}

	/** devnet_unmodelledCalls: calls refused at dispatch time, and internal errors (block-building failures included). */
	get notes(): readonly string[] {
		return this.messages;
	}

	/** Blocks the chain failed to build since it started: how many, and the last one. */
	get buildFailures(): { count: number; last?: BuildFailure } {
		return { ...this.failures };
	}

	/** `section.method` → handler of every modelled call. */
	get calls(): ReadonlyMap<string, Handler> {
		return this.pallets.calls;
	}

	// ------------------------------------------------------------ runtime code

	/** Execute the code's Core_version and Metadata_metadata (cached per code hash). */
	runtimeFor(code: Hex): Promise<RuntimeInfo> {
		return this.code.runtimeFor(code);
	}

	/**
	 * Whether this devnet can keep simulating after switching to `code`: the
	 * code must return metadata with the same pallets and types as the devnet's.
	 */
	canRun(code: Hex): Promise<string | undefined> {
		return this.code.canRun(code);
	}

	// ------------------------------------------------------------ genesis

	devAccount(name: string): string {
		return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//${name}`).address;
	}

	private async buildGenesis(): Promise<void> {
		const version = devnetVersion();
		const code = devnetWasm(version, this.periods);
		const state = genesisState(
			this.store,
			code,
			version,
			DEV_ACCOUNTS.map((n) => this.devAccount(n)),
		);
		const runtime = await this.runtimeFor(u8aToHex(code) as Hex);
		const header: Header = {
			parentHash: `0x${'00'.repeat(32)}` as Hex,
			number: '0x0' as Hex,
			stateRoot: await this.trie.root(state),
			extrinsicsRoot: await extrinsicsRoot([]),
			digest: { logs: [] },
		};
		const hash = hashHeader(this.registry, header);
		this.genesis = hash;
		this.blocks.keep({ number: 0, hash, parentHash: header.parentHash, header, extrinsics: [], state, runtime });
	}

	// ------------------------------------------------------------ runtime contexts

	/** A runtime context over a copy of the given block's state (for building or read-only queries). */
	private context(parent: BlockData, number: number, timestamp: bigint): Runtime {
		return new Runtime({
			meta: this.meta,
			store: this.store.over(new Overlay(new Map(parent.state))),
			calls: this.pallets.calls,
			services: this.pallets.services,
			number,
			timestamp,
			periods: this.periods,
			runtimeVersionOf: async (code) => {
				try {
					const info = await this.runtimeFor(code);
					return info.version;
				} catch {
					return undefined;
				}
			},
			canRun: (code) => this.canRun(code),
			currentVersion: parent.runtime.version,
		});
	}

	/** Read-only runtime context over a block's state. */
	readContext(at?: BlockData): Runtime {
		const b = at ?? this.best;
		return this.context(b, b.number + 1, this.nextTimestamp);
	}

	// ------------------------------------------------------------ transactions

	private get validation(): ValidationEnv {
		return {
			registry: this.registry,
			meta: this.meta,
			genesisHash: this.genesisHash,
			blockHashAt: (n) => this.blockAt(n)?.hash,
			versionAt: (n) => this.blockAt(n)?.runtime.version ?? this.best.runtime.version,
		};
	}

	/** author_submitExtrinsic / author_submitAndWatchExtrinsic. */
	submit(hex: Hex, watcher?: (s: TxStatus) => void): Promise<Hex> {
		return this.pool.submit(hex, watcher);
	}

	pendingExtrinsics(): Hex[] {
		return this.pool.pending.map((t) => t.hex);
	}

	nextIndex(who: string): number {
		return this.pool.nextIndex(who, this.readContext().account(who).nonce);
	}

	// ------------------------------------------------------------ block production

	timeTravel(date: number): number {
		this.nextTimestamp = BigInt(Math.floor(date));
		return Number(this.nextTimestamp);
	}

	/** Run `fn` after any block production or storage write in flight. */
	private serialized<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.building.then(fn);
		// The queue goes on after a failure: the failure is the caller's, and buildNext has reported it.
		this.building = run.catch(() => undefined);
		return run;
	}

	/** Build `count` blocks (serialized with any other block production). */
	newBlocks(count = 1): Promise<Hex> {
		return this.serialized(async () => {
			let hash = this.best.hash;
			for (let i = 0; i < count; i++) {
				// Let the event loop run between blocks (block production no longer waits on a
				// worker): subscribers get each block's notifications, timers fire.
				if (i > 0) await new Promise((resolve) => setImmediate(resolve));
				hash = (await this.buildNext()).hash;
			}
			return hash;
		});
	}

	/** Write raw storage into the best block's state (dev_setStorage): the next block builds on it. */
	setStorage(pairs: Array<[Hex, Hex | null]>): Promise<Hex> {
		return this.serialized(async () => {
			const b = this.best;
			for (const [k, v] of pairs) {
				if (v === null) b.state.delete(k.toLowerCase());
				else b.state.set(k.toLowerCase(), v.toLowerCase());
				this.bestWrites.add(k.toLowerCase());
			}
			if (pairs.some(([k]) => k.toLowerCase() === CODE_KEY)) b.runtime = await this.runtimeFor(b.state.get(CODE_KEY) as Hex);
			this.emit('storage', b);
			return b.hash;
		});
	}

	private get buildEnv(): BuildEnv {
		return {
			registry: this.registry,
			meta: this.meta,
			onInitialize: this.pallets.onInitialize,
			inherents: this.inherents,
			pool: this.pool,
			context: (parent, number, timestamp) => this.context(parent, number, timestamp),
			validate: (bytes, rt) => validateTransaction(this.validation, bytes, rt, 'pool'),
			runtimeFor: (code) => this.runtimeFor(code),
			stateRoot: async (state, written) => {
				// Incremental over the best block's state, whose root the trie last computed.
				const changed = new Set([...written, ...this.bestWrites]);
				this.bestWrites.clear();
				return this.trie.root(state, changed);
			},
			tx: (section, method, ...args) => this.tx(section, method, ...args),
		};
	}

	private async buildNext(): Promise<BlockData> {
		const parent = this.best;
		const timestamp = this.nextTimestamp;
		this.nextTimestamp += BigInt(BLOCK_TIME_MS);
		let built;
		try {
			built = await buildBlock(this.buildEnv, parent, timestamp);
		} catch (e) {
			const failure = e instanceof BlockBuildError ? e : new BlockBuildError(parent.number + 1, e, [], []);
			this.reportBuildFailure(failure);
			throw failure;
		}
		const { block, included, dropped, notes } = built;
		for (const n of notes) this.messages.push(n);
		this.blocks.keep(block);
		for (const tx of included) for (const w of tx.watchers) w({ inBlock: block.hash });
		// Every block is final at once; report it a moment later, as a node would after inBlock.
		if (included.length) reportFinalized(included, block.hash);
		for (const tx of dropped) for (const w of tx.watchers) w('invalid');
		this.emit('block', block, parent);
		if (block.runtime !== parent.runtime) this.emit('runtime', block);
		return block;
	}

	/**
	 * A block that could not be built is never dropped silently: it is counted
	 * (`buildFailures`), listed by devnet_unmodelledCalls, written to stderr and
	 * the debug trace, and emitted as 'buildFailed'. The chain stays at its best
	 * block and builds the next one on request; pool transactions the failed
	 * block had taken are reported `dropped` to their watchers.
	 */
	private reportBuildFailure(e: BlockBuildError): void {
		for (const n of e.notes) this.messages.push(n);
		const cause = e.cause as Error | undefined;
		this.messages.push(
			`block ${e.number}: governance devnet (simulation) internal error building the block: ${cause?.stack ?? String(cause)}`,
		);
		const failure: BuildFailure = { block: e.number, message: e.message, at: new Date().toISOString() };
		this.failures.count += 1;
		this.failures.last = failure;
		debug(`governance devnet: ${e.message}`);
		process.stderr.write(`governance devnet (simulation): ${e.message}\n`);
		for (const tx of e.removed) for (const w of tx.watchers) w('dropped');
		this.emit('buildFailed', e, failure);
	}

	/** A call built from the metadata, e.g. tx('timestamp', 'set', now). */
	tx(section: string, method: string, ...args: unknown[]): GenericCall {
		this.decoratedTx ??= expandMetadata(this.registry, this.metadata).tx;
		return this.decoratedTx[section]![method]!(...args) as unknown as GenericCall;
	}

	// ------------------------------------------------------------ runtime API answers

	/** state_call: answers for the runtime APIs the devnet serves. */
	stateCall(method: string, data: Hex, at?: BlockData): Promise<Hex> {
		return stateCall(
			{
				registry: this.registry,
				meta: this.meta,
				readContext: (b) => this.readContext(b),
				validate: (bytes, rt) => validateTransaction(this.validation, bytes, rt, 'pool'),
			},
			method,
			data,
			at ?? this.best,
		);
	}
}
