/** pallet_democracy, following substrate/frame/democracy. */
import type { bool, u32 } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { type Handler, type Origin, type Pallet, ROOT, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';
import { u32ToU8a } from '../util.js';
import { convictionVotes } from './support.js';

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
	const index = rt.store.get<u32>('Democracy', 'ReferendumCount')!.toNumber();
	rt.store.put('Democracy', 'ReferendumCount', [], index + 1);
	rt.store.put('Democracy', 'ReferendumInfoOf', [index], {
		Ongoing: { end, proposal, threshold, delay, tally: { ayes: 0, nays: 0, turnout: 0 } },
	});
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
	const next = rt.store.get<u32>('Democracy', 'LowestUnbaked')!.toNumber();
	const last = rt.store.get<u32>('Democracy', 'ReferendumCount')!.toNumber();
	for (let index = next; index < last; index++) {
		const info = rt.store.get('Democracy', 'ReferendumInfoOf', [index]) as any;
		if (!info?.isOngoing) continue;
		const st = info.asOngoing;
		if (st.end.toNumber() !== now) continue;
		const approved = thresholdApproved(
			st.threshold.type,
			st.tally.ayes.toBigInt(),
			st.tally.nays.toBigInt(),
			st.tally.turnout.toBigInt(),
			rt.totalIssuance(),
		);
		if (approved) {
			rt.deposit('Democracy', 'Passed', [index]);
			const when = now + Math.max(st.delay.toNumber(), 1);
			try {
				rt.scheduleNamed(democracyTaskName(index), when, ROOT, st.proposal, 63);
			} catch {
				rt.note(`democracy could not schedule referendum ${index}`);
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
	'democracy.externalProposeMajority': externalPropose(
		'SimpleMajority',
		(rt, o) => rt.ensureProportionAtLeast(o, 'Council', 3, 4),
		false,
	),
	// ExternalDefaultOrigin: EnsureProportionAtLeast<Council, 1, 1>
	'democracy.externalProposeDefault': externalPropose(
		'SuperMajorityAgainst',
		(rt, o) => rt.ensureProportionAtLeast(o, 'Council', 1, 1),
		false,
	),
	'democracy.fastTrack': (rt, o, [proposalHash, votingPeriodArg, delayArg]) => {
		const votingPeriod = votingPeriodArg.toNumber();
		// FastTrackOrigin: TC 2/3; below FastTrackVotingPeriod it takes InstantOrigin (TC 1/1) and InstantAllowed.
		const needInstant = votingPeriod < rt.periods.fastTrackVotingPeriod || !rt.isProportionAtLeast(o, 'TechnicalCommittee', 2, 3);
		if (needInstant) {
			rt.ensureProportionAtLeast(o, 'TechnicalCommittee', 1, 1);
			if (!rt.meta.constant<bool>('Democracy', 'InstantAllowed').isTrue) throw rt.error('Democracy', 'InstantNotAllowed');
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
			if (votes.length >= rt.meta.constant<u32>('Democracy', 'MaxVotes').toNumber()) throw rt.error('Democracy', 'MaxVotesReached');
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

export const democracy: Pallet = { name: 'Democracy', calls: democracyHandlers, onInitialize: democracyOnInitialize };
