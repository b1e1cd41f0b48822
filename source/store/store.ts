/**
 * Persistence of releases and environments in one JSON file (`store.json`),
 * written through `conf` (atomic temp-file + rename writes, mode 0600).
 *
 * - Every read goes to disk, so two processes see each other's work.
 * - Writes take an advisory lock (`store.lock`) and re-read before applying.
 * - A corrupt or truncated file is never reset: it is copied beside itself to
 *   `store.json.corrupt-<timestamp>` and a StoreError explains what to do.
 * - Nothing that looks like a secret is ever written (see secrets.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import Conf from 'conf';
import { BUILTIN_DEVNET_NAME, builtinDevnetEnvironment, validateEnvironment } from '../domain/environments.js';
import { isReleaseComplete } from '../domain/release.js';
import { releaseReducer } from '../domain/reducer.js';
import type { AuditEntry, Environment, Release, ReleaseAction } from '../domain/types.js';
import { StoreError } from './errors.js';
import { withLock } from './lock.js';
import { migrateV0toV1, SCHEMA_VERSION } from './migrations.js';
import { assertNoSecrets } from './secrets.js';

export { StoreError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export { SCHEMA_VERSION } from './migrations.js';

export const PROJECT_NAME = 'release-console';
export const STORE_FILE = 'store.json';
export const LOCK_FILE = 'store.lock';
export const STORE_FILE_MODE = 0o600;
/** conf needs a semver project version; schema N is stored as "N.0.0". */
const PROJECT_VERSION = `${SCHEMA_VERSION}.0.0`;
const INTERNAL_KEY = '__internal__';

export type StoreFile = {
	schemaVersion: number;
	releases: Record<string, Release>;
	environments: Record<string, Environment>;
};

export interface OpenStoreOptions {
	/** Directory holding store.json; default $RELEASE_CONSOLE_HOME, else conf's default for `release-console`. */
	dir?: string;
	/** How long a write waits for another process's lock before failing (default 2000 ms). */
	lockWaitMs?: number;
}

export interface Store {
	/** Absolute path of store.json. */
	readonly path: string;
	readonly dir: string;
	readonly lockPath: string;
	/** Newest first (by createdAt). */
	listReleases(): Release[];
	/** By exact id, or by a unique id prefix. Undefined when nothing matches; StoreError when the prefix is ambiguous. */
	getRelease(idOrPrefix: string): Release | undefined;
	/** Insert or replace. Refused when the stored copy has audit entries this one lacks (someone else wrote since). */
	saveRelease(release: Release): void;
	/** Re-read, apply fn, write, under the lock. fn receives a private copy. Returns the saved release. */
	updateRelease(idOrPrefix: string, fn: (release: Release) => Release): Release;
	/** `updateRelease(id, r => releaseReducer(r, action))`. */
	dispatch(idOrPrefix: string, action: ReleaseAction): Release;
	/** Delete a release and its audit log. */
	removeRelease(idOrPrefix: string): void;
	/** Stored environments; the built-in `devnet` first unless the user saved their own `devnet`. */
	listEnvironments(): Environment[];
	getEnvironment(name: string): Environment | undefined;
	/** Validated; a pinned genesis hash cannot be changed (remove and re-add instead) and is kept when omitted. */
	saveEnvironment(env: Environment): Environment;
	/** Refused while an unfinished release travels it. Removing a saved `devnet` restores the built-in one. */
	removeEnvironment(name: string): void;
}

/** conf's default directory for projectName `release-console` (env-paths `config`, suffix `nodejs`). */
export function defaultStoreDir(): string {
	const name = `${PROJECT_NAME}-nodejs`;
	const home = os.homedir();
	if (process.platform === 'darwin') return path.join(home, 'Library', 'Preferences', name);
	if (process.platform === 'win32') {
		return path.join(process.env.APPDATA || path.join(home, 'AppData', 'Roaming'), name, 'Config');
	}
	return path.join(process.env.XDG_CONFIG_HOME || path.join(home, '.config'), name);
}

export function resolveStoreDir(dir?: string): string {
	return path.resolve(dir ?? (process.env.RELEASE_CONSOLE_HOME || defaultStoreDir()));
}

// --- corrupt files -------------------------------------------------------------

