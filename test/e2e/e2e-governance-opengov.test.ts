/**
 * opengov, headless, on the governance devnet (a simulation of FRAME governance
 * that speaks real JSON-RPC): `advance` with one signer notes the preimage,
 * (whitelists the call,) submits the referendum on the Root track, places the
 * decision deposit and votes; blocks pass through the prepare, decision and
 * confirm periods; the scheduler enacts; verify and soak complete.
 * Track root with both payloads, track whitelisted with both payloads; in the
 * last, other people act outside the console (the Fellowship whitelists, a
 * voter submits and votes) and `advance` picks their work up.
 * The chain is checked through @polkadot/api.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { buildDevnetCode, DEFAULT_PERIODS, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { blockEvents, connect, devKeys, eventNames, findEvent, newBlocks, send } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

let devnet: GovernanceDevnet;
let api: ApiPromise;
let home: string;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant' });
	api = await connect(devnet.endpoint);
	home = tempHome('rc-opengov-');
});
afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

async function advance(id: string, envName: string, signer?: string) {
	const r = await runCli(['advance', id, '--env', envName, ...(signer ? ['--signer', signer, '--yes'] : []), '--json'], env());
	if (r.code !== 0) throw new Error(`advance ${signer ?? ''} exited ${r.code}: ${r.stderr}${r.stdout}`);
	return r.json();
}

const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const envOf = (out: any) => out.release.environments[0];
const stageOf = (out: any, id: string) => envOf(out).stages.find((s: any) => s.id === id);

const DOLLARS = 10n ** 14n;
const P = DEFAULT_PERIODS;

const cases = [
	{ track: 'root', payload: 'set-code', driver: 'alice', again: true, submittedByOther: false },
	{ track: 'root', payload: 'authorize', driver: 'alice', again: false, submittedByOther: true },
	{ track: 'whitelisted', payload: 'set-code', driver: 'alice', again: false, submittedByOther: false },
	{ track: 'whitelisted', payload: 'authorize', driver: 'others', again: false, submittedByOther: false },
] as const;

for (const { track, payload, driver, again, submittedByOther } of cases) {
	describe(`opengov, track ${track}, ${payload} payload${driver === 'others' ? ', others act outside the console' : ''}`, () => {
		const envName = `opengov-${track}-${payload}`;
		let id: string;
		let specVersion: number;
		let codeHash: string;
		let index: number;
		let enactAt: number | undefined;
		// Each step builds on the one before; any one runs alone with -t (its earlier steps run first).
		const s = scenario();

		it(
			'creates the environment and the release',
			s.step(async () => {
				const add = await runCli(
					[
						'env',
						'add',
						envName,
						'--endpoint',
						devnet.endpoint,
						'--kind',
						'local',
						'--route',
						'opengov',
						'--payload',
						payload,
						'--track',
						track,
						'--enactment-delay',
						'1',
						'--soak-blocks',
						'2',
						'--soak-minutes',
						'0',
						'--max-stall',
						'600',
					],
					env(),
				);
				expect(add.stderr).toBe('');
				expect(add.code).toBe(0);
				specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
				const wasm = path.join(home, `devnet-${specVersion}.wasm`);
				writeFileSync(wasm, buildDevnetCode({ specVersion }));
				const created = await runCli(['new', '--name', `devnet ${specVersion}`, '--wasm', wasm, '--env', envName, '--json'], env());
				expect(created.stderr).toBe('');
				id = created.json().id;
				codeHash = created.json().artifact.codeHash;
			}),
			s.timeout(60_000),
		);

		if (submittedByOther) {
			it(
				'a referendum someone submitted without a decision deposit: without a signer it asks for one (it would time out)',
				s.step(async () => {
					const { charlie } = await devKeys();
					const authorize = (api.tx as any).system.authorizeUpgrade(codeHash).method.toU8a();
					expect((await send(api, (api.tx as any).preimage.notePreimage(u8aToHex(authorize)), charlie)).error).toBeUndefined();
					const submitted = await send(
						api,
						(api.tx as any).referenda.submit(
							{ system: 'Root' },
							{ Lookup: { hash: blake2AsHex(authorize, 256), len: authorize.length } },
							{ After: 1 },
						),
						charlie,
					);
					expect(submitted.error).toBeUndefined();
					const theirs = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
					const r = await runCli(['advance', id, '--env', envName, '--json'], env());
					expect(r.code).toBe(0);
					const out = r.json();
					expect(out.result.kind).toBe('needs-signer');
					expect(stageOf(out, 'preimage').status).toBe('done');
					expect(out.result.message).toMatch(
						new RegExp(
							`referendum #${theirs} \\(track 0\\): preparing: needs a decision deposit \\(times out at #\\d+ without one\\); approval 0%.*any funded account may place the decision deposit`,
						),
					);
					expect(envOf(out).gov.referendum.index).toBe(theirs);
				}),
				s.timeout(60_000),
			);
		}

		if (driver === 'alice') {
			it(
				'Alice (the sudo key) does every step she may (preimage, whitelist, submit or pick up the referendum, decision deposit, aye vote), then it waits for the periods',
				s.step(async () => {
					const out = await advance(id, envName, '//Alice');
					expect(envOf(out).stages.map((s: any) => s.id)).toEqual([
						'artifact',
						'preimage',
						...(track === 'whitelisted' ? ['whitelist'] : []),
						'referendum',
						'enactment',
						...(payload === 'authorize' ? ['apply'] : []),
						'verify',
						'soak',
					]);
					expect(out.result.kind).toBe('wait');
					expect(out.result.message).toMatch(/referendum #\d+ \(track 0\): preparing \(decision deposit placed\); approval 100%/);
					for (const s of ['artifact', 'preimage', ...(track === 'whitelisted' ? ['whitelist'] : [])])
						expect(stageOf(out, s).status).toBe('done');
					expect(stageOf(out, 'referendum').status).toBe('waiting');
					index = envOf(out).gov.referendum.index;
					// one referendum: Alice's own, or the one someone else submitted, picked up
					expect(((await api.query.referenda.referendumCount()) as any).toNumber()).toBe(index + 1);

					// On chain: a Root-track referendum whose proposal is the payload, or the whitelist wrapper around it.
					const info = ((await api.query.referenda.referendumInfoFor(index)) as any).unwrap().asOngoing;
					expect(info.track.toNumber()).toBe(0);
					expect(info.origin.toJSON()).toEqual({ system: { root: null } });
					expect(info.decisionDeposit.isSome).toBe(true);
					const alice = (await devKeys()).alice.address;
					const votes = (await api.query.convictionVoting.votingFor(alice, 0)) as any;
					expect(votes.asCasting.votes.map(([i]: any) => i.toNumber())).toContain(index);
					const proposalHash = info.proposal.asLookup.hash_.toHex();
					const preimage = ((await api.query.preimage.preimageFor([proposalHash, info.proposal.asLookup.len])) as any).unwrap();
					const call = api.registry.createType('Call', preimage.toU8a(true)) as any;
					if (track === 'whitelisted')
						expect(`${call.section}.${call.method}`).toBe('whitelist.dispatchWhitelistedCallWithPreimage');
					const payloadCall = track === 'whitelisted' ? call.args[0] : call;
					expect(`${payloadCall.section}.${payloadCall.method}`).toBe(
						payload === 'set-code' ? 'system.setCode' : 'system.authorizeUpgrade',
					);
					if (track === 'whitelisted') {
						const payloadHash = blake2AsHex(payloadCall.toU8a(), 256);
						expect(((await api.query.whitelist.whitelistedCall(payloadHash)) as any).isSome).toBe(true);
					}
				}),
				s.timeout(90_000),
			);

			if (again) {
				it(
					'a second run with Alice sends nothing new',
					s.step(async () => {
						const before = await best();
						const out = await advance(id, envName, '//Alice');
						expect(out.result.kind).toBe('wait');
						expect(await best()).toBe(before);
					}),
					s.timeout(60_000),
				);
			}

			it(
				'without a signer, while deciding, it says the phase and the tally and waits',
				s.step(async () => {
					// the prepare period runs from submission (two blocks ago: deposit, vote)
					await newBlocks(api, P.trackPreparePeriod - 2);
					const r = await runCli(['advance', id, '--env', envName, '--json'], env());
					expect(r.code).toBe(0);
					const out = r.json();
					expect(out.result.kind).toBe('wait');
					expect(out.result.message).toMatch(
						new RegExp(
							`referendum #${index} \\(track 0\\): deciding since #\\d+; approval 100% \\(ayes [^)]+, nays 0 [A-Z]+\\), support \\d+(\\.\\d+)?%; vote with --signer`,
						),
					);
					const support = Number(/support ([\d.]+)%/.exec(out.result.message)![1]);
					expect(support).toBeGreaterThan(0);
					expect(support).toBeLessThan(100);
				}),
				s.timeout(60_000),
			);
		} else {
			it(
				'Bob notes the preimage, then it waits for the whitelist origin and says the sudo key may stand in here',
				s.step(async () => {
					const out = await advance(id, envName, '//Bob');
					expect(stageOf(out, 'preimage').status).toBe('done');
					expect(out.result.kind).toBe('wait');
					expect(out.result.waitingFor).toBe('someone-else');
					const alice = (await devKeys()).alice.address;
					expect(out.result.message).toMatch(
						new RegExp(
							`waiting for the whitelist origin \\(the Fellowship\\) to whitelist call hash 0x[0-9a-f]{64} \\(system.authorizeUpgrade\\); on this local chain the sudo key ${alice} may stand in`,
						),
					);
					expect(envOf(out).gov.referendum ?? null).toBeNull();
				}),
				s.timeout(90_000),
			);

			it(
				'the Fellowship (sudo) whitelists and a voter submits, deposits and votes outside the console; once approved, advance picks it up and says when the scheduler enacts',
				s.step(async () => {
					const { alice, charlie } = await devKeys();
					const authorize = (api.tx as any).system.authorizeUpgrade(codeHash);
					const wl = await send(
						api,
						(api.tx as any).sudo.sudo((api.tx as any).whitelist.whitelistCall(blake2AsHex(authorize.method.toU8a(), 256))),
						alice,
					);
					expect(wl.names).toContain('whitelist.CallWhitelisted');
					const proposal = (api.tx as any).whitelist.dispatchWhitelistedCallWithPreimage(authorize).method.toU8a();
					const submitted = await send(
						api,
						(api.tx as any).referenda.submit(
							{ system: 'Root' },
							{ Lookup: { hash: blake2AsHex(proposal, 256), len: proposal.length } },
							{ After: 1 },
						),
						charlie,
					);
					expect(submitted.error).toBeUndefined();
					index = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
					expect((await send(api, (api.tx as any).referenda.placeDecisionDeposit(index), charlie)).error).toBeUndefined();
					const vote = { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 5_000_000n * DOLLARS } };
					expect((await send(api, (api.tx as any).convictionVoting.vote(index, vote), alice)).error).toBeUndefined();
					for (let i = 0; i < 20 && !((await api.query.referenda.referendumInfoFor(index)) as any).unwrap().isApproved; i++)
						await newBlocks(api, 1);
					expect(((await api.query.referenda.referendumInfoFor(index)) as any).unwrap().isApproved).toBe(true);

					const r = await runCli(['advance', id, '--env', envName, '--json'], env());
					expect(r.code).toBe(0);
					const out = r.json();
					expect(stageOf(out, 'whitelist').status).toBe('done');
					expect(stageOf(out, 'referendum').status).toBe('done');
					expect(stageOf(out, 'referendum').detail).toMatch(
						/was approved: the scheduler dispatches whitelist.dispatchWhitelistedCallWithPreimage at block #\d+/,
					);
					expect(out.result.kind).toBe('wait');
					const m = /the scheduler dispatches whitelist.dispatchWhitelistedCallWithPreimage at block #(\d+) \((\d+) blocks/.exec(
						out.result.message,
					);
					expect(m).not.toBeNull();
					enactAt = Number(m![1]);
					expect(enactAt).toBe((await best()) + Number(m![2]));
					// nothing was submitted by the console: no second referendum
					expect(((await api.query.referenda.referendumCount()) as any).toNumber()).toBe(index + 1);
				}),
				s.timeout(60_000),
			);
		}

		it(
			'the referendum is confirmed, the scheduler enacts it, and it is verified and soaked',
			s.step(async () => {
				// until enactment: the decision period (support falls to the vote's level), the confirm period and the
				// minimum enactment period; then a 2-block soak (set-code) or the apply block (authorize)
				await newBlocks(
					api,
					enactAt !== undefined
						? enactAt - (await best())
						: P.trackDecisionPeriod + P.trackConfirmPeriod + P.trackMinEnactmentPeriod + 2,
				);
				// The apply stage (authorize payload) needs a signer: anyone may apply.
				let out = await advance(id, envName, payload === 'authorize' ? '//Eve' : undefined);
				const ref = ((await api.query.referenda.referendumInfoFor(index)) as any).unwrap();
				expect(ref.isApproved).toBe(true);
				expect(stageOf(out, 'referendum').status).toBe('done');
				expect(stageOf(out, 'enactment').status).toBe('done');
				if (payload === 'authorize') {
					// applied in its own block; verify needs the next block, soak two more
					expect(stageOf(out, 'enactment').detail).toMatch(/authorized code hash/);
					expect(stageOf(out, 'apply').status).toBe('done');
					expect(out.result.kind).toBe('wait');
					await newBlocks(api, 3);
					out = await advance(id, envName);
				}
				expect(out.result.kind).toBe('complete');
				expect(envOf(out).stages.every((s: any) => s.status === 'done')).toBe(true);
				expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
				const blockNumber = envOf(out).upgrade.blockNumber;
				const events = eventNames(await blockEvents(api, (await api.rpc.chain.getBlockHash(blockNumber)).toHex()));
				expect(events).toContain('system.CodeUpdated');
				if (payload === 'set-code') expect(events).toContain('scheduler.Dispatched');
				if (track === 'whitelisted' && payload === 'set-code') expect(events).toContain('whitelist.WhitelistedCallDispatched');
			}),
			s.timeout(120_000),
		);
	});
}
