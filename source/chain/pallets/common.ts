/**
 * What every pallet module shares: the one loosely-typed door into
 * @polkadot/api's storage, call and constant namespaces (this project never
 * loads @polkadot/api-augment: runtimes differ, so pallets are looked up by
 * name), the codec shapes the readers touch, call plans, and FRAME's
 * `Bounded` call reference.
 *
 * Pure apart from `callWeight`: nothing here reads storage.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic, SubmittableExtrinsicFunction } from '@polkadot/api/types';
import type { Codec } from '@polkadot/types/types';
import { compactAddLength, u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import type { Hex } from '../../domain/types.js';

export type Tx = SubmittableExtrinsic<'promise'>;
export type TxFn = SubmittableExtrinsicFunction<'promise'>;

// --- codec shapes ----------------------------------------------------------------------
// Structural: the readers depend on the fields they read, not on generated type names.

export interface NumberCodec {
	toNumber(): number;
}
export interface BalanceCodec {
	toBigInt(): bigint;
	toString(): string;
}
export interface BoolCodec {
	isTrue: boolean;
}
export interface AccountCodec {
	toString(): string;
}
export interface HashCodec {
	toHex(): string;
	toU8a(bare?: boolean): Uint8Array;
}
export interface OptionCodec<T> {
	isSome: boolean;
	isNone: boolean;
	unwrap(): T;
}
/** A storage map: called with its keys, or listed. */
export interface StorageMap<Keys extends unknown[], Value> {
	(...keys: Keys): Promise<Value>;
	entries(): Promise<Array<[{ args: NumberCodec[] }, Value]>>;
}

// --- the loosely-typed door ----------------------------------------------------------------

function pallet<T>(namespace: unknown, name: string): T | undefined {
	return (namespace as Record<string, T | undefined>)[name];
}

/** A pallet's storage, typed by the shape its module reads (undefined when the runtime has no such pallet). */
export function palletQuery<T>(api: { query: unknown }, name: string): T | undefined {
	return pallet<T>(api.query, name);
}

/** A pallet's calls, by name (undefined when the runtime has no such pallet). */
export function palletTx(api: { tx: unknown }, name: string): Partial<Record<string, TxFn>> | undefined {
	return pallet<Partial<Record<string, TxFn>>>(api.tx, name);
}

/** One call of a pallet, by name; a clear error when the runtime has no such call. */
export function palletCall(api: { tx: unknown }, name: string, method: string): TxFn {
	const fn = palletTx(api, name)?.[method];
	if (!fn) throw new Error(`this chain has no ${name}.${method} call`);
	return fn;
}

/** A pallet's constants, typed by the shape its module reads. */
export function palletConsts<T>(api: { consts: unknown }, name: string): T | undefined {
	return pallet<T>(api.consts, name);
}

// --- call plans ------------------------------------------------------------------------------

export interface CallPlan {
	tx: Tx;
	/** e.g. "system.authorizeUpgrade" */
	label: string;
	/** blake2-256 of the encoded call: the preimage hash / call hash. */
	hash: Hex;
	/** Encoded length of the call in bytes: the preimage length. */
	len: number;
	hex: Hex;
}

export function planOf(tx: Tx, label?: string): CallPlan {
	const u8a = tx.method.toU8a();
	let hex: Hex | undefined;
	return {
		tx,
		label: label ?? `${tx.method.section}.${tx.method.method}`,
		hash: blake2AsHex(u8a, 256) as Hex,
		len: u8a.length,
		// Read only where the call's bytes are needed as text (a preimage to note): for a call with the code in it
		// that is 2 MB of string, so it is made on first read.
		get hex(): Hex {
			return (hex ??= u8aToHex(u8a) as Hex);
		},
	};
}

/**
 * The runtime code as a `Bytes` argument (setCode, applyAuthorizedUpgrade, enactAuthorizedUpgrade), without the
 * 2 MB hex string the API would otherwise parse back: a Uint8Array given to `Bytes` is read as SCALE (with its
 * compact length in front), so the length is added and the codec takes the bytes as they are.
 */
export function codeArg(api: ApiPromise, code: Uint8Array): Codec {
	return api.registry.createType('Bytes', compactAddLength(code));
}

/** The dispatch weight of a call, as the chain estimates it (for multisig max_weight and close bounds). */
export async function callWeight(_api: ApiPromise, tx: Tx, from: string): Promise<unknown> {
	return (await tx.paymentInfo(from)).weight;
}

// --- Bounded calls (frame_support::traits::preimages::Bounded) ------------------------------------

interface StructWithHash {
	/** @polkadot/types renames a struct's `hash` field `hash_` (Codec already has `.hash`). */
	hash_?: HashCodec;
	hash?: HashCodec;
}

/** A `Bounded<Call>` codec: Legacy { hash }, Inline(bytes) or Lookup { hash, len }. */
export interface BoundedLike {
	defKeys?: string[];
	isLookup?: boolean;
	isLegacy?: boolean;
	isInline?: boolean;
	asLookup?: StructWithHash & { len: NumberCodec };
	asLegacy?: StructWithHash;
	asInline?: { toU8a(bare?: boolean): Uint8Array };
}

