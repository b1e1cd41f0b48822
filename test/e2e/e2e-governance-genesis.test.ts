/**
 * council-democracy, headless, on real governance code: the genesis runtimes of
 * Kusama (1020, Dec 2019) and Polkadot (0, May 2020) on chopsticks-core. Each
 * signer runs `advance` in turn — council motion for the external proposal,
 * technical-committee fast-track, referendum, enactment — and the chain, read
 * through @polkadot/api, ends on the release's code (the same runtime with its
 * spec version raised by one: source/artifact/embedded-runtimes.ts).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { ApiPromise as Api, WsProvider } from '@polkadot/api';
import { startGenesisChain, type GenesisChain } from '../../source/devnet/genesis-chains.js';
import { applyLegacyExtrinsicVersion } from '../../source/chain/legacy-registry.js';
import { writeGenesisRuntimeWasm } from '../../source/artifact/embedded-runtimes.js';
import { rawRpc } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { scenario } from '../helpers/steps.js';

const stageOf = (out: any, id: string) => out.release.environments[0].stages.find((s: any) => s.id === id);

/**
 * One genesis chain in this process (instant blocks), a store of its own, and the CLI against it: `create` adds
 * the council-democracy environment and the release of the chain's bumped runtime; `advance` runs one signer (the
 * sudo key acting for `sudoAs` through sudo.sudoAs when given); `jumpTo` builds the block at that height.
 */
