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
	/** `q` quits; `esc` never does (it means back). In a text field only ctrl+c quits (`interrupt`). */
	quit: ['q', 'ctrl+c'],
	interrupt: ['ctrl+c'],
	up: ['up', 'k'],
	down: ['down', 'j'],
	pageUp: ['pageup'],
	pageDown: ['pagedown'],
	/** Previous / next environment (review form) or conviction (vote amount). */
	left: ['left'],
	right: ['right'],
	/** Review form: next / previous field (no letters: the fields take text). */
	fieldNext: ['tab', 'down'],
	fieldPrev: ['up'],
	open: ['return'],
	/** Enter in a text field: use what was typed. */
	submit: ['return'],
	confirm: ['y'],
	/** The signer prompt: `n` or `esc` cancels (nothing is sent). */
	cancel: ['n', 'escape'],
	/** Back to where this view was opened from: `esc` means back on every screen. */
	back: ['b', 'escape'],
	/** In a text field: leave it (esc). */
	leave: ['escape'],
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
	/** Release screen, embedded chains: build blocks up to the next block where something can happen. */
	fastForward: ['f'],
	/** Release screen: dry-run the upgrade on a fork of the environment's chain. */
	rehearse: ['d'],
	/** Release screen: the last rehearsal's whole report, scrollable (and back). */
	report: ['o'],
	/** The same two while the signer field is open (no letters: the field takes text; what was typed stays). */
	fieldRehearse: ['ctrl+r'],
	fieldReport: ['ctrl+o'],
	/** Release screen: the alignment view (gates with evidence, notes, sign-offs, promotion, recovery plan). */
	alignment: ['g'],
	/** Signing elsewhere: the payload as a Polkadot Vault QR code, and back (no letter: the signature field takes text). */
	vault: ['tab'],
	/** Home: open review mode (check a proposed upgrade, then vote). */
	review: ['r'],
	/** Review screen: vote after the verdict; aye / nay; edit the form again. */
	vote: ['v'],
	voteAye: ['a'],
	voteNay: ['n'],
	edit: ['e'],
	/** Review screen: dry-run what the proposal enacts on a fork of the chain (nothing is sent to it). */
	dryRun: ['d'],
} as const satisfies Record<string, readonly string[]>;

export type KeyAction = keyof typeof KEYS;
export type KeyBinding = readonly string[];

/**
 * Where the keys are read. A binding is active only in the modes listed for it in
 * `KEY_MODES`; within one mode no key may be bound twice (test/unit checks it), and
 * text modes (a field is open) bind no printable key: there every character is text.
 */
export const MODES = [
	'home',
	'release',
	'prompt',
	'compat',
	'compat-detail',
	'alignment',
	'help',
	'review',
	'review-choose',
	/** The Polkadot Vault QR code of a payload to sign elsewhere. */
	'vault',
	/** The last rehearsal's whole report. */
	'report',
	// text fields
	'signer',
	/** A payload handed out to sign elsewhere: the field takes its signature back. */
	'signature',
	'filter',
	'waive',
	'review-form',
	'review-amount',
] as const;
export type Mode = (typeof MODES)[number];
export const TEXT_MODES: readonly Mode[] = ['signer', 'signature', 'filter', 'waive', 'review-form', 'review-amount'];

const VIEWS: Mode[] = [
	'home',
	'release',
	'prompt',
	'compat',
	'compat-detail',
	'alignment',
	'help',
	'review',
	'review-choose',
	'vault',
	'report',
];
const SCROLLS: Mode[] = ['release', 'prompt', 'compat', 'compat-detail', 'alignment', 'help', 'review', 'report'];

