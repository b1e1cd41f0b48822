/**
 * pallet-scheduler: where in the agenda a call is.
 */
import type { ApiPromise } from '@polkadot/api';
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { storageBytes } from '../live.js';
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