function genesisRoute(chainName: 'kusama-1020' | 'polkadot-0', envName: string, homePrefix: string) {
	const state = { chain: undefined as unknown as GenesisChain, api: undefined as unknown as ApiPromise, home: '', id: '' };
	const env = () => ({ RELEASE_CONSOLE_HOME: state.home });
	beforeAll(async () => {
		state.chain = await startGenesisChain(chainName, { blockTime: 'instant' });
		state.api = await Api.create({ provider: new WsProvider(state.chain.endpoint), noInitWarn: true });
		// Kusama 1020's metadata v9 names no extrinsic version: block bodies decode with version 4.
		applyLegacyExtrinsicVersion(state.api.registry);
		state.home = tempHome(homePrefix);
	}, 60_000);
	afterAll(async () => {
		await state.api?.disconnect();
		await state.chain?.close();
	});
	return {
		state,
		async create(name: string) {
			const add = await runCli(
				[
					'env',
					'add',
					envName,
					'--endpoint',
					state.chain.endpoint,
					'--kind',
					'local',
					'--route',
					'council-democracy',
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
			const wasm = writeGenesisRuntimeWasm(chainName, 'bumped', path.join(state.home, 'wasm'));
			const created = await runCli(['new', '--name', name, '--wasm', wasm, '--env', envName, '--json'], env());
			expect(created.stderr).toBe('');
			if (!created.json().id) throw new Error(created.stdout);
			state.id = created.json().id;
		},
		async advance(signer?: string, sudoAs?: string) {
			const args = [
				'advance',
				state.id,
				'--env',
				envName,
				...(signer ? ['--signer', signer, '--yes'] : []),
				...(sudoAs ? ['--sudo-as', sudoAs] : []),
			];
			const r = await runCli([...args, '--json'], env());
			if (!r.json().release || (r.code !== 0 && r.code !== 1))
				throw new Error(`advance ${signer ?? ''} exited ${r.code}: ${r.stdout} ${r.stderr.slice(-2000)}`);
			return r.json();
		},
		async jumpTo(height: number) {
			await rawRpc(state.api, 'dev_newBlock', [{ unsafeBlockHeight: height }]);
			expect((await state.api.rpc.chain.getHeader()).number.toNumber()).toBe(height);
		},
	};
}

describe('council-democracy on the real Kusama 1020 runtime (2019 shapes, signed directly)', () => {
	const route = genesisRoute('kusama-1020', 'kusama', 'rc-ksm-');
	const { advance, jumpTo } = route;
	const s = scenario();

	it(
		'creates the environment and the release of kusama 1021',
		s.step(() => route.create('kusama 1021')),
		s.timeout(60_000),
	);

	it(
		'Alice: no preimage to note (the proposal goes inline), and the council motion with the whole call in it',
		s.step(async () => {
			const out = await advance('//Alice');
			expect(stageOf(out, 'preimage').status).toBe('done');
			expect(stageOf(out, 'preimage').detail).toMatch(
				/no preimage needed: this chain's Democracy \(2019\) takes system\.setCode inline/,
			);
			expect(out.result.kind).toBe('wait');
			expect(out.result.message).toMatch(/Council motion #0: 1 aye, 0 nay of 3; threshold 3; no voting period/);
			const [hash] = (await route.state.api.query.council!.proposals!()) as unknown as Array<{ toHex(): string }>;
			const proposal = (await route.state.api.query.council!.proposalOf!(hash!.toHex())) as any;
			const call = proposal.unwrap();
			expect(`${call.section}.${call.method}`).toBe('democracy.externalProposeMajority');
			// The inner call is the release's setCode itself, not a hash.
			expect(`${call.args[0].section}.${call.args[0].method}`).toBe('system.setCode');
		}),
		s.timeout(90_000),
	);

	it(
		'Bob votes; Charlie’s vote reaches the threshold and runs the motion (no close): democracy holds the proposal',
		s.step(async () => {
			await advance('//Bob');
			const out = await advance('//Charlie');
			expect(stageOf(out, 'council').status).toBe('done');
			expect(((await route.state.api.query.democracy!.nextExternal!()) as any).isSome).toBe(true);
			expect(((await route.state.api.query.council!.proposals!()) as unknown as unknown[]).length).toBe(0);
			expect(out.result.message).toMatch(/member of the Technical Committee to propose democracy\.fastTrack\(voting period 600/);
		}),
		s.timeout(90_000),
	);

	it(
		'Dave proposes the fast-track at EmergencyVotingPeriod (600); Eve’s vote runs it: referendum #0 starts, and Eve votes in it',
		s.step(async () => {
			await advance('//Dave');
			const out = await advance('//Eve');
			expect(stageOf(out, 'fast-track').status).toBe('done');
			// externalProposeMajority: a simple-majority referendum; Eve's whole balance (one-byte vote, Locked1x) is counted.
			expect(out.result.message).toMatch(
				/referendum #0 \(SimpleMajority\): ayes 999,999\.\d+ KSM, nays 0 KSM, turnout 999,999\.\d+ KSM; ends at #\d+ \(599 blocks/,
			);
			expect((await route.state.api.query.democracy!.referendumCount!()).toString()).toBe('1');
		}),
		s.timeout(90_000),
	);

	it(
		'Alice votes aye with a one-byte vote; at the end block the referendum passes and is queued for enactment',
		s.step(async () => {
			const out = await advance('//Alice');
			expect(out.result.message).toMatch(/ends at #\d+/);
			const voters = (await route.state.api.query.democracy!.votersFor!(0)) as unknown as Array<{ toString(): string }>;
			expect(voters.map(String).sort()).toEqual(
				[await devAddress('//Alice', route.state.api), await devAddress('//Eve', route.state.api)].sort(),
			);
			// The vote is one byte: aye (0x80) with Locked1x (1).
			const vote = (await route.state.api.query.democracy!.voteOf!([0, await devAddress('//Alice', route.state.api)])) as unknown as {
				toU8a(): Uint8Array;
			};
			expect(vote.toU8a()[0]).toBe(0x81);
			const ref = out.release.environments[0].gov.referendum;
			expect(ref.delay).toBe(1);
			await jumpTo(ref.end);
			const after = await advance();
			expect(stageOf(after, 'referendum').status).toBe('done');
			expect(after.result.message).toMatch(new RegExp(`dispatch queue dispatches system\\.setCode at block #${ref.end + 1}`));
		}),
		s.timeout(90_000),
	);

	it(
		'enactment: the dispatch queue runs setCode; verified by :code (no CodeUpdated in 2019), soaked; kusama 1021 runs',
		s.step(async () => {
			let out = await advance();
			const ref = out.release.environments[0].gov.referendum;
			await jumpTo(ref.end + ref.delay);
			for (let i = 0; i < 6 && out.result.kind !== 'complete'; i++) {
				await rawRpc(route.state.api, 'dev_newBlock', [{ count: 2 }]);
				out = await advance();
			}
			expect(out.result.kind).toBe('complete');
			expect(stageOf(out, 'enactment').detail).toMatch(
				/enacted from Democracy's dispatch queue; in block #\d+; :code changed \(this runtime has no CodeUpdated event\)/,
			);
			expect(stageOf(out, 'verify').detail).toMatch(/:code changed .* runtime kusama 1021; code hash matches/);
			expect((await route.state.api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(1021);
		}),
		s.timeout(120_000),
	);
});

async function devAddress(uri: string, api: ApiPromise): Promise<string> {
	const { Keyring } = await import('@polkadot/keyring');
	return new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 }).addFromUri(uri).address;
}

describe('council-democracy on the real Polkadot 0 runtime (2020 shapes, behind its launch call filter)', () => {
	const route = genesisRoute('polkadot-0', 'polkadot', 'rc-dot-');
	/** `advance(signer, member)`: the sudo key acting for `member` through sudo.sudoAs (or signing itself). */
	const { advance, jumpTo } = route;
	const intentsOf = (out: any) => out.release.environments[0].intents as Array<{ call: string; outcome?: { status: string } }>;
	const s = scenario();

	it(
		'creates the environment and the release of polkadot 1',
		s.step(() => route.create('polkadot 1')),
		s.timeout(60_000),
	);

	it(
		'Alice signing directly: the launch filter would refuse democracy.notePreimage (Custom(2)); nothing is sent, and the sudo-as path is offered',
		s.step(async () => {
			const before = (await route.state.api.rpc.chain.getHeader()).number.toNumber();
			const out = await advance('//Alice');
			expect(out.result.kind).toBe('refused');
			expect(out.result.message).toMatch(
				/the chain would refuse it: the runtime refuses it: InvalidTransaction::Custom\(2\) — polkadot's NoPermission/,
			);
			expect(out.result.hint).toMatch(
				/sudo key may act for any funded account through sudo\.sudoAs \(the rehearsal path, as at Polkadot's launch\): sign with the sudo key and add --sudo-as MEMBER/,
			);
			expect(intentsOf(out)).toEqual([]);
			expect((await route.state.api.rpc.chain.getHeader()).number.toNumber()).toBe(before);
		}),
		s.timeout(90_000),
	);

	it(
		'the sudo key acting for Alice: the preimage noted in Democracy, the council motion proposed (with a length bound)',
		s.step(async () => {
			const out = await advance('//Alice', '//Alice');
			expect(stageOf(out, 'preimage').status).toBe('done');
			expect(out.result.message).toMatch(/Council motion #0: 1 aye, 0 nay of 3; threshold 3; ends at #\d+/);
			const calls = intentsOf(out).map((i) => i.call);
			expect(calls[0]).toMatch(/^sudo\.sudoAs\(\w+, democracy\.notePreimage\)$/);
			expect(calls[1]).toMatch(/^sudo\.sudoAs\(\w+, council\.propose\(democracy\.externalProposeMajority\)\)$/);
			expect(intentsOf(out).every((i) => i.outcome?.status === 'included')).toBe(true);
			const [hash] = (await route.state.api.query.council!.proposals!()) as unknown as Array<{ toHex(): string }>;
			const call = ((await route.state.api.query.council!.proposalOf!(hash!.toHex())) as any).unwrap();
			// 2020: the external proposal names the preimage by hash.
			expect(call.args[0].toHex()).toBe(out.release.environments[0].gov.preimage.hash);
		}),
		s.timeout(120_000),
	);

	it(
		'for Bob and Charlie: votes, then close (u64 weight and length bound): democracy holds the external proposal',
		s.step(async () => {
			await advance('//Alice', '//Bob');
			const out = await advance('//Alice', '//Charlie');
			expect(stageOf(out, 'council').status).toBe('done');
			expect(intentsOf(out).map((i) => i.call)).toContainEqual(expect.stringMatching(/^sudo\.sudoAs\(\w+, council\.close\)$/));
			expect(((await route.state.api.query.democracy!.nextExternal!()) as any).isSome).toBe(true);
		}),
		s.timeout(120_000),
	);

	it(
		'for Dave and Eve: the fast-track at FastTrackVotingPeriod (1800); referendum #0 runs with Eve’s vote',
		s.step(async () => {
			const dave = await advance('//Alice', '//Dave');
			expect(dave.result.message).toMatch(/democracy\.fastTrack\(voting period 1800, delay 1\)|Technical Committee motion #0/);
			const out = await advance('//Alice', '//Eve');
			expect(stageOf(out, 'fast-track').status).toBe('done');
			expect(out.result.message).toMatch(/referendum #0 \(SimpleMajority\): ayes [\d,.]+ DOT, nays 0 DOT/);
		}),
		s.timeout(120_000),
	);

	it(
		'at the end the referendum passes; the Scheduler enacts it (enact_proposal); CodeUpdated, verified, soaked: polkadot 1',
		s.step(async () => {
			let out = await advance();
			const ref = out.release.environments[0].gov.referendum;
			await jumpTo(ref.end);
			out = await advance();
			expect(stageOf(out, 'referendum').status).toBe('done');
			expect(out.result.message).toMatch(new RegExp(`the scheduler dispatches system\\.setCode at block #${ref.end + ref.delay}`));
			await jumpTo(ref.end + ref.delay);
			for (let i = 0; i < 6 && out.result.kind !== 'complete'; i++) {
				await rawRpc(route.state.api, 'dev_newBlock', [{ count: 2 }]);
				out = await advance();
			}
			expect(out.result.kind).toBe('complete');
			expect(stageOf(out, 'enactment').detail).toMatch(/enacted by the scheduler; in block #\d+$/);
			expect(stageOf(out, 'verify').detail).toMatch(/^CodeUpdated in #\d+; runtime polkadot 1; code hash matches/);
			expect((await route.state.api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(1);
		}),
		s.timeout(120_000),
	);
});
