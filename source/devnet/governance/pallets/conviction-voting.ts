/** pallet_conviction_voting, following substrate/frame/conviction-voting (polls are Referenda's). */
import type { u32 } from '@polkadot/types';
import type { Handler, Pallet, Runtime } from '../runtime.js';
import { convictionVotes } from './support.js';

const CONVICTION_ID = 'pyconvot';

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

export const convictionVotingHandlers: Record<string, Handler> = {
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
			if (votes.length >= rt.meta.constant<u32>('ConvictionVoting', 'MaxVotes').toNumber())
				throw rt.error('ConvictionVoting', 'MaxVotesReached');
			votes.push([index, vote]);
			votes.sort((a, b) => a[0] - b[0]);
		}
		tally.ayes += effect.ayes;
		tally.nays += effect.nays;
		tally.support += effect.support;
		st.tally = tally;
		rt.store.put('ConvictionVoting', 'VotingFor', [[who, cls]], {
			Casting: { votes, delegations: casting.delegations, prior: casting.prior },
		});
		updateClassLock(rt, who, cls, effect.balance);
		rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Ongoing: st });
	},
	'convictionVoting.removeVote': (rt, o, [classArg, pollIndex]) => {
		const who = rt.ensureSigned(o);
		const index = pollIndex.toNumber();
		const info = rt.store.get('Referenda', 'ReferendumInfoFor', [index]) as any;
		const cls: number | undefined = classArg.isSome
			? classArg.unwrap().toNumber()
			: info?.isOngoing
				? info.asOngoing.track.toNumber()
				: undefined;
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
			st.tally = {
				ayes: BigInt(st.tally.ayes) - e.ayes,
				nays: BigInt(st.tally.nays) - e.nays,
				support: BigInt(st.tally.support) - e.support,
			};
			rt.store.put('Referenda', 'ReferendumInfoFor', [index], { Ongoing: st });
		}
		rt.store.put('ConvictionVoting', 'VotingFor', [[who, cls]], {
			Casting: { votes, delegations: casting.delegations, prior: casting.prior },
		});
	},
};

export const convictionVoting: Pallet = { name: 'ConvictionVoting', calls: convictionVotingHandlers };
