/**
 * Review mode on gov v1, through @polkadot/api against the governance devnet:
 * a council motion (external_propose_majority of a set-code preimage, and of
 * an authorize-upgrade preimage), the technical committee's fast-track motion,
 * and the democracy referendum it starts. Each is reviewed against the right
 * wasm (MATCH) and a different one (MISMATCH, saying what differs), then
 * voted on, and the vote is checked on chain.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario } from '../helpers/steps.js';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { runReview } from '../../source/review/review.js';
import { prepareVote } from '../../source/review/vote.js';
import type { Environment } from '../../source/domain/types.js';
import { connect, devKeys, findEvent, send } from '../helpers/governance.js';
import { tempHome } from '../helpers/cli.js';

const WEIGHT = { refTime: 10_000_000_000, proofSize: 1_000_000 };

describe('review: council motion, technical committee fast-track, democracy referendum', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;
	let env: Environment;
	let right: string;
	let wrong: string;
	let spec: number;
	let setCodeHash: string;
	let motionHash: string;
	let motionIndex: number;

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
		env = {
			name: 'gov',
			endpoints: [devnet.endpoint],
			kind: 'local',
			route: 'sudo',
			soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 60 },
		};
		spec = api.runtimeVersion.specVersion.toNumber() + 1;
		const dir = tempHome('rc-review-');
		right = path.join(dir, 'right.wasm');
		wrong = path.join(dir, 'wrong.wasm');
		writeFileSync(right, buildDevnetCode({ specVersion: spec }));
		writeFileSync(wrong, buildDevnetCode({ specVersion: spec + 1 }));

		// set-code payload: preimage of system.setCode(code), proposed by a council motion
		const setCode = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec })));
		const bytes = setCode.method.toU8a();
		setCodeHash = blake2AsHex(bytes, 256);
		expect((await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.alice)).error).toBeUndefined();
		const external = api.tx.democracy.externalProposeMajority({ Lookup: { hash: setCodeHash, len: bytes.length } });
		const proposed = await send(api, api.tx.council.propose(3, external, external.method.encodedLength), keys.alice);
		const [, index, hash] = findEvent(proposed.events, 'council.Proposed')!.event.data as any;
		motionIndex = index.toNumber();
		motionHash = hash.toHex();
	}, 120_000);

	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	// The motion's life in order (no vote yet → Bob's aye → closed and fast-tracked): any one step runs
	// alone with -t, the steps before it first.
	const s = scenario();

	it(
		'reports MATCH for the council motion with the right wasm: spec, code hash, call hash, preimage and length',
		s.step(async () => {
			const { report } = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'motion', index: motionIndex },
				{ wasmPath: right, reviewer: keys.bob.address },
			);
			const expectedCodeHash = blake2AsHex(buildDevnetCode({ specVersion: spec }), 256);
			expect(report.verdict.verdict).toBe('match');
			expect(report.verdict.line).toMatch(
				new RegExp(
					`^MATCH: council motion ${motionIndex} installs node spec ${spec}, code hash ${expectedCodeHash.slice(0, 6)}…${expectedCodeHash.slice(-4)}`,
				),
			);
			expect(report.verdict.line).toContain('same as your wasm; forward compatible');
			const [upgrade] = report.findings.upgrades;
			expect(upgrade!.kind).toBe('system.setCode');
			expect(upgrade!.codeHash).toBe(expectedCodeHash);
			expect(upgrade!.callHash).toBe(setCodeHash);
			expect(upgrade!.callHash).not.toBe(upgrade!.codeHash);
			expect(report.findings.proposal.hash).toBe(motionHash);
			expect(report.findings.preimages[0]).toMatchObject({ via: 'Lookup', hash: setCodeHash, present: true, lengthMatches: true });
			// live vote state and the reviewer's role
			expect(report.voteState).toMatchObject({ kind: 'motion', collective: 'council', threshold: 3, ayes: [], nays: [] });
			expect(report.role?.member).toBe(true);
			expect(report.role?.summary).toContain('member of the Council; has not voted');
		}),
		s.timeout(60_000),
	);

	it(
		'reports MISMATCH with a different wasm and says exactly what differs',
		s.step(async () => {
			const { report } = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'motion', collective: 'council', hash: motionHash as `0x${string}` },
				{ wasmPath: wrong },
			);
			expect(report.verdict.verdict).toBe('mismatch');
			expect(report.verdict.line).toMatch(/^MISMATCH: council motion \d+ installs node spec \d+/);
			expect(report.verdict.differences.some((d) => d.startsWith('code hash 0x') && d.includes('on chain vs 0x'))).toBe(true);
			expect(report.verdict.differences).toContain(`spec version ${spec} on chain vs ${spec + 1} in your wasm`);
			expect(report.verdict.line).toContain(`spec version ${spec} on chain vs ${spec + 1} in your wasm`);
		}),
		s.timeout(60_000),
	);

	it(
		'votes on the motion as a council member, refuses a duplicate vote and a non-member',
		s.step(async () => {
			const { report, chain } = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'motion', index: motionIndex },
				{ wasmPath: right },
			);
			const outsider = await prepareVote(
				api,
				env,
				report,
				chain.resolved,
				{ pair: keys.eve, address: keys.eve.address, label: '//Eve' },
				{ aye: true },
			);
			expect(outsider.prompt.refusals.join()).toContain('is not a member of the Council');
			expect((await outsider.submit()).status).toBe('not-sent');

			const vote = await prepareVote(
				api,
				env,
				report,
				chain.resolved,
				{ pair: keys.bob, address: keys.bob.address, label: '//Bob' },
				{ aye: true },
			);
			expect(vote.prompt.refusals).toEqual([]);
			expect(vote.prompt.authority).toContain('member of the Council');
			expect(vote.prompt.callLines.join(' ')).toContain('council.vote');
			const outcome = await vote.submit();
			expect(outcome.status).toBe('included');
			if (outcome.status !== 'included') return;
			expect(outcome.confirmed).toBe(true);
			expect(outcome.events).toContain('council.Voted');
			const voting = (await api.query.council.voting(motionHash)).unwrap();
			expect(voting.ayes.map((a: any) => a.toString())).toContain(keys.bob.address);
			// the same prompt never sends twice
			expect(await vote.submit()).toMatchObject({ status: 'not-sent' });
			// a second identical vote changes nothing and is refused
			const again = await prepareVote(
				api,
				env,
				report,
				chain.resolved,
				{ pair: keys.bob, address: keys.bob.address, label: '//Bob' },
				{ aye: true },
			);
			expect(again.prompt.refusals.join()).toContain('has already voted aye');
			// aye on a mismatch is refused
			const mismatch = await runReview(api, env, devnet.endpoint, { kind: 'motion', index: motionIndex }, { wasmPath: wrong });
			const ayeOnMismatch = await prepareVote(
				api,
				env,
				mismatch.report,
				mismatch.chain.resolved,
				{ pair: keys.charlie, address: keys.charlie.address, label: '//Charlie' },
				{ aye: true },
			);
			expect(ayeOnMismatch.prompt.refusals.join()).toContain('voting aye is refused');
		}),
		s.timeout(60_000),
	);

	it(
		'follows an authorize-upgrade preimage: MATCH on the code hash, no code length on chain',
		s.step(async () => {
			const code = buildDevnetCode({ specVersion: spec });
			const authorize = api.tx.system.authorizeUpgrade(blake2AsHex(code, 256));
			const bytes = authorize.method.toU8a();
			const hash = blake2AsHex(bytes, 256);
			await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.bob);
			const external = api.tx.democracy.externalPropose({ Lookup: { hash, len: bytes.length } });
			const proposed = await send(api, api.tx.council.propose(2, external, external.method.encodedLength), keys.bob);
			const [, index] = findEvent(proposed.events, 'council.Proposed')!.event.data as any;
			const ok = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'motion', collective: 'council', index: index.toNumber() },
				{ wasmPath: right },
			);
			expect(ok.report.verdict.verdict).toBe('match');
			expect(ok.report.verdict.line).toMatch(
				new RegExp(`^MATCH: council motion ${index.toNumber()} authorizes node spec ${spec}, code hash`),
			);
			expect(ok.report.findings.upgrades[0]).toMatchObject({
				kind: 'system.authorizeUpgrade',
				carriesCode: false,
				codeHash: blake2AsHex(code, 256),
				callHash: hash,
			});
			const bad = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'motion', collective: 'council', index: index.toNumber() },
				{ wasmPath: wrong },
			);
			expect(bad.report.verdict.verdict).toBe('mismatch');
			expect(bad.report.verdict.differences).toEqual([
				`code hash ${blake2AsHex(code, 256)} on chain vs ${blake2AsHex(buildDevnetCode({ specVersion: spec + 1 }), 256)} in your wasm`,
			]);
		}),
		s.timeout(60_000),
	);

	it(
		'follows the technical committee fast-track to the external proposal, then reviews and votes on the referendum with conviction',
		s.step(async () => {
			// close the council motion: Alice and Charlie join Bob's aye
			for (const who of [keys.alice, keys.charlie]) await send(api, api.tx.council.vote(motionHash, motionIndex, true), who);
			const closed = await send(
				api,
				api.tx.council.close(
					motionHash,
					motionIndex,
					WEIGHT,
					(await api.query.council.proposalOf(motionHash)).unwrap().encodedLength,
				),
				keys.bob,
			);
			expect(closed.names).toContain('council.Executed');
			const ext = await runReview(api, env, devnet.endpoint, { kind: 'external' }, { wasmPath: right });
			expect(ext.report.verdict.verdict).toBe('match');

			const fastTrack = api.tx.democracy.fastTrack(setCodeHash, 3, 1);
			const tcProposed = await send(api, api.tx.technicalCommittee.propose(2, fastTrack, fastTrack.method.encodedLength), keys.alice);
			const [, tcIndex, tcHash] = findEvent(tcProposed.events, 'technicalCommittee.Proposed')!.event.data as any;
			const tc = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'motion', collective: 'technicalCommittee', index: tcIndex.toNumber() },
				{ wasmPath: right, reviewer: keys.dave.address },
			);
			expect(tc.report.verdict.verdict).toBe('match');
			expect(tc.report.findings.steps.join('\n')).toContain('fast-tracks the external proposal');
			expect(tc.report.role?.summary).toContain('member of the Technical Committee');
			const tcVote = await prepareVote(
				api,
				env,
				tc.report,
				tc.chain.resolved,
				{ pair: keys.dave, address: keys.dave.address, label: '//Dave' },
				{ aye: true },
			);
			expect(tcVote.prompt.refusals).toEqual([]);
			expect((await tcVote.submit()).status).toBe('included');
			expect((await api.query.technicalCommittee.voting(tcHash)).unwrap().ayes.map((a: any) => a.toString())).toContain(
				keys.dave.address,
			);
			await send(api, api.tx.technicalCommittee.vote(tcHash, tcIndex, true), keys.alice);
			const tcClosed = await send(
				api,
				api.tx.technicalCommittee.close(tcHash, tcIndex, WEIGHT, fastTrack.method.encodedLength),
				keys.bob,
			);
			const refIndex = (findEvent(tcClosed.events, 'democracy.Started')!.event.data as any)[0].toNumber();

			const ref = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'referendum', index: refIndex },
				{ wasmPath: right, reviewer: keys.ferdie.address },
			);
			expect(ref.report.verdict.line).toMatch(
				new RegExp(`^MATCH: referendum ${refIndex} \\(democracy\\) installs node spec ${spec}`),
			);
			expect(ref.report.voteState).toMatchObject({ kind: 'democracy', status: 'ongoing', threshold: 'SimpleMajority' });
			const mismatch = await runReview(
				api,
				env,
				devnet.endpoint,
				{ kind: 'referendum', pallet: 'democracy', index: refIndex },
				{ wasmPath: wrong },
			);
			expect(mismatch.report.verdict.verdict).toBe('mismatch');
			const vote = await prepareVote(
				api,
				env,
				ref.report,
				ref.chain.resolved,
				{ pair: keys.ferdie, address: keys.ferdie.address, label: '//Ferdie' },
				{ aye: true, conviction: 'Locked2x', balance: 10n ** 17n },
			);
			expect(vote.prompt.refusals).toEqual([]);
			expect(vote.prompt.authority).toContain('conviction Locked2x');
			const outcome = await vote.submit();
			expect(outcome).toMatchObject({ status: 'included', confirmed: true });
			const voting = await api.query.democracy.votingOf(keys.ferdie.address);
			const [[idx, cast]] = voting.asDirect.votes;
			expect(idx.toNumber()).toBe(refIndex);
			expect(cast.asStandard.vote.isAye).toBe(true);
			expect(cast.asStandard.vote.conviction.type).toBe('Locked2x');
			expect(cast.asStandard.balance.toBigInt()).toBe(10n ** 17n);
			const again = await prepareVote(
				api,
				env,
				ref.report,
				ref.chain.resolved,
				{ pair: keys.ferdie, address: keys.ferdie.address, label: '//Ferdie' },
				{ aye: true, conviction: 'Locked2x', balance: 10n ** 17n },
			);
			expect(again.prompt.refusals.join()).toContain('already cast exactly this vote');
		}),
		s.timeout(60_000),
	);
});
