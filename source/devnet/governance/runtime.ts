/**
 * The simulated runtime: dispatch of decoded calls to TypeScript pallet
 * implementations, events and errors built from the metadata, origins, weights,
 * fees and the Balances primitives other pallets build on.
 */
import type { TypeRegistry, u128 } from '@polkadot/types';
import type { GenericCall } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { GovernancePeriods } from './metadata.js';
import { CODE_KEY, type Hex, type Overlay, type TypedStore } from './storage.js';

// ---------------------------------------------------------------- origins

export type Origin =
	| { kind: 'root' }
	| { kind: 'none' }
	| { kind: 'signed'; who: string; filter?: CallFilter }
	| { kind: 'members'; collective: Collective; yes: number; total: number }
	| { kind: 'member'; collective: Collective; who: string }
	| { kind: 'unsupported'; description: string };

export type Collective = 'Council' | 'TechnicalCommittee';

/**
 * A call filter an origin carries (OriginTrait::add_filter, as pallet_proxy
 * adds its proxy type's InstanceFilter): `dispatch` refuses a call it rejects
 * with frame_system's `CallFiltered`. Root bypasses filters, and an origin made
 * afresh (`RawOrigin::….into()`) has none.
 */
export type CallFilter = (call: GenericCall) => boolean;

export const ROOT: Origin = { kind: 'root' };

export function originToCaller(o: Origin): unknown {
	switch (o.kind) {
		case 'root':
			return { system: { Root: null } };
		case 'none':
			return { system: { None: null } };
		case 'signed':
			return { system: { Signed: o.who } };
		case 'members':
			return { [o.collective]: { Members: [o.yes, o.total] } };
		case 'member':
			return { [o.collective]: { Member: o.who } };
		default:
			throw new Error(`origin ${o.description} cannot be encoded`);
	}
}

export function callerToOrigin(caller: any): Origin {
	const variant: string = caller.type;
	const raw = caller.value as any;
	if (variant === 'System' || variant === 'system') {
		if (raw.isRoot) return ROOT;
		if (raw.isSigned) return { kind: 'signed', who: raw.asSigned.toString() };
		return { kind: 'none' };
	}
	if (variant === 'Council' || variant === 'TechnicalCommittee') {
		if (raw.isMembers)
			return { kind: 'members', collective: variant, yes: raw.asMembers[0].toNumber(), total: raw.asMembers[1].toNumber() };
		if (raw.isMember) return { kind: 'member', collective: variant, who: raw.asMember.toString() };
	}
	return { kind: 'unsupported', description: `${variant}(${raw?.toString?.() ?? ''})` };
}

// ---------------------------------------------------------------- errors

/** A dispatch error: `value` is a createType-compatible SpRuntimeDispatchError. */
export class DispatchErr extends Error {
	constructor(
		readonly value: unknown,
		message: string,
	) {
		super(message);
	}
}

export interface Weight {
	refTime: bigint;
	proofSize: bigint;
}

export interface PostInfo {
	actualWeight?: Weight;
	paysFee?: 'Yes' | 'No';
}

export type DispatchOutcome = { ok: true; post: PostInfo } | { ok: false; error: DispatchErr };

export type Handler = (rt: Runtime, origin: Origin, args: any[], call: GenericCall) => Promise<PostInfo | void> | PostInfo | void;

// ---------------------------------------------------------------- constants

export const DOLLARS = 100_000_000_000_000n;
export const CENTS = DOLLARS / 100n;
export const MILLICENTS = CENTS / 1000n;
/** The kitchensink's TransactionByteFee: 10 millicents. */
export const TRANSACTION_BYTE_FEE = 10n * MILLICENTS;
export const NEW_LOGIC_FLAG = 1n << 127n;

/** The kitchensink's `deposit(items, bytes)`. */
export function kitchensinkDeposit(items: bigint, bytes: bigint): bigint {
	return items * 15n * CENTS + bytes * 6n * CENTS;
}

export interface AccountData {
	free: bigint;
	reserved: bigint;
	frozen: bigint;
	flags: bigint;
}

export interface AccountInfo {
	nonce: number;
	consumers: number;
	providers: number;
	sufficients: number;
	data: AccountData;
}

interface EventMeta {
	palletIndex: number;
	index: number;
	fields: string[];
}

