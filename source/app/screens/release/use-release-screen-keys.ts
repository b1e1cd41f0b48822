import { useEffect, useRef, useState } from 'react';
import { currentStage, nextEnvironment } from '../../../domain/release.js';
import type { StageId } from '../../../domain/types.js';
import { compatLines, type CompatChange } from '../../components/index.js';
import { useTextInput, type TextInputStateHook } from '../../components/text-input/index.js';
import { useKeyEvents } from '../../hooks/use-key-events.js';
import { TYPED_GUARD_MS, useTypedTextGuard } from '../../hooks/use-typed-text-guard.js';
import type { Phase, useReleaseSession } from '../../hooks/use-release-session.js';
import { KEYS, KEY_LABELS, actionFor, isTextKey, keyLabel, matchKey, type KeyEvent } from '../../keys.js';
import type { ReleaseScreenStateHook, ReleaseView } from './use-release-screen-state.js';

/** Phases in which something is in flight: keys are queued (a, s) or refused with a line saying so. */
export const IN_FLIGHT: Phase[] = ['connecting', 'working', 'submitting'];

/** A line under the screen about a key that could not act now (refused, queued); `until`: when it goes. */
export interface KeyNotice {
	text: string;
	until?: number;
}

export interface ReleaseScreenFields {
	signer: TextInputStateHook;
	/** Signing elsewhere: the signature pasted back. */
	signature: TextInputStateHook;
	/** The compatibility list's filter. */
	filter: TextInputStateHook;
	/** A waiver's written reason. */
	reason: TextInputStateHook;
}

export interface ReleaseScreenKeysOptions {
	session: ReturnType<typeof useReleaseSession>;
	ui: ReleaseScreenStateHook;
	fields: ReleaseScreenFields;
	/** What the body's scroll view measured last: its height and its content's. */
	page: { current: { height: number; content: number } };
	/** The forward-compatibility gate of this environment, when there is one. */
	compatGate: { evidence?: unknown } | undefined;
	/** Rows of the compatibility list. */
	compatHeight: number;
	waiverOffer: { offered: true } | { offered: false; reason: string };
	/** The environment's route takes several signers (`s` is offered). */
	isGovernance: boolean;
	onBack: () => void;
	onQuit: () => void;
	onNextEnvironment?: (() => void) | undefined;
}

/**
 * The release screen's keys: one handler for every view and phase, called one key at a time
 * (a chunk is split into the keys it is). Keys that cannot act now are refused or queued with a
 * visible line; none is dropped silently, and a typed word is never a sequence of hotkeys.
 */
