import { describe, expect, it } from 'vitest';
import { ReleaseError, formatReleaseError, isReleaseError } from '../../source/domain/errors.js';
import { releaseReducer } from '../../source/domain/reducer.js';
import {
	artifactFor,
	createRelease,
	currentStage,
	isEnvComplete,
	isReleaseComplete,
	newReleaseId,
	nextEnvironment,
	releaseSummary,
	shippedRuntimes,
	slugify,
} from '../../source/domain/release.js';
import type { ArtifactInfo, Environment, Hex, Release, StageId } from '../../source/domain/types.js';

const H = (c: string): Hex => `0x${c.repeat(64)}` as Hex;
const AT = '2025-03-14T10:00:00.000Z';
const artifact: ArtifactInfo = {
	path: '/w/runtime.compact.compressed.wasm',
	size: 10,
	uncompressedSize: 20,
	compressed: true,
	codeHash: H('a'),
	specName: 'rococo',
	specVersion: 9140,
	transactionVersion: 2,
};
const env = (name: string, kind: Environment['kind'] = 'local'): Environment => ({
	name,
	endpoints: ['ws://127.0.0.1:9944'],
	kind,
	route: 'sudo',
	soak: { minBlocks: 1, minSeconds: 1, maxStallSeconds: 1 },
});

const make = () =>
	createRelease({ id: 'r', name: ' spec 9140 ', artifact, environments: [env('devnet'), env('staging', 'testnet')], at: AT });

const finish = (r: Release, e: string, upTo: StageId[] = ['artifact', 'upgrade', 'verify', 'soak']): Release =>
	upTo.reduce((acc, stage) => releaseReducer(acc, { type: 'stage/set', env: e, stage, status: 'done', at: AT }), r);

describe('createRelease', () => {
	it('initialises progress for each env from its route, all pending, with a created audit entry', () => {
		const r = make();
		expect(r).toMatchObject({
			id: 'r',
			name: 'spec 9140',
			createdAt: AT,
			updatedAt: AT,
			environments: ['devnet', 'staging'],
			gates: [],
		});
		expect(r.artifact).toEqual(artifact);
		expect(r.artifact).not.toBe(artifact);
		for (const name of ['devnet', 'staging']) {
			expect(r.progress[name]).toEqual({
				env: name,
				route: 'sudo',
				stages: ['artifact', 'upgrade', 'verify', 'soak'].map((id) => ({ id, status: 'pending' })),
				intents: [],
			});
		}
		expect(r.audit).toHaveLength(1);
		expect(r.audit[0]).toMatchObject({ at: AT, action: 'created' });
		expect(r.audit[0].detail).toContain('rococo spec 9140');
		expect(r.audit[0].detail).toContain('devnet (local, sudo) → staging (testnet, sudo)');
		expect(JSON.parse(JSON.stringify(r))).toEqual(r);
	});

	it('refuses no environments, duplicates, and empty names', () => {
		const base = { id: 'r', name: 'n', artifact, at: AT };
		expect(() => createRelease({ ...base, environments: [] })).toThrow(/has no environments/);
		expect(() => createRelease({ ...base, environments: [env('a'), env('a')] })).toThrow(/a is listed twice/);
		expect(() => createRelease({ ...base, name: '  ', environments: [env('a')] })).toThrow(ReleaseError);
		expect(() => createRelease({ ...base, id: '', environments: [env('a')] })).toThrow(/needs an id/);
	});
});

describe('newReleaseId', () => {
	it('is slug + date + 4 chars from the given random source', () => {
		const values = [0, 0.5, 0.99, 0.1];
		let i = 0;
		const id = newReleaseId('Spec 9140: Fix Staking!', AT, () => values[i++]);
		expect(id).toBe('spec-9140-fix-staking-20250314-as9d');
	});

	it('differs between calls with the default randomness', () => {
		const ids = new Set(Array.from({ length: 20 }, () => newReleaseId('x', AT)));
		expect(ids.size).toBeGreaterThan(15);
		for (const id of ids) expect(id).toMatch(/^x-20250314-[a-z0-9]{4}$/);
	});

	it('slugify never returns an empty slug and caps the length', () => {
		expect(slugify('!!!')).toBe('release');
		expect(slugify('Crème brûlée')).toBe('creme-brulee');
		expect(slugify('a'.repeat(100)).length).toBe(40);
		expect(newReleaseId('x', 'not a date', () => 0)).toBe('x-undated-aaaa');
	});
});

