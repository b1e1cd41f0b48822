/** pallet_referenda, following substrate/frame/referenda. */
import type { u32, u128 } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import { callerToOrigin, type Handler, type Pallet, type Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';

const PERBILL = 1_000_000_000n;
const ASSEMBLY_ID = 'assembly';

interface Track {
	name: string;
	maxDeciding: number;
	decisionDeposit: bigint;
	preparePeriod: number;
	decisionPeriod: number;
	confirmPeriod: number;
	minEnactmentPeriod: number;
	minApproval: any;
	minSupport: any;
}

/** Referenda.Tracks from the metadata, with the devnet's period overrides. */
function tracks(rt: Runtime): Map<number, Track> {
	const list = rt.meta.constant<Codec>('Referenda', 'Tracks').toJSON() as Array<[number, any]>;
	const out = new Map<number, Track>();
	for (const [id, info] of list) {
		out.set(id, {
			name: info.name,
			maxDeciding: info.maxDeciding,
			decisionDeposit: BigInt(info.decisionDeposit),
			preparePeriod: rt.periods.trackPreparePeriod,
			decisionPeriod: rt.periods.trackDecisionPeriod,
			confirmPeriod: rt.periods.trackConfirmPeriod,
			minEnactmentPeriod: rt.periods.trackMinEnactmentPeriod,
			minApproval: info.minApproval,
			minSupport: info.minSupport,
		});
	}
	return out;
}

/** The kitchensink's TracksInfo::track_for: only the Root origin has a track (0). */
function trackFor(origin: any): number | undefined {
	const o = callerToOrigin(origin);
	return o.kind === 'root' ? 0 : undefined;
}

function fromRational(p: bigint, q: bigint): bigint {
	if (q === 0n) return PERBILL;
	const v = (p * PERBILL) / q;
	return v > PERBILL ? PERBILL : v;
}

/** Curve::threshold(x), x and result in Perbill parts. */
export function curveThreshold(curve: any, x: bigint): bigint {
	const key = Object.keys(curve)[0]!;
	const c = curve[key];
	const k = key.toLowerCase();
	if (k === 'lineardecreasing') {
		const length = BigInt(c.length);
		const floor = BigInt(c.floor);
		const ceil = BigInt(c.ceil);
		const xm = x < length ? x : length;
		const ratio = length === 0n ? PERBILL : (xm * PERBILL) / length;
		return ceil - (ratio * (ceil - floor)) / PERBILL;
	}
	if (k === 'steppeddecreasing') {
		const begin = BigInt(c.begin);
		const end = BigInt(c.end);
		const step = BigInt(c.step);
		const period = BigInt(c.period);
		const steps = period === 0n ? 0n : x / period;
		const dec = step * steps > begin ? begin : step * steps;
		const v = begin - dec;
		return v > end ? v : end;
	}
	// Reciprocal: factor / (x + x_offset) + y_offset, FixedI64 (9 decimals), clamped to [0, 1]
	const factor = BigInt(c.factor);
	const xOffset = BigInt(c.xOffset);
	const yOffset = BigInt(c.yOffset);
	const denom = x + xOffset;
	const v = denom === 0n ? PERBILL : (factor * PERBILL) / denom + yOffset;
	return v < 0n ? 0n : v > PERBILL ? PERBILL : v;
}

function isPassing(rt: Runtime, tally: any, elapsed: number, track: Track): boolean {
	const period = BigInt(track.decisionPeriod);
	const x = fromRational(BigInt(Math.min(elapsed, track.decisionPeriod)), period);
	const ayes = BigInt(tally.ayes);
	const nays = BigInt(tally.nays);
	const support = fromRational(BigInt(tally.support), rt.totalIssuance());
	const approval = fromRational(ayes, ayes + nays);
	return support >= curveThreshold(track.minSupport, x) && approval >= curveThreshold(track.minApproval, x);
}

function assemblyTaskName(index: number): Hex {
	const enc = rt_encode_assembly(index);
	return blake2AsHex(enc, 256) as Hex;
}

/** (ASSEMBLY_ID, "enactment", index).encode(): [u8; 8] ++ Compact-prefixed str ++ u32 LE. */
function rt_encode_assembly(index: number): Uint8Array {
	const id = new TextEncoder().encode(ASSEMBLY_ID);
	const label = new TextEncoder().encode('enactment');
	const out = new Uint8Array(id.length + 1 + label.length + 4);
	out.set(id, 0);
	out[id.length] = label.length << 2;
	out.set(label, id.length + 1);
	new DataView(out.buffer).setUint32(id.length + 1 + label.length, index, true);
	return out;
}

function noteOneFewerDeciding(rt: Runtime, trackId: number, trackInfo: Map<number, Track>): void {
	const queue = (rt.store.get('Referenda', 'TrackQueue', [trackId]) as any).toJSON() as Array<[number, any]>;
	if (queue.length) {
		// The best-supported queued referendum starts deciding (FRAME does this in one_fewer_deciding).
		const [index] = queue.pop()!;
		rt.store.put('Referenda', 'TrackQueue', [trackId], queue);
		const info = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
		if (info?.isOngoing) {
			const st = info.asOngoing.toJSON();
			beginDeciding(rt, index, st, trackInfo.get(trackId)!);
			rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Ongoing: st });
		}
		return;
	}
	const count = rt.store.get<u32>('Referenda', 'DecidingCount', [trackId])!.toNumber();
	rt.store.put('Referenda', 'DecidingCount', [trackId], Math.max(0, count - 1));
}

