/**
 * The table of review findings and the lints that need no chain: each trips
 * and each passes. The README's table is the one generated from FINDINGS.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDINGS, findingsTableMarkdown } from '../../source/review/findings.js';
import { unpaidExecutionLint } from '../../source/review/decode.js';
import { enactmentWindowFinding, expectedEnactment } from '../../source/review/enactment.js';
import { inEnactmentWindow } from '../../source/domain/enactment.js';
import type { VoteState } from '../../source/review/types.js';

const transact = { transact: { originKind: 'Superuser', call: { encoded: '0x0102' } } };

describe('the table of findings', () => {
	it('is the README’s table, row for row', () => {
		const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
		expect(readme).toContain(findingsTableMarkdown());
	});

	it('says what to do for every finding', () => {
		for (const [id, spec] of Object.entries(FINDINGS)) {
			expect(spec.todo.length, id).toBeGreaterThan(20);
			expect(['blocking', 'warning']).toContain(spec.severity);
		}
	});
});

describe('unpaid-execution', () => {
	it('trips on a v3 or v4 message carrying an upgrade that does not start with UnpaidExecution', () => {
		for (const v of ['v3', 'v4']) {
			const lint = unpaidExecutionLint({ [v]: [transact] }, 'para 1000', 'system.authorizeUpgrade');
			expect(lint).toMatchObject({ id: 'unpaid-execution', severity: 'warning' });
			expect(lint!.message).toMatch(
				new RegExp(`^the ${v} message to para 1000 carrying system\\.authorizeUpgrade starts with transact, not UnpaidExecution`),
			);
		}
	});

	it('passes with UnpaidExecution first, and on v2 (which has no such instruction)', () => {
		const unpaid = { unpaidExecution: { weightLimit: 'Unlimited', checkOrigin: null } };
		expect(unpaidExecutionLint({ v3: [unpaid, transact] }, 'para 1000', 'system.authorizeUpgrade')).toBeUndefined();
		expect(unpaidExecutionLint({ v2: [transact] }, 'para 1000', 'parachainSystem.authorizeUpgrade')).toBeUndefined();
	});
});

describe('enactment-window', () => {
	// Tuesday 2026-12-01 10:00 UTC at block 1,000, 6 s blocks.
	const now = { block: 1_000, ms: Date.UTC(2026, 11, 1, 10, 0, 0), blockMs: 6_000 };
	const democracy = (end: number, delay: number): VoteState => ({
		kind: 'democracy',
		index: 0,
		status: 'ongoing',
		end,
		delay,
		best: 1_000,
	});
	const day = 14_400; // blocks in 24 h

	it('the window is Monday to Wednesday from 08:00 UTC', () => {
		expect(inEnactmentWindow(Date.UTC(2026, 11, 2, 7, 59))).toBe(false); // Wednesday 07:59
		expect(inEnactmentWindow(Date.UTC(2026, 11, 2, 8, 0))).toBe(true);
		expect(inEnactmentWindow(Date.UTC(2026, 11, 3, 9, 0))).toBe(false); // Thursday
		expect(inEnactmentWindow(Date.UTC(2026, 11, 7, 8, 30))).toBe(true); // Monday
	});

	it('trips for a Democracy referendum enacting on a Saturday', () => {
		const saturday = democracy(1_000 + 3 * day, day + 100);
		const f = enactmentWindowFinding(saturday, now);
		expect(f).toMatchObject({ id: 'enactment-window', severity: 'warning' });
		expect(f!.message).toMatch(
			/^expected to enact at block #58700 \(the vote ends at #44200, then an enactment delay of 14500 blocks\), around 2026-12-05T\d\d:\d\dZ, a Saturday/,
		);
	});

	it('passes for one enacting on a Wednesday morning', () => {
		expect(enactmentWindowFinding(democracy(1_000 + day / 2, day / 2), now)).toBeUndefined();
	});

	it('OpenGov: At(block) as given; After(n) from the earliest approval', () => {
		const base = { kind: 'opengov', index: 1, status: 'ongoing', best: 1_000, submitted: 900, decidingSince: 950 } as const;
		const periods = { prepare: 10, decision: 100, confirm: 20, minEnactment: 5 };
		expect(expectedEnactment({ ...base, enactment: { at: 5_000 } })).toMatchObject({ block: 5_000 });
		expect(expectedEnactment({ ...base, periods, enactment: { after: 30 } })).toMatchObject({ block: 950 + 20 + 30 });
		expect(expectedEnactment({ ...base, periods, confirmingUntil: 990, enactment: { after: 30 } })).toMatchObject({ block: 1_020 });
		// Thursday: trips.
		expect(enactmentWindowFinding({ ...base, enactment: { at: 1_000 + 2 * day } }, now)?.id).toBe('enactment-window');
		// Unknown without the track's periods; a motion has no enactment yet.
		expect(expectedEnactment({ ...base, enactment: { after: 30 } })).toBeUndefined();
		expect(enactmentWindowFinding({ kind: 'none', reason: 'x' }, now)).toBeUndefined();
	});
});
