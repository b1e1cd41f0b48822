/**
 * Full gov v1 rehearsal on the governance devnet, through @polkadot/api only:
 * preimage → council motion (external_propose_majority) → technical committee
 * fast-track → referendum → enactment by the scheduler → CodeUpdated and the
 * new runtime version seen by the api.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/frames.js';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { blockEvents, connect, devKeys, eventNames, findEvent, newBlocks, send } from '../helpers/governance.js';

describe('governance devnet: gov v1 runtime upgrade', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;
	const t0 = Date.now();

	beforeAll(async () => {
		// A long launch period so the external proposal is not tabled by the launch period before the fast-track.
		devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
	});
	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	it('runs preimage → council → technical committee → referendum → enactment → CodeUpdated', async () => {
		const { alice, bob, charlie, dave } = keys;
		const versions: number[] = [];
		const unsubVersion = await api.rpc.state.subscribeRuntimeVersion((v: any) => {
			versions.push(v.specVersion.toNumber());
		});
		const before = api.runtimeVersion.specVersion.toNumber();
		const code = buildDevnetCode({ specVersion: before + 1 });

		// 1. preimage of system.set_code(new code)
		const setCode = api.tx.system.setCode(u8aToHex(code));
		const preimage = setCode.method.toU8a();
		const hash = blake2AsHex(preimage, 256);
		const noted = await send(api, api.tx.preimage.notePreimage(u8aToHex(preimage)) as any, alice);
		expect(noted.error).toBeUndefined();
		expect(noted.names).toContain('preimage.Noted');
		const status = await api.query.preimage.requestStatusFor(hash);
		expect(status.isSome && status.unwrap().isUnrequested).toBe(true);

		// 2. council motion: external_propose_majority needs 3/4 of the council
		const external = api.tx.democracy.externalProposeMajority({ Lookup: { hash, len: preimage.length } });
		const proposed = await send(api, api.tx.council.propose(3, external, external.method.encodedLength), alice);
		const p = findEvent(proposed.events, 'council.Proposed')!;
		const [, motionIndex, motionHash] = p.event.data as any;
		for (const who of [alice, bob, charlie]) {
			const voted = await send(api, api.tx.council.vote(motionHash, motionIndex, true), who);
			expect(voted.error).toBeUndefined();
		}
		const closed = await send(
			api,
			api.tx.council.close(motionHash, motionIndex, { refTime: 10_000_000_000, proofSize: 1_000_000 }, external.method.encodedLength),
			bob,
		);
		expect(closed.names).toEqual(expect.arrayContaining(['council.Closed', 'council.Approved', 'council.Executed']));
		expect((findEvent(closed.events, 'council.Executed')!.event.data as any)[1].isOk).toBe(true);
		const next = await api.query.democracy.nextExternal();
		expect(next.isSome).toBe(true);

		// 3. technical committee fast-track (voting period below FastTrackVotingPeriod: unanimous TC)
		const fastTrack = api.tx.democracy.fastTrack(hash, 2, 1);
		const tcProposed = await send(api, api.tx.technicalCommittee.propose(3, fastTrack, fastTrack.method.encodedLength), alice);
		const [, tcIndex, tcHash] = findEvent(tcProposed.events, 'technicalCommittee.Proposed')!.event.data as any;
		for (const who of [alice, bob, dave]) await send(api, api.tx.technicalCommittee.vote(tcHash, tcIndex, true), who);
		const tcClosed = await send(
			api,
			api.tx.technicalCommittee.close(
				tcHash,
				tcIndex,
				{ refTime: 10_000_000_000, proofSize: 1_000_000 },
				fastTrack.method.encodedLength,
			),
			alice,
		);
		expect(tcClosed.names).toContain('democracy.Started');
		const started = findEvent(tcClosed.events, 'democracy.Started')!;
		const refIndex = (started.event.data as any)[0].toNumber();

		// 4. referendum vote with conviction
		const vote = await send(
			api,
			api.tx.democracy.vote(refIndex, { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 10n ** 20n } }),
			alice,
		);
		expect(vote.names).toContain('democracy.Voted');
		const info = await api.query.democracy.referendumInfoOf(refIndex);
		expect(info.unwrap().isOngoing).toBe(true);
		const end = info.unwrap().asOngoing.end.toNumber();

		// 5. maturity, scheduling and enactment
		let passedAt: string | undefined;
		let enactedAt: string | undefined;
		for (let i = 0; i < 10 && !enactedAt; i++) {
			await newBlocks(api, 1);
			const header = await api.rpc.chain.getHeader();
			const names = eventNames(await blockEvents(api, header.hash.toHex()));
			if (names.includes('democracy.Passed')) passedAt = header.hash.toHex();
			if (names.includes('system.CodeUpdated')) {
				enactedAt = header.hash.toHex();
				expect(names).toContain('scheduler.Dispatched');
				expect(header.number.toNumber()).toBeGreaterThan(end);
			}
		}
		expect(passedAt).toBeDefined();
		expect(enactedAt).toBeDefined();
		await newBlocks(api, 1);
		const version = await api.rpc.state.getRuntimeVersion();
		expect(version.specVersion.toNumber()).toBe(before + 1);
		await waitFor(() => versions.includes(before + 1), 'the new version on the runtime-version subscription', 10_000);
		expect(versions).toContain(before + 1);
		const last = await api.query.system.lastRuntimeUpgrade();
		expect(last.unwrap().specVersion.toNumber()).toBe(before + 1);
		// the scheduler dropped its request: the preimage is back to unrequested
		expect((await api.query.preimage.requestStatusFor(hash)).unwrap().isUnrequested).toBe(true);
		unsubVersion();
		console.log(`gov v1 rehearsal took ${Date.now() - t0} ms (including devnet start)`);
	});
});
