/**
 * The store never holds secrets. `assertNoSecrets` walks any JSON value and
 * refuses mnemonics, secret URIs and private seeds. Messages name the field,
 * never the value.
 */
import englishWords from '@polkadot/util-crypto/mnemonic/wordlists/en';
import { StoreError } from './errors.js';

const BIP39 = new Set<string>(englishWords);
/** Shortest mnemonic we refuse. */
export const MIN_MNEMONIC_WORDS = 12;

const SECRET_KEY = /seed|mnemonic|password|passphrase|passwd|secret|suri|private.?key/i;
const PASSWORD_KEY = /^(password|passphrase|passwd|pass)$/i;
const HEX_SEED = /^0x(?:[0-9a-f]{64}|[0-9a-f]{128})$/i;
const LOWERCASE_WORDS = new RegExp(`^[a-z]+(?:\\s+[a-z]+){${MIN_MNEMONIC_WORDS - 1},}(?:/.*)?$`);

export interface SecretFinding {
	/** JSON path of the offending value, e.g. `$.releases.x.audit[3].detail`. */
	path: string;
	reason: string;
}

/** True when the text contains 12+ consecutive BIP39 English words (a mnemonic, maybe inside a sentence). */
export function containsMnemonic(text: string): boolean {
	let run = 0;
	for (const token of text.split(/\s+/)) {
		// "walk//stash" or "walk///password": judge the word before the derivation.
		const word = token.split('/')[0];
		if (word !== '' && BIP39.has(word)) {
			run++;
			if (run >= MIN_MNEMONIC_WORDS) return true;
		} else {
			run = 0;
		}
	}
	return false;
}

/** `//Alice`, `//Alice//stash`, `0x<seed>//hard/soft`, `0x<seed>///password`. URLs (`wss://…`) are not secret URIs. */
export function looksLikeSecretUri(text: string): boolean {
	const s = text.trim();
	if (/^\/\/[^\s/]/.test(s)) return true;
	return /^0x[0-9a-f]{64}(?:\/\/?[^\s/]+)*(?:\/\/\/\S*)?$/i.test(s) && s.includes('/');
}

export function findSecrets(value: unknown, path = '$', key?: string): SecretFinding[] {
	const found: SecretFinding[] = [];
	walk(value, path, key, found);
	return found;
}

function walk(value: unknown, path: string, key: string | undefined, found: SecretFinding[]): void {
	if (typeof value === 'string') {
		const reason = judge(value, key);
		if (reason) found.push({ path, reason });
		return;
	}
	if (Array.isArray(value)) {
		value.forEach((item, i) => walk(item, `${path}[${i}]`, key, found));
		return;
	}
	if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			const childPath = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
			walk(v, childPath, k, found);
		}
	}
}

function judge(value: string, key: string | undefined): string | undefined {
	if (containsMnemonic(value)) return 'looks like a mnemonic (12+ BIP39 words)';
	if (looksLikeSecretUri(value)) return 'looks like a secret URI (//-derived key)';
	if (key && SECRET_KEY.test(key)) {
		const trimmed = value.trim();
		if (HEX_SEED.test(trimmed)) return `field "${key}" holds what looks like a private seed (0x + hex)`;
		if (LOWERCASE_WORDS.test(trimmed)) return `field "${key}" holds what looks like a mnemonic`;
		if (PASSWORD_KEY.test(key) && trimmed !== '') return `field "${key}" holds a password`;
	}
	return undefined;
}

/** Throws StoreError `secret-in-store` when value holds anything that looks like a secret. */
export function assertNoSecrets(value: unknown, what = 'the store'): void {
	const found = findSecrets(value);
	if (found.length === 0) return;
	const lines = found.map((f) => `${f.path}: ${f.reason}`);
	throw new StoreError(
		'secret-in-store',
		`refusing to write ${what}: ${found.length === 1 ? 'a value looks' : `${found.length} values look`} like a secret (${lines[0]}${found.length > 1 ? ', …' : ''})`,
		'secrets (mnemonics, seeds, secret URIs, passwords) are never stored; pass them at signing time (RELEASE_CONSOLE_SURI, a keystore JSON) instead',
		lines,
	);
}
