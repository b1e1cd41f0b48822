/**
 * pallet_referenda, pallet_conviction_voting and pallet_whitelist, following
 * substrate/frame/{referenda,conviction-voting,whitelist}.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { callerToOrigin, type Handler, ROOT, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';
import { convictionVotes } from './gov1.js';

const PERBILL = 1_000_000_000n;
const CONVICTION_ID = 'pyconvot';
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
	const list = (rt.meta.constant('Referenda', 'Tracks') as any).toJSON() as Array<[number, any]>;
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
	const count = (rt.store.get('Referenda', 'DecidingCount', [trackId]) as any).toNumber();
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
				const count = (rt.store.get('Referenda', 'DecidingCount', [st.track]) as any).toNumber();
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
					rt.schedulerHooks.scheduleNamed(rt, assemblyTaskName(index), Math.max(desired, earliest), callerToOrigin(rt.registry.createType(rt.meta.originCallerType, st.origin)), st.proposal, 63);
				} catch {
					rt.notes.push(`block ${now}: referenda could not schedule the enactment of referendum ${index}`);
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
	const count = (rt.store.get('Referenda', 'ReferendumCount') as any).toNumber();
	const info = tracks(rt);
	for (let index = 0; index < count; index++) {
		const r = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
		if (!r?.isOngoing) continue;
		const st = r.asOngoing.toJSON();
		const before = JSON.stringify(st);
		const next = serviceReferendum(rt, index, st, info);
		if (!('Ongoing' in (next as object)) || JSON.stringify(st) !== before) rt.store.put('Referenda', 'ReferendumInfoFor', [index], next);
	}
}

// ---------------------------------------------------------------- conviction voting

function voteEffect(vote: any): { ayes: bigint; nays: bigint; support: bigint; balance: bigint } {
	if (vote.isStandard) {
		const v = vote.asStandard;
		const balance = v.balance.toBigInt();
		const { votes, capital } = convictionVotes(v.vote.conviction.index, balance);
		return v.vote.isAye ? { ayes: votes, nays: 0n, support: capital, balance } : { ayes: 0n, nays: votes, support: 0n, balance };
	}
	if (vote.isSplit) {
		const s = vote.asSplit;
		const aye = s.aye.toBigInt();
		const nay = s.nay.toBigInt();
		return { ayes: aye / 10n, nays: nay / 10n, support: aye, balance: aye + nay };
	}
	const s = vote.asSplitAbstain;
	const aye = s.aye.toBigInt();
	const nay = s.nay.toBigInt();
	const abstain = s.abstain.toBigInt();
	return { ayes: aye / 10n, nays: nay / 10n, support: aye + abstain, balance: aye + nay + abstain };
}

function updateClassLock(rt: Runtime, who: string, cls: number, amount: bigint): void {
	const locks = ((rt.store.get('ConvictionVoting', 'ClassLocksFor', [who]) as any).toJSON() as Array<[number, any]>).map(
		([c, a]) => [c, BigInt(a)] as [number, bigint],
	);
	const i = locks.findIndex(([c]) => c === cls);
	if (i >= 0) locks[i]![1] = locks[i]![1] > amount ? locks[i]![1] : amount;
	else locks.push([cls, amount]);
	rt.store.put('ConvictionVoting', 'ClassLocksFor', [who], locks);
	const max = locks.reduce((m, [, a]) => (a > m ? a : m), 0n);
	rt.setLock(CONVICTION_ID, who, max);
}

// ---------------------------------------------------------------- whitelist

async function cleanAndDispatch(rt: Runtime, callHash: Hex, call: any): Promise<void> {
	rt.store.remove('Whitelist', 'WhitelistedCall', [callHash]);
	rt.preimageHooks.unrequest(rt, callHash);
	const res = await rt.dispatch(call, ROOT);
	const result = res.ok ? { Ok: { actualWeight: null, paysFee: 'Yes' } } : { Err: { postInfo: { actualWeight: null, paysFee: 'Yes' }, error: res.error.value } };
	rt.deposit('Whitelist', 'WhitelistedCallDispatched', [callHash, result]);
}

export const opengovHandlers: Record<string, Handler> = {
	'referenda.submit': (rt, o, [proposalOrigin, proposal, enactment]) => {
		const who = rt.ensureSigned(o);
		const track = trackFor(proposalOrigin);
		if (track === undefined) throw rt.error('Referenda', 'NoTrack');
		if (proposal.isLookup) {
			const known = rt.preimageLen(proposal.asLookup.hash_.toHex());
			if (known !== undefined && known !== proposal.asLookup.len.toNumber()) throw rt.error('Referenda', 'PreimageStoredWithDifferentLength');
		}
		const amount = (rt.meta.constant('Referenda', 'SubmissionDeposit') as any).toBigInt();
		rt.reserve(who, amount);
		const index = (rt.store.get('Referenda', 'ReferendumCount') as any).toNumber();
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
	'convictionVoting.vote': (rt, o, [pollIndex, vote]) => {
		const who = rt.ensureSigned(o);
		const index = pollIndex.toNumber();
		const effect = voteEffect(vote);
		const account = rt.account(who);
		if (effect.balance > account.data.free + account.data.reserved) throw rt.error('ConvictionVoting', 'InsufficientFunds');
		const info = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
		if (!info?.isOngoing) throw rt.error('ConvictionVoting', 'NotOngoing');
		const st = info.asOngoing.toJSON();
		const cls = st.track as number;
		const voting = rt.store.get('ConvictionVoting', 'VotingFor', [[who, cls]]) as any;
		if (voting.isDelegating) throw rt.error('ConvictionVoting', 'AlreadyDelegating');
		const casting = voting.asCasting;
		const votes: Array<[number, any]> = casting.votes.map((v: any) => [v[0].toNumber(), v[1]]);
		const tally = { ayes: BigInt(st.tally.ayes), nays: BigInt(st.tally.nays), support: BigInt(st.tally.support) };
		const pos = votes.findIndex(([i]) => i === index);
		if (pos >= 0) {
			const old = voteEffect(votes[pos]![1]);
			tally.ayes -= old.ayes;
			tally.nays -= old.nays;
			tally.support -= old.support;
			votes[pos] = [index, vote];
		} else {
			if (votes.length >= (rt.meta.constant('ConvictionVoting', 'MaxVotes') as any).toNumber()) throw rt.error('ConvictionVoting', 'MaxVotesReached');
			votes.push([index, vote]);
			votes.sort((a, b) => a[0] - b[0]);
		}
		tally.ayes += effect.ayes;
		tally.nays += effect.nays;
		tally.support += effect.support;
		st.tally = tally;
		rt.store.put('ConvictionVoting', 'VotingFor', [[who, cls]], { Casting: { votes, delegations: casting.delegations, prior: casting.prior } });
		updateClassLock(rt, who, cls, effect.balance);
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Ongoing: st });
	},
	'convictionVoting.removeVote': (rt, o, [classArg, pollIndex]) => {
		const who = rt.ensureSigned(o);
		const index = pollIndex.toNumber();
		const info = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
		const cls: number | undefined = classArg.isSome ? classArg.unwrap().toNumber() : info?.isOngoing ? info.asOngoing.track.toNumber() : undefined;
		if (cls === undefined) throw rt.error('ConvictionVoting', 'ClassNeeded');
		const voting = rt.store.get('ConvictionVoting', 'VotingFor', [[who, cls]]) as any;
		if (!voting.isCasting) throw rt.error('ConvictionVoting', 'NotVoter');
		const casting = voting.asCasting;
		const votes: Array<[number, any]> = casting.votes.map((v: any) => [v[0].toNumber(), v[1]]);
		const pos = votes.findIndex(([i]) => i === index);
		if (pos < 0) throw rt.error('ConvictionVoting', 'NotVoter');
		const [, old] = votes.splice(pos, 1)[0]!;
		if (info?.isOngoing) {
			const st = info.asOngoing.toJSON();
			const e = voteEffect(old);
			st.tally = { ayes: BigInt(st.tally.ayes) - e.ayes, nays: BigInt(st.tally.nays) - e.nays, support: BigInt(st.tally.support) - e.support };
			rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Ongoing: st });
		}
		rt.store.put('ConvictionVoting', 'VotingFor', [[who, cls]], { Casting: { votes, delegations: casting.delegations, prior: casting.prior } });
	},
	// Whitelist: WhitelistOrigin and DispatchWhitelistedOrigin are EnsureRoot in the kitchensink.
	'whitelist.whitelistCall': (rt, o, [callHash]) => {
		rt.ensureRoot(o);
		const hash = callHash.toHex() as Hex;
		if (rt.store.exists('Whitelist', 'WhitelistedCall', [hash])) throw rt.error('Whitelist', 'CallAlreadyWhitelisted');
		rt.store.put('Whitelist', 'WhitelistedCall', [hash], null);
		rt.preimageHooks.request(rt, hash);
		rt.deposit('Whitelist', 'CallWhitelisted', [hash]);
	},
	'whitelist.removeWhitelistedCall': (rt, o, [callHash]) => {
		rt.ensureRoot(o);
		const hash = callHash.toHex() as Hex;
		if (!rt.store.exists('Whitelist', 'WhitelistedCall', [hash])) throw rt.error('Whitelist', 'CallIsNotWhitelisted');
		rt.store.remove('Whitelist', 'WhitelistedCall', [hash]);
		rt.preimageHooks.unrequest(rt, hash);
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

export const referendaHooks = { onInitialize: referendaOnInitialize };
