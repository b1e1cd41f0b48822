import { Box, Text } from 'ink';
import type { SignerPromptModel } from '../../../chain/types.js';
import { colors, formatBytesExact, symbols } from '../../theme.js';
import { hintsFor } from '../../keys.js';
import { Field } from '../field/index.js';
import { KeyHints } from '../key-hints/index.js';
import { Paragraph } from '../paragraph/index.js';

export type SignerPromptPhase = 'review' | 'signing' | 'submitted';

export interface SignerPromptProps {
	model: SignerPromptModel;
	phase: SignerPromptPhase;
	/** The y/n line inside the prompt (off where the screen shows the keys below a scrolling prompt). */
	hints?: boolean;
}

export const SIGNER_PROMPT_TITLE = 'Signer prompt — you are about to sign';

const LABEL_WIDTH = 16;

function kindColor(kind: string): string | undefined {
	if (kind === 'production') return colors.bad;
	if (kind === 'testnet') return colors.warn;
	return undefined;
}

/** Line i of the call is nesting level i; lines that carry their own indentation are kept as is. */
function indentCallLine(line: string, level: number): string {
	return /^\s/.test(line) ? line : `${'  '.repeat(level)}${line}`;
}

/**
 * Everything that will be signed, before it is signed: why it cannot be signed first,
 * if it cannot. Security-relevant values (address, call, hash) wrap instead of being truncated.
 */
export function SignerPrompt({ model, phase, hints = true }: SignerPromptProps) {
	const refused = model.refusals.length > 0;
	return (
		<Box borderStyle="round" borderColor={refused ? colors.bad : colors.warn} flexDirection="column" paddingX={1} width="100%">
			<Text bold color={refused ? colors.bad : colors.warn}>
				{SIGNER_PROMPT_TITLE}
			</Text>
			{refused ? (
				<Box marginTop={1} flexDirection="column">
					<Text bold color={colors.bad}>
						{symbols.failed} Cannot sign:
					</Text>
					{model.refusals.map((reason, index) => (
						<Box key={index} paddingLeft={2}>
							<Box width={2} flexShrink={0}>
								<Text color={colors.bad}>•</Text>
							</Box>
							<Box flexShrink={1}>
								<Paragraph color={colors.bad}>{reason}</Paragraph>
							</Box>
						</Box>
					))}
					{model.refusalHint ? (
						<Box paddingLeft={2}>
							<Paragraph>{`Instead: ${model.refusalHint}`}</Paragraph>
						</Box>
					) : null}
				</Box>
			) : null}
			<Box marginTop={1} flexDirection="column">
				<Field label="Environment" labelWidth={LABEL_WIDTH}>
					<Text>
						<Text bold>{model.env}</Text>
						<Text color={kindColor(model.envKind)} bold={model.envKind === 'production'}>
							{' '}
							({model.envKind})
						</Text>
					</Text>
				</Field>
				<Field label="Signer" labelWidth={LABEL_WIDTH}>
					{model.signerLabel ? <Text bold>{model.signerLabel}</Text> : null}
					<Text>{model.signerAddress}</Text>
					{model.role ? null : <Text color={colors.muted}>why: {model.authority}</Text>}
				</Field>
				{model.role ? (
					<Field label="Role" labelWidth={LABEL_WIDTH}>
						<Text>
							{'needs '}
							{model.role}
							{': '}
							{model.authorityOk === false ? (
								<Text color={colors.bad}>{symbols.failed} this signer does not have it</Text>
							) : (
								<Text color={colors.ok}>{symbols.done} this signer has it</Text>
							)}
						</Text>
						<Text color={colors.muted}>why: {model.authority}</Text>
					</Field>
				) : null}
				{model.purpose ? (
					<Field label="Step" labelWidth={LABEL_WIDTH}>
						<Text>{model.purpose}</Text>
					</Field>
				) : null}
				{(model.facts ?? []).map((fact) => (
					<Field key={fact.label} label={fact.label} labelWidth={LABEL_WIDTH}>
						<Text>{fact.value}</Text>
					</Field>
				))}
				<Field label="Call" labelWidth={LABEL_WIDTH}>
					{model.callLines.length === 0 ? <Text color={colors.muted}>(empty)</Text> : null}
					{model.callLines.map((line, index) => (
						<Text key={index}>{indentCallLine(line, index)}</Text>
					))}
				</Field>
				<Text color={colors.muted}>Call hash</Text>
				<Box paddingLeft={2}>
					<Text>{model.callHash}</Text>
				</Box>
				<Field label="Encoded length" labelWidth={LABEL_WIDTH}>
					<Text>{formatBytesExact(model.encodedLength)}</Text>
				</Field>
				<Field label="Fee estimate" labelWidth={LABEL_WIDTH}>
					{model.fee ? <Text>{model.fee}</Text> : <Text color={colors.muted}>not available</Text>}
				</Field>
				<Field label="Nonce" labelWidth={LABEL_WIDTH}>
					<Text>{model.nonce}</Text>
				</Field>
			</Box>
			<Box marginTop={1} flexDirection="column">
				{refused ? (
					hints ? (
						<KeyHints hints={hintsFor(['cancel'])} />
					) : null
				) : phase === 'review' ? (
					hints ? (
						<KeyHints hints={hintsFor(['confirm', 'cancel'])} />
					) : null
				) : phase === 'signing' ? (
					<Text color={colors.warn}>{symbols.waiting} Signing and submitting — keep the console open</Text>
				) : (
					<Text color={colors.ok}>{symbols.done} Submitted — follow its progress below</Text>
				)}
			</Box>
		</Box>
	);
}