/** The modes each action is active in (a new binding must say where it works). */
export const KEY_MODES: Record<KeyAction, readonly Mode[]> = {
	quit: VIEWS,
	interrupt: TEXT_MODES,
	up: ['home', ...SCROLLS],
	down: ['home', ...SCROLLS],
	pageUp: [...SCROLLS, 'signature'],
	pageDown: [...SCROLLS, 'signature'],
	left: ['review-form', 'review-amount'],
	right: ['review-form', 'review-amount'],
	fieldNext: ['review-form'],
	fieldPrev: ['review-form'],
	open: ['home', 'compat'],
	submit: TEXT_MODES,
	confirm: ['prompt'],
	cancel: ['prompt'],
	back: ['release', 'compat', 'compat-detail', 'alignment', 'help', 'review', 'review-choose', 'vault', 'report'],
	leave: TEXT_MODES,
	next: ['release'],
	newSample: ['home'],
	retry: ['release', 'review'],
	waive: ['compat'],
	help: VIEWS,
	compat: ['release', 'compat'],
	filter: ['compat'],
	switchSigner: ['release'],
	fastForward: ['release'],
	rehearse: ['release'],
	report: ['release', 'report'],
	fieldRehearse: ['signer'],
	fieldReport: ['signer'],
	alignment: ['release', 'alignment'],
	vault: ['signature', 'vault'],
	review: ['home'],
	vote: ['review'],
	voteAye: ['review-choose'],
	voteNay: ['review-choose'],
	edit: ['review'],
	dryRun: ['review'],
};

/** Default hint labels, used when `hintsFor` is given a bare action (and by the key help). */
export const KEY_LABELS: Record<KeyAction, string> = {
	quit: 'quit',
	interrupt: 'quit',
	up: 'up',
	down: 'down',
	pageUp: 'page up',
	pageDown: 'page down',
	left: 'previous',
	right: 'next',
	fieldNext: 'next field',
	fieldPrev: 'previous field',
	open: 'open',
	submit: 'use what was typed',
	confirm: 'sign and submit',
	cancel: 'cancel',
	back: 'back',
	leave: 'leave the field',
	next: 'advance',
	newSample: 'new sample release',
	retry: 'retry',
	waive: 'waive gate',
	help: 'help',
	compat: 'compatibility',
	filter: 'filter',
	switchSigner: 'other signer',
	fastForward: 'fast-forward',
	rehearse: 'rehearse on a fork',
	report: 'rehearsal report',
	fieldRehearse: 'rehearse on a fork',
	fieldReport: 'rehearsal report',
	alignment: 'gates & sign-offs',
	vault: 'Vault QR',
	review: 'review a proposal',
	vote: 'vote',
	voteAye: 'aye',
	voteNay: 'nay',
	edit: 'edit',
	dryRun: 'dry-run',
};

/** What an action does in a given mode, when that differs from its default label. */
const MODE_LABELS: Partial<Record<Mode, Partial<Record<KeyAction, string>>>> = {
	home: { up: 'previous release', down: 'next release', open: 'open the release' },
	release: {
		up: 'previous stage (read its details)',
		down: 'next stage',
		pageUp: 'scroll the stage up',
		pageDown: 'scroll the stage down',
		next: 'advance: run the next step (nothing is signed without the prompt)',
		retry: 'advance (retry after an error)',
		back: 'back to the releases',
		compat: 'the forward-compatibility list',
		alignment: 'gates, notes, sign-offs, promotion',
		switchSigner: 'act as another signer (governance rehearsals)',
		fastForward: 'embedded chains: build blocks to the next one where something can happen',
		rehearse: 'dry-run the upgrade on a fork of this chain (nothing is sent to it)',
		report: "the last rehearsal's whole report: every chain, every block's events (it scrolls)",
	},
	prompt: { up: 'scroll up', down: 'scroll down', cancel: 'cancel (nothing is sent)' },
	compat: {
		up: 'previous change',
		down: 'next change',
		open: 'details of the change',
		waive: 'waive the gate with a written reason',
		compat: 'back',
	},
	'compat-detail': { up: 'scroll up', down: 'scroll down' },
	alignment: { up: 'scroll up', down: 'scroll down', alignment: 'back' },
	help: { up: 'scroll up', down: 'scroll down' },
	report: { up: 'scroll up', down: 'scroll down', report: 'back' },
	review: {
		up: 'scroll up',
		down: 'scroll down',
		retry: 'review again (fresh vote state)',
		edit: 'edit the form',
		dryRun: 'review again with a dry-run: what the proposal enacts, on a fork of the chain (nothing is sent to it)',
	},
	'review-form': { submit: 'run the review', left: 'previous environment', right: 'next environment', leave: 'back' },
	'review-amount': { submit: 'prepare the vote', left: 'lower conviction', right: 'higher conviction', leave: 'back' },
	signer: {
		submit: 'use this signer (a dev URI, env:VAR, a keystore path or external:ADDRESS to sign elsewhere; "… as ADDRESS" acts for that account as its proxy; "… sudo-as MEMBER", the sudo key for a member on a local chain)',
		leave: 'back',
		fieldRehearse: 'dry-run the upgrade on a fork of this chain (nothing is sent to it; the field keeps what was typed)',
		fieldReport: "the last rehearsal's whole report (it scrolls; esc comes back to the field)",
	},
	signature: {
		submit: 'check the signature pasted (Signature: 0x… line, hex, or the path of a PNG of Vault’s signature QR) and send it',
		leave: 'back to the releases (the payload stays handed out: give external:ADDRESS again to see it)',
		vault: 'show the payload as a Polkadot Vault QR code',
		pageUp: 'scroll the prompt and the payload up',
		pageDown: 'scroll the prompt and the payload down',
	},
	vault: { vault: 'back to the payload', back: 'back to the payload' },
	filter: { submit: 'done', leave: 'done' },
	waive: { submit: 'record the waiver', leave: 'back' },
};

