/**
 * The one table of flags (source/cli/flags.ts): consistent with itself, and the
 * decisions it makes on a command line (the child-process cases are in
 * test/e2e/headless-bad-input.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
	COMMAND_FLAGS,
	FLAG_TYPES,
	defaultFlags,
	GLOBAL_FLAGS,
	checkFlags,
	closest,
	editDistance,
	givenFlags,
} from '../../source/cli/flags.js';
import { inlineSecretKind } from '../../source/signer/spec.js';

const refusal = (fn: () => void): string => {
	try {
		fn();
	} catch (error) {
		return (error as Error).message;
	}
	return '';
};

describe('the flag table', () => {
	it('names only flags meow parses, and every flag meow parses belongs to some command', () => {
		const used = new Set<string>([...GLOBAL_FLAGS, ...Object.values(COMMAND_FLAGS).flat()]);
		for (const name of used) expect(FLAG_TYPES).toHaveProperty(name);
		expect(Object.keys(FLAG_TYPES).filter((n) => !used.has(n))).toEqual([]);
	});

	it('no command lists a flag twice', () => {
		for (const [command, names] of Object.entries(COMMAND_FLAGS)) expect(new Set(names).size, command).toBe(names.length);
	});
});

describe('checkFlags', () => {
	it('refuses a typo with the closest flag of that command', () => {
		expect(refusal(() => checkFlags(['advance', 'x', '--yse'], 'advance', 'x', { yse: true }))).toBe(
			'unknown flag --yse for `advance`; did you mean --yes?',
		);
		expect(refusal(() => checkFlags(['status', '--jsno'], 'status', undefined, { jsno: true }))).toBe(
			'unknown flag --jsno for `status`; did you mean --json?',
		);
		expect(refusal(() => checkFlags(['env', 'add', 'x', '--soak-block', '3'], 'env', 'add', {}))).toBe(
			'unknown flag --soak-block for `env add`; did you mean --soak-blocks?',
		);
	});

	it('accepts the flags of the command, kebab-case, with values, negated booleans and after --', () => {
		const parsed = { env: ['devnet'], signer: '//Alice', yes: true, timeout: 30, follow: false };
		expect(
			refusal(() =>
				checkFlags(
					['advance', 'id', '--env', 'devnet', '--signer=//Alice', '--yes', '--timeout', '30', '--no-follow', '--', '--whatever'],
					'advance',
					'id',
					parsed,
				),
			),
		).toBe('');
		expect(
			refusal(() =>
				checkFlags(['inspect', 'a.wasm', '--config-dir', '/tmp/x', '--json'], 'inspect', 'a.wasm', {
					configDir: '/tmp/x',
					json: true,
				}),
			),
		).toBe('');
	});

	it('a value is not read as a flag; a missing value or a number that is not one is refused', () => {
		expect(givenFlags(['waive', 'id', '--reason', 'because', '--gate', 'g']).map((f) => f.name)).toEqual(['reason', 'gate']);
		expect(refusal(() => checkFlags(['advance', 'id', '--signer'], 'advance', 'id', { signer: '' }))).toBe('--signer needs a value');
		expect(refusal(() => checkFlags(['advance', 'id', '--timeout', 'soon'], 'advance', 'id', { timeout: Number.NaN }))).toBe(
			'--timeout needs a number',
		);
	});

	it('an unknown command is refused with the closest one', () => {
		expect(refusal(() => checkFlags(['stauts'], 'stauts', undefined, {}))).toBe('unknown command "stauts"; did you mean status?');
	});

	it('edit distance counts a swap of neighbours as one edit', () => {
		expect(editDistance('yse', 'yes')).toBe(1);
		expect(editDistance('jsno', 'json')).toBe(1);
		expect(closest('zzzz', ['json', 'yes'])).toBeUndefined();
		expect(closest('fol', ['follow', 'env'])).toBe('follow');
	});
});

describe('secrets after --signer', () => {
	it('mnemonics (any words) and 0x seeds of 32 bytes or more are secrets; dev URIs, env:VAR and keystore paths are not', () => {
		expect(inlineSecretKind('legal winner thank year wave sausage worth useful legal winner thank yellow')).toBe('mnemonic');
		expect(inlineSecretKind('bottom drive obey lake curtain smoke basket hold race lonely fit walk//Alice')).toBe('mnemonic');
		expect(inlineSecretKind(`0x${'ab'.repeat(32)}`)).toBe('seed');
		expect(inlineSecretKind(`0x${'ab'.repeat(32)}//hard`)).toBe('seed');
		expect(inlineSecretKind(`0x${'ab'.repeat(64)}`)).toBe('seed');
		expect(inlineSecretKind('//Alice')).toBeUndefined();
		expect(inlineSecretKind('//Alice//stash')).toBeUndefined();
		expect(inlineSecretKind('env:RELEASE_CONSOLE_SURI')).toBeUndefined();
		expect(inlineSecretKind('./keys/my key.json')).toBeUndefined();
		expect(inlineSecretKind('0x1234')).toBeUndefined();
		expect(inlineSecretKind('Alice')).toBeUndefined();
	});
});

describe('the console with no arguments', () => {
	it('gets the flags meow would give for an empty command line (meow is not loaded for it)', async () => {
		const { default: meow } = await import('meow');
		const parsed = meow('', { importMeta: import.meta, argv: [], flags: FLAG_TYPES, autoHelp: false, autoVersion: false });
		expect(defaultFlags()).toEqual(parsed.flags);
		expect(defaultFlags()).toMatchObject({ json: false, demo: false, env: [] });
	});
});
