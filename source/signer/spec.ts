/**
 * The shape of a `--signer` value, read without the keyring (so the CLI can check
 * its flags before loading anything): a dev URI, `env:VAR`, a keystore path, or a
 * secret typed on the command line.
 */
import os from 'node:os';
import path from 'node:path';

/** A keystore path: `/…`, `./…`, `../…`, `~/…`, `file:…`, `C:\…` or a name ending in `.json` (never a `//` dev URI). */
export function isPathLikeSignerSpec(spec: string): boolean {
	if (spec.startsWith('//')) return false;
	return (
		spec.startsWith('/') ||
		spec.startsWith('./') ||
		spec.startsWith('../') ||
		spec.startsWith('~/') ||
		spec.startsWith('file:') ||
		/\.json$/i.test(spec) ||
		/^[A-Za-z]:[\\/]/.test(spec)
	);
}

/** The absolute path of a keystore spec (`file:` dropped, `~/` expanded, relative to `cwd`). */
export function keystoreFilePath(spec: string, cwd = process.cwd()): string {
	const p = spec.trim().replace(/^file:/, '');
	return path.resolve(cwd, p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p);
}

/**
 * A secret written out in the spec itself, as it would be on a command line:
 * `mnemonic` (words: anything with whitespace, e.g. a mnemonic with or without a
 * derivation path) or `seed` (0x and at least 32 bytes of hex: a raw seed or secret
 * key). Dev URIs (`//Alice`), `env:VAR` and keystore paths are not secrets.
 */
export function inlineSecretKind(spec: string): 'mnemonic' | 'seed' | undefined {
	const s = spec.trim();
	if (s.startsWith('//') || s.startsWith('env:') || isPathLikeSignerSpec(s)) return undefined;
	if (/\s/.test(s)) return 'mnemonic';
	if (/^0x[0-9a-f]{64,}(\/|$)/i.test(s)) return 'seed';
	return undefined;
}