/** Metadata-derived lookups shared by every block. */
export class RuntimeMeta {
	readonly events = new Map<string, EventMeta>();
	readonly errors = new Map<string, { palletIndex: number; index: number }>();
	readonly constants = new Map<string, Codec>();
	readonly dispatchErrorType: string;
	readonly dispatchResultType: string;
	readonly dispatchInfoType: string;
	readonly eventRecordType = 'FrameSystemEventRecord';
	readonly originCallerType: string;
	readonly baseExtrinsicRefTime: bigint;
	readonly maxBlock: Weight;

	constructor(
		readonly registry: TypeRegistry,
		metadataV14: any,
	) {
		for (const pallet of metadataV14.pallets) {
			const pname = pallet.name.toString();
			const pindex = pallet.index.toNumber();
			if (pallet.events.isSome) {
				const def = registry.lookup.getSiType(pallet.events.unwrap().type).def.asVariant;
				for (const v of def.variants) {
					this.events.set(`${pname}.${v.name.toString()}`, {
						palletIndex: pindex,
						index: v.index.toNumber(),
						fields: v.fields.map((f: any) => registry.createLookupType(f.type)),
					});
				}
			}
			if (pallet.errors.isSome) {
				const def = registry.lookup.getSiType(pallet.errors.unwrap().type).def.asVariant;
				for (const v of def.variants)
					this.errors.set(`${pname}.${v.name.toString()}`, { palletIndex: pindex, index: v.index.toNumber() });
			}
			for (const c of pallet.constants) {
				this.constants.set(
					`${pname}.${c.name.toString()}`,
					registry.createType(registry.createLookupType(c.type), c.value.toU8a(true)),
				);
			}
		}
		const sys = this.events.get('System.ExtrinsicFailed')!;
		this.dispatchErrorType = sys.fields[0]!;
		this.dispatchInfoType = sys.fields[1]!;
		this.dispatchResultType = this.events.get('Scheduler.Dispatched')!.fields[2]!;
		this.originCallerType = 'KitchensinkRuntimeOriginCaller';
		const bw = this.constants.get('System.BlockWeights') as any;
		this.baseExtrinsicRefTime = bw.perClass.normal.baseExtrinsic.refTime.toBigInt();
		this.maxBlock = { refTime: bw.maxBlock.refTime.toBigInt(), proofSize: bw.maxBlock.proofSize.toBigInt() };
	}

	constant<T extends Codec = Codec>(pallet: string, name: string): T {
		const c = this.constants.get(`${pallet}.${name}`);
		if (!c) throw new Error(`no constant ${pallet}.${name}`);
		return c as unknown as T;
	}
}

export interface EventRecord {
	phase: { ApplyExtrinsic: number } | { Finalization: null } | { Initialization: null };
	bytes: Uint8Array;
}

/** What a pallet offers the others through the runtime (FRAME's QueryPreimage/StorePreimage and ScheduleNamed traits). */
export interface PreimageProvider {
	request(rt: Runtime, hash: Hex): void;
	/** Defensive, as in FRAME: a missing request is ignored. */
	unrequest(rt: Runtime, hash: Hex): void;
	note(rt: Runtime, bytes: Uint8Array, depositor: string | undefined): { requested: boolean; hash: Hex };
}

export interface SchedulerProvider {
	scheduleNamed(rt: Runtime, id: Hex, when: number, origin: Origin, call: unknown, priority: number): void;
}

export interface RuntimeServices {
	preimage: PreimageProvider;
	scheduler: SchedulerProvider;
}

/** The services of a runtime without the Preimage and Scheduler pallets. */
export const NO_SERVICES: RuntimeServices = {
	preimage: {
		request: () => {},
		unrequest: () => {},
		note: () => {
			throw new Error('preimage pallet not installed');
		},
	},
	scheduler: {
		scheduleNamed: () => {
			throw new Error('scheduler not installed');
		},
	},
};

/** What one FRAME pallet contributes to the devnet runtime (see ./pallets/index.ts). */
export interface Pallet {
	/** Its name in construct_runtime (the metadata's pallet name). */
	name: string;
	/** Call handlers by `section.method`. */
	calls?: Record<string, Handler>;
	/** Hooks::on_initialize. */
	onInitialize?: (rt: Runtime) => Promise<void> | void;
	/** Services other pallets reach through the runtime. */
	services?: Partial<RuntimeServices>;
}

