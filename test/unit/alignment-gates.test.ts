import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ReleaseError } from '../../source/domain/errors.js';
import {
	attestationGate,
	compatWaiverOffer,
	currentManifest,
	promotionBlockers,
	signoffGate,
	signoffSummary,
	testnetSoakGate,
	transactionVersionGate,
} from '../../source/domain/alignment.js';
import { createSignoff } from '../../source/domain/signoff.js';
import { enactmentBlockFor, expectedTimeOf, livenessAlarm, nextEnactmentWindow } from '../../source/domain/enactment.js';
import type { Release, StageId } from '../../source/domain/types.js';
import { apply, at, ENVS, keys, makeRelease, productionGroups } from '../helpers/alignment.js';

beforeAll(async () => {
	await cryptoWaitReady();
});

const withGroups = (): Release =>
	apply(makeRelease(), { type: 'alignment/configure', env: 'production', config: { groups: productionGroups() }, at: at(1) });

function sign(
	release: Release,
	role: keyof ReturnType<typeof keys>,
	group: string,
	decision: 'approve' | 'reject' = 'approve',
	reason?: string,
): Release {
	const { manifest, digest } = currentManifest(release, 'production');
	const signoff = createSignoff({ manifest, digest, group, pair: keys()[role], decision, reason, signedAt: at(5) });
	return apply(release, { type: 'alignment/signoff', signoff, at: at(5) });
}

function completeEnv(release: Release, env: string): Release {
	const stages = release.progress[env]!.stages.map((s) => s.id as StageId);
	return apply(release, ...stages.map((stage) => ({ type: 'stage/set' as const, env, stage, status: 'done' as const, at: at(2) })));
}

describe('stakeholder groups and sign-offs', () => {
	it('refuses a sign-off by a key outside the group, and an unknown group', () => {
		const release = withGroups();
		expect(() => sign(release, 'outsider', 'qa')).toThrow(ReleaseError);
		expect(() => sign(release, 'outsider', 'qa')).toThrow(/is not a member of group qa on production/);
		expect(() => sign(release, 'qa', 'auditors')).toThrow(/no stakeholder group "auditors"/);
	});

	it('refuses a threshold above the member count', () => {
		const groups = productionGroups();
		groups[0]!.threshold = 2;
		expect(() => apply(makeRelease(), { type: 'alignment/configure', env: 'production', config: { groups }, at: at(1) })).toThrow(
			/threshold 2 must be between 1 and its 1 member/,
		);
	});

	it('missing → met with one approval per group; each sign-off is in the audit log', () => {
		let release = withGroups();
		expect(signoffGate(release, 'production', at(6))).toMatchObject({
			status: 'pending',
			summary: expect.stringMatching(/waiting for sign-offs: release-engineers 0\/1, qa 0\/1, security 0\/1/),
		});
		release = sign(sign(sign(release, 'engineer', 'release-engineers'), 'qa', 'qa'), 'integrations', 'security');
		expect(signoffSummary(release, 'production').state).toBe('met');
		expect(signoffGate(release, 'production', at(6))).toMatchObject({
			status: 'pass',
			summary: 'signed off: release-engineers 1/1, qa 1/1, security 1/1',
		});
		expect(release.audit.filter((e) => e.action === 'alignment/signoff')).toHaveLength(3);
	});

	it('a gate that changes after signing turns the sign-offs stale and the gate back to pending', () => {
		let release = sign(sign(sign(withGroups(), 'engineer', 'release-engineers'), 'qa', 'qa'), 'security', 'security');
		release = apply(release, {
			type: 'gate/set',
			gate: { id: 'soak', env: 'testnet', status: 'fail', summary: 'stalled 2m', checkedAt: at(7) },
			at: at(7),
		});
		const summary = signoffSummary(release, 'production');
		expect(summary.state).toBe('stale');
		expect(summary.groups.every((g) => g.stale.length === 1 && g.approvals === 0)).toBe(true);
		expect(signoffGate(release, 'production', at(8)).summary).toMatch(/^stale: the manifest changed/);
	});

	it('a valid rejection fails the gate with its reason', () => {
		const release = sign(sign(withGroups(), 'engineer', 'release-engineers'), 'qa', 'qa', 'reject', 'the XCM tests were not run');
		expect(signoffGate(release, 'production', at(6))).toMatchObject({
			status: 'fail',
			summary: 'rejected by qa (the XCM tests were not run)',
		});
	});
});

