/**
 * Review mode in the console: pick an environment and a target (typed), and
 * optionally the wasm you built; see the verdict first, then the details and
 * the live vote; then, and only then, vote — through the signer prompt.
 * No release is needed.
 */
import { useSyncedState } from '../hooks/use-synced-state.js';
import path from 'node:path';
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { Store } from '../../store/store.js';
import type { Connection } from '../../chain/connect.js';
import type { Environment } from '../../domain/types.js';
import type { SignerPromptModel } from '../../chain/types.js';
import type { ReviewRun } from '../../review/review.js';
import type { PreparedVote, VoteOutcome, VoteSigner } from '../../review/vote.js';
import { CONVICTIONS, DRY_RUN_BLOCKS, type Conviction } from '../../review/types.js';
import { ReviewInputError, parseBalance, parseTargetText } from '../../review/target.js';
import { detailLines, dryRunLines, voteStateLines, type Token } from '../../review/format.js';
import { Banner } from '../components/banner/index.js';
import { KeyHints } from '../components/key-hints/index.js';
import { SignerPrompt } from '../components/signer-prompt/index.js';
import { ReviewVerdict } from '../components/review-verdict/index.js';
import { ReviewDetails } from '../components/review-details/index.js';
import { KEYS, actionIn, hintsFor, isTextKey, matchKey, type HintSpec, type KeyEvent, type Mode } from '../keys.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { ScrollView } from '../components/scroll-view/index.js';
import { KeyHelp } from '../components/key-help/index.js';
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
	// The whole screen fits the terminal (rows − 1): the header on top, the keys at the bottom, the body scrolls between.
	const { columns, rows } = useTerminalSize();
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
	// ? opens the keys of the mode it was pressed in (from the key table); esc goes back to it.
	const [helpOf, setHelpOf, helpOfRef] = useSyncedState<Mode | undefined>(undefined);
	const [scroll, setScroll] = useSyncedState(0);
	const pageRef = useRef({ height: 10, content: 0 });
	const onMeasure = (m: { height: number; content: number }) => {
		pageRef.current = m;
	};
	const scrollKey = (event: KeyEvent, mode: Mode): boolean => {
		const action = actionIn(mode, event.input, event.key);
		const page = Math.max(1, pageRef.current.height - 1);
		const by = action === 'down' ? 1 : action === 'up' ? -1 : action === 'pageDown' ? page : action === 'pageUp' ? -page : undefined;
		if (by === undefined) return false;
		setScroll((o) => Math.max(0, Math.min(Math.max(0, pageRef.current.content - pageRef.current.height), o + by)));
		return true;
	};
	// Each phase's body is read from its top (the verdict first).
	// eslint-disable-next-line react-hooks/exhaustive-deps
	useEffect(() => setScroll(0), [phase]);
	const openHelp = (mode: Mode) => {
		setScroll(0);
		setHelpOf(mode);
	};

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

	async function review(dryRun = false): Promise<void> {
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
		if (dryRun && e.endpoints.some((x) => x === 'embedded:governance'))
			return setMessage({
				kind: 'error',
				title: `${e.name} is the governance devnet, a simulation without an executable runtime: it cannot be forked`,
				lines: ['dry-run on an environment whose chain runs a real runtime (embedded:rococo, or a live endpoint)'],
			});
		setMessage(undefined);
		setPhase('loading');
		setProgress(`connecting to ${e.name}…`);
		try {
			const c = await connect(e);
			const [{ runReview }, { openParaDecoders }, { connectEnvironment }, { embeddedResolver }] = await Promise.all([
				import('../../review/review.js'),
				import('../../review/remote.js'),
				import('../../chain/connect.js'),
				import('../../engine/session.js'),
			]);
			// The relay's parachain environments decode what its XCM Transacts carry to them.
			const paras = await openParaDecoders(e, envs, (other) =>
				connectEnvironment(other, { resolveEmbedded: embeddedResolver(home), timeoutMs: 10_000 }),
			);
			let result;
			try {
				result = await runReview(c.api, e, c.endpoint, t, {
					wasmPath: wasmField.current().trim() || undefined,
					reviewer: signer.current?.address,
					onProgress: setProgress,
					decodeRemote: paras.decodeRemote,
					...(dryRun ? { dryRun: { cacheDir: path.join(home, 'fork-cache'), blocks: DRY_RUN_BLOCKS } } : {}),
				});
			} finally {
				trackCleanup(paras.close());
			}
			for (const w of paras.warnings) result.report.findings.notes.push(w);
			setToken({ decimals: c.api.registry.chainDecimals[0] ?? 12, symbol: c.api.registry.chainTokens[0] ?? 'UNIT' });
			setRun(result);
			setScroll(0);
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
			setScroll(0);
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
		if (helpOfRef.current) {
			if (matchKey(input, key, KEYS.back) || matchKey(input, key, KEYS.help)) {
				setScroll(0);
				return setHelpOf(undefined);
			}
			if (matchKey(input, key, KEYS.quit)) return onQuit();
			scrollKey(event, 'help');
			return;
		}
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
			if (matchKey(input, key, KEYS.help)) return openHelp('prompt');
			if (scrollKey(event, 'prompt')) return;
			if (matchKey(input, key, KEYS.confirm)) return void submit();
			if (matchKey(input, key, KEYS.cancel)) {
				setPrepared(undefined);
				return setPhase('report');
			}
			return;
		}
		if (p === 'choose') {
			if (matchKey(input, key, KEYS.help)) return openHelp('review-choose');
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
		if (matchKey(input, key, KEYS.help)) return openHelp('review');
		if (scrollKey(event, 'review')) return;
		if (key.escape || matchKey(input, key, KEYS.back)) return onBack();
		if (matchKey(input, key, KEYS.edit)) return setPhase('form');
		if (matchKey(input, key, KEYS.retry)) return void review();
		if (matchKey(input, key, KEYS.dryRun)) return void review(true);
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
	const hints: HintSpec[] = helpOf
		? [[['up', 'down'], 'scroll'], ['back', 'esc back'], 'quit']
		: phase === 'form'
			? []
			: phase === 'report' || phase === 'voted'
				? [
						...(phase === 'report' && canVote ? [['vote', 'vote'] as HintSpec] : []),
						['retry', 'again'],
						['dryRun', 'dry-run'],
						['edit', 'edit'],
						[['up', 'down'], 'scroll'],
						['back', 'back'],
						['help', 'keys'],
						'quit',
					]
				: phase === 'choose'
					? [
							['voteAye', 'aye'],
							['voteNay', 'nay'],
							['back', 'esc back'],
							['help', 'keys'],
						]
					: phase === 'confirm'
						? prepared && prepared.prompt.refusals.length > 0
							? [
									['cancel', 'cancel'],
									[['up', 'down'], 'scroll'],
									['help', 'keys'],
								]
							: [
									['confirm', 'sign and submit'],
									['cancel', 'cancel'],
									[['up', 'down'], 'scroll'],
									['help', 'keys'],
								]
						: [];
	// Lines the message may take: what the header (3), the body's minimum, the input lines below it and the keys leave.
	const budget = rows ?? 24;
	const bodyMin = Math.max(3, Math.floor((budget - 1) / 3));
	const inputLines = phase === 'signer' ? 3 : phase === 'amount' ? 3 : phase === 'form' ? 0 : 1;
	const messageLines = Math.max(2, budget - 1 - 3 - bodyMin - inputLines - 1 - 2);
	const scrolled = (children: React.ReactNode, hint = '↑↓ pgup/pgdn scroll') => (
		<ScrollView offset={scroll} onMeasure={onMeasure} keysHint={hint}>
			{children}
		</ScrollView>
	);
	const body = helpOf
		? scrolled(<KeyHelp mode={helpOf} />, '↑↓ pgup/pgdn scroll · esc back')
		: phase === 'form'
			? scrolled(<ReviewForm envs={envs} envIndex={envIndex} field={field} target={targetField.value} wasm={wasmField.value} />)
			: phase === 'loading'
				? scrolled(
						<Text color={colors.accent} wrap="wrap">
							{symbols.waiting} {progress}
						</Text>,
					)
				: phase === 'confirm' && prepared
					? scrolled(
							<Box flexDirection="column">
								<Text wrap="wrap">{prepared.context}</Text>
								<SignerPrompt model={prepared.prompt as SignerPromptModel} phase="review" hints={false} />
							</Box>,
						)
					: report
						? scrolled(
								<Box flexDirection="column">
									<ReviewVerdict
										verdict={report.verdict.verdict}
										line={report.verdict.line}
										differences={report.verdict.differences}
									/>
									<ReviewDetails
										details={[...detailLines(report), ...dryRunLines(report.dryRun)]}
										vote={voteStateLines(report.voteState, token)}
										role={report.role?.summary}
									/>
								</Box>,
							)
						: null;

	return (
		<Box flexDirection="column" width="100%" {...(rows ? { height: rows - 1 } : {})}>
			<Box borderStyle="round" paddingX={1} flexShrink={0}>
				<Text bold color="cyan">
					review
				</Text>
				<Text color="gray" wrap="truncate-end">
					{'  check a proposed upgrade against what you built, then vote'}
				</Text>
			</Box>
			{/* The body takes what the header and the footer leave (at least a third of the screen), and scrolls. */}
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
				{phase === 'choose' && !helpOf ? (
					<Text bold wrap="wrap">
						Vote on {report?.findings.label}: a aye · n nay · esc back
					</Text>
				) : null}
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
					<Text color={colors.accent} wrap="wrap">
						{symbols.waiting} reading the vote again and preparing the signer prompt…
					</Text>
				) : null}
				{phase === 'submitting' ? (
					<Text color={colors.warn} wrap="wrap">
						{symbols.waiting} signing and submitting — keep the console open {txSteps.length ? `(${txSteps.join(' → ')})` : ''}
					</Text>
				) : null}
				{phase === 'voted' && outcome ? <OutcomeBanner outcome={outcome} aye={aye} /> : null}
				{message ? (
					<Banner
						kind={message.kind}
						title={message.title}
						lines={message.lines}
						{...(rows ? { budget: { maxLines: messageLines, width: columns } } : {})}
					/>
				) : null}
				{phase === 'form' && !helpOf ? (
					<Text color="gray" wrap="truncate-end">
						tab/↓ next field · ←/→ environment · enter review · esc back
					</Text>
				) : (
					<KeyHints hints={hintsFor(hints)} />
				)}
			</Box>
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
