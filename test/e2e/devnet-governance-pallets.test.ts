/**
 * Pallet behaviour on the governance devnet, driven only through @polkadot/api.
 * Each test names the FRAME behaviour (substrate/frame/<pallet>) it mirrors.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/frames.js';
import { buildDevnetCode, DEFAULT_PERIODS, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import {
	blockEvents,
	connect,
	devKeys,
	dispatchResultError,
	eventNames,
	findEvent,
	newBlocks,
	rawRpc,
	send,
} from '../helpers/governance.js';

const DOLLARS = 10n ** 14n;
const BIG_WEIGHT = { refTime: 100_000_000_000, proofSize: 10_000_000 };

describe('governance devnet: pallets', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
	});
	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	const sudo = (call: any) => send(api, api.tx.sudo.sudo(call), keys.alice);
	const sudid = (r: { events: any[] }) => dispatchResultError(api, (findEvent(r.events as any, 'sudo.Sudid')!.event.data as any)[0]);

	describe('genesis and constants', () => {
		it('has the dev accounts funded, Alice as sudo, the council and technical committee of the brief', async () => {
			const { alice, bob, charlie, dave } = keys;
			expect((await api.query.system.account(alice.address)).data.free.toBigInt()).toBe(10_000_000n * DOLLARS);
			expect((await api.query.sudo.key()).unwrap().toString()).toBe(alice.address);
			expect((await api.query.council.members()).map((m: any) => m.toString())).toEqual([
				alice.address,
				bob.address,
				charlie.address,
			]);
			expect((await api.query.council.prime()).unwrap().toString()).toBe(alice.address);
			expect((await api.query.technicalCommittee.members()).map((m: any) => m.toString())).toEqual([
				alice.address,
				bob.address,
				dave.address,
			]);
		});

		it('serves constants that match the periods it runs (metadata rewritten)', async () => {
			expect(api.consts.democracy.launchPeriod.toNumber()).toBe(1000);
			expect(api.consts.democracy.votingPeriod.toNumber()).toBe(DEFAULT_PERIODS.votingPeriod);
			expect(api.consts.democracy.fastTrackVotingPeriod.toNumber()).toBe(DEFAULT_PERIODS.fastTrackVotingPeriod);
			expect(api.consts.democracy.enactmentPeriod.toNumber()).toBe(DEFAULT_PERIODS.enactmentPeriod);
			expect(api.consts.referenda.undecidingTimeout.toNumber()).toBe(DEFAULT_PERIODS.undecidingTimeout);
			const [[id, root]] = api.consts.referenda.tracks;
			expect(id.toNumber()).toBe(0);
			expect(root.decisionPeriod.toNumber()).toBe(DEFAULT_PERIODS.trackDecisionPeriod);
			expect(api.consts.system.version.specVersion.toNumber()).toBe(api.runtimeVersion.specVersion.toNumber());
		});

		it('advances the timestamp 6 s per block, and dev_timeTravel jumps', async () => {
			await newBlocks(api, 1);
			const t0 = (await api.query.timestamp.now()).toNumber();
			await newBlocks(api, 1);
			expect((await api.query.timestamp.now()).toNumber()).toBe(t0 + 6000);
			const target = t0 + 86_400_000;
			await rawRpc(api, 'dev_timeTravel', [target]);
			await newBlocks(api, 1);
			expect((await api.query.timestamp.now()).toNumber()).toBe(target);
		});
	});

	describe('System (frame_system)', () => {
		it('remark_with_event deposits Remarked { sender, hash }', async () => {
			const r = await send(api, api.tx.system.remarkWithEvent('0xdeadbeef'), keys.bob);
			const ev = findEvent(r.events, 'system.Remarked')!;
			expect((ev.event.data as any)[1].toHex()).toBe(blake2AsHex('0xdeadbeef', 256));
		});

		it('set_code needs Root (BadOrigin) and checks the new Core_version: spec name equal, spec version increasing', async () => {
			const spec = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
			expect((await send(api, api.tx.system.setCode('0x00'), keys.alice)).error).toBe('BadOrigin');
			expect(sudid(await sudo(api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec })))))).toBe(
				'System.SpecVersionNeedsToIncrease',
			);
			expect(sudid(await sudo(api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec + 1, specName: 'other' })))))).toBe(
				'System.InvalidSpecName',
			);
			expect(sudid(await sudo(api.tx.system.setCode('0x0061736d01000000')))).toBe('System.FailedToExtractRuntimeVersion');
		});

		it('authorize_upgrade then apply_authorized_upgrade (unsigned) enacts the code; a wrong code is Unauthorized', async () => {
			const spec = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
			const code = buildDevnetCode({ specVersion: spec + 1 });
			const auth = await sudo(api.tx.system.authorizeUpgrade(blake2AsHex(code, 256)));
			expect(auth.names).toContain('system.UpgradeAuthorized');
			expect((await api.query.system.authorizedUpgrade()).unwrap().codeHash.toHex()).toBe(blake2AsHex(code, 256));
			const wrong = await send(
				api,
				api.tx.system.applyAuthorizedUpgrade(u8aToHex(buildDevnetCode({ specVersion: spec + 2 }))),
				keys.bob,
			);
			expect(wrong.error).toBe('System.Unauthorized');
			const versions: number[] = [];
			const unsub = await api.rpc.state.subscribeRuntimeVersion((v: any) => {
				versions.push(v.specVersion.toNumber());
			});
			await api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)).send();
			await newBlocks(api, 1);
			const names = eventNames(
				await blockEvents(api, (await api.rpc.chain.getBlockHash((await api.rpc.chain.getHeader()).number.toNumber() - 1)).toHex()),
			);
			expect(names).toContain('system.CodeUpdated');
			expect((await api.query.system.authorizedUpgrade()).isNone).toBe(true);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(spec + 1);
			await waitFor(() => versions.includes(spec + 1), 'the new version on the runtime-version subscription', 10_000);
			expect(versions).toContain(spec + 1);
			unsub();
			// the header of the upgrade block carries RuntimeEnvironmentUpdated, as frame_system deposits it
			const digestHeader = await api.rpc.chain.getHeader(
				(await api.rpc.chain.getBlockHash((await api.rpc.chain.getHeader()).number.toNumber() - 1)).toHex(),
			);
			expect(digestHeader.digest.logs.some((l: any) => l.isRuntimeEnvironmentUpdated)).toBe(true);
		});
	});

	describe('Balances (pallet_balances)', () => {
		it('transfer to a new account: NewAccount, Endowed, Transfer; below ED: Token.BelowMinimum', async () => {
			const fresh = '5EYCAe5ijiYfyeZ2JJCGq56LmPyNRAKzpG4QkoQkkQNB5e6Z';
			const r = await send(api, api.tx.balances.transferAllowDeath(fresh, 2n * DOLLARS), keys.alice);
			expect(r.names).toEqual(expect.arrayContaining(['system.NewAccount', 'balances.Endowed', 'balances.Transfer']));
			const tiny = await send(
				api,
				api.tx.balances.transferAllowDeath('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV', 1n),
				keys.alice,
			);
			expect(tiny.error).toBe('Token.BelowMinimum');
		});

		it('transfer_keep_alive refuses to reap the sender (Token.NotExpendable), more than free is Token.FundsUnavailable', async () => {
			const free = (await api.query.system.account(keys.ferdie.address)).data.free.toBigInt();
			expect((await send(api, api.tx.balances.transferKeepAlive(keys.eve.address, free - DOLLARS / 2n), keys.ferdie)).error).toBe(
				'Token.NotExpendable',
			);
			expect((await send(api, api.tx.balances.transferKeepAlive(keys.eve.address, free * 2n), keys.ferdie)).error).toBe(
				'Token.FundsUnavailable',
			);
		});
	});

	describe('Sudo (pallet_sudo) and Utility (pallet_utility)', () => {
		it('sudo from a non-key account fails with Sudo.RequireSudo; a failing inner call is reported in Sudid', async () => {
			expect((await send(api, api.tx.sudo.sudo(api.tx.system.remark('0x')), keys.bob)).error).toBe('Sudo.RequireSudo');
			const r = await sudo(api.tx.balances.forceTransfer(keys.bob.address, keys.charlie.address, 10n ** 30n));
			expect(r.error).toBeUndefined();
			expect(sudid(r)).toBe('Token.FundsUnavailable');
		});

		it('sudo_as dispatches as the given account', async () => {
			const r = await send(api, api.tx.sudo.sudoAs(keys.dave.address, api.tx.system.remarkWithEvent('0x01')), keys.alice);
			expect((findEvent(r.events, 'system.Remarked')!.event.data as any)[0].toString()).toBe(keys.dave.address);
			expect(r.names).toContain('sudo.SudoAsDone');
		});

		it('batch stops at the first error (BatchInterrupted), batch_all reverts everything, force_batch continues', async () => {
			const ok = api.tx.system.remarkWithEvent('0x01');
			const bad = api.tx.system.setCode('0x00');
			const b = await send(api, api.tx.utility.batch([ok, bad, ok]), keys.bob);
			expect(b.names.filter((n) => n === 'system.Remarked').length).toBe(1);
			expect((findEvent(b.events, 'utility.BatchInterrupted')!.event.data as any)[0].toNumber()).toBe(1);
			const all = await send(api, api.tx.utility.batchAll([ok, bad]), keys.bob);
			expect(all.error).toBe('BadOrigin');
			expect(all.names).not.toContain('system.Remarked');
			const force = await send(api, api.tx.utility.forceBatch([ok, bad, ok]), keys.bob);
			expect(force.names.filter((n) => n === 'system.Remarked').length).toBe(2);
			expect(force.names).toEqual(expect.arrayContaining(['utility.ItemFailed', 'utility.BatchCompletedWithErrors']));
		});
	});

	describe('Preimage (pallet_preimage)', () => {
		it('note holds a deposit, a second note is AlreadyNoted, unnote releases it and clears the preimage', async () => {
			const { charlie } = keys;
			const bytes = '0x' + 'ab'.repeat(100);
			const hash = blake2AsHex(bytes, 256);
			const before = (await api.query.system.account(charlie.address)).data.reserved.toBigInt();
			const r = await send(api, api.tx.preimage.notePreimage(bytes), charlie);
			expect(r.names).toContain('preimage.Noted');
			const status = (await api.query.preimage.requestStatusFor(hash)).unwrap();
			expect(status.isUnrequested).toBe(true);
			const deposit = status.asUnrequested.ticket[1].toBigInt();
			expect((await api.query.system.account(charlie.address)).data.reserved.toBigInt()).toBe(before + deposit);
			expect((await api.query.balances.holds(charlie.address)).length).toBe(1);
			expect((await api.query.preimage.preimageFor([hash, 100])).unwrap().toHex()).toBe(bytes);
			expect((await send(api, api.tx.preimage.notePreimage(bytes), charlie)).error).toBe('Preimage.AlreadyNoted');
			expect((await send(api, api.tx.preimage.unnotePreimage(hash), keys.dave)).error).toBe('Preimage.NotAuthorized');
			const un = await send(api, api.tx.preimage.unnotePreimage(hash), charlie);
			expect(un.names).toContain('preimage.Cleared');
			expect((await api.query.preimage.requestStatusFor(hash)).isNone).toBe(true);
			expect((await api.query.system.account(charlie.address)).data.reserved.toBigInt()).toBe(before);
		});

		it('request_preimage (Root) marks it Requested; unrequest returns it to the noter', async () => {
			const bytes = '0x' + 'cd'.repeat(40);
			const hash = blake2AsHex(bytes, 256);
			await send(api, api.tx.preimage.notePreimage(bytes), keys.eve);
			const req = await sudo(api.tx.preimage.requestPreimage(hash));
			expect(req.names).toContain('preimage.Requested');
			expect((await api.query.preimage.requestStatusFor(hash)).unwrap().isRequested).toBe(true);
			await sudo(api.tx.preimage.unrequestPreimage(hash));
			expect((await api.query.preimage.requestStatusFor(hash)).unwrap().isUnrequested).toBe(true);
		});
	});

	describe('Scheduler (pallet_scheduler)', () => {
		it('schedule_named puts the task in Agenda and Lookup, dispatches it at its block (Dispatched), cancel_named removes it', async () => {
			const now = (await api.rpc.chain.getHeader()).number.toNumber();
			const id = blake2AsHex('devnet-task', 256);
			// Root is the origin of scheduled calls: a plain remark (remark_with_event would be BadOrigin for Root)
			const call = api.tx.system.remark('0x42');
			const r = await sudo(api.tx.scheduler.scheduleNamed(id, now + 3, null, 0, call));
			const scheduled = findEvent(r.events, 'scheduler.Scheduled')!;
			expect((scheduled.event.data as any)[0].toNumber()).toBe(now + 3);
			expect((await api.query.scheduler.lookup(id)).isSome).toBe(true);
			expect((await api.query.scheduler.agenda(now + 3)).length).toBe(1);
			const past = await sudo(api.tx.scheduler.schedule(now, null, 0, call));
			expect(sudid(past)).toBe('Scheduler.TargetBlockNumberInPast');
			await newBlocks(api, 1);
			const names = eventNames(await blockEvents(api));
			const events = await blockEvents(api);
			expect(names).toContain('scheduler.Dispatched');
			expect((findEvent(events, 'scheduler.Dispatched')!.event.data as any)[2].isOk).toBe(true);
			expect((await api.query.scheduler.lookup(id)).isNone).toBe(true);
			const later = (await api.rpc.chain.getHeader()).number.toNumber() + 5;
			await sudo(api.tx.scheduler.scheduleNamed(id, later, null, 0, call));
			const c = await sudo(api.tx.scheduler.cancelNamed(id));
			expect(c.names).toContain('scheduler.Canceled');
			expect((await api.query.scheduler.agenda(later)).length).toBe(0);
		});

		it('a call it does not model, reached only at dispatch time (whitelist.dispatch_whitelisted_call of a preimage), fails and is named', async () => {
			const inner = api.tx.staking.forceNewEra();
			const preimage = inner.method.toU8a();
			const hash = blake2AsHex(preimage, 256);
			await send(api, api.tx.preimage.notePreimage(u8aToHex(preimage)), keys.alice);
			await sudo(api.tx.whitelist.whitelistCall(hash));
			const d = await sudo(api.tx.whitelist.dispatchWhitelistedCall(hash, preimage.length, BIG_WEIGHT));
			const dispatched = findEvent(d.events, 'whitelist.WhitelistedCallDispatched')!;
			expect((dispatched.event.data as any)[1].isErr).toBe(true);
			const notes = await rawRpc<string[]>(api, 'devnet_unmodelledCalls');
			expect(notes.some((n) => n.includes('staking.forceNewEra'))).toBe(true);
		});
	});

	describe('Collective (pallet_collective): Council and TechnicalCommittee', () => {
		it('a threshold-1 proposal executes at once with Members(1, seats)', async () => {
			const call = api.tx.system.remark('0x77');
			const r = await send(api, api.tx.council.propose(1, call, call.method.encodedLength), keys.bob);
			expect((findEvent(r.events, 'council.Executed')!.event.data as any)[1].isOk).toBe(true);
			// Members(1, 3) is not enough for external_propose (council 1/2): the motion executes and fails
			const ext = api.tx.democracy.externalPropose({ Inline: call.method.toHex() });
			const r2 = await send(api, api.tx.council.propose(1, ext, ext.method.encodedLength), keys.bob);
			expect(dispatchResultError(api, (findEvent(r2.events, 'council.Executed')!.event.data as any)[1])).toBe('BadOrigin');
			expect(r.names).not.toContain('council.Proposed');
		});

		it('non-members are NotMember; length over the bound is WrongProposalLength; duplicate votes are DuplicateVote', async () => {
			const call = api.tx.system.remark('0x78');
			expect((await send(api, api.tx.council.propose(2, call, 100), keys.dave)).error).toBe('Council.NotMember');
			expect((await send(api, api.tx.council.propose(2, call, 1), keys.alice)).error).toBe('Council.WrongProposalLength');
			const p = await send(api, api.tx.council.propose(2, call, 100), keys.alice);
			const [, index, hash] = findEvent(p.events, 'council.Proposed')!.event.data as any;
			await send(api, api.tx.council.vote(hash, index, true), keys.alice);
			expect((await send(api, api.tx.council.vote(hash, index, true), keys.alice)).error).toBe('Council.DuplicateVote');
			expect((await send(api, api.tx.council.close(hash, index, BIG_WEIGHT, 100), keys.alice)).error).toBe('Council.TooEarly');
			await send(api, api.tx.council.vote(hash, index, true), keys.bob);
			expect((await send(api, api.tx.council.close(hash, index, { refTime: 1, proofSize: 1 }, 100), keys.alice)).error).toBe(
				'Council.WrongProposalWeight',
			);
			expect((await send(api, api.tx.council.close(hash, index, BIG_WEIGHT, 1), keys.alice)).error).toBe(
				'Council.WrongProposalLength',
			);
			const closed = await send(api, api.tx.council.close(hash, index, BIG_WEIGHT, 100), keys.charlie);
			expect(closed.names).toEqual(expect.arrayContaining(['council.Closed', 'council.Approved', 'council.Executed']));
			expect((await api.query.council.proposalOf(hash)).isNone).toBe(true);
		});

		it('after the motion duration, abstentions follow the prime (Alice): a prime nay disapproves', async () => {
			const call = api.tx.system.remark('0x79');
			const p = await send(api, api.tx.council.propose(2, call, 100), keys.bob);
			const [, index, hash] = findEvent(p.events, 'council.Proposed')!.event.data as any;
			await send(api, api.tx.council.vote(hash, index, true), keys.bob);
			await newBlocks(api, DEFAULT_PERIODS.motionDuration);
			const closed = await send(api, api.tx.council.close(hash, index, BIG_WEIGHT, 100), keys.bob);
			expect(closed.names).toEqual(expect.arrayContaining(['council.Closed', 'council.Disapproved']));
		});
	});

	describe('Democracy (pallet_democracy)', () => {
		async function councilMotion(threshold: number, call: any, ayes = [keys.alice, keys.bob, keys.charlie]) {
			const p = await send(api, api.tx.council.propose(threshold, call, call.method.encodedLength), keys.alice);
			const [, index, hash] = findEvent(p.events, 'council.Proposed')!.event.data as any;
			for (const who of ayes) await send(api, api.tx.council.vote(hash, index, true), who);
			const closed = await send(api, api.tx.council.close(hash, index, BIG_WEIGHT, call.method.encodedLength), keys.alice);
			return (findEvent(closed.events, 'council.Executed')!.event.data as any)[1];
		}

		it('external_propose needs council 1/2 (Root is BadOrigin); external_propose_majority needs 3/4', async () => {
			const proposal = { Inline: api.tx.system.remark('0x10').method.toHex() };
			expect(sudid(await sudo(api.tx.democracy.externalPropose(proposal)))).toBe('BadOrigin');
			const twoOfThree = await councilMotion(2, api.tx.democracy.externalProposeMajority(proposal), [keys.alice, keys.bob]);
			expect(dispatchResultError(api, twoOfThree)).toBe('BadOrigin');
			const ok = await councilMotion(2, api.tx.democracy.externalPropose(proposal), [keys.alice, keys.bob]);
			expect(ok.isOk).toBe(true);
			expect((await api.query.democracy.nextExternal()).unwrap()[1].isSuperMajorityApprove).toBe(true);
		});

		it('fast_track refuses a SuperMajorityApprove external (NotSimpleMajority) and needs a unanimous TC below FastTrackVotingPeriod', async () => {
			const hash = blake2AsHex(api.tx.system.remark('0x10').method.toU8a(), 256);
			const tc = async (threshold: number, call: any, ayes: any[]) => {
				const p = await send(api, api.tx.technicalCommittee.propose(threshold, call, call.method.encodedLength), keys.alice);
				const [, index, h] = findEvent(p.events, 'technicalCommittee.Proposed')!.event.data as any;
				for (const who of ayes) await send(api, api.tx.technicalCommittee.vote(h, index, true), who);
				const closed = await send(
					api,
					api.tx.technicalCommittee.close(h, index, BIG_WEIGHT, call.method.encodedLength),
					keys.alice,
				);
				return { closed, result: (findEvent(closed.events, 'technicalCommittee.Executed')!.event.data as any)[1] };
			};
			expect(
				dispatchResultError(api, (await tc(3, api.tx.democracy.fastTrack(hash, 5, 1), [keys.alice, keys.bob, keys.dave])).result),
			).toBe('Democracy.NotSimpleMajority');
			// replace the external with a majority-carries one (3/4 council)
			await councilMotion(3, api.tx.democracy.externalProposeMajority({ Inline: api.tx.system.remark('0x10').method.toHex() }));
			// 2/3 of the TC with a voting period below FastTrackVotingPeriod is not enough (InstantOrigin is TC 1/1)
			expect(dispatchResultError(api, (await tc(2, api.tx.democracy.fastTrack(hash, 1, 1), [keys.alice, keys.bob])).result)).toBe(
				'BadOrigin',
			);
			// 2/3 with voting period >= FastTrackVotingPeriod is FastTrackOrigin
			const ok = await tc(2, api.tx.democracy.fastTrack(hash, DEFAULT_PERIODS.fastTrackVotingPeriod, 1), [keys.alice, keys.bob]);
			expect(ok.result.isOk).toBe(true);
			expect(ok.closed.names).toContain('democracy.Started');
		});

		it('conviction votes lock the balance (democrac lock); a nay majority is NotPassed at the end of the voting period', async () => {
			const count = (await api.query.democracy.referendumCount()).toNumber();
			const index = count - 1;
			const vote = await send(
				api,
				api.tx.democracy.vote(index, { Standard: { vote: { aye: false, conviction: 'Locked2x' }, balance: 1000n * DOLLARS } }),
				keys.eve,
			);
			expect(vote.error).toBeUndefined();
			expect(vote.names).toEqual(expect.arrayContaining(['democracy.Voted', 'balances.Locked']));
			const locks = await api.query.balances.locks(keys.eve.address);
			expect(locks.some((l: any) => l.id.toUtf8() === 'democrac' && l.amount.toBigInt() === 1000n * DOLLARS)).toBe(true);
			const tally = (await api.query.democracy.referendumInfoOf(index)).unwrap().asOngoing.tally;
			expect(tally.nays.toBigInt()).toBe(2000n * DOLLARS);
			let seen: string[] = [];
			for (let i = 0; i < DEFAULT_PERIODS.fastTrackVotingPeriod + 1 && !seen.includes('democracy.NotPassed'); i++) {
				await newBlocks(api, 1);
				seen = eventNames(await blockEvents(api));
			}
			expect(seen).toContain('democracy.NotPassed');
			expect((await api.query.democracy.referendumInfoOf(index)).unwrap().asFinished.approved.isFalse).toBe(true);
		});
	});
});
