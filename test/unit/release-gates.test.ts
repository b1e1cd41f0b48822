import { describe, expect, it } from 'vitest';
import {
	evaluateSoak,
	formatDuration,
	integrityGate,
	soakGate,
	specNameGate,
	specVersionGate,
	updateSoak,
	runtimeApisGate,
} from '../../source/domain/gates.js';
import type { Hex, SoakPolicy, SoakProgress } from '../../source/domain/types.js';

const AT = '2025-01-01T00:00:00.000Z';
const H = (c: string): Hex => `0x${c.repeat(64)}` as Hex;
const T = Date.parse(AT);

describe('formatDuration', () => {
	it.each([
		[0, '0s'],
		[-5, '0s'],
		[Number.NaN, '0s'],
		[45.9, '45s'],
		[60, '1m00s'],
		[90, '1m30s'],
		[3599, '59m59s'],
		[3600, '1h00m'],
		[3720, '1h02m'],
		[21600, '6h00m'],
		[90000, '25h00m'],
	])('%s → %s', (seconds, text) => {
		expect(formatDuration(seconds)).toBe(text);
	});
});

describe('specNameGate', () => {
	it('passes on equal names, fails on different, waits when the chain is unknown', () => {
		expect(specNameGate('devnet', 'rococo', 'rococo', AT)).toMatchObject({
			id: 'spec-name',
			env: 'devnet',
			status: 'pass',
			checkedAt: AT,
		});
		const fail = specNameGate({ name: 'prod' }, 'rococo', 'polkadot', AT);
		expect(fail).toMatchObject({ env: 'prod', status: 'fail', evidence: { artifact: 'rococo', chain: 'polkadot' } });
		expect(fail.summary).toBe('artifact is for rococo but the chain runs polkadot');
		expect(specNameGate('devnet', 'rococo', undefined, AT).status).toBe('pending');
	});

	it('stamps checkedAt with the current time when none is given', () => {
		const before = Date.now();
		const at = Date.parse(specNameGate('d', 'a', 'a').checkedAt);
		expect(at).toBeGreaterThanOrEqual(before);
		expect(at).toBeLessThanOrEqual(Date.now());
	});
});

describe('specVersionGate', () => {
	it('must strictly increase', () => {
		expect(specVersionGate('d', 9140, 9130, AT)).toMatchObject({
			status: 'pass',
			summary: 'spec version 9130 → 9140',
			evidence: { artifact: 9140, chain: 9130 },
		});
		const same = specVersionGate('d', 9140, 9140, AT);
		expect(same.status).toBe('fail');
		expect(same.summary).toMatch(/already runs spec version 9140/);
		const down = specVersionGate('d', 9120, 9130, AT);
		expect(down.status).toBe('fail');
		expect(down.summary).toMatch(/downgrade/);
		expect(specVersionGate('d', 9140, undefined, AT).status).toBe('pending');
	});
});

describe('integrityGate', () => {
	it('passes when the hash is unchanged (case-insensitive), fails when it changed', () => {
		expect(integrityGate('d', H('a'), H('A'), AT)).toMatchObject({ id: 'artifact-integrity', status: 'pass' });
		const fail = integrityGate('d', H('a'), H('b'), AT);
		expect(fail.status).toBe('fail');
		expect(fail.summary).toMatch(/artifact changed since the release was created/);
		expect(fail.evidence).toEqual({ recorded: H('a'), current: H('b') });
		expect(integrityGate('d', H('a'), undefined, AT).status).toBe('pending');
	});
});

const policy: SoakPolicy = { minBlocks: 3000, minSeconds: 6 * 3600, maxStallSeconds: 60 };
const soakAt = (lastBlock: number, lastSeconds: number, longest = 6): SoakProgress => ({
	startBlock: 100,
	startedAt: AT,
	lastBlock,
	lastBlockAt: new Date(T + lastSeconds * 1000).toISOString(),
	longestStallSeconds: longest,
});

