import { useSyncedState } from '../hooks/use-synced-state.js';
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { Store } from '../../store/store.js';
import { useReleaseSession } from '../hooks/use-release-session.js';
import {
	ArtifactView,
	Banner,
	ChainPanel,
	SignerInput,
	TitledLines,
	signerName,
	Checklist,
	CompatView,
	GovernanceView,
	KeyHints,
	SignerPrompt,
	SoakView,
	TxProgress,
	VerifyView,
	GateTable,
	compatLines,
	type CompatChange,
	type CompatVerdicts,
} from '../components/index.js';
import { STAGE_INFO } from '../../domain/stages.js';
import { artifactFor, currentStage, nextEnvironment } from '../../domain/release.js';
import { evaluateSoak } from '../../domain/gates.js';
import { livenessAlarm } from '../../domain/enactment.js';
import { recoveryLines } from '../../domain/recovery.js';
import { compatWaiverOffer } from '../../domain/alignment.js';
import { KEYS, KEY_LABELS, actionFor, hintsFor, isTextKey, keyLabel, matchKey, type HintSpec, type KeyEvent, type Mode } from '../keys.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { ScrollView } from '../components/scroll-view/index.js';
import { ProgressBar } from '../components/progress-bar/index.js';
import { KeyHelp } from '../components/key-help/index.js';
import type { Phase } from '../hooks/use-release-session.js';
import { useKeyEvents } from '../hooks/use-key-events.js';
import { TextInput, useTextInput, useTextInputState } from '../components/text-input/index.js';
import { SignElsewhere, SignatureInput, signatureInputLines } from '../components/sign-elsewhere/index.js';
import type { EnvProgress, StageId } from '../../domain/types.js';

/** Phases in which something is in flight: keys are queued (a, s) or refused with a line saying so. */
const IN_FLIGHT: Phase[] = ['connecting', 'working', 'submitting'];
/** After a key was ignored as typed text, the rest of the word typed key by key is ignored too. */
const TYPED_GUARD_MS = 1500;

const TITLES = Object.fromEntries(Object.entries(STAGE_INFO).map(([id, info]) => [id, info.title])) as Record<StageId, string>;

export interface ReleaseScreenProps {
	store: Store;
	home: string;
	releaseId: string;
	demo?: boolean;
	onBack: () => void;
	onQuit: () => void;
	/** The environment is complete and the release goes on to its next one (a release of several chains): open that one. */
	onNextEnvironment?: () => void;
}

