/**
 * Turn a signer spec into a KeyringPair, refusing unsafe choices.
 *
 *   //Alice, //Bob//stash …   dev keys (well known!): local and testnet only
 *   env:VARNAME               a mnemonic or secret URI read from that variable
 *   ./key.json, /abs/key.json a polkadot-js keystore JSON (needs its password)
 *   "word word … word"        a raw mnemonic / secret URI (typed at the console's prompt; the CLI refuses
 *                             it after --signer, see cli/flags.ts checkSignerFlag)
 *
 * Nothing is written to disk, and no message ever contains the secret.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair, KeyringPair$Json } from '@polkadot/keyring/types';
import { cryptoWaitReady, keyExtractSuri, mnemonicValidate } from '@polkadot/util-crypto';
import { ReleaseError } from '../domain/errors.js';
import type { EnvironmentKind } from '../domain/types.js';
import { isPathLikeSignerSpec } from './spec.js';

/** Conventional variable for a signer secret: `--signer env:RELEASE_CONSOLE_SURI`. */
export const DEFAULT_SURI_VAR = 'RELEASE_CONSOLE_SURI';
/** The well-known development mnemonic every `//Name` dev key derives from. */
export const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const DEV_SEED = '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e';

export type SignerKeyType = 'sr25519' | 'ed25519';
export type SignerSource = 'dev' | 'env' | 'keystore' | 'mnemonic';
export type SignerSpecKind = SignerSource | 'unknown';

export type SignerErrorCode =
	| 'dev-key-refused'
	| 'env-unset'
	| 'env-invalid-name'
	| 'keystore-missing'
	| 'keystore-invalid'
	| 'keystore-password-required'
	| 'keystore-password-wrong'
	| 'keystore-type'
	| 'invalid-secret'
	| 'unknown-spec';

/** Kind `refused` (from ReleaseError): exit 1 when it reaches the CLI; commands turn bad keys into UsageError themselves. */
export class SignerError extends ReleaseError {
	declare readonly code: SignerErrorCode;

	constructor(code: SignerErrorCode, message: string, hint?: string) {
		super(code, message, hint);
		this.name = 'SignerError';
	}
}

export interface ResolveSignerOptions {
	spec: string;
	envKind: EnvironmentKind;
	/** Environment name, for messages. */
	envName?: string;
	/** Keystore password. */
	password?: string;
	/** For dev/env/mnemonic specs (default sr25519); a keystore carries its own type. */
	keyringType?: SignerKeyType;
	/** Address format (default 42, generic substrate). */
	ss58Format?: number;
	/** Where `env:VAR` is looked up (default process.env). */
	env?: Record<string, string | undefined>;
	/** Base for relative keystore paths (default process.cwd()). */
	cwd?: string;
}

export interface ResolvedSigner {
	pair: KeyringPair;
	address: string;
	source: SignerSource;
	/** Safe to display and to store: never contains the secret. */
	label: string;
	type: SignerKeyType;
	/** Things the engineer should know (e.g. a secret typed on the command line). */
	warnings: string[];
}

const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function looksLikeSecret(spec: string): boolean {
	return /\s/.test(spec.trim()) || /^0x[0-9a-f]+/i.test(spec);
}

/** What kind of spec this is, from its shape alone (no file system, no env lookup). */
export function classifySignerSpec(spec: string): SignerSpecKind {
	const s = spec.trim();
	if (s.startsWith('env:')) return 'env';
	if (s.startsWith('//')) return 'dev';
	if (isPathLikeSignerSpec(s)) return 'keystore';
	if (looksLikeSecret(s)) return isDevSecret(s) ? 'dev' : 'mnemonic';
	return 'unknown';
}

/** True when the secret derives from the public development phrase or seed. */
function isDevSecret(suri: string): boolean {
	const s = suri.trim();
	if (s.startsWith('//')) return true;
	try {
		const { phrase } = keyExtractSuri(s);
		const normalised = phrase.trim().replace(/\s+/g, ' ').toLowerCase();
		return normalised === DEV_PHRASE || normalised === DEV_SEED;
	} catch {
		return false;
	}
}

function devName(suri: string): string {
	return suri.startsWith('//') ? suri : 'the development phrase';
}

