import { Box, Text } from 'ink';
import type { ArtifactInfo } from '../../../domain/types.js';
import { checkStatusStyle, colors, formatBytes, symbols, type CheckStatus } from '../../theme.js';
import { Field } from '../field/index.js';
import { Paragraph } from '../paragraph/index.js';

export interface ArtifactCheck {
	label: string;
	status: CheckStatus;
	detail?: string;
}

export interface ArtifactViewProps {
	artifact: ArtifactInfo;
	checks: ArtifactCheck[];
}

/** "Code hash" + gap: leaves exactly 66 columns for a full hash in 78. */
const LABEL_WIDTH = 12;

function sizeText(artifact: ArtifactInfo): string {
	if (!artifact.compressed) return `${formatBytes(artifact.size)} (raw wasm, not compressed)`;
	return `${formatBytes(artifact.size)} compressed ${symbols.separator} ${formatBytes(artifact.uncompressedSize)} uncompressed`;
}

function specExtras(artifact: ArtifactInfo): string {
	const parts: string[] = [];
	if (artifact.implName !== undefined || artifact.implVersion !== undefined) {
		parts.push(`impl ${artifact.implName ?? '?'} v${artifact.implVersion ?? '?'}`);
	}
	if (artifact.stateVersion !== undefined) parts.push(`state v${artifact.stateVersion}`);
	return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function ArtifactView({ artifact, checks }: ArtifactViewProps) {
	return (
		<Box flexDirection="column">
			<Field label="Path" labelWidth={LABEL_WIDTH}>
				{/* Keep the file name: cut the front of a long path. */}
				<Text wrap="truncate-start">{artifact.path}</Text>
			</Field>
			<Field label="Size" labelWidth={LABEL_WIDTH}>
				<Text wrap="truncate-end">{sizeText(artifact)}</Text>
			</Field>
			<Field label="Code hash" labelWidth={LABEL_WIDTH}>
				<Text>{artifact.codeHash}</Text>
			</Field>
			<Field label="Spec" labelWidth={LABEL_WIDTH}>
				<Text wrap="truncate-end">
					{artifact.specName}/{artifact.specVersion}
					<Text color={colors.muted}>{specExtras(artifact)}</Text>
				</Text>
			</Field>
			<Field label="Tx version" labelWidth={LABEL_WIDTH}>
				<Text>{artifact.transactionVersion}</Text>
			</Field>
			{checks.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<Text bold>Checks</Text>
					{checks.map((check, index) => {
						const style = checkStatusStyle[check.status];
						// A failure's detail is the "why": wrap it in full on its own line.
						const failed = check.status === 'fail';
						return (
							<Box key={index} flexDirection="column">
								<Box>
									<Box width={10} flexShrink={0}>
										<Text color={style.color}>
											{style.symbol} {style.word}
										</Text>
									</Box>
									<Box flexShrink={1}>
										<Text wrap="truncate-end">
											{check.label}
											{check.detail && !failed ? <Text color={colors.muted}>{` — ${check.detail}`}</Text> : null}
										</Text>
									</Box>
								</Box>
								{check.detail && failed ? (
									<Box paddingLeft={10}>
										<Paragraph color={colors.bad}>{check.detail}</Paragraph>
									</Box>
								) : null}
							</Box>
						);
					})}
				</Box>
			) : null}
		</Box>
	);
}
