/**
 * `release-console review` as a child process against the governance devnet
 * (registered with `env add` in a temp home): exit code 0 on a match, 1 on a
 * mismatch or a blocking problem, 2 on bad input; `--json`; and a vote cast
 * with `--vote aye --signer //Bob --yes`, checked on chain.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, findEvent, send } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';

describe('review command (child process)', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;
	let home: string;
	let right: string;
	let wrong: string;
	let spec: number;
	let motionIndex: number;
	let motionHash: string;
	let blockedIndex: number;
	const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli([...args, '--config-dir', home], env);

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
		home = tempHome('rc-review-cli-');
		spec = api.runtimeVersion.specVersion.toNumber() + 1;
		right = path.join(home, 'right.wasm');
		wrong = path.join(home, 'wrong.wasm');
		writeFileSync(right, buildDevnetCode({ specVersion: spec }));
		writeFileSync(wrong, buildDevnetCode({ specVersion: spec + 1 }));
		const added = await cli(['env', 'add', 'gov', '--endpoint', devnet.endpoint, '--kind', 'local', '--route', 'sudo']);
		expect(added.code).toBe(0);
		const prod = await cli([
			'env',
			'add',
			'prod',
			'--endpoint',
			devnet.endpoint,
			'--kind',
			'production',
			'--route',
			'council-democracy',
		]);
		expect(prod.code).toBe(0);

		// a council motion proposing a set-code preimage
		const setCode = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec })));
		const bytes = setCode.method.toU8a();
		await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.alice);
		const external = api.tx.democracy.externalProposeMajority({ Lookup: { hash: blake2AsHex(bytes, 256), len: bytes.length } });
		const proposed = await send(api, api.tx.council.propose(3, external, external.method.encodedLength), keys.alice);
		const [, index, hash] = findEvent(proposed.events, 'council.Proposed')!.event.data as any;
		motionIndex = index.toNumber();
		motionHash = hash.toHex();
		// an OpenGov referendum whose preimage was never noted
		const missing = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec + 3 }))).method.toU8a();
		const submitted = await send(
			api,
			api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash: blake2AsHex(missing, 256), len: missing.length } }, { After: 1 }),
			keys.alice,
		);
		blockedIndex = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
	}, 120_000);

	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	it('exits 0 with MATCH first, and the details, with the right wasm', async () => {
		const r = await cli(['review', '--env', 'gov', '--motion', String(motionIndex), '--wasm', right]);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const lines = r.stdout.split('\n');
		expect(lines[0]).toMatch(
			new RegExp(
				`^MATCH: council motion ${motionIndex} installs node spec ${spec}, code hash 0x[0-9a-f]{4}…[0-9a-f]{4} \\([\\d,]+ bytes\\), same as your wasm; forward compatible$`,
			),
		);
		expect(r.stdout).toContain(`call hash (proposal): ${motionHash}`);
		expect(r.stdout).toContain('code hash (blake2-256 of the wasm): 0x');
		expect(r.stdout).toContain('call hash (blake2-256 of this system.setCode call): 0x');
		expect(r.stdout).toMatch(
			/preimage 0x[0-9a-f]{64} \(Lookup\): present; noted len in proposal [\d,]+; preimage pallet length [\d,]+ — lengths match/,
		);
		expect(r.stdout).toMatch(/vote \(Council motion \d+\): 0 aye, 0 nay of 3 members; threshold 3; ends at block #\d+/);
	}, 120_000);

	it('exits 1 with MISMATCH and what differs; --json carries the verdict', async () => {
		const r = await cli(['review', '--env', 'gov', '--motion', motionHash, '--wasm', wrong]);
		expect(r.code).toBe(1);
		expect(r.stdout.split('\n')[0]).toMatch(/^MISMATCH: council motion \d+ installs node spec \d+, .* but your wasm is node spec \d+/);
		expect(r.stdout).toContain(`differs: spec version ${spec} on chain vs ${spec + 1} in your wasm`);
		const j = await cli(['review', '--env', 'gov', '--motion', `council:${motionIndex}`, '--wasm', wrong, '--json']);
		expect(j.code).toBe(1);
		const out = j.json();
		expect(out.verdict).toBe('mismatch');
		expect(out.line).toMatch(/^MISMATCH: /);
		expect(out.upgrades[0].kind).toBe('system.setCode');
		expect(out.wasm.specVersion).toBe(spec + 1);
	}, 120_000);

	it('exits 1 on a missing preimage (BLOCKED) and offers no vote, even with --vote --yes', async () => {
		const r = await cli([
			'review',
			'--env',
			'gov',
			'--referendum',
			`opengov:${blockedIndex}`,
			'--vote',
			'nay',
			'--signer',
			'//Charlie',
			'--balance',
			'1',
			'--yes',
			'--json',
		]);
		expect(r.code).toBe(1);
		const out = r.json();
		expect(out.verdict).toBe('blocked');
		expect(out.line).toMatch(/^BLOCKED: referendum \d+ \(OpenGov, track root\): the preimage of 0x[0-9a-f]{64} .* is missing/);
		expect(out.vote).toEqual({ status: 'not-offered', reason: 'the review found a blocking problem' });
		expect((await api.query.convictionVoting.votingFor(keys.charlie.address, 0)).asCasting.votes.length).toBe(0);
	}, 120_000);

	it('exits 2 on bad input, saying what to do', async () => {
		const noTarget = await cli(['review', '--env', 'gov']);
		expect(noTarget.code).toBe(2);
		expect(noTarget.stderr).toContain('nothing to review');
		expect(noTarget.stderr).toContain('what to do: pass one of --motion');
		const badMotion = await cli(['review', '--env', 'gov', '--motion', 'zz']);
		expect(badMotion.code).toBe(2);
		expect(badMotion.stderr).toContain('neither a motion hash');
		const unknownEnv = await cli(['review', '--env', 'nope', '--motion', '0']);
		expect(unknownEnv.code).toBe(2);
		expect(unknownEnv.stderr).toContain('unknown environment "nope"');
		const noFile = await cli(['review', '--env', 'gov', '--motion', String(motionIndex), '--wasm', path.join(home, 'missing.wasm')]);
		expect(noFile.code).toBe(2);
		expect(noFile.stderr).toContain('no file at');
		const noSuchRef = await cli(['review', '--env', 'gov', '--referendum', 'democracy:99']);
		expect(noSuchRef.code).toBe(2);
		expect(noSuchRef.stderr).toContain('no referendum 99 in Democracy');
		const noBalance = await cli([
			'review',
			'--env',
			'gov',
			'--referendum',
			`opengov:${blockedIndex}`,
			'--vote',
			'maybe',
			'--signer',
			'//Bob',
		]);
		expect(noBalance.code).toBe(2);
		expect(noBalance.stderr).toContain('use --vote aye or --vote nay');
	}, 120_000);

	it('refuses dev keys on a production environment before reading the chain', async () => {
		const r = await cli([
			'review',
			'--env',
			'prod',
			'--motion',
			String(motionIndex),
			'--wasm',
			right,
			'--vote',
			'aye',
			'--signer',
			'//Bob',
			'--yes',
		]);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain('dev keys are refused on production environment prod');
		expect((await api.query.council.voting(motionHash)).unwrap().ayes.length).toBe(0);
	}, 60_000);

	it('prints the signer prompt without --yes and sends nothing; with --yes votes once, and a second run is refused as a duplicate', async () => {
		const dry = await cli([
			'review',
			'--env',
			'gov',
			'--motion',
			String(motionIndex),
			'--wasm',
			right,
			'--vote',
			'aye',
			'--signer',
			'//Bob',
		]);
		expect(dry.code).toBe(0);
		expect(dry.stdout).toContain('── signer prompt: you are about to sign ──');
		expect(dry.stdout).toMatch(/why: +member of the Council; has not voted/);
		expect(dry.stdout).toContain('not signed: review the prompt above and run again with --yes');
		expect((await api.query.council.voting(motionHash)).unwrap().ayes.length).toBe(0);

		const r = await cli([
			'review',
			'--env',
			'gov',
			'--motion',
			String(motionIndex),
			'--wasm',
			right,
			'--vote',
			'aye',
			'--signer',
			'//Bob',
			'--yes',
			'--json',
		]);
		expect(r.code).toBe(0);
		const out = r.json();
		expect(out.verdict).toBe('match');
		expect(out.vote.status).toBe('included');
		expect(out.vote.confirmed).toBe(true);
		expect(out.vote.extrinsicHash).toMatch(/^0x[0-9a-f]{64}$/);
		expect(typeof out.vote.blockNumber).toBe('number');
		const voting = (await api.query.council.voting(motionHash)).unwrap();
		expect(voting.ayes.map((a: any) => a.toString())).toEqual([keys.bob.address]);

		const again = await cli([
			'review',
			'--env',
			'gov',
			'--motion',
			String(motionIndex),
			'--wasm',
			right,
			'--vote',
			'aye',
			'--signer',
			'//Bob',
			'--yes',
		]);
		expect(again.code).toBe(1);
		expect(again.stdout).toContain('has already voted aye on this motion');
		expect((await api.query.council.voting(motionHash)).unwrap().ayes.length).toBe(1);
	}, 180_000);
});
