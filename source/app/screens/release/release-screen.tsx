import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { Store } from '../../../store/store.js';
import { useReleaseSession } from '../../hooks/use-release-session.js';
import {
	Banner,
	ChainPanel,
	SignerInput,
	signerName,
	Checklist,
	CompatView,
	KeyHints,
	SignerPrompt,
	compatLines,
	type CompatChange,
	type CompatVerdicts,
} from '../../components/index.js';
import { currentStage } from '../../../domain/release.js';
import { compatWaiverOffer } from '../../../domain/alignment.js';
import { hintsFor } from '../../keys.js';
import { useTerminalSize } from '../../hooks/use-terminal-size.js';
import { ScrollView } from '../../components/scroll-view/index.js';
import { ScreenBody } from '../../components/screen-body/index.js';
import { ProgressBar } from '../../components/progress-bar/index.js';
import { KeyHelp } from '../../components/key-help/index.js';
import { TextInput, useTextInputState } from '../../components/text-input/index.js';
import { SignElsewhere, SignatureInput, signatureInputLines } from '../../components/sign-elsewhere/index.js';
import { useReleaseScreenState } from './use-release-screen-state.js';
import { useReleaseScreenKeys } from './use-release-screen-keys.js';
import { releaseHints } from './hints.js';
import { CompatDetail, StageBody, TITLES } from './stage-body.js';

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

/**
 * One release on one environment: the checklist of its stages, the chain panel, the stage's
 * details, the signer field and prompt, and the views opened from it (compatibility list,
 * alignment, rehearsal report, Vault QR, key help). The session (`useReleaseSession`) holds the
 * release's state; `useReleaseScreenState` what this screen shows; `useReleaseScreenKeys` the keys.
 */
export function ReleaseScreen({ store, home, releaseId, demo, onBack, onQuit, onNextEnvironment }: ReleaseScreenProps) {
	const session = useReleaseSession({ store, home, releaseId, demo });
	const { state } = session;
	const [now, setNow] = useState(Date.now());
	// Keys can arrive faster than renders: each field's value is read at once after each key,
	// so enter always sees what was typed, not the last rendered value.
	const signerField = useTextInputState('');
	// Signing elsewhere: the signature pasted back.
	const signatureField = useTextInputState('');
	const filterField = useTextInputState('');
	const reasonField = useTextInputState('');
	// The whole screen fits the terminal (rows − 1: a full-height frame would make Ink clear the screen each time).
	const { columns, rows } = useTerminalSize();
	const budget = rows ?? 24;
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, []);

	const ui = useReleaseScreenState();
	const { view, helpOf, scroll, selectedStage } = ui.state;
	const { cursor: compatCursor, offset: compatOffset, filtering } = ui.state.compat;
	// What the body's scroll view measured last: pgup/pgdn and ↑/↓ scroll within it.
	const pageRef = useRef({ height: 10, content: 0 });
	const onMeasure = (m: { height: number; content: number }) => {
		pageRef.current = m;
	};
	// Sign-off verification needs the crypto wasm; the alignment view waits for it.
	// It is loaded on first use, so the first frame never waits for the crypto libraries.
	const [alignmentView, setAlignmentView] = useState<
		{ View: typeof import('../../components/alignment-view/index.js').AlignmentView } | undefined
	>();
	useEffect(() => {
		if (view !== 'alignment' || alignmentView) return;
		void (async () => {
			const [{ cryptoWaitReady }, { AlignmentView }] = await Promise.all([
				import('@polkadot/util-crypto'),
				import('../../components/alignment-view/index.js'),
			]);
			await cryptoWaitReady();
			setAlignmentView({ View: AlignmentView });
		})();
	}, [view, alignmentView]);
	// The Polkadot Vault QR code (QR encoder and all) loads on first use too.
	const [vaultView, setVaultView] = useState<
		{ View: typeof import('../../components/sign-elsewhere/vault-view.js').VaultView } | undefined
	>();
	useEffect(() => {
		if (view !== 'vault' || vaultView) return;
		void import('../../components/sign-elsewhere/vault-view.js').then(({ VaultView }) => setVaultView({ View: VaultView }));
	}, [view, vaultView]);
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

	const routeOfEnv = state.envName ? store.getEnvironment(state.envName)?.route : undefined;
	const isGovernance = routeOfEnv !== undefined && routeOfEnv !== 'sudo';
	const { keyNotice } = useReleaseScreenKeys({
		session,
		ui,
		fields: { signer: signerField, signature: signatureField, filter: filterField, reason: reasonField },
		page: pageRef,
		compatGate,
		compatHeight,
		waiverOffer,
		isGovernance,
		onBack,
		onQuit,
		onNextEnvironment,
	});

	const release = state.release;
	if (!release || !state.envName) return <Banner kind="error" title="No such release" lines={[releaseId]} />;
	const env = store.getEnvironment(state.envName);
	const progress = release.progress[state.envName]!;
	const active = currentStage(release, state.envName)?.id ?? 'soak';
	const shown = selectedStage && progress.stages.some((st) => st.id === selectedStage) ? selectedStage : active;
	const changes = ((compatGate?.evidence as { changes?: CompatChange[] } | undefined)?.changes ?? []) as CompatChange[];
	const compatRows = compatLines(changes, filterField.value).flatMap((l, i) => (l.kind === 'change' ? [i] : []));
	const cursorRow = compatRows[Math.min(compatCursor, compatRows.length - 1)];
	const hints = releaseHints({
		view,
		phase: state.phase,
		promptRefused: (state.prompt?.refusals.length ?? 0) > 0,
		rehearsed: state.rehearsal !== undefined,
		fastForward: state.phase === 'waiting' && state.pace?.embedded ? { waitUntil: state.waitUntil } : undefined,
		compat: compatGate !== undefined,
		waiverOffered: waiverOffer.offered,
		isGovernance,
	});

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
			<ScreenBody fits={rows !== undefined} minHeight={bodyMin}>
				{body}
			</ScreenBody>
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
