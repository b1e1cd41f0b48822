/**
 * pallet-conviction-voting (OpenGov): the votes an account has cast on a track.
 */
import type { ApiPromise } from '@polkadot/api';
import { castVotesOf, palletQuery, type AccountVoteCodec, type CastVotes, type NumberCodec } from './common.js';

interface VotingCodec {
	isCasting: boolean;
	asCasting: { votes: Array<[NumberCodec, AccountVoteCodec]> };
	isDelegating: boolean;
}
interface ConvictionVotingStorage {
	votingFor: (who: string, track: number) => Promise<VotingCodec>;
}

function storage(api: ApiPromise): ConvictionVotingStorage {
	const q = palletQuery<ConvictionVotingStorage>(api, 'convictionVoting');
	if (!q) throw new Error('this chain has no ConvictionVoting pallet');
	return q;
}

/** The votes this account has cast on a track, and whether it delegates there. */
export async function convictionVoting(api: ApiPromise, who: string, track: number): Promise<CastVotes> {
	const voting = await storage(api).votingFor(who, track);
	return castVotesOf(voting.isCasting ? voting.asCasting.votes : [], voting.isDelegating);
}

/** Referendum indexes this account has voted on, on a track. */
export async function convictionVotes(api: ApiPromise, who: string, track: number): Promise<number[]> {
	return (await convictionVoting(api, who, track)).votes.map((v) => v.index);
}
