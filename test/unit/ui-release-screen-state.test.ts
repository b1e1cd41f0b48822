import { describe, expect, it } from 'vitest';
import {
	initialReleaseScreenState,
	releaseScreenReducer,
	type ReleaseScreenAction,
} from '../../source/app/screens/release/use-release-screen-state.js';
import { releaseHints } from '../../source/app/screens/release/hints.js';
import { hintsFor } from '../../source/app/keys.js';

const run = (...actions: ReleaseScreenAction[]) => actions.reduce(releaseScreenReducer, initialReleaseScreenState);

describe('release screen state', () => {
	it('scrolls within what there is, and a view opened anew starts at its top', () => {
		expect(run({ type: 'scroll', lines: 5, max: 3 }).scroll).toBe(3);
		expect(run({ type: 'scroll', lines: 2, max: 10 }, { type: 'scroll', lines: -9, max: 10 }).scroll).toBe(0);
		// Content shorter than the view: nothing to scroll.
		expect(run({ type: 'scroll', lines: 4, max: -6 }).scroll).toBe(0);
		const inReport = run({ type: 'open', view: 'report' }, { type: 'scroll', lines: 7, max: 20 });
		expect(inReport).toMatchObject({ view: 'report', scroll: 7 });
		expect(releaseScreenReducer(inReport, { type: 'open', view: 'stage' }).scroll).toBe(0);
		// Going back to a view as it was left keeps its place.
		expect(releaseScreenReducer(inReport, { type: 'return', view: 'compat' })).toMatchObject({ view: 'compat', scroll: 7 });
	});

	it('key help goes back to the view it was opened from, never to the waiver field or to itself', () => {
		const fromReport = run({ type: 'open', view: 'report' }, { type: 'help', mode: 'report' });
		expect(fromReport).toMatchObject({ view: 'help', helpOf: { mode: 'report', view: 'report' }, scroll: 0 });
		const fromWaive = run({ type: 'return', view: 'waive' }, { type: 'help', mode: 'compat' });
		expect(fromWaive.helpOf.view).toBe('stage');
		expect(releaseScreenReducer(fromReport, { type: 'help', mode: 'release' }).helpOf.view).toBe('stage');
	});

	it('moving between stages starts the stage at its top; the filter starts the list again', () => {
		const s = run({ type: 'scroll', lines: 4, max: 9 }, { type: 'select-stage', stage: 'artifact' });
		expect(s).toMatchObject({ selectedStage: 'artifact', scroll: 0 });
		const moved = run({ type: 'compat-move', cursor: 6, offset: (o) => o + 4 }, { type: 'filtering', on: true });
		expect(moved.compat).toEqual({ cursor: 6, offset: 4, filtering: true });
		expect(releaseScreenReducer(moved, { type: 'compat-filtered' }).compat).toEqual({ cursor: 0, offset: 0, filtering: true });
	});
});

describe('release screen keys line', () => {
	const base = {
		view: 'stage' as const,
		phase: 'ready',
		promptRefused: false,
		rehearsed: false,
		fastForward: undefined,
		compat: false,
		waiverOffered: false,
		isGovernance: false,
	};
	const text = (h: Parameters<typeof releaseHints>[0]) =>
		hintsFor(releaseHints(h))
			.map((k) => `${k.key} ${k.label}`)
			.join(' · ');

	it('offers the report only once a rehearsal ran, and fast-forward only while waiting on an embedded chain', () => {
		expect(text(base)).not.toMatch(/report/);
		expect(text({ ...base, rehearsed: true })).toMatch(/o report/);
		expect(text({ ...base, phase: 'waiting', fastForward: { waitUntil: 42 } })).toMatch(/f to #42/);
		expect(text({ ...base, phase: 'signer-input', rehearsed: true })).toMatch(/ctrl\+r rehearse on a fork.*ctrl\+o report/);
	});

	it('a prompt with refusals can only be cancelled', () => {
		expect(text({ ...base, phase: 'confirm' })).toMatch(/y sign and submit/);
		expect(text({ ...base, phase: 'confirm', promptRefused: true })).not.toMatch(/sign and submit/);
	});
});
