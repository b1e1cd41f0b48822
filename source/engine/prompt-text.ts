import type { SignerPromptModel } from '../chain/types.js';

/** The signer prompt as plain text, for headless output. */
export function formatPrompt(p: SignerPromptModel): string[] {
	return [
		'── signer prompt: you are about to sign ──',
		`environment: ${p.env} (${p.envKind})`,
		`signer:      ${p.signerLabel ? `${p.signerLabel}, ` : ''}${p.signerAddress}`,
		...(p.role
			? [`role:        needs ${p.role}: ${p.authorityOk === false ? 'this signer does not have it' : 'this signer has it'}`]
			: []),
		`why:         ${p.authority}`,
		...(p.purpose ? [`step:        ${p.purpose}`] : []),
		// A label longer than the column still gets its space: "preimage hash: 0x…".
		...(p.facts ?? []).map((f) => `${`${f.label.toLowerCase()}: `.padEnd(13)}${f.value}`),
		'call:',
		...p.callLines.map((l) => `  ${l}`),
		`call hash:   ${p.callHash}`,
		`length:      ${p.encodedLength.toLocaleString('en-US')} bytes`,
		`fee:         ${p.fee ?? 'unknown'}`,
		`nonce:       ${p.nonce}`,
		...(p.refusals.length ? ['cannot sign:', ...p.refusals.map((r) => `  ✖ ${r}`)] : []),
		...(p.refusals.length && p.refusalHint ? [`instead:     ${p.refusalHint}`] : []),
	];
}
