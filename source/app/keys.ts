/**
 * The one table of key bindings for the whole console, plus the matcher the
 * containers call from `useInput` and the helper that turns bindings into
 * `<KeyHints>` entries, so the hints on screen can never drift from the keys
 * that actually work.
 *
 * Binding names:
 *   - a single printable character ("q", "?", "y"): matched exactly (case
 *     sensitive) and only without ctrl/meta, so ctrl+n or alt+y never match;
 *   - "up" "down" "left" "right" "pageup" "pagedown" "home" "end"
 *     "return" "escape" "tab" "space" "backspace" "delete";
 *   - "ctrl+<char>", e.g. "ctrl+c".
 */
import type { Key } from 'ink';

export type InkKey = Key;

export const KEYS = {
	quit: ['q', 'escape', 'ctrl+c'],
	up: ['up', 'k'],
	down: ['down', 'j'],
	/** Previous / next environment (or column). */
	left: ['left', 'h'],
	right: ['right', 'l'],
	open: ['return'],
	confirm: ['y'],
	/** Escape also cancels: containers check `cancel` before `quit` while a prompt is open. */
	cancel: ['n', 'escape'],
	back: ['b', 'backspace'],
	/** Advance the current stage. */
	next: ['a'],
	newSample: ['n'],
	retry: ['r'],
	waive: ['w'],
	help: ['?'],
	/** The forward-compatibility list of the artifact stage. */
	compat: ['c'],
	filter: ['/'],
	/** Release screen: act as another signer (rehearsals with several keys in one session). */
	switchSigner: ['s'],
	/** Release screen: the alignment view (gates with evidence, notes, sign-offs, promotion, recovery plan). */
	alignment: ['g'],
	/** Home: open review mode (check a proposed upgrade, then vote). */
	review: ['r'],
	/** Review screen: vote after the verdict; aye / nay; edit the form again. */
	vote: ['v'],
	voteAye: ['a'],
	voteNay: ['n'],
	edit: ['e'],
} as const satisfies Record<string, readonly string[]>;

export type KeyAction = keyof typeof KEYS;
export type KeyBinding = readonly string[];

/** Default hint labels, used when `hintsFor` is given a bare action. */
export const KEY_LABELS: Record<KeyAction, string> = {
	quit: 'quit',
	up: 'up',
	down: 'down',
	left: 'prev',
	right: 'next',
	open: 'open',
	confirm: 'sign and submit',
	cancel: 'cancel',
	back: 'back',
	next: 'advance',
	newSample: 'new sample release',
	retry: 'retry',
	waive: 'waive gate',
	help: 'help',
	compat: 'compatibility',
	filter: 'filter',
	switchSigner: 'other signer',
	alignment: 'gates & sign-offs',
	review: 'review a proposal',
	vote: 'vote',
	voteAye: 'aye',
	voteNay: 'nay',
	edit: 'edit',
};

/** True when this keypress (as Ink's `useInput` reports it) is one of `binding`. */
export function matchKey(input: string, key: InkKey, binding: KeyBinding): boolean {
	return binding.some((name) => matchOne(input, key, name));
}

function matchOne(input: string, key: InkKey, name: string): boolean {
	switch (name) {
		case 'up':
			return key.upArrow;
		case 'down':
			return key.downArrow;
		case 'left':
			return key.leftArrow;
		case 'right':
			return key.rightArrow;
		case 'pageup':
			return key.pageUp;
		case 'pagedown':
			return key.pageDown;
		case 'home':
			return key.home;
		case 'end':
			return key.end;
		case 'return':
		case 'enter':
			// "\r" is `key.return`; a bare "\n" (some terminals, pastes) is reported as input.
			return key.return || input === '\n' || input === '\r';
		case 'escape':
			return key.escape;
		case 'tab':
			return key.tab;
		case 'space':
			return input === ' ' && !key.ctrl;
		case 'backspace':
			// Ink reports the Backspace key ("\x7f" on most terminals) as `delete`
			// and only ctrl+h ("\b") as `backspace`: accept both.
			return key.backspace || key.delete;
		case 'delete':
			return key.delete;
	}
	if (name.startsWith('ctrl+') && name.length > 5) {
		return key.ctrl && input.toLowerCase() === name.slice(5).toLowerCase();
	}
	return input === name && !key.ctrl && !key.meta;
}

/** Which action (first in table order) this keypress means, if any. */
export function actionFor(
	input: string,
	key: InkKey,
	actions: readonly KeyAction[] = Object.keys(KEYS) as KeyAction[],
): KeyAction | undefined {
	return actions.find((action) => matchKey(input, key, KEYS[action]));
}

export interface KeyHint {
	key: string;
	label: string;
}

const KEY_GLYPHS: Record<string, string> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	return: 'enter',
	enter: 'enter',
	escape: 'esc',
	backspace: 'backspace',
	delete: 'del',
	pageup: 'pgup',
	pagedown: 'pgdn',
	space: 'space',
	tab: 'tab',
	home: 'home',
	end: 'end',
};

const ARROWS = new Set(['↑', '↓', '←', '→']);

/** How a binding name is written in a hint: "up" → "↑", "return" → "enter", "ctrl+c" → "ctrl+c". */
export function keyLabel(name: string): string {
	return KEY_GLYPHS[name] ?? name;
}

/** A bare action (default label) or `[action | actions, label]`. */
export type HintSpec = KeyAction | readonly [KeyAction | readonly KeyAction[], string];

/**
 * Hints from the table: each action shows its first key.
 *   hintsFor([[['up', 'down'], 'move'], 'open', 'quit'])
 *   → ↑↓ move · enter open · q quit
 */
export function hintsFor(specs: readonly HintSpec[]): KeyHint[] {
	return specs.map((spec) => {
		const [actionOrActions, label] = typeof spec === 'string' ? [spec, KEY_LABELS[spec]] : spec;
		const actions: readonly KeyAction[] = typeof actionOrActions === 'string' ? [actionOrActions] : actionOrActions;
		const glyphs = actions.map((action) => keyLabel(KEYS[action][0]));
		const allArrows = glyphs.every((glyph) => ARROWS.has(glyph));
		return { key: glyphs.join(allArrows ? '' : '/'), label };
	});
}
