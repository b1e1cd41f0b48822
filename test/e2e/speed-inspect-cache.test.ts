/**
 * `inspect` caches the executor's answers (Core_version, Metadata_*) by code
 * hash in the store directory: a second inspection of the same wasm gives the
 * same result without starting the wasm executor; a damaged cache entry is
 * ignored, never trusted.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { executorStarted, releaseExecutor } from '../../source/artifact/executor.js';
import { inspectArtifact } from '../../source/artifact/inspect.js';
import { defaultCacheDir } from '../../source/artifact/cache.js';
import { defaultStoreDir } from '../../source/store/store.js';
import { runCli, tempHome } from '../helpers/cli.js';

const HASH_9140 = '0xe49e1a81ddc4e80d0aed4adf9321136dd7a197deaf8a14a8d52012348f8e05b6';
let home: string;
let wasm: string;
// The CLI children run with caching on (vitest turns it off by default) in their own store directory.
const cliEnv = () => ({ RELEASE_CONSOLE_HOME: home, VITEST: undefined });
const entry = () => path.join(home, 'cache', 'runtime-calls-v1', `${HASH_9140}.json`);

beforeAll(() => {
	home = tempHome('rc-speed-inspect-');
	wasm = writeRococoWasm(9140, path.join(home, 'wasm'));
});

afterAll(async () => {
	await releaseExecutor();
	rmSync(home, { recursive: true, force: true });
});

describe('inspect cache', () => {
	it('the second inspect of Rococo 9140 prints exactly what the first (executed) one printed', async () => {
		const uncached = await runCli(['inspect', wasm, '--json'], { ...cliEnv(), RELEASE_CONSOLE_CACHE: '0' });
		expect(existsSync(entry())).toBe(false);
		const cold = await runCli(['inspect', wasm, '--json'], cliEnv());
		expect(existsSync(entry())).toBe(true);
		const warm = await runCli(['inspect', wasm, '--json'], cliEnv());
		expect(cold.code).toBe(0);
		expect(warm.code).toBe(0);
		expect(warm.stdout).toBe(cold.stdout);
		expect(cold.stdout).toBe(uncached.stdout);
		expect(warm.json().artifact).toMatchObject({
			codeHash: HASH_9140,
			specVersion: 9140,
			versionSource: 'Core_version',
			metadataVia: 'Metadata_metadata',
		});
		expect(Object.keys(JSON.parse(readFileSync(entry(), 'utf8')).calls).sort()).toEqual(['Core_version()', 'Metadata_metadata()']);
	});

	it('a cached inspection does not start the wasm executor and decodes the same runtime', async () => {
		const inspection = await inspectArtifact(wasm, { cacheDir: path.join(home, 'cache') });
		expect(executorStarted()).toBe(false);
		expect(inspection.version).toMatchObject({
			specName: 'rococo',
			specVersion: 9140,
			transactionVersion: 0,
			stateVersion: 0,
			source: 'Core_version',
		});
		expect(inspection.version.apis).toHaveLength(20);
		expect(inspection.pallets).toHaveLength(49);
		expect(inspection.pallets.find((p) => p.name === 'Sudo')).toMatchObject({ index: 32, calls: 4 });
	});

	it('a damaged cache entry is ignored: the runtime is executed again and the entry rewritten', async () => {
		writeFileSync(entry(), '{"codeHash":"' + HASH_9140 + '","calls":{"Core_version()":"0x00","Metadata_metadata()":"not hex"}');
		const inspection = await inspectArtifact(wasm, { cacheDir: path.join(home, 'cache') });
		expect(inspection.version.specVersion).toBe(9140);
		expect(executorStarted()).toBe(true);
		expect(Object.keys(JSON.parse(readFileSync(entry(), 'utf8')).calls).sort()).toEqual(['Core_version()', 'Metadata_metadata()']);
	});

	it('the cache lives in the store directory', () => {
		const saved = { home: process.env.RELEASE_CONSOLE_HOME, vitest: process.env.VITEST };
		try {
			delete process.env.VITEST;
			process.env.RELEASE_CONSOLE_HOME = home;
			expect(defaultCacheDir()).toBe(path.join(home, 'cache'));
			delete process.env.RELEASE_CONSOLE_HOME;
			expect(defaultCacheDir()).toBe(path.join(defaultStoreDir(), 'cache'));
			process.env.RELEASE_CONSOLE_CACHE = '0';
			expect(defaultCacheDir()).toBeUndefined();
		} finally {
			delete process.env.RELEASE_CONSOLE_CACHE;
			if (saved.home === undefined) delete process.env.RELEASE_CONSOLE_HOME;
			else process.env.RELEASE_CONSOLE_HOME = saved.home;
			if (saved.vitest !== undefined) process.env.VITEST = saved.vitest;
		}
	});
});
