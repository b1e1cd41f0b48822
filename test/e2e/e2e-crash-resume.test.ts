/**
 * Kill the console (SIGKILL, no clean-up) and start it again, on the real
 * Rococo runtime (embedded chain, manual blocks so the test decides when the
 * chain moves):
 * - between submission and inclusion: the resumed console reconciles the
 *   write-ahead intent against the chain instead of sending the upgrade again;
 * - at every stage boundary of the sudo route (artifact → upgrade, upgrade →
 *   verify, verify → soak), detected from the `advance --follow` output: each
 *   restart picks up where the store says, and the release ends in the same
 *   final state as an uninterrupted one, with exactly one setCode on chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { countExtrinsicsOnChain, pumpBlocks } from '../helpers/chain.js';
import { waitFor } from '../helpers/frames.js';
import { scenario } from '../helpers/steps.js';
import { runCli, spawnCli, tempHome } from '../helpers/cli.js';
import type { ChildProcess } from 'node:child_process';

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
const env = (): Record<string, string> => ({ RELEASE_CONSOLE_HOME: home });

const sudoExtrinsicsOnChain = () => countExtrinsicsOnChain(api, 'sudo');

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
	home = tempHome();
});

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('crash between submission and inclusion', () => {
	it('resumes without a second submission', { timeout: 600_000 }, async () => {
		const wasm = writeRococoWasm(9140, home);
		expect(
			(
				await runCli(
					[
						'env',
						'add',
						'crashy',
						'--endpoint',
						devnet.endpoint,
						'--kind',
						'local',
						'--route',
						'sudo',
						'--soak-blocks',
						'2',
						'--soak-minutes',
						'0',
					],
					env(),
				)
			).code,
		).toBe(0);
		const created = await runCli(['new', '--name', 'crash test', '--wasm', wasm, '--env', 'crashy', '--json'], env());
		const id = created.json().id as string;

		// Submit, and kill the process as soon as the extrinsic is in the node's pool.
		const child = spawnCli(['advance', id, '--env', 'crashy', '--signer', '//Alice', '--yes'], env());
		// (generous: the artifact stage diffs the two runtimes first, slow on a busy machine)
		let pending = 0;
		await waitFor(async () => (pending = (await api.rpc.author.pendingExtrinsics()).length) > 0, 'the upgrade in the pool', 300_000);
		expect(pending).toBe(1);
		child.kill('SIGKILL');
		await new Promise((r) => child.once('exit', r));

		// The write-ahead intent is in the store, without an outcome.
		const before = (await runCli(['status', id, '--json'], env())).json();
		const intents = before.environments[0].intents;
		expect(intents).toHaveLength(1);
		expect(intents[0].outcome).toBeUndefined();
		expect(intents[0].extrinsicHash).toMatch(/^0x[0-9a-f]{64}$/);

		// Restart while it is still in the pool: it waits, and sends nothing.
		const waiting = await runCli(['advance', id, '--env', 'crashy', '--signer', '//Alice', '--yes', '--json'], env());
		expect(waiting.code).toBe(0);
		expect(waiting.json().result.kind).toBe('wait');
		expect(waiting.json().result.waitingFor).toBe('inclusion');
		expect((await api.rpc.author.pendingExtrinsics()).length).toBe(1);

		// The chain includes it; the resumed console records it and carries on.
		await devnet.newBlocks(1);
		// verify and the soak: blocks back to back while it follows
		const stopPump = pumpBlocks(devnet.newBlocks);
		try {
			const resumed = await runCli(
				['advance', id, '--env', 'crashy', '--signer', '//Alice', '--yes', '--follow', '--timeout', '300', '--json'],
				env(),
			);
			expect(resumed.stderr).toBe('');
			const out = resumed.json();
			expect(out.result.kind).toBe('complete');
			const e = out.release.environments[0];
			expect(e.intents).toHaveLength(1);
			expect(e.intents[0].outcome.status).toBe('included');
			expect(e.upgrade.extrinsicHash).toBe(intents[0].extrinsicHash);
		} finally {
			await stopPump();
		}
		expect(await sudoExtrinsicsOnChain()).toBe(1);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
	});
});

/**
 * Start `advance --follow` and SIGKILL it as soon as its output shows `line` (on the output event itself);
 * returns the output up to then. Meanwhile a block is built whenever `buildWhen` holds.
 */