/** Everything a block's runtime context is built from. */
export interface RuntimeEnv {
	meta: RuntimeMeta;
	store: TypedStore;
	/** The call handlers of the installed pallets, by `section.method`. */
	calls: ReadonlyMap<string, Handler>;
	services: RuntimeServices;
	number: number;
	timestamp: bigint;
	periods: GovernancePeriods;
	/** The runtime version the code answers (undefined: it does not answer). */
	runtimeVersionOf: (code: Hex) => Promise<{ specName: string; specVersion: number } | undefined>;
	/** Why the devnet could not keep simulating after switching to `code` (undefined: it can). */
	canRun: (code: Hex) => Promise<string | undefined>;
	/** The version of the code executing this block. */
	currentVersion: { specName: string; specVersion: number };
}

/**
 * The execution context of one block: state, events, digest and the methods
 * pallets use to dispatch, deposit events and logs, write storage, reach the
 * other pallets' services and fail with metadata errors. Pallets change the
 * block only through these methods.
 */
export class Runtime {
	private readonly eventRecords: EventRecord[] = [];
	private currentPhase: EventRecord['phase'] = { Initialization: null };
	private readonly logs: unknown[] = [];
	private readonly messages: string[] = [];
	private codeWritten = false;
	readonly meta: RuntimeMeta;
	readonly store: TypedStore;
	readonly number: number;
	readonly timestamp: bigint;
	readonly periods: GovernancePeriods;
	readonly runtimeVersionOf: RuntimeEnv['runtimeVersionOf'];
	readonly canRun: RuntimeEnv['canRun'];
	readonly currentVersion: RuntimeEnv['currentVersion'];
	private readonly calls: ReadonlyMap<string, Handler>;
	private readonly services: RuntimeServices;

	constructor(env: RuntimeEnv) {
		this.meta = env.meta;
		this.store = env.store;
		this.calls = env.calls;
		this.services = env.services;
		this.number = env.number;
		this.timestamp = env.timestamp;
		this.periods = env.periods;
		this.runtimeVersionOf = env.runtimeVersionOf;
		this.canRun = env.canRun;
		this.currentVersion = env.currentVersion;
	}

	/** The events deposited so far, in order. */
	get events(): readonly EventRecord[] {
		return this.eventRecords;
	}

	get phase(): EventRecord['phase'] {
		return this.currentPhase;
	}

	/** Set by the block builder: the phase of the events deposited next. */
	enterPhase(phase: EventRecord['phase']): void {
		this.currentPhase = phase;
	}

	/** The digest items deposited so far. */
	get digestLogs(): readonly unknown[] {
		return this.logs;
	}

	/** Messages about calls that are not modelled and internal errors (surfaced via devnet_unmodelledCalls). */
	get notes(): readonly string[] {
		return this.messages;
	}

	/** Whether :code changed in this block. */
	get codeChanged(): boolean {
		return this.codeWritten;
	}

	/** Record a message for devnet_unmodelledCalls, prefixed with the block number. */
	note(message: string): void {
		this.messages.push(`block ${this.number}: ${message}`);
	}

	/** frame_system::Pallet::deposit_log. */
	depositLog(item: unknown): void {
		this.logs.push(item);
	}

	/** Write `:code` (frame_system's update_code_in_storage, without its event and digest). */
	writeCode(code: Hex): void {
		this.state.set(CODE_KEY, code);
		this.codeWritten = true;
	}

	/** Raw storage access (unhashed keys), as sp_io::storage. */
	getRaw(key: Hex): string | undefined {
		return this.state.get(key);
	}

	setRaw(key: Hex, value: Hex | null): void {
		this.state.set(key, value);
	}

	get registry(): TypeRegistry {
		return this.meta.registry;
	}

	get state(): Overlay {
		return this.store.state;
	}

	// ------------------------------------------------------------ events & errors

	deposit(pallet: string, name: string, args: unknown[]): void {
		const m = this.meta.events.get(`${pallet}.${name}`);
		if (!m) throw new Error(`no event ${pallet}.${name}`);
		if (m.fields.length !== args.length) throw new Error(`event ${pallet}.${name} takes ${m.fields.length} fields`);
		const bytes = u8aConcat(
			Uint8Array.from([m.palletIndex, m.index]),
			...m.fields.map((t, i) => this.registry.createType(t, args[i]).toU8a()),
		);
		this.eventRecords.push({ phase: this.currentPhase, bytes });
	}