export function ReleaseScreen({ store, home, releaseId, demo, onBack, onQuit, onNextEnvironment }: ReleaseScreenProps) {
	const session = useReleaseSession({ store, home, releaseId, demo });
	const { state } = session;
	const [now, setNow] = useState(Date.now());
	// Keys can arrive faster than renders: each field's value is read at once after each key,
	// so enter always sees what was typed, not the last rendered value.
	const signerField = useTextInputState('');
	// Signing elsewhere: the signature pasted back.
	const signatureField = useTextInputState('');
	// The whole screen fits the terminal (rows − 1: a full-height frame would make Ink clear the screen each time).
	const { columns, rows } = useTerminalSize();
	const budget = rows ?? 24;
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, []);

	// Sub-views: the compatibility list (c) and the waiver reason (w).
	const [view, setView, viewRef] = useSyncedState<
		'stage' | 'compat' | 'compat-detail' | 'waive' | 'alignment' | 'help' | 'vault' | 'report'
	>('stage');
	// ? opens the key help of the mode it was pressed in; esc goes back there.
	const [helpOf, setHelpOf] = useState<{ mode: Mode; view: 'stage' | 'compat' | 'compat-detail' | 'alignment' | 'vault' | 'report' }>({
		mode: 'release',
		view: 'stage',
	});
	// ↑/↓ move between stages (any stage's details can be read after it is done); pgup/pgdn scroll what does not fit.
	const [selectedStage, setSelectedStage, selectedStageRef] = useSyncedState<StageId | undefined>(undefined);
	const [scroll, setScroll] = useSyncedState(0);
	const pageRef = useRef({ height: 10, content: 0 });
	const onMeasure = (m: { height: number; content: number }) => {
		pageRef.current = m;
	};
	const scrollBy = (lines: number) =>
		setScroll((o) => Math.max(0, Math.min(Math.max(0, pageRef.current.content - pageRef.current.height), o + lines)));
	const scrollKey = (input: string, key: KeyEvent['key'], arrows: boolean): boolean => {
		const page = Math.max(1, pageRef.current.height - 1);
		if (matchKey(input, key, KEYS.pageDown) || (arrows && matchKey(input, key, KEYS.down))) {
			scrollBy(matchKey(input, key, KEYS.pageDown) ? page : 1);
			return true;
		}
		if (matchKey(input, key, KEYS.pageUp) || (arrows && matchKey(input, key, KEYS.up))) {
			scrollBy(matchKey(input, key, KEYS.pageUp) ? -page : -1);
			return true;
		}
		return false;
	};
	const openView = (next: typeof view) => {
		setScroll(0);
		setView(next);
	};
	const openHelp = (mode: Mode) => {
		const from = viewRef.current;
		setHelpOf({ mode, view: from === 'waive' || from === 'help' ? 'stage' : from });
		openView('help');
	};
	const [compatCursor, setCompatCursor, compatCursorRef] = useSyncedState(0);
	// Sign-off verification needs the crypto wasm; the alignment view waits for it.
	// It is loaded on first use, so the first frame never waits for the crypto libraries.
	const [alignmentView, setAlignmentView] = useState<
		{ View: typeof import('../components/alignment-view/index.js').AlignmentView } | undefined
	>();
	useEffect(() => {
		if (view !== 'alignment' || alignmentView) return;
		void (async () => {
			const [{ cryptoWaitReady }, { AlignmentView }] = await Promise.all([
				import('@polkadot/util-crypto'),
				import('../components/alignment-view/index.js'),
			]);
			await cryptoWaitReady();
			setAlignmentView({ View: AlignmentView });
		})();
	}, [view, alignmentView]);
	// The Polkadot Vault QR code (QR encoder and all) loads on first use too.
	const [vaultView, setVaultView] = useState<
		{ View: typeof import('../components/sign-elsewhere/vault-view.js').VaultView } | undefined
	>();
	useEffect(() => {
		if (view !== 'vault' || vaultView) return;
		void import('../components/sign-elsewhere/vault-view.js').then(({ VaultView }) => setVaultView({ View: VaultView }));
	}, [view, vaultView]);
	const [compatOffset, setCompatOffset] = useSyncedState(0);
	const filterField = useTextInputState('');
	const [filtering, setFiltering, filteringRef] = useSyncedState(false);
	const reasonField = useTextInputState('');
	const compatGate = state.release?.gates.find((g) => g.id === 'forward-compatible' && g.env === state.envName);
	const compatHeight = Math.max(3, budget - 14);
	// w is offered only where the failing gate blocks something (not where it is advice, not on a complete environment).
	const envOfRelease = state.envName ? store.getEnvironment(state.envName) : undefined;
	const waiverOffer =
		state.release && envOfRelease
			? compatWaiverOffer(state.release, envOfRelease)
			: ({ offered: false, reason: 'no environment' } as const);

	// Demo: leave by itself a few seconds after the release completes.
	useEffect(() => {
		if (!demo || state.phase !== 'done') return;
		const timer = setTimeout(onQuit, 4000);
		return () => clearTimeout(timer);
	}, [demo, state.phase, onQuit]);

	// The handler is replaced on every render and called through a ref: a key
	// that arrives before React re-subscribes still sees the latest state.
	const routeOfEnv = state.envName ? store.getEnvironment(state.envName)?.route : undefined;
	const isGovernance = routeOfEnv !== undefined && routeOfEnv !== 'sudo';
	// Every text field takes a chunk as the keys it is: text, then enter; each backspace deletes one.
	const reasonKey = useTextInput(reasonField, {
		onSubmit: (value) => {
			const text = value.trim();
			if (text.length >= 10) {
				void session.waive('forward-compatible', text);
				reasonField.set('');
				setView('stage');
			}
		},
	});
	const filterKey = useTextInput(filterField, { onSubmit: () => setFiltering(false) });
	const signerKey = useTextInput(signerField, {
		onSubmit: (value) => {
			const spec = value.trim();
			if (spec) void session.setSigner(spec);
		},
	});
	const signatureKey = useTextInput(signatureField, {
		onSubmit: (value) => {
			if (!value.trim())
				return say('paste the signature first: its “Signature: 0x…” line, the hex, or the path of a PNG of Vault’s QR', 6000);
			// A signature that could be read is checked and sent; the field is emptied for the next one. What could not be read stays to be corrected.
			void session.submitSignature(value).then((taken) => {
				if (taken === 'checking') signatureField.set('');
			});
		},
	});
	// Keys that cannot act now are refused or queued with a visible line; none is dropped silently.
	const [keyNotice, setKeyNotice] = useState<{ text: string; until?: number } | undefined>();
	const lastIgnoredAt = useRef(0);
	const refusedChunk = useRef<readonly KeyEvent[] | undefined>(undefined);
	const queued = useRef<'switchSigner' | 'next' | undefined>(undefined);
	const say = (text: string, ms?: number) => setKeyNotice({ text, ...(ms ? { until: Date.now() + ms } : {}) });
	const accept = (run: () => void) => {
		setKeyNotice(undefined);
		run();
	};
	const switchSigner = () => {
		signerField.set('');
		session.switchSigner();
	};
	const refuseText = (events: readonly KeyEvent[]) => {
		// A word typed key by key: the keys after this one are part of it (a chunk came whole).
		if (events.length === 1) lastIgnoredAt.current = Date.now();
		if (refusedChunk.current === events) return;
		refusedChunk.current = events;
		const typed = events
			.filter(isTextKey)
			.map((e) => e.input)
			.join('');
		say(
			`typed text ignored (${JSON.stringify(typed)}): no text field is open${isGovernance ? ' — to give another signer, press s first' : ''} · ? lists the keys`,
			TYPED_GUARD_MS,
		);
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
	/** Done here, and the release travels on: a opens its next environment. */
	const goOn = (): boolean => {
		if (state.phase !== 'done' || !onNextEnvironment || !state.release || !state.envName) return false;
		const next = nextEnvironment(state.release);
		if (!next || next === state.envName) return false;
		onNextEnvironment();
		return true;
	};
	const stageIds = (): StageId[] =>
		(state.release && state.envName ? state.release.progress[state.envName]?.stages.map((st) => st.id) : undefined) ?? [];
	const activeStage = (): StageId =>
		(state.release && state.envName ? currentStage(state.release, state.envName)?.id : undefined) ?? 'soak';
	const onKey = (event: KeyEvent, events: readonly KeyEvent[]) => {
		const { input, key } = event;
		if (viewRef.current === 'waive') {
			if (reasonKey(event)) return;
			if (key.escape) return setView('compat');
			return;
		}
		if (viewRef.current === 'help') {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.help)) return openView(helpOf.view);
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			scrollKey(input, key, true);
			return;
		}
		if (viewRef.current === 'compat-detail') {
			if (matchKey(input, key, KEYS.back)) return openView('compat');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return openHelp('compat-detail');
			scrollKey(input, key, true);
			return;
		}
		if (viewRef.current === 'vault') {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.vault)) return openView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return openHelp('vault');
			return;
		}
		if (viewRef.current === 'report') {
			if (matchKey(input, key, KEYS.report) || matchKey(input, key, KEYS.back)) return openView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return openHelp('report');
			scrollKey(input, key, true);
			return;
		}
		if (viewRef.current === 'alignment') {
			if (matchKey(input, key, KEYS.alignment) || matchKey(input, key, KEYS.back)) return openView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return openHelp('alignment');
			scrollKey(input, key, true);
			return;
		}
		if (viewRef.current === 'compat') {
			if (filteringRef.current) {
				if (key.escape) return setFiltering(false);
				const before = filterField.current();
				if (filterKey(event) && filterField.current() !== before) {
					setCompatOffset(0);
					setCompatCursor(0);
				}
				return;
			}
			const changes = ((compatGate?.evidence as { changes?: CompatChange[] } | undefined)?.changes ?? []) as CompatChange[];
			const lines = compatLines(changes, filterField.current());
			const changeRows = lines.flatMap((l, i) => (l.kind === 'change' ? [i] : []));
			// The cursor moves over the changes; the list follows it.
			const moveTo = (index: number) => {
				const next = Math.max(0, Math.min(changeRows.length - 1, index));
				setCompatCursor(next);
				const row = changeRows[next] ?? 0;
				setCompatOffset((o) => (row < o + 1 ? Math.max(0, row - 1) : row >= o + compatHeight ? row - compatHeight + 1 : o));
			};
			if (matchKey(input, key, KEYS.up)) return moveTo(compatCursorRef.current - 1);
			if (matchKey(input, key, KEYS.down)) return moveTo(compatCursorRef.current + 1);
			if (matchKey(input, key, KEYS.pageDown)) return moveTo(compatCursorRef.current + compatHeight);
			if (matchKey(input, key, KEYS.pageUp)) return moveTo(compatCursorRef.current - compatHeight);
			if (matchKey(input, key, KEYS.open) && changeRows.length > 0) return openView('compat-detail');
			if (matchKey(input, key, KEYS.filter)) return setFiltering(true);
			if (matchKey(input, key, KEYS.waive)) {
				if (waiverOffer.offered) return accept(() => setView('waive'));
				return say(`w: no waiver is offered — ${waiverOffer.reason}`, 8000);
			}
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.compat)) return setView('stage');
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			if (matchKey(input, key, KEYS.help)) return openHelp('compat');
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
			if (matchKey(input, key, KEYS.compat) && compatGate && !event.inChunk && signerField.current() === '')
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
		if (matchKey(input, key, KEYS.help)) return accept(() => openHelp(phase === 'confirm' ? 'prompt' : 'release'));
		// Reading, never acting: scroll the prompt or the stage, move between stages.
		if (phase === 'confirm' && scrollKey(input, key, true)) return;
		if (phase !== 'confirm') {
			if (scrollKey(input, key, false)) return;
			const stages = stageIds();
			const at = stages.indexOf(selectedStageRef.current ?? activeStage());
			if (matchKey(input, key, KEYS.up) || matchKey(input, key, KEYS.down)) {
				const next = stages[Math.max(0, Math.min(stages.length - 1, at + (matchKey(input, key, KEYS.up) ? -1 : 1)))];
				setScroll(0);
				return setSelectedStage(next === activeStage() ? undefined : next);
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
				if (!actionFor(input, key, ['fastForward', 'rehearse'])) lastIgnoredAt.current = Date.now();
				return say(`busy: ${activity}; ${input} was not applied — press it again when it is done`, 6000);
			}
			if (key.escape && phase === 'submitting')
				return say(`busy: ${activity}; esc was not applied — press it again when it is done (the extrinsic is on its way)`, 6000);
		}
		// A word typed key by key (//Dave): once a key was ignored, the rest of the word is too.
		if (isTextKey(event) && Date.now() - lastIgnoredAt.current < TYPED_GUARD_MS) return refuseText([event]);
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

	const release = state.release;
	if (!release || !state.envName) return <Banner kind="error" title="No such release" lines={[releaseId]} />;
	const env = store.getEnvironment(state.envName);
	const progress = release.progress[state.envName]!;
	const active = currentStage(release, state.envName)?.id ?? 'soak';
	const shown = selectedStage && progress.stages.some((st) => st.id === selectedStage) ? selectedStage : active;
	const changes = ((compatGate?.evidence as { changes?: CompatChange[] } | undefined)?.changes ?? []) as CompatChange[];
	const compatRows = compatLines(changes, filterField.value).flatMap((l, i) => (l.kind === 'change' ? [i] : []));
	const cursorRow = compatRows[Math.min(compatCursor, compatRows.length - 1)];
	const hints: HintSpec[] =
		view === 'vault'
			? [['back', 'esc back'], ['help', 'keys'], 'quit']
			: view === 'help'
				? [[['up', 'down'], 'scroll'], ['back', 'esc back'], 'quit']
				: view === 'alignment' || view === 'compat-detail' || view === 'report'
					? [[['up', 'down'], 'scroll'], ['back', 'esc back'], ['help', 'keys'], 'quit']
					: view === 'compat'
						? [
								[['up', 'down'], 'move'],
								['open', 'details'],
								['filter', 'filter'],
								...(waiverOffer.offered ? [['waive', 'waive'] as HintSpec] : []),
								['back', 'esc back'],
								['help', 'keys'],
							]
						: view === 'waive'
							? [
									['submit', 'record'],
									['leave', 'back'],
								]
							: state.phase === 'confirm'
								? state.prompt && state.prompt.refusals.length > 0
									? [['cancel', 'cancel'], [['up', 'down'], 'scroll'], ['help', 'keys'], 'quit']
									: [
											['confirm', 'sign and submit'],
											['cancel', 'cancel'],
											[['up', 'down'], 'scroll'],
											['help', 'keys'],
											'quit',
										]
								: state.phase === 'signature-input'
									? [
											['submit', 'check and send the signature'],
											['vault', 'Vault QR'],
											[['pageUp', 'pageDown'], 'scroll'],
											['leave', 'back'],
										]
									: state.phase === 'signer-input'
										? [
												['fieldRehearse', 'rehearse on a fork'],
												...(state.rehearsal ? [['fieldReport', 'report'] as HintSpec] : []),
											]
										: [
												['next', 'advance'],
												...(state.phase === 'waiting' && state.pace?.embedded
													? [
															[
																'fastForward',
																state.waitUntil ? `to #${state.waitUntil}` : 'next block',
															] as HintSpec,
														]
													: []),
												[['up', 'down'], 'stages'],
												...(compatGate ? [['compat', 'compat'] as HintSpec] : []),
												...(isGovernance ? [['switchSigner', 'signer'] as HintSpec] : []),
												['alignment', 'gates'],
												...(state.rehearsal ? [['report', 'report'] as HintSpec] : []),
												['back', 'back'],
												['help', 'keys'],
												'quit',
											];

	// Lines the footer's message may take: what the header, the stage's minimum, the signer field and the keys leave.
	// While the signer field is open the stage says one thing (who must sign): a quarter of the screen is enough for it.
	const bodyMin = Math.max(3, Math.floor((budget - 1) / (state.phase === 'signer-input' ? 4 : 3)));
	const messageLines = Math.max(
		2,
		budget -
			1 -
			6 -
			(state.chainNotice ? state.chainNotice.length + 3 : 0) -
			bodyMin -
			1 -
			2 -
			(state.phase === 'signer-input' ? 5 : 0) -
			(state.phase === 'signature-input' ? signatureInputLines(signatureField.value, columns) : 0) -
			(keyNotice ? 1 : 0),
	);
	const body =
		view === 'help' ? (
			<ScrollView offset={scroll} onMeasure={onMeasure} keysHint="↑↓ pgup/pgdn scroll · esc back">
				<KeyHelp mode={helpOf.mode} />
			</ScrollView>
		) : view === 'report' && state.rehearsal ? (
			<ScrollView offset={scroll} onMeasure={onMeasure} keysHint="↑↓ pgup/pgdn scroll · esc back">
				<Text bold color={state.rehearsal.passed ? 'green' : 'red'}>
					{`Rehearsal on a fork: ${state.rehearsal.passed ? 'passed' : 'failed'} (${state.rehearsal.at.slice(11, 19)} UTC)`}
				</Text>
				{state.rehearsal.lines.map((line, i) => (
					<Text key={i}>{line === '' ? ' ' : line}</Text>
				))}
			</ScrollView>
		) : view === 'alignment' ? (
			alignmentView ? (
				<ScrollView offset={scroll} onMeasure={onMeasure} keysHint="↑↓ pgup/pgdn scroll · esc back">
					<alignmentView.View
						release={release}
						env={state.envName}
						envs={release.environments.map((name) => ({ name, kind: store.getEnvironment(name)?.kind ?? 'local' }))}
					/>
				</ScrollView>
			) : (
				<Text color="gray">loading…</Text>
			)
		) : view === 'compat-detail' && compatGate && cursorRow !== undefined ? (
			<ScrollView offset={scroll} onMeasure={onMeasure} keysHint="↑↓ pgup/pgdn scroll · esc back">
				<CompatDetail line={compatLines(changes, filterField.value)[cursorRow]!} />
			</ScrollView>
		) : view !== 'stage' && compatGate ? (
			<Box flexDirection="column">
				<CompatView
					from={String((compatGate.evidence as { from?: string })?.from ?? '?')}
					to={String((compatGate.evidence as { to?: string })?.to ?? '?')}
					verdicts={(compatGate.evidence as { verdicts: CompatVerdicts }).verdicts}
					counts={(compatGate.evidence as { counts: { total: number; breaking: number; additive: number } }).counts}
					changes={changes}
					height={compatHeight}
					offset={compatOffset}
					{...(cursorRow !== undefined && view === 'compat' ? { cursor: cursorRow } : {})}
					filter={filterField.value}
					filtering={filtering}
					waiver={compatGate.waiver}
				/>
				{view === 'waive' ? (
					<Box flexDirection="column">
						<Text>Why is shipping this acceptable? (at least 10 characters; recorded in the audit log)</Text>
						<TextInput prefix="> " value={reasonField.value} />
					</Box>
				) : null}
			</Box>
		) : state.phase === 'signature-input' && state.prompt && state.signing ? (
			// Signing elsewhere: the prompt (what is signed, why this key may) and then the exact bytes, full width; both scroll.
			<ScrollView offset={scroll} onMeasure={onMeasure} keysHint="pgup/pgdn scroll">
				<SignerPrompt model={state.prompt} phase="review" hints={false} />
				<SignElsewhere signing={state.signing} width={columns} />
			</ScrollView>
		) : state.phase === 'confirm' && state.prompt ? (
			// The prompt takes the full width: what is signed must be readable in one piece; it scrolls, the keys stay below.
			<ScrollView offset={scroll} onMeasure={onMeasure} keysHint="↑↓ pgup/pgdn scroll">
				<SignerPrompt model={state.prompt} phase="review" hints={false} />
			</ScrollView>
		) : (
			<Box flexDirection="row" flexGrow={1} flexShrink={1}>
				<Box flexDirection="column" width={28} marginRight={1} flexShrink={0}>
					<ScrollView offset={0} keepVisible={progress.stages.findIndex((st) => st.id === shown)} keysHint="↑↓">
						<Checklist stages={progress.stages} current={shown} titles={TITLES} details="current" />
					</ScrollView>
				</Box>
				<Box flexDirection="column" flexGrow={1} flexShrink={1}>
					{shown !== active ? (
						<Box flexShrink={0}>
							<Text color="gray" wrap="truncate-end">
								{`viewing ${TITLES[shown]} · the release is at ${TITLES[active]} · ↑↓ stages`}
							</Text>
						</Box>
					) : null}
					<ScrollView offset={scroll} onMeasure={onMeasure}>
						<StageBody
							stage={shown}
							viewing={shown !== active}
							session={session}
							storeEnvSoak={env?.soak}
							width={Math.max(30, columns - 31)}
							tall={budget >= 34}
							payloadLabel={env?.routeOptions?.payload ?? 'set-code'}
							carries={release.environments.filter((name) => store.getEnvironment(name)?.parachain?.relay === state.envName)}
						/>
					</ScrollView>
				</Box>
			</Box>
		);

	// The Vault QR code takes the whole screen (at 80×24 its frames need 20 lines): its title, the code, the keys.
	if (view === 'vault')
		return (
			<Box flexDirection="column" width="100%" {...(rows ? { height: rows - 1 } : {})}>
				<Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
					{!state.signing ? (
						<Text color="gray">no payload is handed out now · esc back</Text>
					) : vaultView ? (
						<vaultView.View signing={state.signing} />
					) : (
						<Text color="gray">loading…</Text>
					)}
				</Box>
				<Box flexShrink={0}>
					<KeyHints hints={hintsFor(hints)} />
				</Box>
			</Box>
		);

	return (
		<Box flexDirection="column" width="100%" {...(rows ? { height: rows - 1 } : {})}>
			<Box flexDirection="column" flexShrink={0}>
				<ChainPanel
					state={state.chain}
					now={now}
					envName={state.envName}
					envKind={env?.kind ?? '?'}
					{...(state.signer ? { signer: signerName(state.signer.label) } : {})}
					paced={state.pace?.paced ?? false}
				/>
				{state.chainNotice ? <Banner kind="warn" title="The chain does not show this release" lines={state.chainNotice} /> : null}
				<Box>
					<Box flexShrink={1}>
						<Text bold wrap="truncate-end">
							{release.name}
						</Text>
					</Box>
					<Box flexShrink={0} marginLeft={2}>
						<Text color="gray">{release.id}</Text>
					</Box>
				</Box>
			</Box>
			{/* The stage takes what the header and the footer leave (at least a third of the screen), and scrolls. */}
			<Box
				flexDirection="column"
				flexGrow={1}
				flexShrink={1}
				overflow="hidden"
				{...(rows ? { flexBasis: 0, minHeight: bodyMin } : {})}
			>
				{body}
			</Box>
			<Box flexDirection="column" flexShrink={0}>
				{state.phase === 'signer-input' && view !== 'report' ? (
					<Box flexShrink={0}>
						<SignerInput envName={state.envName} envKind={env?.kind} text={signerField.value} elsewhere />
					</Box>
				) : null}
				{state.phase === 'signature-input' ? (
					<Box flexShrink={0}>
						<SignatureInput text={signatureField.value} />
					</Box>
				) : null}
				{state.message && view !== 'report' ? (
					// On a short terminal the message gives up lines before the stage goes below a third of the screen.
					// The report view is the rehearsal message's whole form: it takes the message's room too.
					<Banner
						kind={state.message.kind}
						title={state.message.title}
						lines={state.message.lines}
						{...(rows ? { budget: { maxLines: messageLines, width: columns } } : {})}
					/>
				) : null}
				{state.phase === 'working' ? (
					<Box flexShrink={0}>
						{state.progress ? (
							<Box flexShrink={0} marginRight={1}>
								<ProgressBar value={state.progress.value} max={state.progress.max} width={12} />
								<Text color="cyan">
									{' '}
									{Math.min(state.progress.value, state.progress.max)}/{state.progress.max} {state.progress.unit}
								</Text>
							</Box>
						) : null}
						<Text color="cyan">working… {state.activity ?? 'reading the chain'}</Text>
					</Box>
				) : null}
				{keyNotice && (keyNotice.until === undefined || keyNotice.until > now) ? (
					<Box flexShrink={0}>
						<Text color="yellow" wrap="wrap">
							⚠ {keyNotice.text}
						</Text>
					</Box>
				) : null}
				<Box flexShrink={0}>
					<KeyHints hints={hintsFor(hints)} />
				</Box>
			</Box>
		</Box>
	);
}