async function killAfter(
	args: string[],
	extraEnv: Record<string, string>,
	line: RegExp,
	buildWhen?: () => Promise<boolean>,
): Promise<string> {
	const child: ChildProcess = spawnCli(args, extraEnv);
	let out = '';
	const exit = new Promise((r) => child.once('exit', r));
	let deadline: NodeJS.Timeout | undefined;
	const seen = new Promise<void>((resolve, reject) => {
		const onData = (d: Buffer) => {
			out += d;
			if (line.test(out)) resolve();
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', () => reject(new Error(`advance exited before ${line}:\n${out}`)));
		deadline = setTimeout(() => reject(new Error(`no ${line} within 360 s:\n${out}`)), 360_000);
	});
	const stopPump = buildWhen ? pumpBlocks(devnet.newBlocks, buildWhen) : async () => {};
	try {
		await seen;
	} finally {
		clearTimeout(deadline);
		child.kill('SIGKILL');
		await exit;
		await stopPump();
	}
	return out;
}

describe('crash at every stage boundary of the sudo route', () => {
	// A fresh chain (the one above already runs 9140).
	beforeAll(async () => {
		await api?.disconnect();
		await devnet?.close();
		devnet = await startRococoDevnet({ blockTime: 'manual' });
		api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
		home = tempHome();
	});
	// The second case starts from where the first leaves the chain (9140): run alone with -t, it runs the first.
	const s = scenario();

	it(
		'artifact → upgrade, upgrade → verify, verify → soak: each restart finishes what the store says, one setCode on chain',
		s.step(async () => {
			const wasm = writeRococoWasm(9140, home);
			expect(
				(
					await runCli(
						[
							'env',
							'add',
							'stages',
							'--endpoint',
							devnet.endpoint,
							'--kind',
							'local',
							'--route',
							'sudo',
							'--soak-blocks',
							'2',
							'--soak-minutes',
							'0',
						],
						env(),
					)
				).code,
			).toBe(0);
			const id = (await runCli(['new', '--name', 'stage crash', '--wasm', wasm, '--env', 'stages', '--json'], env())).json()
				.id as string;
			const advance = ['advance', id, '--env', 'stages', '--signer', '//Alice', '--yes', '--follow', '--timeout', '300'];
			const status = async () => (await runCli(['status', id, '--json'], env())).json().environments[0];
			const stageStatus = async () =>
				Object.fromEntries((await status()).stages.map((s: { id: string; status: string }) => [s.id, s.status]));
			/** Build a block whenever the pool holds an extrinsic (inclusion), and no other block. */
			const includePending = async () => (await api.rpc.author.pendingExtrinsics()).length > 0;

			// 1. Killed right after the artifact stage.
			await killAfter(advance, env(), /✔ artifact checked/);
			let stages = await stageStatus();
			expect(stages.artifact).toBe('done');
			expect(stages.upgrade).not.toBe('done');
			expect(await sudoExtrinsicsOnChain()).toBe(0);

			// 2. Restarted: it signs and sends the upgrade; killed right after it is recorded as included.
			await killAfter(advance, env(), /✔ upgrade in block #\d+/, includePending);
			let e = await status();
			expect(e.upgrade.blockNumber).toBeGreaterThan(0);
			expect(e.intents).toHaveLength(1);
			expect(e.intents[0].outcome.status).toBe('included');
			stages = await stageStatus();
			expect(stages.upgrade).toBe('done');
			expect(stages.verify).not.toBe('done');
			expect(await sudoExtrinsicsOnChain()).toBe(1);

			// 3. Restarted: verify needs the block after the upgrade; killed right after it verified.
			const verifyOut = await killAfter(
				advance,
				env(),
				/✔ verified/,
				async () => (await api.rpc.chain.getHeader()).number.toNumber() <= e.upgrade.blockNumber,
			);
			expect(verifyOut).not.toMatch(/^\s+(signed|ready|inBlock)\b/m); // nothing sent again
			stages = await stageStatus();
			expect(stages.verify).toBe('done');
			expect(stages.soak).not.toBe('done');

			// 4. Restarted: the soak runs to the end.
			const stopPump = pumpBlocks(devnet.newBlocks);
			let finished;
			try {
				finished = await runCli([...advance, '--json'], env());
			} finally {
				await stopPump();
			}
			expect(finished.stderr).toBe('');
			const out = finished.json();
			expect(out.result.kind).toBe('complete');
			e = out.release.environments[0];
			// The same final state as an uninterrupted release.
			expect(e.complete).toBe(true);
			expect(e.stages.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
				'artifact:done',
				'upgrade:done',
				'verify:done',
				'soak:done',
			]);
			expect(e.intents).toHaveLength(1);
			expect(e.upgrade.extrinsicHash).toBe(e.intents[0].extrinsicHash);
			expect(e.verified.specVersion).toBe(9140);
			expect(await sudoExtrinsicsOnChain()).toBe(1);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
		}),
		s.timeout(600_000),
	);

	it(
		'a chain already upgraded to the artifact: a new release records where it happened and sends nothing',
		s.step(async () => {
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			const wasm = writeRococoWasm(9140, home);
			const id = (await runCli(['new', '--name', 'again', '--wasm', wasm, '--env', 'stages', '--json'], env())).json().id as string;
			const stopPump = pumpBlocks(devnet.newBlocks);
			let r;
			try {
				r = await runCli(
					['advance', id, '--env', 'stages', '--signer', '//Alice', '--yes', '--follow', '--timeout', '240', '--json'],
					env(),
				);
			} finally {
				await stopPump();
			}
			expect(r.code).toBe(0);
			const out = r.json();
			expect(out.result.kind).toBe('complete');
			const e = out.release.environments[0];
			expect(e.intents).toHaveLength(0);
			expect(e.stages.find((s: { id: string }) => s.id === 'upgrade').detail).toMatch(
				/^the chain already runs this code; in block #\d+/,
			);
			expect(await sudoExtrinsicsOnChain()).toBe(1);
		}),
		s.timeout(300_000),
	);
});
