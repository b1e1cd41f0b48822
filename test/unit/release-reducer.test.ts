import { describe, expect, it } from 'vitest';
import { ReleaseError } from '../../source/domain/errors.js';
import { applyActions, releaseReducer } from '../../source/domain/reducer.js';
import { createRelease } from '../../source/domain/release.js';
import type { ArtifactInfo, Environment, GateResult, Hex, Intent, Release, ReleaseAction, StageId } from '../../source/domain/types.js';

const H = (c: string): Hex => `0x${c.repeat(64)}` as Hex;
const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:01:00.000Z';
const T2 = '2025-01-01T00:02:00.000Z';

const artifact: ArtifactInfo = {
	path: '/tmp/runtime.wasm',
	size: 100,
	uncompressedSize: 100,
	compressed: false,
	codeHash: H('a'),
	specName: 'rococo',
	specVersion: 9140,
	transactionVersion: 1,
};
const devnet: Environment = {
	name: 'devnet',
	endpoints: ['embedded:rococo'],
	kind: 'local',
	route: 'sudo',
	soak: { minBlocks: 5, minSeconds: 30, maxStallSeconds: 30 },
};
const testnet: Environment = {
	name: 'testnet',
	endpoints: ['wss://example.org'],
	kind: 'testnet',
	route: 'sudo',
	soak: { minBlocks: 10, minSeconds: 60, maxStallSeconds: 60 },
};

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}

function fresh(): Release {
	return deepFreeze(createRelease({ id: 'r1', name: 'spec 9140', artifact, environments: [devnet, testnet], at: T0 }));
}

function reduce(release: Release, action: ReleaseAction): Release {
	// Every call runs on frozen input: any mutation throws in strict mode.
	return deepFreeze(releaseReducer(deepFreeze(release), action));
}

function expectRefusal(fn: () => unknown, code: string, message?: RegExp): ReleaseError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(ReleaseError);
	const error = caught as ReleaseError;
	expect(error.code).toBe(code);
	if (message) expect(error.message).toMatch(message);
	return error;
}

const stage = (
	env: string,
	id: StageId,
	status: 'pending' | 'active' | 'waiting' | 'done' | 'failed',
	at = T1,
	detail?: string,
): ReleaseAction => ({
	type: 'stage/set',
	env,
	stage: id,
	status,
	at,
	...(detail ? { detail } : {}),
});

function intent(overrides: Partial<Intent> = {}): Intent {
	return {
		id: 'i1',
		env: 'devnet',
		stage: 'upgrade',
		call: 'sudo.sudoUncheckedWeight(system.setCode)',
		callHash: H('c'),
		signer: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
		nonce: 4,
		extrinsicHash: H('e'),
		createdAt: T1,
		...overrides,
	};
}

const stageOf = (r: Release, env: string, id: StageId) => r.progress[env].stages.find((s) => s.id === id)!;