	error(pallet: string, name: string): DispatchErr {
		const e = this.meta.errors.get(`${pallet}.${name}`);
		if (!e) throw new Error(`no error ${pallet}.${name}`);
		const idx = `0x${e.index.toString(16).padStart(2, '0')}000000`;
		return new DispatchErr({ Module: { index: e.palletIndex, error: idx } }, `${pallet}.${name}`);
	}

	encodeDispatchResult(outcome: DispatchOutcome | DispatchErr | undefined): unknown {
		if (outcome === undefined) return { Ok: null };
		if (outcome instanceof DispatchErr) return { Err: outcome.value };
		return outcome.ok ? { Ok: null } : { Err: outcome.error.value };
	}

	// ------------------------------------------------------------ transactional dispatch

	/** Run `fn` in a storage layer: state and events roll back if it throws. */
	async transactional<T>(fn: () => Promise<T>): Promise<T> {
		const eventCount = this.eventRecords.length;
		const logCount = this.logs.length;
		const codeChanged = this.codeWritten;
		this.state.begin();
		try {
			const r = await fn();
			this.state.commit();
			return r;
		} catch (e) {
			this.state.rollback();
			this.eventRecords.length = eventCount;
			this.logs.length = logCount;
			this.codeWritten = codeChanged;
			throw e;
		}
	}

	decodeCall(bytes: Uint8Array | Hex): GenericCall {
		return this.registry.createType('Call', bytes) as unknown as GenericCall;
	}

	/** Dispatch a call as FRAME does: transactional, errors as values. */
	async dispatch(call: GenericCall, origin: Origin): Promise<DispatchOutcome> {
		try {
			// RuntimeCall::dispatch: the origin's filter first (Root bypasses it).
			if (origin.kind === 'signed' && origin.filter && !origin.filter(call))
				return { ok: false, error: this.error('System', 'CallFiltered') };
			const post = await this.transactional(async () => {
				const key = `${call.section}.${call.method}`;
				const handler = this.calls.get(key);
				if (!handler) {
					const msg = `call ${key} is not modelled by the governance devnet (simulation)`;
					this.note(msg);
					throw new DispatchErr({ Other: null }, msg);
				}
				return (await handler(this, origin, [...call.args], call)) ?? {};
			});
			return { ok: true, post };
		} catch (e) {
			if (e instanceof DispatchErr) return { ok: false, error: e };
			// A defect in the simulation must not take the chain down: fail the call, loudly.
			const msg = `governance devnet (simulation) internal error in ${call.section}.${call.method}: ${(e as Error)?.stack ?? String(e)}`;
			this.note(msg);
			return { ok: false, error: new DispatchErr({ Other: null }, msg) };
		}
	}

	// ------------------------------------------------------------ origins

	ensureRoot(o: Origin): void {
		if (o.kind !== 'root') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
	}

	ensureSigned(o: Origin): string {
		if (o.kind !== 'signed') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
		return o.who;
	}

	/** pallet_collective::EnsureProportionAtLeast<N, D>. */
	ensureProportionAtLeast(o: Origin, collective: Collective, n: number, d: number): void {
		if (o.kind === 'members' && o.collective === collective && o.yes * d >= n * o.total) return;
		throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
	}

	isProportionAtLeast(o: Origin, collective: Collective, n: number, d: number): boolean {
		return o.kind === 'members' && o.collective === collective && o.yes * d >= n * o.total;
	}

	// ------------------------------------------------------------ weights & fees

	/**
	 * Deterministic call weight (the devnet has no benchmarks): 100_000_000 ref
	 * time plus 1_000 per encoded byte; proof size 3_500 plus the encoded length.
	 */
	static callWeight(call: { encodedLength: number }): Weight {
		const len = BigInt(call.encodedLength);
		return { refTime: 100_000_000n + 1_000n * len, proofSize: 3_500n + len };
	}

