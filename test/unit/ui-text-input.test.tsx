/**
 * Text fields take a chunk as the keys it is (a paste, fast typing, a loaded machine):
 * text, then enter; each backspace deletes one character; control characters never
 * enter the value. Keys are written to the console's stdin as whole chunks.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import type { Key } from 'ink';
import { ReviewScreen } from '../../source/app/screens/review/index.js';
import { openStore } from '../../source/store/store.js';
import { splitKeys } from '../../source/app/keys.js';
import { textInputReducer } from '../../source/app/components/text-input/index.js';
import { tempHome } from '../helpers/cli.js';
import { settled, waitForFrame } from '../helpers/frames.js';

const noKey: Key = {
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
};

describe('splitKeys', () => {
	it('splits a chunk into characters, enters and backspaces, and drops other control characters', () => {
		const names = (input: string) =>
			splitKeys(input, noKey).map((e) => (e.key.return ? '⏎' : e.key.delete || e.key.backspace ? '⌫' : e.key.tab ? '⇥' : e.input));
		expect(names('//Alice\r')).toEqual(['/', '/', 'A', 'l', 'i', 'c', 'e', '⏎']);
		expect(names('abc\x7f\x7f\x7f')).toEqual(['a', 'b', 'c', '⌫', '⌫', '⌫']);
		expect(names('ab\b')).toEqual(['a', 'b', '⌫']);
		expect(names('line\r\n')).toEqual(['l', 'i', 'n', 'e', '⏎']);
		expect(names('a\u0007b\u0000')).toEqual(['a', 'b']);
		expect(names('x\ty')).toEqual(['x', '⇥', 'y']);
		expect(splitKeys('//Alice\r', noKey).every((e) => e.inChunk)).toBe(true);
		expect(splitKeys('a', noKey)).toEqual([{ input: 'a', key: noKey, inChunk: false }]);
		expect(splitKeys('\n', noKey)[0]!.key.return).toBe(true);
	});

	it('the field reducer never takes a control character', () => {
		expect(textInputReducer({ value: 'ab' }, { type: 'insert', text: '\x7f\u001b' })).toEqual({ value: 'ab' });
		expect(textInputReducer({ value: 'añ' }, { type: 'delete-backward' })).toEqual({ value: 'a' });
	});
});

function reviewScreen() {
	const dir = tempHome('rc-text-input-');
	const store = openStore({ dir });
	return render(<ReviewScreen store={store} home={dir} onBack={() => {}} onQuit={() => {}} />);
}

const line = (frame: string, word: string) => frame.split('\n').find((l) => l.includes(word)) ?? '';

// Enter runs the review; a target it cannot read is refused before any connection, quoting what was typed.
describe('text fields in the console, fed whole chunks', () => {
	it('a paste followed by enter in one chunk is the text, then enter', async () => {
		const ui = reviewScreen();
		await waitForFrame(ui.lastFrame, (f) => f.includes('your wasm'));
		await settled();
		ui.stdin.write('next release\r');
		const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('cannot read'), 5000);
		expect(frame).toContain('cannot read "next release" as a target');
		expect(line(frame, 'target')).toContain('next release');
		ui.unmount();
	});

	it('a burst of backspaces deletes one character each; no DEL character is inserted', async () => {
		const ui = reviewScreen();
		await waitForFrame(ui.lastFrame, (f) => f.includes('your wasm'));
		await settled();
		ui.stdin.write('abc\x7f\x7f\x7f');
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('e.g. referendum 0'), 5000);
		expect(line(frame, 'target')).not.toMatch(/abc|\x7f/);
		ui.stdin.write('nexty\x7f releasf\b');
		await waitForFrame(ui.lastFrame, (f) => /target\s+next releas\s/.test(f), 5000);
		ui.stdin.write('e\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('cannot read'), 5000);
		expect(frame).toContain('cannot read "next release" as a target');
		ui.unmount();
	});

	it('a paste with a trailing newline submits; a tab in the chunk moves to the next field', async () => {
		const ui = reviewScreen();
		await waitForFrame(ui.lastFrame, (f) => f.includes('your wasm'));
		await settled();
		ui.stdin.write('next\t./next.wasm\n');
		const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('cannot read'), 5000);
		expect(frame).toContain('cannot read "next" as a target');
		expect(line(frame, 'your wasm')).toContain('./next.wasm');
		ui.unmount();
	});
});