/** A display string for the spec that never reveals a secret. */
export function describeSignerSpec(spec: string): string {
	const s = spec.trim();
	switch (classifySignerSpec(s)) {
		case 'env':
			return `secret from $${s.slice(4)}`;
		case 'dev':
			return s.startsWith('//') ? `dev account ${s.split('///')[0]}` : 'dev account (development phrase)';
		case 'keystore':
			return `keystore ${s.replace(/^file:/, '')}`;
		case 'mnemonic':
			return /\s/.test(s) ? 'mnemonic given inline (hidden)' : 'secret seed given inline (hidden)';
		default:
			return 'unrecognised signer (hidden)';
	}
}

function refuseDevKey(envKind: EnvironmentKind, envName: string | undefined, what: string): void {
	if (envKind === 'local' || envKind === 'testnet') return;
	throw new SignerError(
		'dev-key-refused',
		`dev keys are refused on production environment ${envName ?? '(unnamed)'}; use a mnemonic (${DEFAULT_SURI_VAR}) or a keystore JSON` +
			(what ? ` (${what} is a well-known development key)` : ''),
		`e.g. --signer env:${DEFAULT_SURI_VAR} with the secret in that variable, or --signer ./sudo-key.json`,
	);
}

/** Check that a raw secret URI has a usable secret part, without ever echoing it. */
function checkSecretUri(suri: string, where: string): void {
	let phrase: string;
	try {
		phrase = keyExtractSuri(suri).phrase;
	} catch {
		throw new SignerError(
			'invalid-secret',
			`${where} is not a valid secret URI`,
			'expected "<mnemonic>[//hard][/soft][///password]" or a 0x seed',
		);
	}
	if (/^0x/i.test(phrase)) {
		if (!/^0x[0-9a-f]{64}$/i.test(phrase)) {
			throw new SignerError(
				'invalid-secret',
				`${where} starts with 0x but is not a 32-byte hex seed`,
				'a raw seed is 0x followed by 64 hex digits',
			);
		}
		return;
	}
	const words = phrase.trim().split(/\s+/).filter(Boolean);
	if (![12, 15, 18, 21, 24].includes(words.length)) {
		throw new SignerError(
			'invalid-secret',
			`${where} is not a mnemonic: it has ${words.length} word${words.length === 1 ? '' : 's'} (expected 12, 15, 18, 21 or 24)`,
			'check the secret; a short phrase would silently become a different account',
		);
	}
	if (!mnemonicValidate(words.join(' '))) {
		throw new SignerError(
			'invalid-secret',
			`${where} is not a valid mnemonic (unknown word or bad checksum)`,
			'check the words and their order',
		);
	}
}

function expandHome(p: string): string {
	return p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

function readKeystore(file: string): KeyringPair$Json {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new SignerError(
			'keystore-missing',
			code === 'ENOENT' ? `keystore file ${file} does not exist` : `cannot read keystore file ${file}: ${(error as Error).message}`,
			'export the account from polkadot-js / Talisman / subkey as JSON and pass its path',
		);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new SignerError('keystore-invalid', `keystore file ${file} is not JSON`, 'pass a polkadot-js keystore JSON export');
	}
	const j = json as Partial<KeyringPair$Json>;
	if (
		typeof j !== 'object' ||
		j === null ||
		typeof j.encoded !== 'string' ||
		typeof j.address !== 'string' ||
		typeof j.encoding !== 'object' ||
		j.encoding === null ||
		!Array.isArray(j.encoding.content) ||
		!Array.isArray(j.encoding.type)
	) {
		throw new SignerError('keystore-invalid', `${file} is not a polkadot-js keystore (expected address, encoded and encoding fields)`);
	}
	return j as KeyringPair$Json;
}

