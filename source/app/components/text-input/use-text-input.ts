import { useCallback, useRef } from 'react';
import { isTextKey, matchKey, KEYS, type KeyEvent } from '../../keys.js';
import type { TextInputStateHook } from './use-text-input-state.js';

export interface TextInputHandlers {
	/** Enter: use what was typed (the value after every key before it in the chunk). */
	onSubmit?: (value: string) => void;
}

/**
 * One key for a text field: a character is inserted, backspace (`\x7f` or `\b`;
 * Ink reports them as `delete` / `backspace`) removes one character, enter
 * submits. Returns false for a key the field does not take (esc, arrows, tab,
 * ctrl+…): the screen decides what it means. Feed it the keys of a chunk one by
 * one (`splitKeys`), so a paste followed by enter is text, then enter.
 */
export function applyTextKey(state: TextInputStateHook, event: KeyEvent, handlers: TextInputHandlers): boolean {
	const { key } = event;
	if (key.backspace || key.delete) {
		state.deleteBackward();
		return true;
	}
	if (matchKey(event.input, key, KEYS.submit)) {
		handlers.onSubmit?.(state.current());
		return true;
	}
	if (isTextKey(event)) {
		state.insert(event.input);
		return true;
	}
	return false;
}

/** The key hook of a text field: `(event) => taken`, with the latest handlers. */
export function useTextInput(state: TextInputStateHook, handlers: TextInputHandlers = {}): (event: KeyEvent) => boolean {
	const latest = useRef(handlers);
	latest.current = handlers;
	return useCallback((event: KeyEvent) => applyTextKey(state, event, latest.current), [state]);
}