function timestamp(): string {
	return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Copy the bad file beside itself (reusing an identical earlier copy) and return the copy's path. */
export function backupCorruptFile(filePath: string): string {
	const bytes = fs.readFileSync(filePath);
	const dir = path.dirname(filePath);
	const prefix = `${path.basename(filePath)}.corrupt-`;
	for (const name of fs.readdirSync(dir).sort()) {
		if (!name.startsWith(prefix)) continue;
		const candidate = path.join(dir, name);
		try {
			if (bytes.equals(fs.readFileSync(candidate))) return candidate;
		} catch {
			// unreadable copy: ignore
		}
	}
	let target = path.join(dir, `${prefix}${timestamp()}`);
	for (let n = 1; fs.existsSync(target); n++) target = path.join(dir, `${prefix}${timestamp()}-${n}`);
	fs.copyFileSync(filePath, target, fs.constants.COPYFILE_EXCL);
	fs.chmodSync(target, STORE_FILE_MODE);
	return target;
}

function corruptError(filePath: string, problem: string): StoreError {
	let backup: string;
	try {
		backup = backupCorruptFile(filePath);
	} catch (error) {
		return new StoreError(
			'corrupt',
			`the release store ${filePath} is unreadable (${problem}), and copying it aside failed: ${(error as Error).message}`,
			`copy ${filePath} somewhere safe yourself, then repair it or move it away to start with an empty store`,
		);
	}
	return new StoreError(
		'corrupt',
		`the release store ${filePath} is unreadable (${problem}); release-console will not overwrite it. A copy was saved to ${backup}`,
		`repair ${filePath} by hand (the copy keeps the original bytes), or move it away to start with an empty store; nothing was changed`,
		[filePath, backup],
	);
}

function describeParseError(error: Error, text: string): string {
	// The parser ran out of input: the file was most likely cut short.
	const position = /at position (\d+)/.exec(error.message);
	const atEnd = position !== null && Number(position[1]) >= text.trimEnd().length - 1;
	const truncated = text.trim() === '' || atEnd || /end of (JSON )?input|Unterminated string/i.test(error.message);
	return `${truncated ? 'truncated or ' : ''}invalid JSON: ${error.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why data is not a store file, or undefined when its shape is fine. */
function shapeProblem(data: unknown): string | undefined {
	if (!isRecord(data)) return 'the top level is not a JSON object';
	for (const key of ['releases', 'environments'] as const) {
		const value = data[key];
		if (value === undefined) continue;
		if (!isRecord(value)) return `"${key}" is not an object`;
		for (const [k, entry] of Object.entries(value)) {
			if (!isRecord(entry)) return `${key}.${k} is not an object`;
		}
	}
	if (data.schemaVersion !== undefined && typeof data.schemaVersion !== 'number') return '"schemaVersion" is not a number';
	return undefined;
}

function newerSchemaError(filePath: string, version: number): StoreError {
	return new StoreError(
		'newer-schema',
		`the release store ${filePath} has schema version ${version}, newer than this release-console understands (${SCHEMA_VERSION})`,
		'upgrade release-console; the file was left untouched',
	);
}

// --- helpers -------------------------------------------------------------------

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (isRecord(value)) {
		return `{${Object.keys(value)
			.filter((k) => value[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

function auditExtends(stored: AuditEntry[], next: AuditEntry[]): boolean {
	if (next.length < stored.length) return false;
	return stored.every((entry, i) => canonical(entry) === canonical(next[i]));
}

function releaseProblem(release: unknown): string | undefined {
	if (!isRecord(release)) return 'not an object';
	if (typeof release.id !== 'string' || release.id.trim() === '') return 'id is missing';
	if (!Array.isArray(release.environments)) return 'environments is not a list';
	if (!isRecord(release.progress)) return 'progress is not an object';
	if (!Array.isArray(release.gates)) return 'gates is not a list';
	if (!Array.isArray(release.audit)) return 'audit is not a list';
	return undefined;
}

const clone = <T>(value: T): T => structuredClone(value);

// --- the store -------------------------------------------------------------------

type RawFile = StoreFile & { [INTERNAL_KEY]?: unknown };

class FileStore implements Store {
	readonly path: string;
	readonly dir: string;
	readonly lockPath: string;
	readonly #conf: Conf<StoreFile>;
	readonly #lockWaitMs: number;

	constructor(options: OpenStoreOptions) {
		this.dir = resolveStoreDir(options.dir);
		this.path = path.join(this.dir, STORE_FILE);
		this.lockPath = path.join(this.dir, LOCK_FILE);
		this.#lockWaitMs = options.lockWaitMs ?? 2_000;

		try {
			fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		} catch (error) {
			throw new StoreError(
				'io',
				`cannot create the store directory ${this.dir}: ${(error as Error).message}`,
				'set RELEASE_CONSOLE_HOME to a writable directory',
			);
		}

		// Look at the file ourselves first: conf would happily rewrite a file
		// from a newer schema, and we want corruption reported our way.
		const needsInit = this.#preflight();
		const construct = () =>
			new Conf<StoreFile>({
				projectName: PROJECT_NAME,
				cwd: this.dir,
				configName: 'store',
				projectVersion: PROJECT_VERSION,
				defaults: { schemaVersion: SCHEMA_VERSION, releases: {}, environments: {} },
				migrations: {
					'1.0.0': (conf) => {
						conf.store = migrateV0toV1(conf.store as Record<string, unknown>) as StoreFile;
					},
				},
				clearInvalidConfig: false,
				accessPropertiesByDotNotation: false,
				configFileMode: STORE_FILE_MODE,
				watch: false,
			});
		try {
			this.#conf = needsInit ? this.#locked(construct) : construct();
		} catch (error) {
			if (error instanceof StoreError) throw error;
			if (error instanceof SyntaxError) throw corruptError(this.path, `invalid JSON: ${error.message}`);
			const message = (error as Error).message ?? String(error);
			if (/migration/i.test(message)) {
				throw new StoreError(
					'migration-failed',
					`upgrading the release store ${this.path} to schema ${SCHEMA_VERSION} failed: ${message}`,
					'the file was restored to its previous content; report this bug with a copy of the file (it holds no secrets)',
				);
			}
			throw new StoreError('io', `cannot open the release store ${this.path}: ${message}`);
		}
		try {
			fs.chmodSync(this.path, STORE_FILE_MODE);
		} catch {
			// not fatal (e.g. not the owner); writes set the mode anyway
		}
	}

	/** Validate the file as it is on disk; returns whether conf will need to write (create or migrate). */
	#preflight(): boolean {
		let text: string;
		try {
			text = fs.readFileSync(this.path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
			throw new StoreError('io', `cannot read the release store ${this.path}: ${(error as Error).message}`);
		}
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch (error) {
			throw corruptError(this.path, describeParseError(error as Error, text));
		}
		const problem = shapeProblem(data);
		if (problem) throw corruptError(this.path, problem);
		const file = data as Partial<RawFile>;
		const version = file.schemaVersion ?? 0;
		if (version > SCHEMA_VERSION) throw newerSchemaError(this.path, version);
		const internal = file[INTERNAL_KEY] as { migrations?: { version?: string } } | undefined;
		return version !== SCHEMA_VERSION || internal?.migrations?.version !== PROJECT_VERSION;
	}

	#locked<T>(fn: () => T): T {
		return withLock(this.lockPath, { waitMs: this.#lockWaitMs, label: this.path }, fn);
	}

	/** The whole file, fresh from disk. */
	#read(): RawFile {
		let data: unknown;
		try {
			data = this.#conf.store;
		} catch (error) {
			if (error instanceof SyntaxError) {
				let text = '';
				try {
					text = fs.readFileSync(this.path, 'utf8');
				} catch {
					// ignore
				}
				throw corruptError(this.path, describeParseError(error, text));
			}
			throw new StoreError('io', `cannot read the release store ${this.path}: ${(error as Error).message}`);
		}
		const problem = shapeProblem(data);
		if (problem) throw corruptError(this.path, problem);
		const file = data as Partial<RawFile>;
		if ((file.schemaVersion ?? SCHEMA_VERSION) > SCHEMA_VERSION) throw newerSchemaError(this.path, file.schemaVersion!);
		return {
			...file,
			schemaVersion: file.schemaVersion ?? SCHEMA_VERSION,
			releases: file.releases ?? {},
			environments: file.environments ?? {},
		} as RawFile;
	}

	#write(data: RawFile): void {
		assertNoSecrets(data, this.path);
		try {
			this.#conf.store = data;
		} catch (error) {
			throw new StoreError(
				'io',
				`cannot write the release store ${this.path}: ${(error as Error).message}`,
				'check free disk space and permissions',
			);
		}
	}

	#resolveId(data: RawFile, idOrPrefix: string): string | undefined {
		if (!idOrPrefix) return undefined;
		if (Object.hasOwn(data.releases, idOrPrefix)) return idOrPrefix;
		const matches = Object.keys(data.releases).filter((id) => id.startsWith(idOrPrefix));
		if (matches.length > 1) {
			throw new StoreError(
				'ambiguous-id',
				`"${idOrPrefix}" matches ${matches.length} releases: ${matches.sort().join(', ')}`,
				'type more of the id',
				matches,
			);
		}
		return matches[0];
	}

	#requireId(data: RawFile, idOrPrefix: string): string {
		const id = this.#resolveId(data, idOrPrefix);
		if (!id) throw new StoreError('not-found', `no release "${idOrPrefix}" in ${this.path}`, 'list releases to see their ids');
		return id;
	}

	listReleases(): Release[] {
		return Object.values(this.#read().releases)
			.map(clone)
			.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.id.localeCompare(b.id));
	}

	getRelease(idOrPrefix: string): Release | undefined {
		const data = this.#read();
		const id = this.#resolveId(data, idOrPrefix);
		return id ? clone(data.releases[id]) : undefined;
	}

	saveRelease(release: Release): void {
		const problem = releaseProblem(release);
		if (problem) throw new StoreError('invalid-release', `cannot save release: ${problem}`);
		assertNoSecrets(release, `release ${release.id}`);
		this.#locked(() => {
			const data = this.#read();
			const stored = data.releases[release.id];
			if (stored && !auditExtends(stored.audit ?? [], release.audit)) {
				throw new StoreError(
					'stale-release',
					`release ${release.id} changed in ${this.path} since this copy was read (its audit log has entries this copy lacks)`,
					'another release-console may be working on it; re-read the release and apply the change with updateRelease',
				);
			}
			this.#write({ ...data, releases: { ...data.releases, [release.id]: clone(release) } });
		});
	}

	updateRelease(idOrPrefix: string, fn: (release: Release) => Release): Release {
		return this.#locked(() => {
			const data = this.#read();
			const id = this.#requireId(data, idOrPrefix);
			const current = data.releases[id];
			const next = fn(clone(current));
			const problem = releaseProblem(next);
			if (problem) throw new StoreError('invalid-release', `update of release ${id} produced an invalid release: ${problem}`);
			if (next.id !== id) {
				throw new StoreError('invalid-release', `update of release ${id} changed its id to ${next.id}`, 'release ids never change');
			}
			if (!auditExtends(current.audit ?? [], next.audit)) {
				throw new StoreError('invalid-release', `update of release ${id} rewrote its audit log`, 'the audit log is append-only');
			}
			if (canonical(next) === canonical(current)) return clone(next);
			this.#write({ ...data, releases: { ...data.releases, [id]: clone(next) } });
			return clone(next);
		});
	}

	dispatch(idOrPrefix: string, action: ReleaseAction): Release {
		return this.updateRelease(idOrPrefix, (release) => releaseReducer(release, action));
	}

	removeRelease(idOrPrefix: string): void {
		this.#locked(() => {
			const data = this.#read();
			const id = this.#requireId(data, idOrPrefix);
			const releases = { ...data.releases };
			delete releases[id];
			this.#write({ ...data, releases });
		});
	}

	listEnvironments(): Environment[] {
		const stored = Object.values(this.#read().environments).map(clone);
		return stored.some((e) => e.name === BUILTIN_DEVNET_NAME) ? stored : [builtinDevnetEnvironment(), ...stored];
	}

	getEnvironment(name: string): Environment | undefined {
		const data = this.#read();
		if (Object.hasOwn(data.environments, name)) return clone(data.environments[name]);
		return name === BUILTIN_DEVNET_NAME ? builtinDevnetEnvironment() : undefined;
	}

	saveEnvironment(input: Environment): Environment {
		const result = validateEnvironment(input);
		if (!result.ok) {
			const name = isRecord(input) && typeof input.name === 'string' ? input.name : '(unnamed)';
			throw new StoreError(
				'invalid-environment',
				`environment ${name} is not valid: ${result.errors.join('; ')}`,
				'fix the listed fields and save again',
				result.errors,
			);
		}
		const env = result.env;
		return this.#locked(() => {
			const data = this.#read();
			const existing = Object.hasOwn(data.environments, env.name) ? data.environments[env.name] : undefined;
			if (existing?.genesisHash) {
				if (env.genesisHash && env.genesisHash.toLowerCase() !== existing.genesisHash.toLowerCase()) {
					throw new StoreError(
						'genesis-pinned',
						`environment ${env.name} is pinned to genesis ${existing.genesisHash}; refusing to re-pin it to ${env.genesisHash}`,
						'if the chain was really reset, remove and re-add the environment',
					);
				}
				env.genesisHash = existing.genesisHash;
			}
			this.#write({ ...data, environments: { ...data.environments, [env.name]: env } });
			return clone(env);
		});
	}

	removeEnvironment(name: string): void {
		this.#locked(() => {
			const data = this.#read();
			if (!Object.hasOwn(data.environments, name)) {
				if (name === BUILTIN_DEVNET_NAME) {
					throw new StoreError(
						'builtin-environment',
						'devnet is built in and cannot be removed',
						'you can override it by saving your own environment named devnet',
					);
				}
				throw new StoreError('not-found', `no environment named ${name}`, 'list environments to see their names');
			}
			const users = Object.values(data.releases).filter(
				(r) => Array.isArray(r.environments) && r.environments.includes(name) && !isReleaseComplete(r),
			);
			if (users.length > 0) {
				throw new StoreError(
					'environment-in-use',
					`environment ${name} is used by release${users.length > 1 ? 's' : ''} in progress: ${users.map((r) => `${r.id} (${r.name})`).join(', ')}`,
					`finish ${users.length > 1 ? 'those releases' : 'that release'}, or remove ${users.length > 1 ? 'them' : 'it'}, first`,
					users.map((r) => r.id),
				);
			}
			const environments = { ...data.environments };
			delete environments[name];
			this.#write({ ...data, environments });
		});
	}
}

export function openStore(options: OpenStoreOptions = {}): Store {
	return new FileStore(options);
}
