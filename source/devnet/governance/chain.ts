/**
 * The governance devnet chain: genesis, block production, transaction pool,
 * transaction validation (signatures, era, nonce, fees) and the runtime API
 * answers. Pallet behaviour lives in ./pallets/*.
 */
import { EventEmitter } from 'node:events';
import { Keyring } from '@polkadot/keyring';
import { expandMetadata, Metadata, TypeRegistry } from '@polkadot/types';
import type { GenericCall, GenericExtrinsic } from '@polkadot/types';
import { compactAddLength, compactFromU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex, } from '@polkadot/util';
import { u32ToU8a } from './util.js';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import {
	buildDevnetMetadata,
	DEFAULT_PERIODS,
	encodeRuntimeVersion,
	type GovernancePeriods,
	kitchensinkRegistry,
	kitchensinkVersion,
	type RuntimeVersionJson,
} from './metadata.js';
import { buildRuntimeWasm } from './runtime-wasm.js';
import { DispatchErr, DOLLARS, type Handler, NEW_LOGIC_FLAG, type Origin, Runtime, RuntimeMeta, type Weight } from './runtime.js';
import { type Hex, Overlay, TypedStore } from './storage.js';
import { installPallets } from './pallets/index.js';
import { IncrementalTrie, trieRoot } from './trie.js';

export const CODE_KEY = '0x3a636f6465';
export const BLOCK_TIME_MS = 6000;
export const DEV_ACCOUNTS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
export const ENDOWMENT = 10_000_000n * DOLLARS;
export const IMPL_NAME = 'release-console-governance-devnet';

/** A JSON-RPC error with the node's code, message and data. */
export class NodeRpcError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly data?: unknown,
	) {
		super(message);
	}
}

const invalidTx = (data: string) => new NodeRpcError(1010, 'Invalid Transaction', data);

export interface RuntimeInfo {
	codeHash: Hex;
	version: RuntimeVersionJson;
	versionHex: Hex;
	metadataHex: Hex;
}

export interface BlockData {
	number: number;
	hash: Hex;
	parentHash: Hex;
	header: { parentHash: Hex; number: Hex; stateRoot: Hex; extrinsicsRoot: Hex; digest: { logs: Hex[] } };
	extrinsics: Hex[];
	/** Empty once the block is older than the state window (see `statePruned`). */
	state: Map<string, string>;
	runtime: RuntimeInfo;
	/** Its state was discarded (older than `ChainOptions.stateWindow` blocks): only header and body remain. */
	statePruned?: boolean;
}

/** Blocks whose full state is kept (as a node's default `--state-pruning 256`). */
export const DEFAULT_STATE_WINDOW = 256;
/** Blocks whose header and body are kept (at least BlockHashCount, which mortal eras need). */
export const DEFAULT_BLOCK_WINDOW = 4096;

export type TxStatus = 'future' | 'ready' | { inBlock: Hex } | { finalized: Hex } | 'invalid' | 'dropped';

interface PoolTx {
	hash: Hex;
	hex: Hex;
	sender?: string;
	nonce?: number;
	watchers: Set<(s: TxStatus) => void>;
}

interface Checked {
	ext: GenericExtrinsic;
	call: GenericCall;
	len: number;
	signer?: string;
	nonce?: number;
	tip: bigint;
	weight: Weight;
	fee: bigint;
	future: boolean;
}

let executorModule: Promise<typeof import('@acala-network/chopsticks-core')> | undefined;
export function executor(): Promise<typeof import('@acala-network/chopsticks-core')> {
	process.env.LOG_LEVEL ??= 'error';
	executorModule ??= import('@acala-network/chopsticks-core');
	return executorModule;
}

const metadataCache = new Map<string, Uint8Array>();
/** The devnet's metadata for a spec version and periods (cached; building takes a couple of seconds). */
export function devnetMetadata(periods: GovernancePeriods, version: RuntimeVersionJson): Uint8Array {
	const key = JSON.stringify([periods, version]);
	let m = metadataCache.get(key);
	if (!m) {
		m = buildDevnetMetadata(periods, version);
		metadataCache.set(key, m);
	}
	return m;
}

