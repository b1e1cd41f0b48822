/**
 * Alignment, display only: the gates of one environment with their evidence,
 * the release notes summary, the sign-offs per group (valid / stale /
 * invalid) and what blocks promotion to that environment.
 *
 * Sign-off validity is checked with @polkadot/util-crypto: the caller must
 * have awaited `cryptoWaitReady()` before rendering.
 */
import { Box, Text } from 'ink';
import type { Environment, Release } from '../../../domain/types.js';
import { GATE_TITLES, SIGNOFF_STATE_TEXT, promotionBlockers, requirementsOf, signoffSummary } from '../../../domain/alignment.js';
import type { GateId } from '../../../domain/types.js';
import { groupedCommits, NOTE_GROUP_TITLES } from '../../../domain/notes.js';
import { checkStatusStyle, colors } from '../../theme.js';

export interface AlignmentViewProps {
	release: Release;
	/** The environment whose promotion is looked at. */
	env: string;
	/** All known environments (their kinds decide the default requirements). */
	envs: Array<Pick<Environment, 'name' | 'kind'>>;
	/** ISO time used for computed gates (default now). */
	at?: string;
}

const short = (hash: string) => (hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash);

export function AlignmentView({ release, env, envs, at }: AlignmentViewProps) {
	const when = at ?? new Date().toISOString();
	const gates = release.gates.filter((g) => g.env === env);
	const notes = release.alignment?.notes;
	const signoffs = signoffSummary(release, env);
	const blockers = promotionBlockers(release, env, envs, when);
	const kind = envs.find((e) => e.name === env)?.kind;
	const required = new Set(kind ? requirementsOf(release, { name: env, kind }) : []);
	/** A failing gate that promotion to this environment does not require is advice, and says so. */
	const advice = (id: GateId) =>
		required.has(id) ? '' : ` — advice only: promotion to ${env}${kind ? ` (${kind})` : ''} does not require this gate`;
	return (
		<Box flexDirection="column">
			<Text bold>Alignment — {env}</Text>
			<Box flexDirection="column" marginTop={1}>
				<Text color={colors.muted}>Gates</Text>
				{gates.length === 0 ? <Text color={colors.muted}>{'  none checked yet'}</Text> : null}
				{gates.map((g) => {
					const style = checkStatusStyle[g.status];
					const reference = (g.evidence as { reference?: string } | undefined)?.reference;
					return (
						<Box key={g.id} flexDirection="column">
							<Text wrap="truncate-end">
								<Text color={style.color}>{`  ${style.symbol} ${g.status.padEnd(7)}`}</Text>
								{GATE_TITLES[g.id] ?? g.id}
							</Text>
							<Text
								wrap="wrap"
								color={colors.muted}
							>{`      ${g.summary}${reference && !g.summary.includes(reference) ? ` (${reference})` : ''}${g.waiver ? ` — waived: ${g.waiver.reason}` : ''}${g.status === 'fail' ? advice(g.id) : ''}`}</Text>
						</Box>
					);
				})}
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<Text color={colors.muted}>Notes</Text>
				{notes ? (
					<>
						<Text wrap="truncate-end">{`  ${notes.commits.length} commit${notes.commits.length === 1 ? '' : 's'} ${notes.fromCommit.slice(0, 10)}..${notes.releaseCommit.slice(0, 10)}, ${notes.onBranch ? `on ${notes.branchRef ?? notes.branch}` : `NOT on ${notes.branch}`}`}</Text>
						<Text wrap="truncate-end">{`  ${
							groupedCommits(notes)
								.map((g) => `${NOTE_GROUP_TITLES[g.group]} ${g.commits.length}`)
								.join(' · ') || 'no commits'
						}`}</Text>
					</>
				) : (
					<Text color={colors.muted}>{'  no notes yet (release-console notes ID --repo PATH --from SHA --to SHA)'}</Text>
				)}
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<Text
					color={colors.muted}
					wrap="wrap"
				>{`Sign-offs — manifest ${short(signoffs.digest)}: ${SIGNOFF_STATE_TEXT[signoffs.state]}`}</Text>
				{signoffs.groups.length === 0 ? (
					<Text color={colors.muted}>
						{'  no stakeholder groups for '}
						{env}
					</Text>
				) : null}
				{signoffs.groups.map((g) => (
					<Box key={g.group.name} flexDirection="column">
						<Text wrap="truncate-end">
							<Text
								color={g.met ? checkStatusStyle.pass.color : checkStatusStyle.pending.color}
							>{`  ${g.met ? checkStatusStyle.pass.symbol : checkStatusStyle.pending.symbol} `}</Text>
							{`${g.group.name} ${g.approvals}/${g.group.threshold}`}
						</Text>
						{g.signoffs.map((s) => {
							const label = !s.member
								? 'not a member'
								: s.verdict === 'valid'
									? s.signoff.decision === 'approve'
										? 'approved'
										: 'rejected'
									: s.verdict === 'stale'
										? 'stale'
										: 'invalid signature';
							return (
								<Text
									key={s.signoff.publicKey}
									wrap="truncate-end"
									color={s.verdict === 'valid' && s.member ? undefined : colors.muted}
								>
									{`      ${short(s.signoff.signer)} ${label}${s.signoff.reason ? `: ${s.signoff.reason}` : ''}`}
								</Text>
							);
						})}
					</Box>
				))}
			</Box>
			<Box flexDirection="column" marginTop={1}>
				{blockers.length === 0 ? (
					<Text color={checkStatusStyle.pass.color}>{`Promotion to ${env}: allowed`}</Text>
				) : (
					<>
						<Text color={checkStatusStyle.fail.color}>{`Promotion to ${env}: blocked by`}</Text>
						{blockers.map((b) => (
							<Text
								key={`${b.env}:${b.gate}`}
								wrap="truncate-end"
							>{`  ${b.gate}${b.env !== env ? ` (${b.env})` : ''}: ${b.status}`}</Text>
						))}
					</>
				)}
			</Box>
		</Box>
	);
}