describe('stage/set', () => {
	it('updates the stage, stamps updatedAt, audits, and leaves the input untouched', () => {
		const r0 = fresh();
		const before = JSON.stringify(r0);
		const r1 = reduce(r0, stage('devnet', 'artifact', 'active', T1, 'reading wasm'));
		expect(JSON.stringify(r0)).toBe(before);
		expect(stageOf(r1, 'devnet', 'artifact')).toEqual({ id: 'artifact', status: 'active', detail: 'reading wasm', updatedAt: T1 });
		expect(r1.updatedAt).toBe(T1);
		expect(r1.audit).toHaveLength(2);
		expect(r1.audit[0]).toEqual(r0.audit[0]);
		expect(r1.audit[1]).toMatchObject({ at: T1, env: 'devnet', action: 'stage/set' });
		expect(r1.audit[1].detail).toContain('artifact: pending → active');
		expect(r1.audit[1].detail).toContain('reading wasm');
		// other env untouched (same object)
		expect(r1.progress.testnet).toBe(r0.progress.testnet);
	});

	it('allows done in order and refuses done when an earlier stage is not done', () => {
		let r = fresh();
		r = reduce(r, stage('devnet', 'artifact', 'done'));
		const error = expectRefusal(
			() => reduce(r, stage('devnet', 'verify', 'done')),
			'stage-order',
			/earlier stage upgrade \(pending\) is not done/,
		);
		expect(error.hint).toMatch(/finish upgrade/);
		r = reduce(r, stage('devnet', 'upgrade', 'done'));
		r = reduce(r, stage('devnet', 'verify', 'done'));
		r = reduce(r, stage('devnet', 'soak', 'done'));
		expect(r.progress.devnet.stages.every((s) => s.status === 'done')).toBe(true);
	});

	it('names every earlier stage that is not done', () => {
		expectRefusal(
			() => reduce(fresh(), stage('devnet', 'soak', 'done')),
			'stage-order',
			/artifact \(pending\), upgrade \(pending\), verify \(pending\) are not done/,
		);
	});

	it('allows non-done statuses out of order (e.g. failing a later stage)', () => {
		const r = reduce(fresh(), stage('devnet', 'soak', 'waiting'));
		expect(stageOf(r, 'devnet', 'soak').status).toBe('waiting');
	});

	it('refuses to move a done stage back while a later stage is done', () => {
		let r = fresh();
		r = reduce(r, stage('devnet', 'artifact', 'done'));
		r = reduce(r, stage('devnet', 'upgrade', 'done'));
		expectRefusal(() => reduce(r, stage('devnet', 'artifact', 'failed')), 'stage-order', /later stage upgrade is already done/);
		// the last done stage may still move back
		const back = reduce(r, stage('devnet', 'upgrade', 'failed'));
		expect(stageOf(back, 'devnet', 'upgrade').status).toBe('failed');
	});

	it('creates missing env progress from the route stage list', () => {
		const r0 = fresh();
		const { devnet: _dropped, ...rest } = r0.progress;
		const noProgress = { ...r0, progress: rest };
		const r1 = reduce(noProgress, { ...stage('devnet', 'artifact', 'active'), route: 'sudo' } as ReleaseAction);
		expect(r1.progress.devnet.stages.map((s) => s.id)).toEqual(['artifact', 'upgrade', 'verify', 'soak']);
		expect(r1.progress.devnet.intents).toEqual([]);
		expect(stageOf(r1, 'devnet', 'artifact').status).toBe('active');
		// and the done rule applies to the created list too
		expectRefusal(() => reduce(noProgress, stage('devnet', 'upgrade', 'done')), 'stage-order');
	});

	it('refuses an environment that is not part of the release', () => {
		expectRefusal(() => reduce(fresh(), stage('mainnet', 'artifact', 'active')), 'unknown-env', /mainnet is not part of release r1/);
	});

	it('refuses a stage that is not in the route', () => {
		expectRefusal(() => reduce(fresh(), stage('devnet', 'bogus' as StageId, 'active')), 'unknown-stage');
	});
});