	static dispatchClass(call: GenericCall): 'Normal' | 'Operational' | 'Mandatory' {
		const key = `${call.section}.${call.method}`;
		if (key === 'timestamp.set') return 'Mandatory';
		if (/^system\.(setCode|setCodeWithoutChecks|applyAuthorizedUpgrade|authorizeUpgrade|authorizeUpgradeWithoutChecks)$/.test(key))
			return 'Operational';
		if (/^(council|technicalCommittee)\.(propose|vote|close|execute)$/.test(key)) return 'Operational';
		// pallet_proxy weighs proxy and proxy_announced with the inner call's class.
		if (key === 'proxy.proxy' || key === 'proxy.proxyAnnounced')
			return Runtime.dispatchClass(call.args[call.args.length - 1] as GenericCall);
		return 'Normal';
	}

	// ------------------------------------------------------------ hashing

	static hashOf(bytes: Uint8Array | Hex): Hex {
		return blake2AsHex(bytes, 256) as Hex;
	}

	// ------------------------------------------------------------ accounts & balances

	account(who: string): AccountInfo {
		const a = this.store.get('System', 'Account', [who]) as any;
		return {
			nonce: a.nonce.toNumber(),
			consumers: a.consumers.toNumber(),
			providers: a.providers.toNumber(),
			sufficients: a.sufficients.toNumber(),
			data: {
				free: a.data.free.toBigInt(),
				reserved: a.data.reserved.toBigInt(),
				frozen: a.data.frozen.toBigInt(),
				flags: a.data.flags.toBigInt(),
			},
		};
	}

	putAccount(who: string, info: AccountInfo): void {
		if (info.providers === 0 && info.consumers === 0 && info.sufficients === 0) {
			this.store.remove('System', 'Account', [who]);
			return;
		}
		this.store.put('System', 'Account', [who], info);
	}

	get existentialDeposit(): bigint {
		return this.meta.constant<u128>('Balances', 'ExistentialDeposit').toBigInt();
	}

	totalIssuance(): bigint {
		return this.store.get<u128>('Balances', 'TotalIssuance')!.toBigInt();
	}

	setTotalIssuance(v: bigint): void {
		this.store.put('Balances', 'TotalIssuance', [], v);
	}

	/**
	 * Mutate an account's balance data, applying pallet_balances' account
	 * lifecycle: provider ref and NewAccount/Endowed when it reaches the ED,
	 * a consumer ref while anything is reserved or frozen, DustLost and
	 * KilledAccount when it falls below the ED.
	 */
	mutateBalance(who: string, fn: (d: AccountData) => void, opts: { allowDeath?: boolean } = {}): void {
		const info = this.account(who);
		const before = { ...info.data };
		const existed = info.providers > 0;
		fn(info.data);
		const ed = this.existentialDeposit;
		const total = info.data.free + info.data.reserved;
		const didConsume = existed && (before.reserved > 0n || before.frozen > 0n);
		const doesConsume = info.data.reserved > 0n || info.data.frozen > 0n;
		if (!existed) {
			if (total < ed) {
				if (total > 0n) throw new DispatchErr({ Token: 'BelowMinimum' }, 'Token.BelowMinimum');
				return;
			}
			info.providers = 1;
			info.data.flags = info.data.flags | NEW_LOGIC_FLAG;
			this.deposit('System', 'NewAccount', [who]);
			this.deposit('Balances', 'Endowed', [who, info.data.free]);
		}
		if (!didConsume && doesConsume) info.consumers += 1;
		else if (didConsume && !doesConsume) info.consumers = Math.max(0, info.consumers - 1);
		if (existed && total < ed) {
			if (!opts.allowDeath || info.consumers > 0) throw new DispatchErr({ Token: 'NotExpendable' }, 'Token.NotExpendable');
			if (total > 0n) {
				this.deposit('Balances', 'DustLost', [who, total]);
				this.setTotalIssuance(this.totalIssuance() - total);
			}
			info.providers = 0;
			info.data = { free: 0n, reserved: 0n, frozen: 0n, flags: 0n };
			this.putAccount(who, { ...info, consumers: 0, sufficients: 0 });
			this.deposit('System', 'KilledAccount', [who]);
			return;
		}
		this.putAccount(who, info);
	}

	/** Balance that can leave the account (fungible::Inspect::reducible_balance). */
	reducible(who: string, keepAlive: boolean): bigint {
		const { data } = this.account(who);
		const frozenPart = data.frozen > data.reserved ? data.frozen - data.reserved : 0n;
		const untouchable = keepAlive ? (frozenPart > this.existentialDeposit ? frozenPart : this.existentialDeposit) : frozenPart;
		return data.free > untouchable ? data.free - untouchable : 0n;
	}

