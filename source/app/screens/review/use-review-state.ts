import { useRefReducer, type RefReducer } from '../../hooks/use-ref-reducer.js';
import type { ReviewRun } from '../../../review/review.js';
import type { PreparedVote, VoteOutcome } from '../../../review/vote.js';
import { CONVICTIONS, type Conviction } from '../../../review/types.js';
import type { Token } from '../../../review/format.js';
import type { Mode } from '../../keys.js';

/** The form, the review running, its report, then the vote: who votes, how much, the prompt, the outcome. */
export type ReviewPhase = 'form' | 'loading' | 'report' | 'choose' | 'signer' | 'amount' | 'preparing' | 'confirm' | 'submitting' | 'voted';
export type ReviewField = 'env' | 'target' | 'wasm';
export const REVIEW_FIELDS: readonly ReviewField[] = ['env', 'target', 'wasm'];

export interface ReviewMessage {
	kind: 'info' | 'warn' | 'error' | 'success';
	title: string;
	lines: string[];
}

export interface ReviewScreenState {
	phase: ReviewPhase;
	/** The form's field with the cursor. */
	field: ReviewField;
	/** The environment chosen in the form (an index into the store's list). */
	envIndex: number;
	conviction: Conviction;
	aye: boolean;
	/** `?` opened the keys of this mode (esc goes back to the phase it was pressed in). */
	helpOf: Mode | undefined;
	/** Lines scrolled in the body; each phase is read from its top. */
	scroll: number;
	message: ReviewMessage | undefined;
	/** What the review is doing now (connecting, reading, forking). */
	progress: string;
	run: ReviewRun | undefined;
	/** The chain's unit, for amounts. */
	token: Token;
	prepared: PreparedVote | undefined;
	txSteps: string[];
	outcome: VoteOutcome | undefined;
}

export type ReviewScreenAction =
	| { type: 'phase'; phase: ReviewPhase }
	| { type: 'field'; field: ReviewField }
	/** The next (1) or previous (−1) field of the form. */
	| { type: 'next-field'; by: 1 | -1 }
	| { type: 'next-env'; by: 1 | -1; count: number }
	| { type: 'next-conviction'; by: 1 | -1 }
	| { type: 'aye'; aye: boolean }
	| { type: 'help'; mode: Mode | undefined }
	| { type: 'scroll'; lines: number; max: number }
	| { type: 'message'; message: ReviewMessage | undefined }
	| { type: 'loading'; progress: string }
	| { type: 'progress'; progress: string }
	| { type: 'reviewed'; run: ReviewRun; token: Token }
	| { type: 'prepared'; prepared: PreparedVote | undefined }
	| { type: 'submitting' }
	| { type: 'tx-step'; step: string }
	| { type: 'voted'; outcome: VoteOutcome }
	/** The vote is chosen again from the report: no earlier outcome shows. */
	| { type: 'choose' };

export const initialReviewScreenState: ReviewScreenState = {
	phase: 'form',
	field: 'target',
	envIndex: 0,
	conviction: 'Locked1x',
	aye: true,
	helpOf: undefined,
	scroll: 0,
	message: undefined,
	progress: '',
	run: undefined,
	token: { decimals: 12, symbol: 'UNIT' },
	prepared: undefined,
	txSteps: [],
	outcome: undefined,
};

const inPhase = (state: ReviewScreenState, phase: ReviewPhase): ReviewScreenState =>
	phase === state.phase ? state : { ...state, phase, scroll: 0 };

export function reviewScreenReducer(state: ReviewScreenState, action: ReviewScreenAction): ReviewScreenState {
	switch (action.type) {
		case 'phase':
			return inPhase(state, action.phase);
		case 'field':
			return { ...state, field: action.field };
		case 'next-field': {
			const n = REVIEW_FIELDS.length;
			return { ...state, field: REVIEW_FIELDS[(REVIEW_FIELDS.indexOf(state.field) + n + action.by) % n]! };
		}
		case 'next-env': {
			const n = Math.max(1, action.count);
			return { ...state, envIndex: (state.envIndex + n + action.by) % n };
		}
		case 'next-conviction': {
			const i = CONVICTIONS.indexOf(state.conviction) + action.by;
			return { ...state, conviction: CONVICTIONS[Math.min(CONVICTIONS.length - 1, Math.max(0, i))]! };
		}
		case 'aye':
			return { ...state, aye: action.aye };
		case 'help':
			return { ...state, helpOf: action.mode, scroll: 0 };
		case 'scroll':
			return { ...state, scroll: Math.max(0, Math.min(Math.max(0, action.max), state.scroll + action.lines)) };
		case 'message':
			return { ...state, message: action.message };
		case 'loading':
			return { ...inPhase(state, 'loading'), message: undefined, progress: action.progress };
		case 'progress':
			return { ...state, progress: action.progress };
		case 'reviewed':
			return { ...inPhase(state, 'report'), run: action.run, token: action.token, scroll: 0 };
		case 'prepared':
			return action.prepared
				? { ...inPhase(state, 'confirm'), prepared: action.prepared, scroll: 0 }
				: { ...state, prepared: undefined };
		case 'submitting':
			return { ...inPhase(state, 'submitting'), txSteps: [] };
		case 'tx-step':
			return { ...state, txSteps: [...state.txSteps, action.step] };
		case 'voted':
			return { ...inPhase(state, 'voted'), outcome: action.outcome };
		case 'choose':
			return { ...inPhase(state, 'choose'), message: undefined, outcome: undefined };
	}
}

export type ReviewScreenStateHook = RefReducer<ReviewScreenState, ReviewScreenAction>;

/** The review screen's state. */
export function useReviewScreenState(): ReviewScreenStateHook {
	return useRefReducer(reviewScreenReducer, initialReviewScreenState);
}