async function fromKeystore(options: ResolveSignerOptions, spec: string): Promise<ResolvedSigner> {
	const file = path.resolve(options.cwd ?? process.cwd(), expandHome(spec.replace(/^file:/, '')));
	const json = readKeystore(file);
	const keyType = json.encoding.content[1];
	if (keyType !== 'sr25519' && keyType !== 'ed25519') {
		throw new SignerError('keystore-type', `keystore ${file} holds a ${String(keyType)} key; only sr25519 and ed25519 are supported`);
	}
	if (options.keyringType && options.keyringType !== keyType) {
		throw new SignerError(
			'keystore-type',
			`keystore ${file} holds an ${keyType} key but ${options.keyringType} was asked for`,
			`drop the key type option, or pass a keystore with an ${options.keyringType} key`,
		);
	}
	const encrypted = !json.encoding.type.includes('none');
	const keyring = new Keyring({ type: keyType, ss58Format: options.ss58Format ?? 42 });
	let pair: KeyringPair;
	try {
		pair = keyring.addFromJson(json);
	} catch (error) {
		throw new SignerError('keystore-invalid', `keystore ${file} could not be loaded: ${(error as Error).message}`);
	}
	if (encrypted && (options.password === undefined || options.password === '')) {
		throw new SignerError(
			'keystore-password-required',
			`keystore ${file} is encrypted; its password is needed`,
			'enter the password this JSON was exported with',
		);
	}
	try {
		pair.decodePkcs8(encrypted ? options.password : undefined);
	} catch {
		throw new SignerError(
			'keystore-password-wrong',
			`wrong password for keystore ${file}`,
			'use the password the JSON was exported with',
		);
	}
	const name = typeof json.meta?.name === 'string' && json.meta.name ? ` (${json.meta.name})` : '';
	return {
		pair,
		address: pair.address,
		source: 'keystore',
		label: `keystore ${file}${name}`,
		type: keyType,
		warnings: [],
	};
}

function fromUri(options: ResolveSignerOptions, suri: string): KeyringPair {
	const type = options.keyringType ?? 'sr25519';
	const keyring = new Keyring({ type, ss58Format: options.ss58Format ?? 42 });
	try {
		return keyring.addFromUri(suri);
	} catch {
		// The library message does not contain the secret, but stay generic anyway.
		throw new SignerError('invalid-secret', `the secret could not be turned into a ${type} key`, 'check the mnemonic or secret URI');
	}
}

export async function resolveSigner(options: ResolveSignerOptions): Promise<ResolvedSigner> {
	await cryptoWaitReady();
	const spec = (options.spec ?? '').trim();
	const type = options.keyringType ?? 'sr25519';
	if (type !== 'sr25519' && type !== 'ed25519') {
		throw new SignerError('invalid-secret', `unsupported key type ${String(type)}; use sr25519 or ed25519`);
	}
	if (spec === '') {
		throw new SignerError(
			'unknown-spec',
			'no signer given',
			`pass //Alice (local/testnet), env:${DEFAULT_SURI_VAR}, or a keystore JSON path`,
		);
	}
	const kind = classifySignerSpec(spec);

	if (kind === 'env') {
		const name = spec.slice(4);
		if (!ENV_VAR_NAME.test(name)) {
			throw new SignerError('env-invalid-name', `"${name}" is not an environment variable name`, `e.g. env:${DEFAULT_SURI_VAR}`);
		}
		const value = (options.env ?? process.env)[name]?.trim();
		if (!value) {
			throw new SignerError(
				'env-unset',
				`environment variable ${name} is not set (or empty)`,
				`export ${name}="<mnemonic or secret URI>" in the shell that runs release-console`,
			);
		}
		const where = `the secret in $${name}`;
		if (isDevSecret(value)) {
			refuseDevKey(options.envKind, options.envName, `$${name}`);
		} else {
			checkSecretUri(value, where);
		}
		const pair = fromUri(options, value);
		return { pair, address: pair.address, source: 'env', label: `secret from $${name}`, type, warnings: [] };
	}

	if (kind === 'dev') {
		refuseDevKey(options.envKind, options.envName, devName(spec));
		const pair = fromUri(options, spec);
		return { pair, address: pair.address, source: 'dev', label: describeSignerSpec(spec), type, warnings: [] };
	}

	if (kind === 'keystore') {
		return fromKeystore(options, spec);
	}

	if (kind === 'mnemonic') {
		checkSecretUri(spec, 'the given secret');
		const pair = fromUri(options, spec);
		return {
			pair,
			address: pair.address,
			source: 'mnemonic',
			label: describeSignerSpec(spec),
			type,
			warnings: [
				`a secret given on the command line can end up in shell history and process lists; prefer env:${DEFAULT_SURI_VAR} or a keystore JSON`,
			],
		};
	}

	// A bare word: maybe a keystore file without a .json extension.
	const candidate = path.resolve(options.cwd ?? process.cwd(), spec);
	if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
		return fromKeystore(options, candidate);
	}
	throw new SignerError(
		'unknown-spec',
		// Not echoed: it might be a mistyped secret.
		`the signer given (${spec.length} characters, not shown) is not a dev URI, env:VAR, existing keystore file or mnemonic`,
		`use //Alice (local/testnet only), env:${DEFAULT_SURI_VAR}, or the path of a keystore JSON`,
	);
}
