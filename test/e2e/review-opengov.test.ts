/**
 * Review mode on OpenGov, through @polkadot/api against the governance
 * devnet: Root-track referenda with a set-code preimage, an authorize-upgrade
 * preimage and a whitelisted set-code; MATCH / MISMATCH; a conviction vote
 * checked on chain; and the blocking problems — a missing preimage and a
 * preimage noted with another length — reported before any vote.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { runReview } from '../../source/review/review.js';
import { prepareVote } from '../../source/review/vote.js';
import type { Environment } from '../../source/domain/types.js';
import { connect, devKeys, findEvent, send } from '../helpers/governance.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { buildRecord } from '../../source/domain/record.js';
import { tempHome } from '../helpers/cli.js';

const DOLLARS = 10n ** 14n;

describe('review: OpenGov referenda and blocking preimage problems', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;
	let env: Environment;
	let right: string;
	let wrong: string;
	let spec: number;

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant' });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
		env = {
			name: 'gov',
			endpoints: [devnet.endpoint],
			kind: 'testnet',
			route: 'opengov',
			soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 60 },
		};
		spec = api.runtimeVersion.specVersion.toNumber() + 1;
		const dir = tempHome('rc-review-og-');
		right = path.join(dir, 'right.wasm');
		wrong = path.join(dir, 'wrong.wasm');
		writeFileSync(right, buildDevnetCode({ specVersion: spec }));
		writeFileSync(wrong, buildDevnetCode({ specVersion: spec + 1 }));
	}, 120_000);

	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	/** Submit a Root-track referendum for `bytes`, noting the preimage unless told not to, with `len` as the Lookup length. */
	async function referendum(bytes: Uint8Array, opts: { note?: boolean; len?: number } = {}): Promise<number> {
		const hash = blake2AsHex(bytes, 256);
		if (opts.note !== false) expect((await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.alice)).error).toBeUndefined();
		const submitted = await send(
			api,
			api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash, len: opts.len ?? bytes.length } }, { After: 1 }),
			keys.alice,
		);
		expect(submitted.error).toBeUndefined();
		const index = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
		await send(api, api.tx.referenda.placeDecisionDeposit(index), keys.alice);
		return index;
	}

	it('lint inline-too-long: an Inline proposal over 128 bytes is blocking, before it is submitted; 128 or less passes', async () => {
		const submitOf = (remarkLength: number) => {
			const inner = api.tx.system.remark(u8aToHex(new Uint8Array(remarkLength).fill(7))).method.toU8a();
			return { inner, bytes: api.tx.referenda.submit({ system: 'Root' }, { Inline: u8aToHex(inner) }, { After: 1 }).method.toU8a() };
		};
		const long = submitOf(200);
		const { report } = await runReview(api, env, devnet.endpoint, { kind: 'call', bytes: long.bytes, source: 'test' });
		expect(report.findings.problems.map((p) => p.id)).toEqual(['inline-too-long']);
		expect(report.findings.problems[0]!.message).toMatch(
			new RegExp(`is ${long.inner.length} bytes; Bounded::Inline holds at most 128`),
		);
		expect(report.verdict.verdict).toBe('blocked');
		const short = submitOf(100);
		expect(short.inner.length).toBeLessThanOrEqual(128);
		const fine = await runReview(api, env, devnet.endpoint, { kind: 'call', bytes: short.bytes, source: 'test' });
		expect(fine.report.findings.problems).toEqual([]);
		expect(fine.report.findings.alsoDoes).toEqual([expect.stringMatching(/^system\.remark\(/)]);
	}, 60_000);

	it('set-code referendum: MATCH with the right wasm, MISMATCH with another, then a conviction vote seen on chain', async () => {
		const setCode = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec })));
		const index = await referendum(setCode.method.toU8a());
		const { report, chain } = await runReview(
			api,
			env,
			devnet.endpoint,
			{ kind: 'referendum', index },
			{ wasmPath: right, reviewer: keys.bob.address },
		);
		expect(report.verdict.verdict).toBe('match');
		expect(report.verdict.line).toMatch(
			new RegExp(
				`^MATCH: referendum ${index} \\(OpenGov, track root\\) installs node spec ${spec}, code hash 0x[0-9a-f]{4}…[0-9a-f]{4} \\([\\d,]+ bytes\\), same as your wasm; forward compatible$`,
			),
		);
		expect(report.findings.proposal).toMatchObject({ via: 'Lookup', hash: blake2AsHex(setCode.method.toU8a(), 256) });
		expect(report.voteState).toMatchObject({ kind: 'opengov', status: 'ongoing', track: 0, trackName: 'root', phase: 'preparing' });
		expect(report.role?.summary).toContain('has not voted');

		const other = await runReview(api, env, devnet.endpoint, { kind: 'referendum', pallet: 'referenda', index }, { wasmPath: wrong });
		expect(other.report.verdict.verdict).toBe('mismatch');
		expect(other.report.verdict.differences).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^code hash 0x[0-9a-f]{64} on chain vs 0x[0-9a-f]{64} in your wasm$/),
				`spec version ${spec} on chain vs ${spec + 1} in your wasm`,
			]),
		);

		const vote = await prepareVote(
			api,
			env,
			report,
			chain.resolved,
			{ pair: keys.bob, address: keys.bob.address, label: '//Bob' },
			{ aye: true, conviction: 'Locked3x', balance: 1000n * DOLLARS },
		);
		expect(vote.prompt.refusals).toEqual([]);
		expect(vote.prompt.callLines.join(' ')).toContain('convictionVoting.vote');
		const outcome = await vote.submit();
		expect(outcome).toMatchObject({ status: 'included', confirmed: true });
		const voting = await api.query.convictionVoting.votingFor(keys.bob.address, 0);
		const [[idx, cast]] = voting.asCasting.votes;
		expect(idx.toNumber()).toBe(index);
		expect(cast.asStandard.vote.isAye).toBe(true);
		expect(cast.asStandard.vote.conviction.type).toBe('Locked3x');
		expect(cast.asStandard.balance.toBigInt()).toBe(1000n * DOLLARS);
		const tally = (await api.query.referenda.referendumInfoFor(index)).unwrap().asOngoing.tally;
		expect(tally.ayes.toBigInt()).toBe(3000n * DOLLARS);
		// a nay on a mismatch is allowed (and changes the vote)
		const nay = await prepareVote(
			api,
			env,
			other.report,
			other.chain.resolved,
			{ pair: keys.bob, address: keys.bob.address, label: '//Bob' },
			{ aye: false, conviction: 'None', balance: DOLLARS },
		);
		expect(nay.prompt.refusals).toEqual([]);
	}, 180_000);

	it('authorize-upgrade referendum: MATCH on the code hash, MISMATCH says which code hash', async () => {
		const codeHash = blake2AsHex(buildDevnetCode({ specVersion: spec }), 256);
		const index = await referendum(api.tx.system.authorizeUpgrade(codeHash).method.toU8a());
		const { report } = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { wasmPath: right });
		expect(report.verdict.line).toMatch(
			new RegExp(`^MATCH: referendum ${index} \\(OpenGov, track root\\) authorizes node spec ${spec}, code hash`),
		);
		expect(report.findings.upgrades[0]).toMatchObject({ kind: 'system.authorizeUpgrade', codeHash });
		expect(report.findings.upgrades[0]!.codeLength).toBeUndefined();
		const other = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { wasmPath: wrong });
		expect(other.report.verdict.line).toMatch(
			/^MISMATCH: .* authorizes code hash 0x[0-9a-f]{4}…[0-9a-f]{4}, but your wasm is node spec \d+, code hash/,
		);
	}, 120_000);

	it('follows a whitelisted set-code (dispatch_whitelisted_call_with_preimage) and checks that it is whitelisted', async () => {
		const setCode = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec })));
		const inner = blake2AsHex(setCode.method.toU8a(), 256);
		const index = await referendum(api.tx.whitelist.dispatchWhitelistedCallWithPreimage(setCode).method.toU8a());
		let { report } = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { wasmPath: right });
		expect(report.verdict.verdict).toBe('match');
		expect(report.findings.upgrades[0]!.path).toEqual(
			expect.arrayContaining(['whitelist.dispatchWhitelistedCallWithPreimage', 'system.setCode']),
		);
		expect(report.findings.problems.map((p) => p.message).join()).toContain('NOT whitelisted');
		await send(api, api.tx.sudo.sudo(api.tx.whitelist.whitelistCall(inner)), keys.alice);
		({ report } = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { wasmPath: right }));
		expect(report.findings.steps.join('\n')).toContain(`is whitelisted`);
		expect(report.findings.problems).toEqual([]);
		// the whitelist entry itself, by preimage hash
		const pre = await runReview(api, env, devnet.endpoint, { kind: 'preimage', hash: inner as `0x${string}` }, { wasmPath: right });
		expect(pre.report.verdict.verdict).toBe('match');
		expect(pre.report.voteState.kind).toBe('none');
	}, 120_000);

	it('with an exported release record: MATCH when it verifies and its code hash is on chain, MISMATCH when it was changed', async () => {
		const codeHash = blake2AsHex(buildDevnetCode({ specVersion: spec }), 256);
		const index = await referendum(api.tx.system.authorizeUpgradeWithoutChecks(codeHash).method.toU8a());
		const release = createRelease({
			id: 'rel-1',
			name: 'node 269',
			artifact: toArtifactInfo(await inspectArtifact(right), right),
			environments: [env],
			at: new Date().toISOString(),
		});
		const record = buildRecord(release, [env]);
		const file = path.join(path.dirname(right), 'record.json');
		writeFileSync(file, JSON.stringify(record));
		const ok = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { recordPath: file });
		expect(ok.report.record).toMatchObject({ ok: true, digestOk: true, codeHash });
		expect(ok.report.verdict.verdict).toBe('match');
		expect(ok.report.verdict.line).toContain('same as the release record');
		expect(ok.report.findings.upgrades[0]!.kind).toBe('system.authorizeUpgradeWithoutChecks');
		// the artifact's code hash changed after the manifests were signed: the record no longer verifies
		const tampered = structuredClone(record) as any;
		tampered.release.artifact.codeHash = blake2AsHex(buildDevnetCode({ specVersion: spec + 1 }), 256);
		writeFileSync(file, JSON.stringify(tampered));
		const bad = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { recordPath: file });
		expect(bad.report.verdict.verdict).toBe('mismatch');
		expect(bad.report.verdict.differences.join('\n')).toContain(`in the release record`);
		expect(bad.report.verdict.differences.join('\n')).toContain('the release record does not verify');
	}, 120_000);

	it('a missing preimage is BLOCKED, and no vote is offered', async () => {
		const call = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec + 5 })));
		const bytes = call.method.toU8a();
		const index = await referendum(bytes, { note: false });
		const { report, chain } = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { wasmPath: right });
		expect(report.verdict.verdict).toBe('blocked');
		expect(report.verdict.line).toMatch(
			new RegExp(
				`^BLOCKED: referendum ${index} \\(OpenGov, track root\\): the preimage of ${blake2AsHex(bytes, 256)} \\(Lookup, length ${bytes.length}, from referenda referendum\\) is missing`,
			),
		);
		expect(report.verdict.line).toContain('no vote is offered');
		expect(report.findings.preimages[0]).toMatchObject({ present: false, status: 'none' });
		const vote = await prepareVote(
			api,
			env,
			report,
			chain.resolved,
			{ pair: keys.charlie, address: keys.charlie.address, label: '//Charlie' },
			{ aye: false, balance: DOLLARS },
		);
		expect(vote.prompt.refusals.join()).toContain('the review is blocked');
		expect(await vote.submit()).toMatchObject({ status: 'not-sent' });
		expect((await api.query.convictionVoting.votingFor(keys.charlie.address, 0)).asCasting.votes.length).toBe(0);
	}, 120_000);

	it('a preimage noted with another length than the Lookup says is BLOCKED', async () => {
		const call = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec + 6 })));
		const bytes = call.method.toU8a();
		// Referenda.submit refuses a Lookup whose preimage is already stored with another length
		// (PreimageStoredWithDifferentLength), so the preimage is noted after the submission.
		const index = await referendum(bytes, { note: false, len: bytes.length + 1 });
		expect((await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.bob)).error).toBeUndefined();
		const { report } = await runReview(api, env, devnet.endpoint, { kind: 'referendum', index }, { wasmPath: right });
		expect(report.verdict.verdict).toBe('blocked');
		expect(report.verdict.line).toContain(
			`is noted with length ${bytes.length}, but referenda referendum refers to it with length ${bytes.length + 1}`,
		);
		expect(report.findings.preimages[0]).toMatchObject({
			expectedLength: bytes.length + 1,
			notedLength: bytes.length,
			lengthMatches: false,
			present: false,
		});
	}, 120_000);
});
