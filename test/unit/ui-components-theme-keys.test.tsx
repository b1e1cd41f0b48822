import { useState } from 'react';
import { describe, expect, test } from 'vitest';
import { render } from 'ink-testing-library';
import { Text, useInput, type Key } from 'ink';
import {
	checkStatusStyle,
	formatAgo,
	formatBytes,
	formatBytesExact,
	formatDuration,
	formatInt,
	stageStatusStyle,
} from '../../source/app/theme.js';
import { shortHash } from '../../source/domain/hash-text.js';
import { actionFor, helpFor, hintsFor, KEY_MODES, KEYS, matchKey, MODES, TEXT_MODES, type KeyAction } from '../../source/app/keys.js';
import { KeyHints } from '../../source/app/components/key-hints/index.js';
import { waitFor, waitForFrame } from '../helpers/frames.js';

const HASH = '0xe49e4ca2c6f1d3b4a59877d0b5c4f7e8a1b2c3d4e5f60718293a4b5c6d7e05b6';

function key(overrides: Partial<Key> = {}): Key {
	return {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		...overrides,
	};
}

describe('theme formatters', () => {
	test('shortHash keeps 0x, the first and last 4 hex digits', () => {
		expect(shortHash(HASH)).toBe('0xe49e…05b6');
		expect(shortHash('0x1234')).toBe('0x1234');
		expect(shortHash(undefined)).toBe('—');
	});

	test('formatBytes is SI with one decimal and never shows 1000.0', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(999)).toBe('999 B');
		expect(formatBytes(1000)).toBe('1.0 kB');
		expect(formatBytes(859_727)).toBe('859.7 kB');
		expect(formatBytes(999_960)).toBe('1.0 MB');
		expect(formatBytes(4_512_345)).toBe('4.5 MB');
		expect(formatBytesExact(859_727)).toBe('859.7 kB (859,727 bytes)');
		expect(formatInt(19_234_567)).toBe('19,234,567');
	});

	test('formatAgo / formatDuration', () => {
		expect(formatAgo(3)).toBe('3s ago');
		expect(formatAgo(75)).toBe('1m 15s ago');
		expect(formatAgo(3_700)).toBe('1h 01m ago');
		expect(formatAgo(-5)).toBe('0s ago');
		expect(formatDuration(600)).toBe('10m 00s');
	});

	test('every status has a symbol and a word, not just a colour', () => {
		const expected = { done: '✔', active: '▶', waiting: '…', failed: '✖', pending: '○' };
		for (const [status, symbol] of Object.entries(expected)) {
			const style = stageStatusStyle[status as keyof typeof expected];
			expect(style.symbol).toBe(symbol);
			expect(style.word).toBe(status);
		}
		const symbolsSeen = new Set(Object.values(checkStatusStyle).map((style) => style.symbol));
		expect(symbolsSeen.size).toBe(4);
	});
});

