import { Box, Text } from 'ink';
import { TextInput } from '../text-input/index.js';

/** Dev URIs, env: references and paths are shown; anything else might be a mnemonic and is masked. */
export function maskSigner(text: string): string {
	if (
		text.startsWith('//') ||
		text.startsWith('env:') ||
		text.startsWith('external:') ||
		text.endsWith('.json') ||
		text.startsWith('/') ||
		text.startsWith('.')
	)
		return text;
	return '•'.repeat(text.length);
}

export interface SignerInputProps {
	envName?: string;
	envKind?: string;
	text: string;
	/** The dev URI shown as an example (e.g. //Alice). */
	example?: string;
	/** Offer signing elsewhere (`external:ADDRESS`) and proxies (`… as ADDRESS`): the release screen. */
	elsewhere?: boolean;
}

/** The signer line: what may be typed, masked as it is typed, and that it never touches disk. */
export function SignerInput({ envName, envKind, text, example = '//Alice', elsewhere = false }: SignerInputProps) {
	return (
		<Box flexDirection="column">
			{elsewhere ? (
				<Text>
					Signer for {envName} ({envKind}): {example} (local/testnet), env:VAR, keystore JSON, external:ADDR (sign elsewhere);{' '}
					{'"… as ADDR"'} acts for ADDR as its proxy
					{envKind === 'local' ? '; "… sudo-as MEMBER": the sudo key acts for MEMBER (rehearsal)' : ''}
				</Text>
			) : (
				<Text>
					Signer for {envName} ({envKind}): a dev URI ({example}, local/testnet only), env:VAR, or a keystore JSON path
				</Text>
			)}
			<TextInput prefix="> " value={text} display={maskSigner} />
			<Text color="gray">enter use · esc back · the secret stays in memory and leaves with the process</Text>
		</Box>
	);
}
