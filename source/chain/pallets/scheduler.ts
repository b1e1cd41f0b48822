/**
 * pallet-scheduler: where in the agenda a call is.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { boundedHash, palletQuery, type BoundedLike, type OptionCodec, type StorageMap } from './common.js';

interface ScheduledCodec {
	call?: BoundedLike;
}
/** Agenda items are Option<Scheduled>. */
type AgendaItem = (Partial<OptionCodec<ScheduledCodec>> & ScheduledCodec) | null | undefined;
interface SchedulerStorage {
	agenda?: StorageMap<[number], AgendaItem[]>;
}

/** The block at which the scheduler will dispatch this call (by hash), if it is in the agenda. */
export async function scheduledAt(api: ApiPromise, callHash: Hex): Promise<number | undefined> {
	const agenda = palletQuery<SchedulerStorage>(api, 'scheduler')?.agenda;
	if (!agenda) return undefined;
	for (const [key, items] of await agenda.entries()) {
		for (const item of items) {
			if (!item || item.isNone) continue;
			const s = item.unwrap ? item.unwrap() : item;
			const call = s.call;
			const hash = call?.isLookup || call?.isInline || call?.isLegacy ? boundedHash(call) : undefined;
			if (hash === callHash) return key.args[0]!.toNumber();
		}
	}
	return undefined;
}
