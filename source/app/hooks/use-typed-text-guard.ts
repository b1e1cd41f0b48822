import { useRef } from 'react';
import { isTextKey, type KeyEvent } from '../keys.js';

/** After a key was ignored as typed text, the rest of the word typed key by key is ignored too. */
export const TYPED_GUARD_MS = 1500;

/**
 * Where no text field is open, typed text is refused as a whole, never read as hotkeys: a chunk
 * (a paste, fast typing) is one refusal, and a word typed key by key is refused from the first
 * ignored key to its end (`//Dave` never presses `a`; `nnn` never creates anything).
 */
export function useTypedTextGuard(say: (text: string) => void) {
	const lastIgnoredAt = useRef(0);
	const refusedChunk = useRef<readonly KeyEvent[] | undefined>(undefined);
	return {
		/** Refuse these keys (a whole chunk, or one key of a word); `line` says so with the text typed. */
		refuse(events: readonly KeyEvent[], line: (typed: string) => string): void {
			// A word typed key by key: the keys after this one are part of it (a chunk came whole).
			if (events.length === 1) lastIgnoredAt.current = Date.now();
			if (refusedChunk.current === events) return;
			refusedChunk.current = events;
			const typed = events
				.filter(isTextKey)
				.map((e) => e.input)
				.join('');
			say(line(JSON.stringify(typed)));
		},
		/** Treat the keys that follow as the rest of a word (a letter that was not applied started one). */
		arm(): void {
			lastIgnoredAt.current = Date.now();
		},
		/** This key continues a word whose first keys were refused. */
		inWord(event: KeyEvent): boolean {
			return isTextKey(event) && Date.now() - lastIgnoredAt.current < TYPED_GUARD_MS;
		},
	};
}