describe('intent/record and intent/outcome (never send twice)', () => {
	it('appends an intent and audits it with the extrinsic hash', () => {
		const r = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
		expect(r.progress.devnet.intents).toEqual([intent()]);
		expect(r.updatedAt).toBe(T1);
		const entry = r.audit.at(-1)!;
		expect(entry).toMatchObject({ action: 'intent/record', env: 'devnet', extrinsicHash: H('e') });
		expect(entry.detail).toContain('nonce 4');
	});

	it('refuses a second intent with the same id, even on another env', () => {
		const r = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
		expectRefusal(
			() => reduce(r, { type: 'intent/record', intent: intent({ env: 'testnet' }), at: T2 }),
			'duplicate-intent',
			/i1 is already recorded/,
		);
	});

	it('refuses a new intent for a stage whose intent has no outcome', () => {
		const r = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
		const error = expectRefusal(
			() => reduce(r, { type: 'intent/record', intent: intent({ id: 'i2', nonce: 5 }), at: T2 }),
			'intent-pending',
			/refusing to send again: devnet upgrade already has intent i1/,
		);
		expect(error.hint).toMatch(/record its outcome/);
		// a different env, or a different stage, is fine
		expect(() => reduce(r, { type: 'intent/record', intent: intent({ id: 'i2', env: 'testnet' }), at: T2 })).not.toThrow();
		expect(() => reduce(r, { type: 'intent/record', intent: intent({ id: 'i3', stage: 'verify' }), at: T2 })).not.toThrow();
	});

	it('allows a retry after a failed or dropped outcome', () => {
		for (const status of ['failed', 'dropped'] as const) {
			let r = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
			r = reduce(r, { type: 'intent/outcome', env: 'devnet', intentId: 'i1', outcome: { status, error: 'x', at: T1 }, at: T1 });
			r = reduce(r, { type: 'intent/record', intent: intent({ id: 'i2', nonce: 5 }), at: T2 });
			expect(r.progress.devnet.intents.map((i) => i.id)).toEqual(['i1', 'i2']);
		}
	});

	it('refuses to record the same call again once it was included', () => {
		let r = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
		r = reduce(r, {
			type: 'intent/outcome',
			env: 'devnet',
			intentId: 'i1',
			outcome: { status: 'included', blockNumber: 12, blockHash: H('b'), at: T1 },
			at: T1,
		});
		expectRefusal(
			() => reduce(r, { type: 'intent/record', intent: intent({ id: 'i2' }), at: T2 }),
			'intent-included',
			/already included in block #12/,
		);
		// a different call for the same stage is not the same extrinsic
		expect(() => reduce(r, { type: 'intent/record', intent: intent({ id: 'i3', callHash: H('d') }), at: T2 })).not.toThrow();
	});

	it('sets an outcome once, audits block and hashes, and accepts an identical replay as a no-op', () => {
		const r1 = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
		const outcome = { status: 'included' as const, blockNumber: 12, blockHash: H('b'), extrinsicHash: H('e'), at: T2 };
		const r2 = reduce(r1, { type: 'intent/outcome', env: 'devnet', intentId: 'i1', outcome, at: T2 });
		expect(r2.progress.devnet.intents[0].outcome).toEqual(outcome);
		expect(r2.audit.at(-1)).toMatchObject({ action: 'intent/outcome', blockNumber: 12, blockHash: H('b'), extrinsicHash: H('e') });
		const r3 = reduce(r2, {
			type: 'intent/outcome',
			env: 'devnet',
			intentId: 'i1',
			outcome: { ...outcome },
			at: '2025-02-02T00:00:00.000Z',
		});
		expect(r3).toBe(r2);
	});

	it('refuses a second, different outcome', () => {
		let r = reduce(fresh(), { type: 'intent/record', intent: intent(), at: T1 });
		r = reduce(r, { type: 'intent/outcome', env: 'devnet', intentId: 'i1', outcome: { status: 'dropped', at: T1 }, at: T1 });
		expectRefusal(
			() =>
				reduce(r, {
					type: 'intent/outcome',
					env: 'devnet',
					intentId: 'i1',
					outcome: { status: 'included', blockNumber: 3, at: T2 },
					at: T2,
				}),
			'outcome-conflict',
			/already has outcome dropped; refusing to change it to included/,
		);
	});

	it('refuses an outcome for an unknown intent', () => {
		expectRefusal(
			() =>
				reduce(fresh(), {
					type: 'intent/outcome',
					env: 'devnet',
					intentId: 'nope',
					outcome: { status: 'dropped', at: T1 },
					at: T1,
				}),
			'unknown-intent',
		);
	});

	it('refuses intents for unknown environments and stages', () => {
		expectRefusal(() => reduce(fresh(), { type: 'intent/record', intent: intent({ env: 'mainnet' }), at: T1 }), 'unknown-env');
		expectRefusal(
			() => reduce(fresh(), { type: 'intent/record', intent: intent({ stage: 'nope' as StageId }), at: T1 }),
			'unknown-stage',
		);
	});
});

