import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseError } from '../../source/domain/errors.js';
import { classifySignerSpec, DEV_PHRASE, describeSignerSpec, resolveSigner, SignerError } from '../../source/signer/signer.js';

const ALICE_SR = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_ED = '5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu';

let dir: string;
let mnemonic: string;
let expected: { sr: string; ed: string };

beforeAll(async () => {
	await cryptoWaitReady();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-signer-'));
	mnemonic = mnemonicGenerate(12);
	expected = {
		sr: new Keyring({ type: 'sr25519' }).addFromUri(mnemonic).address,
		ed: new Keyring({ type: 'ed25519' }).addFromUri(mnemonic).address,
	};
});

afterAll(() => {
	fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>, code: string): Promise<SignerError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(SignerError);
	expect(error).toBeInstanceOf(ReleaseError);
	expect((error as SignerError).code).toBe(code);
	return error as SignerError;
}

function writeKeystore(name: string, password: string, type: 'sr25519' | 'ed25519' = 'sr25519', meta: Record<string, string> = {}): string {
	const pair = new Keyring({ type }).addFromUri(mnemonic, meta);
	const file = path.join(dir, name);
	fs.writeFileSync(file, JSON.stringify(pair.toJson(password)));
	return file;
}

describe('dev URIs', () => {
	it('resolves //Alice on local and testnet (sr25519 by default, ed25519 on request)', async () => {
		const local = await resolveSigner({ spec: '//Alice', envKind: 'local' });
		expect(local).toMatchObject({ address: ALICE_SR, source: 'dev', label: 'dev account //Alice', type: 'sr25519', warnings: [] });
		expect(local.pair.isLocked).toBe(false);
		const testnet = await resolveSigner({ spec: '//Alice', envKind: 'testnet', keyringType: 'ed25519' });
		expect(testnet.address).toBe(ALICE_ED);
		expect(testnet.pair.type).toBe('ed25519');
	});

	it('refuses dev keys on production, with the environment name and what to use instead', async () => {
		const error = await refusal(resolveSigner({ spec: '//Alice', envKind: 'production', envName: 'polkadot' }), 'dev-key-refused');
		expect(error.message).toMatch(
			/^dev keys are refused on production environment polkadot; use a mnemonic \(RELEASE_CONSOLE_SURI\) or a keystore JSON/,
		);
	});

	it('also refuses the dev phrase itself, and a dev URI smuggled through env:', async () => {
		await refusal(resolveSigner({ spec: DEV_PHRASE, envKind: 'production', envName: 'p' }), 'dev-key-refused');
		await refusal(resolveSigner({ spec: `${DEV_PHRASE}//Bob`, envKind: 'production', envName: 'p' }), 'dev-key-refused');
		await refusal(
			resolveSigner({ spec: 'env:SURI', envKind: 'production', envName: 'p', env: { SURI: '//Alice' } }),
			'dev-key-refused',
		);
		const ok = await resolveSigner({ spec: 'env:SURI', envKind: 'local', env: { SURI: '//Alice' } });
		expect(ok.address).toBe(ALICE_SR);
	});
});