describe('evaluateSoak', () => {
	it('not started: everything remains', () => {
		expect(evaluateSoak(policy, undefined, T)).toEqual({
			blocksDone: 0,
			secondsDone: 0,
			met: false,
			stalled: false,
			remainingBlocks: 3000,
			remainingSeconds: 21600,
			longestStallSeconds: 0,
			currentGapSeconds: 0,
		});
	});

	it('counts blocks and seconds on block evidence', () => {
		const e = evaluateSoak(policy, soakAt(512, 3720), T + 3725_000);
		expect(e).toMatchObject({
			blocksDone: 412,
			secondsDone: 3720,
			met: false,
			stalled: false,
			remainingBlocks: 2588,
			remainingSeconds: 21600 - 3720,
		});
		expect(e.currentGapSeconds).toBe(5);
	});

	it('is met only when both blocks and seconds are reached', () => {
		expect(evaluateSoak(policy, soakAt(3100, 21600), T + 21601_000).met).toBe(true);
		expect(evaluateSoak(policy, soakAt(3099, 21600), T + 21601_000).met).toBe(false);
		expect(evaluateSoak(policy, soakAt(3100, 21599), T + 21601_000).met).toBe(false);
	});

	it('wall time alone does not finish a soak', () => {
		const e = evaluateSoak(policy, soakAt(3100, 100), T + 30 * 3600_000);
		expect(e.met).toBe(false);
		expect(e.stalled).toBe(true);
	});

	it('a recorded stall longer than the max fails; equal does not', () => {
		expect(evaluateSoak(policy, soakAt(200, 600, 61), T + 600_000).stalled).toBe(true);
		expect(evaluateSoak(policy, soakAt(200, 600, 60), T + 600_000).stalled).toBe(false);
	});

	it('a current silence counts as a stall only while the soak is not met', () => {
		expect(evaluateSoak(policy, soakAt(200, 600), T + 661_000).stalled).toBe(true);
		expect(evaluateSoak(policy, soakAt(200, 600), T + 659_000).stalled).toBe(false);
		expect(evaluateSoak(policy, soakAt(3100, 21600), T + 30 * 3600_000).stalled).toBe(false);
	});
});

describe('soakGate', () => {
	it('pending before the soak starts', () => {
		const g = soakGate('testnet', policy, undefined, T);
		expect(g).toMatchObject({ id: 'soak', env: 'testnet', status: 'pending', checkedAt: AT });
		expect(g.summary).toBe('soak not started; 0/3000 blocks, 0s/6h00m');
	});

	it('pending with a progress summary while running', () => {
		const g = soakGate('testnet', policy, soakAt(512, 3720), T + 3725_000);
		expect(g.status).toBe('pending');
		expect(g.summary).toBe('412/3000 blocks, 1h02m/6h00m');
		expect(g.evidence).toMatchObject({ blocks: 412, seconds: 3720, longestStall: 6 });
		expect(g.checkedAt).toBe(new Date(T + 3725_000).toISOString());
	});

	it('passes once met', () => {
		const g = soakGate('testnet', policy, soakAt(3100, 21600), T + 21600_000);
		expect(g.status).toBe('pass');
		expect(g.summary).toBe('3000/3000 blocks, 6h00m/6h00m');
	});

	it('fails on a stall longer than the max, naming it', () => {
		const g = soakGate('testnet', policy, soakAt(512, 3720, 95), T + 3725_000);
		expect(g.status).toBe('fail');
		expect(g.summary).toBe('the chain stalled for 1m35s (max 1m00s); 412/3000 blocks, 1h02m/6h00m');
		expect(g.evidence).toMatchObject({ longestStall: 95 });
	});

	it('fails when no block arrived for longer than the max', () => {
		const g = soakGate('testnet', policy, soakAt(512, 3720), T + 3720_000 + 95_000);
		expect(g.status).toBe('fail');
		expect(g.summary).toMatch(/^no block for 1m35s \(max 1m00s\)/);
	});
});

