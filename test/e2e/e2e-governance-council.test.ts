/**
 * council-democracy, headless, on the governance devnet (a simulation of FRAME
 * governance that speaks real JSON-RPC): each signer runs `advance` in turn and
 * the route completes — preimage, council motion, technical-committee
 * fast-track, referendum, enactment, verify, soak — with both payloads.
 * The chain is checked through @polkadot/api.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, newBlocks } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

let devnet: GovernanceDevnet;
let api: ApiPromise;
let home: string;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
	api = await connect(devnet.endpoint);
	home = tempHome('rc-gov-');
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

const stageOf = (out: any, id: string) => out.release.environments[0].stages.find((s: any) => s.id === id);

for (const payload of ['set-code', 'authorize'] as const) {
	describe(`council-democracy with the ${payload} payload`, () => {
		let id: string;
		const envName = `council-${payload}`;
		let specVersion: number;
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
						'council-democracy',
						'--payload',
						payload,
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
				specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
				const wasm = path.join(home, `devnet-${specVersion}.wasm`);
				writeFileSync(wasm, buildDevnetCode({ specVersion }));
				const created = await runCli(['new', '--name', `devnet ${specVersion}`, '--wasm', wasm, '--env', envName, '--json'], env());
				expect(created.stderr).toBe('');
				id = created.json().id;
				const status = await runCli(['status', id, '--json'], env());
				expect(status.json().environments[0].stages.map((s: any) => s.id)).toEqual([
					'artifact',
					'preimage',
					'council',
					'fast-track',
					'referendum',
					'enactment',
					...(payload === 'authorize' ? ['apply'] : []),
					'verify',
					'soak',
				]);
			}),
			s.timeout(60_000),
		);

		it(
			'Alice notes the preimage and proposes the council motion, then waits for the other members',
			s.step(async () => {
				const out = await advance(id, envName, '//Alice');
				expect(stageOf(out, 'preimage').status).toBe('done');
				expect(out.result.kind).toBe('wait');
				expect(out.result.waitingFor).toBe('someone-else');
				expect(out.result.message).toMatch(/Council motion #\d+: 1 aye, 0 nay of 3; threshold 3/);
				const motions = (await api.query.council.proposals()) as any;
				expect(motions.length).toBe(1);
			}),
			s.timeout(90_000),
		);

		it(
			'a council member reviews the route-made motion: MATCH with the release wasm, MISMATCH with another',
			s.step(async () => {
				const status = (await runCli(['status', id, '--json'], env())).json();
				const motionHash = status.environments[0].gov.council.hash;
				const wasm = status.artifact.path;
				const match = await runCli(['review', '--env', envName, '--motion', motionHash, '--wasm', wasm, '--json'], env());
				expect(match.code).toBe(0);
				expect(match.json().verdict).toBe('match');
				const other = path.join(home, `other-${payload}.wasm`);
				writeFileSync(other, buildDevnetCode({ specVersion: specVersion + 7 }));
				const mismatch = await runCli(['review', '--env', envName, '--motion', motionHash, '--wasm', other, '--json'], env());
				expect(mismatch.code).toBe(1);
				expect(mismatch.json().verdict).toBe('mismatch');
				expect(mismatch.json().line).toMatch(/code hash/);
			}),
			s.timeout(60_000),
		);

		it(
			'a second run with Alice changes nothing on chain',
			s.step(async () => {
				const before = (await api.rpc.chain.getHeader()).number.toNumber();
				const out = await advance(id, envName, '//Alice');
				expect(out.result.message).toMatch(/\/\/Alice has voted; the next vote needs a member who has not/);
				expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before);
			}),
			s.timeout(60_000),
		);

		it(
			'Bob votes; Charlie votes and closes; the external proposal is in democracy',
			s.step(async () => {
				await advance(id, envName, '//Bob');
				const out = await advance(id, envName, '//Charlie');
				expect(stageOf(out, 'council').status).toBe('done');
				expect(((await api.query.democracy.nextExternal()) as any).isSome).toBe(true);
				// Charlie is not on the technical committee: it says who must act.
				expect(out.result.kind).toBe('wait');
				expect(out.result.message).toMatch(/member of the Technical Committee to propose/);
			}),
			s.timeout(90_000),
		);

		it(
			'Dave proposes the fast-track, Alice seconds and closes it, and votes in the referendum',
			s.step(async () => {
				await advance(id, envName, '//Dave');
				const out = await advance(id, envName, '//Alice');
				expect(stageOf(out, 'fast-track').status).toBe('done');
				expect(out.release.environments[0].stages.find((s: any) => s.id === 'referendum').status).toBe('waiting');
				expect(out.result.message).toMatch(/referendum #\d+ \(SimpleMajority\): ayes/);
				const index = out.release.environments[0].gov.referendum.index;
				// The route-made referendum, reviewed from the chain alone against the release's wasm.
				const review = await runCli(
					['review', '--env', envName, '--referendum', `democracy:${index}`, '--wasm', out.release.artifact.path, '--json'],
					env(),
				);
				expect(review.code).toBe(0);
				expect(review.json().verdict).toBe('match');
				const votes = (await api.query.democracy.votingOf((await devKeys()).alice.address)) as any;
				expect(votes.asDirect.votes.map(([i]: any) => i.toNumber())).toContain(index);
			}),
			s.timeout(90_000),
		);

		it(
			'after the voting period the referendum passes, is enacted, verified and soaked',
			s.step(async () => {
				// voting period 3 (FastTrackVotingPeriod), enactment 1 block later, then verify and a 2-block soak
				let out: any;
				for (let i = 0; i < 5; i++) {
					await newBlocks(api, i === 0 ? 6 : 2);
					// The apply stage (authorize payload) needs a signer: anyone may apply.
					out = await advance(id, envName, payload === 'authorize' ? '//Eve' : undefined);
					if (out.result.kind === 'complete') break;
				}
				expect(out.result.kind).toBe('complete');
				expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(specVersion);
				const status = await runCli(['status', id, '--json'], env());
				const envStatus = status.json().environments[0];
				expect(envStatus.stages.every((s: any) => s.status === 'done')).toBe(true);
			}),
			s.timeout(120_000),
		);
	});
}
