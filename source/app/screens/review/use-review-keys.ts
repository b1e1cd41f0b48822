import { applyTextKey, type TextInputStateHook } from '../../components/text-input/index.js';
import { useKeyEvents } from '../../hooks/use-key-events.js';
import { KEYS, actionIn, isTextKey, matchKey, type KeyEvent, type Mode } from '../../keys.js';
import type { ReviewFields, ReviewSession } from './use-review-session.js';
import type { ReviewScreenStateHook } from './use-review-state.js';

/**
 * The review screen's keys, one at a time (a chunk is split into the keys it is). Outside a text
 * field a typed word is never a sequence of keys: a y or an a inside it must not sign or vote.
 */
export function useReviewKeys({
	ui,
	fields,
	session,
	envCount,
	page,
	onBack,
	onQuit,
}: {
	ui: ReviewScreenStateHook;
	fields: ReviewFields;
	session: ReviewSession;
	envCount: number;
	/** What the body's scroll view measured last: its height and its content's. */
	page: { current: { height: number; content: number } };
	onBack: () => void;
	onQuit: () => void;
}): void {
	const { dispatch } = ui;
	const scrollKey = (event: KeyEvent, mode: Mode): boolean => {
		const action = actionIn(mode, event.input, event.key);
		const { height, content } = page.current;
		const pageLines = Math.max(1, height - 1);
		const by =
			action === 'down' ? 1 : action === 'up' ? -1 : action === 'pageDown' ? pageLines : action === 'pageUp' ? -pageLines : undefined;
		if (by === undefined) return false;
		dispatch({ type: 'scroll', lines: by, max: content - height });
		return true;
	};
	const onKey = (event: KeyEvent) => {
		const { input, key } = event;
		const now = ui.current();
		const p = now.phase;
		if (key.ctrl && input === 'c') return onQuit();
		if (now.helpOf) {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: undefined });
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			scrollKey(event, 'help');
			return;
		}
		// A text field takes characters and backspaces; enter is handled by the phase below.
		const text = (field: TextInputStateHook) => {
			if (!key.return) applyTextKey(field, event, {});
		};
		if (p === 'form') {
			if (key.escape) return onBack();
			if (matchKey(input, key, KEYS.submit)) return void session.review();
			if (key.tab || key.downArrow) return dispatch({ type: 'next-field', by: 1 });
			if (key.upArrow) return dispatch({ type: 'next-field', by: -1 });
			if (now.field === 'env') {
				if (key.leftArrow) return dispatch({ type: 'next-env', by: -1, count: envCount });
				if (key.rightArrow || input === ' ') return dispatch({ type: 'next-env', by: 1, count: envCount });
				return;
			}
			return text(now.field === 'target' ? fields.target : fields.wasm);
		}
		if (p === 'loading' || p === 'preparing' || p === 'submitting') {
			if (!matchKey(input, key, KEYS.quit))
				dispatch({
					type: 'message',
					message: { kind: 'warn', title: `busy: ${p}`, lines: ['that key was not applied — press it again when this is done'] },
				});
			return;
		}
		if (p !== 'signer' && p !== 'amount' && isTextKey(event) && event.inChunk) {
			return dispatch({
				type: 'message',
				message: {
					kind: 'warn',
					title: 'typed text ignored',
					lines: ['no text field is open here: keys are single letters (see the line at the bottom)'],
				},
			});
		}
		if (p === 'signer') {
			if (key.escape) return dispatch({ type: 'phase', phase: 'report' });
			if (matchKey(input, key, KEYS.submit)) return void session.applySigner();
			return text(fields.signer);
		}
		if (p === 'amount') {
			if (key.escape) return dispatch({ type: 'phase', phase: 'report' });
			if (matchKey(input, key, KEYS.submit)) return void session.prepare();
			if (key.leftArrow || key.rightArrow) return dispatch({ type: 'next-conviction', by: key.rightArrow ? 1 : -1 });
			return text(fields.amount);
		}
		if (p === 'confirm') {
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'prompt' });
			if (scrollKey(event, 'prompt')) return;
			if (matchKey(input, key, KEYS.confirm)) return void session.submit();
			if (matchKey(input, key, KEYS.cancel)) {
				dispatch({ type: 'prepared', prepared: undefined });
				return dispatch({ type: 'phase', phase: 'report' });
			}
			return;
		}
		if (p === 'choose') {
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'review-choose' });
			if (matchKey(input, key, KEYS.voteAye) || matchKey(input, key, KEYS.voteNay)) {
				dispatch({ type: 'aye', aye: matchKey(input, key, KEYS.voteAye) });
				if (session.hasSigner()) {
					const state = now.run?.report.voteState;
					return state?.kind === 'democracy' || state?.kind === 'opengov'
						? dispatch({ type: 'phase', phase: 'amount' })
						: void session.prepare();
				}
				return dispatch({ type: 'phase', phase: 'signer' });
			}
			if (key.escape || matchKey(input, key, KEYS.back)) return dispatch({ type: 'phase', phase: 'report' });
			return;
		}
		// report / voted
		if (matchKey(input, key, KEYS.quit) && !key.escape) return onQuit();
		if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'review' });
		if (scrollKey(event, 'review')) return;
		if (key.escape || matchKey(input, key, KEYS.back)) return onBack();
		if (matchKey(input, key, KEYS.edit)) return dispatch({ type: 'phase', phase: 'form' });
		if (matchKey(input, key, KEYS.retry)) return void session.review();
		if (matchKey(input, key, KEYS.dryRun)) return void session.review(true);
		if (p === 'report' && matchKey(input, key, KEYS.vote)) {
			const r = now.run;
			if (!r) return;
			if (r.report.verdict.verdict === 'blocked')
				return dispatch({
					type: 'message',
					message: {
						kind: 'error',
						title: 'No vote is offered',
						lines: ['the review found a blocking problem: it must be fixed on chain first'],
					},
				});
			if (r.report.voteState.kind === 'none')
				return dispatch({
					type: 'message',
					message: { kind: 'warn', title: 'Nothing to vote on', lines: [r.report.voteState.reason] },
				});
			return dispatch({ type: 'choose' });
		}
	};
	useKeyEvents(onKey);
}
