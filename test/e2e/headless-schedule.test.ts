/**
 * `schedule`: enactment time in blocks from the chain's measured block time,
 * against the governance devnet (a simulation whose timestamp advances 6 s a
 * block), headless as a child process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { runCli, tempHome } from '../helpers/cli.js';

let devnet: GovernanceDevnet;
let home: string;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'manual' });
	await devnet.newBlocks(20);
	home = tempHome('rc-schedule-');
	expect((await runCli(['env', 'add', 'gov', '--endpoint', devnet.endpoint, '--kind', 'local', '--route', 'opengov'], env())).code).toBe(
		0,
	);
});
afterAll(async () => {
	await devnet?.close();
});

describe('schedule', () => {
	it('turns a target time into the enactment block and a block into its expected time', async () => {
		const now = (await runCli(['schedule', '--env', 'gov', '--json'], env())).json();
		expect(now.bestBlock).toBe(20);
		expect(now.blockTimeMs).toBe(6000);
		expect(now.blockTimeFrom).toBe('measured');
		const bestAt = Date.parse(now.bestBlockTime);
		const at = new Date(bestAt + 60_000).toISOString();
		const r = await runCli(['schedule', '--env', 'gov', '--at', at, '--block', '25', '--json'], env());
		expect(r.code).toBe(0);
		const out = r.json();
		expect(out.target).toEqual({ time: at, enactmentBlock: 30, blocksFromNow: 10 });
		expect(out.block).toEqual({ number: 25, expectedTime: new Date(bestAt + 30_000).toISOString() });
		const text = await runCli(['schedule', '--env', 'gov', '--window'], env());
		expect(text.stdout).toMatch(/block time 6\.00 s \(measured over the last 19 blocks\)/);
		const window = /enact at (\S+) \(next Monday–Wednesday 08:00 UTC\): block #(\d+)/.exec(text.stdout)!;
		const when = new Date(window[1]!);
		expect([1, 2, 3]).toContain(when.getUTCDay());
		expect(when.getUTCHours()).toBe(8);
		expect(Number(window[2])).toBe(20 + Math.ceil((when.getTime() - bestAt) / 6000));
	});

	it('bad input: a time that is not a time, no environment', async () => {
		const bad = await runCli(['schedule', '--env', 'gov', '--at', 'next tuesday'], env());
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/--at next tuesday is not a date and time/);
		expect(bad.stderr).toMatch(/what to do: give an ISO time/);
		expect((await runCli(['schedule'], env())).code).toBe(2);
	});
});
