import { describe, expect, it } from 'vitest';
import { formatPrompt } from '../../source/engine/prompt-text.js';

const HASH = `0x${'ab'.repeat(32)}` as const;

describe('the headless signer prompt', () => {
	it('keeps a space after every label, however long, and names the signer and its role', () => {
		const lines = formatPrompt({
			env: 'gov',
			envKind: 'local',
			signerAddress: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
			signerLabel: 'dev account //Alice',
			authority: 'any funded account may note a preimage',
			authorityOk: true,
			role: 'any funded account',
			callLines: ['preimage.notePreimage(bytes: <34 bytes>)'],
			callHash: HASH,
			encodedLength: 37,
			fee: '0.0123 DEV',
			nonce: 0,
			refusals: [],
			facts: [
				{ label: 'Preimage hash', value: HASH },
				{ label: 'Length', value: '34 bytes' },
			],
		});
		expect(lines).toContain(`preimage hash: ${HASH}`);
		expect(lines).toContain('length:      34 bytes');
		expect(lines).toContain('signer:      dev account //Alice, 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
		expect(lines).toContain('role:        needs any funded account: this signer has it');
	});
});