/** One change of the compatibility list, whole. */
function CompatDetail({ line }: { line: ReturnType<typeof compatLines>[number] }) {
	if (line.kind !== 'change') return <Text>{line.text}</Text>;
	const c = line.change;
	return (
		<Box flexDirection="column">
			<Text bold color={c.severity === 'breaking' ? 'red' : 'green'}>
				{c.severity === 'breaking' ? '✖ breaking' : '+ additive'} change in {c.pallet}
			</Text>
			<Text>{`what:   ${c.kind} ${c.action}${c.item ? ` ${c.item}` : ''}`}</Text>
			<Text wrap="wrap">{`detail: ${c.detail}`}</Text>
		</Box>
	);
}

export { maskSigner } from '../components/signer-input/index.js';

function StageBody({
	stage,
	viewing,
	session,
	storeEnvSoak,
	width,
	tall,
	payloadLabel,
	carries,
}: {
	stage: StageId;
	/** Not the stage the release is at: read back after it was done (or ahead of it). */
	viewing?: boolean;
	session: ReturnType<typeof useReleaseSession>;
	storeEnvSoak?: { minBlocks: number; minSeconds: number; maxStallSeconds: number };
	width: number;
	tall: boolean;
	payloadLabel: string;
	/** The parachain environments of the release whose authorization this relay's upgrade carries. */
	carries: string[];
}) {
	const { state } = session;
	const release = state.release!;
	const envName = state.envName!;
	const progress = release.progress[envName]!;
	const gates = release.gates.filter((g) => g.env === envName);
	// The runtime this environment upgrades to (its own in a release of several chains).
	const artifact = artifactFor(release, envName);
	if (state.phase === 'submitting' && !viewing) return <TxProgress steps={state.txSteps} />;
	const stageProgress = progress.stages.find((st) => st.id === stage);
	if (viewing && stage === 'upgrade') {
		const upgrade = progress.upgrade;
		return (
			<Box flexDirection="column">
				<Text bold>
					{TITLES.upgrade} — {stageProgress?.status ?? 'pending'}
				</Text>
				{stageProgress?.detail ? <Text wrap="wrap">{stageProgress.detail}</Text> : null}
				{upgrade ? (
					<>
						<Text>{`block:     #${upgrade.blockNumber}`}</Text>
						<Text wrap="wrap">{`extrinsic: ${upgrade.extrinsicHash}`}</Text>
					</>
				) : null}
			</Box>
		);
	}
	switch (stage) {
		case 'artifact':
			return (
				<ArtifactView
					artifact={artifact}
					checks={gates
						.filter((g) => ['artifact-integrity', 'spec-name', 'spec-version', 'parachain', 'code-size'].includes(g.id))
						.map((g) => ({ label: g.id, status: g.status, detail: g.summary }))}
				/>
			);
		case 'preimage':
		case 'multisig':
		case 'council':
		case 'fast-track':
		case 'whitelist':
		case 'referendum':
		case 'enactment':
		case 'apply': {
			if (stage === 'apply' && progress.route === 'parachain')
				return <ParachainStageView stage={stage} progress={progress} session={session} />;
			const env = state.envName ? release.progress[envName] : undefined;
			return (
				<Box flexDirection="column">
					<GovernanceView
						stage={stage}
						progress={env?.stages.find((s) => s.id === stage)}
						gov={progress.gov}
						route={progress.route ?? 'sudo'}
						payload={progress.gov?.payload ?? payloadLabel}
						signer={state.signer}
						canSwitchSigner={state.phase === 'waiting' && state.message?.title.startsWith('Waiting for someone else') === true}
					/>
					{stage === 'enactment' && release.alignment?.recovery?.[envName] ? (
						<TitledLines
							title="recovery plan (if the new runtime stops the chain)"
							lines={recoveryLines(release.alignment.recovery[envName]!)}
						/>
					) : null}
					{state.txSteps.length > 0 ? <TxProgress steps={state.txSteps} /> : null}
				</Box>
			);
		}
		case 'authorize':
		case 'pending':
			return <ParachainStageView stage={stage} progress={progress} session={session} />;
		case 'upgrade':
			return (
				<Box flexDirection="column">
					<Text>
						Upgrade {artifact.specName} to spec {artifact.specVersion} with{' '}
						{progress.gov?.payload === 'authorize' || payloadLabel === 'authorize'
							? 'sudo.sudo(system.authorizeUpgrade(code hash)), then apply the code'
							: carries.length > 0
								? `sudo.sudoUncheckedWeight(utility.batchAll(system.setCode, an xcmPallet.send authorizing ${carries.join(', ')}))`
								: 'sudo.sudoUncheckedWeight(system.setCode)'}
					</Text>
					<Text color="gray">Press a to prepare the extrinsic: you will see exactly what is signed before anything is sent.</Text>
					{state.signer ? (
						<Text>
							signer: {state.signer.label} ({state.signer.address})
						</Text>
					) : null}
					{state.txSteps.length > 0 ? <TxProgress steps={state.txSteps} /> : null}
				</Box>
			);
		case 'verify': {
			const upgrade = progress.upgrade;
			return (
				<VerifyView
					rows={[
						{
							label: progress.route === 'parachain' ? 'ValidationFunctionApplied' : 'CodeUpdated',
							expected: `in block #${upgrade?.blockNumber ?? '?'}`,
							actual: progress.verified ? 'seen' : undefined,
							ok: progress.verified ? true : undefined,
						},
						{
							label: 'spec version',
							expected: String(artifact.specVersion),
							actual: state.chain.specVersion?.toString(),
							ok: state.chain.specVersion === undefined ? undefined : state.chain.specVersion === artifact.specVersion,
						},
						{
							label: 'code hash',
							expected: artifact.codeHash,
							actual: state.chain.codeHash,
							ok: state.chain.codeHash === undefined ? undefined : state.chain.codeHash === artifact.codeHash,
						},
					]}
				/>
			);
		}
		case 'soak': {
			const policy = storeEnvSoak ?? { minBlocks: 0, minSeconds: 0, maxStallSeconds: 60 };
			const soak = progress.soak;
			const evaluation = evaluateSoak(policy, soak, soak ? Date.parse(soak.lastBlockAt) : Date.now());
			return (
				<Box flexDirection="column">
					{progress.upgrade ? (
						<Text wrap="wrap">
							upgraded in block #{progress.upgrade.blockNumber}, extrinsic {progress.upgrade.extrinsicHash}
						</Text>
					) : null}
					<SoakView
						blocksDone={evaluation.blocksDone}
						minBlocks={policy.minBlocks}
						secondsDone={evaluation.secondsDone}
						minSeconds={policy.minSeconds}
						longestStallSeconds={soak?.longestStallSeconds ?? 0}
						maxStallSeconds={policy.maxStallSeconds}
						met={evaluation.met}
						stalled={evaluation.stalled}
						barWidth={width - 24}
					/>
					<Liveness session={session} maxStallSeconds={policy.maxStallSeconds} />
					{tall && gates.length > 0 ? <GateTable gates={gates} /> : null}
				</Box>
			);
		}
	}
}

