import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRelease } from '../../source/domain/release.js';
import { releaseReducer } from '../../source/domain/reducer.js';
import type { ArtifactInfo, Environment, Hex, Release } from '../../source/domain/types.js';
import { StoreError } from '../../source/store/errors.js';
import { isPidAlive } from '../../source/store/lock.js';
import { openStore, resolveStoreDir, SCHEMA_VERSION } from '../../source/store/store.js';

const H = (c: string): Hex => `0x${c.repeat(64)}` as Hex;
const AT = '2025-03-14T10:00:00.000Z';
const LATER = '2025-03-14T11:00:00.000Z';
const artifact: ArtifactInfo = {
	path: '/w/runtime.wasm',
	size: 10,
	uncompressedSize: 10,
	compressed: false,
	codeHash: H('a'),
	specName: 'rococo',
	specVersion: 9140,
	transactionVersion: 2,
};
const staging: Environment = {
	name: 'staging',
	endpoints: ['wss://staging.example.org'],
	kind: 'testnet',
	route: 'sudo',
	soak: { minBlocks: 10, minSeconds: 60, maxStallSeconds: 60 },
};
const devnet: Environment = {
	name: 'devnet',
	endpoints: ['embedded:rococo'],
	kind: 'local',
	route: 'sudo',
	soak: { minBlocks: 5, minSeconds: 30, maxStallSeconds: 30 },
};

function release(id = 'spec-9140-20250314-abcd', envs: Environment[] = [devnet, staging], at = AT): Release {
	return createRelease({ id, name: 'spec 9140', artifact, environments: envs, at });
}

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-store-'));
});

