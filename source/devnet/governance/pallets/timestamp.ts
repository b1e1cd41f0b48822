/** pallet_timestamp, following substrate/frame/timestamp: `set` is the inherent every block carries. */
import { DispatchErr, type Handler, type Pallet } from '../runtime.js';

export const timestampHandlers: Record<string, Handler> = {
	'timestamp.set': (rt, o, [now]) => {
		if (o.kind !== 'none') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
		rt.store.put('Timestamp', 'Now', [], BigInt(now.toString()));
	},
};

export const timestamp: Pallet = { name: 'Timestamp', calls: timestampHandlers };
