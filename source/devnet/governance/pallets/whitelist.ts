/** pallet_whitelist, following substrate/frame/whitelist. */
import { type Handler, type Pallet, ROOT, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';

async function cleanAndDispatch(rt: Runtime, callHash: Hex, call: any): Promise<void> {
	rt.store.remove('Whitelist', 'WhitelistedCall', [callHash]);
	rt.unrequestPreimage(callHash);
	const res = await rt.dispatch(call, ROOT);
	const result = res.ok
		? { Ok: { actualWeight: null, paysFee: 'Yes' } }
		: { Err: { postInfo: { actualWeight: null, paysFee: 'Yes' }, error: res.error.value } };
	rt.deposit('Whitelist', 'WhitelistedCallDispatched', [callHash, result]);
}

export const whitelistHandlers: Record<string, Handler> = {
	// Whitelist: WhitelistOrigin and DispatchWhitelistedOrigin are EnsureRoot in the kitchensink.
	'whitelist.whitelistCall': (rt, o, [callHash]) => {
		rt.ensureRoot(o);
		const hash = callHash.toHex() as Hex;
		if (rt.store.exists('Whitelist', 'WhitelistedCall', [hash])) throw rt.error('Whitelist', 'CallAlreadyWhitelisted');
		rt.store.put('Whitelist', 'WhitelistedCall', [hash], null);
		rt.requestPreimage(hash);
		rt.deposit('Whitelist', 'CallWhitelisted', [hash]);
	},
	'whitelist.removeWhitelistedCall': (rt, o, [callHash]) => {
		rt.ensureRoot(o);
		const hash = callHash.toHex() as Hex;
		if (!rt.store.exists('Whitelist', 'WhitelistedCall', [hash])) throw rt.error('Whitelist', 'CallIsNotWhitelisted');
		rt.store.remove('Whitelist', 'WhitelistedCall', [hash]);
		rt.unrequestPreimage(hash);
		rt.deposit('Whitelist', 'WhitelistedCallRemoved', [hash]);
	},
	'whitelist.dispatchWhitelistedCall': async (rt, o, [callHash, callEncodedLen, weightWitness]) => {
		rt.ensureRoot(o);
		const hash = callHash.toHex() as Hex;
		if (!rt.store.exists('Whitelist', 'WhitelistedCall', [hash])) throw rt.error('Whitelist', 'CallIsNotWhitelisted');
		const raw = rt.store.get('Preimage', 'PreimageFor', [[hash, callEncodedLen.toNumber()]]) as any;
		if (!raw) throw rt.error('Whitelist', 'UnavailablePreImage');
		let call: any;
		try {
			call = rt.decodeCall(raw.toU8a(true));
		} catch {
			throw rt.error('Whitelist', 'UndecodableCall');
		}
		const w = Runtime.callWeight(call);
		if (w.refTime > BigInt(weightWitness.refTime.toString()) || w.proofSize > BigInt(weightWitness.proofSize.toString())) {
			throw rt.error('Whitelist', 'InvalidCallWeightWitness');
		}
		await cleanAndDispatch(rt, hash, call);
	},
	'whitelist.dispatchWhitelistedCallWithPreimage': async (rt, o, [call]) => {
		rt.ensureRoot(o);
		const hash = Runtime.hashOf(call.toU8a());
		if (!rt.store.exists('Whitelist', 'WhitelistedCall', [hash])) throw rt.error('Whitelist', 'CallIsNotWhitelisted');
		await cleanAndDispatch(rt, hash, call);
	},
};

export const whitelist: Pallet = { name: 'Whitelist', calls: whitelistHandlers };
