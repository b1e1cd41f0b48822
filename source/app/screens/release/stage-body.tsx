import { Box, Text } from 'ink';
import { STAGE_INFO } from '../../../domain/stages.js';
import { artifactFor } from '../../../domain/release.js';
import { evaluateSoak } from '../../../domain/gates.js';
import { livenessAlarm } from '../../../domain/enactment.js';
import { recoveryLines } from '../../../domain/recovery.js';
import type { EnvProgress, StageId } from '../../../domain/types.js';
import {
	ArtifactView,
	Banner,
	TitledLines,
	GovernanceView,
	SoakView,
	TxProgress,
	VerifyView,
	GateTable,
	type compatLines,
} from '../../components/index.js';
import type { useReleaseSession } from '../../hooks/use-release-session.js';

/** Each stage's title, as the checklist shows it. */
export const TITLES = Object.fromEntries(Object.entries(STAGE_INFO).map(([id, info]) => [id, info.title])) as Record<StageId, string>;

/** One change of the compatibility list, whole. */
export function CompatDetail({ line }: { line: ReturnType<typeof compatLines>[number] }) {
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

export function StageBody({
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
