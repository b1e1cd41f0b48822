/**
 * Kill the console (SIGKILL) in the middle of the council-democracy route on
 * the governance devnet (a simulation; manual blocks so the test decides when
 * the chain moves): after the council motion is proposed, and between the
 * submission of a vote and its inclusion. Each resumed console continues from
 * what is true on chain, and at the end every extrinsic of the route is on
 * chain exactly once.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect } from '../helpers/governance.js';
import { runCli, spawnCli, tempHome } from '../helpers/cli.js';
import { pumpBlocks } from '../helpers/chain.js';
import { scenario } from '../helpers/steps.js';

let devnet: GovernanceDevnet;
let api: ApiPromise & { query: any };
let home: string;
let id: string;
let producing = true;
let stopPump: () => Promise<void>;
const env = () => ({ RELEASE_CONSOLE_HOME: home });
const ENV = 'council-crash';

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'manual', periods: { launchPeriod: 1000 } });
	api = (await connect(devnet.endpoint)) as any;
	home = tempHome('rc-crash-gov-');
	// A block as soon as an extrinsic waits in the pool (while `producing`), and no other: the governance
	// periods (counted in blocks) pass only when the test builds them. Each block is scanned as it is built.
	stopPump = pumpBlocks(
		async () => {
			scanning = scanning
				.then(() => devnet.newBlocks(1))
				.then(async () => scanTo((await api.rpc.chain.getHeader()).number.toNumber()))
				.catch(() => undefined);
			await scanning;
		},
		async () => producing && (await api.rpc.author.pendingExtrinsics()).length > 0,
	);
});
afterAll(async () => {
	await stopPump?.();
	await api?.disconnect();
	await devnet?.close();
});

/**
 * Signed extrinsics as `section.method by signer`, from every block as it is
 * produced (the devnet keeps the state of recent blocks only, and decoding an
 * old block after the upgrade needs its state).
 */
const seen: string[] = [];
let scanned = 0;
async function scanTo(best: number): Promise<void> {
	for (let n = scanned + 1; n <= best; n++) {
		const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
		for (const x of block.block.extrinsics) {
			if (x.isSigned) seen.push(`${x.method.section}.${x.method.method} by ${x.signer.toString().slice(0, 6)}`);
		}
		scanned = n;
	}
}
let scanning = Promise.resolve();
async function extrinsicsOnChain(): Promise<string[]> {
	await scanning;
	await scanTo((await api.rpc.chain.getHeader()).number.toNumber());
	return seen;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`timed out waiting for ${what}`);
}

async function advance(signer?: string) {
	const r = await runCli(['advance', id, '--env', ENV, ...(signer ? ['--signer', signer, '--yes'] : []), '--json'], env());
	if (r.code !== 0) throw new Error(`advance ${signer ?? ''} exited ${r.code}: ${r.stderr}${r.stdout.slice(0, 2000)}`);
	return r.json();
}

describe('crash in the middle of the council-democracy route', () => {
	// One release through the route, crashed twice on the way: any one step runs alone with -t, the steps before it first.
	const s = scenario();

	it(
		'sets up the environment and the release',
		s.step(async () => {
			expect(
				(
					await runCli(
						[
							'env',
							'add',
							ENV,
							'--endpoint',
							devnet.endpoint,
							'--kind',
							'local',
							'--route',
							'council-democracy',
							'--fast-track-period',
							'60',
							'--soak-blocks',
							'2',
							'--soak-minutes',
							'0',
							'--max-stall',
							'600',
						],
						env(),
					)
				).code,
			).toBe(0);
			const specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
			const wasm = path.join(home, 'next.wasm');
			writeFileSync(wasm, buildDevnetCode({ specVersion }));
			id = (await runCli(['new', '--name', 'crash rehearsal', '--wasm', wasm, '--env', ENV, '--json'], env())).json().id;
		}),
		s.timeout(60_000),
	);

	it(
		'killed right after the council motion is proposed: the resumed console votes, it does not propose again',
		s.step(async () => {
			const child = spawnCli(['advance', id, '--env', ENV, '--signer', '//Alice', '--yes'], env());
			await waitFor(async () => ((await api.query.council.proposals()) as any).length === 1, 'the council motion');
			child.kill('SIGKILL');
			await new Promise((r) => child.once('exit', r));
			const out = await advance('//Alice');
			expect(out.result.kind).toBe('wait');
			expect(out.result.message).toMatch(/1 aye, 0 nay of 3/);
			expect(((await api.query.council.proposalCount()) as any).toNumber()).toBe(1);
		}),
		s.timeout(120_000),
	);

	it(
		'killed between submitting a vote and its inclusion: the resumed console reconciles and sends nothing',
		s.step(async () => {
			producing = false;
			const child = spawnCli(['advance', id, '--env', ENV, '--signer', '//Bob', '--yes'], env());
			await waitFor(async () => (await api.rpc.author.pendingExtrinsics()).length === 1, 'the vote in the pool');
			child.kill('SIGKILL');
			await new Promise((r) => child.once('exit', r));
			const status = (await runCli(['status', id, '--json'], env())).json();
			const open = status.environments[0].intents.filter((i: any) => !i.outcome);
			expect(open).toHaveLength(1);
			expect(open[0].call).toBe('council.vote(aye)');
			// Still in the pool: the resumed console waits for it.
			const waiting = await advance('//Bob');
			expect(waiting.result.waitingFor).toBe('inclusion');
			producing = true;
			await waitFor(async () => (await api.rpc.author.pendingExtrinsics()).length === 0, 'inclusion');
			const resumed = await advance('//Bob');
			expect(resumed.result.kind).toBe('wait');
			expect(resumed.result.message).toMatch(/2 aye, 0 nay of 3/);
		}),
		s.timeout(120_000),
	);

	it(
		'the route completes and every extrinsic is on chain exactly once',
		s.step(async () => {
			await advance('//Charlie'); // votes and closes
			await advance('//Dave'); // proposes the fast-track and votes
			await advance('//Alice'); // votes, closes, votes in the referendum
			let out: any;
			for (let i = 0; i < 30; i++) {
				out = await advance();
				if (out.result.kind === 'complete') break;
				// the fast-track voting period, the enactment delay, verify and the soak pass as the test builds blocks
				scanning = scanning.then(async () => {
					for (let b = 0; b < 5; b++) {
						await devnet.newBlocks(1);
						await scanTo((await api.rpc.chain.getHeader()).number.toNumber());
					}
				});
				await scanning;
			}
			expect(out.result.kind).toBe('complete');
			const xs = await extrinsicsOnChain();
			const count = (name: string) => xs.filter((x) => x.startsWith(name)).length;
			expect(count('preimage.notePreimage')).toBe(1);
			expect(count('council.propose')).toBe(1);
			expect(count('council.vote')).toBe(3);
			expect(new Set(xs.filter((x) => x.startsWith('council.vote'))).size).toBe(3);
			expect(count('council.close')).toBe(1);
			expect(count('technicalCommittee.propose')).toBe(1);
			expect(count('technicalCommittee.close')).toBe(1);
			expect(count('democracy.vote')).toBe(1);
		}),
		s.timeout(240_000),
	);
});
