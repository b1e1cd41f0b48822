import { useRef } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import { splitKeys, type KeyEvent } from '../keys.js';

/**
 * `useInput`, one key at a time: a chunk (a paste, fast typing) is split into the keys
 * it is (`splitKeys`) and each is handled in order. The handler is called through a
 * ref, so a key that arrives before React re-subscribes still sees the latest state;
 * `events` is the whole chunk, for handlers that refuse a typed word as a whole.
 */
export function useKeyEvents(handler: (event: KeyEvent, events: readonly KeyEvent[]) => void): void {
	const { isRawModeSupported } = useStdin();
	const latest = useRef(handler);
	latest.current = handler;
	useInput(
		(input: string, key: Key) => {
			const events = splitKeys(input, key);
			for (const event of events) latest.current(event, events);
		},
		{ isActive: isRawModeSupported === true },
	);
}
