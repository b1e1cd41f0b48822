import type { SignerPromptModel } from '../chain/types.js';

/** The signer prompt as plain text, for headless output. */
export function formatPrompt(p: SignerPromptModel): string[] {
	return [
		'── signer prompt: you are about to sign ──',
		`environment: ${p.env} (${p.envKind})`,
		`signer:      ${p.signerAddress}`,
		`why:         ${p.authority}`,
		...(p.purpose ? [`step:        ${p.purpose}`] : []),
		...(p.facts ?? []).map((f) => `${`${f.label}:`.padEnd(13)}${f.value}`),
		'call:',
		...p.callLines.map((l) => `  ${l}`),
		`call hash:   ${p.callHash}`,
		`length:      ${p.encodedLength.toLocaleString('en-US')} bytes`,
		`fee:         ${p.fee ?? 'unknown'}`,
		`nonce:       ${p.nonce}`,
		...(p.refusals.length ? ['cannot sign:', ...p.refusals.map((r) => `  ✖ ${r}`)] : []),
	];
}
