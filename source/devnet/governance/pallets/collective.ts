/** pallet_collective, following substrate/frame/collective: the Council and TechnicalCommittee instances. */
import type { GenericCall, u32 } from '@polkadot/types';
import { type Collective, type Handler, type Pallet, type PostInfo, Runtime, type Weight } from '../runtime.js';
import type { Hex } from '../storage.js';

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
			const index = rt.store.get<u32>(c, 'ProposalCount')!.toNumber();
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
				const raw = rt.getRaw(rt.store.key(c, 'ProposalOf', [hash]));
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

export const council: Pallet = { name: 'Council', calls: councilHandlers };
export const technicalCommittee: Pallet = { name: 'TechnicalCommittee', calls: technicalCommitteeHandlers };
