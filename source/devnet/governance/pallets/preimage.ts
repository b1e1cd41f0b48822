/** pallet_preimage, following substrate/frame/preimage. */
import { compactAddLength, u8aToHex } from '@polkadot/util';
import { type Handler, kitchensinkDeposit, type Origin, type Pallet, type PreimageProvider, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';

const PREIMAGE_HOLD = { Preimage: 'Preimage' };
const MAX_PREIMAGE_SIZE = 4 * 1024 * 1024;

/** kitchensink: HoldConsideration with LinearStoragePrice<deposit(2, 64), deposit(0, 1)>. */
export function preimageDeposit(len: number): bigint {
	return kitchensinkDeposit(2n, 64n) + kitchensinkDeposit(0n, 1n) * BigInt(len);
}

function status(rt: Runtime, hash: Hex): any {
	return rt.store.get('Preimage', 'RequestStatusFor', [hash]);
}

/** Migrate a legacy StatusFor entry (Pallet::do_ensure_updated): this devnet never writes StatusFor. */
function noteBytes(rt: Runtime, bytes: Uint8Array, depositor: string | undefined): { requested: boolean; hash: Hex } {
	const hash = Runtime.hashOf(bytes);
	const len = bytes.length;
	if (len > MAX_PREIMAGE_SIZE) throw rt.error('Preimage', 'TooBig');
	const st = status(rt, hash);
	let next: unknown;
	if (st?.isRequested) {
		const r = st.asRequested;
		next = { Requested: { maybeTicket: r.maybeTicket, count: r.count, maybeLen: len } };
	} else if (st?.isUnrequested) {
		if (depositor) throw rt.error('Preimage', 'AlreadyNoted');
		const u = st.asUnrequested;
		next = { Requested: { maybeTicket: u.ticket, count: 1, maybeLen: u.len } };
	} else if (!depositor) {
		next = { Requested: { maybeTicket: null, count: 1, maybeLen: len } };
	} else {
		const deposit = preimageDeposit(len);
		rt.hold(PREIMAGE_HOLD, depositor, deposit);
		next = { Unrequested: { ticket: [depositor, deposit], len } };
	}
	rt.store.put('Preimage', 'RequestStatusFor', [hash], next);
	rt.setRaw(rt.store.key('Preimage', 'PreimageFor', [[hash, len]]), u8aToHex(compactAddLength(bytes)));
	rt.deposit('Preimage', 'Noted', [hash]);
	return { requested: !!st?.isRequested || !depositor || !!st?.isUnrequested, hash };
}

function requestPreimage(rt: Runtime, hash: Hex): void {
	const st = status(rt, hash);
	let count = 1;
	let maybeLen: unknown = null;
	let maybeTicket: unknown = null;
	if (st?.isRequested) {
		const r = st.asRequested;
		count = r.count.toNumber() + 1;
		maybeLen = r.maybeLen;
		maybeTicket = r.maybeTicket;
	} else if (st?.isUnrequested) {
		maybeLen = st.asUnrequested.len;
		maybeTicket = st.asUnrequested.ticket;
	}
	rt.store.put('Preimage', 'RequestStatusFor', [hash], { Requested: { maybeTicket, count, maybeLen } });
	if (count === 1) rt.deposit('Preimage', 'Requested', [hash]);
}

function removePreimage(rt: Runtime, hash: Hex, len: number): void {
	rt.store.remove('Preimage', 'PreimageFor', [[hash, len]]);
}

function unrequestPreimage(rt: Runtime, hash: Hex): void {
	const st = status(rt, hash);
	if (!st || st.isUnrequested) throw rt.error('Preimage', 'NotRequested');
	const r = st.asRequested;
	const count = r.count.toNumber();
	if (count > 1) {
		rt.store.put('Preimage', 'RequestStatusFor', [hash], {
			Requested: { maybeTicket: r.maybeTicket, count: count - 1, maybeLen: r.maybeLen },
		});
		return;
	}
	if (r.maybeLen.isNone) {
		rt.store.remove('Preimage', 'RequestStatusFor', [hash]);
	} else if (r.maybeTicket.isNone) {
		removePreimage(rt, hash, r.maybeLen.unwrap().toNumber());
		rt.store.remove('Preimage', 'RequestStatusFor', [hash]);
		rt.deposit('Preimage', 'Cleared', [hash]);
	} else {
		rt.store.put('Preimage', 'RequestStatusFor', [hash], { Unrequested: { ticket: r.maybeTicket.unwrap(), len: r.maybeLen.unwrap() } });
	}
}

/** Preimage::ManagerOrigin is EnsureRoot in the kitchensink. */
function signedOrManager(rt: Runtime, o: Origin): string | undefined {
	if (o.kind === 'root') return undefined;
	return rt.ensureSigned(o);
}

/** QueryPreimage / StorePreimage for the other pallets (Runtime.requestPreimage, unrequestPreimage, bound). */
const preimageService: PreimageProvider = {
	request: requestPreimage,
	unrequest: (rt, hash) => {
		try {
			unrequestPreimage(rt, hash);
		} catch {
			/* defensive in FRAME too */
		}
	},
	note: noteBytes,
};

export const preimageHandlers: Record<string, Handler> = {
	'preimage.notePreimage': (rt, o, [bytes]) => {
		const who = signedOrManager(rt, o);
		const { requested } = noteBytes(rt, bytes.toU8a(true), who);
		const st = status(rt, Runtime.hashOf(bytes.toU8a(true)));
		// A preimage that was requested by the system is free to provide.
		return requested && who !== undefined && st?.isRequested ? { paysFee: 'No' } : {};
	},
	'preimage.unnotePreimage': (rt, o, [hashArg]) => {
		const who = signedOrManager(rt, o);
		const hash = hashArg.toHex() as Hex;
		const st = status(rt, hash);
		if (!st) throw rt.error('Preimage', 'NotNoted');
		if (st.isRequested) {
			const r = st.asRequested;
			if (r.maybeTicket.isSome) {
				const [owner, amount] = r.maybeTicket.unwrap();
				if (who !== undefined && owner.toString() !== who) throw rt.error('Preimage', 'NotAuthorized');
				rt.release(PREIMAGE_HOLD, owner.toString(), amount.toBigInt());
				rt.store.put('Preimage', 'RequestStatusFor', [hash], {
					Requested: { maybeTicket: null, count: r.count, maybeLen: r.maybeLen },
				});
				return;
			}
			if (who !== undefined) throw rt.error('Preimage', 'NotAuthorized');
			unrequestPreimage(rt, hash);
			return;
		}
		const u = st.asUnrequested;
		const [owner, amount] = u.ticket;
		if (who !== undefined && owner.toString() !== who) throw rt.error('Preimage', 'NotAuthorized');
		rt.release(PREIMAGE_HOLD, owner.toString(), amount.toBigInt());
		rt.store.remove('Preimage', 'RequestStatusFor', [hash]);
		removePreimage(rt, hash, u.len.toNumber());
		rt.deposit('Preimage', 'Cleared', [hash]);
	},
	'preimage.requestPreimage': (rt, o, [hash]) => {
		rt.ensureRoot(o);
		requestPreimage(rt, hash.toHex());
	},
	'preimage.unrequestPreimage': (rt, o, [hash]) => {
		rt.ensureRoot(o);
		unrequestPreimage(rt, hash.toHex());
	},
};

export const preimage: Pallet = { name: 'Preimage', calls: preimageHandlers, services: { preimage: preimageService } };
