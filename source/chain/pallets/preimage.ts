/**
 * pallet-preimage: the status FRAME records for a call hash, and the bytes.
 *
 * Status: `RequestStatusFor` is the current storage, `StatusFor` the
 * deprecated one (OldRequestStatus), still declared while entries may remain
 * in it. The pallet migrates an entry on every use (`do_ensure_updated` takes
 * it from StatusFor and inserts it into RequestStatusFor before any read or
 * write), so one hash is never in both: read RequestStatusFor, and StatusFor
 * only when that has nothing for the hash. Choosing the storage by which one
 * the metadata declares would miss every hash not yet migrated.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { storageBytes } from '../live.js';
import { palletQuery, type NumberCodec, type OptionCodec } from './common.js';

/** RequestStatus (Requested { maybe_len }) or OldRequestStatus (Requested { len }). */
interface RequestStatusCodec {
	isUnrequested: boolean;
	asUnrequested: { len: NumberCodec };
	isRequested: boolean;
	asRequested: { maybeLen?: OptionCodec<NumberCodec>; len?: OptionCodec<NumberCodec> };
}
interface PreimageStorage {
	requestStatusFor?: (hash: Hex) => Promise<OptionCodec<RequestStatusCodec>>;
	statusFor?: (hash: Hex) => Promise<OptionCodec<RequestStatusCodec>>;
	/** Keyed by (hash, len); by hash alone on the oldest versions. */
	preimageFor: { key(...args: unknown[]): string };
}

const storage = (api: ApiPromise) => palletQuery<PreimageStorage>(api, 'preimage');

export interface PreimageStatus {
	/** requested / unrequested, or none: the pallet knows nothing of this hash. */
	status: 'requested' | 'unrequested' | 'none';
	/** The length the pallet noted the preimage with (unknown while requested and not noted). */
	len?: number;
}

/** What the pallet records for this hash; undefined when the chain has no Preimage pallet. */
export async function preimageStatus(api: ApiPromise, hash: Hex): Promise<PreimageStatus | undefined> {
	const q = storage(api);
	if (!q) return undefined;
	const current = q.requestStatusFor ? await q.requestStatusFor(hash) : undefined;
	const legacy = !current?.isSome && q.statusFor ? await q.statusFor(hash) : undefined;
	const s = current?.isSome ? current.unwrap() : legacy?.isSome ? legacy.unwrap() : undefined;
	if (s?.isUnrequested) return { status: 'unrequested', len: s.asUnrequested.len.toNumber() };
	if (s?.isRequested) {
		const r = s.asRequested;
		const maybeLen = r.maybeLen ?? r.len;
		return maybeLen?.isSome ? { status: 'requested', len: maybeLen.unwrap().toNumber() } : { status: 'requested' };
	}
	return { status: 'none' };
}

/** The bytes of a preimage (PreimageFor is keyed by (hash, len)); undefined when not stored. */
export async function preimageBytes(api: ApiPromise, hash: Hex, len: number): Promise<Uint8Array | undefined> {
	const entry = storage(api)?.preimageFor;
	if (!entry) return undefined;
	let key: string;
	try {
		key = entry.key([hash, len]);
	} catch {
		key = entry.key(hash);
	}
	// Read the raw storage: the value is a BoundedVec<u8>; decode its length prefix ourselves.
	const raw = storageBytes(await api.rpc.state.getStorage(key));
	if (!raw) return undefined;
	return api.createType('Bytes', raw).toU8a(true);
}

export interface PreimageState {
	/** The bytes are on chain. */
	noted: boolean;
	/** The length the chain records for this hash (unrequested/requested status). */
	len?: number;
	requested: boolean;
}

/** Is the preimage noted (bytes stored under its noted length)? Throws when the chain has no Preimage pallet. */
export async function preimageState(api: ApiPromise, hash: Hex): Promise<PreimageState> {
	const status = await preimageStatus(api, hash);
	if (!status) throw new Error('this chain has no Preimage pallet');
	const requested = status.status === 'requested';
	if (status.len === undefined) return { noted: false, requested };
	const bytes = await preimageBytes(api, hash, status.len);
	return { noted: bytes !== undefined, len: status.len, requested };
}