describe('gates', () => {
	it('transaction version: from the forward-compatibility diff verdicts', () => {
		const compat = (required: boolean, bumped: boolean) =>
			apply(makeRelease(), {
				type: 'gate/set',
				gate: {
					id: 'forward-compatible',
					env: 'testnet',
					status: 'fail',
					summary: 'x',
					evidence: {
						verdicts: { transactionVersionBumpRequired: required, transactionVersionBumped: bumped },
						transactionVersion: { old: 2, new: bumped ? 3 : 2 },
					},
					checkedAt: at(1),
				},
				at: at(1),
			});
		expect(transactionVersionGate(makeRelease(), 'production', at(2)).status).toBe('pending');
		expect(transactionVersionGate(compat(true, false), 'production', at(2))).toMatchObject({
			status: 'fail',
			summary: expect.stringMatching(/did not increase \(2 → 2\)/),
		});
		expect(transactionVersionGate(compat(true, true), 'production', at(2)).status).toBe('pass');
		expect(transactionVersionGate(compat(false, false), 'production', at(2)).status).toBe('pass');
	});

	it("testnet soak: read from the testnet environment's soak gate", () => {
		const release = makeRelease();
		expect(testnetSoakGate(release, 'production', ENVS, at(2))).toMatchObject({
			status: 'pending',
			summary: 'not soaked on testnet yet',
		});
		const soaked = apply(release, {
			type: 'gate/set',
			gate: {
				id: 'soak',
				env: 'testnet',
				status: 'pass',
				summary: '3000/3000 blocks, 6h00m/6h00m',
				evidence: { blocks: 3000 },
				checkedAt: at(2),
			},
			at: at(2),
		});
		expect(testnetSoakGate(soaked, 'production', ENVS, at(3))).toMatchObject({
			status: 'pass',
			evidence: { testnet: 'testnet', blocks: 3000 },
		});
		expect(testnetSoakGate(release, 'testnet', ENVS, at(3)).summary).toMatch(/travels no testnet before testnet/);
	});

	it('a release of several runtimes ships as a set: every runtime soaked on a testnet before any production chain', () => {
		const base = makeRelease();
		const hub = { ...base.artifact, codeHash: `0x${'b'.repeat(64)}` as const, specName: 'statemine', specVersion: 900 };
		// testnet runs the relay's runtime, hub-testnet the asset hub's; production the relay's.
		const envs = [...ENVS, { name: 'hub-testnet', kind: 'testnet' as const }];
		const set: Release = {
			...base,
			environments: ['devnet', 'testnet', 'hub-testnet', 'production'],
			progress: { ...base.progress, 'hub-testnet': base.progress.testnet! },
			runtimes: { devnet: base.artifact, testnet: base.artifact, 'hub-testnet': hub, production: base.artifact },
		};
		const soak = (release: Release, env: string) =>
			apply(release, {
				type: 'gate/set',
				gate: { id: 'soak', env, status: 'pass', summary: '10/10 blocks', evidence: {}, checkedAt: at(2) },
				at: at(2),
			});
		expect(testnetSoakGate(soak(set, 'testnet'), 'production', envs, at(3))).toMatchObject({
			status: 'pending',
			summary: 'the set ships together: not soaked on a testnet yet: statemine 900 (hub-testnet)',
		});
		const all = soak(soak(set, 'testnet'), 'hub-testnet');
		expect(testnetSoakGate(all, 'production', envs, at(3))).toMatchObject({ status: 'pass' });
		expect(testnetSoakGate(all, 'production', envs, at(3)).summary).toContain('statemine 900 on hub-testnet');
		const noTestnet: Release = { ...set, runtimes: { ...set.runtimes, 'hub-testnet': base.artifact, devnet: hub } };
		expect(testnetSoakGate(noTestnet, 'production', envs, at(3))).toMatchObject({
			status: 'fail',
			summary: expect.stringMatching(/statemine 900 travels no testnet in this release/),
		});
	});

	it('attestations need a reference', () => {
		expect(() => attestationGate('production', 'audits', 'ok', undefined, at(1))).toThrow(/reference of at least 8/);
		expect(attestationGate('production', 'pause', 'https://example.org/pause-review', 'security', at(1))).toMatchObject({
			status: 'pass',
			evidence: { reference: 'https://example.org/pause-review', attestedBy: 'security' },
		});
	});
});