export function devnetVersion(specVersion?: number): RuntimeVersionJson {
	const base = kitchensinkVersion();
	return { ...base, implName: IMPL_NAME, specVersion: specVersion ?? base.specVersion };
}

/**
 * A runtime wasm for this devnet with the given spec version (default: the
 * genesis spec version + 1) and the devnet metadata: the "new code" for
 * upgrade rehearsals.
 */
export function buildDevnetCode(opts: { specVersion?: number; specName?: string; periods?: Partial<GovernancePeriods> } = {}): Uint8Array {
	const version = { ...devnetVersion(opts.specVersion ?? devnetVersion().specVersion + 1), ...(opts.specName ? { specName: opts.specName } : {}) };
	const periods = { ...DEFAULT_PERIODS, ...opts.periods };
	return buildRuntimeWasm({ version: encodeRuntimeVersion(version), metadata: devnetMetadata(periods, version) });
}

export interface ChainOptions {
	periods?: Partial<GovernancePeriods>;
	/** Unix ms of the first block; default: now, rounded down to the block time. */
	startTime?: number;
	/** Keep the state of this many recent blocks (default 256); older state queries fail as on a pruned node. */
	stateWindow?: number;
	/** Keep headers and bodies of this many recent blocks (default 4096, never under BlockHashCount + 2); older ones are forgotten. */
	blockWindow?: number;
}

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
	readonly handlers = new Map<string, Handler>();
	readonly hooks: {
		onInitialize: Array<(rt: Runtime) => Promise<void> | void>;
		install: Array<(rt: Runtime) => void>;
	} = { onInitialize: [], install: [] };
	/** The kept blocks, oldest first: `blocks[i]` is block number `firstKept + i`. */
	private readonly blocks: BlockData[] = [];
	private firstKept = 0;
	readonly byHash = new Map<string, BlockData>();
	readonly stateWindow: number;
	readonly blockWindow: number;
	/** The state trie of the latest root computed (only changed paths are re-hashed). */
	private readonly trie = new IncrementalTrie();
	/** Keys of the best block's state written since its root was computed (dev_setStorage). */
	private readonly bestWrites = new Set<string>();
	readonly pool: PoolTx[] = [];
	readonly notes: string[] = [];
	private readonly runtimeInfo = new Map<string, Promise<RuntimeInfo>>();
	private building: Promise<unknown> = Promise.resolve();
	private nextTimestamp: bigint;
	genesisHash!: Hex;

	private constructor(opts: ChainOptions) {
		super();
		this.setMaxListeners(0);
		const { registry, metadata } = kitchensinkRegistry();
		this.registry = registry as TypeRegistry;
		this.metadata = metadata;
		this.meta = new RuntimeMeta(this.registry, metadata.asV14);
		this.store = new TypedStore(this.registry, metadata, new Overlay(new Map()));
		this.periods = { ...DEFAULT_PERIODS, ...opts.periods };
		const start = opts.startTime ?? Math.floor(Date.now() / BLOCK_TIME_MS) * BLOCK_TIME_MS;
		this.nextTimestamp = BigInt(start);
		installPallets(this);
		this.stateWindow = Math.max(1, Math.floor(opts.stateWindow ?? DEFAULT_STATE_WINDOW));
		const blockHashCount = (this.meta.constant('System', 'BlockHashCount') as any).toNumber() as number;
		this.blockWindow = Math.max(this.stateWindow, blockHashCount + 2, Math.floor(opts.blockWindow ?? DEFAULT_BLOCK_WINDOW));
	}

	static async create(opts: ChainOptions = {}): Promise<GovernanceChain> {
		await cryptoWaitReady();
		const chain = new GovernanceChain(opts);
		await chain.genesis();
		return chain;
	}

	get best(): BlockData {
		return this.blocks[this.blocks.length - 1]!;
	}

	/** A kept block by number or hash (blocks older than the block window are forgotten). */
	blockAt(hashOrNumber?: string | number | null): BlockData | undefined {
		if (hashOrNumber === undefined || hashOrNumber === null) return this.best;
		if (typeof hashOrNumber === 'number') return hashOrNumber >= this.firstKept ? this.blocks[hashOrNumber - this.firstKept] : undefined;
		return this.byHash.get(hashOrNumber.toLowerCase());
	}

	/** The oldest block number still kept (header and body), and the oldest with its state. */
	get kept(): { firstBlock: number; firstState: number } {
		return { firstBlock: this.firstKept, firstState: Math.max(this.firstKept, this.best.number - this.stateWindow + 1) };
	}

	/** Append a block, then drop the state and the blocks that left the windows. */
	private keep(block: BlockData): void {
		this.blocks.push(block);
		this.byHash.set(block.hash, block);
		const stale = block.number - this.stateWindow;
		const old = stale >= this.firstKept ? this.blocks[stale - this.firstKept] : undefined;
		if (old && !old.statePruned) {
			old.state = new Map();
			old.statePruned = true;
		}
		// Forget in batches, so the array is not shifted on every block.
		const excess = this.blocks.length - this.blockWindow;
		if (excess >= 256) {
			for (const b of this.blocks.splice(0, excess)) this.byHash.delete(b.hash);
			this.firstKept += excess;
		}
	}

	// ------------------------------------------------------------ runtime code

	/** Execute the code's Core_version and Metadata_metadata (cached per code hash). */
	runtimeFor(code: Hex): Promise<RuntimeInfo> {
		const codeHash = blake2AsHex(hexToU8a(code), 256) as Hex;
		let p = this.runtimeInfo.get(codeHash);
		if (!p) {
			p = (async () => {
				const ex = await executor();
				const v = await ex.getRuntimeVersion(code);
				const res = await ex.runTask({ wasm: code, calls: [['Metadata_metadata', []]], mockSignatureHost: false, allowUnresolvedImports: false, runtimeLogLevel: 0 });
				if (!('Call' in res)) throw new Error(`Metadata_metadata failed: ${res.Error}`);
				const opaque = hexToU8a(res.Call.result);
				const [offset, length] = compactFromU8a(opaque);
				const metadataBytes = opaque.subarray(offset, offset + length.toNumber());
				const version: RuntimeVersionJson = {
					specName: v.specName,
					implName: v.implName,
					authoringVersion: v.authoringVersion,
					specVersion: v.specVersion,
					implVersion: v.implVersion,
					apis: v.apis.map(([id, ver]: [string, number]) => [id, ver] as [string, number]),
					transactionVersion: v.transactionVersion,
					stateVersion: v.stateVersion,
				};
				return { codeHash, version, versionHex: u8aToHex(encodeRuntimeVersion(version)) as Hex, metadataHex: u8aToHex(metadataBytes) as Hex };
			})();
			p.catch(() => this.runtimeInfo.delete(codeHash));
			this.runtimeInfo.set(codeHash, p);
		}
		return p;
	}

	/**
	 * Whether this devnet can keep simulating after switching to `code`: the
	 * code must return metadata with the same pallets and types as the devnet's.
	 */
	async canRun(code: Hex): Promise<string | undefined> {
		try {
			const info = await this.runtimeFor(code);
			const reg = new TypeRegistry();
			const m = new Metadata(reg, info.metadataHex);
			const a = m.asV14;
			const b = this.metadata.asV14;
			if (a.lookup.types.length !== b.lookup.types.length) return 'its metadata types differ from the devnet runtime';
			const names = (x: typeof a) => x.pallets.map((p) => `${p.index.toNumber()}:${p.name.toString()}`).join(',');
			if (names(a) !== names(b)) return 'its pallets differ from the devnet runtime';
			return undefined;
		} catch (e) {
			return `executing its Metadata_metadata failed (${(e as Error).message})`;
		}
	}

	// ------------------------------------------------------------ genesis

	private keyring(): Keyring {
		return new Keyring({ type: 'sr25519', ss58Format: 42 });
	}

	devAccount(name: string): string {
		return this.keyring().addFromUri(`//${name}`).address;
	}

	private async genesis(): Promise<void> {
		const version = devnetVersion();
		const code = buildRuntimeWasm({ version: encodeRuntimeVersion(version), metadata: devnetMetadata(this.periods, version) });
		const state = new Map<string, string>();
		const s = this.store.over(new Overlay(state));
		state.set(CODE_KEY, u8aToHex(code));
		const accounts = DEV_ACCOUNTS.map((n) => this.devAccount(n));
		for (const who of accounts) {
			s.put('System', 'Account', [who], {
				nonce: 0,
				consumers: 0,
				providers: 1,
				sufficients: 0,
				data: { free: ENDOWMENT, reserved: 0, frozen: 0, flags: NEW_LOGIC_FLAG },
			});
		}
		s.put('Balances', 'TotalIssuance', [], ENDOWMENT * BigInt(accounts.length));
		s.put('Sudo', 'Key', [], accounts[0]);
		s.put('Council', 'Members', [], [accounts[0], accounts[1], accounts[2]]);
		s.put('Council', 'Prime', [], accounts[0]);
		s.put('TechnicalCommittee', 'Members', [], [accounts[0], accounts[1], accounts[3]]);
		s.put('System', 'BlockHash', [0], `0x${'45'.repeat(32)}`);
		s.put('System', 'ParentHash', [], `0x${'45'.repeat(32)}`);
		s.put('System', 'UpgradedToU32RefCount', [], true);
		s.put('System', 'UpgradedToTripleRefCount', [], true);
		s.put('System', 'LastRuntimeUpgrade', [], { specVersion: version.specVersion, specName: version.specName });
		s.put('TransactionPayment', 'NextFeeMultiplier', [], 1_000_000_000_000_000_000n);
		s.put('TransactionPayment', 'StorageVersion', [], 'V2');
		const runtime = await this.runtimeFor(u8aToHex(code) as Hex);
		const stateRoot = await this.stateRoot(state);
		const header = {
			parentHash: `0x${'00'.repeat(32)}` as Hex,
			number: '0x0' as Hex,
			stateRoot,
			extrinsicsRoot: await this.extrinsicsRoot([]),
			digest: { logs: [] as Hex[] },
		};
		const hash = this.hashHeader(header);
		const block: BlockData = { number: 0, hash, parentHash: header.parentHash, header, extrinsics: [], state, runtime };
		this.genesisHash = hash;
		this.keep(block);
	}

	private hashHeader(header: BlockData['header']): Hex {
		return this.registry.createType('Header', header).hash.toHex() as Hex;
	}

	/**
	 * The trie root (version 1) of a state; incremental over the previous
	 * root's state. `written`: the keys the new block wrote over its parent, the
	 * best block (whose root the trie last computed); without it, a full compare.
	 */
	private async stateRoot(state: Map<string, string>, written?: Set<string>): Promise<Hex> {
		if (!written) return this.trie.root(state);
		const changed = new Set([...written, ...this.bestWrites]);
		this.bestWrites.clear();
		return this.trie.root(state, changed);
	}

	private async extrinsicsRoot(extrinsics: Hex[]): Promise<Hex> {
		return trieRoot(extrinsics.map((x, i) => [u8aToHex(compactToU8a(i)), x] as [Hex, Hex]));
	}

	// ------------------------------------------------------------ runtime contexts

	/** A runtime context over a copy of the given block's state (for building or read-only queries). */
	private context(parent: BlockData, number: number, timestamp: bigint): Runtime {
		const rt = new Runtime(
			this.meta,
			this.store.over(new Overlay(new Map(parent.state))),
			this.handlers,
			number,
			timestamp,
			this.periods,
			async (code) => {
				try {
					const info = await this.runtimeFor(code);
					return info.version;
				} catch {
					return undefined;
				}
			},
			parent.runtime.version,
		);
		rt.canRun = (code) => this.canRun(code);
		for (const install of this.hooks.install) install(rt);
		return rt;
	}

	/** Read-only runtime context over a block's state. */
	readContext(at?: BlockData): Runtime {
		const b = at ?? this.best;
		return this.context(b, b.number + 1, this.nextTimestamp);
	}

	// ------------------------------------------------------------ transactions

	/** Decode an extrinsic's bytes; errors are the node's RPC errors. */
	private decode(bytes: Uint8Array): GenericExtrinsic {
		let len: number;
		let offset: number;
		try {
			const [o, l] = compactFromU8a(bytes);
			offset = o;
			len = l.toNumber();
		} catch (e) {
			throw new NodeRpcError(1001, `Extrinsic has invalid format: ${(e as Error).message}`);
		}
		if (offset + len > bytes.length) throw new NodeRpcError(1001, 'Extrinsic has invalid format: Not enough data to fill buffer');
		const runtimeDecodeError = (why: string) =>
			new NodeRpcError(
				1002,
				'Verification Error: Runtime error: Execution failed: Execution aborted due to trap: wasm trap: wasm `unreachable` instruction executed',
				`RuntimeApi("Execution failed: Bad input data provided to validate_transaction: ${why}")`,
			);
		try {
			const ext = this.registry.createType('Extrinsic', bytes.subarray(0, offset + len)) as unknown as GenericExtrinsic;
			if (ext.encodedLength !== offset + len) throw new Error('Input buffer has still data left after decoding!');
			// force the call's arguments to decode fully
			ext.method.toU8a();
			return ext;
		} catch (e) {
			throw runtimeDecodeError((e as Error).message.split('\n')[0]!);
		}
	}

	/** Names of calls in the call tree (nested calls included) that the devnet does not model. */
	unmodelledCalls(call: GenericCall): string[] {
		const found: string[] = [];
		const visit = (c: GenericCall) => {
			const key = `${c.section}.${c.method}`;
			if (!this.handlers.has(key)) found.push(key);
			for (const a of c.args as any[]) visitArg(a);
		};
		const visitArg = (a: any) => {
			if (!a) return;
			if (a.section !== undefined && a.method !== undefined && a.args !== undefined) visit(a as GenericCall);
			else if (Array.isArray(a)) a.forEach(visitArg);
		};
		visit(call);
		return found;
	}

	fee(len: number, weight: Weight): bigint {
		return this.meta.baseExtrinsicRefTime + BigInt(len) * 10n * 1_000_000_000n + weight.refTime;
	}

	blockHashAt(number: number): Hex | undefined {
		return this.blockAt(number)?.hash;
	}

	/** Validate a transaction against `rt`'s state, as TaggedTransactionQueue::validate_transaction would. */
	async check(bytes: Uint8Array, rt: Runtime, mode: 'pool' | 'apply'): Promise<Checked> {
		const ext = this.decode(bytes);
		const call = ext.method as unknown as GenericCall;
		const len = bytes.length;
		const weight = Runtime.callWeight(call);
		if (!ext.isSigned) {
			const key = `${call.section}.${call.method}`;
			if (key === 'timestamp.set') throw invalidTx('Transaction dispatch is mandatory; transactions must not be validated.');
			if (key === 'system.applyAuthorizedUpgrade') {
				const auth = rt.store.get('System', 'AuthorizedUpgrade') as any;
				const code = (call.args[0] as any).toU8a(true) as Uint8Array;
				if (!auth || auth.codeHash.toHex() !== Runtime.hashOf(code)) throw invalidTx('Transaction call is not expected');
				return { ext, call, len, tip: 0n, weight, fee: 0n, future: false };
			}
			throw new NodeRpcError(1011, 'Unknown Transaction Validity', 'Could not find an unsigned validator for the unsigned transaction');
		}
		// Raw layout: [0x84][MultiAddress][MultiSignature][extensions][call]
		const body = bytes.subarray(compactFromU8a(bytes)[0]);
		if (body[1] !== 0) throw new NodeRpcError(1011, 'Unknown Transaction Validity', 'Could not lookup information required to validate the transaction');
		const signerBytes = body.subarray(2, 34);
		const signer = this.registry.createType('AccountId', signerBytes).toString();
		const sigType = body[34]!;
		if (sigType > 2) throw invalidTx('Transaction has a bad signature');
		const sigBytes = body.subarray(34, 35 + (sigType === 2 ? 65 : 64));
		const extraStart = 34 + sigBytes.length;
		const extra = body.subarray(extraStart, body.length - call.encodedLength);
		let o = 0;
		const eraLen = extra[0] === 0 ? 1 : 2;
		const era = this.registry.createType('ExtrinsicEra', extra.subarray(0, eraLen)) as any;
		o += eraLen;
		const [nl, nonceBn] = compactFromU8a(extra.subarray(o));
		o += nl;
		const [tl, tipBn] = compactFromU8a(extra.subarray(o));
		o += tl;
		const assetId = extra[o] === 1 ? u32ToU8a(0) : undefined;
		o += extra[o] === 1 ? 5 : 1;
		const metadataHashMode = extra[o] ?? 0;
		const nonce = nonceBn.toNumber();
		const tip = BigInt(tipBn.toString());
		if (assetId) throw invalidTx('Inability to pay some fees (e.g. account balance too low)');
		// CheckMortality additional signed: the hash of the birth block.
		const current = rt.number;
		let birthHash: Hex | undefined;
		if (era.isImmortalEra) birthHash = this.genesisHash;
		else {
			const birth = Number(era.asMortalEra.birth(current));
			const blockHashCount = (this.meta.constant('System', 'BlockHashCount') as any).toNumber();
			if (birth < current && current - birth <= blockHashCount + 1) birthHash = this.blockHashAt(birth);
			if (!birthHash) throw invalidTx('Transaction has an ancient birth block');
		}
		const version = this.blockAt(current - 1)?.runtime.version ?? this.best.runtime.version;
		const additional = u8aConcat(
			u32ToU8a(version.specVersion),
			u32ToU8a(version.transactionVersion),
			hexToU8a(this.genesisHash),
			hexToU8a(birthHash),
			// CheckMetadataHash: None unless mode is Enabled (the devnet does not compute the RFC-78 hash)
			metadataHashMode === 1 ? Uint8Array.from([1, ...new Uint8Array(32)]) : Uint8Array.from([0]),
		);
		const payload = u8aConcat(call.toU8a(), extra, additional);
		const message = payload.length > 256 ? blake2AsU8a(payload, 256) : payload;
		let valid = false;
		try {
			valid = signatureVerify(message, sigBytes, signer).isValid;
		} catch {
			valid = false;
		}
		if (!valid) throw invalidTx('Transaction has a bad signature');
		if (signerBytes.every((x) => x === 0)) throw invalidTx('Invalid signing address');
		const account = rt.account(signer);
		if (nonce < account.nonce) throw invalidTx('Transaction is outdated');
		const future = nonce > account.nonce;
		if (future && mode === 'apply') throw invalidTx('Transaction will be valid in the future');
		const fee = this.fee(len, weight);
		if (account.providers === 0 || rt.reducible(signer, true) < fee + tip) throw invalidTx('Inability to pay some fees (e.g. account balance too low)');
		return { ext, call, len, signer, nonce, tip, weight, fee, future };
	}

	/** author_submitExtrinsic / author_submitAndWatchExtrinsic. */
	async submit(hex: Hex, watcher?: (s: TxStatus) => void): Promise<Hex> {
		const bytes = hexToU8a(hex);
		const hash = blake2AsHex(bytes, 256) as Hex;
		if (this.pool.some((t) => t.hash === hash)) throw new NodeRpcError(1013, 'Transaction Already Imported');
		const rt = this.readContext();
		const checked = await this.check(bytes, rt, 'pool');
		const unmodelled = this.unmodelledCalls(checked.call);
		if (unmodelled.length) {
			throw invalidTx(`Call not modelled by the governance devnet (simulation): ${unmodelled.join(', ')}`);
		}
		let future = checked.future;
		if (checked.signer !== undefined) {
			const same = this.pool.filter((t) => t.sender === checked.signer);
			if (same.some((t) => t.nonce === checked.nonce)) throw new NodeRpcError(1014, 'Priority is too low: (0 vs 0)', 'The transaction has too low priority to replace another transaction already in the pool.');
			// ready if every nonce between the account's and this one is already pooled
			const accountNonce = rt.account(checked.signer).nonce;
			future = false;
			for (let n = accountNonce; n < checked.nonce!; n++) if (!same.some((t) => t.nonce === n)) future = true;
		}
		const tx: PoolTx = { hash, hex, sender: checked.signer, nonce: checked.nonce, watchers: new Set(watcher ? [watcher] : []) };
		this.pool.push(tx);
		setImmediate(() => {
			for (const w of tx.watchers) w(future ? 'future' : 'ready');
			this.emit('submitted', tx);
		});
		return hash;
	}

	pendingExtrinsics(): Hex[] {
		return this.pool.map((t) => t.hex);
	}

	// ------------------------------------------------------------ block production

	timeTravel(date: number): number {
		this.nextTimestamp = BigInt(Math.floor(date));
		return Number(this.nextTimestamp);
	}

	/** Build `count` blocks (serialized with any other block production). */
	newBlocks(count = 1): Promise<Hex> {
		const run = this.building.then(async () => {
			let hash = this.best.hash;
			for (let i = 0; i < count; i++) {
				// Let the event loop run between blocks (block production no longer waits on a
				// worker): subscribers get each block's notifications, timers fire.
				if (i > 0) await new Promise((resolve) => setImmediate(resolve));
				hash = (await this.buildBlock()).hash;
			}
			return hash;
		});
		this.building = run.catch(() => undefined);
		return run;
	}

	/** Write raw storage into the best block's state (dev_setStorage): the next block builds on it. */
	setStorage(pairs: Array<[Hex, Hex | null]>): Promise<Hex> {
		const run = this.building.then(async () => {
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
		this.building = run.catch(() => undefined);
		return run;
	}

	private writeSystemInit(rt: Runtime, parent: BlockData): void {
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

	private encodeEvents(rt: Runtime): Hex {
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

	private async applySigned(rt: Runtime, index: number, bytes: Uint8Array, checked: Checked): Promise<void> {
		const { call, signer } = checked;
		rt.phase = { ApplyExtrinsic: index };
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
			const actual = paysFee === 'No' ? 0n : this.fee(checked.len, actualWeight);
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

	private async buildBlock(): Promise<BlockData> {
		const parent = this.best;
		const number = parent.number + 1;
		const timestamp = this.nextTimestamp;
		this.nextTimestamp += BigInt(BLOCK_TIME_MS);
		const rt = this.context(parent, number, timestamp);
		this.writeSystemInit(rt, parent);
		rt.phase = { Initialization: null };
		for (const hook of this.hooks.onInitialize) {
			try {
				await rt.transactional(async () => hook(rt));
			} catch (e) {
				rt.notes.push(`block ${number}: governance devnet (simulation) internal error in on_initialize: ${(e as Error)?.stack ?? String(e)}`);
			}
		}
		// Inherent: timestamp.set
		const extrinsics: Hex[] = [];
		const tsCall = this.tx('timestamp', 'set', timestamp);
		const tsExt = this.registry.createType('Extrinsic', { method: tsCall });
		extrinsics.push(tsExt.toHex() as Hex);
		rt.phase = { ApplyExtrinsic: 0 };
		const tsOutcome = await rt.dispatch(tsCall as unknown as GenericCall, { kind: 'none' });
		if (!tsOutcome.ok) throw new Error(`timestamp inherent failed: ${tsOutcome.error.message}`);
		rt.deposit('System', 'ExtrinsicSuccess', [{ weight: Runtime.callWeight(tsCall), class: 'Mandatory', paysFee: 'Yes' }]);

		// Transactions from the pool, in order, each sender's in nonce order.
		const included: PoolTx[] = [];
		const dropped: PoolTx[] = [];
		let progress = true;
		while (progress) {
			progress = false;
			for (const tx of this.pool) {
				if (included.includes(tx) || dropped.includes(tx)) continue;
				const bytes = hexToU8a(tx.hex);
				let checked: Checked;
				try {
					checked = await this.check(bytes, rt, 'pool');
				} catch {
					dropped.push(tx);
					continue;
				}
				if (checked.future) continue;
				try {
					await rt.transactional(() => this.applySigned(rt, extrinsics.length, bytes, checked));
				} catch (e) {
					rt.notes.push(`block ${number}: governance devnet (simulation) internal error applying ${tx.hash}: ${(e as Error)?.stack ?? String(e)}`);
					dropped.push(tx);
					continue;
				}
				extrinsics.push(tx.hex);
				included.push(tx);
				progress = true;
			}
		}
		for (const tx of [...included, ...dropped]) this.pool.splice(this.pool.indexOf(tx), 1);
		// Finalization
		rt.phase = { Finalization: null };
		const s = rt.store;
		const blockHashCount = (this.meta.constant('System', 'BlockHashCount') as any).toNumber();
		const toRemove = number - blockHashCount - 1;
		if (toRemove > 0) s.remove('System', 'BlockHash', [toRemove]);
		s.state.set(s.key('System', 'Events'), this.encodeEvents(rt));
		s.put('System', 'EventCount', [], rt.events.length);
		const logs = rt.digestLogs.map((l) => this.registry.createType('DigestItem', l).toHex() as Hex);
		s.put('System', 'Digest', [], { logs });
		const state = s.state.base;
		const code = state.get(CODE_KEY) as Hex;
		const runtime = rt.codeChanged ? await this.runtimeFor(code) : parent.runtime;
		for (const n of rt.notes) this.notes.push(n);
		const header = {
			parentHash: parent.hash,
			number: `0x${number.toString(16)}` as Hex,
			stateRoot: await this.stateRoot(state, s.state.written),
			extrinsicsRoot: await this.extrinsicsRoot(extrinsics),
			digest: { logs },
		};
		const hash = this.hashHeader(header);
		const block: BlockData = { number, hash, parentHash: parent.hash, header, extrinsics, state, runtime };
		this.keep(block);
		for (const tx of included) for (const w of tx.watchers) w({ inBlock: hash });
		// Every block is final at once; report it a moment later, as a node would after inBlock.
		if (included.length) reportFinalized(included, hash);
		for (const tx of dropped) for (const w of tx.watchers) w('invalid');
		this.emit('block', block, parent);
		if (runtime !== parent.runtime) this.emit('runtime', block);
		return block;
	}

	private decoratedTx: any;
	/** A call built from the metadata, e.g. tx('timestamp', 'set', now). */
	tx(section: string, method: string, ...args: unknown[]): GenericCall {
		this.decoratedTx ??= expandMetadata(this.registry, this.metadata).tx;
		return this.decoratedTx[section][method](...args) as GenericCall;
	}

	// ------------------------------------------------------------ runtime API answers

	/** state_call: answers for the runtime APIs the devnet serves. */
	async stateCall(method: string, data: Hex, at?: BlockData): Promise<Hex> {
		const b = at ?? this.best;
		const input = hexToU8a(data);
		switch (method) {
			case 'Core_version':
				return b.runtime.versionHex;
			case 'Metadata_metadata':
				return u8aToHex(compactAddLength(hexToU8a(b.runtime.metadataHex))) as Hex;
			case 'Metadata_metadata_versions':
				return this.registry.createType('Vec<u32>', [14]).toHex() as Hex;
			case 'Metadata_metadata_at_version': {
				const v = this.registry.createType('u32', input).toNumber();
				if (v !== 14) return '0x00';
				return u8aToHex(u8aConcat(Uint8Array.from([1]), compactAddLength(hexToU8a(b.runtime.metadataHex)))) as Hex;
			}
			case 'AccountNonceApi_account_nonce': {
				const who = this.registry.createType('AccountId', input.subarray(0, 32)).toString();
				const rt = this.readContext(b);
				return u8aToHex(this.registry.createType('u32', rt.account(who).nonce).toU8a()) as Hex;
			}
			case 'TransactionPaymentApi_query_info':
			case 'TransactionPaymentApi_query_fee_details': {
				const [offset, l] = compactFromU8a(input);
				const extBytes = input.subarray(0, offset + l.toNumber());
				const len = this.registry.createType('u32', input.subarray(offset + l.toNumber())).toNumber();
				const ext = this.decode(extBytes);
				const call = ext.method as unknown as GenericCall;
				const weight = Runtime.callWeight(call);
				const cls = Runtime.dispatchClass(call);
				if (method === 'TransactionPaymentApi_query_info') {
					const partialFee = ext.isSigned ? this.fee(len, weight) : 0n;
					return this.registry.createType('RuntimeDispatchInfoV2', { weight, class: cls, partialFee }).toHex() as Hex;
				}
				const inclusion = ext.isSigned
					? { baseFee: this.meta.baseExtrinsicRefTime, lenFee: BigInt(len) * 10n * 1_000_000_000n, adjustedWeightFee: weight.refTime }
					: null;
				return this.registry.createType('FeeDetails', { inclusionFee: inclusion, tip: 0 }).toHex() as Hex;
			}
			default:
				throw new NodeRpcError(
					-32000,
					'Client error: Execution failed: Other: Exported method ' + method + ' is not found',
					`The governance devnet (simulation) does not serve ${method}`,
				);
		}
	}

	nextIndex(who: string): number {
		const rt = this.readContext();
		let n = rt.account(who).nonce;
		while (this.pool.some((t) => t.sender === who && t.nonce === n)) n++;
		return n;
	}

}