describe('upgrade/included, verify/done, soak/update', () => {
	const record = {
		blockNumber: 12,
		blockHash: H('b'),
		extrinsicHash: H('e'),
		at: T1,
		fromSpecVersion: 9130,
		toSpecVersion: 9140,
	};

	it('upgrade/included sets the record and audits block and extrinsic hashes', () => {
		const r = reduce(fresh(), { type: 'upgrade/included', env: 'devnet', record, at: T2 });
		expect(r.progress.devnet.upgrade).toEqual(record);
		expect(r.updatedAt).toBe(T2);
		expect(r.audit.at(-1)).toMatchObject({
			action: 'upgrade/included',
			env: 'devnet',
			blockNumber: 12,
			blockHash: H('b'),
			extrinsicHash: H('e'),
		});
		expect(r.audit.at(-1)!.detail).toContain('9130 → 9140');
	});

	it('upgrade/included after a re-org keeps the old block in the audit trail', () => {
		let r = reduce(fresh(), { type: 'upgrade/included', env: 'devnet', record, at: T1 });
		r = reduce(r, { type: 'upgrade/included', env: 'devnet', record: { ...record, blockNumber: 13, blockHash: H('f') }, at: T2 });
		expect(r.progress.devnet.upgrade?.blockNumber).toBe(13);
		expect(r.audit.at(-1)!.detail).toContain(`previously recorded in block #12 ${H('b')}`);
		expect(r.audit.filter((a) => a.action === 'upgrade/included')).toHaveLength(2);
	});

	it('upgrade/included replayed with the same record is a no-op', () => {
		const r = reduce(fresh(), { type: 'upgrade/included', env: 'devnet', record, at: T1 });
		expect(reduce(r, { type: 'upgrade/included', env: 'devnet', record: { ...record }, at: T2 })).toBe(r);
	});

	it('verify/done records what was verified', () => {
		const r = reduce(fresh(), { type: 'verify/done', env: 'testnet', specVersion: 9140, codeHash: H('a'), blockNumber: 14, at: T2 });
		expect(r.progress.testnet.verified).toEqual({ specVersion: 9140, codeHash: H('a'), blockNumber: 14, at: T2 });
		expect(r.audit.at(-1)).toMatchObject({ action: 'verify/done', env: 'testnet', blockNumber: 14 });
	});

	it('soak/update stores progress; audits the start and stall growth only', () => {
		const soak = { startBlock: 12, startedAt: T1, lastBlock: 12, lastBlockAt: T1, longestStallSeconds: 0 };
		let r = reduce(fresh(), { type: 'soak/update', env: 'devnet', soak, at: T1 });
		expect(r.progress.devnet.soak).toEqual(soak);
		expect(r.audit.at(-1)).toMatchObject({ action: 'soak/update', blockNumber: 12 });
		const n = r.audit.length;
		r = reduce(r, {
			type: 'soak/update',
			env: 'devnet',
			soak: { ...soak, lastBlock: 13, lastBlockAt: T2, longestStallSeconds: 0 },
			at: T2,
		});
		expect(r.progress.devnet.soak?.lastBlock).toBe(13);
		expect(r.updatedAt).toBe(T2);
		expect(r.audit).toHaveLength(n);
		r = reduce(r, {
			type: 'soak/update',
			env: 'devnet',
			soak: { ...soak, lastBlock: 14, lastBlockAt: T2, longestStallSeconds: 61 },
			at: T2,
		});
		expect(r.audit).toHaveLength(n + 1);
		expect(r.audit.at(-1)!.detail).toContain('61s');
	});

	it('refuses unknown environments', () => {
		expectRefusal(() => reduce(fresh(), { type: 'upgrade/included', env: 'x', record, at: T1 }), 'unknown-env');
		expectRefusal(
			() => reduce(fresh(), { type: 'verify/done', env: 'x', specVersion: 1, codeHash: H('a'), blockNumber: 1, at: T1 }),
			'unknown-env',
		);
		expectRefusal(
			() =>
				reduce(fresh(), {
					type: 'soak/update',
					env: 'x',
					soak: { startBlock: 1, startedAt: T1, lastBlock: 1, lastBlockAt: T1, longestStallSeconds: 0 },
					at: T1,
				}),
			'unknown-env',
		);
	});
});

