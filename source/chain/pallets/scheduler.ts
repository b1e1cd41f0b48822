/**
 * pallet-scheduler: where in the agenda a call is, and (on a fork) putting one there.
 */
import type { ApiPromise } from '@polkadot/api';
import { BN, compactFromU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { storageBytes } from '../live.js';
import { describeDispatchError } from '../submit.js';
import type { Hex } from '../../domain/types.js';
import { boundedHash, palletQuery, type BoundedLike, type OptionCodec, type StorageMap } from './common.js';

/** Before Bounded (2020–22) the agenda held the call itself: Democracy's `enact_proposal(hash, index)` for a referendum. */
interface CallCodec {
	callIndex: Uint8Array;
	section: string;
	method: string;
	args: Array<{ toHex(): string }>;
	toU8a(): Uint8Array;
}
interface ScheduledCodec {
	call?: BoundedLike | CallCodec;
}
/** Agenda items are Option<Scheduled>. */
type AgendaItem = (Partial<OptionCodec<ScheduledCodec>> & ScheduledCodec) | null | undefined;
interface SchedulerStorage {
	agenda?: StorageMap<[number], AgendaItem[]> & { keyPrefix(): string };
}

function holds(call: ScheduledCodec['call'], callHash: Hex): boolean {
	if (!call) return false;
	const c = call as CallCodec;
	if (c.callIndex !== undefined) {
		if (blake2AsHex(c.toU8a(), 256) === callHash) return true;
		return c.section === 'democracy' && c.method === 'enactProposal' && c.args[0]?.toHex() === callHash;
	}
	const b = call as BoundedLike;
	return (b.isLookup || b.isInline || b.isLegacy ? boundedHash(b) : undefined) === callHash;
}

/** The block at which the scheduler will dispatch this call (by hash, or Democracy's enact_proposal of it), if it is in the agenda. */
export async function scheduledAt(api: ApiPromise, callHash: Hex): Promise<number | undefined> {
	const agenda = palletQuery<SchedulerStorage>(api, 'scheduler')?.agenda;
	if (!agenda) return undefined;
	for (const [block, items] of await agendaEntries(api, agenda)) {
		for (const item of items) {
			if (!item || item.isNone) continue;
			const s = item.unwrap ? item.unwrap() : item;
			if (holds(s.call, callHash)) return block;
		}
	}
	return undefined;
}

/**
 * The agenda by block. @polkadot/types decodes `Scheduled` with the `origin` field it has had since mid-2020; on an
 * older runtime (Polkadot 0) that fails ("Decoded input doesn't match input"), and the agenda is read raw as
 * `ScheduledTo254` (no origin). Agenda keys are Twox64Concat: the block number is the key's last four bytes.
 */
async function agendaEntries(api: ApiPromise, agenda: NonNullable<SchedulerStorage['agenda']>): Promise<Array<[number, AgendaItem[]]>> {
	try {
		return (await agenda.entries()).map(([key, items]) => [key.args[0]!.toNumber(), items]);
	} catch (error) {
		if (!/Decoded input doesn't match input/.test((error as Error).message)) throw error;
		const prefix = agenda.keyPrefix();
		const keys = (await api.rpc.state.getKeysPaged(prefix, 1000)).map((k) => k.toHex());
		const out: Array<[number, AgendaItem[]]> = [];
		for (const key of keys) {
			const raw = storageBytes(await api.rpc.state.getStorage(key));
			if (!raw) continue;
			const block = api.createType('u32', hexToU8a(key).subarray(-4)).toNumber();
			out.push([block, api.createType('Vec<Option<ScheduledTo254>>' as never, raw) as unknown as AgendaItem[]]);
		}
		return out;
	}
}

// --- a call put into the agenda (a rehearsal on a fork: Root as the chain's own governance gives it) ----------

/** Democracy, Referenda and Whitelist schedule what they enact with priority 63 (the last hard-deadline priority). */
export const ENACTMENT_PRIORITY = 63;

/** What to write (with `dev_setStorage`) so the scheduler dispatches `call` as Root at block `when`. */
export interface AgendaInjection {
	when: number;
	/** The item's index in `Agenda(when)` (after the items already there). */
	index: number;
	writes: Array<[Hex, Hex]>;
	/** How the item holds the call, one line. */
	holds: string;
}

interface SiLookup {
	getSiType(id: unknown): {
		path: { toString(): string }[];
		params: Array<{ type: { unwrapOr(x: unknown): unknown; isSome: boolean; unwrap(): unknown } }>;
		def: {
			isSequence: boolean;
			asSequence: { type: unknown };
			isComposite: boolean;
			asComposite: { fields: Array<{ name: { toString(): string }; type: unknown }> };
			isHistoricMetaCompat: boolean;
		};
	};
}

interface SchedulerInjectionStorage {
	agenda?: { key(block: number): string; creator: { meta: { type: { asMap: { value: unknown } } } } };
	incompleteSince?: () => Promise<{ isSome?: boolean; unwrap?: () => { toNumber(): number } }>;
}

/** Whether the runtime has a scheduler whose agenda a fork can write. */
export function hasSchedulerAgenda(api: ApiPromise): boolean {
	return Boolean(palletQuery<SchedulerInjectionStorage>(api, 'scheduler')?.agenda);
}

/**
 * The block whose agenda the scheduler services next: `IncompleteSince` where the runtime keeps one (the scheduler
 * resumes from there, whatever block number it counts in), else the next block.
 */
async function nextServiced(api: ApiPromise, storage: SchedulerInjectionStorage): Promise<number> {
	const since = storage.incompleteSince ? await storage.incompleteSince() : undefined;
	if (since?.isSome && since.unwrap) return since.unwrap().toNumber();
	const head = await api.rpc.chain.getHeader();
	return head.number.toNumber() + 1;
}

/**
 * Metadata before v14 names types by their Rust text, which @polkadot/types shortens to `Scheduled`: whether that
 * item has an `origin` (added mid-2020, with the `PalletsOrigin` generic) is read from the chain's own metadata text.
 */
function legacyItemType(rawMetadata: string): string {
	const text = Buffer.from(rawMetadata.slice(2), 'hex').toString('latin1');
	const at = text.indexOf('Vec<Option<Scheduled<');
	if (at < 0) throw new Error("the chain's metadata names no Scheduler agenda type: cannot write an agenda item");
	const type = text.slice(at, text.indexOf('>>>', at) + 3);
	return type.includes('PalletsOrigin') ? 'Option<Scheduled>' : 'Option<ScheduledTo254>';
}

/**
 * The writes that put `call` into the scheduler's agenda for the block it services next, dispatched as Root with the
 * priority governance enacts with. The item is encoded with the runtime's own types: the call itself (runtimes before
 * `Bounded`), `Value` (MaybeHashed), or `Bounded::Inline` up to 128 bytes, else `Bounded::Lookup` with the preimage
 * written where the scheduler reads it (`Preimage.PreimageFor`, requested) unless the chain holds it already.
 * `rawMetadata` (`state_getMetadata`) is needed only for metadata before v14.
 */
export async function agendaInjection(api: ApiPromise, call: Uint8Array, rawMetadata: () => Promise<string>): Promise<AgendaInjection> {
	const storage = palletQuery<SchedulerInjectionStorage>(api, 'scheduler');
	if (!storage?.agenda) throw new Error('this runtime has no Scheduler agenda');
	const when = await nextServiced(api, storage);
	const key = storage.agenda.key(when) as Hex;
	const lookup = api.registry.lookup as unknown as SiLookup;
	const valueId = storage.agenda.creator.meta.type.asMap.value;
	const value = lookup.getSiType(valueId);
	const writes: Array<[Hex, Hex]> = [];
	const callCodec = api.createType('Call', call);
	let itemType: string;
	let callValue: unknown = callCodec;
	let holds = 'the call itself';
	if (value.def.isHistoricMetaCompat) {
		itemType = legacyItemType(await rawMetadata());
	} else {
		// A Vec, or (since 2022) a BoundedVec: a composite of one field, the Vec; both encode as the Vec.
		let list = value;
		for (let depth = 0; !list.def.isSequence && list.def.isComposite && list.def.asComposite.fields.length === 1 && depth < 4; depth++)
			list = lookup.getSiType(list.def.asComposite.fields[0]!.type);
		if (!list.def.isSequence) throw new Error('the Scheduler agenda is not a list: cannot write an agenda item');
		const optionId = list.def.asSequence.type;
		itemType = api.registry.createLookupType(optionId as never);
		const scheduledId = lookup.getSiType(optionId).params[0]?.type.unwrap();
		const scheduled = lookup.getSiType(scheduledId);
		const callField = scheduled.def.isComposite
			? scheduled.def.asComposite.fields.find((f) => f.name.toString() === 'call')
			: undefined;
		const callPath = callField ? lookup.getSiType(callField.type).path.map(String) : [];
		const kind = callPath.at(-1);
		if (kind === 'Bounded') {
			const hash = blake2AsHex(call, 256) as Hex;
			if (call.length <= 128) {
				callValue = { Inline: u8aToHex(call) };
				holds = `Bounded::Inline (${call.length} bytes)`;
			} else {
				callValue = { Lookup: { hash, len: call.length } };
				holds = `Bounded::Lookup(${hash}, ${call.length} bytes)`;
				writes.push(...(await preimageWrites(api, call, hash)));
				holds +=
					writes.length > 0
						? ', its preimage written to Preimage.PreimageFor (requested)'
						: ', its preimage already on the chain';
			}
		} else if (kind === 'MaybeHashed') {
			callValue = { Value: callCodec };
			holds = 'MaybeHashed::Value';
		}
	}
	const existing = storageBytes(await api.rpc.state.getStorage(key));
	// Vec<item>: a compact count, then the items. Keep those already there as they are; ours goes last.
	const [offset, count] = existing && existing.length > 0 ? compactFromU8a(existing) : [0, new BN(0)];
	const index = count.toNumber();
	const item = api.createType(itemType as never, {
		maybeId: null,
		priority: ENACTMENT_PRIORITY,
		call: callValue,
		maybePeriodic: null,
		origin: { system: 'Root' },
	}) as unknown as { isSome: boolean; toU8a(): Uint8Array };
	if (!item.isSome) throw new Error('the agenda item did not encode');
	const items = existing ? existing.subarray(offset) : new Uint8Array();
	writes.push([key, u8aToHex(u8aConcat(compactToU8a(index + 1), items, item.toU8a()))]);
	return { when, index, writes, holds };
}

interface PreimageInjectionStorage {
	preimageFor?: { key(k: [Hex, number]): string };
	requestStatusFor?: { key(h: Hex): string; creator: { meta: { type: { asMap: { value: unknown } } } } };
	statusFor?: { key(h: Hex): string; creator: { meta: { type: { asMap: { value: unknown } } } } };
}

/** The preimage of `call` in `PreimageFor`, requested once, unless the chain already holds it. */
async function preimageWrites(api: ApiPromise, call: Uint8Array, hash: Hex): Promise<Array<[Hex, Hex]>> {
	const p = palletQuery<PreimageInjectionStorage>(api, 'preimage');
	if (!p?.preimageFor) throw new Error('the call is longer than 128 bytes and this runtime has no Preimage pallet to hold it');
	const forKey = p.preimageFor.key([hash, call.length]) as Hex;
	if (storageBytes(await api.rpc.state.getStorage(forKey))) return [];
	const status = p.requestStatusFor ?? p.statusFor;
	const out: Array<[Hex, Hex]> = [[forKey, api.createType('Bytes', call).toHex() as Hex]];
	if (status) {
		const type = api.registry.createLookupType(status.creator.meta.type.asMap.value as never);
		// RequestStatus (maybe_ticket, count, maybe_len) or the older status (deposit, count, len): fields not in the type are ignored.
		const requested = api.createType(type as never, {
			Requested: { maybeTicket: null, deposit: null, count: 1, maybeLen: call.length, len: call.length },
		});
		out.push([status.key(hash) as Hex, (requested as unknown as { toHex(): Hex }).toHex()]);
	}
	return out;
}

interface DispatchedEvent {
	event: { section: string; method: string; data: unknown[] };
}

/**
 * What the scheduler did with the agenda item `(when, index)` in a block's events: `Ok`, the dispatch error, why it
 * could not dispatch it (`scheduler.CallUnavailable`, `PermanentlyOverweight`), or undefined when nothing names it.
 */
export function agendaOutcome(api: ApiPromise, events: DispatchedEvent[], when: number, index: number): string | undefined {
	const names = (task: unknown): boolean => {
		const t = (task as { toJSON?: () => unknown })?.toJSON?.();
		return Array.isArray(t) && Number(t[0]) === when && Number(t[1]) === index;
	};
	for (const { event } of events) {
		if (event.section !== 'scheduler' || !names(event.data[0])) continue;
		if (event.method === 'Dispatched') {
			const result = event.data[2] as { isErr?: boolean; asErr?: unknown } | undefined;
			return result?.isErr ? describeDispatchError(api, result.asErr) : 'Ok';
		}
		if (['CallUnavailable', 'PermanentlyOverweight', 'CallLookupFailed'].includes(event.method))
			return `scheduler.${event.method}: the scheduler did not dispatch it`;
	}
	return undefined;
}
