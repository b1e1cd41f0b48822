/**
 * Inherent providers, injected into the block builder as in chopsticks'
 * core (blockchain/inherent): each returns the inherent calls a new block
 * starts with, dispatched with the None origin before any transaction.
 */
import type { GenericCall } from '@polkadot/types';
import type { InherentContext, InherentProvider } from './types.js';

/** pallet_timestamp's inherent: `timestamp.set(now)`. */
export class SetTimestamp implements InherentProvider {
	createInherents(ctx: InherentContext): GenericCall[] {
		return [ctx.tx('timestamp', 'set', ctx.timestamp)];
	}
}