describe('release train', () => {
	it('promotion to production is refused while a required gate fails, and allowed after', () => {
		let release = completeEnv(completeEnv(withGroups(), 'devnet'), 'testnet');
		const blockers = () => promotionBlockers(release, 'production', ENVS, at(10)).map((b) => `${b.gate}:${b.status}`);
		expect(blockers()).toEqual([
			'release-commit-on-branch:pending',
			'transaction-version:pending',
			'artifact-integrity:missing',
			'testnet-soak:pending',
			'audits:missing',
			'pause:missing',
			'signoffs:pending',
		]);
		release = apply(
			release,
			{
				type: 'alignment/notes',
				notes: {
					repo: '/r',
					branch: 'main',
					branchRef: 'refs/heads/main',
					fromCommit: 'a'.repeat(40),
					releaseCommit: 'b'.repeat(40),
					onBranch: true,
					commits: [],
					digest: '0x00',
					collectedAt: at(3),
				},
				at: at(3),
			},
			{
				type: 'gate/set',
				gate: {
					id: 'forward-compatible',
					env: 'testnet',
					status: 'pass',
					summary: 'ok',
					evidence: { verdicts: { transactionVersionBumpRequired: false, transactionVersionBumped: false } },
					checkedAt: at(3),
				},
				at: at(3),
			},
			{
				type: 'gate/set',
				gate: { id: 'artifact-integrity', env: 'testnet', status: 'pass', summary: 'same hash', checkedAt: at(3) },
				at: at(3),
			},
			{ type: 'gate/set', gate: { id: 'soak', env: 'testnet', status: 'pass', summary: 'soaked', checkedAt: at(3) }, at: at(3) },
			{
				type: 'gate/set',
				gate: attestationGate('production', 'audits', 'https://example.org/audit-2025-03', 'security', at(3)),
				at: at(3),
			},
			{
				type: 'gate/set',
				gate: { id: 'pause', env: 'production', status: 'fail', summary: 'pallet X cannot be paused', checkedAt: at(3) },
				at: at(3),
			},
		);
		expect(blockers()).toEqual(['pause:fail', 'signoffs:pending']);
		release = sign(sign(sign(release, 'engineer', 'release-engineers'), 'qa', 'qa'), 'security', 'security');
		expect(blockers()).toEqual(['pause:fail']);
		release = apply(release, {
			type: 'gate/waive',
			env: 'production',
			gate: 'pause',
			reason: 'pallet X is disabled by the filter in this runtime',
			at: at(11),
		});
		// The waiver changed a gate in the production manifest: the sign-offs are stale and must be given again.
		expect(blockers()).toEqual(['signoffs:pending']);
		release = sign(sign(sign(release, 'engineer', 'release-engineers'), 'qa', 'qa'), 'security', 'security');
		expect(promotionBlockers(release, 'production', ENVS, at(12))).toEqual([]);
	});

	it('an earlier environment that is not complete blocks promotion', () => {
		const release = makeRelease();
		expect(promotionBlockers(release, 'testnet', ENVS, at(1))[0]).toMatchObject({
			gate: 'earlier-environment',
			env: 'devnet',
			summary: 'devnet is not complete (artifact: pending)',
		});
	});
});