/** The actions active in a mode, in table order. */
export function actionsIn(mode: Mode): KeyAction[] {
	return (Object.keys(KEYS) as KeyAction[]).filter((action) => KEY_MODES[action].includes(mode));
}

export interface HelpLine {
	keys: string;
	label: string;
}

/** The key help of a mode, generated from the table: every key of every active action. */
export function helpFor(mode: Mode): HelpLine[] {
	return actionsIn(mode).map((action) => ({
		keys: KEYS[action].map(keyLabel).join(' / '),
		label: MODE_LABELS[mode]?.[action] ?? KEY_LABELS[action],
	}));
}

/** Which action this key means in a mode (the table says which are active where). */
export function actionIn(mode: Mode, input: string, key: InkKey): KeyAction | undefined {
	return actionFor(input, key, actionsIn(mode));
}

/** One key of a chunk (see `splitKeys`). */
export interface KeyEvent {
	input: string;
	key: InkKey;
	/** Part of a chunk of several keys (a paste, fast typing, a loaded machine). */
	inChunk: boolean;
}

const SPECIAL: ReadonlyArray<keyof InkKey> = [
	'upArrow',
	'downArrow',
	'leftArrow',
	'rightArrow',
	'pageUp',
	'pageDown',
	'home',
	'end',
	'return',
	'escape',
	'tab',
	'backspace',
	'delete',
	'ctrl',
	'meta',
];

function isControl(ch: string): boolean {
	const code = ch.codePointAt(0) ?? 0;
	return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * The keys in one `useInput` call, in order. Ink hands a chunk that holds no escape
 * sequence to `useInput` whole (a paste, `//Alice\r` typed faster than it is read,
 * three backspaces): split it into the keys it is — each character, each enter
 * (`\r`, `\n`, `\r\n`), each backspace (`\x7f` or `\b`), each tab — and drop other
 * control characters, so none of them ever enters a value.
 */
export function splitKeys(input: string, key: InkKey): KeyEvent[] {
	const chars = [...input];
	if (SPECIAL.some((name) => key[name] === true)) return [{ input, key, inChunk: false }];
	if (chars.length <= 1) {
		if (input === '\n') return [{ input: '', key: { ...key, return: true }, inChunk: false }];
		if (input !== '' && isControl(input)) return [];
		return [{ input, key, inChunk: false }];
	}
	const events: KeyEvent[] = [];
	const push = (text: string, patch: Partial<InkKey> = {}) => events.push({ input: text, key: { ...key, ...patch }, inChunk: true });
	chars.forEach((ch, i) => {
		if (ch === '\r') push('', { return: true });
		else if (ch === '\n') {
			if (chars[i - 1] !== '\r') push('', { return: true });
		} else if (ch === '\x7f') push('', { delete: true });
		else if (ch === '\b') push('', { backspace: true });
		else if (ch === '\t') push('', { tab: true });
		else if (!isControl(ch)) push(ch, { shift: /[A-Z]/.test(ch) });
	});
	if (events.length === 1) events[0]!.inChunk = false;
	return events;
}

/** A printable character (text for a field), not a named key. */
export function isTextKey(event: KeyEvent): boolean {
	const { input, key } = event;
	return input !== '' && !key.ctrl && !key.meta && !SPECIAL.some((name) => key[name] === true) && !isControl(input);
}

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
