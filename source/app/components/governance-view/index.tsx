import { Box, Text } from 'ink';
import type { GovProgress, StageId, StageProgress } from '../../../domain/types.js';
import { STAGE_INFO } from '../../../domain/stages.js';
import { colors, symbols } from '../../theme.js';
import { Paragraph } from '../paragraph/index.js';

export interface GovernanceViewProps {
	stage: StageId;
	progress?: StageProgress;
	gov?: GovProgress;
	route: string;
	payload: string;
	signer?: { label: string; address: string };
	/** Waiting on someone else: the screen offers to switch signers (rehearsals). */
	canSwitchSigner?: boolean;
}

// Hashes a person compares are shown whole (the lines wrap).
const short = (hex: string) => hex;

/** The on-chain trail so far, one fact per line. */
export function trailLines(gov: GovProgress | undefined): string[] {
	if (!gov) return [];
	const lines: string[] = [];
	if (gov.preimage)
		lines.push(`preimage ${short(gov.preimage.hash)} · ${gov.preimage.len.toLocaleString('en-US')} bytes · ${gov.preimage.call}`);
	if (gov.multisig)
		lines.push(
			`multisig ${short(gov.multisig.address)} · call ${short(gov.multisig.callHash)} · threshold ${gov.multisig.threshold}${gov.multisig.timepoint ? ` · since #${gov.multisig.timepoint.height}` : ''}`,
		);
	if (gov.council) lines.push(`council motion #${gov.council.index} · ${short(gov.council.hash)} · threshold ${gov.council.threshold}`);
	if (gov.fastTrack)
		lines.push(`fast-track motion #${gov.fastTrack.index} · ${short(gov.fastTrack.hash)} · threshold ${gov.fastTrack.threshold}`);
	if (gov.whitelist) lines.push(`whitelisted call ${short(gov.whitelist.callHash)}`);
	if (gov.referendum)
		lines.push(
			`${gov.referendum.kind === 'referenda' ? 'OpenGov' : 'democracy'} referendum #${gov.referendum.index}${gov.referendum.approvedAt !== undefined ? ` · approved at #${gov.referendum.approvedAt}` : ''}`,
		);
	if (gov.enactment?.scheduledAt !== undefined) lines.push(`enactment scheduled at #${gov.enactment.scheduledAt}`);
	if (gov.enactment?.blockNumber !== undefined) lines.push(`enacted at #${gov.enactment.blockNumber}`);
	if (gov.authorized) lines.push(`code hash ${short(gov.authorized.codeHash)} authorized at #${gov.authorized.blockNumber}`);
	return lines;
}

/** A muted title over indented lines, wrapped (never cut); nothing when there are no lines. */
export function TitledLines({ title, lines }: { title: string; lines: string[] }) {
	if (lines.length === 0) return null;
	return (
		<Box marginTop={1} flexDirection="column">
			<Text color={colors.muted}>{title}</Text>
			{lines.map((line) => (
				<Box key={line} paddingLeft={2}>
					<Text wrap="wrap">{line}</Text>
				</Box>
			))}
		</Box>
	);
}

/** A governance stage: what it is, what the chain says now (refreshed every block), and the trail. */
export function GovernanceView({ stage, progress, gov, route, payload, signer, canSwitchSigner }: GovernanceViewProps) {
	const info = STAGE_INFO[stage];
	const status = progress?.status ?? 'pending';
	const color = status === 'failed' ? colors.bad : status === 'done' ? colors.ok : status === 'waiting' ? colors.warn : undefined;
	const trail = trailLines(gov);
	return (
		<Box flexDirection="column">
			<Text bold>
				{info?.title ?? stage}{' '}
				<Text color={colors.muted}>
					({route}, {payload} payload)
				</Text>
			</Text>
			<Paragraph color={colors.muted}>{info?.description ?? ''}</Paragraph>
			{progress?.detail ? (
				<Box marginTop={1}>
					<Text color={color}>
						{status === 'waiting'
							? symbols.waiting
							: status === 'failed'
								? symbols.failed
								: status === 'done'
									? symbols.done
									: '·'}{' '}
					</Text>
					<Paragraph color={color}>{progress.detail}</Paragraph>
				</Box>
			) : null}
			<TitledLines title="on chain so far" lines={trail} />
			{signer ? (
				<Text wrap="wrap">
					signer: {signer.label} ({short(signer.address)})
				</Text>
			) : null}
			{canSwitchSigner ? <Text color={colors.muted}>Rehearsal with several keys? Press s to act as another signer.</Text> : null}
		</Box>
	);
}