describe('gates', () => {
	const gate = (status: GateResult['status'], summary = 'x', env = 'devnet'): Omit<GateResult, 'waiver'> => ({
		id: 'spec-version',
		env,
		status,
		summary,
		checkedAt: T1,
	});

	it('gate/set inserts, then upserts by (id, env)', () => {
		let r = reduce(fresh(), { type: 'gate/set', gate: gate('pending'), at: T1 });
		r = reduce(r, { type: 'gate/set', gate: gate('pass', 'ok', 'testnet'), at: T1 });
		r = reduce(r, { type: 'gate/set', gate: { ...gate('pass'), id: 'spec-name' }, at: T1 });
		r = reduce(r, { type: 'gate/set', gate: gate('fail', 'already at 9140'), at: T2 });
		expect(r.gates).toHaveLength(3);
		expect(r.gates[0]).toEqual(gate('fail', 'already at 9140'));
		expect(r.updatedAt).toBe(T2);
		expect(r.audit.at(-1)).toMatchObject({ action: 'gate/set', env: 'devnet' });
		expect(r.audit.at(-1)!.detail).toContain('already at 9140');
	});

	it('gate/waive needs a failing gate and a real reason', () => {
		let r = reduce(fresh(), { type: 'gate/set', gate: gate('fail', 'downgrade'), at: T1 });
		expectRefusal(
			() => reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'spec-version', reason: '   too short ', at: T2 }),
			'waiver-reason',
			/at least 10 characters \(got 9\)/,
		);
		expectRefusal(() => reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'spec-version', reason: '', at: T2 }), 'waiver-reason');
		expectRefusal(
			() => reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'soak', reason: 'a long enough reason', at: T2 }),
			'unknown-gate',
		);
		expectRefusal(
			() => reduce(r, { type: 'gate/waive', env: 'nope', gate: 'spec-version', reason: 'a long enough reason', at: T2 }),
			'unknown-env',
		);
		r = reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'spec-version', reason: '  devnet reset, chain is throwaway  ', at: T2 });
		expect(r.gates[0]).toMatchObject({ status: 'waived', waiver: { reason: 'devnet reset, chain is throwaway', at: T2 } });
		expect(r.audit.at(-1)).toMatchObject({ action: 'gate/waive', env: 'devnet' });
		expect(r.audit.at(-1)!.detail).toContain('devnet reset, chain is throwaway');
		// already waived: not failing any more
		expectRefusal(
			() => reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'spec-version', reason: 'once more with feeling', at: T2 }),
			'gate-not-failing',
			/is waived, not fail/,
		);
	});

	it('gate/waive refuses passing and pending gates', () => {
		for (const status of ['pass', 'pending'] as const) {
			const r = reduce(fresh(), { type: 'gate/set', gate: gate(status), at: T1 });
			expectRefusal(
				() => reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'spec-version', reason: 'a long enough reason', at: T2 }),
				'gate-not-failing',
			);
		}
	});

	it('gate/set keeps a waiver while the gate still fails, and drops it otherwise', () => {
		let r = reduce(fresh(), { type: 'gate/set', gate: gate('fail'), at: T1 });
		r = reduce(r, { type: 'gate/waive', env: 'devnet', gate: 'spec-version', reason: 'known and accepted risk', at: T1 });
		const still = reduce(r, { type: 'gate/set', gate: gate('fail', 'still failing'), at: T2 });
		expect(still.gates[0]).toMatchObject({ status: 'waived', summary: 'still failing', waiver: { reason: 'known and accepted risk' } });
		expect(still.audit.at(-1)!.detail).toContain('waiver kept');
		for (const status of ['pass', 'pending'] as const) {
			const next = reduce(r, { type: 'gate/set', gate: gate(status), at: T2 });
			expect(next.gates[0].status).toBe(status);
			expect(next.gates[0].waiver).toBeUndefined();
			expect(next.audit.at(-1)!.detail).toContain('waiver dropped');
		}
	});

	it('gate/set ignores a smuggled waiver and refuses a direct waived status', () => {
		const smuggled = { ...gate('fail'), waiver: { reason: 'sneaky sneaky sneaky', at: T1 } } as GateResult;
		const r = reduce(fresh(), { type: 'gate/set', gate: smuggled, at: T1 });
		expect(r.gates[0].waiver).toBeUndefined();
		expect(r.gates[0].status).toBe('fail');
		expectRefusal(() => reduce(fresh(), { type: 'gate/set', gate: gate('waived'), at: T1 }), 'gate-waive');
	});

	it('gate/set refuses unknown environments', () => {
		expectRefusal(() => reduce(fresh(), { type: 'gate/set', gate: gate('pass', 'x', 'mainnet'), at: T1 }), 'unknown-env');
	});
});

describe('audit', () => {
	it('appends the given entry as is, and sets updatedAt from it', () => {
		const entry = { at: T2, env: 'devnet', action: 'note', detail: 'called the validators', blockNumber: 3 };
		const r = reduce(fresh(), { type: 'audit', entry });
		expect(r.audit).toHaveLength(2);
		expect(r.audit[1]).toEqual(entry);
		expect(r.updatedAt).toBe(T2);
	});

	it('is append-only across a whole run: earlier entries are never rewritten', () => {
		const actions: ReleaseAction[] = [
			stage('devnet', 'artifact', 'done'),
			{ type: 'intent/record', intent: intent(), at: T1 },
			{ type: 'intent/outcome', env: 'devnet', intentId: 'i1', outcome: { status: 'included', blockNumber: 5, at: T1 }, at: T1 },
			{ type: 'gate/set', gate: { id: 'soak', env: 'devnet', status: 'fail', summary: 'stalled', checkedAt: T1 }, at: T1 },
			{ type: 'gate/waive', env: 'devnet', gate: 'soak', reason: 'devnet hiccup, fine', at: T2 },
			{ type: 'audit', entry: { at: T2, action: 'note', detail: 'done' } },
		];
		let r = fresh();
		for (const action of actions) {
			const next = reduce(r, action);
			expect(next.audit.slice(0, r.audit.length)).toEqual(r.audit);
			expect(next.audit.length).toBe(r.audit.length + 1);
			r = next;
		}
		expect(applyActions(fresh(), actions)).toEqual(r);
	});

	it('throws on an unknown action type', () => {
		expectRefusal(() => releaseReducer(fresh(), { type: 'nope' } as unknown as ReleaseAction), 'unknown-action');
	});
});

