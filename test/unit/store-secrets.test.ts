import { describe, expect, it } from 'vitest';
import { StoreError } from '../../source/store/errors.js';
import { assertNoSecrets, containsMnemonic, findSecrets, looksLikeSecretUri } from '../../source/store/secrets.js';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const DEV = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const SEED = `0x${'ab'.repeat(32)}`;

describe('containsMnemonic', () => {
	it('finds 12+ BIP39 words, alone or inside a sentence, with or without derivation', () => {
		expect(containsMnemonic(MNEMONIC)).toBe(true);
		expect(containsMnemonic(`signed with ${DEV} by mistake`)).toBe(true);
		expect(containsMnemonic(`${DEV}//Alice`)).toBe(true);
		expect(containsMnemonic(`${DEV}///hunter2`)).toBe(true);
	});

	it('ignores fewer than 12 words and ordinary sentences', () => {
		expect(containsMnemonic(MNEMONIC.split(' ').slice(0, 11).join(' '))).toBe(false);
		expect(
			containsMnemonic(
				'about to send sudo.sudoUncheckedWeight(system.setCode) from 5Grw with nonce 4; the upgrade was included in the block and the chain kept going fine',
			),
		).toBe(false);
		expect(containsMnemonic(MNEMONIC.toUpperCase())).toBe(false);
	});
});

describe('looksLikeSecretUri', () => {
	it('flags //-derived URIs and hex seeds with derivation', () => {
		expect(looksLikeSecretUri('//Alice')).toBe(true);
		expect(looksLikeSecretUri('  //Alice//stash ')).toBe(true);
		expect(looksLikeSecretUri(`${SEED}//hard/soft`)).toBe(true);
		expect(looksLikeSecretUri(`${SEED}///pw`)).toBe(true);
	});

	it('does not flag URLs, paths, hashes or plain text', () => {
		for (const s of [
			'wss://rpc.polkadot.io',
			'ws://127.0.0.1:9944',
			'/home/me/runtime.wasm',
			SEED,
			'embedded:rococo',
			'dev account //Alice',
		]) {
			expect(looksLikeSecretUri(s)).toBe(false);
		}
	});
});

describe('findSecrets / assertNoSecrets', () => {
	const clean = {
		releases: {
			r: {
				artifact: { codeHash: SEED, path: '/w/runtime.wasm' },
				audit: [{ detail: 'intent recorded from 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY' }],
				progress: { devnet: { intents: [{ callHash: SEED, signer: '5Grw' }] } },
			},
		},
		environments: { prod: { endpoints: ['wss://rpc.example.org'], genesisHash: SEED } },
	};

	it('passes ordinary release data (hashes are not seeds)', () => {
		expect(findSecrets(clean)).toEqual([]);
		expect(() => assertNoSecrets(clean)).not.toThrow();
	});

	it('finds a mnemonic anywhere and reports its path', () => {
		const data = { releases: { r: { audit: [{ detail: 'ok' }, { detail: MNEMONIC }] } } };
		expect(findSecrets(data)).toEqual([{ path: '$.releases.r.audit[1].detail', reason: 'looks like a mnemonic (12+ BIP39 words)' }]);
	});

	it('finds secret URIs anywhere', () => {
		expect(findSecrets({ signer: '//Alice' })).toEqual([{ path: '$.signer', reason: 'looks like a secret URI (//-derived key)' }]);
	});

	it('finds a hex private seed only in secret-named fields', () => {
		expect(findSecrets({ seed: SEED })[0].reason).toMatch(/private seed/);
		expect(findSecrets({ secretKey: `0x${'cd'.repeat(64)}` })[0].reason).toMatch(/private seed/);
		expect(findSecrets({ codeHash: SEED })).toEqual([]);
	});

	it('finds lowercase word lists in secret-named fields even when not BIP39', () => {
		expect(findSecrets({ mnemonic: 'aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll' })[0].reason).toMatch(/looks like a mnemonic/);
		expect(findSecrets({ suri: 'aaa bbb' })).toEqual([]);
	});

	it('finds any password value', () => {
		expect(findSecrets({ keystore: { password: 'hunter2' } })).toEqual([
			{ path: '$.keystore.password', reason: 'field "password" holds a password' },
		]);
		expect(findSecrets({ password: '' })).toEqual([]);
	});

	it('uses bracket paths for odd keys', () => {
		expect(findSecrets({ 'my-release.1': { detail: '//Bob' } })[0].path).toBe('$["my-release.1"].detail');
	});

	it('throws a StoreError that names the field but never the secret', () => {
		let caught: unknown;
		try {
			assertNoSecrets({ releases: { r: { notes: MNEMONIC } } }, '/tmp/x/store.json');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(StoreError);
		const error = caught as StoreError;
		expect(error.code).toBe('secret-in-store');
		expect(error.message).toContain('refusing to write /tmp/x/store.json');
		expect(error.message).toContain('$.releases.r.notes');
		expect(error.message).not.toContain('legal');
		expect(error.details).toEqual(['$.releases.r.notes: looks like a mnemonic (12+ BIP39 words)']);
		expect(error.hint).toMatch(/never stored/);
	});
});
