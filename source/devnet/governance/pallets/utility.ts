/** pallet_utility, following substrate/frame/utility. */
import type { GenericCall } from '@polkadot/types';
import { u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { callerToOrigin, DispatchErr, type Handler, type Origin, type Pallet, type PostInfo, ROOT, type Runtime } from '../runtime.js';
import { u16ToU8a } from '../util.js';

async function batch(rt: Runtime, o: Origin, calls: GenericCall[], mode: 'batch' | 'all' | 'force'): Promise<PostInfo | void> {
	if (o.kind === 'none') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
	let failed = false;
	for (let index = 0; index < calls.length; index++) {
		const res = await rt.dispatch(calls[index]!, o);
		if (!res.ok) {
			if (mode === 'all') throw res.error;
			if (mode === 'batch') {
				rt.deposit('Utility', 'BatchInterrupted', [index, res.error.value]);
				return;
			}
			failed = true;
			rt.deposit('Utility', 'ItemFailed', [res.error.value]);
			continue;
		}
		rt.deposit('Utility', 'ItemCompleted', []);
	}
	rt.deposit('Utility', failed ? 'BatchCompletedWithErrors' : 'BatchCompleted', []);
}

export const utilityHandlers: Record<string, Handler> = {
	'utility.batch': (rt, o, [calls]) => batch(rt, o, [...calls], 'batch'),
	'utility.batchAll': (rt, o, [calls]) => batch(rt, o, [...calls], 'all'),
	'utility.forceBatch': (rt, o, [calls]) => batch(rt, o, [...calls], 'force'),
	'utility.asDerivative': async (rt, o, [index, call]) => {
		const who = rt.ensureSigned(o);
		const pub = rt.registry.createType('AccountId', who).toU8a();
		const entropy = blake2AsU8a(u8aConcat(new TextEncoder().encode('modlpy/utilisuba'), pub, u16ToU8a(index.toNumber())), 256);
		const derived = rt.registry.createType('AccountId', entropy).toString();
		// origin.set_caller_from(Signed(pseudonym)): the caller changes, the origin's filters stay.
		const res = await rt.dispatch(call, { kind: 'signed', who: derived, filter: o.kind === 'signed' ? o.filter : undefined });
		if (!res.ok) throw res.error;
	},
	'utility.dispatchAs': async (rt, o, [asOrigin, call]) => {
		rt.ensureRoot(o);
		const res = await rt.dispatch(call, callerToOrigin(asOrigin));
		rt.deposit('Utility', 'DispatchedAs', [rt.encodeDispatchResult(res)]);
	},
	'utility.withWeight': async (rt, o, [call]) => {
		rt.ensureRoot(o);
		const res = await rt.dispatch(call, ROOT);
		if (!res.ok) throw res.error;
	},
};

export const utility: Pallet = { name: 'Utility', calls: utilityHandlers };
