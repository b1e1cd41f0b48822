/**
 * The pieces of signing elsewhere in the console without a chain: what the signer field
 * reads as a proxy, the payload's hex lines (they join back to exactly the payload),
 * the payload view, and the keys of the signature field from the key table.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { parseSignerChoice } from '../../source/app/hooks/use-release-session.js';
import { SignElsewhere, hexLines, signatureInputLines } from '../../source/app/components/sign-elsewhere/index.js';
import { maskSigner } from '../../source/app/components/signer-input/index.js';
import { helpFor } from '../../source/app/keys.js';
import type { SigningHandout } from '../../source/engine/context.js';

afterEach(() => cleanup());

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

const handout = (over: Partial<SigningHandout> = {}): SigningHandout => ({
	env: 'devnet',
	intentId: 'devnet-upgrade-1',
	address: ALICE,
	signingPayload: `0x${'ab'.repeat(32)}`,
	extrinsicPayload: `0x${'cd'.repeat(400)}`,
	call: `0x${'cd'.repeat(300)}`,
	hashed: true,
	genesisHash: `0x${'45'.repeat(32)}`,
	nonce: 3,
	expiresAt: 300,
	bestBlock: 44,
	crypto: 'sr25519',
	...over,
});

describe('sign elsewhere: the console side', () => {
	test('the signer field: "… as ADDRESS" acts for that account; anything else is the spec as typed', () => {
		expect(parseSignerChoice(`//Bob as ${ALICE}`)).toEqual({ spec: '//Bob', as: ALICE });
		expect(parseSignerChoice(`  external:${BOB}   as   ${ALICE} `)).toEqual({ spec: `external:${BOB}`, as: ALICE });
		expect(parseSignerChoice('./keys/my key.json as 5Grw')).toEqual({ spec: './keys/my key.json', as: '5Grw' });
		expect(parseSignerChoice(`external:${ALICE}`)).toEqual({ spec: `external:${ALICE}` });
		expect(parseSignerChoice('//Alice')).toEqual({ spec: '//Alice' });
		// "as" alone, or as the last word, is not a proxy
		expect(parseSignerChoice('as')).toEqual({ spec: 'as' });
		expect(parseSignerChoice('//Alice as')).toEqual({ spec: '//Alice as' });
		// an address is shown as typed; what may be a mnemonic stays masked
		expect(maskSigner(`external:${ALICE}`)).toBe(`external:${ALICE}`);
		expect(maskSigner('bottom drive obey lake')).toBe('•'.repeat('bottom drive obey lake'.length));
	});

	test('"… sudo-as MEMBER": the sudo key acts for a member, on local environments only', async () => {
		expect(parseSignerChoice('//Alice sudo-as //Bob')).toEqual({ spec: '//Alice', sudoAs: '//Bob' });
		expect(parseSignerChoice(`//Alice  sudo-as  ${BOB}`)).toEqual({ spec: '//Alice', sudoAs: BOB });
		const { engineSignerFor } = await import('../../source/engine/session.js');
		const signer = await engineSignerFor({ spec: '//Alice', sudoAs: '//Bob' }, { name: 'dev', kind: 'local' });
		expect(signer.address).toBe(BOB);
		expect(signer.sudoAs?.sudoKey).toBe(ALICE);
		expect(signer.label).toBe('dev account //Alice (sudo) for 5FHneW…94ty');
		await expect(engineSignerFor({ spec: '//Alice', sudoAs: '//Bob' }, { name: 'westend', kind: 'testnet' })).rejects.toThrow(
			/--sudo-as is a rehearsal path for local environments; westend is testnet/,
		);
		await expect(engineSignerFor({ spec: `external:${ALICE}`, sudoAs: '//Bob' }, { name: 'dev', kind: 'local' })).rejects.toThrow(
			/--sudo-as needs the sudo key here/,
		);
	});

	test('the payload is cut into lines that join back to exactly it, never wider than asked', () => {
		const payload = `0x${'0123456789abcdef'.repeat(25)}`;
		for (const width of [20, 66, 78, 200]) {
			const lines = hexLines(payload, width);
			expect(lines.join('')).toBe(payload);
			expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
		}
		expect(signatureInputLines('', 80)).toBe(2);
		expect(signatureInputLines(`Signature: 0x${'ab'.repeat(65)}`, 80)).toBe(3);
	});

	test('the payload view: the bytes to sign whole, that they are a blake2-256, the signer-cli line, within 80 columns', () => {
		const { lastFrame } = render(
			<Box width={80}>
				<SignElsewhere signing={handout()} width={80} />
			</Box>,
		);
		const frame = lastFrame() ?? '';
		expect(frame).toContain(`  0x${'ab'.repeat(32)}`);
		expect(frame).toContain('exactly these 32 bytes');
		expect(frame.replace(/\s+/g, ' ')).toMatch(/blake2-256 of the .*\(400 bytes\) extrinsic payload/);
		expect(frame.replace(/\s+/g, ' ')).toContain(`polkadot-js-signer sign --account ${ALICE} --type sr25519`);
		expect(frame).toContain('valid until block #300 (the chain is at #44); nonce 3');
		expect(Math.max(...frame.split('\n').map((l) => stringWidth(l)))).toBeLessThanOrEqual(80);
		// a short payload is signed as it is: no hash note
		const short = render(<SignElsewhere signing={handout({ hashed: false, signingPayload: `0x${'ee'.repeat(120)}` })} width={80} />);
		expect(short.lastFrame()).not.toContain('blake2-256');
		expect(short.lastFrame()).toContain('exactly these 120 bytes');
	});

	test('the signature field and the Vault view have their keys in the table (help is generated)', () => {
		const signature = helpFor('signature');
		expect(signature.map((l) => l.keys)).toEqual(expect.arrayContaining(['enter', 'tab', 'esc', 'pgup', 'pgdn', 'ctrl+c']));
		expect(signature.find((l) => l.keys === 'tab')?.label).toContain('Polkadot Vault QR');
		expect(helpFor('vault').map((l) => l.keys)).toEqual(expect.arrayContaining(['tab', 'b / esc', 'q / ctrl+c']));
		expect(helpFor('signer').find((l) => l.keys === 'enter')?.label).toContain('external:ADDRESS');
	});
});
