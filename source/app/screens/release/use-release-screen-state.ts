import { useRefReducer, type RefReducer } from '../../hooks/use-ref-reducer.js';
import type { StageId } from '../../../domain/types.js';
import type { Mode } from '../../keys.js';

/** What the release screen shows: the stage, or one of the views opened from it. */
export type ReleaseView = 'stage' | 'compat' | 'compat-detail' | 'waive' | 'alignment' | 'help' | 'vault' | 'report';
/** The views key help can be opened from (and goes back to). */
export type HelpReturn = Exclude<ReleaseView, 'waive' | 'help'>;

export interface ReleaseScreenState {
	view: ReleaseView;
	/** `?` opens the key help of the mode it was pressed in; esc goes back to the view it came from. */
	helpOf: { mode: Mode; view: HelpReturn };
	/** The stage read with ↑/↓ (undefined: the stage the release is at). */
	selectedStage: StageId | undefined;
	/** Lines scrolled in what the body shows (the stage, a view, the prompt). */
	scroll: number;
	/** The compatibility list: the change under the cursor, the first row shown, the filter field open. */
	compat: { cursor: number; offset: number; filtering: boolean };
}

export type ReleaseScreenAction =
	/** Open a view from the top (its scroll at 0). */
	| { type: 'open'; view: ReleaseView }
	/** Go back to a view as it was left (the scroll is kept). */
	| { type: 'return'; view: ReleaseView }
	| { type: 'help'; mode: Mode }
	/** Scroll by lines, never past what there is (`max`: content − height). */
	| { type: 'scroll'; lines: number; max: number }
	| { type: 'select-stage'; stage: StageId | undefined }
	| { type: 'compat-move'; cursor: number; offset: (offset: number) => number }
	/** The filter's text changed: the list starts again at its first change. */
	| { type: 'compat-filtered' }
	| { type: 'filtering'; on: boolean };

export const initialReleaseScreenState: ReleaseScreenState = {
	view: 'stage',
	helpOf: { mode: 'release', view: 'stage' },
	selectedStage: undefined,
	scroll: 0,
	compat: { cursor: 0, offset: 0, filtering: false },
};

export function releaseScreenReducer(state: ReleaseScreenState, action: ReleaseScreenAction): ReleaseScreenState {
	switch (action.type) {
		case 'open':
			return { ...state, view: action.view, scroll: 0 };
		case 'return':
			return { ...state, view: action.view };
		case 'help': {
			const from = state.view;
			return {
				...state,
				helpOf: { mode: action.mode, view: from === 'waive' || from === 'help' ? 'stage' : from },
				view: 'help',
				scroll: 0,
			};
		}
		case 'scroll':
			return { ...state, scroll: Math.max(0, Math.min(Math.max(0, action.max), state.scroll + action.lines)) };
		case 'select-stage':
			return { ...state, selectedStage: action.stage, scroll: 0 };
		case 'compat-move':
			return { ...state, compat: { ...state.compat, cursor: action.cursor, offset: action.offset(state.compat.offset) } };
		case 'compat-filtered':
			return { ...state, compat: { ...state.compat, cursor: 0, offset: 0 } };
		case 'filtering':
			return { ...state, compat: { ...state.compat, filtering: action.on } };
	}
}

export type ReleaseScreenStateHook = RefReducer<ReleaseScreenState, ReleaseScreenAction>;

/** The release screen's own state (not the release's). */
export function useReleaseScreenState(): ReleaseScreenStateHook {
	return useRefReducer(releaseScreenReducer, initialReleaseScreenState);
}