describe('env:VARNAME', () => {
	it('reads a mnemonic from the variable', async () => {
		const signer = await resolveSigner({
			spec: 'env:MY_SURI',
			envKind: 'production',
			envName: 'p',
			env: { MY_SURI: `  ${mnemonic}\n` },
		});
		expect(signer).toMatchObject({ address: expected.sr, source: 'env', label: 'secret from $MY_SURI', warnings: [] });
		expect(signer.label).not.toContain(mnemonic.split(' ')[0]);
	});

	it('reads a secret URI with derivation', async () => {
		const signer = await resolveSigner({ spec: 'env:MY_SURI', envKind: 'testnet', env: { MY_SURI: `${mnemonic}//sudo` } });
		expect(signer.address).toBe(new Keyring({ type: 'sr25519' }).addFromUri(`${mnemonic}//sudo`).address);
	});

	it('reads process.env by default', async () => {
		process.env.RC_TEST_SIGNER_SURI = mnemonic;
		try {
			expect((await resolveSigner({ spec: 'env:RC_TEST_SIGNER_SURI', envKind: 'testnet' })).address).toBe(expected.sr);
		} finally {
			delete process.env.RC_TEST_SIGNER_SURI;
		}
	});

	it('gives a clear error when unset or empty, and checks the name', async () => {
		const unset = await refusal(resolveSigner({ spec: 'env:NOPE', envKind: 'testnet', env: {} }), 'env-unset');
		expect(unset.message).toBe('environment variable NOPE is not set (or empty)');
		expect(unset.hint).toMatch(/export NOPE=/);
		await refusal(resolveSigner({ spec: 'env:EMPTY', envKind: 'testnet', env: { EMPTY: '  ' } }), 'env-unset');
		await refusal(resolveSigner({ spec: 'env:1BAD-NAME', envKind: 'testnet', env: {} }), 'env-invalid-name');
	});

	it('refuses a value that is not a usable secret, without echoing it', async () => {
		const error = await refusal(
			resolveSigner({ spec: 'env:S', envKind: 'testnet', env: { S: 'hunter2 is my password' } }),
			'invalid-secret',
		);
		expect(error.message).not.toContain('hunter2');
		expect(error.message).toMatch(/4 words/);
		// 12 valid words with a bad checksum
		await refusal(
			resolveSigner({ spec: 'env:S', envKind: 'testnet', env: { S: 'abandon '.repeat(12).trim() } }),
			'invalid-secret',
		).then((e) => expect(e.message).toMatch(/not a valid mnemonic/));
		await refusal(resolveSigner({ spec: 'env:S', envKind: 'testnet', env: { S: '0x1234' } }), 'invalid-secret');
	});

	it('accepts a 32-byte hex seed', async () => {
		const seed = `0x${'12'.repeat(32)}`;
		const signer = await resolveSigner({ spec: 'env:S', envKind: 'testnet', env: { S: seed } });
		expect(signer.address).toBe(new Keyring({ type: 'sr25519' }).addFromUri(seed).address);
	});
});

describe('keystore JSON', () => {
	// scrypt makes every encode/decode take a second or two: build the files once.
	let srFile: string;
	let edFile: string;
	beforeAll(() => {
		srFile = writeKeystore('sudo.json', 'correct horse', 'sr25519', { name: 'sudo key' });
		edFile = writeKeystore('ed.json', 'pw', 'ed25519');
	});

	it('decodes with the right password, and writes nothing to disk', async () => {
		const before = fs.readdirSync(dir).sort();
		const content = fs.readFileSync(srFile, 'utf8');
		const signer = await resolveSigner({ spec: srFile, envKind: 'production', envName: 'p', password: 'correct horse' });
		expect(signer).toMatchObject({ address: expected.sr, source: 'keystore', label: `keystore ${srFile} (sudo key)`, type: 'sr25519' });
		expect(signer.pair.isLocked).toBe(false);
		const message = new Uint8Array([1, 2, 3]);
		expect(signer.pair.verify(message, signer.pair.sign(message), signer.pair.publicKey)).toBe(true);
		expect(fs.readdirSync(dir).sort()).toEqual(before);
		expect(fs.readFileSync(srFile, 'utf8')).toBe(content);
	});

	it('refuses a wrong password clearly', async () => {
		const error = await refusal(resolveSigner({ spec: srFile, envKind: 'testnet', password: 'wrong' }), 'keystore-password-wrong');
		expect(error.message).toBe(`wrong password for keystore ${srFile}`);
	});

	it('asks for a password when none is given', async () => {
		const error = await refusal(resolveSigner({ spec: srFile, envKind: 'testnet' }), 'keystore-password-required');
		expect(error.message).toBe(`keystore ${srFile} is encrypted; its password is needed`);
	});

	it('resolves relative paths against cwd, detects ed25519, and checks a requested type', async () => {
		const signer = await resolveSigner({ spec: './ed.json', envKind: 'testnet', password: 'pw', cwd: dir });
		expect(signer).toMatchObject({ address: expected.ed, type: 'ed25519', source: 'keystore' });
		expect(signer.pair.type).toBe('ed25519');
		const error = await refusal(
			resolveSigner({ spec: edFile, envKind: 'testnet', password: 'pw', keyringType: 'sr25519' }),
			'keystore-type',
		);
		expect(error.message).toMatch(/holds an ed25519 key but sr25519 was asked for/);
	});

	it('recognises an existing file given as a bare name without .json', async () => {
		fs.copyFileSync(srFile, path.join(dir, 'sudo-key'));
		// reaching the password check proves it was read as a keystore (and skips a slow decode)
		await refusal(resolveSigner({ spec: 'sudo-key', envKind: 'testnet', cwd: dir }), 'keystore-password-required');
	});

	it('reports a missing file and a file that is not a keystore', async () => {
		await refusal(resolveSigner({ spec: path.join(dir, 'missing.json'), envKind: 'testnet', password: 'x' }), 'keystore-missing');
		const notJson = path.join(dir, 'bad.json');
		fs.writeFileSync(notJson, '{nope');
		await refusal(resolveSigner({ spec: notJson, envKind: 'testnet', password: 'x' }), 'keystore-invalid');
		const notKeystore = path.join(dir, 'other.json');
		fs.writeFileSync(notKeystore, JSON.stringify({ hello: 'world' }));
		await refusal(resolveSigner({ spec: notKeystore, envKind: 'testnet', password: 'x' }), 'keystore-invalid');
	});
});

