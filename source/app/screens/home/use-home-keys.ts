import { useState } from 'react';
import { useKeyEvents } from '../../hooks/use-key-events.js';
import { useTypedTextGuard } from '../../hooks/use-typed-text-guard.js';
import { KEYS, actionIn, isTextKey, matchKey, type KeyEvent } from '../../keys.js';
import type { HomeScreenStateHook } from './use-home-state.js';

/**
 * The home screen's keys. No text field is open here: keys that cannot act are refused with a
 * visible line; none is dropped silently, none is a hotkey by accident.
 */
export function useHomeKeys({
	ui,
	releaseIds,
	page,
	onOpen,
	onCreateSample,
	onReview,
	onQuit,
}: {
	ui: HomeScreenStateHook;
	/** The releases in the order the list shows them. */
	releaseIds: string[];
	/** What the key help's scroll view measured last. */
	page: { current: { height: number; content: number } };
	onOpen: (id: string) => void;
	onCreateSample: () => Promise<void>;
	onReview?: (() => void) | undefined;
	onQuit: () => void;
}): { keyNotice: string | undefined } {
	const { dispatch } = ui;
	const [keyNotice, setKeyNotice] = useState<string | undefined>();
	const typed = useTypedTextGuard(setKeyNotice);
	const refuseText = (events: readonly KeyEvent[]) =>
		typed.refuse(
			events,
			(text) =>
				`typed text ignored (${text}): no text field is open here — keys are single letters, nothing was done · ? lists the keys`,
		);
	const accept = (run: () => void) => {
		setKeyNotice(undefined);
		run();
	};
	const onKey = (event: KeyEvent, events: readonly KeyEvent[]) => {
		const { input, key } = event;
		if (ui.current().view === 'help') {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.help)) return accept(() => dispatch({ type: 'close-help' }));
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			const { height, content } = page.current;
			const pageLines = Math.max(1, height - 1);
			const action = actionIn('help', input, key);
			const by =
				action === 'down' ? 1 : action === 'pageDown' ? pageLines : action === 'up' ? -1 : action === 'pageUp' ? -pageLines : 0;
			if (by) dispatch({ type: 'scroll', lines: by, max: content - height });
			return;
		}
		// A typed chunk (a paste, //Dave, nnn) is never a sequence of hotkeys.
		if (isTextKey(event) && event.inChunk) return refuseText(events);
		const action = actionIn('home', input, key);
		if (action === 'quit') return onQuit();
		// A word typed key by key: once a key was ignored, the rest of the word is too (its n or r never acts).
		if (typed.inWord(event)) return refuseText([event]);
		if (action === 'help') return accept(() => dispatch({ type: 'open-help' }));
		if (action === 'up' || action === 'down')
			return accept(() => dispatch({ type: 'move', by: action === 'up' ? -1 : 1, count: releaseIds.length }));
		if (action === 'open') {
			const id = releaseIds[ui.current().selected];
			if (id) return accept(() => onOpen(id));
			return setKeyNotice('enter: there is no release to open yet — n creates the sample releases');
		}
		if (action === 'review') {
			if (onReview) return accept(onReview);
			return setKeyNotice('r: review mode is not available here');
		}
		if (action === 'newSample') return accept(() => void onCreateSample());
		if (key.escape) return setKeyNotice('esc: this is the first screen, there is nothing to go back to — q quits');
		if (isTextKey(event)) return refuseText([event]);
	};
	useKeyEvents(onKey);
	return { keyNotice };
}