describe('the audit log records transitions, not ticks', () => {
	it('a waiting stage whose detail moves updates the stage without an audit entry; a change of status is one', () => {
		let r = reduce(fresh(), {
			type: 'stage/set',
			env: 'devnet',
			stage: 'artifact',
			status: 'waiting',
			detail: '3 blocks to go',
			at: T1,
		});
		const entries = r.audit.length;
		r = reduce(r, { type: 'stage/set', env: 'devnet', stage: 'artifact', status: 'waiting', detail: '2 blocks to go', at: T2 });
		expect(r.progress.devnet!.stages[0]!.detail).toBe('2 blocks to go');
		expect(r.audit.length).toBe(entries);
		const same = reduce(r, {
			type: 'stage/set',
			env: 'devnet',
			stage: 'artifact',
			status: 'waiting',
			detail: '2 blocks to go',
			at: T2,
		});
		expect(same).toBe(r);
		r = reduce(r, { type: 'stage/set', env: 'devnet', stage: 'artifact', status: 'done', at: T2 });
		expect(r.audit.length).toBe(entries + 1);
		expect(r.audit.at(-1)!.detail).toBe('artifact: waiting → done');
	});
});

describe('chain agreement', () => {
	const gone = [{ kind: 'block' as const, message: 'block #3 does not exist (the chain head is #1)' }];

	it('chain/checked keeps the first instance and audits only a change of verdict', () => {
		let r = reduce(fresh(), { type: 'chain/checked', env: 'devnet', instance: 'i1', head: 5, differences: [], at: T1 });
		expect(r.progress.devnet!.chain).toMatchObject({ instance: 'i1', lastCheck: { agrees: true, head: 5 } });
		const entries = r.audit.length;
		r = reduce(r, { type: 'chain/checked', env: 'devnet', instance: 'i1', head: 6, differences: [], at: T2 });
		expect(r.audit.length).toBe(entries);
		r = reduce(r, { type: 'chain/checked', env: 'devnet', instance: 'i2', head: 1, differences: gone, at: T2 });
		expect(r.progress.devnet!.chain!.instance).toBe('i1');
		expect(r.progress.devnet!.chain!.lastCheck).toMatchObject({ agrees: false, head: 1 });
		expect(r.audit.at(-1)!.detail).toContain('does not show what this release recorded: block #3 does not exist');
	});

	it('chain/rederive starts the env again and keeps the earlier progress whole', () => {
		let r = reduce(fresh(), { type: 'stage/set', env: 'devnet', stage: 'artifact', status: 'done', at: T1 });
		r = reduce(r, {
			type: 'upgrade/included',
			env: 'devnet',
			record: { blockNumber: 3, blockHash: H('b'), extrinsicHash: H('c'), at: T1, fromSpecVersion: 9130, toSpecVersion: 9140 },
			at: T1,
		});
		r = reduce(r, {
			type: 'gate/set',
			gate: { id: 'spec-version', env: 'devnet', status: 'pass', summary: 'ok', checkedAt: T1 },
			at: T1,
		});
		r = reduce(r, { type: 'chain/rederive', env: 'devnet', differences: gone, at: T2 });
		const p = r.progress.devnet!;
		expect(p.stages.every((s) => s.status === 'pending')).toBe(true);
		expect(p.upgrade).toBeUndefined();
		expect(p.superseded).toHaveLength(1);
		expect(p.superseded![0]!.progress.upgrade!.blockHash).toBe(H('b'));
		expect(p.superseded![0]!.differences).toEqual(gone);
		expect(r.gates.filter((g) => g.env === 'devnet')).toEqual([]);
		expect(r.audit.at(-1)!.detail).toMatch(/devnet starts again: .*block #3 does not exist.*upgrade was in block #3/);
		// The other environment is untouched.
		expect(r.progress.testnet).toEqual(fresh().progress.testnet);
	});
});