function beginDeciding(rt: Runtime, index: number, st: any, track: Track): void {
	const passing = isPassing(rt, st.tally, 0, track);
	st.inQueue = false;
	rt.deposit('Referenda', 'DecisionStarted', [index, st.track, st.proposal, st.tally]);
	let confirming: number | null = null;
	if (passing) {
		rt.deposit('Referenda', 'ConfirmStarted', [index]);
		confirming = rt.number + track.confirmPeriod;
	}
	st.deciding = { since: rt.number, confirming };
}

/** Pallet::service_referendum. Returns the new info. */
function serviceReferendum(rt: Runtime, index: number, st: any, trackInfo: Map<number, Track>): unknown {
	const now = rt.number;
	const track = trackInfo.get(st.track);
	if (!track) return { Ongoing: st };
	const timeout = st.submitted + rt.periods.undecidingTimeout;
	if (!st.deciding) {
		if (!st.inQueue && st.decisionDeposit) {
			if (now >= st.submitted + track.preparePeriod) {
				const count = rt.store.get<u32>('Referenda', 'DecidingCount', [st.track])!.toNumber();
				if (count < track.maxDeciding) {
					rt.store.put('Referenda', 'DecidingCount', [st.track], count + 1);
					beginDeciding(rt, index, st, track);
				} else {
					st.inQueue = true;
					const queue = (rt.store.get('Referenda', 'TrackQueue', [st.track]) as any).toJSON() as Array<[number, any]>;
					queue.push([index, st.tally.ayes]);
					queue.sort((a, b) => (BigInt(a[1]) < BigInt(b[1]) ? -1 : 1));
					rt.store.put('Referenda', 'TrackQueue', [st.track], queue);
				}
			}
		}
		if (!st.deciding && now >= timeout && !st.inQueue) {
			rt.deposit('Referenda', 'TimedOut', [index, st.tally]);
			return { TimedOut: [now, st.submissionDeposit, st.decisionDeposit] };
		}
		return { Ongoing: st };
	}
	const deciding = st.deciding;
	if (isPassing(rt, st.tally, now - deciding.since, track)) {
		if (deciding.confirming !== null && deciding.confirming !== undefined) {
			if (now >= deciding.confirming) {
				noteOneFewerDeciding(rt, st.track, trackInfo);
				// schedule_enactment: at the desired moment, but no earlier than min_enactment_period (>= 1).
				const earliest = now + Math.max(track.minEnactmentPeriod, 1);
				const e = st.enactment;
				const desired = 'at' in e ? e.at : 'At' in e ? e.At : now + (e.after ?? e.After);
				try {
					rt.scheduleNamed(
						assemblyTaskName(index),
						Math.max(desired, earliest),
						callerToOrigin(rt.registry.createType(rt.meta.originCallerType, st.origin)),
						st.proposal,
						63,
					);
				} catch {
					rt.note(`referenda could not schedule the enactment of referendum ${index}`);
				}
				rt.deposit('Referenda', 'Confirmed', [index, st.tally]);
				return { Approved: [now, st.submissionDeposit, st.decisionDeposit] };
			}
		} else {
			deciding.confirming = now + track.confirmPeriod;
			rt.deposit('Referenda', 'ConfirmStarted', [index]);
		}
		return { Ongoing: st };
	}
	if (now >= deciding.since + track.decisionPeriod) {
		noteOneFewerDeciding(rt, st.track, trackInfo);
		rt.deposit('Referenda', 'Rejected', [index, st.tally]);
		return { Rejected: [now, st.submissionDeposit, st.decisionDeposit] };
	}
	if (deciding.confirming !== null && deciding.confirming !== undefined) {
		deciding.confirming = null;
		rt.deposit('Referenda', 'ConfirmAborted', [index]);
	}
	return { Ongoing: st };
}

