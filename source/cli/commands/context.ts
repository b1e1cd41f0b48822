/**
 * What every headless command shares: the store, the home directory, the
 * embedded-chain resolver, and how results are printed.
 */
import path from 'node:path';
import { UserError } from '../../errors.js';
import { openStore, type Store } from '../../store/store.js';
import type { Environment, Release } from '../../domain/types.js';
import { pickEnvironment } from '../../domain/release.js';
import type { ResolvedSigner } from '../../signer/signer.js';
import type { EngineSigner } from '../../engine/context.js';
import type { SignerChoice } from '../../engine/session.js';

export interface Io {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
}

export const processIo: Io = {
	stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
	stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** A user error: exit 2 with a message that says what to do. */
export class UsageError extends UserError {}

export interface CommandContext {
	store: Store;
	home: string;
	io: Io;
	json: boolean;
}

export function openContext(flags: { configDir?: string; json?: boolean }, io: Io = processIo): CommandContext {
	const dir = flags.configDir ?? process.env.RELEASE_CONSOLE_HOME;
	const store = openStore(dir ? { dir } : {});
	return { store, home: path.dirname(store.path), io, json: Boolean(flags.json) };
}

export function findEnvironment(store: Store, name: string): Environment {
	const env = store.getEnvironment(name);
	if (!env) {
		const names = store.listEnvironments().map((e) => e.name);
		throw new UsageError(
			`unknown environment "${name}"`,
			`known environments: ${names.join(', ') || 'none'}; add one with \`release-console env add ${name} --endpoint URL --kind local|testnet|production --route sudo\``,
		);
	}
	return env;
}

export function findRelease(store: Store, id: string): Release {
	const release = store.getRelease(id);
	if (!release) {
		const ids = store.listReleases().map((r) => r.id);
		throw new UsageError(
			`no release "${id}"`,
			ids.length ? `releases: ${ids.join(', ')}` : 'create one with `release-console new --name NAME --wasm PATH`',
		);
	}
	return release;
}

/** The release and the environment of it that `--env` names (without it, the one it is at): what `advance` and `rehearse` act on. */
export function findReleaseEnvironment(store: Store, id: string, requested: string | undefined): { release: Release; env: Environment } {
	const release = findRelease(store, id);
	const envName = pickEnvironment(release, requested);
	if (!envName)
		throw new UsageError(
			`release ${release.id} does not travel environment ${requested}`,
			`its environments: ${release.environments.join(', ')}`,
		);
	return { release, env: findEnvironment(store, envName) };
}

/**
 * A signer given on the command line, for an environment: a keystore's
 * password comes from RELEASE_CONSOLE_PASSWORD or a masked prompt, never a flag.
 */
export async function resolveCommandSigner(spec: string, env: Pick<Environment, 'name' | 'kind'>): Promise<ResolvedSigner> {
	// A keystore that is not there is said before any password prompt (the CLI checks --signer first too).
	const { checkSignerFlag } = await import('../flags.js');
	checkSignerFlag(spec);
	let password = process.env.RELEASE_CONSOLE_PASSWORD;
	if (password === undefined && spec.endsWith('.json')) {
		const { promptSecret } = await import('../../signer/prompt.js');
		password = await promptSecret(`password for ${spec}: `);
	}
	const { resolveEngineSigner } = await import('../../engine/session.js');
	return resolveEngineSigner(spec, env, password);
}

/** The signer of an engine step from the command line: a key, or `external:ADDRESS`; `--as` for a proxy. */
export async function resolveCommandEngineSigner(choice: SignerChoice, env: Pick<Environment, 'name' | 'kind'>): Promise<EngineSigner> {
	const { checkSignerFlag } = await import('../flags.js');
	checkSignerFlag(choice.spec);
	let password = process.env.RELEASE_CONSOLE_PASSWORD;
	if (password === undefined && choice.spec.endsWith('.json')) {
		const { promptSecret } = await import('../../signer/prompt.js');
		password = await promptSecret(`password for ${choice.spec}: `);
	}
	// --signature takes what the outside signer gives: polkadot-js-signer's "Signature: 0x…" line, bare hex
	// (Vault shows it so), or the path of a PNG of Vault's signature QR code.
	let signature = choice.signature?.trim().replace(/^Signature:\s*/i, '');
	if (signature !== undefined) {
		const { readSignature } = await import('../../signer/vault.js');
		signature = readSignature(signature, { cwd: process.cwd() }).signature;
	}
	const { engineSignerFor } = await import('../../engine/session.js');
	return engineSignerFor({ ...choice, ...(signature ? { signature } : {}), ...(password !== undefined ? { password } : {}) }, env);
}
