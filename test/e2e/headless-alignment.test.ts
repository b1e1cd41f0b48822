/**
 * Alignment headless, as child processes: notes from a real git repository,
 * stakeholder groups, attestations, sign-offs from three groups (signed by
 * the stakeholders' own keys from env:VAR), promotion refused then allowed,
 * and an exported record that `verify` accepts — and rejects after one byte
 * of the wasm or of the manifest changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { buildDevnetCode } from '../../source/devnet/governance/chain/index.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { gitRepo } from '../helpers/alignment.js';
import { scenario } from '../helpers/steps.js';

let home: string;
let id: string;
let wasm: string;
let repoDir: string;
let previous: string;
let releaseSha: string;
const secrets: Record<string, string> = {};
const address: Record<string, string> = {};
const env = (extra: Record<string, string> = {}) => ({ RELEASE_CONSOLE_HOME: home, ...extra });
const file = (name: string) => path.join(home, name);

beforeAll(async () => {
	await cryptoWaitReady();
	home = tempHome('rc-align-');
	wasm = file('node_runtime.wasm');
	writeFileSync(wasm, buildDevnetCode({ specVersion: 269 }));
	// Stakeholders' keys: generated here, handed to the CLI only through environment variables.
	for (const [role, type] of [
		['ENGINEER', 'sr25519'],
		['QA', 'ed25519'],
		['SECURITY', 'sr25519'],
		['OUTSIDER', 'sr25519'],
	] as const) {
		secrets[role] = mnemonicGenerate();
		address[role] = new Keyring({ type, ss58Format: 42 }).addFromUri(secrets[role]!).address;
	}
	repoDir = file('repo');
	execFileSync('git', ['init', '-q', '-b', 'main', repoDir]);
	const repo = gitRepo(repoDir);
	previous = repo.commit('README.md', 'chore: release 268');
	repo.commit('runtime/src/lib.rs', 'feat(runtime): spec 269 (#201)');
	releaseSha = repo.commit('pallets/staking/src/lib.rs', 'fix(staking): rounding (#202)');

	expect(
		(await runCli(['env', 'add', 'prod', '--endpoint', 'wss://rpc.example:443', '--kind', 'production', '--route', 'opengov'], env()))
			.code,
	).toBe(0);
	const created = await runCli(['new', '--name', 'node 269', '--wasm', wasm, '--env', 'prod', '--json'], env());
	expect(created.code).toBe(0);
	id = created.json().id;
}, 120_000);

async function signoff(manifest: string, group: string, role: string, extra: string[] = []) {
	return runCli(['signoff', manifest, '--group', group, '--signer', `env:SIGNER_SURI`, ...extra], { SIGNER_SURI: secrets[role]! });
}

describe('alignment, headless', () => {
	// One release's alignment in order (notes, stakeholders, gates, sign-offs, export): any one step runs
	// alone with -t, the steps before it first.
	const s = scenario();

	it(
		'notes: bad input gets a clear message and exit 2',
		s.step(async () => {
			const notRepo = await runCli(['notes', id, '--repo', home, '--from', previous, '--to', releaseSha], env());
			expect(notRepo.code).toBe(2);
			expect(notRepo.stderr).toMatch(/is not a git repository/);
			const unknown = await runCli(['notes', id, '--repo', repoDir, '--from', previous, '--to', 'v999'], env());
			expect(unknown.code).toBe(2);
			expect(unknown.stderr).toMatch(/release commit "v999" is not a commit in/);
		}),
		s.timeout(30_000),
	);

	it(
		'notes: commits with their pull requests; the release commit is on main',
		s.step(async () => {
			const r = await runCli(['notes', id, '--repo', repoDir, '--from', previous, '--to', releaseSha], env());
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
			expect(r.stdout).toMatch(/### Runtime\n\n- feat\(runtime\): spec 269 \(#201\)/);
			expect(r.stdout).toMatch(/### Pallets\n\n- fix\(staking\): rounding \(#202\)/);
			expect(r.stdout).toMatch(/gate release-commit-on-branch: pass/);
		}),
		s.timeout(30_000),
	);

	it(
		'stakeholders: three groups on prod; a member must be an address, not a secret',
		s.step(async () => {
			const bad = await runCli(
				['stakeholders', id, '--env', 'prod', '--group', 'qa', '--member', 'not-an-address', '--threshold', '1'],
				env(),
			);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toMatch(/"not-an-address" is not an SS58 address/);
			const requires = ['release-commit-on-branch', 'artifact-integrity', 'audits', 'pause', 'signoffs'].flatMap((g) => [
				'--require',
				g,
			]);
			for (const [group, role, more] of [
				['release-engineers', 'ENGINEER', requires],
				['qa', 'QA', []],
				['security', 'SECURITY', ['--owns', 'audits']],
			] as const) {
				const r = await runCli(
					['stakeholders', id, '--env', 'prod', '--group', group, '--member', address[role]!, '--threshold', '1', ...more],
					env(),
				);
				expect(r.code).toBe(0);
			}
		}),
		s.timeout(30_000),
	);

	it(
		'promotion to prod is refused while required gates fail or are missing',
		s.step(async () => {
			const r = await runCli(['gates', id, '--env', 'prod'], env());
			expect(r.code).toBe(1);
			expect(r.stdout).toMatch(/promotion to prod: blocked by/);
			expect(r.stdout).toMatch(/ audits: missing/);
			expect(r.stdout).toMatch(/ pause: missing/);
			expect(r.stdout).toMatch(/ signoffs: pending — waiting for sign-offs: release-engineers 0\/1, qa 0\/1, security 0\/1/);
			expect(r.stdout).toMatch(/pass {4}artifact integrity/);
		}),
		s.timeout(30_000),
	);

	it(
		'sign-offs: dev keys refused on a production manifest, outsiders refused, stale sign-offs refused at import',
		s.step(async () => {
			const before = file('manifest-before.json');
			const m = await runCli(['manifest', id, '--env', 'prod'], env());
			expect(m.code).toBe(0);
			writeFileSync(before, m.stdout);
			const dev = await runCli(['signoff', before, '--group', 'qa', '--signer', '//Bob', '--key-type', 'ed25519']);
			expect(dev.code).toBe(2);
			expect(dev.stderr).toMatch(/dev keys are refused on production environment prod/);
			const outsider = await signoff(before, 'qa', 'OUTSIDER');
			expect(outsider.code).toBe(2);
			expect(outsider.stderr).toMatch(/is not a member of group qa/);
			// Signed before the attestations: once they change the manifest, this sign-off is stale.
			const early = await signoff(before, 'qa', 'QA', ['--key-type', 'ed25519']);
			expect(early.code).toBe(0);
			writeFileSync(file('early.json'), early.stdout);
			for (const gate of ['audits', 'pause']) {
				expect(
					(
						await runCli(
							['attest', id, '--gate', gate, '--reference', `https://example.org/${gate}-report-269`, '--by', 'security'],
							env(),
						)
					).code,
				).toBe(0);
			}
			const stale = await runCli(['signoff', 'import', id, file('early.json')], env());
			expect(stale.code).toBe(2);
			expect(stale.stderr).toMatch(/it is for another manifest .* — stale/);
		}),
		s.timeout(60_000),
	);

	it(
		'three groups sign the current manifest; a tampered blob is refused; promotion is then allowed',
		s.step(async () => {
			const manifest = file('manifest.json');
			writeFileSync(manifest, (await runCli(['manifest', id, '--env', 'prod'], env())).stdout);
			const blobs: string[] = [];
			for (const [group, role, extra] of [
				['release-engineers', 'ENGINEER', []],
				['qa', 'QA', ['--key-type', 'ed25519']],
				['security', 'SECURITY', []],
			] as const) {
				const r = await signoff(manifest, group, role, [...extra]);
				expect(r.code).toBe(0);
				expect(r.stdout).not.toContain(secrets[role]!.split(' ')[0]! + ' ' + secrets[role]!.split(' ')[1]!);
				const blob = file(`signoff-${group}.json`);
				writeFileSync(blob, r.stdout);
				blobs.push(blob);
			}
			const forged = JSON.parse(readFileSync(blobs[1]!, 'utf8'));
			forged.decision = 'approve';
			forged.group = 'security';
			writeFileSync(file('forged.json'), JSON.stringify(forged));
			const refused = await runCli(['signoff', 'import', id, file('forged.json')], env());
			expect(refused.code).toBe(2);
			expect(refused.stderr).toMatch(/refusing the sign-off .*the signature does not match/);

			for (const blob of blobs) expect((await runCli(['signoff', 'import', id, blob], env())).code).toBe(0);
			const gates = await runCli(['gates', id, '--env', 'prod'], env());
			expect(gates.stdout).toMatch(/pass {4}stakeholder sign-offs: signed off: release-engineers 1\/1, qa 1\/1, security 1\/1/);
			expect(gates.stdout).toMatch(/promotion to prod: allowed/);
			expect(gates.code).toBe(0);
			// No secret reached the store.
			const store = readFileSync(file('store.json'), 'utf8');
			for (const s of Object.values(secrets)) expect(store).not.toContain(s);
		}),
		s.timeout(60_000),
	);

	it(
		'export: the record verifies; one byte of the wasm or of the manifest makes verify fail',
		s.step(async () => {
			const md = await runCli(['export', id, '--format', 'markdown'], env());
			expect(md.code).toBe(0);
			expect(md.stdout).toMatch(/\| code hash \(blake2-256\) \| `0x[0-9a-f]{64}` \|/);
			expect(md.stdout).toMatch(/### prod \(manifest `0x[0-9a-f]{64}`\): met/);
			const record = file('record.json');
			expect((await runCli(['export', id, '--format', 'json', '--out', record], env())).code).toBe(0);

			const ok = await runCli(['verify', record, '--wasm', wasm]);
			expect(ok.stderr).toBe('');
			expect(ok.code).toBe(0);
			expect(ok.stdout).toMatch(/: valid/);
			expect(ok.stdout.match(/✔ prod/g)).toHaveLength(3);

			const bytes = readFileSync(wasm);
			bytes[bytes.length - 1] ^= 1;
			const altered = file('altered.wasm');
			writeFileSync(altered, bytes);
			const wrongWasm = await runCli(['verify', record, '--wasm', altered]);
			expect(wrongWasm.code).toBe(1);
			expect(wrongWasm.stdout).toMatch(/DIFFERS/);

			const json = JSON.parse(readFileSync(record, 'utf8'));
			json.manifests[0].manifest.codeHash = json.manifests[0].manifest.codeHash.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'));
			writeFileSync(file('tampered.json'), JSON.stringify(json));
			const tampered = await runCli(['verify', file('tampered.json'), '--json']);
			expect(tampered.code).toBe(1);
			const result = tampered.json();
			expect(result.digestOk).toBe(false);
			expect(result.signoffs.every((s: { stale: boolean; valid: boolean }) => s.stale && !s.valid)).toBe(true);

			const notJson = await runCli(['verify', wasm]);
			expect(notJson.code).toBe(2);
			expect(notJson.stderr).toMatch(/is not JSON/);
		}),
		s.timeout(60_000),
	);
});