function ongoing(rt: Runtime, index: number): any {
	const info = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
	if (!info?.isOngoing) throw rt.error('Referenda', 'NotOngoing');
	return info.asOngoing.toJSON();
}

/**
 * The devnet services every ongoing referendum each block (FRAME does it at
 * scheduler alarms with AlarmInterval = 1, plus right after votes and deposits).
 */
function referendaOnInitialize(rt: Runtime): void {
	const count = rt.store.get<u32>('Referenda', 'ReferendumCount')!.toNumber();
	const info = tracks(rt);
	for (let index = 0; index < count; index++) {
		const r = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
		if (!r?.isOngoing) continue;
		const st = r.asOngoing.toJSON();
		const before = JSON.stringify(st);
		const next = serviceReferendum(rt, index, st, info);
		if (!('Ongoing' in (next as object)) || JSON.stringify(st) !== before)
			rt.store.put('Referenda', 'ReferendumInfoFor', [index], next);
	}
}

export const referendaHandlers: Record<string, Handler> = {
	'referenda.submit': (rt, o, [proposalOrigin, proposal, enactment]) => {
		const who = rt.ensureSigned(o);
		const track = trackFor(proposalOrigin);
		if (track === undefined) throw rt.error('Referenda', 'NoTrack');
		if (proposal.isLookup) {
			const known = rt.preimageLen(proposal.asLookup.hash_.toHex());
			if (known !== undefined && known !== proposal.asLookup.len.toNumber())
				throw rt.error('Referenda', 'PreimageStoredWithDifferentLength');
		}
		const amount = rt.meta.constant<u128>('Referenda', 'SubmissionDeposit').toBigInt();
		rt.reserve(who, amount);
		const index = rt.store.get<u32>('Referenda', 'ReferendumCount')!.toNumber();
		rt.store.put('Referenda', 'ReferendumCount', [], index + 1);
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], {
			Ongoing: {
				track,
				origin: proposalOrigin,
				proposal,
				enactment,
				submitted: rt.number,
				submissionDeposit: { who, amount },
				decisionDeposit: null,
				deciding: null,
				tally: { ayes: 0, nays: 0, support: 0 },
				inQueue: false,
				alarm: null,
			},
		});
		rt.deposit('Referenda', 'Submitted', [index, track, proposal]);
	},
	'referenda.placeDecisionDeposit': (rt, o, [indexArg]) => {
		const who = rt.ensureSigned(o);
		const index = indexArg.toNumber();
		const st = ongoing(rt, index);
		if (st.decisionDeposit) throw rt.error('Referenda', 'HasDeposit');
		const info = tracks(rt);
		const track = info.get(st.track);
		if (!track) throw rt.error('Referenda', 'NoTrack');
		rt.reserve(who, track.decisionDeposit);
		st.decisionDeposit = { who, amount: track.decisionDeposit };
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], serviceReferendum(rt, index, st, info));
		rt.deposit('Referenda', 'DecisionDepositPlaced', [index, who, track.decisionDeposit]);
	},
	'referenda.cancel': (rt, o, [indexArg]) => {
		rt.ensureRoot(o);
		const index = indexArg.toNumber();
		const st = ongoing(rt, index);
		if (st.deciding) noteOneFewerDeciding(rt, st.track, tracks(rt));
		rt.deposit('Referenda', 'Cancelled', [index, st.tally]);
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Cancelled: [rt.number, st.submissionDeposit, st.decisionDeposit] });
	},
	'referenda.kill': (rt, o, [indexArg]) => {
		rt.ensureRoot(o);
		const index = indexArg.toNumber();
		const st = ongoing(rt, index);
		if (st.deciding) noteOneFewerDeciding(rt, st.track, tracks(rt));
		rt.deposit('Referenda', 'Killed', [index, st.tally]);
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Killed: rt.number });
	},
	'referenda.nudgeReferendum': (rt, o, [indexArg]) => {
		rt.ensureRoot(o);
		const index = indexArg.toNumber();
		const st = ongoing(rt, index);
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], serviceReferendum(rt, index, st, tracks(rt)));
	},
};

export const referenda: Pallet = { name: 'Referenda', calls: referendaHandlers, onInitialize: referendaOnInitialize };
