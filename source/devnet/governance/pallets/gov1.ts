/**
 * pallet_preimage, pallet_scheduler, pallet_collective (Council and
 * TechnicalCommittee) and pallet_democracy, following substrate/frame/*.
 */
import type { GenericCall } from '@polkadot/types';
import { compactAddLength, u8aConcat, u8aToHex } from '@polkadot/util';
import { u32ToU8a } from '../util.js';
import { blake2AsHex } from '@polkadot/util-crypto';
import { callerToOrigin, type Collective, DispatchErr, type Handler, type Origin, originToCaller, type PostInfo, ROOT, Runtime, type Weight } from '../runtime.js';
import type { Hex } from '../storage.js';

// ================================================================ Preimage

const PREIMAGE_HOLD = { Preimage: 'Preimage' };
const MAX_PREIMAGE_SIZE = 4 * 1024 * 1024;

/** kitchensink: HoldConsideration with LinearStoragePrice<deposit(2, 64), deposit(0, 1)>. */
export function preimageDeposit(len: number): bigint {
	const CENTS = 1_000_000_000_000n;
	const item = (items: bigint, bytes: bigint) => items * 15n * CENTS + bytes * 6n * CENTS;
	return item(2n, 64n) + item(0n, 1n) * BigInt(len);
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
	rt.state.set(rt.store.key('Preimage', 'PreimageFor', [[hash, len]]), u8aToHex(compactAddLength(bytes)));
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
		rt.store.put('Preimage', 'RequestStatusFor', [hash], { Requested: { maybeTicket: r.maybeTicket, count: count - 1, maybeLen: r.maybeLen } });
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

export const preimageHooks = {
	request: requestPreimage,
	unrequest: (rt: Runtime, hash: Hex) => {
		try {
			unrequestPreimage(rt, hash);
		} catch {
			/* defensive in FRAME too */
		}
	},
	noteBytes,
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
				rt.store.put('Preimage', 'RequestStatusFor', [hash], { Requested: { maybeTicket: null, count: r.count, maybeLen: r.maybeLen } });
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

// ================================================================ Scheduler

interface ScheduledJson {
	maybeId: Hex | null;
	priority: number;
	call: unknown;
	maybePeriodic: null;
	origin: unknown;
}

function agenda(rt: Runtime, when: number): Array<ScheduledJson | null> {
	const a = rt.store.get('Scheduler', 'Agenda', [when]) as any;
	return (a as any[]).map((slot: any) => (slot.isSome ? (slot.unwrap().toJSON() as ScheduledJson) : null));
}

function placeTask(rt: Runtime, when: number, task: ScheduledJson): number {
	const a = agenda(rt, when);
	const max = (rt.meta.constant('Scheduler', 'MaxScheduledPerBlock') as any).toNumber();
	let index: number;
	if (a.length < max) {
		a.push(task);
		index = a.length - 1;
	} else {
		index = a.findIndex((x) => x === null);
		if (index < 0) throw rt.error('Scheduler', 'FailedToSchedule');
		a[index] = task;
	}
	rt.store.put('Scheduler', 'Agenda', [when], a);
	if (task.maybeId) rt.store.put('Scheduler', 'Lookup', [task.maybeId], [when, index]);
	rt.deposit('Scheduler', 'Scheduled', [when, index]);
	return index;
}

function boundedCodec(rt: Runtime, bounded: unknown): any {
	return rt.registry.createType('FrameSupportPreimagesBounded', bounded);
}

/** Scheduler::do_schedule(_named): resolve the time, place the task, request a looked-up preimage. */
function doSchedule(rt: Runtime, id: Hex | null, when: number, origin: Origin, call: unknown, priority: number): number {
	if (when <= rt.number) throw rt.error('Scheduler', 'TargetBlockNumberInPast');
	if (id && rt.store.exists('Scheduler', 'Lookup', [id])) throw rt.error('Scheduler', 'FailedToSchedule');
	const b = boundedCodec(rt, call);
	const index = placeTask(rt, when, { maybeId: id, priority, call: b.toJSON(), maybePeriodic: null, origin: originToCaller(origin) });
	const hash = Runtime.boundedLookupHash(b);
	if (hash) requestPreimage(rt, hash);
	return index;
}

function dropBounded(rt: Runtime, bounded: any): void {
	const hash = Runtime.boundedLookupHash(bounded);
	if (hash) preimageHooks.unrequest(rt, hash);
}

function doCancel(rt: Runtime, when: number, index: number): void {
	const a = agenda(rt, when);
	const task = a[index];
	if (!task) throw rt.error('Scheduler', 'NotFound');
	a[index] = null;
	dropBounded(rt, boundedCodec(rt, task.call));
	if (task.maybeId) rt.store.remove('Scheduler', 'Lookup', [task.maybeId]);
	if (a.every((x) => x === null)) rt.store.remove('Scheduler', 'Agenda', [when]);
	else rt.store.put('Scheduler', 'Agenda', [when], a);
	rt.deposit('Scheduler', 'Canceled', [when, index]);
}

/** Scheduler::on_initialize: dispatch the agenda for this block in priority order. */
async function serviceAgenda(rt: Runtime): Promise<void> {
	const when = rt.number;
	const a = agenda(rt, when);
	if (!a.length) return;
	const order = a
		.map((t, i) => [t, i] as const)
		.filter(([t]) => t !== null)
		.sort((x, y) => x[0]!.priority - y[0]!.priority);
	for (const [task, index] of order) {
		if (!task) continue;
		const id = task.maybeId;
		if (id) rt.store.remove('Scheduler', 'Lookup', [id]);
		const bounded = boundedCodec(rt, task.call);
		const bytes = rt.peekBounded(bounded);
		let call: GenericCall | undefined;
		try {
			call = bytes ? rt.decodeCall(bytes) : undefined;
			if (call && call.encodedLength !== bytes!.length) call = undefined;
		} catch {
			call = undefined;
		}
		if (!call) {
			rt.deposit('Scheduler', 'CallUnavailable', [[when, index], id]);
			dropBounded(rt, bounded);
			continue;
		}
		const origin = callerToOrigin(rt.registry.createType(rt.meta.originCallerType, task.origin));
		const res = await rt.dispatch(call, origin);
		rt.deposit('Scheduler', 'Dispatched', [[when, index], id, rt.encodeDispatchResult(res)]);
		dropBounded(rt, bounded);
	}
	rt.store.remove('Scheduler', 'Agenda', [when]);
}

function noPeriodic(rt: Runtime, maybePeriodic: any): void {
	if (maybePeriodic.isSome) throw new DispatchErr({ Other: null }, 'periodic scheduler tasks are not modelled by the governance devnet (simulation)');
}

export const schedulerHandlers: Record<string, Handler> = {
	'scheduler.schedule': (rt, o, [when, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(rt, periodic);
		doSchedule(rt, null, when.toNumber(), o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.scheduleNamed': (rt, o, [id, when, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(rt, periodic);
		doSchedule(rt, id.toHex(), when.toNumber(), o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.scheduleAfter': (rt, o, [after, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(rt, periodic);
		doSchedule(rt, null, rt.number + after.toNumber() + 1, o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.scheduleNamedAfter': (rt, o, [id, after, periodic, priority, call]) => {
		rt.ensureRoot(o);
		noPeriodic(rt, periodic);
		doSchedule(rt, id.toHex(), rt.number + after.toNumber() + 1, o, rt.bound(call.toU8a()), priority.toNumber());
	},
	'scheduler.cancel': (rt, o, [when, index]) => {
		rt.ensureRoot(o);
		doCancel(rt, when.toNumber(), index.toNumber());
	},
	'scheduler.cancelNamed': (rt, o, [id]) => {
		rt.ensureRoot(o);
		const at = rt.store.get('Scheduler', 'Lookup', [id.toHex()]) as any;
		if (!at) throw rt.error('Scheduler', 'NotFound');
		doCancel(rt, at[0].toNumber(), at[1].toNumber());
	},
};

export const schedulerHooks = {
	scheduleNamed: (rt: Runtime, id: Hex, when: number, origin: Origin, call: unknown, priority: number) => {
		doSchedule(rt, id, when, origin, call, priority);
	},
	serviceAgenda,
};

// ================================================================ Collective

function weightLte(a: Weight, b: { refTime: any; proofSize: any }): boolean {
	return a.refTime <= BigInt(b.refTime.toString()) && a.proofSize <= BigInt(b.proofSize.toString());
}

function members(rt: Runtime, c: Collective): string[] {
	return (rt.store.get(c, 'Members') as any).map((m: any) => m.toString());
}

function collectiveHandlers(c: Collective): Record<string, Handler> {
	const section = c === 'Council' ? 'council' : 'technicalCommittee';
	const maxProposalWeight = (rt: Runtime) => rt.meta.constant(c, 'MaxProposalWeight') as any;

	const removeProposal = (rt: Runtime, hash: Hex) => {
		rt.store.remove(c, 'ProposalOf', [hash]);
		rt.store.remove(c, 'Voting', [hash]);
		const list = (rt.store.get(c, 'Proposals') as any).map((h: any) => h.toHex()).filter((h: string) => h !== hash);
		rt.store.put(c, 'Proposals', [], list);
	};

	const approve = async (rt: Runtime, seats: number, yes: number, hash: Hex, proposal: GenericCall) => {
		rt.deposit(c, 'Approved', [hash]);
		const res = await rt.dispatch(proposal, { kind: 'members', collective: c, yes, total: seats });
		rt.deposit(c, 'Executed', [hash, rt.encodeDispatchResult(res)]);
		removeProposal(rt, hash);
	};

	const disapprove = (rt: Runtime, hash: Hex) => {
		rt.deposit(c, 'Disapproved', [hash]);
		removeProposal(rt, hash);
	};

	return {
		[`${section}.setMembers`]: (rt, o, [newMembers, prime]) => {
			rt.ensureRoot(o);
			const list = (newMembers as any[]).map((m) => m.toString()).sort();
			const p = prime.isSome ? prime.unwrap().toString() : null;
			if (p && !list.includes(p)) throw rt.error(c, 'PrimeAccountNotMember');
			rt.store.put(c, 'Members', [], list);
			if (p) rt.store.put(c, 'Prime', [], p);
			else rt.store.remove(c, 'Prime');
		},
		[`${section}.execute`]: async (rt, o, [proposal, lengthBound]) => {
			const who = rt.ensureSigned(o);
			if (!members(rt, c).includes(who)) throw rt.error(c, 'NotMember');
			if (proposal.encodedLength > lengthBound.toNumber()) throw rt.error(c, 'WrongProposalLength');
			const hash = Runtime.hashOf(proposal.toU8a());
			const res = await rt.dispatch(proposal, { kind: 'member', collective: c, who });
			rt.deposit(c, 'MemberExecuted', [hash, rt.encodeDispatchResult(res)]);
		},
		[`${section}.propose`]: async (rt, o, [thresholdArg, proposal, lengthBound]) => {
			const who = rt.ensureSigned(o);
			const ms = members(rt, c);
			if (!ms.includes(who)) throw rt.error(c, 'NotMember');
			const threshold = thresholdArg.toNumber();
			if (proposal.encodedLength > lengthBound.toNumber()) throw rt.error(c, 'WrongProposalLength');
			if (!weightLte(Runtime.callWeight(proposal), maxProposalWeight(rt))) throw rt.error(c, 'WrongProposalWeight');
			const hash = Runtime.hashOf(proposal.toU8a());
			if (rt.store.exists(c, 'ProposalOf', [hash])) throw rt.error(c, 'DuplicateProposal');
			if (threshold < 2) {
				const res = await rt.dispatch(proposal, { kind: 'members', collective: c, yes: 1, total: ms.length });
				rt.deposit(c, 'Executed', [hash, rt.encodeDispatchResult(res)]);
				return;
			}
			const list = (rt.store.get(c, 'Proposals') as any).map((h: any) => h.toHex());
			if (list.length >= 100) throw rt.error(c, 'TooManyProposals');
			list.push(hash);
			rt.store.put(c, 'Proposals', [], list);
			const index = (rt.store.get(c, 'ProposalCount') as any).toNumber();
			rt.store.put(c, 'ProposalCount', [], index + 1);
			rt.store.put(c, 'ProposalOf', [hash], proposal);
			rt.store.put(c, 'Voting', [hash], { index, threshold, ayes: [], nays: [], end: rt.number + rt.periods.motionDuration });
			rt.deposit(c, 'Proposed', [who, index, hash, threshold]);
		},
		[`${section}.vote`]: (rt, o, [proposal, index, approveArg]) => {
			const who = rt.ensureSigned(o);
			if (!members(rt, c).includes(who)) throw rt.error(c, 'NotMember');
			const hash = proposal.toHex() as Hex;
			const voting = rt.store.get(c, 'Voting', [hash]) as any;
			if (!voting) throw rt.error(c, 'ProposalMissing');
			if (voting.index.toNumber() !== index.toNumber()) throw rt.error(c, 'WrongIndex');
			const ayes: string[] = voting.ayes.map((a: any) => a.toString());
			const nays: string[] = voting.nays.map((a: any) => a.toString());
			const posYes = ayes.indexOf(who);
			const posNo = nays.indexOf(who);
			const first = posYes < 0 && posNo < 0;
			const swapRemove = (arr: string[], i: number) => {
				arr[i] = arr[arr.length - 1]!;
				arr.pop();
			};
			if (approveArg.isTrue) {
				if (posYes >= 0) throw rt.error(c, 'DuplicateVote');
				ayes.push(who);
				if (posNo >= 0) swapRemove(nays, posNo);
			} else {
				if (posNo >= 0) throw rt.error(c, 'DuplicateVote');
				nays.push(who);
				if (posYes >= 0) swapRemove(ayes, posYes);
			}
			rt.deposit(c, 'Voted', [who, hash, approveArg.isTrue, ayes.length, nays.length]);
			rt.store.put(c, 'Voting', [hash], { index: voting.index, threshold: voting.threshold, ayes, nays, end: voting.end });
			return first ? { paysFee: 'No' } : {};
		},
		[`${section}.close`]: async (rt, o, [proposal, index, weightBound, lengthBound]): Promise<PostInfo> => {
			rt.ensureSigned(o);
			const hash = proposal.toHex() as Hex;
			const voting = rt.store.get(c, 'Voting', [hash]) as any;
			if (!voting) throw rt.error(c, 'ProposalMissing');
			if (voting.index.toNumber() !== index.toNumber()) throw rt.error(c, 'WrongIndex');
			let no = voting.nays.length as number;
			let yes = voting.ayes.length as number;
			const threshold = voting.threshold.toNumber() as number;
			const seats = members(rt, c).length;
			const validate = () => {
				const raw = rt.state.get(rt.store.key(c, 'ProposalOf', [hash]));
				if (!raw) throw rt.error(c, 'ProposalMissing');
				const len = (raw.length - 2) / 2;
				if (len > lengthBound.toNumber()) throw rt.error(c, 'WrongProposalLength');
				const call = rt.decodeCall(raw as Hex);
				if (!weightLte(Runtime.callWeight(call), weightBound)) throw rt.error(c, 'WrongProposalWeight');
				return call;
			};
			if (yes >= threshold) {
				const call = validate();
				rt.deposit(c, 'Closed', [hash, yes, no]);
				await approve(rt, seats, yes, hash, call);
				return { paysFee: 'No' };
			}
			if (seats - Math.min(seats, no) < threshold) {
				rt.deposit(c, 'Closed', [hash, yes, no]);
				disapprove(rt, hash);
				return { paysFee: 'No' };
			}
			if (rt.number < voting.end.toNumber()) throw rt.error(c, 'TooEarly');
			// PrimeDefaultVote: abstentions follow the prime's vote (nay if the prime did not vote aye).
			const prime = rt.store.get(c, 'Prime')?.toString();
			const primeAye = prime !== undefined && voting.ayes.some((a: any) => a.toString() === prime);
			const abstentions = seats - (yes + no);
			if (primeAye) yes += abstentions;
			else no += abstentions;
			if (yes >= threshold) {
				const call = validate();
				rt.deposit(c, 'Closed', [hash, yes, no]);
				await approve(rt, seats, yes, hash, call);
				return {};
			}
			rt.deposit(c, 'Closed', [hash, yes, no]);
			disapprove(rt, hash);
			return { paysFee: 'No' };
		},
		[`${section}.disapproveProposal`]: (rt, o, [proposalHash]) => {
			rt.ensureRoot(o);
			disapprove(rt, proposalHash.toHex());
		},
	};
}

export const councilHandlers = collectiveHandlers('Council');
export const technicalCommitteeHandlers = collectiveHandlers('TechnicalCommittee');

// ================================================================ Democracy

const DEMOCRACY_ID = 'democrac';

function isqrt(n: bigint): bigint {
	if (n < 2n) return n;
	let x = BigInt(Math.floor(Math.sqrt(Number(n))));
	while (x * x > n) x--;
	while ((x + 1n) * (x + 1n) <= n) x++;
	return x;
}

/** VoteThreshold::approved, with exact rational comparison (FRAME's compare_rationals). */
export function thresholdApproved(threshold: string, ayes: bigint, nays: bigint, turnout: bigint, electorate: bigint): boolean {
	const sqrtVoters = isqrt(turnout);
	const sqrtElectorate = isqrt(electorate);
	if (sqrtVoters === 0n) return false;
	const lt = (n1: bigint, d1: bigint, n2: bigint, d2: bigint) => n1 * d2 < n2 * d1;
	switch (threshold) {
		case 'SuperMajorityApprove':
			return lt(nays, sqrtVoters, ayes, sqrtElectorate);
		case 'SuperMajorityAgainst':
			return lt(nays, sqrtElectorate, ayes, sqrtVoters);
		default:
			return ayes > nays;
	}
}

/** Conviction::votes: (votes, capital). */
export function convictionVotes(conviction: number, balance: bigint): { votes: bigint; capital: bigint } {
	return { votes: conviction === 0 ? balance / 10n : balance * BigInt(conviction), capital: balance };
}

interface DemTally {
	ayes: bigint;
	nays: bigint;
	turnout: bigint;
}

function accountVoteEffect(vote: any): { ayes: bigint; nays: bigint; turnout: bigint; balance: bigint } {
	if (vote.isStandard) {
		const v = vote.asStandard;
		const balance = v.balance.toBigInt();
		const { votes, capital } = convictionVotes(v.vote.conviction.index, balance);
		return v.vote.isAye ? { ayes: votes, nays: 0n, turnout: capital, balance } : { ayes: 0n, nays: votes, turnout: capital, balance };
	}
	const s = vote.asSplit;
	const aye = s.aye.toBigInt();
	const nay = s.nay.toBigInt();
	return { ayes: aye / 10n, nays: nay / 10n, turnout: aye + nay, balance: aye + nay };
}

function injectReferendum(rt: Runtime, end: number, proposal: unknown, threshold: string, delay: number): number {
	const index = (rt.store.get('Democracy', 'ReferendumCount') as any).toNumber();
	rt.store.put('Democracy', 'ReferendumCount', [], index + 1);
	rt.store.put('Democracy', 'ReferendumInfoOf', [index], { Ongoing: { end, proposal, threshold, delay, tally: { ayes: 0, nays: 0, turnout: 0 } } });
	rt.deposit('Democracy', 'Started', [index, threshold]);
	return index;
}

function transferMetadata(rt: Runtime, from: unknown, to: unknown): void {
	const hash = rt.store.get('Democracy', 'MetadataOf', [from]);
	if (!hash) return;
	rt.store.remove('Democracy', 'MetadataOf', [from]);
	rt.store.put('Democracy', 'MetadataOf', [to], hash);
	rt.deposit('Democracy', 'MetadataTransferred', [from, to, hash]);
}

function launchExternal(rt: Runtime): boolean {
	const next = rt.store.get('Democracy', 'NextExternal') as any;
	if (!next) return false;
	rt.store.remove('Democracy', 'NextExternal');
	rt.store.put('Democracy', 'LastTabledWasExternal', [], true);
	rt.deposit('Democracy', 'ExternalTabled', []);
	const index = injectReferendum(rt, rt.number + rt.periods.votingPeriod, next[0], next[1].type, rt.periods.enactmentPeriod);
	transferMetadata(rt, { External: null }, { Referendum: index });
	return true;
}

/** Public proposals are not modelled, so launch_public never has anything to table. */
function launchNext(rt: Runtime): void {
	rt.store.remove('Democracy', 'LastTabledWasExternal');
	launchExternal(rt);
}

/** The democracy task name: (DEMOCRACY_ID, index).encode() zero-padded to 32 bytes. */
export function democracyTaskName(index: number): Hex {
	const raw = u8aConcat(new TextEncoder().encode(DEMOCRACY_ID), u32ToU8a(index));
	const out = new Uint8Array(32);
	out.set(raw);
	return u8aToHex(out) as Hex;
}

async function democracyOnInitialize(rt: Runtime): Promise<void> {
	const now = rt.number;
	if (now % rt.periods.launchPeriod === 0) launchNext(rt);
	const next = (rt.store.get('Democracy', 'LowestUnbaked') as any).toNumber() as number;
	const last = (rt.store.get('Democracy', 'ReferendumCount') as any).toNumber() as number;
	for (let index = next; index < last; index++) {
		const info = rt.store.get('Democracy', 'ReferendumInfoOf', [index]) as any;
		if (!info?.isOngoing) continue;
		const st = info.asOngoing;
		if (st.end.toNumber() !== now) continue;
		const approved = thresholdApproved(st.threshold.type, st.tally.ayes.toBigInt(), st.tally.nays.toBigInt(), st.tally.turnout.toBigInt(), rt.totalIssuance());
		if (approved) {
			rt.deposit('Democracy', 'Passed', [index]);
			const when = now + Math.max(st.delay.toNumber(), 1);
			try {
				rt.schedulerHooks.scheduleNamed(rt, democracyTaskName(index), when, ROOT, st.proposal, 63);
			} catch {
				rt.notes.push(`block ${now}: democracy could not schedule referendum ${index}`);
			}
		} else {
			rt.deposit('Democracy', 'NotPassed', [index]);
		}
		rt.store.put('Democracy', 'ReferendumInfoOf', [index], { Finished: { approved, end: now } });
	}
	let lowest = next;
	while (lowest < last) {
		const info = rt.store.get('Democracy', 'ReferendumInfoOf', [lowest]) as any;
		if (info && info.isOngoing) break;
		lowest++;
	}
	if (lowest !== next) rt.store.put('Democracy', 'LowestUnbaked', [], lowest);
}

function externalPropose(threshold: string, check: (rt: Runtime, o: Origin) => void, duplicateCheck: boolean): Handler {
	return (rt, o, [proposal]) => {
		check(rt, o);
		if (duplicateCheck && rt.store.exists('Democracy', 'NextExternal')) throw rt.error('Democracy', 'DuplicateProposal');
		const hash = Runtime.boundedHash(proposal);
		const black = rt.store.get('Democracy', 'Blacklist', [hash]) as any;
		if (black && rt.number < black[0].toNumber()) throw rt.error('Democracy', 'ProposalBlacklisted');
		rt.store.put('Democracy', 'NextExternal', [], [proposal, threshold]);
	};
}

export const democracyHandlers: Record<string, Handler> = {
	// ExternalOrigin: EnsureProportionAtLeast<Council, 1, 2>
	'democracy.externalPropose': externalPropose('SuperMajorityApprove', (rt, o) => rt.ensureProportionAtLeast(o, 'Council', 1, 2), true),
	// ExternalMajorityOrigin: EnsureProportionAtLeast<Council, 3, 4>
	'democracy.externalProposeMajority': externalPropose('SimpleMajority', (rt, o) => rt.ensureProportionAtLeast(o, 'Council', 3, 4), false),
	// ExternalDefaultOrigin: EnsureProportionAtLeast<Council, 1, 1>
	'democracy.externalProposeDefault': externalPropose('SuperMajorityAgainst', (rt, o) => rt.ensureProportionAtLeast(o, 'Council', 1, 1), false),
	'democracy.fastTrack': (rt, o, [proposalHash, votingPeriodArg, delayArg]) => {
		const votingPeriod = votingPeriodArg.toNumber();
		// FastTrackOrigin: TC 2/3; below FastTrackVotingPeriod it takes InstantOrigin (TC 1/1) and InstantAllowed.
		const needInstant = votingPeriod < rt.periods.fastTrackVotingPeriod || !rt.isProportionAtLeast(o, 'TechnicalCommittee', 2, 3);
		if (needInstant) {
			rt.ensureProportionAtLeast(o, 'TechnicalCommittee', 1, 1);
			if (!(rt.meta.constant('Democracy', 'InstantAllowed') as any).isTrue) throw rt.error('Democracy', 'InstantNotAllowed');
		}
		if (votingPeriod === 0) throw rt.error('Democracy', 'VotingPeriodLow');
		const next = rt.store.get('Democracy', 'NextExternal') as any;
		if (!next) throw rt.error('Democracy', 'ProposalMissing');
		if (next[1].type === 'SuperMajorityApprove') throw rt.error('Democracy', 'NotSimpleMajority');
		if (Runtime.boundedHash(next[0]) !== proposalHash.toHex()) throw rt.error('Democracy', 'InvalidHash');
		rt.store.remove('Democracy', 'NextExternal');
		const index = injectReferendum(rt, rt.number + votingPeriod, next[0], next[1].type, delayArg.toNumber());
		transferMetadata(rt, { External: null }, { Referendum: index });
	},
	'democracy.vote': (rt, o, [refIndex, vote]) => {
		const who = rt.ensureSigned(o);
		const index = refIndex.toNumber();
		const info = rt.store.get('Democracy', 'ReferendumInfoOf', [index]) as any;
		if (!info?.isOngoing) throw rt.error('Democracy', 'ReferendumInvalid');
		const st = info.asOngoing.toJSON();
		const effect = accountVoteEffect(vote);
		if (effect.balance > rt.account(who).data.free) throw rt.error('Democracy', 'InsufficientFunds');
		const voting = rt.store.get('Democracy', 'VotingOf', [who]) as any;
		if (voting.isDelegating) throw rt.error('Democracy', 'AlreadyDelegating');
		const direct = voting.asDirect;
		const votes: Array<[number, any]> = direct.votes.map((v: any) => [v[0].toNumber(), v[1]]);
		const tally: DemTally = { ayes: BigInt(st.tally.ayes), nays: BigInt(st.tally.nays), turnout: BigInt(st.tally.turnout) };
		const pos = votes.findIndex(([i]) => i === index);
		if (pos >= 0) {
			const old = accountVoteEffect(votes[pos]![1]);
			tally.ayes -= old.ayes;
			tally.nays -= old.nays;
			tally.turnout -= old.turnout;
			votes[pos] = [index, vote];
		} else {
			if (votes.length >= (rt.meta.constant('Democracy', 'MaxVotes') as any).toNumber()) throw rt.error('Democracy', 'MaxVotesReached');
			votes.push([index, vote]);
			votes.sort((a, b) => a[0] - b[0]);
		}
		rt.deposit('Democracy', 'Voted', [who, index, vote]);
		tally.ayes += effect.ayes;
		tally.nays += effect.nays;
		tally.turnout += effect.turnout;
		rt.store.put('Democracy', 'VotingOf', [who], { Direct: { votes, delegations: direct.delegations, prior: direct.prior } });
		if (effect.balance > rt.lockAmount(DEMOCRACY_ID, who)) rt.setLock(DEMOCRACY_ID, who, effect.balance);
		rt.store.put('Democracy', 'ReferendumInfoOf', [index], { Ongoing: { ...st, tally } });
	},
	'democracy.cancelReferendum': (rt, o, [refIndex]) => {
		rt.ensureRoot(o);
		const index = refIndex.toNumber();
		rt.deposit('Democracy', 'Cancelled', [index]);
		rt.store.remove('Democracy', 'ReferendumInfoOf', [index]);
	},
};

export const democracyHooks = { onInitialize: democracyOnInitialize };

export function blake(bytes: Uint8Array): Hex {
	return blake2AsHex(bytes, 256) as Hex;
}
