/**
 * Store faults across processes: several consoles writing one store at the
 * same time (node processes calling openStore + updateRelease in loops, and
 * the headless commands in parallel), a process holding the lock, a store
 * written by an older schema, and a truncated file, all through the built
 * code (dist/) the way users run it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const STORE = pathToUrl(path.join(DIST, 'store/store.js'));
const RELEASE = pathToUrl(path.join(DIST, 'domain/release.js'));
const ENVS = pathToUrl(path.join(DIST, 'domain/environments.js'));

function pathToUrl(p: string): string {
	return new URL(`file://${p}`).href;
}

let home: string;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

/** Run a node ES module (source text) as its own process; resolves with its exit code and output. */
function runNode(source: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const file = path.join(home, `script-${Math.random().toString(36).slice(2)}.mjs`);
	fs.writeFileSync(file, source);
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** A release in the store, made with the real domain code. */
async function seedRelease(): Promise<string> {
	const r = await runNode(`
		import { openStore } from '${STORE}';
		import { createRelease } from '${RELEASE}';
		import { builtinDevnetEnvironment } from '${ENVS}';
		const store = openStore({ dir: ${JSON.stringify(home)} });
		const release = createRelease({
			id: 'shared', name: 'shared release',
			artifact: { path: '/w/runtime.wasm', size: 1, uncompressedSize: 1, compressed: false, codeHash: '0x${'ab'.repeat(32)}', specName: 'rococo', specVersion: 9140, transactionVersion: 0 },
			environments: [builtinDevnetEnvironment()], at: new Date().toISOString(),
		});
		store.saveRelease(release);
		// a failing forward-compatibility gate, as the artifact stage records it
		store.dispatch(release.id, { type: 'gate/set', gate: { id: 'forward-compatible', env: 'devnet', status: 'fail', summary: '3 breaking changes', checkedAt: new Date().toISOString() }, at: new Date().toISOString() });
		console.log(release.id);
	`);
	expect(r.stderr).toBe('');
	return r.stdout.trim();
}

const files = () => fs.readdirSync(home).filter((f) => !f.startsWith('script-'));

beforeEach(() => {
	home = tempHome('rc-store-faults-');
});

describe('concurrent writers', () => {
	it(
		'4 processes × 25 updates of the same release: every update kept, in order, the file always readable',
		{ timeout: 120_000 },
		async () => {
			const id = await seedRelease();
			const before = JSON.parse(fs.readFileSync(path.join(home, 'store.json'), 'utf8')).releases[id].audit.length;
			const writer = (n: number) =>
				runNode(`
				import { openStore } from '${STORE}';
				const store = openStore({ dir: ${JSON.stringify(home)}, lockWaitMs: 30000 });
				for (let i = 0; i < 25; i++) {
					store.dispatch('${id}', { type: 'audit', entry: { at: new Date().toISOString(), action: 'note', detail: 'writer ${n} update ' + i } });
				}
			`);
			// A reader in a loop meanwhile: it must only ever see a whole, valid file.
			const reader = runNode(`
			import { openStore } from '${STORE}';
			const store = openStore({ dir: ${JSON.stringify(home)} });
			let reads = 0, last = 0;
			const until = Date.now() + 3000;
			while (Date.now() < until) {
				const r = store.getRelease('${id}');
				if (!r || r.audit.length < last) { console.error('inconsistent read'); process.exit(3); }
				last = r.audit.length; reads++;
			}
			console.log(reads);
		`);
			const results = await Promise.all([writer(1), writer(2), writer(3), writer(4), reader]);
			for (const r of results) {
				expect(r.stderr).toBe('');
				expect(r.code).toBe(0);
			}
			expect(Number(results[4]!.stdout)).toBeGreaterThan(0);

			const file = JSON.parse(fs.readFileSync(path.join(home, 'store.json'), 'utf8'));
			const details: string[] = file.releases[id].audit.slice(before).map((a: { detail: string }) => a.detail);
			expect(details).toHaveLength(100);
			for (const n of [1, 2, 3, 4]) {
				expect(details.filter((d) => d.startsWith(`writer ${n} `))).toEqual(
					Array.from({ length: 25 }, (_, i) => `writer ${n} update ${i}`),
				);
			}
			// No lock, temp or corrupt-copy file left behind.
			expect(files().sort()).toEqual(['store.json']);
			expect(fs.statSync(path.join(home, 'store.json')).mode & 0o777).toBe(0o600);
		},
	);

	it('headless commands in parallel (env add ×4 and waive): all applied, none lost', { timeout: 120_000 }, async () => {
		const id = await seedRelease();
		const adds = [1, 2, 3, 4].map((n) =>
			runCli(
				['env', 'add', `staging-${n}`, '--endpoint', `wss://rpc-${n}.example.org`, '--kind', 'testnet', '--route', 'sudo'],
				env(),
			),
		);
		const waive = runCli(
			['waive', id, '--env', 'devnet', '--gate', 'forward-compatible', '--reason', 'reviewed the breaking changes with QA'],
			env(),
		);
		const results = await Promise.all([...adds, waive]);
		for (const r of results) {
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
		}
		const status = (await runCli(['status', '--json'], env())).json();
		expect(status.environments.map((e: { name: string }) => e.name)).toEqual(
			expect.arrayContaining(['staging-1', 'staging-2', 'staging-3', 'staging-4']),
		);
		const release = status.releases.find((r: { id: string }) => r.id === id);
		expect(release.gates.find((g: { id: string }) => g.id === 'forward-compatible').status).toBe('waived');
	});

	it(
		'while another process holds the lock: writers get a clear lock message (exit 2), readers a consistent read',
		{ timeout: 60_000 },
		async () => {
			await seedRelease();
			// Another console holds store.lock (as a console mid-write would) for 6 s.
			const holder = spawn(
				process.execPath,
				[
					'--input-type=module',
					'-e',
					`import { acquireLock } from '${pathToUrl(path.join(DIST, 'store/lock.js'))}';
			 acquireLock(${JSON.stringify(path.join(home, 'store.lock'))});
			 console.log('locked');
			 setTimeout(() => process.exit(0), 6000);`,
				],
				{ stdio: ['ignore', 'pipe', 'inherit'] },
			);
			await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
			try {
				const add = await runCli(
					['env', 'add', 'blocked', '--endpoint', 'wss://rpc.example.org', '--kind', 'testnet', '--route', 'sudo'],
					env(),
				);
				expect(add.code).toBe(2);
				expect(add.stderr).toContain(`another release-console (pid ${holder.pid}`);
				expect(add.stderr).toMatch(/is writing .*store\.json; wait for it to finish and try again/);
				expect(add.stderr).toMatch(/what to do: if no other release-console is running, delete .*store\.lock/);
				// Reads do not need the lock.
				const status = await runCli(['status', '--json'], env());
				expect(status.code).toBe(0);
				expect(status.json().releases).toHaveLength(1);
			} finally {
				await new Promise((r) => holder.once('exit', r));
			}
			// Once it is gone, the same command goes through.
			const again = await runCli(
				['env', 'add', 'blocked', '--endpoint', 'wss://rpc.example.org', '--kind', 'testnet', '--route', 'sudo'],
				env(),
			);
			expect(again.code).toBe(0);
		},
	);

	it('a console killed while holding the lock does not block the next one', { timeout: 60_000 }, async () => {
		// A console takes the lock and is killed (SIGKILL: no clean-up) before releasing it.
		const holder = spawn(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				`import { acquireLock } from '${pathToUrl(path.join(DIST, 'store/lock.js'))}';
			 acquireLock(${JSON.stringify(path.join(home, 'store.lock'))});
			 console.log('locked');
			 setInterval(() => {}, 1000);`,
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
		holder.kill('SIGKILL');
		await new Promise((r) => holder.once('exit', r));
		expect(JSON.parse(fs.readFileSync(path.join(home, 'store.lock'), 'utf8')).pid).toBe(holder.pid);
		const add = await runCli(
			['env', 'add', 'after-crash', '--endpoint', 'wss://rpc.example.org', '--kind', 'testnet', '--route', 'sudo'],
			env(),
		);
		expect(add.stderr).toBe('');
		expect(add.code).toBe(0);
		expect(fs.existsSync(path.join(home, 'store.lock'))).toBe(false);
	});
});

describe('older and damaged files, through the commands', () => {
	it('a schema-0 store migrates on first use, and the migrated environment works', async () => {
		fs.writeFileSync(
			path.join(home, 'store.json'),
			JSON.stringify({
				releases: {},
				environments: { lab: { name: 'lab', endpoint: 'ws://10.0.0.2:9944', kind: 'local', route: 'sudo' } },
			}),
		);
		const list = await runCli(['env', 'list', '--json'], env());
		expect(list.code).toBe(0);
		const lab = list.json().environments.find((e: { name: string }) => e.name === 'lab');
		expect(lab.endpoints).toEqual(['ws://10.0.0.2:9944']);
		expect(lab.soak).toEqual(expect.objectContaining({ minBlocks: expect.any(Number) }));
		const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'store.json'), 'utf8'));
		expect(onDisk.schemaVersion).toBe(1);
		expect(onDisk.environments.lab.endpoint).toBeUndefined();
	});

	it('a truncated store: exit 2, reported as truncated, copied aside byte for byte, never reset', async () => {
		await seedRelease();
		const file = path.join(home, 'store.json');
		const whole = fs.readFileSync(file);
		const cut = whole.subarray(0, Math.floor(whole.length / 2));
		fs.writeFileSync(file, cut);
		for (const args of [
			['status'],
			['env', 'add', 'x', '--endpoint', 'wss://rpc.example.org', '--kind', 'testnet', '--route', 'sudo'],
		]) {
			const r = await runCli(args, env());
			expect(r.code).toBe(2);
			expect(r.stderr).toMatch(/the release store .*store\.json is unreadable \(truncated or invalid JSON/);
			expect(r.stderr).toMatch(/A copy was saved to .*store\.json\.corrupt-/);
			expect(r.stderr).toMatch(/what to do: repair/);
		}
		// the file is as it was, and one copy (not one per command) holds the same bytes
		expect(fs.readFileSync(file).equals(cut)).toBe(true);
		const copies = files().filter((f) => f.startsWith('store.json.corrupt-'));
		expect(copies).toHaveLength(1);
		expect(fs.readFileSync(path.join(home, copies[0]!)).equals(cut)).toBe(true);
	});
});