	transfer(from: string, to: string, amount: bigint, keepAlive: boolean): void {
		const src = this.account(from);
		if (amount > src.data.free) throw new DispatchErr({ Token: 'FundsUnavailable' }, 'Token.FundsUnavailable');
		if (amount > this.reducible(from, false)) throw new DispatchErr({ Token: 'Frozen' }, 'Token.Frozen');
		if (keepAlive && amount > this.reducible(from, true)) throw new DispatchErr({ Token: 'NotExpendable' }, 'Token.NotExpendable');
		if (from === to || amount === 0n) {
			this.deposit('Balances', 'Transfer', [from, to, amount]);
			return;
		}
		const dest = this.account(to);
		if (dest.providers === 0 && amount < this.existentialDeposit)
			throw new DispatchErr({ Token: 'BelowMinimum' }, 'Token.BelowMinimum');
		this.mutateBalance(from, (d) => void (d.free -= amount), { allowDeath: !keepAlive });
		this.mutateBalance(to, (d) => void (d.free += amount));
		this.deposit('Balances', 'Transfer', [from, to, amount]);
	}

	/** Currency::reserve (unnamed reserve), as Referenda, Multisig and Democracy use it. */
	reserve(who: string, amount: bigint): void {
		if (amount === 0n) return;
		const { data } = this.account(who);
		if (data.free < amount) throw this.error('Balances', 'InsufficientBalance');
		if (data.free - amount < data.frozen) throw this.error('Balances', 'LiquidityRestrictions');
		this.mutateBalance(who, (d) => {
			d.free -= amount;
			d.reserved += amount;
		});
		this.deposit('Balances', 'Reserved', [who, amount]);
	}

	unreserve(who: string, amount: bigint): bigint {
		if (amount === 0n) return 0n;
		const { data } = this.account(who);
		const actual = amount < data.reserved ? amount : data.reserved;
		this.mutateBalance(who, (d) => {
			d.reserved -= actual;
			d.free += actual;
		});
		this.deposit('Balances', 'Unreserved', [who, actual]);
		return amount - actual;
	}

	/** fungible::MutateHold::hold (no event in this metadata's Balances). */
	hold(reason: unknown, who: string, amount: bigint): void {
		if (amount === 0n) return;
		const { data } = this.account(who);
		if (data.free < amount || data.free - amount < this.existentialDeposit)
			throw new DispatchErr({ Token: 'FundsUnavailable' }, 'Token.FundsUnavailable');
		const holds = (this.store.get('Balances', 'Holds', [who]) as any).toJSON() as Array<{ id: any; amount: any }>;
		const key = JSON.stringify(reason);
		const existing = holds.find((h) => JSON.stringify(h.id).toLowerCase() === key.toLowerCase());
		if (existing) existing.amount = (BigInt(existing.amount) + amount).toString();
		else holds.push({ id: reason, amount: amount.toString() });
		this.store.put('Balances', 'Holds', [who], holds);
		this.mutateBalance(who, (d) => {
			d.free -= amount;
			d.reserved += amount;
		});
	}

	release(reason: unknown, who: string, amount: bigint): void {
		if (amount === 0n) return;
		const holds = (this.store.get('Balances', 'Holds', [who]) as any).toJSON() as Array<{ id: any; amount: any }>;
		const key = JSON.stringify(reason).toLowerCase();
		const i = holds.findIndex((h) => JSON.stringify(h.id).toLowerCase() === key);
		if (i < 0) return;
		const held = BigInt(holds[i]!.amount);
		const actual = amount < held ? amount : held;
		if (held - actual === 0n) holds.splice(i, 1);
		else holds[i]!.amount = (held - actual).toString();
		if (holds.length) this.store.put('Balances', 'Holds', [who], holds);
		else this.store.remove('Balances', 'Holds', [who]);
		this.mutateBalance(who, (d) => {
			d.reserved -= actual;
			d.free += actual;
		});
	}

