import { describe, expect, it } from 'vitest';
import {
	initialReviewScreenState,
	reviewScreenReducer,
	type ReviewScreenAction,
} from '../../source/app/screens/review/use-review-state.js';

const run = (...actions: ReviewScreenAction[]) => actions.reduce(reviewScreenReducer, initialReviewScreenState);

describe('review screen state', () => {
	it('each phase is read from its top; staying in a phase keeps the place', () => {
		const scrolled = run({ type: 'phase', phase: 'report' }, { type: 'scroll', lines: 6, max: 30 });
		expect(scrolled.scroll).toBe(6);
		expect(reviewScreenReducer(scrolled, { type: 'phase', phase: 'report' }).scroll).toBe(6);
		expect(reviewScreenReducer(scrolled, { type: 'phase', phase: 'choose' }).scroll).toBe(0);
		expect(reviewScreenReducer(scrolled, { type: 'help', mode: 'review' })).toMatchObject({ helpOf: 'review', scroll: 0 });
	});

	it('the form cycles its fields and environments; the conviction stops at its ends', () => {
		expect(run({ type: 'next-field', by: 1 }).field).toBe('wasm');
		expect(run({ type: 'next-field', by: 1 }, { type: 'next-field', by: 1 }).field).toBe('env');
		expect(run({ type: 'next-field', by: -1 }).field).toBe('env');
		expect(run({ type: 'next-env', by: -1, count: 3 }).envIndex).toBe(2);
		expect(run({ type: 'next-env', by: 1, count: 0 }).envIndex).toBe(0);
		const low = run(...Array.from({ length: 4 }, () => ({ type: 'next-conviction', by: -1 }) as const));
		expect(low.conviction).toBe('None');
		const high = run(...Array.from({ length: 9 }, () => ({ type: 'next-conviction', by: 1 }) as const));
		expect(high.conviction).toBe('Locked6x');
	});

	it('a new review clears the message; choosing again forgets the last outcome; a new submission starts its steps anew', () => {
		const failed = run(
			{ type: 'message', message: { kind: 'error', title: 'x', lines: [] } },
			{ type: 'loading', progress: 'connecting…' },
		);
		expect(failed).toMatchObject({ phase: 'loading', message: undefined, progress: 'connecting…' });
		const voted = run(
			{ type: 'submitting' },
			{ type: 'tx-step', step: 'ready' },
			{ type: 'voted', outcome: { status: 'not-sent', reason: 'r' } as never },
		);
		expect(voted).toMatchObject({ phase: 'voted', txSteps: ['ready'] });
		expect(reviewScreenReducer(voted, { type: 'choose' })).toMatchObject({ phase: 'choose', outcome: undefined });
		expect(reviewScreenReducer(voted, { type: 'submitting' }).txSteps).toEqual([]);
	});
});