afterEach(() => {
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

const storeFile = () => path.join(dir, 'store.json');
const lockFile = () => path.join(dir, 'store.lock');
const readJson = () => JSON.parse(fs.readFileSync(storeFile(), 'utf8'));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

function expectStoreError(fn: () => unknown, code: string): StoreError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(StoreError);
	expect((caught as StoreError).code).toBe(code);
	return caught as StoreError;
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** A live process that is not us. */
function spawnSleeper(script = 'setTimeout(() => {}, 60000)'): ChildProcess {
	const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
	children.push(child);
	return child;
}

describe('opening', () => {
	it('creates store.json with the current schema, mode 0600', () => {
		const store = openStore({ dir });
		expect(store.path).toBe(storeFile());
		const data = readJson();
		expect(data).toMatchObject({ schemaVersion: SCHEMA_VERSION, releases: {}, environments: {} });
		expect(data.__internal__.migrations.version).toBe(`${SCHEMA_VERSION}.0.0`);
		expect(mode(storeFile())).toBe(0o600);
		expect(fs.existsSync(lockFile())).toBe(false);
	});

	it('tightens an existing file to 0600', () => {
		openStore({ dir });
		fs.chmodSync(storeFile(), 0o644);
		openStore({ dir });
		expect(mode(storeFile())).toBe(0o600);
	});

	it('defaults to $RELEASE_CONSOLE_HOME', () => {
		const saved = process.env.RELEASE_CONSOLE_HOME;
		process.env.RELEASE_CONSOLE_HOME = path.join(dir, 'home');
		try {
			expect(openStore().path).toBe(path.join(dir, 'home', 'store.json'));
			expect(resolveStoreDir()).toBe(path.join(dir, 'home'));
		} finally {
			if (saved === undefined) delete process.env.RELEASE_CONSOLE_HOME;
			else process.env.RELEASE_CONSOLE_HOME = saved;
		}
		expect(resolveStoreDir(dir)).toBe(dir);
	});

	it('refuses a file from a newer schema and leaves it untouched', () => {
		const text = JSON.stringify({ schemaVersion: 99, releases: {}, environments: {} });
		fs.writeFileSync(storeFile(), text);
		const error = expectStoreError(() => openStore({ dir }), 'newer-schema');
		expect(error.message).toMatch(/schema version 99/);
		expect(error.hint).toMatch(/upgrade release-console/);
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe(text);
	});
});

describe('migration from schema 0', () => {
	it('migrates single endpoints, missing soak, missing gates and intents', () => {
		const r = release();
		const { gates: _g, ...v0Release } = r;
		const v0Progress = Object.fromEntries(Object.entries(r.progress).map(([k, p]) => [k, { env: p.env, stages: p.stages }]));
		const v0 = {
			releases: { [r.id]: { ...v0Release, progress: v0Progress } },
			environments: {
				staging: { name: 'staging', endpoint: 'wss://staging.example.org', kind: 'testnet', route: 'sudo' },
				lab: {
					endpoint: 'ws://10.0.0.2:9944',
					kind: 'local',
					route: 'sudo',
					soak: { minBlocks: 1, minSeconds: 2, maxStallSeconds: 3 },
				},
			},
		};
		fs.writeFileSync(storeFile(), JSON.stringify(v0));
		const store = openStore({ dir });

		expect(store.getEnvironment('staging')).toEqual({
			name: 'staging',
			endpoints: ['wss://staging.example.org'],
			kind: 'testnet',
			route: 'sudo',
			soak: { minBlocks: 3000, minSeconds: 21600, maxStallSeconds: 60 },
		});
		expect(store.getEnvironment('lab')).toEqual({
			name: 'lab',
			endpoints: ['ws://10.0.0.2:9944'],
			kind: 'local',
			route: 'sudo',
			soak: { minBlocks: 1, minSeconds: 2, maxStallSeconds: 3 },
		});
		const migrated = store.getRelease(r.id)!;
		expect(migrated.gates).toEqual([]);
		expect(migrated.progress.devnet.intents).toEqual([]);
		expect(migrated.audit).toEqual(r.audit);

		const onDisk = readJson();
		expect(onDisk.schemaVersion).toBe(1);
		expect(onDisk.__internal__.migrations.version).toBe('1.0.0');
		expect(onDisk.environments.staging.endpoint).toBeUndefined();
		expect(mode(storeFile())).toBe(0o600);

		// and the migrated release keeps working with the reducer and the store
		store.dispatch(r.id, { type: 'stage/set', env: 'devnet', stage: 'artifact', status: 'done', at: LATER });
		expect(openStore({ dir }).getRelease(r.id)!.progress.devnet.stages[0].status).toBe('done');
	});

	it('does not migrate twice (a current file is left byte-for-byte alone on open)', () => {
		const store = openStore({ dir });
		store.saveEnvironment(staging);
		const before = fs.readFileSync(storeFile(), 'utf8');
		const ino = fs.statSync(storeFile()).ino;
		openStore({ dir });
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe(before);
		expect(fs.statSync(storeFile()).ino).toBe(ino);
	});
});

describe('corrupt and truncated files', () => {
	function backups(): string[] {
		return fs.readdirSync(dir).filter((n) => n.startsWith('store.json.corrupt-'));
	}

	it('a corrupt file is copied aside, not reset, and the StoreError names both paths', () => {
		const store = openStore({ dir });
		const r = release();
		store.saveRelease(r);
		const good = fs.readFileSync(storeFile(), 'utf8');
		const bad = `${good}\n}garbage`;
		fs.writeFileSync(storeFile(), bad);

		const error = expectStoreError(() => openStore({ dir }), 'corrupt');
		const [backup] = backups();
		expect(backup).toMatch(/^store\.json\.corrupt-\d{4}-\d\d-\d\dT/);
		const backupPath = path.join(dir, backup);
		expect(error.message).toContain(storeFile());
		expect(error.message).toContain(backupPath);
		expect(error.message).toMatch(/will not overwrite/);
		expect(error.hint).toMatch(/repair .* or move it away/);
		expect(error.details).toEqual([storeFile(), backupPath]);
		// untouched original, exact copy
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe(bad);
		expect(fs.readFileSync(backupPath, 'utf8')).toBe(bad);
		expect(mode(backupPath)).toBe(0o600);
		// the data is recoverable from the copy
		const recovered = JSON.parse(fs.readFileSync(backupPath, 'utf8').replace(/\n}garbage$/, ''));
		expect(recovered.releases[r.id]).toEqual(r);

		// opening again does not pile up identical copies
		expectStoreError(() => openStore({ dir }), 'corrupt');
		expect(backups()).toHaveLength(1);
	});

	it('a truncated file is reported as truncated, and the store works again once repaired', () => {
		const store = openStore({ dir });
		store.saveRelease(release());
		const good = fs.readFileSync(storeFile(), 'utf8');
		fs.writeFileSync(storeFile(), good.slice(0, Math.floor(good.length / 2)));
		const error = expectStoreError(() => openStore({ dir }), 'corrupt');
		expect(error.message).toMatch(/truncated or invalid JSON/);
		expect(backups()).toHaveLength(1);
		fs.writeFileSync(storeFile(), good);
		expect(openStore({ dir }).listReleases()).toHaveLength(1);
	});

	it('an empty file is corrupt too (never silently an empty store)', () => {
		fs.writeFileSync(storeFile(), '');
		expectStoreError(() => openStore({ dir }), 'corrupt');
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe('');
	});

	it('valid JSON of the wrong shape is refused the same way', () => {
		fs.writeFileSync(storeFile(), JSON.stringify({ releases: [], environments: {} }));
		const error = expectStoreError(() => openStore({ dir }), 'corrupt');
		expect(error.message).toMatch(/"releases" is not an object/);
		fs.writeFileSync(storeFile(), '[1,2]');
		expectStoreError(() => openStore({ dir }), 'corrupt');
	});

	it('corruption while open is caught on the next read and the file is not overwritten by a write', () => {
		const store = openStore({ dir });
		store.saveRelease(release());
		fs.writeFileSync(storeFile(), '{"releases": {');
		expectStoreError(() => store.listReleases(), 'corrupt');
		expectStoreError(() => store.saveEnvironment(staging), 'corrupt');
		expectStoreError(() => store.saveRelease(release('other')), 'corrupt');
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe('{"releases": {');
		expect(backups()).toHaveLength(1);
		expect(fs.existsSync(lockFile())).toBe(false);
	});
});

describe('releases', () => {
	it('saves, lists newest first, and gets by id or unique prefix', () => {
		const store = openStore({ dir });
		const a = release('spec-9140-20250314-aaaa');
		const b = release('spec-9140-20250314-abbb', [devnet], LATER);
		store.saveRelease(a);
		store.saveRelease(b);
		expect(store.listReleases().map((r) => r.id)).toEqual([b.id, a.id]);
		expect(store.getRelease(a.id)).toEqual(a);
		expect(store.getRelease('spec-9140-20250314-aa')).toEqual(a);
		expect(store.getRelease('nope')).toBeUndefined();
		expect(store.getRelease('')).toBeUndefined();
		const error = expectStoreError(() => store.getRelease('spec-9140'), 'ambiguous-id');
		expect(error.message).toContain(a.id);
		expect(error.message).toContain(b.id);
		// a returned copy is private
		const copy = store.getRelease(a.id)!;
		copy.name = 'changed';
		expect(store.getRelease(a.id)!.name).toBe('spec 9140');
	});

	it('writes atomically (a new file replaces the old one; no temp files left)', () => {
		const store = openStore({ dir });
		const ino = fs.statSync(storeFile()).ino;
		store.saveRelease(release());
		expect(fs.statSync(storeFile()).ino).not.toBe(ino);
		expect(fs.readdirSync(dir).sort()).toEqual(['store.json']);
		expect(mode(storeFile())).toBe(0o600);
	});

	it('updateRelease re-reads the file, so two processes do not overwrite each other', () => {
		const one = openStore({ dir });
		const two = openStore({ dir });
		const r = release();
		one.saveRelease(r);
		two.dispatch(r.id, { type: 'stage/set', env: 'devnet', stage: 'artifact', status: 'done', at: LATER });
		const updated = one.updateRelease(r.id, (current) => {
			expect(current.progress.devnet.stages[0].status).toBe('done');
			return releaseReducer(current, { type: 'stage/set', env: 'devnet', stage: 'upgrade', status: 'active', at: LATER });
		});
		expect(updated.progress.devnet.stages.map((s) => s.status)).toEqual(['done', 'active', 'pending', 'pending']);
		expect(two.getRelease(r.id)).toEqual(updated);
		expect(updated.audit).toHaveLength(3);
	});

	it('saveRelease refuses a stale copy that would drop audit entries written by someone else', () => {
		const one = openStore({ dir });
		const two = openStore({ dir });
		const r = release();
		one.saveRelease(r);
		const stale = one.getRelease(r.id)!;
		two.dispatch(r.id, { type: 'audit', entry: { at: LATER, action: 'note', detail: 'from two' } });
		const mine = releaseReducer(stale, { type: 'audit', entry: { at: LATER, action: 'note', detail: 'from one' } });
		const error = expectStoreError(() => one.saveRelease(mine), 'stale-release');
		expect(error.hint).toMatch(/updateRelease/);
		expect(one.getRelease(r.id)!.audit.at(-1)!.detail).toBe('from two');
	});

	it('updateRelease refuses to rewrite the audit log or change the id, and reports unknown ids', () => {
		const store = openStore({ dir });
		const r = release();
		store.saveRelease(r);
		expectStoreError(() => store.updateRelease(r.id, (x) => ({ ...x, audit: [] })), 'invalid-release');
		expectStoreError(
			() => store.updateRelease(r.id, (x) => ({ ...x, audit: [{ ...x.audit[0], detail: 'edited' }] })),
			'invalid-release',
		);
		expectStoreError(() => store.updateRelease(r.id, (x) => ({ ...x, id: 'other' })), 'invalid-release');
		expectStoreError(() => store.updateRelease('missing', (x) => x), 'not-found');
		expect(store.getRelease(r.id)).toEqual(r);
		expect(fs.existsSync(lockFile())).toBe(false);
	});

	it('reducer refusals surface from dispatch and leave the file alone', () => {
		const store = openStore({ dir });
		const r = release();
		store.saveRelease(r);
		const before = fs.readFileSync(storeFile(), 'utf8');
		expect(() => store.dispatch(r.id, { type: 'stage/set', env: 'devnet', stage: 'soak', status: 'done', at: LATER })).toThrow(
			/earlier stages/,
		);
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe(before);
		expect(fs.existsSync(lockFile())).toBe(false);
	});

	it('removeRelease deletes it', () => {
		const store = openStore({ dir });
		store.saveRelease(release());
		store.removeRelease('spec');
		expect(store.listReleases()).toEqual([]);
		expectStoreError(() => store.removeRelease('spec'), 'not-found');
	});
});

describe('no secrets in the store', () => {
	const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

	it('refuses a release holding a mnemonic, and the file never sees it', () => {
		const store = openStore({ dir });
		const r = releaseReducer(release(), { type: 'audit', entry: { at: LATER, action: 'note', detail: `signer ${MNEMONIC}` } });
		const error = expectStoreError(() => store.saveRelease(r), 'secret-in-store');
		expect(error.message).not.toContain('sausage');
		expect(fs.readFileSync(storeFile(), 'utf8')).not.toContain('sausage');
		expect(store.listReleases()).toEqual([]);
	});

	it('refuses an update that would add a secret URI', () => {
		const store = openStore({ dir });
		const r = release();
		store.saveRelease(r);
		expectStoreError(
			() => store.dispatch(r.id, { type: 'audit', entry: { at: LATER, action: 'signer', detail: '//Alice' } }),
			'secret-in-store',
		);
		expect(store.getRelease(r.id)).toEqual(r);
	});

	it('an environment with a stray seed field is saved without it', () => {
		const store = openStore({ dir });
		// validateEnvironment drops unknown fields, so a seed cannot even get that far
		store.saveEnvironment({ ...staging, seed: `0x${'ab'.repeat(32)}` } as Environment);
		expect(fs.readFileSync(storeFile(), 'utf8')).not.toContain('abab');
	});
});

describe('environments', () => {
	it('always lists the built-in devnet unless overridden', () => {
		const store = openStore({ dir });
		expect(store.listEnvironments().map((e) => e.name)).toEqual(['devnet']);
		expect(store.getEnvironment('devnet')?.endpoints).toEqual(['embedded:rococo']);
		store.saveEnvironment(staging);
		expect(store.listEnvironments().map((e) => e.name)).toEqual(['devnet', 'staging']);
		const mine = { ...devnet, endpoints: ['ws://127.0.0.1:9944'] };
		store.saveEnvironment(mine);
		expect(store.listEnvironments().filter((e) => e.name === 'devnet')).toEqual([mine]);
		expect(store.getEnvironment('devnet')).toEqual(mine);
		store.removeEnvironment('devnet');
		expect(store.getEnvironment('devnet')?.endpoints).toEqual(['embedded:rococo']);
		expect(store.getEnvironment('nope')).toBeUndefined();
	});

	it('validates on save with every problem listed', () => {
		const store = openStore({ dir });
		const error = expectStoreError(() => store.saveEnvironment({ ...staging, kind: 'production' }), 'invalid-environment');
		expect(error.message).toContain('cannot hang on a single signature');
		expect(error.details).toHaveLength(1);
		expectStoreError(() => store.saveEnvironment({ ...staging, name: 'Bad Name', endpoints: [] }), 'invalid-environment');
		expect(store.listEnvironments().map((e) => e.name)).toEqual(['devnet']);
	});

	it('keeps a genesis pin and refuses to re-pin', () => {
		const store = openStore({ dir });
		store.saveEnvironment({ ...staging, genesisHash: H('1') });
		expect(store.saveEnvironment({ ...staging, endpoints: ['wss://b.example.org'] }).genesisHash).toBe(H('1'));
		expect(store.getEnvironment('staging')?.endpoints).toEqual(['wss://b.example.org']);
		const error = expectStoreError(() => store.saveEnvironment({ ...staging, genesisHash: H('2') }), 'genesis-pinned');
		expect(error.hint).toMatch(/remove and re-add/);
		store.removeEnvironment('staging');
		expect(store.saveEnvironment({ ...staging, genesisHash: H('2') }).genesisHash).toBe(H('2'));
	});

	it('refuses to remove an environment an unfinished release travels; allows it once finished', () => {
		const store = openStore({ dir });
		store.saveEnvironment(staging);
		const r = release('r1', [staging]);
		store.saveRelease(r);
		const error = expectStoreError(() => store.removeEnvironment('staging'), 'environment-in-use');
		expect(error.message).toBe('environment staging is used by release in progress: r1 (spec 9140)');
		for (const stage of ['artifact', 'upgrade', 'verify', 'soak'] as const) {
			store.dispatch('r1', { type: 'stage/set', env: 'staging', stage, status: 'done', at: LATER });
		}
		store.removeEnvironment('staging');
		expect(store.getEnvironment('staging')).toBeUndefined();
	});

	it('refuses to remove the built-in devnet or an unknown environment', () => {
		const store = openStore({ dir });
		expectStoreError(() => store.removeEnvironment('devnet'), 'builtin-environment');
		expectStoreError(() => store.removeEnvironment('nope'), 'not-found');
	});
});

describe('advisory lock', () => {
	it('a lock held by a live process refuses writes with a clear message', async () => {
		const store = openStore({ dir, lockWaitMs: 0 });
		const child = spawnSleeper();
		await waitFor(() => child.pid !== undefined && isPidAlive(child.pid));
		fs.writeFileSync(lockFile(), JSON.stringify({ pid: child.pid, hostname: os.hostname(), at: AT }));
		const before = fs.readFileSync(storeFile(), 'utf8');
		const error = expectStoreError(() => store.saveRelease(release()), 'locked');
		expect(error.message).toBe(
			`another release-console (pid ${child.pid}, since ${AT}) is writing ${storeFile()}; wait for it to finish and try again`,
		);
		expect(error.hint).toBe(`if no other release-console is running, delete ${lockFile()}`);
		expectStoreError(() => store.saveEnvironment(staging), 'locked');
		expectStoreError(() => store.updateRelease('x', (r) => r), 'locked');
		expect(fs.readFileSync(storeFile(), 'utf8')).toBe(before);
		// their lock is left alone
		expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).pid).toBe(child.pid);
		// reads do not need the lock
		expect(store.listReleases()).toEqual([]);
	});

	it('a lock left by a dead process is stale and taken over', async () => {
		const child = spawnSleeper('process.exit(0)');
		await new Promise((resolve) => child.once('exit', resolve));
		expect(isPidAlive(child.pid!)).toBe(false);
		fs.writeFileSync(lockFile(), JSON.stringify({ pid: child.pid, hostname: os.hostname(), at: AT }));
		const store = openStore({ dir, lockWaitMs: 0 });
		store.saveRelease(release());
		expect(store.listReleases()).toHaveLength(1);
		expect(fs.existsSync(lockFile())).toBe(false);
		expect(fs.readdirSync(dir).filter((n) => n.includes('stale'))).toEqual([]);
	});

	it('a lock held by a live process on another host is never broken', () => {
		fs.writeFileSync(
			storeFile(),
			JSON.stringify({ schemaVersion: 1, releases: {}, environments: {}, __internal__: { migrations: { version: '1.0.0' } } }),
		);
		const store = openStore({ dir, lockWaitMs: 0 });
		fs.writeFileSync(lockFile(), JSON.stringify({ pid: 999_999_999, hostname: 'elsewhere', at: AT }));
		const error = expectStoreError(() => store.saveEnvironment(staging), 'locked');
		expect(error.message).toMatch(/pid 999999999 on elsewhere/);
	});

	it('an unreadable lock file is treated as held while fresh, stale when old', () => {
		const store = openStore({ dir, lockWaitMs: 0 });
		fs.writeFileSync(lockFile(), '');
		expectStoreError(() => store.saveEnvironment(staging), 'locked');
		const old = new Date(Date.now() - 60_000);
		fs.utimesSync(lockFile(), old, old);
		store.saveEnvironment(staging);
		expect(fs.existsSync(lockFile())).toBe(false);
	});

	it('waits for a lock that is released in time', async () => {
		const store = openStore({ dir, lockWaitMs: 10_000 });
		const child = spawnSleeper(
			`const fs = require('node:fs');
			 fs.writeFileSync(${JSON.stringify(lockFile())}, JSON.stringify({ pid: process.pid, hostname: require('node:os').hostname(), at: 'now' }));
			 setTimeout(() => { fs.unlinkSync(${JSON.stringify(lockFile())}); process.exit(0); }, 300);`,
		);
		await waitFor(() => fs.existsSync(lockFile()) && fs.readFileSync(lockFile(), 'utf8').includes(String(child.pid)));
		const started = Date.now();
		store.saveRelease(release());
		expect(Date.now() - started).toBeGreaterThan(50);
		expect(store.listReleases()).toHaveLength(1);
	});

	it('opening a store that needs migration also takes the lock', async () => {
		fs.writeFileSync(storeFile(), JSON.stringify({ environments: {}, releases: {} }));
		const child = spawnSleeper();
		await waitFor(() => child.pid !== undefined && isPidAlive(child.pid));
		fs.writeFileSync(lockFile(), JSON.stringify({ pid: child.pid, hostname: os.hostname(), at: AT }));
		expectStoreError(() => openStore({ dir, lockWaitMs: 0 }), 'locked');
		expect(readJson().schemaVersion).toBeUndefined();
	});
});
