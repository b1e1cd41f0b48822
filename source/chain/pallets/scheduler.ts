/**
 * pallet-scheduler: where in the agenda a call is.
 */
import type { ApiPromise } from '@polkadot/api';
import { blake2AsHex } from '@polkadot/util-crypto';
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
	agenda?: StorageMap<[number], AgendaItem[]>;
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
	for (const [key, items] of await agenda.entries()) {
		for (const item of items) {
			if (!item || item.isNone) continue;
			const s = item.unwrap ? item.unwrap() : item;
			if (holds(s.call, callHash)) return key.args[0]!.toNumber();
		}
	}
	return undefined;
}
