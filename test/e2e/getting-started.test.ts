/**
 * Getting started as the README says: the command a `npm install` makes (the bin,
 * built by `prepare`), a build that `npm start` / `npm test` skip only when no input
 * changed, and the sample wasm as a file.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, runCli, tempHome } from '../helpers/cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the command', () => {
	it('package.json names dist/cli.js as the bin, and npm install builds it (prepare); it starts with a shebang and is executable', () => {
		expect(pkg.bin).toEqual({ 'release-console': 'dist/cli.js' });
		expect(pkg.scripts.prepare).toMatch(/^node scripts\/build\.mjs\b/);
		expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
		expect(statSync(CLI).mode & 0o111).toBe(0o111);
		// run as a command (the shebang), not through `node`
		const r = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
		expect(r.status).toBe(0);
		expect(r.stdout.trim()).toBe(pkg.version);
	});

	it('sample-wasm writes the Rococo runtimes the samples use, as files inspect reads', async () => {
		const home = tempHome();
		const out = path.join(home, 'wasm');
		const r = await runCli(['sample-wasm', '--out', out, '--json'], { RELEASE_CONSOLE_HOME: home });
		expect(r.code).toBe(0);
		const files = r.json().files as { specVersion: number; path: string; codeHash: string; from: string }[];
		expect(files.map((f) => [f.specVersion, path.basename(f.path)])).toEqual([
			[9130, 'rococo_runtime-v9130.compact.compressed.wasm'],
			[9140, 'rococo_runtime-v9140.compact.compressed.wasm'],
		]);
		expect(files[1]!.from).toMatch(/node_modules\/rococo-9140\/dist\/connector\/specs\/rococo_v2_1\.json$/);
		const inspected = await runCli(['inspect', files[1]!.path, '--json'], { RELEASE_CONSOLE_HOME: home });
		expect(inspected.code).toBe(0);
		expect(inspected.json().artifact.codeHash).toBe(files[1]!.codeHash);
		expect(inspected.json().artifact.specVersion).toBe(9140);
		// The asset hub's two codes: statemine 900 at genesis, and the byte-different copy the relay + asset hub sample ships.
		const hub = r.json().assetHub as { which: string; path: string; codeHash: string }[];
		expect(hub.map((f) => f.which)).toEqual(['genesis', 'rebuilt']);
		expect(hub[0]!.codeHash).toBe('0x0be70b77f97295cdda6109a8476ada38b1c042240641e156ab97a6a0352f47ee');
		expect(hub[1]!.codeHash).not.toBe(hub[0]!.codeHash);
		const rebuilt = await runCli(['inspect', hub[1]!.path, '--json'], { RELEASE_CONSOLE_HOME: home });
		expect(rebuilt.json().artifact.specName).toBe('statemine');
		expect(rebuilt.json().artifact.specVersion).toBe(900);
		expect(rebuilt.json().artifact.codeHash).toBe(hub[1]!.codeHash);
	}, 120_000);
});

describe('build only when the inputs changed (scripts/build.mjs --if-changed)', () => {
	it('skips an unchanged tree, rebuilds after a content change or a missing output; without the flag it always builds', () => {
		// A copy of the inputs (the shared tree is not edited), with the installed node_modules.
		const dir = path.join(tempHome('rc-build-'), 'tree');
		mkdirSync(dir);
		for (const p of ['source', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json'])
			cpSync(path.join(root, p), path.join(dir, p), { recursive: true });
		symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
		const build = (...args: string[]) => {
			const r = spawnSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: dir, encoding: 'utf8' });
			expect(r.status, r.stderr).toBe(0);
			return r.stdout;
		};
		try {
			expect(build('--if-changed')).toMatch(/^dist\/: \d+ JavaScript files/);
			expect(build('--if-changed')).toMatch(/^dist\/ is up to date/);
			// the same content with a new mtime: still up to date (content, not mtimes)
			const file = path.join(dir, 'source/cli/cli.tsx');
			writeFileSync(file, readFileSync(file));
			expect(build('--if-changed')).toMatch(/^dist\/ is up to date/);
			// changed content: built again, and the bundle has the change
			writeFileSync(
				file,
				readFileSync(file, 'utf8').replace('open the console (needs a terminal)', 'open the console (changed here)'),
			);
			expect(build('--if-changed')).toMatch(/^dist\/: \d+ JavaScript files/);
			expect(readFileSync(path.join(dir, 'dist/cli.js'), 'utf8')).toContain('open the console (changed here)');
			// an output removed (a half-deleted dist/): built again
			rmSync(path.join(dir, 'dist/cli.js'));
			expect(build('--if-changed')).toMatch(/^dist\/: \d+ JavaScript files/);
			expect(existsSync(path.join(dir, 'dist/cli.js'))).toBe(true);
			// npm run build: always
			expect(build()).toMatch(/^dist\/: \d+ JavaScript files/);
		} finally {
			rmSync(path.dirname(dir), { recursive: true, force: true });
		}
	}, 240_000);
});