	/** LockableCurrency::set_lock (amount 0 removes), updating `frozen` and emitting Locked/Unlocked. */
	setLock(id: string, who: string, amount: bigint): void {
		const idHex = u8aToHex(new TextEncoder().encode(id.padEnd(8, '\0').slice(0, 8)));
		const locks = (
			(this.store.get('Balances', 'Locks', [who]) as any).toJSON() as Array<{ id: string; amount: any; reasons: any }>
		).filter((l) => l.id !== idHex);
		if (amount > 0n) locks.push({ id: idHex, amount: amount.toString(), reasons: 'All' });
		if (locks.length) this.store.put('Balances', 'Locks', [who], locks);
		else this.store.remove('Balances', 'Locks', [who]);
		const before = this.account(who).data.frozen;
		const after = locks.reduce((m, l) => (BigInt(l.amount) > m ? BigInt(l.amount) : m), 0n);
		this.mutateBalance(who, (d) => void (d.frozen = after));
		if (after > before) this.deposit('Balances', 'Locked', [who, after - before]);
		else if (before > after) this.deposit('Balances', 'Unlocked', [who, before - after]);
	}

	lockAmount(id: string, who: string): bigint {
		const idHex = u8aToHex(new TextEncoder().encode(id.padEnd(8, '\0').slice(0, 8)));
		const locks = (this.store.get('Balances', 'Locks', [who]) as any).toJSON() as Array<{ id: string; amount: any }>;
		const l = locks.find((x) => x.id === idHex);
		return l ? BigInt(l.amount) : 0n;
	}

	// ------------------------------------------------------------ preimages (frame_support::traits::QueryPreimage / StorePreimage)

	/** Resolve a Bounded call to its encoded bytes, or undefined if unavailable. */
	peekBounded(bounded: any): Uint8Array | undefined {
		if (bounded.isInline) return bounded.asInline.toU8a(true);
		let hash: Hex;
		let len: number | undefined;
		if (bounded.isLookup) {
			hash = bounded.asLookup.hash_.toHex();
			len = bounded.asLookup.len.toNumber();
		} else {
			hash = bounded.asLegacy.hash_.toHex();
			len = this.preimageLen(hash);
		}
		if (len === undefined) return undefined;
		const raw = this.store.get('Preimage', 'PreimageFor', [[hash, len]]) as any;
		return raw ? raw.toU8a(true) : undefined;
	}

	preimageLen(hash: Hex): number | undefined {
		const st = this.store.get('Preimage', 'RequestStatusFor', [hash]) as any;
		if (st) {
			if (st.isUnrequested) return st.asUnrequested.len.toNumber();
			const l = st.asRequested.maybeLen;
			return l.isSome ? l.unwrap().toNumber() : undefined;
		}
		const old = this.store.get('Preimage', 'StatusFor', [hash]) as any;
		if (old) {
			if (old.isUnrequested) return old.asUnrequested.len.toNumber();
			const l = old.asRequested.len;
			return l.isSome ? l.unwrap().toNumber() : undefined;
		}
		return undefined;
	}

	static boundedLookupHash(bounded: any): Hex | undefined {
		if (bounded.isLookup) return bounded.asLookup.hash_.toHex();
		if (bounded.isLegacy) return bounded.asLegacy.hash_.toHex();
		return undefined;
	}

	static boundedHash(bounded: any): Hex {
		if (bounded.isInline) return Runtime.hashOf(bounded.asInline.toU8a(true));
		return Runtime.boundedLookupHash(bounded)!;
	}

	/** StorePreimage::bound: inline up to 128 bytes, otherwise note (system-requested) and look up. */
	bound(callBytes: Uint8Array): unknown {
		if (callBytes.length <= 128) return { Inline: u8aToHex(callBytes) };
		const hash = Runtime.hashOf(callBytes);
		this.services.preimage.note(this, callBytes, undefined);
		return { Lookup: { hash, len: callBytes.length } };
	}

	// ------------------------------------------------------------ other pallets' services

	/** QueryPreimage::request (Preimage pallet). */
	requestPreimage(hash: Hex): void {
		this.services.preimage.request(this, hash);
	}

	/** QueryPreimage::unrequest (Preimage pallet); a missing request is ignored. */
	unrequestPreimage(hash: Hex): void {
		this.services.preimage.unrequest(this, hash);
	}

	/** ScheduleNamed::schedule_named (Scheduler pallet). */
	scheduleNamed(id: Hex, when: number, origin: Origin, call: unknown, priority: number): void {
		this.services.scheduler.scheduleNamed(this, id, when, origin, call, priority);
	}
}