export function useReleaseScreenKeys(options: ReleaseScreenKeysOptions): { keyNotice: KeyNotice | undefined } {
	const { session, ui, fields, page, compatGate, compatHeight, waiverOffer, isGovernance, onBack, onQuit, onNextEnvironment } = options;
	const { state } = session;
	const dispatch = ui.dispatch;
	const [keyNotice, setKeyNotice] = useState<KeyNotice | undefined>();
	const queued = useRef<'switchSigner' | 'next' | undefined>(undefined);
	const say = (text: string, ms?: number) => setKeyNotice({ text, ...(ms ? { until: Date.now() + ms } : {}) });
	const accept = (run: () => void) => {
		setKeyNotice(undefined);
		run();
	};
	const openView = (view: ReleaseView) => dispatch({ type: 'open', view });
	const scrollKey = (input: string, key: KeyEvent['key'], arrows: boolean): boolean => {
		const { height, content } = page.current;
		const max = content - height;
		const pageLines = Math.max(1, height - 1);
		if (matchKey(input, key, KEYS.pageDown) || (arrows && matchKey(input, key, KEYS.down))) {
			dispatch({ type: 'scroll', lines: matchKey(input, key, KEYS.pageDown) ? pageLines : 1, max });
			return true;
		}
		if (matchKey(input, key, KEYS.pageUp) || (arrows && matchKey(input, key, KEYS.up))) {
			dispatch({ type: 'scroll', lines: matchKey(input, key, KEYS.pageUp) ? -pageLines : -1, max });
			return true;
		}
		return false;
	};

	// Every text field takes a chunk as the keys it is: text, then enter; each backspace deletes one.
	const reasonKey = useTextInput(fields.reason, {
		onSubmit: (value) => {
			const text = value.trim();
			if (text.length >= 10) {
				void session.waive('forward-compatible', text);
				fields.reason.set('');
				dispatch({ type: 'return', view: 'stage' });
			}
		},
	});
	const filterKey = useTextInput(fields.filter, { onSubmit: () => dispatch({ type: 'filtering', on: false }) });
	const signerKey = useTextInput(fields.signer, {
		onSubmit: (value) => {
			const spec = value.trim();
			if (spec) void session.setSigner(spec);
		},
	});
	const signatureKey = useTextInput(fields.signature, {
		onSubmit: (value) => {
			if (!value.trim())
				return say('paste the signature first: its “Signature: 0x…” line, the hex, or the path of a PNG of Vault’s QR', 6000);
			// A signature that could be read is checked and sent; the field is emptied for the next one. What could not be read stays to be corrected.
			void session.submitSignature(value).then((taken) => {
				if (taken === 'checking') fields.signature.set('');
			});
		},
	});

	const switchSigner = () => {
		fields.signer.set('');
		session.switchSigner();
	};
	const typed = useTypedTextGuard((line) => say(line, TYPED_GUARD_MS));
	const refuseText = (events: readonly KeyEvent[]) =>
		typed.refuse(
			events,
			(text) =>
				`typed text ignored (${text}): no text field is open${isGovernance ? ' — to give another signer, press s first' : ''} · ? lists the keys`,
		);
	/** Done here, and the release travels on: a opens its next environment. */
	const goOn = (): boolean => {
		if (state.phase !== 'done' || !onNextEnvironment || !state.release || !state.envName) return false;
		const next = nextEnvironment(state.release);
		if (!next || next === state.envName) return false;
		onNextEnvironment();
		return true;
	};
	// A key queued while something was in flight is applied once it is done — or says why not.
	useEffect(() => {
		const action = queued.current;
		if (!action || IN_FLIGHT.includes(state.phase)) return;
		queued.current = undefined;
		const name = action === 'switchSigner' ? 's' : 'a';
		if (state.phase === 'confirm') {
			const who = state.prompt?.signerLabel ?? state.prompt?.signerAddress ?? 'this signer';
			say(`${name} was not applied: a signer prompt for ${who} opened meanwhile — read it: y signs, n cancels; then press ${name}`);
			return;
		}
		if (action === 'switchSigner' && ['waiting', 'ready', 'error'].includes(state.phase)) return accept(switchSigner);
		if (action === 'next' && goOn()) return;
		if (action === 'next' && ['ready', 'error', 'waiting', 'done'].includes(state.phase)) return accept(() => void session.advance());
		say(`${name} was not applied (${state.phase})`, 6000);
	});
	const stageIds = (): StageId[] =>
		(state.release && state.envName ? state.release.progress[state.envName]?.stages.map((st) => st.id) : undefined) ?? [];
	const activeStage = (): StageId =>
		(state.release && state.envName ? currentStage(state.release, state.envName)?.id : undefined) ?? 'soak';

	const onKey = (event: KeyEvent, events: readonly KeyEvent[]) => {
		const { input, key } = event;
		const ui$ = ui.current();
		const view = ui$.view;
		if (view === 'waive') {
			if (reasonKey(event)) return;
			if (key.escape) return dispatch({ type: 'return', view: 'compat' });
			return;
		}
		if (view === 'help') {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.help)) return openView(ui$.helpOf.view);
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			scrollKey(input, key, true);
			return;
		}
		if (view === 'compat-detail') {
			if (matchKey(input, key, KEYS.back)) return openView('compat');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'compat-detail' });
			scrollKey(input, key, true);
			return;
		}
		if (view === 'vault') {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.vault)) return openView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'vault' });
			return;
		}
		if (view === 'report') {
			if (matchKey(input, key, KEYS.report) || matchKey(input, key, KEYS.back)) return openView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'report' });
			scrollKey(input, key, true);
			return;
		}
		if (view === 'alignment') {
			if (matchKey(input, key, KEYS.alignment) || matchKey(input, key, KEYS.back)) return openView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'alignment' });
			scrollKey(input, key, true);
			return;
		}
		if (view === 'compat') {
			if (ui$.compat.filtering) {
				if (key.escape) return dispatch({ type: 'filtering', on: false });
				const before = fields.filter.current();
				if (filterKey(event) && fields.filter.current() !== before) dispatch({ type: 'compat-filtered' });
				return;
			}
			const changes = ((compatGate?.evidence as { changes?: CompatChange[] } | undefined)?.changes ?? []) as CompatChange[];
			const lines = compatLines(changes, fields.filter.current());
			const changeRows = lines.flatMap((l, i) => (l.kind === 'change' ? [i] : []));
			// The cursor moves over the changes; the list follows it.
			const moveTo = (index: number) => {
				const next = Math.max(0, Math.min(changeRows.length - 1, index));
				const row = changeRows[next] ?? 0;
				dispatch({
					type: 'compat-move',
					cursor: next,
					offset: (o) => (row < o + 1 ? Math.max(0, row - 1) : row >= o + compatHeight ? row - compatHeight + 1 : o),
				});
			};
			const cursor = ui$.compat.cursor;
			if (matchKey(input, key, KEYS.up)) return moveTo(cursor - 1);
			if (matchKey(input, key, KEYS.down)) return moveTo(cursor + 1);
			if (matchKey(input, key, KEYS.pageDown)) return moveTo(cursor + compatHeight);
			if (matchKey(input, key, KEYS.pageUp)) return moveTo(cursor - compatHeight);
			if (matchKey(input, key, KEYS.open) && changeRows.length > 0) return openView('compat-detail');
			if (matchKey(input, key, KEYS.filter)) return dispatch({ type: 'filtering', on: true });
			if (matchKey(input, key, KEYS.waive)) {
				if (waiverOffer.offered) return accept(() => dispatch({ type: 'return', view: 'waive' }));
				return say(`w: no waiver is offered — ${waiverOffer.reason}`, 8000);
			}
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.compat)) return dispatch({ type: 'return', view: 'stage' });
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return dispatch({ type: 'help', mode: 'compat' });
			return;
		}
		const phase = session.phaseRef.current;
		if (phase === 'signature-input') {
			// The signature field is open: text goes there; tab shows the Vault QR code (not inside a pasted chunk).
			if (matchKey(input, key, KEYS.vault) && !event.inChunk) return accept(() => openView('vault'));
			if (scrollKey(input, key, false)) return;
			if (signatureKey(event)) return;
			if (key.escape) return onBack();
			if (key.ctrl && input === 'c') return onQuit();
			return;
		}
		if (phase === 'signer-input') {
			// The signer field is open: text goes there. c opens the compatibility list while it is empty.
			if (matchKey(input, key, KEYS.compat) && compatGate && !event.inChunk && fields.signer.current() === '')
				return openView('compat');
			if (matchKey(input, key, KEYS.fieldRehearse)) return accept(() => void session.rehearse());
			if (matchKey(input, key, KEYS.fieldReport)) {
				if (state.rehearsal) return accept(() => openView('report'));
				return say('ctrl+o: no rehearsal in this session yet — ctrl+r rehearses the upgrade on a fork of this chain', 6000);
			}
			if (signerKey(event)) return;
			if (key.escape) return onBack();
			if (key.ctrl && input === 'c') return onQuit();
			return;
		}
		// No text field is open from here: a typed word is never a sequence of hotkeys.
		if (isTextKey(event) && event.inChunk) return refuseText(events);
		if (matchKey(input, key, KEYS.quit)) return onQuit();
		if (matchKey(input, key, KEYS.help))
			return accept(() => dispatch({ type: 'help', mode: phase === 'confirm' ? 'prompt' : 'release' }));
		// Reading, never acting: scroll the prompt or the stage, move between stages.
		if (phase === 'confirm' && scrollKey(input, key, true)) return;
		if (phase !== 'confirm') {
			if (scrollKey(input, key, false)) return;
			const stages = stageIds();
			const at = stages.indexOf(ui$.selectedStage ?? activeStage());
			if (matchKey(input, key, KEYS.up) || matchKey(input, key, KEYS.down)) {
				const next = stages[Math.max(0, Math.min(stages.length - 1, at + (matchKey(input, key, KEYS.up) ? -1 : 1)))];
				return dispatch({ type: 'select-stage', stage: next === activeStage() ? undefined : next });
			}
		}
		if (IN_FLIGHT.includes(phase)) {
			const activity = session.state.activity ?? (phase === 'connecting' ? 'connecting' : 'reading the chain');
			const queueable = actionFor(input, key, ['switchSigner', 'next', 'retry']);
			if (queueable && (queueable !== 'switchSigner' || isGovernance)) {
				queued.current = queueable === 'switchSigner' ? 'switchSigner' : 'next';
				return say(`queued: ${keyLabel(KEYS[queueable][0])} (${KEY_LABELS[queueable]}) — applied when ${activity} is done`);
			}
			if (
				isTextKey(event) &&
				!matchKey(input, key, KEYS.alignment) &&
				!matchKey(input, key, KEYS.compat) &&
				!matchKey(input, key, KEYS.report)
			) {
				// f or d pressed alone while busy is a key, not the start of a word: pressed again once the work is
				// done it applies (arming the typed-word guard here refused every press that came within 1.5 s).
				if (!actionFor(input, key, ['fastForward', 'rehearse'])) typed.arm();
				return say(`busy: ${activity}; ${input} was not applied — press it again when it is done`, 6000);
			}
			if (key.escape && phase === 'submitting')
				return say(`busy: ${activity}; esc was not applied — press it again when it is done (the extrinsic is on its way)`, 6000);
		}
		// A word typed key by key (//Dave): once a key was ignored, the rest of the word is too.
		if (typed.inWord(event)) return refuseText([event]);
		if (matchKey(input, key, KEYS.alignment) && phase !== 'confirm') return accept(() => openView('alignment'));
		if (matchKey(input, key, KEYS.compat) && compatGate && phase !== 'confirm') return accept(() => openView('compat'));
		if (matchKey(input, key, KEYS.report) && phase !== 'confirm') {
			if (session.state.rehearsal) return accept(() => openView('report'));
			return say('o: no rehearsal in this session yet — d rehearses the upgrade on a fork of this chain', 6000);
		}
		if (phase === 'confirm') {
			if (matchKey(input, key, KEYS.confirm) && state.prompt && state.prompt.refusals.length === 0)
				return accept(() => void session.confirm());
			if (matchKey(input, key, KEYS.cancel)) return accept(() => session.cancel());
		}
		if (IN_FLIGHT.includes(phase)) return;
		if (key.escape) return onBack();
		if (matchKey(input, key, KEYS.switchSigner) && isGovernance) {
			if (['waiting', 'ready', 'error'].includes(phase)) return accept(() => switchSigner());
			return say(
				phase === 'confirm'
					? 's: a signer prompt is open — read it: y signs, n cancels; then press s'
					: `s: no other signer is needed (${phase})`,
				6000,
			);
		}
		if (matchKey(input, key, KEYS.rehearse)) {
			if (['ready', 'waiting', 'error', 'done'].includes(phase)) return accept(() => void session.rehearse());
			return say(`d: a rehearsal on a fork starts when nothing else runs (${phase})`, 6000);
		}
		if (matchKey(input, key, KEYS.fastForward)) {
			if (phase === 'waiting' && state.pace?.embedded) return accept(() => void session.fastForward());
			return say('f: fast-forward builds blocks on an embedded chain while the release waits for blocks', 6000);
		}
		const action = actionFor(input, key, ['back', 'next', 'retry']);
		if (action === 'back') return onBack();
		if (action === 'next' || action === 'retry') {
			if (action === 'next' && goOn()) return;
			if (['ready', 'error', 'waiting', 'done'].includes(phase)) return accept(() => void session.advance());
			return say(phase === 'confirm' ? 'a: a signer prompt is open — y signs, n cancels' : `a: nothing to advance (${phase})`, 6000);
		}
		if (isTextKey(event)) return refuseText([event]);
	};
	useKeyEvents(onKey);
	return { keyNotice };
}