describe('currentStage / isEnvComplete / summary', () => {
	it('currentStage is the first stage not done', () => {
		let r = make();
		expect(currentStage(r, 'devnet')?.id).toBe('artifact');
		r = finish(r, 'devnet', ['artifact', 'upgrade']);
		expect(currentStage(r, 'devnet')?.id).toBe('verify');
		expect(isEnvComplete(r, 'devnet')).toBe(false);
		r = finish(r, 'devnet', ['verify', 'soak']);
		expect(currentStage(r, 'devnet')).toBeUndefined();
		expect(isEnvComplete(r, 'devnet')).toBe(true);
		expect(isReleaseComplete(r)).toBe(false);
		expect(nextEnvironment(r)).toBe('staging');
		r = finish(r, 'staging');
		expect(isReleaseComplete(r)).toBe(true);
		expect(nextEnvironment(r)).toBeUndefined();
	});

	it('refuses unknown environments', () => {
		expect(() => currentStage(make(), 'nope')).toThrow(/nope is not part of release r/);
	});

	it('summarises each env with a status line', () => {
		let r = make();
		r = finish(r, 'devnet', ['artifact']);
		r = releaseReducer(r, {
			type: 'stage/set',
			env: 'devnet',
			stage: 'upgrade',
			status: 'waiting',
			detail: 'in block pool, nonce 4',
			at: AT,
		});
		r = releaseReducer(r, {
			type: 'gate/set',
			gate: { id: 'spec-version', env: 'devnet', status: 'fail', summary: 'x', checkedAt: AT },
			at: AT,
		});
		r = finish(r, 'staging');
		expect(releaseSummary(r)).toEqual([
			{
				env: 'devnet',
				complete: false,
				currentStage: 'upgrade',
				stagesDone: 1,
				stagesTotal: 4,
				failingGates: ['spec-version'],
				statusLine: 'upgrade: waiting — in block pool, nonce 4 · gate spec-version failing',
			},
			{ env: 'staging', complete: true, stagesDone: 4, stagesTotal: 4, failingGates: [], statusLine: 'complete' },
		]);
	});

	it('a failing gate the environment does not require is advice, not a failure', () => {
		let r = finish(make(), 'devnet');
		r = releaseReducer(r, {
			type: 'gate/set',
			gate: { id: 'forward-compatible', env: 'devnet', status: 'fail', summary: 'x', checkedAt: AT },
			at: AT,
		});
		const [devnet] = releaseSummary(r, (e, gate) => e === 'devnet' && gate === 'forward-compatible');
		expect(devnet!.failingGates).toEqual([]);
		expect(devnet!.statusLine).toBe('complete · advice: forward-compatible');
		expect(releaseSummary(r)[0]!.statusLine).toBe('complete · gate forward-compatible failing');
	});

	it('a waived gate does not count as failing', () => {
		let r = make();
		r = releaseReducer(r, {
			type: 'gate/set',
			gate: { id: 'soak', env: 'devnet', status: 'fail', summary: 'x', checkedAt: AT },
			at: AT,
		});
		r = releaseReducer(r, { type: 'gate/waive', env: 'devnet', gate: 'soak', reason: 'accepted by the release manager', at: AT });
		expect(releaseSummary(r)[0].failingGates).toEqual([]);
	});
});

describe('ReleaseError', () => {
	it('carries code and hint', () => {
		const e = new ReleaseError('x-code', 'msg', 'do this');
		expect(e).toBeInstanceOf(Error);
		expect(isReleaseError(e)).toBe(true);
		expect(isReleaseError(new Error('x'))).toBe(false);
		expect([e.code, e.message, e.hint, e.name]).toEqual(['x-code', 'msg', 'do this', 'ReleaseError']);
		expect(formatReleaseError(e)).toBe('msg\n  → do this');
		expect(formatReleaseError(new ReleaseError('c', 'bare'))).toBe('bare');
		expect(formatReleaseError('str')).toBe('str');
	});
});

describe('a release of several runtimes (relay + parachain)', () => {
	const relay = env('rococo');
	const para: Environment = { ...env('asset-hub'), route: 'parachain', parachain: { relay: 'rococo', paraId: 1000 } };
	const hub: ArtifactInfo = { ...artifact, path: '/w/asset_hub.wasm', codeHash: H('b'), specName: 'statemine', specVersion: 900 };
	const make2 = () =>
		createRelease({
			id: 'm',
			name: 'relay + hub',
			artifact,
			environments: [relay, para],
			runtimes: { rococo: artifact, 'asset-hub': hub },
			at: AT,
		});

	it('keeps one runtime per environment, with the parachain route stages', () => {
		const r = make2();
		expect(artifactFor(r, 'rococo').codeHash).toBe(H('a'));
		expect(artifactFor(r, 'asset-hub')).toEqual(hub);
		expect(r.progress['asset-hub']!.stages.map((s) => s.id)).toEqual(['artifact', 'authorize', 'apply', 'pending', 'verify', 'soak']);
		expect(shippedRuntimes(r).map((s) => [s.artifact.specName, s.environments])).toEqual([
			['rococo', ['rococo']],
			['statemine', ['asset-hub']],
		]);
		expect(r.audit[0]!.detail).toContain('asset-hub (local, parachain) → statemine spec 900');
	});

	it('is complete only when every chain of the set is', () => {
		let r = finish(make2(), 'rococo');
		expect(isReleaseComplete(r)).toBe(false);
		expect(nextEnvironment(r)).toBe('asset-hub');
		r = finish(r, 'asset-hub', ['artifact', 'authorize', 'apply', 'pending', 'verify', 'soak']);
		expect(isReleaseComplete(r)).toBe(true);
	});

	it('refuses a runtime for an environment the release does not travel, and a parachain without its relay', () => {
		expect(() => createRelease({ id: 'x', name: 'x', artifact, environments: [relay], runtimes: { other: hub }, at: AT })).toThrow(
			/a runtime is given for other, which release x does not travel/,
		);
		const orphan: Environment = { ...para, parachain: undefined } as Environment;
		expect(() => createRelease({ id: 'y', name: 'y', artifact, environments: [orphan], at: AT })).toThrow(/names no relay environment/);
	});
});
