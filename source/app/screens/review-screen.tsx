/**
 * Review mode in the console: pick an environment and a target (typed), and
 * optionally the wasm you built; see the verdict first, then the details and
 * the live vote; then, and only then, vote — through the signer prompt.
 * No release is needed.
 */
import { useSyncedState } from '../hooks/use-synced-state.js';
import { useEffect, useRef, useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import type { Store } from '../../store/store.js';
import type { Connection } from '../../chain/connect.js';
import type { Environment } from '../../domain/types.js';
import type { SignerPromptModel } from '../../chain/types.js';
import type { ReviewRun } from '../../review/review.js';
import type { PreparedVote, VoteOutcome, VoteSigner } from '../../review/vote.js';
import { CONVICTIONS, type Conviction } from '../../review/types.js';
import { ReviewInputError, parseBalance, parseTargetText } from '../../review/target.js';
import { detailLines, voteStateLines, type Token } from '../../review/format.js';
import { Banner } from '../components/banner/index.js';
import { KeyHints } from '../components/key-hints/index.js';
import { SignerPrompt } from '../components/signer-prompt/index.js';
import { ReviewVerdict } from '../components/review-verdict/index.js';
import { ReviewDetails } from '../components/review-details/index.js';
import { KEYS, hintsFor, isTextKey, matchKey, type HintSpec, type KeyEvent } from '../keys.js';
import { useKeyEvents } from '../hooks/use-key-events.js';
import { TextInput, applyTextKey, useTextInputState, type TextInputStateHook } from '../components/text-input/index.js';
import { colors, symbols } from '../theme.js';
import { trackCleanup } from '../cleanup.js';
import { SignerInput } from '../components/signer-input/index.js';

export interface ReviewScreenProps {
	store: Store;
	home: string;
	onBack: () => void;
	onQuit: () => void;
}

type Phase = 'form' | 'loading' | 'report' | 'choose' | 'signer' | 'amount' | 'preparing' | 'confirm' | 'submitting' | 'voted';
type Field = 'env' | 'target' | 'wasm';
const FIELDS: Field[] = ['env', 'target', 'wasm'];

interface Message {
	kind: 'info' | 'warn' | 'error' | 'success';
	title: string;
	lines: string[];
}

export function ReviewScreen({ store, home, onBack, onQuit }: ReviewScreenProps) {
	const envs = store.listEnvironments();
	const { stdout } = useStdout();
	const rows = stdout?.rows || 24;
	const [phase, setPhase, phaseRef] = useSyncedState<Phase>('form');
	const [field, setField, fieldRef] = useSyncedState<Field>('target');
	const [envIndex, setEnvIndex, envIndexRef] = useSyncedState(0);
	// The text fields: each value is read at once after each key (keys arrive faster than renders).
	const targetField = useTextInputState('');
	const wasmField = useTextInputState('');
	const signerField = useTextInputState('');
	const amountField = useTextInputState('');
	const [conviction, setConviction, convictionRef] = useSyncedState<Conviction>('Locked1x');
	const [aye, setAye, ayeRef] = useSyncedState(true);
	const [message, setMessage] = useState<Message | undefined>();
	const [progress, setProgress] = useState('');
	const [run, setRun, runRef] = useSyncedState<ReviewRun | undefined>(undefined);
	const [token, setToken] = useState<Token>({ decimals: 12, symbol: 'UNIT' });
	const [prepared, setPrepared, preparedRef] = useSyncedState<PreparedVote | undefined>(undefined);
	const [txSteps, setTxSteps] = useState<string[]>([]);
	const [outcome, setOutcome] = useState<VoteOutcome | undefined>();
	const connection = useRef<{ env: string; connection: Connection } | undefined>(undefined);
	const signer = useRef<VoteSigner | undefined>(undefined);

	useEffect(
		() => () => {
			if (connection.current) trackCleanup(connection.current.connection.disconnect());
			connection.current = undefined;
		},
		[],
	);

	const env = (): Environment | undefined => envs[envIndexRef.current];

	async function connect(e: Environment): Promise<Connection> {
		if (connection.current?.env === e.name) return connection.current.connection;
		if (connection.current) trackCleanup(connection.current.connection.disconnect());
		connection.current = undefined;
		const [{ connectEnvironment }, { embeddedResolver }] = await Promise.all([
			import('../../chain/connect.js'),
			import('../../engine/session.js'),
		]);
		const c = await connectEnvironment(e, { resolveEmbedded: embeddedResolver(home), timeoutMs: 10_000 });
		connection.current = { env: e.name, connection: c };
		return c;
	}

	async function review(): Promise<void> {
		const e = env();
		if (!e) {
			setMessage({
				kind: 'error',
				title: 'No environment',
				lines: ['add one first: release-console env add NAME --endpoint ws://… --kind local|testnet|production --route …'],
			});
			return;
		}
		let t;
		try {
			t = parseTargetText(targetField.current());
		} catch (error) {
			const err = error as ReviewInputError;
			setMessage({ kind: 'error', title: err.message, lines: err.hint ? [err.hint] : [] });
			setField('target');
			return;
		}
		setMessage(undefined);
		setPhase('loading');
		setProgress(`connecting to ${e.name}…`);
		try {
			const c = await connect(e);
			const { runReview } = await import('../../review/review.js');
			const result = await runReview(c.api, e, c.endpoint, t, {
				wasmPath: wasmField.current().trim() || undefined,
				reviewer: signer.current?.address,
				onProgress: setProgress,
			});
			setToken({ decimals: c.api.registry.chainDecimals[0] ?? 12, symbol: c.api.registry.chainTokens[0] ?? 'UNIT' });
			setRun(result);
			setPhase('report');
		} catch (error) {
			const err = error as Error & { hint?: string };
			setMessage({ kind: 'error', title: err.message, lines: err.hint ? [`what to do: ${err.hint}`] : [] });
			setPhase('form');
		}
	}

	async function applySigner(): Promise<void> {
		const e = env()!;
		const spec = signerField.current().trim();
		if (!spec) return;
		try {
			const { resolveSigner } = await import('../../signer/signer.js');
			const resolved = await resolveSigner({
				spec,
				envKind: e.kind,
				envName: e.name,
				password: process.env.RELEASE_CONSOLE_PASSWORD,
			});
			signer.current = { pair: resolved.pair, address: resolved.address, label: resolved.label };
			setMessage(undefined);
			const state = runRef.current?.report.voteState;
			if (state?.kind === 'democracy' || state?.kind === 'opengov') setPhase('amount');
			else await prepare();
		} catch (error) {
			const err = error as Error & { hint?: string };
			setMessage({ kind: 'error', title: err.message, lines: err.hint ? [err.hint] : [] });
		}
	}

	async function prepare(): Promise<void> {
		const e = env()!;
		const r = runRef.current!;
		let balance: bigint | undefined;
		if (phaseRef.current === 'amount') {
			try {
				balance = parseBalance(amountField.current(), token.decimals, token.symbol);
			} catch (error) {
				const err = error as ReviewInputError;
				setMessage({ kind: 'error', title: err.message, lines: err.hint ? [err.hint] : [] });
				return;
			}
		}
		setPhase('preparing');
		try {
			const c = await connect(e);
			const { prepareVote } = await import('../../review/vote.js');
			const p = await prepareVote(c.api, e, r.report, r.chain.resolved, signer.current!, {
				aye: ayeRef.current,
				conviction: convictionRef.current,
				...(balance !== undefined ? { balance } : {}),
			});
			setPrepared(p);
			setPhase('confirm');
		} catch (error) {
			setMessage({ kind: 'error', title: `could not prepare the vote: ${(error as Error).message}`, lines: [] });
			setPhase('report');
		}
	}

	async function submit(): Promise<void> {
		const p = preparedRef.current;
		if (!p || p.prompt.refusals.length > 0) return;
		setPhase('submitting');
		setTxSteps([]);
		const result = await p
			.submit((step, detail) => setTxSteps((s) => [...s, `${step}${detail ? ` ${detail}` : ''}`]))
			.catch((error: unknown): VoteOutcome => ({ status: 'failed', error: (error as Error).message }));
		setOutcome(result);
		setPhase('voted');
	}

	const onKey = (event: KeyEvent) => {
		const { input, key } = event;
		const p = phaseRef.current;
		if (key.ctrl && input === 'c') return onQuit();
		// A text field takes characters and backspaces; enter is handled by the phase below.
		const text = (field: TextInputStateHook) => {
			if (!key.return) applyTextKey(field, event, {});
		};
		if (p === 'form') {
			if (key.escape) return onBack();
			if (matchKey(input, key, KEYS.submit)) return void review();
			if (key.tab || key.downArrow) return setField((f) => FIELDS[(FIELDS.indexOf(f) + 1) % FIELDS.length]!);
			if (key.upArrow) return setField((f) => FIELDS[(FIELDS.indexOf(f) + FIELDS.length - 1) % FIELDS.length]!);
			const f = fieldRef.current;
			if (f === 'env') {
				if (key.leftArrow) return setEnvIndex((i) => (i + envs.length - 1) % Math.max(1, envs.length));
				if (key.rightArrow || input === ' ') return setEnvIndex((i) => (i + 1) % Math.max(1, envs.length));
				return;
			}
			return text(f === 'target' ? targetField : wasmField);
		}
		if (p === 'loading' || p === 'preparing' || p === 'submitting') {
			if (!matchKey(input, key, KEYS.quit))
				setMessage({ kind: 'warn', title: `busy: ${p}`, lines: ['that key was not applied — press it again when this is done'] });
			return;
		}
		// Outside a text field a typed word is never a sequence of keys (a y or an a inside it must not sign or vote).
		if (p !== 'signer' && p !== 'amount' && isTextKey(event) && event.inChunk) {
			return setMessage({
				kind: 'warn',
				title: 'typed text ignored',
				lines: ['no text field is open here: keys are single letters (see the line at the bottom)'],
			});
		}
		if (p === 'signer') {
			if (key.escape) return setPhase('report');
			if (matchKey(input, key, KEYS.submit)) return void applySigner();
			return text(signerField);
		}
		if (p === 'amount') {
			if (key.escape) return setPhase('report');
			if (matchKey(input, key, KEYS.submit)) return void prepare();
			if (key.leftArrow || key.rightArrow) {
				const i = CONVICTIONS.indexOf(convictionRef.current) + (key.rightArrow ? 1 : -1);
				return setConviction(CONVICTIONS[Math.min(CONVICTIONS.length - 1, Math.max(0, i))]!);
			}
			return text(amountField);
		}
		if (p === 'confirm') {
			if (matchKey(input, key, KEYS.confirm)) return void submit();
			if (matchKey(input, key, KEYS.cancel)) {
				setPrepared(undefined);
				return setPhase('report');
			}
			return;
		}
		if (p === 'choose') {
			if (matchKey(input, key, KEYS.voteAye) || matchKey(input, key, KEYS.voteNay)) {
				setAye(matchKey(input, key, KEYS.voteAye));
				if (signer.current) {
					const state = runRef.current?.report.voteState;
					return state?.kind === 'democracy' || state?.kind === 'opengov' ? setPhase('amount') : void prepare();
				}
				return setPhase('signer');
			}
			if (key.escape || matchKey(input, key, KEYS.back)) return setPhase('report');
			return;
		}
		// report / voted
		if (matchKey(input, key, KEYS.quit) && !key.escape) return onQuit();
		if (key.escape || matchKey(input, key, KEYS.back)) return onBack();
		if (matchKey(input, key, KEYS.edit)) return setPhase('form');
		if (matchKey(input, key, KEYS.retry)) return void review();
		if (p === 'report' && matchKey(input, key, KEYS.vote)) {
			const r = runRef.current;
			if (!r) return;
			if (r.report.verdict.verdict === 'blocked')
				return setMessage({
					kind: 'error',
					title: 'No vote is offered',
					lines: ['the review found a blocking problem: it must be fixed on chain first'],
				});
			if (r.report.voteState.kind === 'none')
				return setMessage({ kind: 'warn', title: 'Nothing to vote on', lines: [r.report.voteState.reason] });
			setMessage(undefined);
			setOutcome(undefined);
			return setPhase('choose');
		}
	};
	useKeyEvents(onKey);

	const e = envs[envIndex];
	const report = run?.report;
	const canVote = report && report.verdict.verdict !== 'blocked' && report.voteState.kind !== 'none';
	const hints: HintSpec[] =
		phase === 'form'
			? []
			: phase === 'report' || phase === 'voted'
				? [
						...(phase === 'report' && canVote ? [['vote', 'vote'] as HintSpec] : []),
						['retry', 'review again'],
						['edit', 'edit'],
						['back', 'back'],
						'quit',
					]
				: phase === 'choose'
					? [
							['voteAye', 'aye'],
							['voteNay', 'nay'],
							['back', 'esc back'],
						]
					: phase === 'confirm'
						? prepared && prepared.prompt.refusals.length > 0
							? [['cancel', 'cancel']]
							: [
									['confirm', 'sign and submit'],
									['cancel', 'cancel'],
								]
						: [];

	return (
		<Box flexDirection="column" width="100%">
			<Box borderStyle="round" paddingX={1}>
				<Text bold color="cyan">
					review
				</Text>
				<Text color="gray">{'  check a proposed upgrade against what you built, then vote'}</Text>
			</Box>
			{phase === 'form' ? (
				<ReviewForm envs={envs} envIndex={envIndex} field={field} target={targetField.value} wasm={wasmField.value} />
			) : null}
			{phase === 'loading' ? (
				<Text color={colors.accent}>
					{symbols.waiting} {progress}
				</Text>
			) : null}
			{report && phase !== 'form' && phase !== 'loading' && phase !== 'confirm' ? (
				<Box flexDirection="column">
					<ReviewVerdict verdict={report.verdict.verdict} line={report.verdict.line} differences={report.verdict.differences} />
					<ReviewDetails
						details={detailLines(report)}
						vote={voteStateLines(report.voteState, token)}
						role={report.role?.summary}
						maxLines={Math.max(4, rows - 16 - report.verdict.differences.length)}
					/>
				</Box>
			) : null}
			{phase === 'confirm' && prepared ? (
				<Box flexDirection="column">
					<Text wrap="wrap">{prepared.context}</Text>
					<SignerPrompt model={prepared.prompt as SignerPromptModel} phase="review" />
				</Box>
			) : null}
			{phase === 'choose' ? <Text bold>Vote on {report?.findings.label}: a aye · n nay · esc back</Text> : null}
			{phase === 'signer' ? <SignerInput envName={e?.name} envKind={e?.kind} text={signerField.value} example="//Bob" /> : null}
			{phase === 'amount' ? (
				<Box flexDirection="column">
					<Text>
						Amount to vote {aye ? 'aye' : 'nay'} with ({token.symbol}): <TextInput value={amountField.value} />
					</Text>
					<Text>
						Conviction (←/→): <Text bold>{conviction}</Text>
					</Text>
					<Text color="gray">enter prepare the vote · esc back</Text>
				</Box>
			) : null}
			{phase === 'preparing' ? (
				<Text color={colors.accent}>{symbols.waiting} reading the vote again and preparing the signer prompt…</Text>
			) : null}
			{phase === 'submitting' ? (
				<Text color={colors.warn}>
					{symbols.waiting} signing and submitting — keep the console open {txSteps.length ? `(${txSteps.join(' → ')})` : ''}
				</Text>
			) : null}
			{phase === 'voted' && outcome ? <OutcomeBanner outcome={outcome} aye={aye} /> : null}
			{message ? <Banner kind={message.kind} title={message.title} lines={message.lines} /> : null}
			{phase === 'form' ? (
				<Text color="gray">tab/↓ next field · ←/→ environment · enter review · esc back</Text>
			) : (
				<KeyHints hints={hintsFor(hints)} />
			)}
		</Box>
	);
}

function ReviewForm({
	envs,
	envIndex,
	field,
	target,
	wasm,
}: {
	envs: Environment[];
	envIndex: number;
	field: Field;
	target: string;
	wasm: string;
}) {
	const e = envs[envIndex];
	const row = (f: Field, label: string, value: React.ReactNode, hint: string) => (
		<Box>
			<Text color={field === f ? colors.accent : undefined}>{field === f ? `${symbols.pointer} ` : '  '}</Text>
			<Box width={13} flexShrink={0}>
				<Text bold={field === f}>{label}</Text>
			</Box>
			<Text>
				{value}
				{field === f && f !== 'env' ? <Text inverse> </Text> : null}
			</Text>
			<Text color={colors.muted}>
				{'  '}
				{hint}
			</Text>
		</Box>
	);
	return (
		<Box flexDirection="column" marginY={1}>
			{row(
				'env',
				'environment',
				e ? `‹ ${e.name} (${e.kind}) ›` : '(none: add one with `release-console env add`)',
				envs.length > 1 ? `${envIndex + 1}/${envs.length}` : '',
			)}
			{row(
				'target',
				'target',
				target,
				target ? '' : 'e.g. referendum 0 · opengov 1 · motion 3 · motion tc:0 · preimage 0x… · external',
			)}
			{row('wasm', 'your wasm', wasm, wasm ? '' : 'optional: the runtime you built, to compare')}
		</Box>
	);
}

function OutcomeBanner({ outcome, aye }: { outcome: VoteOutcome; aye: boolean }) {
	if (outcome.status === 'included') {
		return (
			<Banner
				kind={outcome.confirmed ? 'success' : 'warn'}
				title={`vote ${aye ? 'aye' : 'nay'} included in block #${outcome.blockNumber}`}
				lines={[
					`extrinsic ${outcome.extrinsicHash}`,
					`block ${outcome.blockHash}`,
					outcome.confirmed ? `the chain now shows it: ${outcome.role.summary}` : 'WARNING: the chain does not show the vote',
				]}
			/>
		);
	}
	if (outcome.status === 'failed')
		return (
			<Banner
				kind="error"
				title={`vote failed: ${outcome.error}`}
				lines={outcome.extrinsicHash ? [`extrinsic ${outcome.extrinsicHash}`] : []}
			/>
		);
	return <Banner kind="warn" title="nothing sent" lines={[outcome.reason]} />;
}
