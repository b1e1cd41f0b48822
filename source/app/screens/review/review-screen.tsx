/**
 * Review mode in the console: pick an environment and a target (typed), and
 * optionally the wasm you built; see the verdict first, then the details and
 * the live vote; then, and only then, vote — through the signer prompt.
 * No release is needed.
 */
import { useRef } from 'react';
import { Box, Text } from 'ink';
import type { Store } from '../../../store/store.js';
import type { Environment } from '../../../domain/types.js';
import type { SignerPromptModel } from '../../../chain/types.js';
import type { VoteOutcome } from '../../../review/vote.js';
import { detailLines, dryRunLines, voteStateLines } from '../../../review/format.js';
import { Banner } from '../../components/banner/index.js';
import { KeyHints } from '../../components/key-hints/index.js';
import { SignerPrompt } from '../../components/signer-prompt/index.js';
import { ReviewVerdict } from '../../components/review-verdict/index.js';
import { ReviewDetails } from '../../components/review-details/index.js';
import { hintsFor, type HintSpec } from '../../keys.js';
import { useTerminalSize } from '../../hooks/use-terminal-size.js';
import { ScrollView } from '../../components/scroll-view/index.js';
import { ScreenBody } from '../../components/screen-body/index.js';
import { KeyHelp } from '../../components/key-help/index.js';
import { TextInput, useTextInputState } from '../../components/text-input/index.js';
import { colors, symbols } from '../../theme.js';
import { SignerInput } from '../../components/signer-input/index.js';
import { useReviewScreenState, type ReviewField, type ReviewScreenState } from './use-review-state.js';
import { useReviewSession } from './use-review-session.js';
import { useReviewKeys } from './use-review-keys.js';

export interface ReviewScreenProps {
	store: Store;
	home: string;
	onBack: () => void;
	onQuit: () => void;
}

/** The keys line of each phase (from the one key table); the form has its own line. */
function reviewHints(s: ReviewScreenState): HintSpec[] {
	const report = s.run?.report;
	const canVote = report && report.verdict.verdict !== 'blocked' && report.voteState.kind !== 'none';
	if (s.helpOf) return [[['up', 'down'], 'scroll'], ['back', 'esc back'], 'quit'];
	switch (s.phase) {
		case 'report':
		case 'voted':
			return [
				...(s.phase === 'report' && canVote ? [['vote', 'vote'] as HintSpec] : []),
				['retry', 'again'],
				['dryRun', 'dry-run'],
				['edit', 'edit'],
				[['up', 'down'], 'scroll'],
				['back', 'back'],
				['help', 'keys'],
				'quit',
			];
		case 'choose':
			return [
				['voteAye', 'aye'],
				['voteNay', 'nay'],
				['back', 'esc back'],
				['help', 'keys'],
			];
		case 'confirm':
			return s.prepared && s.prepared.prompt.refusals.length > 0
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
					];
		default:
			return [];
	}
}

/**
 * The review screen: `useReviewScreenState` holds what it shows, `useReviewSession` does the chain
 * work (review, dry-run, vote), `useReviewKeys` reads the keys.
 */
export function ReviewScreen({ store, home, onBack, onQuit }: ReviewScreenProps) {
	const envs = store.listEnvironments();
	// The whole screen fits the terminal (rows − 1): the header on top, the keys at the bottom, the body scrolls between.
	const { columns, rows } = useTerminalSize();
	const ui = useReviewScreenState();
	// The text fields: each value is read at once after each key (keys arrive faster than renders).
	const fields = {
		target: useTextInputState(''),
		wasm: useTextInputState(''),
		signer: useTextInputState(''),
		amount: useTextInputState(''),
	};
	const pageRef = useRef({ height: 10, content: 0 });
	const onMeasure = (m: { height: number; content: number }) => {
		pageRef.current = m;
	};
	const session = useReviewSession({ envs, home, ui, fields });
	useReviewKeys({ ui, fields, session, envCount: envs.length, page: pageRef, onBack, onQuit });

	const { phase, field, envIndex, conviction, aye, helpOf, scroll, message, progress, run, token, prepared, txSteps, outcome } = ui.state;
	const targetField = fields.target;
	const wasmField = fields.wasm;
	const signerField = fields.signer;
	const amountField = fields.amount;
	const e = envs[envIndex];
	const report = run?.report;
	const hints = reviewHints(ui.state);
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
			<ScreenBody fits={rows !== undefined} minHeight={bodyMin}>
				{body}
			</ScreenBody>
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
	field: ReviewField;
	target: string;
	wasm: string;
}) {
	const e = envs[envIndex];
	const row = (f: ReviewField, label: string, value: React.ReactNode, hint: string) => (
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
