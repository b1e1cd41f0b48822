import { useRefReducer, type RefReducer } from '../../hooks/use-ref-reducer.js';

export interface HomeScreenState {
	/** The release list, or the key help. */
	view: 'list' | 'help';
	/** The selected row of the list. */
	selected: number;
	/** Lines scrolled in the key help. */
	scroll: number;
}

export type HomeScreenAction =
	| { type: 'open-help' }
	| { type: 'close-help' }
	/** Move the selection, never past the list's ends (`count`: rows in it). */
	| { type: 'move'; by: number; count: number }
	| { type: 'scroll'; lines: number; max: number };

export const initialHomeScreenState: HomeScreenState = { view: 'list', selected: 0, scroll: 0 };

export function homeScreenReducer(state: HomeScreenState, action: HomeScreenAction): HomeScreenState {
	switch (action.type) {
		case 'open-help':
			return { ...state, view: 'help', scroll: 0 };
		case 'close-help':
			return { ...state, view: 'list' };
		case 'move':
			return { ...state, selected: Math.max(0, Math.min(action.count - 1, state.selected + action.by)) };
		case 'scroll':
			return { ...state, scroll: Math.max(0, Math.min(Math.max(0, action.max), state.scroll + action.lines)) };
	}
}

export type HomeScreenStateHook = RefReducer<HomeScreenState, HomeScreenAction>;

/** The home screen's state. */
export function useHomeScreenState(): HomeScreenStateHook {
	return useRefReducer(homeScreenReducer, initialHomeScreenState);
}