describe('keys', () => {
	test('backspace matches both Ink reports of it (delete for \\x7f, backspace for \\b); esc and b mean back', () => {
		expect(matchKey('', key({ delete: true }), ['backspace'])).toBe(true);
		expect(matchKey('', key({ backspace: true }), ['backspace'])).toBe(true);
		expect(matchKey('b', key(), KEYS.back)).toBe(true);
		expect(matchKey('', key({ escape: true, meta: true }), KEYS.back)).toBe(true);
		expect(matchKey('x', key(), KEYS.back)).toBe(false);
		// a burst of backspaces after a field closed never leaves the screen
		expect(matchKey('', key({ delete: true }), KEYS.back)).toBe(false);
	});

	test('plain letters need no ctrl/meta and are case sensitive', () => {
		expect(matchKey('q', key(), KEYS.quit)).toBe(true);
		expect(matchKey('q', key({ ctrl: true }), KEYS.quit)).toBe(false);
		expect(matchKey('y', key({ meta: true }), KEYS.confirm)).toBe(false);
		expect(matchKey('Y', key({ shift: true }), KEYS.confirm)).toBe(false);
		expect(matchKey('c', key({ ctrl: true }), KEYS.quit)).toBe(true);
		expect(matchKey('c', key(), KEYS.quit)).toBe(false);
		// esc is back, never quit
		expect(matchKey('', key({ escape: true, meta: true }), KEYS.quit)).toBe(false);
		expect(matchKey('', key({ escape: true, meta: true }), KEYS.cancel)).toBe(true);
		expect(matchKey('n', key({ ctrl: true }), KEYS.cancel)).toBe(false);
	});

	test('arrows, vi keys and return', () => {
		expect(matchKey('', key({ upArrow: true }), KEYS.up)).toBe(true);
		expect(matchKey('k', key(), KEYS.up)).toBe(true);
		expect(matchKey('j', key(), KEYS.up)).toBe(false);
		expect(matchKey('', key({ downArrow: true }), KEYS.down)).toBe(true);
		expect(matchKey('\r', key({ return: true }), KEYS.open)).toBe(true);
		expect(matchKey('\n', key(), KEYS.open)).toBe(true);
		expect(actionFor('a', key(), ['quit', 'next'])).toBe('next');
		expect(actionFor('z', key())).toBeUndefined();
	});

	test('every binding is non-empty and hint labels come from the table', () => {
		for (const binding of Object.values(KEYS)) expect(binding.length).toBeGreaterThan(0);
		expect(hintsFor([[['up', 'down'], 'move'], 'open', 'quit'])).toEqual([
			{ key: '↑↓', label: 'move' },
			{ key: 'enter', label: 'open' },
			{ key: 'q', label: 'quit' },
		]);
		expect(hintsFor(['confirm', 'cancel']).map((hint) => hint.key)).toEqual(['y', 'n']);
		expect(hintsFor([[['confirm', 'cancel'], 'answer']])[0]!.key).toBe('y/n');
	});

	test('matchKey agrees with what Ink actually delivers from stdin', async () => {
		const seen: Array<KeyAction | 'erase'> = [];
		function Harness() {
			const [last, setLast] = useState('none');
			useInput((input, inkKey) => {
				const action = matchKey(input, inkKey, ['backspace'])
					? 'erase'
					: actionFor(input, inkKey, ['back', 'open', 'up', 'down', 'quit', 'confirm']);
				if (action) {
					seen.push(action);
					setLast(action);
				}
			});
			return <Text>last: {last}</Text>;
		}
		const { stdin, lastFrame, unmount } = render(<Harness />);
		await waitForFrame(lastFrame, (f) => f.includes('last: none'));
		// each key is one action: wait for it before the next
		for (const data of ['\x7f', '\b', '\r', '\x1b[A', '\x1b[B', 'q', 'y', '\x03']) {
			const before = seen.length;
			stdin.write(data);
			await waitFor(() => seen.length > before, `an action for ${JSON.stringify(data)}`, 5_000);
		}
		// a lone escape is held until Ink knows no sequence follows, then delivered
		stdin.write('\x1b');
		await waitFor(() => seen.length === 9, 'the escape key', 5_000);
		expect(seen).toEqual(['erase', 'erase', 'open', 'up', 'down', 'quit', 'confirm', 'quit', 'back']);
		expect(lastFrame()).toContain('last: back');
		unmount();
	});

	test('the key table: no key bound twice in one mode; text modes bind no printable key; every action works somewhere', () => {
		for (const mode of MODES) {
			const owner = new Map<string, KeyAction>();
			for (const action of Object.keys(KEYS) as KeyAction[]) {
				if (!KEY_MODES[action].includes(mode)) continue;
				for (const name of KEYS[action]) {
					expect(owner.get(name), `${name} in mode ${mode}: ${owner.get(name)} and ${action}`).toBeUndefined();
					owner.set(name, action);
				}
			}
			if (TEXT_MODES.includes(mode)) {
				const printable = [...owner.keys()].filter((name) => [...name].length === 1);
				expect(printable, `printable keys bound in text mode ${mode}`).toEqual([]);
			}
			expect(helpFor(mode).length).toBeGreaterThan(0);
		}
		for (const action of Object.keys(KEYS) as KeyAction[]) expect(KEY_MODES[action].length, action).toBeGreaterThan(0);
		// the same letter means different things in different modes, never two things in one
		expect(KEY_MODES.cancel).not.toContain('home');
		expect(KEY_MODES.newSample).not.toContain('prompt');
		expect(helpFor('release').map((line) => line.keys)).toContain('b / esc');
		expect(helpFor('release').some((line) => line.keys.includes('esc') && line.label === 'quit')).toBe(false);
	});

	test('KeyHints renders one line from hintsFor', () => {
		const { lastFrame, unmount } = render(<KeyHints hints={hintsFor([[['up', 'down'], 'move'], 'open', 'quit'])} />);
		expect(lastFrame()).toBe('↑↓ move · enter open · q quit');
		unmount();
	});
});
