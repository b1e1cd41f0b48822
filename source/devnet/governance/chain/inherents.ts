/**
 * Inherent providers, injected into the block builder as in chopsticks'
 * core (blockchain/inherent): each returns the inherent calls a new block
 * starts with, dispatched with the None origin before any transaction.
 */
import type { GenericCall } from '@polkadot/types';
import type { BlockData } from './types.js';

export interface InherentContext {
	/** The new block's number and timestamp (unix ms). */
	number: number;
	timestamp: bigint;
	parent: BlockData;
	/** A call built from the metadata, e.g. tx('timestamp', 'set', now). */
	tx(section: string, method: string, ...args: unknown[]): GenericCall;
}

export interface InherentProvider {
	createInherents(ctx: InherentContext): GenericCall[] | Promise<GenericCall[]>;
}

/** pallet_timestamp's inherent: `timestamp.set(now)`. */
export class SetTimestamp implements InherentProvider {
	createInherents(ctx: InherentContext): GenericCall[] {
		return [ctx.tx('timestamp', 'set', ctx.timestamp)];
	}
}