describe('raw mnemonic', () => {
	it('is allowed with a warning, and the label hides it', async () => {
		const signer = await resolveSigner({ spec: mnemonic, envKind: 'production', envName: 'p' });
		expect(signer).toMatchObject({ address: expected.sr, source: 'mnemonic', label: 'mnemonic given inline (hidden)' });
		expect(signer.warnings).toHaveLength(1);
		expect(signer.warnings[0]).toMatch(/shell history/);
	});

	it('supports ed25519', async () => {
		expect((await resolveSigner({ spec: mnemonic, envKind: 'testnet', keyringType: 'ed25519' })).address).toBe(expected.ed);
	});

	it('refuses an unrecognised spec without echoing it', async () => {
		const error = await refusal(resolveSigner({ spec: 'notafile', envKind: 'testnet', cwd: dir }), 'unknown-spec');
		expect(error.message).not.toContain('notafile');
		await refusal(resolveSigner({ spec: '   ', envKind: 'testnet' }), 'unknown-spec');
	});
});

describe('describeSignerSpec / classifySignerSpec', () => {
	it('describes without revealing secrets', () => {
		expect(describeSignerSpec('//Alice')).toBe('dev account //Alice');
		expect(describeSignerSpec('//Alice///pw')).toBe('dev account //Alice');
		expect(describeSignerSpec('env:RELEASE_CONSOLE_SURI')).toBe('secret from $RELEASE_CONSOLE_SURI');
		expect(describeSignerSpec('./keys/sudo.json')).toBe('keystore ./keys/sudo.json');
		expect(describeSignerSpec(mnemonic)).toBe('mnemonic given inline (hidden)');
		expect(describeSignerSpec(`0x${'12'.repeat(32)}`)).toBe('secret seed given inline (hidden)');
		expect(describeSignerSpec(DEV_PHRASE)).toBe('dev account (development phrase)');
		expect(describeSignerSpec('whatever')).toBe('unrecognised signer (hidden)');
	});

	it('classifies by shape', () => {
		expect(classifySignerSpec('//Bob//stash')).toBe('dev');
		expect(classifySignerSpec('env:X')).toBe('env');
		expect(classifySignerSpec('/abs/key.json')).toBe('keystore');
		expect(classifySignerSpec('~/key.json')).toBe('keystore');
		expect(classifySignerSpec(mnemonic)).toBe('mnemonic');
		expect(classifySignerSpec('bare')).toBe('unknown');
	});
});
