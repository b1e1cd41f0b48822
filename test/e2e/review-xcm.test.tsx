/**
 * Review sees through a relay proposal that upgrades two chains (issue 16, first
 * slice), on the real runtimes: Rococo 9130's utility.batchAll of its own
 * system.setCode and an xcmPallet.send to para 1000 whose Transact carries
 * statemine 900's parachainSystem.authorizeUpgrade. The walk decodes the
 * Transact's call with the asset hub's own metadata and lists both upgrades with
 * their chain; without the para's metadata the bytes are shown opaque with
 * their hash and what to do; a Transact whose origin is not Superuser and a
 * non-atomic utility.batch are named; the verdict never says MATCH while the
 * para's upgrade was not compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import type { Call } from '@polkadot/types/interfaces';
import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { rococoRuntime } from '../../source/artifact/embedded-runtimes.js';
import { buildAuthorizeXcm, buildRelayBatch } from '../../source/chain/pallets/xcm.js';
import { paraAuthorization } from '../../source/chain/pallets/parachain-system.js';
import { walkCall, type WalkedCall } from '../../source/review/decode.js';
import { computeVerdict } from '../../source/review/verdict.js';
import { reviewChain } from '../../source/review/fetch.js';
import { submitExtrinsic } from '../../source/chain/submit.js';
import { devKeys } from '../helpers/governance.js';
import type { Hex } from '../../source/domain/types.js';
import type { ChainFindings, UpgradeFinding, WasmFacts } from '../../source/review/types.js';
import { connect } from '../helpers/governance.js';
import { App } from '../../source/app/app.js';
import { openStore } from '../../source/store/store.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { openReviewFormOn, sendInput, typeText, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };
import { runCli, tempHome } from '../helpers/cli.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeAssetHubWasm, writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { byteDifferentAssetHubCode, startTestParachainNetwork, type TestNetwork } from '../helpers/parachain-network.js';

const flatten = (n: WalkedCall): WalkedCall[] => [n, ...n.children.flatMap(flatten)];

describe('review: a relay proposal that upgrades the relay and the asset hub', () => {
	let net: TestNetwork;
	let relay: ApiPromise;
	let para: ApiPromise;
	const hubHash = blake2AsHex(byteDifferentAssetHubCode(), 256);
	const relayCode = rococoRuntime(9140).code;

	beforeAll(async () => {
		net = await startTestParachainNetwork();
		[relay, para] = await Promise.all([connect(net.relay.endpoint), connect(net.para.endpoint)]);
	}, 120_000);
	afterAll(async () => {
		await relay?.disconnect();
		await para?.disconnect();
		await net?.close();
	});

	const decodeAt = (tx: { method: { toU8a: () => Uint8Array } }) =>
		relay.registry.createType('Call', tx.method.toU8a()) as unknown as Call;
	const paraDecoder = (id: number, bytes: Uint8Array) =>
		id === 1000 ? (para.registry.createType('Call', bytes) as unknown as Call) : undefined;

	async function proposal() {
		const send = await buildAuthorizeXcm(relay, para, 1000, hubHash as `0x${string}`);
		return buildRelayBatch(relay, [relay.tx.system.setCode(u8aToHex(relayCode)), { tx: send.tx, label: send.label }], 'batchAll');
	}

	it('decodes the Transact with the para metadata: both upgrades, each with its chain', async () => {
		const batch = await proposal();
		const walked = walkCall(decodeAt(batch.tx), 0, { decodeRemote: paraDecoder });
		const upgrades = flatten(walked).filter((n) => n.upgrade);
		expect(upgrades.map((n) => [n.name, n.destination ?? 'this chain', n.upgrade!.codeHash])).toEqual([
			['system.setCode', 'this chain', blake2AsHex(relayCode, 256)],
			['parachainSystem.authorizeUpgrade', 'para 1000', hubHash],
		]);
		const transact = flatten(walked).find((n) => n.destination)!;
		expect(transact.line).toMatch(/^Transact\(Superuser\) on para 1000: parachainSystem\.authorizeUpgrade/);
		expect(flatten(walked).flatMap((n) => n.lints)).toEqual([]);
	});

	it('without the para environment: the Transact bytes are opaque, with their hash and what to do', async () => {
		const walked = walkCall(decodeAt((await proposal()).tx));
		const notes = flatten(walked).flatMap((n) => n.notes);
		expect(notes.join('\n')).toMatch(
			/a Transact\(Superuser\) to para 1000 carries \d+ bytes of call \(blake2-256 0x[0-9a-f]{64}\) that could not be decoded: add an environment for para 1000/,
		);
		expect(
			flatten(walked)
				.filter((n) => n.upgrade)
				.map((n) => n.name),
		).toEqual(['system.setCode']);
	});

	it('names a Transact whose origin is not Superuser, and an upgrade in a non-atomic utility.batch', async () => {
		const inner = para.tx.parachainSystem.authorizeUpgrade(hubHash);
		const send = relay.tx.xcmPallet.send(
			{ V1: { parents: 0, interior: { X1: { Parachain: 1000 } } } },
			{
				V2: [
					{
						Transact: {
							originType: 'Native',
							requireWeightAtMost: 1_000_000_000,
							call: { encoded: u8aToHex(inner.method.toU8a()) },
						},
					},
				],
			},
		);
		const batch = relay.tx.utility.batch([relay.tx.system.setCode(u8aToHex(relayCode)).method, send.method]);
		const lints = flatten(walkCall(decodeAt(batch), 0, { decodeRemote: paraDecoder })).flatMap((n) => n.lints);
		expect(lints.map((l) => l.id)).toEqual(['batch-not-atomic', 'transact-origin']);
		expect(lints[0]!.message).toMatch(/^utility\.batch stops at the first failing call/);
		expect(lints[1]!.message).toMatch(
			/the Transact carrying parachainSystem\.authorizeUpgrade on para 1000 has origin kind Native, not Superuser/,
		);
	});

	it('the verdict: the relay matches the wasm, the para was not compared — never MATCH', () => {
		const relayHash = blake2AsHex(relayCode, 256) as `0x${string}`;
		const u = (codeHash: string, destination?: string): UpgradeFinding => ({
			kind: destination ? 'parachainSystem.authorizeUpgrade' : 'system.setCode',
			carriesCode: !destination,
			codeHash: codeHash as `0x${string}`,
			callHash: relayHash,
			path: [],
			...(destination ? {} : { codeLength: relayCode.length, specName: 'rococo', specVersion: 9140 }),
			...(destination ? { destination } : {}),
		});
		const findings = {
			label: 'preimage 0x…',
			proposal: { via: 'preimage' },
			upgrades: [u(relayHash), u(hubHash, 'para 1000')],
			alsoDoes: [],
			preimages: [],
			steps: [],
			problems: [],
			notes: [],
			atBlock: 1,
		} as unknown as ChainFindings;
		const wasm = {
			path: 'x',
			codeHash: relayHash,
			size: relayCode.length,
			specName: 'rococo',
			specVersion: 9140,
			transactionVersion: 0,
		} as WasmFacts;
		const v = computeVerdict(findings, wasm);
		expect(v.verdict).toBe('unverified');
		expect(v.line).toMatch(
			/^NOT ALL COMPARED: preimage 0x…: this chain's upgrade is the same as your wasm; not compared with anything you hold: para 1000: authorizes code hash/,
		);
		const off = computeVerdict(findings, { ...wasm, codeHash: hubHash as `0x${string}` });
		expect(off.verdict).toBe('mismatch');
	});

	it(
		'review --call FILE before anything is on chain: both upgrades with their chain, NOT ALL COMPARED, MISMATCH with the wrong wasm',
		{ timeout: 180_000 },
		async () => {
			const { home, env, addHub } = await consoleHome('rc-review-call-', false);
			const batch = await proposal();
			const file = path.join(home, 'upgrade.call');
			writeFileSync(file, u8aToHex(batch.tx.method.toU8a()));
			const wasm = writeRococoWasm(9140, home);
			// Without the para's environment: the Transact is opaque, and says what to add.
			const blind = await runCli(['review', '--env', 'relay', '--call', file, '--wasm', wasm], env);
			expect(blind.stdout).toMatch(/could not be decoded: add an environment for para 1000/);
			await addHub();
			const seen = await runCli(['review', '--env', 'relay', '--call', file, '--wasm', wasm, '--json'], env);
			const out = seen.json();
			expect(out.verdict, seen.stderr).toBe('unverified');
			expect(out.target).toMatchObject({ kind: 'call', length: batch.tx.method.toU8a().length });
			expect(out.upgrades.map((u: { destination?: string }) => u.destination ?? 'relay')).toEqual(['relay', 'para 1000']);
			expect(out.line).toMatch(
				/^NOT ALL COMPARED: call data from .*upgrade\.call: this chain's upgrade is the same as your wasm; not compared with anything you hold: para 1000: authorizes code hash/,
			);
			const text = (await runCli(['review', '--env', 'relay', '--call', file, '--wasm', wasm], env)).stdout;
			expect(text).toContain('on para 1000: authorizes code hash ' + hubHash);
			const wrong = await runCli(['review', '--env', 'relay', '--call', file, '--wasm', writeRococoWasm(9130, home)], env);
			expect(wrong.code).toBe(1);
			expect(wrong.stdout).toMatch(/MISMATCH/);
			// Every chain's runtime given: MATCH only when both match; one code hash off names the chain.
			const both = await runCli(
				[
					'review',
					'--env',
					'relay',
					'--call',
					file,
					'--wasm',
					wasm,
					'--wasm',
					`hub=${writeAssetHubWasm(home, 'rebuilt')}`,
					'--json',
				],
				env,
			);
			expect(both.json().verdict, both.stdout.slice(0, 400)).toBe('match');
			expect(both.json().line).toMatch(/^MATCH: .* same as your wasm and your wasm for para 1000/);
			const offHub = await runCli(
				[
					'review',
					'--env',
					'relay',
					'--call',
					file,
					'--wasm',
					wasm,
					'--wasm',
					`hub=${writeAssetHubWasm(home, 'genesis')}`,
					'--json',
				],
				env,
			);
			expect(offHub.code).toBe(1);
			expect(offHub.json().verdict).toBe('mismatch');
			expect(offHub.json().differences[0]).toMatch(/^para 1000: code hash 0x[0-9a-f]{64} on chain vs 0x0be70b77/);
			const notPara = await runCli(['review', '--env', 'relay', '--call', file, '--wasm', `relay=${wasm}`, '--wasm', wasm], env);
			expect(notPara.code).toBe(2);
			expect(notPara.stderr).toContain('--wasm names this chain twice');
			// Bad input: bytes that are no call of this chain, a file that does not exist.
			const bad = await runCli(['review', '--env', 'relay', '--call', '0xffff'], env);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toMatch(/is no call of this chain's runtime/);
			const none = await runCli(['review', '--env', 'relay', '--call', path.join(home, 'nope.call')], env);
			expect(none.code).toBe(2);
			expect(none.stderr).toMatch(/no such file, and not 0x-hex/);

			// The review screen at 80×24, keys in: the same verdict, naming the asset hub's upgrade.
			const store = openStore({ dir: home });
			const ui = renderAt(<App store={store} home={home} createSample={async () => 'x'} />, SIZE);
			try {
				let frame = await openReviewFormOn(ui, 'relay (local)');
				expect(frame).toContain('‹ relay (local) ›');
				await typeText(ui, `call ${file}`);
				await sendInput(ui, '\t');
				await typeText(ui, wasm);
				ui.stdin.write('\r');
				frame = await waitForFrame(ui.lastFrame, (f) => f.includes('NOT ALL COMPARED'), 120_000);
				expect(frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ')).toContain('para 1000: authorizes code hash');
				// The table of upgrades, each row on one line of the 80-column screen.
				expect(frame).toMatch(/this chain {2}system\.setCode +0x[0-9a-f]{4}…[0-9a-f]{4} +match/);
				expect(frame).toMatch(/para 1000 {3}parachainSystem\.authorizeUpgrade 0x[0-9a-f]{4}…[0-9a-f]{4} +not compared/);
				expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);
			} finally {
				ui.unmount();
				await runCleanups();
			}
		},
	);

	/** Send `tx` signed by //Alice through the one submission path, building the relay block once it is in the pool; its events. */
	async function sendOnRelay(tx: Parameters<typeof submitExtrinsic>[1]['tx'], label: string): Promise<string[]> {
		const { alice } = await devKeys();
		const sent = submitExtrinsic(relay, {
			tx,
			pair: alice,
			meta: { env: 'relay', stage: 'upgrade', call: label, callHash: tx.method.hash.toHex() as Hex },
		});
		for (let i = 0; i < 500 && (await relay.rpc.author.pendingExtrinsics()).length === 0; i++)
			await new Promise((r) => setTimeout(r, 20));
		await net.relay.newBlocks(1);
		return (await sent).events;
	}

	/** A console home with the relay environment (sudo route) and, unless told not to, the asset hub as its para 1000. */
	async function consoleHome(prefix: string, withHub = true) {
		const home = tempHome(prefix);
		const env = { RELEASE_CONSOLE_HOME: home };
		const add = (args: string[]) => runCli(['env', 'add', ...args, '--kind', 'local'], env);
		expect((await add(['relay', '--endpoint', net.relay.endpoint, '--route', 'sudo'])).code).toBe(0);
		const addHub = async () =>
			expect(
				(await add(['hub', '--endpoint', net.para.endpoint, '--route', 'parachain', '--relay', 'relay', '--para-id', '1000'])).code,
			).toBe(0);
		if (withHub) await addHub();
		return { home, env, addHub };
	}

	/** Review call data on the relay, decoding para 1000's Transacts with its metadata. */
	const reviewCall = async (tx: { method: { toU8a: () => Uint8Array } }) =>
		(await reviewChain(relay, { kind: 'call', bytes: tx.method.toU8a(), source: 'test' }, paraDecoder)).findings;

	it('lints: the same code authorized twice for one chain; an extra call riding along is listed and is not a MATCH', async () => {
		const send = await buildAuthorizeXcm(relay, para, 1000, hubHash as Hex);
		const twice = relay.tx.utility.batchAll([send.tx.method, send.tx.method]);
		const doubled = await reviewCall(twice);
		expect(doubled.problems.map((p) => p.id)).toEqual(['double-authorization']);
		expect(doubled.problems[0]!.message).toBe(`code hash ${hubHash} is upgraded or authorized 2 times for para 1000`);
		expect(doubled.problems[0]!.todo).toMatch(/one call per chain is meant/);
		// Once is clean, and nothing rides along.
		const once = await reviewCall((await proposal()).tx);
		expect(once.problems).toEqual([]);
		expect(once.alsoDoes).toEqual([]);
		// A remark rides along: listed, and the verdict is not MATCH although both upgrades are what the reviewer holds.
		const riding = relay.tx.utility.batchAll([
			relay.tx.system.setCode(u8aToHex(relayCode)).method,
			send.tx.method,
			relay.tx.system.remark('0x6869').method,
		]);
		const findings = await reviewCall(riding);
		expect(findings.alsoDoes).toEqual(['system.remark(remark: 0x6869)']);
		const relayHash = blake2AsHex(relayCode, 256) as Hex;
		const facts = (codeHash: Hex, size: number, specName: string, specVersion: number) =>
			({ path: 'x', codeHash, size, specName, specVersion, transactionVersion: 0 }) as WasmFacts;
		const hub = byteDifferentAssetHubCode();
		const v = computeVerdict(findings, facts(relayHash, relayCode.length, 'rococo', 9140), undefined, {
			'para 1000': facts(hubHash as Hex, hub.length, 'statemine', 900),
		});
		expect(v.upgrades!.map((r) => [r.chain, r.call, r.verdict])).toEqual([
			['this chain', 'system.setCode', 'match'],
			['para 1000', 'parachainSystem.authorizeUpgrade', 'match'],
		]);
		expect(v.verdict).toBe('unverified');
		expect(v.line).toMatch(
			/^NOT ONLY AN UPGRADE: .*; but it also does: system\.remark\(remark: 0x6869\) \(read those calls before you vote\)$/,
		);
	});

	it('lint: a message in a version the relay does not record for the destination (forceXcmVersion on the real relay)', async () => {
		const dest = { V1: { parents: 0, interior: { X1: { Parachain: 1000 } } } };
		const force = async (version: number) =>
			expect(
				await sendOnRelay(
					relay.tx.sudo.sudo(relay.tx.xcmPallet.forceXcmVersion(dest.V1, version)),
					'sudo.sudo(xcmPallet.forceXcmVersion)',
				),
			).toContain('xcmPallet.SupportedVersionChanged');
		// Built while the relay still records v2 (the console's own builder refuses to send in v1).
		const batch = await proposal();
		await force(1);
		try {
			const findings = await reviewCall(batch.tx);
			expect(findings.problems.map((p) => p.id)).toEqual(['xcm-version']);
			expect(findings.problems[0]!.message).toMatch(/^the message to para 1000 is v2, but this chain records v1 for para 1000/);
		} finally {
			await force(2);
		}
		expect((await reviewCall((await proposal()).tx)).problems).toEqual([]);
	});

	it(
		'review --multisig CALLHASH: a sudo upgrade waiting in a 2-of-3 multisig with its call stored (Rococo 9130), reviewed as a signatory finds it',
		{ timeout: 180_000 },
		async () => {
			const { bob, charlie } = await devKeys();
			const sudoUpgrade = relay.tx.sudo.sudo((await proposal()).tx);
			const callHash = blake2AsHex(sudoUpgrade.method.toU8a(), 256) as Hex;
			const others = [bob.address, charlie.address].sort();
			const open = relay.tx.multisig.asMulti(2, others, null, sudoUpgrade.method.toHex(), true, 1_000_000_000);
			expect(await sendOnRelay(open, 'multisig.asMulti')).toEqual(expect.arrayContaining(['multisig.NewMultisig']));

			const { home, env } = await consoleHome('rc-review-multisig-');
			const wasms = ['--wasm', writeRococoWasm(9140, home), '--wasm', `hub=${writeAssetHubWasm(home, 'rebuilt')}`];
			const seen = await runCli(['review', '--env', 'relay', '--multisig', callHash, ...wasms, '--json'], env);
			const out = seen.json();
			expect(out.verdict, seen.stdout.slice(0, 600) + seen.stderr).toBe('match');
			expect(out.line).toMatch(/^MATCH: multisig operation 0x[0-9a-f]{8}…[0-9a-f]{4} of .* \(1 approval: /);
			expect(out.proposal).toMatchObject({ hash: callHash, via: 'multisig (Multisig.Calls)' });
			expect(out.upgrades.map((u: { destination?: string; verdict: string }) => [u.destination ?? 'relay', u.verdict])).toEqual([
				['relay', 'match'],
				['para 1000', 'match'],
			]);
			expect(out.voteState).toMatchObject({ kind: 'none', reason: expect.stringMatching(/approved by its signatories/) });
			// Dry-run before approving: the call is dispatched by the multisig account on a fork (signed as it, as the
			// last approval dispatches it). sudo.sudo declares the weight of its batch with setCode, more than a block's
			// normal share: the fork's pool refuses it (ExhaustsResources), nothing is tried, and the review says why (a
			// warning, not a verdict on the call); the asset hub gets nothing.
			const dry = await runCli(
				['review', '--env', 'relay', '--multisig', callHash, ...wasms, '--dry-run', '--blocks', '1', '--json'],
				env,
			);
			const facts = dry.json().dryRun;
			expect(facts.what).toMatch(/^the call, dispatched by the multisig account 5\w+ \(as the last approval does\)/);
			expect(facts.report.origin).toMatch(/^signed by the multisig account 5\w+ \(a mock signature only the fork accepts\)/);
			expect(facts.report).toMatchObject({ verdict: 'failed', notRun: true });
			expect(facts.report.failure).toMatch(/^the fork's transaction pool refused sudo\.sudo\(.*exhaustsResources/);
			expect(dry.json().problems).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ id: 'dry-run-not-run', message: expect.stringMatching(/exhaustsResources/) }),
				]),
			);
			expect(facts.paras).toEqual([
				expect.objectContaining({ env: 'hub', notRun: true, failure: expect.stringMatching(/no message was sent/) }),
			]);
			// The asMulti itself, reviewed as call data: the walk opens its opaque call to the same two upgrades.
			const asMultiFile = path.join(home, 'as-multi.call');
			writeFileSync(asMultiFile, open.method.toHex());
			const wrapped = await runCli(['review', '--env', 'relay', '--call', asMultiFile, ...wasms, '--json'], env);
			expect(wrapped.json().verdict, wrapped.stdout.slice(0, 600)).toBe('match');
			expect(wrapped.json().upgrades[0].path.slice(1)).toEqual([
				'multisig.asMulti',
				'sudo.sudo',
				'utility.batchAll',
				'system.setCode',
			]);
			// A hash no multisig waits on: bad input, naming what is pending.
			const none = await runCli(['review', '--env', 'relay', '--multisig', `0x${'12'.repeat(32)}`], env);
			expect(none.code).toBe(2);
			expect(none.stderr).toContain('no pending multisig operation dispatches call 0x1212');
			expect(none.stderr).toContain(`pending multisig operations: ${callHash}`);
			const bad = await runCli(['review', '--env', 'relay', '--multisig', 'nope'], env);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toContain('--multisig nope is not a call hash');
		},
	);

	it(
		'review --motion collective:0: the upgrade as a motion of Rococo 9130’s Collective (ProposalOf), reviewed as a member finds it',
		{ timeout: 180_000 },
		async () => {
			const { alice, bob, charlie } = await devKeys();
			const members = [alice.address, bob.address, charlie.address];
			expect(
				await sendOnRelay(relay.tx.sudo.sudo(relay.tx.collective.setMembers(members, null, 0)), 'sudo.sudo(collective.setMembers)'),
			).toContain('sudo.Sudid');
			const batch = (await proposal()).tx;
			const events = await sendOnRelay(
				relay.tx.collective.propose(2, batch.method, batch.method.encodedLength + 16),
				'collective.propose',
			);
			expect(events).toContain('collective.Proposed');

			const { home, env } = await consoleHome('rc-review-collective-');
			const relayWasm = writeRococoWasm(9140, home);
			const wasms = ['--wasm', relayWasm, '--wasm', `hub=${writeAssetHubWasm(home, 'rebuilt')}`];
			const seen = await runCli(['review', '--env', 'relay', '--motion', 'collective:0', ...wasms, '--json'], env);
			const out = seen.json();
			expect(out.verdict, seen.stdout.slice(0, 600) + seen.stderr).toBe('match');
			expect(out.line).toMatch(/^MATCH: collective motion 0 installs rococo spec 9140, code hash .* and on para 1000 authorizes/);
			expect(out.voteState).toMatchObject({ kind: 'motion', collective: 'collective', index: 0, threshold: 2, ayes: [], nays: [] });
			expect(out.voteState.members).toHaveLength(3);
			// One byte off on the asset hub: MISMATCH naming the chain.
			const off = await runCli(
				[
					'review',
					'--env',
					'relay',
					'--motion',
					'collective:0',
					'--wasm',
					relayWasm,
					'--wasm',
					`hub=${writeAssetHubWasm(home, 'genesis')}`,
				],
				env,
			);
			expect(off.code).toBe(1);
			expect(off.stdout).toMatch(/^MISMATCH: .*para 1000: code hash 0x[0-9a-f]{4}…[0-9a-f]{4} on chain vs 0x0be7…47ee in your wasm/);
			const text = (await runCli(['review', '--env', 'relay', '--motion', 'collective:0', ...wasms], env)).stdout;
			expect(text).toContain('vote (Collective motion 0): 0 aye, 0 nay of 3 members; threshold 2');
		},
	);

	it(
		'review --release ID compares every runtime of a multi-runtime release; a changed file is refused; another release names the chain',
		{ timeout: 180_000 },
		async () => {
			const { home, env } = await consoleHome('rc-review-release-');
			const file = path.join(home, 'upgrade.call');
			writeFileSync(file, u8aToHex((await proposal()).tx.method.toU8a()));
			const relayWasm = writeRococoWasm(9140, home);
			const make = async (name: string, hubWasm: string) => {
				const made = await runCli(
					['new', '--name', name, '--runtime', `relay=${relayWasm}`, '--runtime', `hub=${hubWasm}`, '--json'],
					env,
				);
				expect(made.code, made.stderr).toBe(0);
				return made.json().id as string;
			};
			const rebuilt = writeAssetHubWasm(home, 'rebuilt');
			const right = await make('right', rebuilt);
			const both = await runCli(['review', '--env', 'relay', '--call', file, '--release', right, '--json'], env);
			expect(both.json().verdict, both.stdout.slice(0, 600) + both.stderr).toBe('match');
			expect(both.json().upgrades.length).toBe(2);
			const text = (await runCli(['review', '--env', 'relay', '--call', file, '--release', right], env)).stdout;
			expect(text).toMatch(/upgrades \(2\):/);
			expect(text).toMatch(/ {2}this chain {2}system\.setCode +0x[0-9a-f]{4}…[0-9a-f]{4} +match/);
			expect(text).toMatch(/ {2}para 1000 {3}parachainSystem\.authorizeUpgrade +0x[0-9a-f]{4}…[0-9a-f]{4} +match/);
			// A release whose asset hub runtime is another code: MISMATCH, naming the chain.
			const genesis = writeAssetHubWasm(home, 'genesis');
			const other = await make('other hub', genesis);
			const off = await runCli(['review', '--env', 'relay', '--call', file, '--release', other, '--json'], env);
			expect(off.code).toBe(1);
			expect(off.json().differences[0]).toMatch(/^para 1000: code hash 0x[0-9a-f]{64} on chain vs 0x0be70b77/);
			expect(off.json().upgrades.map((r: { verdict: string }) => r.verdict)).toEqual(['match', 'differs']);
			// A release's file changed since: refused, it is not what was released.
			writeFileSync(rebuilt, readFileSync(genesis));
			const changed = await runCli(['review', '--env', 'relay', '--call', file, '--release', right], env);
			expect(changed.code).toBe(2);
			expect(changed.stderr).toContain(`${rebuilt} is not release ${right}'s runtime for hub any more`);
			// Bad input: both --release and --wasm; an unknown release.
			const mixed = await runCli(['review', '--env', 'relay', '--call', file, '--release', right, '--wasm', relayWasm], env);
			expect(mixed.code).toBe(2);
			expect(mixed.stderr).toContain('--release and --wasm both say what to compare with');
			const unknown = await runCli(['review', '--env', 'relay', '--call', file, '--release', 'nope'], env);
			expect(unknown.code).toBe(2);
			expect(unknown.stderr).toContain('no release "nope"');
		},
	);

	it(
		"review --dry-run follows the XCM into the asset hub: its fork takes the relay's message and holds the authorization; with the hub's wasm the whole para upgrade is rehearsed; upstream untouched",
		{ timeout: 300_000 },
		async () => {
			const { home, env } = await consoleHome('rc-review-dryrun-xcm-');
			const file = path.join(home, 'upgrade.call');
			writeFileSync(file, u8aToHex((await proposal()).tx.method.toU8a()));
			const relayBest = (await relay.rpc.chain.getHeader()).number.toNumber();
			const paraBest = (await para.rpc.chain.getHeader()).number.toNumber();
			// Without the hub's wasm: the relay installs 9140 on its fork, and the message is followed into the hub's fork.
			const followed = await runCli(['review', '--env', 'relay', '--call', file, '--dry-run', '--blocks', '1', '--json'], env);
			const dry = followed.json().dryRun;
			expect(dry.report.verdict, followed.stdout.slice(0, 800) + followed.stderr).toBe('passed');
			expect(dry.report.after.specVersion).toBe(9140);
			expect(dry.paras).toHaveLength(1);
			const hub = dry.paras[0];
			expect(hub).toMatchObject({ env: 'hub', followed: 'xcm', codeHash: hubHash, verdict: 'passed' });
			expect(hub.steps.join('\n')).toMatch(/downward: .*complete/i);
			expect(hub.steps.join('\n')).toMatch(/UpgradeAuthorized/);
			expect(hub.steps.at(-1)).toBe(`the para now holds an authorization for ${hubHash}`);
			expect(hub.upgrade).toBeUndefined();
			// The text names what the para did and how to rehearse the rest.
			const text = (await runCli(['review', '--env', 'relay', '--call', file, '--dry-run', '--blocks', '1'], env)).stdout;
			expect(text).toMatch(/the relay's XCM followed on a fork of hub at #\d+/);
			expect(text).toMatch(/✔ passed: the para executed the relay's message and holds the authorization/);
			// With the hub's wasm (the authorized code): handed over, applied, and blocks under it on the hub's fork.
			const whole = await runCli(
				[
					'review',
					'--env',
					'relay',
					'--call',
					file,
					'--dry-run',
					'--blocks',
					'1',
					'--wasm',
					`hub=${writeAssetHubWasm(home, 'rebuilt')}`,
					'--json',
				],
				env,
			);
			const hub2 = whole.json().dryRun.paras[0];
			expect(hub2.verdict, JSON.stringify(hub2).slice(0, 800)).toBe('passed');
			expect(hub2.upgrade.codeUpdated).toBe(true);
			expect(hub2.after.codeHash).toBe(hubHash);
			expect(hub2.blocks).toHaveLength(1);
			// The real chains: no new blocks, no authorization on the hub, the relay still at 9130.
			expect((await relay.rpc.chain.getHeader()).number.toNumber()).toBe(relayBest);
			expect((await para.rpc.chain.getHeader()).number.toNumber()).toBe(paraBest);
			expect((await relay.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
			expect(await paraAuthorization(para)).toBeUndefined();
		},
	);
});