/** A parachain's own stages: what the relay and the parachain show, the waiting made visible. */
function ParachainStageView({
	stage,
	progress,
	session,
}: {
	stage: 'authorize' | 'apply' | 'pending';
	progress: EnvProgress;
	session: ReturnType<typeof useReleaseSession>;
}) {
	const para = progress.gov?.para;
	const lines = [
		para?.sent ? `relay ${para.sent.relayEnv}: authorization sent in relay block #${para.sent.blockNumber}` : undefined,
		para?.authorizedAt !== undefined ? `UpgradeAuthorized seen at para block #${para.authorizedAt}` : undefined,
		para?.storedAt !== undefined ? `ValidationFunctionStored in para block #${para.storedAt}` : undefined,
		para?.appliedAt !== undefined
			? `ValidationFunctionApplied in para block #${para.appliedAt}${para.relayBlock !== undefined ? ` (relay block #${para.relayBlock})` : ''}`
			: undefined,
	].filter((l): l is string => l !== undefined);
	return (
		<Box flexDirection="column">
			<Text color="gray" wrap="wrap">
				{STAGE_INFO[stage].description}
			</Text>
			{lines.map((l) => (
				<Text key={l}>{l}</Text>
			))}
			{session.state.txSteps.length > 0 ? <TxProgress steps={session.state.txSteps} /> : null}
		</Box>
	);
}

/**
 * After enactment: if no block arrives within the soak's stall limit, raise the
 * alarm with the recovery plan on screen (the runtime this upgrade replaced and
 * how node operators put it back).
 */
function Liveness({ session, maxStallSeconds }: { session: ReturnType<typeof useReleaseSession>; maxStallSeconds: number }) {
	const { state } = session;
	const release = state.release!;
	const envName = state.envName!;
	const plan = release.alignment?.recovery?.[envName];
	const upgradeBlock = release.progress[envName]?.upgrade?.blockNumber;
	const lastBlockAt = state.chain.lastBlockAt;
	// The stall limit is the alarm threshold: 3 × (limit / 3) keeps livenessAlarm's "multiple of the block time" wording true.
	// A chain paced by the person makes no block until someone acts or asks: silence there is not a stall.
	const alarm =
		lastBlockAt !== undefined && !state.pace?.paced
			? livenessAlarm(lastBlockAt, Date.now(), (maxStallSeconds * 1000) / 3, 3)
			: undefined;
	if (!plan) return null;
	const lines = recoveryLines(plan, upgradeBlock);
	if (alarm?.alarm) return <Banner kind="error" title="Block production may have stopped" lines={[alarm.message, ...lines]} />;
	return (
		<Text color="gray" wrap="truncate-end">
			recovery plan: {lines[0]}
		</Text>
	);
}