/** A Bounded call reference, read. */
export interface BoundedParts {
	via: 'Lookup' | 'Legacy' | 'Inline';
	/** Call hash (for Inline: blake2-256 of the inline bytes). */
	hash: Hex;
	len?: number;
	inline?: Uint8Array;
}

export function isBounded(value: unknown): value is BoundedLike {
	const keys = (value as BoundedLike | undefined)?.defKeys;
	return Array.isArray(keys) && keys.includes('Lookup') && keys.includes('Inline');
}

function structHash(s: StructWithHash | undefined): Hex {
	const field = (s?.hash_ ?? s?.hash) as HashCodec;
	return u8aToHex(field.toU8a(true)) as Hex;
}

function isPlainHash(value: unknown): value is HashCodec {
	const v = value as Partial<HashCodec> | undefined;
	return typeof v?.toHex === 'function' && typeof v.toU8a === 'function' && v.toU8a().length === 32;
}

/**
 * The parts of a Bounded call. A bare 32-byte hash (pallets from before
 * `Bounded`, e.g. democracy's `proposal_hash`) reads as Legacy: the call
 * is held by its hash alone.
 */
export function boundedParts(value: BoundedLike | HashCodec): BoundedParts {
	const b = value as BoundedLike;
	if (b.isInline) {
		const bytes = b.asInline!.toU8a(true);
		return { via: 'Inline', hash: blake2AsHex(bytes, 256) as Hex, len: bytes.length, inline: bytes };
	}
	if (b.isLookup) return { via: 'Lookup', hash: structHash(b.asLookup), len: b.asLookup!.len.toNumber() };
	if (!b.isLegacy && isPlainHash(value)) return { via: 'Legacy', hash: u8aToHex(value.toU8a(true)) as Hex };
	return { via: 'Legacy', hash: structHash(b.asLegacy) };
}

/** The call hash a Bounded proposal (or a bare proposal hash) refers to; undefined for anything else. */
export function boundedHash(value: unknown): Hex | undefined {
	if (!value) return undefined;
	const b = value as BoundedLike;
	if (b.isLookup || b.isLegacy || b.isInline || isPlainHash(value)) return boundedParts(b).hash;
	return undefined;
}

/** `Lookup {hash, len}` where the call takes a Bounded call at `argIndex`, else the hash (older pallets). */
export function boundedArg(fn: { meta: { args: ArrayLike<{ type: unknown }> } }, argIndex: number, hash: Hex, len: number): unknown {
	const type = String(fn.meta.args[argIndex]?.type ?? '');
	return /Bounded/.test(type) ? { Lookup: { hash, len } } : hash;
}

// --- accounts ----------------------------------------------------------------------------------

/**
 * A zero weight for call argument `argIndex` of `fn`, in the shape the runtime takes: a u64 before Weight v2
 * (the type may be named `Weight` or `u64`: the registry knows which), `{ refTime, proofSize }` after.
 */
export function zeroWeight(
	api: { registry: { createType(type: string): unknown } },
	fn: { meta: { args: ArrayLike<{ type: unknown }> } },
	argIndex: number,
): unknown {
	const type = String(fn.meta.args[argIndex]?.type ?? 'Weight');
	const probe = api.registry.createType(type) as { refTime?: unknown };
	return probe.refTime === undefined ? 0 : { refTime: 0, proofSize: 0 };
}

export function sameAccount(a: string, b: string): boolean {
	try {
		return u8aToHex(decodeAddress(a)) === u8aToHex(decodeAddress(b));
	} catch {
		return a === b;
	}
}

// --- votes (democracy and conviction-voting share AccountVote) -----------------------------------------

export interface AccountVoteCodec {
	isStandard: boolean;
	asStandard: { vote: { isAye: boolean; conviction: { type: string } }; balance: BalanceCodec };
	isSplit: boolean;
	asSplit: { aye: BalanceCodec; nay: BalanceCodec };
}

/** A vote on chain: Standard, or Split read as aye when ayes ≥ nays (SplitAbstain and others: undefined). */
export interface AccountVoteView {
	aye: boolean;
	/** The Conviction variant, e.g. "Locked1x" (Standard votes only). */
	conviction?: string;
	/** Planck, decimal string. */
	balance: string;
}

export function accountVoteOf(vote: AccountVoteCodec): AccountVoteView | undefined {
	if (vote.isStandard) {
		const s = vote.asStandard;
		return { aye: s.vote.isAye, conviction: s.vote.conviction.type, balance: s.balance.toString() };
	}
	if (vote.isSplit) {
		const s = vote.asSplit;
		return {
			aye: BigInt(s.aye.toString()) >= BigInt(s.nay.toString()),
			balance: (BigInt(s.aye.toString()) + BigInt(s.nay.toString())).toString(),
		};
	}
	return undefined;
}

/** Votes an account has cast, by referendum index. */
export interface CastVotes {
	/** The account delegates its votes (democracy) or on this track (conviction voting). */
	delegating: boolean;
	votes: Array<{ index: number; vote: AccountVoteView | undefined }>;
}

export function castVotesOf(votes: Array<[NumberCodec, AccountVoteCodec]>, delegating: boolean): CastVotes {
	return { delegating, votes: votes.map(([index, vote]) => ({ index: index.toNumber(), vote: accountVoteOf(vote) })) };
}