describe('enactment time and liveness', () => {
	it('the enactment block for a wall-clock time, and the expected time of any block', () => {
		const now = Date.parse('2025-03-10T07:00:00Z');
		expect(enactmentBlockFor(now + 3_600_000, 1000, now, 6000)).toBe(1600);
		expect(enactmentBlockFor(now + 3_600_001, 1000, now, 6000)).toBe(1601);
		expect(enactmentBlockFor(now - 1, 1000, now, 6000)).toBe(1001);
		expect(new Date(expectedTimeOf(1600, 1000, now, 6000)).toISOString()).toBe('2025-03-10T08:00:00.000Z');
		expect(() => enactmentBlockFor(now, 1, now, 0)).toThrow(/block time/);
	});

	it('the next Monday–Wednesday 08:00 UTC', () => {
		// Monday 07:00 → Monday 08:00; Monday 08:00 → Tuesday; Wednesday 09:00 → next Monday; Friday → Monday.
		expect(new Date(nextEnactmentWindow(Date.parse('2025-03-10T07:00:00Z'))).toISOString()).toBe('2025-03-10T08:00:00.000Z');
		expect(new Date(nextEnactmentWindow(Date.parse('2025-03-10T08:00:00Z'))).toISOString()).toBe('2025-03-11T08:00:00.000Z');
		expect(new Date(nextEnactmentWindow(Date.parse('2025-03-12T09:00:00Z'))).toISOString()).toBe('2025-03-17T08:00:00.000Z');
		expect(new Date(nextEnactmentWindow(Date.parse('2025-03-14T12:00:00Z'))).toISOString()).toBe('2025-03-17T08:00:00.000Z');
		// With a lead time of two days from Monday 07:00: Wednesday 08:00.
		expect(new Date(nextEnactmentWindow(Date.parse('2025-03-10T07:00:00Z'), 2 * 86_400_000)).toISOString()).toBe(
			'2025-03-12T08:00:00.000Z',
		);
	});

	it('the liveness alarm rings after the multiple of the block time', () => {
		expect(livenessAlarm(0, 18_000, 6000, 3)).toMatchObject({ alarm: false, silentSeconds: 18 });
		const alarm = livenessAlarm(0, 18_001, 6000, 3);
		expect(alarm.alarm).toBe(true);
		expect(alarm.message).toMatch(/no block for 18s \(more than 3× the 6s block time\)/);
	});
});

describe('a waiver of the forward-compatibility gate is offered only where the gate blocks something', () => {
	const failing = (env: string) =>
		apply(makeRelease(), {
			type: 'gate/set',
			gate: { id: 'forward-compatible', env, status: 'fail', summary: '2 breaking changes', checkedAt: at(1) },
			at: at(1),
		});
	const env = (name: string) => ENVS.find((e) => e.name === name)!;

	it('testnet: the artifact stage refuses until it is waived, so w is offered', () => {
		expect(compatWaiverOffer(failing('testnet'), env('testnet'))).toEqual({ offered: true });
	});

	it('local: advice, unless the environment requires the gate', () => {
		const offer = compatWaiverOffer(failing('devnet'), env('devnet'));
		expect(offer).toMatchObject({ offered: false, reason: expect.stringContaining('advice only') });
		const required = apply(failing('devnet'), {
			type: 'alignment/configure',
			env: 'devnet',
			config: { requires: ['forward-compatible'] },
			at: at(1),
		});
		expect(compatWaiverOffer(required, env('devnet'))).toEqual({ offered: true });
	});

	it('a complete environment: a waiver would change nothing', () => {
		expect(compatWaiverOffer(completeEnv(failing('testnet'), 'testnet'), env('testnet'))).toMatchObject({
			offered: false,
			reason: 'testnet is complete: a waiver would change nothing',
		});
	});

	it('a gate that passes or is not checked: nothing to waive', () => {
		expect(compatWaiverOffer(makeRelease(), env('testnet'))).toMatchObject({
			offered: false,
			reason: expect.stringContaining('not failing'),
		});
	});
});
