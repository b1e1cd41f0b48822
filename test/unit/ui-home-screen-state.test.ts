import { describe, expect, it } from 'vitest';
import { homeScreenReducer, initialHomeScreenState, type HomeScreenAction } from '../../source/app/screens/home/use-home-state.js';

const run = (...actions: HomeScreenAction[]) => actions.reduce(homeScreenReducer, initialHomeScreenState);

describe('home screen state', () => {
	it('the selection stays on the list: never above the first release, never past the last, nowhere on an empty list', () => {
		expect(run({ type: 'move', by: -1, count: 3 }).selected).toBe(0);
		expect(run({ type: 'move', by: 1, count: 3 }, { type: 'move', by: 1, count: 3 }, { type: 'move', by: 1, count: 3 }).selected).toBe(
			2,
		);
		expect(run({ type: 'move', by: 1, count: 0 }).selected).toBe(0);
		// The list shrank under the selection: the next move lands on its last row.
		expect(homeScreenReducer({ ...initialHomeScreenState, selected: 7 }, { type: 'move', by: -1, count: 3 }).selected).toBe(2);
	});

	it('the key help opens at its top and keeps the selection for when it closes', () => {
		const s = run({ type: 'move', by: 1, count: 5 }, { type: 'open-help' }, { type: 'scroll', lines: 4, max: 12 });
		expect(s).toMatchObject({ view: 'help', scroll: 4, selected: 1 });
		expect(homeScreenReducer(s, { type: 'close-help' })).toMatchObject({ view: 'list', selected: 1 });
		expect(homeScreenReducer(homeScreenReducer(s, { type: 'close-help' }), { type: 'open-help' }).scroll).toBe(0);
	});
});
