import { useSyncedState } from '../hooks/use-synced-state.js';
import { useEffect, useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import type { Store } from '../../store/store.js';
import { useReleaseSession } from '../hooks/use-release-session.js';
import {
	ArtifactView,
	Banner,
	ChainPanel,
	SignerInput,
	TitledLines,
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
import { currentStage } from '../../domain/release.js';
import { evaluateSoak } from '../../domain/gates.js';
import { livenessAlarm } from '../../domain/enactment.js';
import { recoveryLines } from '../../domain/recovery.js';
import { KEYS, actionFor, hintsFor, matchKey, type HintSpec, type KeyEvent } from '../keys.js';
import { useKeyEvents } from '../hooks/use-key-events.js';
import { TextInput, useTextInput, useTextInputState } from '../components/text-input/index.js';
import type { StageId } from '../../domain/types.js';

const TITLES = Object.fromEntries(Object.entries(STAGE_INFO).map(([id, info]) => [id, info.title])) as Record<StageId, string>;

export interface ReleaseScreenProps {
	store: Store;
	home: string;
	releaseId: string;
	demo?: boolean;
	onBack: () => void;
	onQuit: () => void;
}

export function ReleaseScreen({ store, home, releaseId, demo, onBack, onQuit }: ReleaseScreenProps) {
	const session = useReleaseSession({ store, home, releaseId, demo });
	const { state } = session;
	const [now, setNow] = useState(Date.now());
	// Keys can arrive faster than renders: each field's value is read at once after each key,
	// so enter always sees what was typed, not the last rendered value.
	const signerField = useTextInputState('');
	const { stdout } = useStdout();
	const columns = stdout?.columns || 80;
	const rows = stdout?.rows || 24;
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, []);

	// Sub-views: the compatibility list (c) and the waiver reason (w).
	const [view, setView, viewRef] = useSyncedState<'stage' | 'compat' | 'waive' | 'alignment'>('stage');
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
	const [compatOffset, setCompatOffset] = useSyncedState(0);
	const filterField = useTextInputState('');
	const [filtering, setFiltering, filteringRef] = useSyncedState(false);
	const reasonField = useTextInputState('');
	const compatGate = state.release?.gates.find((g) => g.id === 'forward-compatible' && g.env === state.envName);
	const compatHeight = Math.max(3, rows - 15);

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
	const onKey = (event: KeyEvent) => {
		const { input, key } = event;
		if (viewRef.current === 'waive') {
			if (reasonKey(event)) return;
			if (key.escape) return setView('compat');
			return;
		}
		if (viewRef.current === 'alignment') {
			if (key.escape || matchKey(input, key, KEYS.alignment) || matchKey(input, key, KEYS.back)) return setView('stage');
			if (matchKey(input, key, ['q'])) return onQuit();
			return;
		}
		if (viewRef.current === 'compat') {
			if (filteringRef.current) {
				if (key.escape) return setFiltering(false);
				const before = filterField.current();
				if (filterKey(event) && filterField.current() !== before) setCompatOffset(0);
				return;
			}
			const changes = ((compatGate?.evidence as { changes?: CompatChange[] } | undefined)?.changes ?? []) as CompatChange[];
			const total = compatLines(changes, filterField.current()).length;
			if (matchKey(input, key, KEYS.up)) return setCompatOffset((o) => Math.max(0, o - 1));
			if (matchKey(input, key, KEYS.down)) return setCompatOffset((o) => Math.min(Math.max(0, total - compatHeight), o + 1));
			if (key.pageDown || input === ' ') return setCompatOffset((o) => Math.min(Math.max(0, total - compatHeight), o + compatHeight));
			if (key.pageUp) return setCompatOffset((o) => Math.max(0, o - compatHeight));
			if (matchKey(input, key, KEYS.filter)) return setFiltering(true);
			if (matchKey(input, key, KEYS.waive) && compatGate?.status === 'fail') return setView('waive');
			if (key.escape || matchKey(input, key, KEYS.compat)) return setView('stage');
			if (matchKey(input, key, ['q'])) return onQuit();
			return;
		}
		if (matchKey(input, key, KEYS.alignment) && state.phase !== 'confirm' && state.phase !== 'signer-input')
			return setView('alignment');
		if (
			matchKey(input, key, KEYS.compat) &&
			compatGate &&
			state.phase !== 'confirm' &&
			(state.phase !== 'signer-input' || signerField.current() === '')
		)
			return setView('compat');
		if (state.phase === 'signer-input') {
			if (signerKey(event)) return;
			if (key.escape) return onBack();
			if (key.ctrl && input === 'c') return onQuit();
			return;
		}
		if (state.phase === 'confirm') {
			if (matchKey(input, key, KEYS.confirm) && state.prompt && state.prompt.refusals.length === 0) return void session.confirm();
			if (matchKey(input, key, KEYS.cancel)) return session.cancel();
		}
		if (key.escape) return onBack();
		if (matchKey(input, key, KEYS.switchSigner) && ['waiting', 'ready', 'error'].includes(state.phase) && isGovernance) {
			signerField.set('');
			return session.switchSigner();
		}
		const action = actionFor(input, key, ['quit', 'back', 'next', 'retry']);
		if (action === 'quit') return onQuit();
		if (action === 'back') return onBack();
		if ((action === 'next' || action === 'retry') && ['ready', 'error', 'waiting', 'done'].includes(state.phase))
			void session.advance();
	};
	useKeyEvents(onKey);

	const release = state.release;
	if (!release || !state.envName) return <Banner kind="error" title="No such release" lines={[releaseId]} />;
	const env = store.getEnvironment(state.envName);
	const progress = release.progress[state.envName]!;
	const active = currentStage(release, state.envName)?.id ?? 'soak';
	const hints: HintSpec[] =
		view === 'alignment'
			? [['back', 'esc back'], 'quit']
			: view === 'compat'
				? [
						[['up', 'down'], 'scroll'],
						['filter', 'filter'],
						...(compatGate?.status === 'fail' ? [['waive', 'waive'] as HintSpec] : []),
						['back', 'esc back'],
					]
				: view === 'waive'
					? []
					: state.phase === 'confirm'
						? state.prompt && state.prompt.refusals.length > 0
							? [['cancel', 'cancel'], 'quit']
							: [['confirm', 'sign and submit'], ['cancel', 'cancel'], 'quit']
						: state.phase === 'signer-input'
							? []
							: [
									['next', 'advance'],
									...(compatGate ? [['compat', 'compatibility'] as HintSpec] : []),
									...(isGovernance ? [['switchSigner', 'other signer'] as HintSpec] : []),
									['alignment', 'gates'],
									['back', 'releases'],
									'quit',
								];

	return (
		<Box flexDirection="column" width="100%">
			<ChainPanel state={state.chain} now={now} envName={state.envName} envKind={env?.kind ?? '?'} />
			{state.chainNotice ? <Banner kind="warn" title="The chain does not show this release" lines={state.chainNotice} /> : null}
			<Box>
				<Text bold>{release.name}</Text>
				<Text color="gray">{`  ${release.id}`}</Text>
			</Box>
			{view === 'alignment' ? (
				alignmentView ? (
					<alignmentView.View
						release={release}
						env={state.envName}
						envs={release.environments.map((name) => ({ name, kind: store.getEnvironment(name)?.kind ?? 'local' }))}
					/>
				) : (
					<Text color="gray">loading…</Text>
				)
			) : view !== 'stage' && compatGate ? (
				<Box flexDirection="column">
					<CompatView
						from={String((compatGate.evidence as { from?: string })?.from ?? '?')}
						to={String((compatGate.evidence as { to?: string })?.to ?? '?')}
						verdicts={(compatGate.evidence as { verdicts: CompatVerdicts }).verdicts}
						counts={(compatGate.evidence as { counts: { total: number; breaking: number; additive: number } }).counts}
						changes={((compatGate.evidence as { changes?: CompatChange[] }).changes ?? []) as CompatChange[]}
						height={compatHeight}
						offset={compatOffset}
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
			) : state.phase === 'confirm' && state.prompt ? (
				// The prompt takes the full width: what is signed must be readable in one piece.
				<SignerPrompt model={state.prompt} phase="review" />
			) : (
				<Box flexDirection="row">
					<Box flexDirection="column" width={28} marginRight={1} flexShrink={0}>
						<Checklist stages={progress.stages} current={active} titles={TITLES} />
					</Box>
					<Box flexDirection="column" flexGrow={1}>
						<StageBody
							stage={active}
							session={session}
							storeEnvSoak={env?.soak}
							width={Math.max(30, columns - 31)}
							tall={rows >= 34}
							payloadLabel={env?.routeOptions?.payload ?? 'set-code'}
						/>
					</Box>
				</Box>
			)}
			{state.phase === 'signer-input' ? <SignerInput envName={state.envName} envKind={env?.kind} text={signerField.value} /> : null}
			{state.message ? <Banner kind={state.message.kind} title={state.message.title} lines={state.message.lines} /> : null}
			{state.phase === 'working' ? <Text color="cyan">working… reading the chain</Text> : null}
			<KeyHints hints={hintsFor(hints)} />
		</Box>
	);
}

export { maskSigner } from '../components/signer-input/index.js';

function StageBody({
	stage,
	session,
	storeEnvSoak,
	width,
	tall,
	payloadLabel,
}: {
	stage: StageId;
	session: ReturnType<typeof useReleaseSession>;
	storeEnvSoak?: { minBlocks: number; minSeconds: number; maxStallSeconds: number };
	width: number;
	tall: boolean;
	payloadLabel: string;
}) {
	const { state } = session;
	const release = state.release!;
	const envName = state.envName!;
	const progress = release.progress[envName]!;
	const gates = release.gates.filter((g) => g.env === envName);
	if (state.phase === 'submitting') return <TxProgress steps={state.txSteps} />;
	switch (stage) {
		case 'artifact':
			return (
				<ArtifactView
					artifact={release.artifact}
					checks={gates
						.filter((g) => ['artifact-integrity', 'spec-name', 'spec-version'].includes(g.id))
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
		case 'upgrade':
			return (
				<Box flexDirection="column">
					<Text>
						Upgrade {release.artifact.specName} to spec {release.artifact.specVersion} with{' '}
						{progress.gov?.payload === 'authorize' || payloadLabel === 'authorize'
							? 'sudo.sudo(system.authorizeUpgrade(code hash)), then apply the code'
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
							label: 'CodeUpdated',
							expected: `in block #${upgrade?.blockNumber ?? '?'}`,
							actual: progress.verified ? 'seen' : undefined,
							ok: progress.verified ? true : undefined,
						},
						{
							label: 'spec version',
							expected: String(release.artifact.specVersion),
							actual: state.chain.specVersion?.toString(),
							ok:
								state.chain.specVersion === undefined
									? undefined
									: state.chain.specVersion === release.artifact.specVersion,
						},
						{
							label: 'code hash',
							expected: release.artifact.codeHash,
							actual: state.chain.codeHash,
							ok: state.chain.codeHash === undefined ? undefined : state.chain.codeHash === release.artifact.codeHash,
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
						<Text wrap="truncate-end">
							upgraded in block #{progress.upgrade.blockNumber}, extrinsic {progress.upgrade.extrinsicHash.slice(0, 12)}…
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
	const alarm = lastBlockAt !== undefined ? livenessAlarm(lastBlockAt, Date.now(), (maxStallSeconds * 1000) / 3, 3) : undefined;
	if (!plan) return null;
	const lines = recoveryLines(plan, upgradeBlock);
	if (alarm?.alarm) return <Banner kind="error" title="Block production may have stopped" lines={[alarm.message, ...lines]} />;
	return (
		<Text color="gray" wrap="truncate-end">
			recovery plan: {lines[0]}
		</Text>
	);
}