describe('updateSoak', () => {
	it('starts at the first block', () => {
		expect(updateSoak(undefined, 100, T)).toEqual({
			startBlock: 100,
			startedAt: AT,
			lastBlock: 100,
			lastBlockAt: AT,
			longestStallSeconds: 0,
		});
	});

	it('tracks the longest gap between consecutive blocks', () => {
		let s = updateSoak(undefined, 100, T);
		s = updateSoak(s, 101, T + 6_000);
		s = updateSoak(s, 102, T + 18_000);
		s = updateSoak(s, 103, T + 24_000);
		expect(s).toMatchObject({ startBlock: 100, lastBlock: 103, longestStallSeconds: 12 });
		expect(s.lastBlockAt).toBe(new Date(T + 24_000).toISOString());
	});

	it('ignores blocks at or below the latest (re-orgs, duplicates)', () => {
		const s = updateSoak(updateSoak(undefined, 100, T), 101, T + 6_000);
		expect(updateSoak(s, 101, T + 90_000)).toBe(s);
		expect(updateSoak(s, 99, T + 90_000)).toBe(s);
	});

	it('spreads a gap over skipped blocks (a reconnect is not a stall)', () => {
		const s = updateSoak(updateSoak(undefined, 100, T), 120, T + 120_000);
		expect(s.longestStallSeconds).toBe(6);
	});

	it('does not go back in time when a block carries an earlier timestamp', () => {
		const s1 = updateSoak(undefined, 100, T + 10_000);
		const s2 = updateSoak(s1, 101, T);
		expect(s2.lastBlock).toBe(101);
		expect(s2.lastBlockAt).toBe(s1.lastBlockAt);
		expect(s2.longestStallSeconds).toBe(0);
	});
});

describe('runtimeApisGate: the APIs the node calls, no dev-only ones', () => {
	const live = [
		'Core',
		'Metadata',
		'BlockBuilder',
		'TaggedTransactionQueue',
		'OffchainWorkerApi',
		'SessionKeys',
		'AccountNonceApi',
		'TransactionPaymentApi',
		'BabeApi',
		'GrandpaApi',
		'ParachainHost',
	];

	it('passes when every required API the live runtime has is there', () => {
		const g = runtimeApisGate('westend', 'testnet', [...live, 'XcmPaymentApi'], live, '2026-12-02T00:00:00.000Z');
		expect(g.status).toBe('pass');
		expect(g.summary).toBe('runtime APIs: the ones the node needs are there, no dev-only ones (12 APIs)');
	});

	it('fails on testnet for a missing consensus API or a try-runtime build, names both; advice on local', () => {
		const lacking = live.filter((a) => a !== 'GrandpaApi');
		const g = runtimeApisGate('westend', 'testnet', [...lacking, 'TryRuntime'], live);
		expect(g.status).toBe('fail');
		expect(g.summary).toBe(
			'the artifact lacks GrandpaApi, which the live runtime has: the node calls them; it carries the dev-only TryRuntime API (a try-runtime or benchmarking build)',
		);
		expect(g.evidence).toMatchObject({ missing: ['GrandpaApi'], devOnly: ['TryRuntime'] });
		const local = runtimeApisGate('devnet', 'local', [...lacking, 'TryRuntime'], live);
		expect(local.status).toBe('pass');
		expect(local.summary).toMatch(/^advice: the artifact lacks GrandpaApi/);
	});

	it('requires nothing the live runtime does not have (a chain without Aura needs no AuraApi)', () => {
		expect(runtimeApisGate('x', 'production', ['Core'], ['Core']).status).toBe('pass');
		expect(runtimeApisGate('x', 'production', ['Core', 'Benchmark'], ['Core']).status).toBe('fail');
	});
});
