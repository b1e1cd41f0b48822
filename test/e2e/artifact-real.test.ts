/**
 * The real Rococo 9130 and 9140 runtimes (genesis :code of two chain specs
 * shipped in npm packages): inspection and their forward-compatibility diff;
 * `inspect` as a child process with srtool reports (statemine 900) and the
 * hygiene gates on 9140 --against 9130.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompress } from 'fzstd';
import { expandMetadata, Metadata, TypeRegistry } from '@polkadot/types';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { rococoRuntime, writeAssetHubWasm, writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { inspectArtifact, toArtifactInfo, type Inspection } from '../../source/artifact/inspect.js';
import { diffMetadata, type DiffReport, type MetadataChange } from '../../source/artifact/diff.js';
import { forwardCompatGate } from '../../source/artifact/gate.js';
import { callHashes } from '../../source/artifact/call-hashes.js';
import { releaseExecutor } from '../../source/artifact/executor.js';
import { ZSTD_PREFIX } from '../../source/artifact/read.js';
import { runInspect } from '../../source/cli/commands/inspect.js';
import { makeRuntime } from '../helpers/make-runtime.js';
import { runCli, tempHome } from '../helpers/cli.js';
import staticSubstrate from '@polkadot/types-support/metadata/static-substrate';

const HASH_9140 = '0xe49e1a81ddc4e80d0aed4adf9321136dd7a197deaf8a14a8d52012348f8e05b6';

let dir: string;
let wasm9130: string;
let wasm9140: string;
let r9130: Inspection;
let r9140: Inspection;
let diff: DiffReport;

const one = (pallet: string, kind: MetadataChange['kind'], action: MetadataChange['action'], item?: string) => {
	const found = diff.changes.filter(
		(c) => c.pallet === pallet && c.kind === kind && c.action === action && (item === undefined || c.item === item),
	);
	expect(found, `${pallet} ${kind} ${action} ${item ?? ''}`).toHaveLength(1);
	return found[0]!;
};

beforeAll(async () => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'artifact-real-'));
	wasm9130 = writeRococoWasm(9130, dir);
	wasm9140 = writeRococoWasm(9140, dir);
	r9140 = await inspectArtifact(wasm9140, { keepExecutor: true });
	r9130 = await inspectArtifact(wasm9130, { keepExecutor: true });
	diff = diffMetadata(r9130.metadata, r9140.metadata, r9130.version, r9140.version);
});

afterAll(async () => {
	await releaseExecutor();
	rmSync(dir, { recursive: true, force: true });
});

describe('embedded runtimes', () => {
	it('writes the genesis :code as a .compact.compressed.wasm', () => {
		const { code, specPath } = rococoRuntime(9140);
		expect(specPath).toMatch(/rococo-9140\/dist\/connector\/specs\/rococo_v2_1\.json$/);
		expect(code.length).toBe(859_727);
		expect(blake2AsHex(code, 256)).toBe(HASH_9140);
		expect(path.basename(wasm9140)).toMatch(/\.compact\.compressed\.wasm$/);
		expect(rococoRuntime(9130).specPath).toMatch(/rococo-9130\/dist\/specs\/rococo\.json$/);
	});
});

describe('Rococo 9140 inspection', () => {
	it('sizes, code hash and runtime version, exactly', () => {
		expect(r9140).toMatchObject({ size: 859_727, uncompressedSize: 3_557_434, compressed: true, codeHash: HASH_9140 });
		expect(r9140.version).toMatchObject({
			specName: 'rococo',
			implName: 'parity-rococo-v2.0',
			authoringVersion: 0,
			specVersion: 9140,
			implVersion: 0,
			transactionVersion: 0,
			stateVersion: 0,
			source: 'Core_version',
		});
		expect(r9140.version.apis).toHaveLength(20);
		expect(r9140.version.apis[0]).toEqual({ id: '0xdf6acb689907609b', name: 'Core', version: 4 });
		expect(r9140.version.apis.find((a) => a.name === 'ParachainHost')?.version).toBe(2);
	});

	it('decompresses exactly like a plain zstd decoder', () => {
		const reference = decompress(rococoRuntime(9140).code.subarray(ZSTD_PREFIX.length));
		expect(r9140.artifact.code.length).toBe(reference.length);
		expect(blake2AsHex(r9140.artifact.code, 256)).toBe(blake2AsHex(reference, 256));
	});

	it('full metadata (v14) and what a release stores', () => {
		expect(r9140.metadataVersion).toBe(14);
		expect(r9140.metadataVia).toBe('Metadata_metadata');
		expect(r9140.pallets).toHaveLength(49);
		expect(r9140.pallets.find((p) => p.name === 'Sudo')).toMatchObject({ index: 32, calls: 4 });
		expect(toArtifactInfo(r9140, wasm9140)).toEqual({
			path: wasm9140,
			size: 859_727,
			uncompressedSize: 3_557_434,
			compressed: true,
			codeHash: HASH_9140,
			specName: 'rococo',
			implName: 'parity-rococo-v2.0',
			specVersion: 9140,
			implVersion: 0,
			transactionVersion: 0,
			stateVersion: 0,
		});
	});

	it('9130 predates Core v4: no state_version', () => {
		expect(r9130.version).toMatchObject({ specName: 'rococo', specVersion: 9130, transactionVersion: 0 });
		expect(r9130.version.stateVersion).toBeUndefined();
		expect(r9130.version.apis[0]).toEqual({ id: '0xdf6acb689907609b', name: 'Core', version: 3 });
		expect(r9130.pallets).toHaveLength(42);
	});

	it('call hashes against the 9130 chain: setCode matches @polkadot/types, authorizeUpgrade does not exist yet', () => {
		const h = callHashes(r9130.metadata, r9140.artifact.bytes, { codeHash: r9140.codeHash });
		const registry = new TypeRegistry();
		const meta = new Metadata(registry, r9130.metadataBytes);
		registry.setMetadata(meta);
		const oracle = expandMetadata(registry, meta).tx.system!.setCode!(u8aToHex(r9140.artifact.bytes));
		expect(h.setCode).toMatchObject({
			available: true,
			callIndex: '0x0003',
			hash: oracle.hash.toHex(),
			encodedLength: oracle.encodedLength,
		});
		expect(h.authorizeUpgrade.available).toBe(false);
		expect(h.parachainAuthorizeUpgrade.available).toBe(false);
	});
});

describe('Rococo 9130 → 9140 diff', () => {
	it('counts and verdicts', () => {
		expect(diff.old).toEqual({ specName: 'rococo', specVersion: 9130, transactionVersion: 0, metadataVersion: 14, pallets: 42 });
		expect(diff.new).toEqual({ specName: 'rococo', specVersion: 9140, transactionVersion: 0, metadataVersion: 14, pallets: 49 });
		expect(diff.counts).toMatchObject({ total: 309, breaking: 108, additive: 201, requiringTxVersionBump: 21 });
		expect(diff.counts.byKind.pallet).toEqual({ added: 7, removed: 0, reindexed: 5, changed: 0 });
		expect(diff.counts.byKind.call).toEqual({ added: 35, removed: 2, reindexed: 4, changed: 11 });
		expect(diff.verdicts).toEqual({
			forwardCompatible: false,
			transactionVersionBumpRequired: true,
			transactionVersionBumped: false,
			specNameEqual: true,
			specVersionIncreased: true,
		});
		// Rococo kept transaction_version 0 although call indices moved: the verdicts say so, consistently
		expect(diff.problems.map((p) => p.code)).toEqual(['breaking-changes', 'tx-version-not-bumped']);
	});

	it('pallets: Sudo and four more shift by one as AssignedSlots takes index 31; bridges arrive', () => {
		expect(one('Sudo', 'pallet', 'reindexed')).toMatchObject({
			before: '31',
			after: '32',
			severity: 'breaking',
			requiresTxVersionBump: true,
		});
		expect(one('AssignedSlots', 'pallet', 'added')).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			detail: expect.stringMatching(/index 31, which was Sudo's/),
		});
		expect(diff.changes.filter((c) => c.kind === 'pallet' && c.action === 'reindexed').map((c) => c.pallet)).toEqual([
			'Sudo',
			'Mmr',
			'Beefy',
			'MmrLeaf',
			'ValidatorManager',
		]);
		expect(diff.changes.filter((c) => c.kind === 'pallet' && c.action === 'added').map((c) => c.pallet)).toEqual([
			'AssignedSlots',
			'BridgeRococoGrandpa',
			'BridgeWococoGrandpa',
			'BridgeRococoMessages',
			'BridgeWococoMessages',
			'BridgeRococoMessagesDispatch',
			'BridgeWococoMessagesDispatch',
		]);
		expect(one('ValidatorManager', 'storage', 'changed')).toMatchObject({ before: 'ParachainProposer', after: 'ValidatorManager' });
	});

	it('calls: set_changes_trie_config removed shifts System calls; a Configuration index is reused', () => {
		expect(one('System', 'call', 'removed', 'set_changes_trie_config')).toMatchObject({ requiresTxVersionBump: true });
		expect(one('System', 'call', 'reindexed', 'set_storage')).toMatchObject({ before: '6', after: '5' });
		expect(one('Configuration', 'call', 'added', 'set_validation_upgrade_cooldown')).toMatchObject({
			severity: 'breaking',
			detail: expect.stringMatching(/index 0, which was set_validation_upgrade_frequency's/),
		});
		expect(one('Hrmp', 'call', 'changed', 'force_clean_hrmp')).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			detail: expect.stringMatching(/added inbound, outbound/),
		});
		expect(one('Babe', 'call', 'changed', 'report_equivocation').detail).toMatch(/ChangesTrieRoot/);
	});

	it('storage, events, errors, constants, extrinsic', () => {
		expect(one('Configuration', 'storage', 'changed', 'ActiveConfig').detail).toMatch(
			/removed validation_upgrade_frequency; added validation_upgrade_cooldown/,
		);
		expect(one('Sudo', 'storage', 'changed', 'Key').detail).toMatch(/modifier Default → Optional/);
		expect(one('Balances', 'event', 'changed', 'Transfer')).toMatchObject({ severity: 'breaking', encodingUnchanged: true });
		expect(one('Sudo', 'event', 'changed', 'KeyChanged').encodingUnchanged).toBeUndefined();
		expect(one('ParaInclusion', 'error', 'reindexed', 'WrongBitfieldSize')).toMatchObject({ before: '0', after: '4' });
		expect(one('Babe', 'constant', 'changed', 'EpochDuration')).toMatchObject({ severity: 'additive', before: '100', after: '600' });
		expect(one('Slots', 'constant', 'changed', 'LeasePeriod')).toMatchObject({ before: '14400', after: '100800' });
		expect(one('(runtime)', 'extrinsic', 'changed', 'signed extensions').detail).toMatch(/added CheckNonZeroSender/);
		expect(one('(runtime)', 'api', 'changed', 'Core')).toMatchObject({ severity: 'additive', before: 'v3', after: 'v4' });
	});

	it('the gate fails with evidence', () => {
		const gate = forwardCompatGate('rococo', diff, '2024-01-01T00:00:00Z');
		expect(gate.status).toBe('fail');
		expect(gate.summary).toMatch(/^not forward compatible with rococo 9130: 108 breaking changes/);
		expect((gate.evidence as { breaking: unknown[] }).breaking).toHaveLength(108);
	});
});

describe('executor worker', () => {
	it("an inspection that releases its worker leaves chopsticks' process-wide worker (an embedded chain's) running", async () => {
		process.env.LOG_LEVEL ??= 'error';
		const core = await import('@acala-network/chopsticks-core/wasm-executor/index');
		const wasm = u8aToHex(r9130.artifact.code);
		const call = () =>
			core.runTask(
				{ wasm, calls: [['Core_version', []]], mockSignatureHost: false, allowUnresolvedImports: false, runtimeLogLevel: 0 },
				{ ...core.emptyTaskHandler, getStorage: async () => undefined } as never,
			);
		expect(await call()).toHaveProperty('Call');
		await inspectArtifact(wasm9130); // releases its own worker at the end
		expect(await call()).toHaveProperty('Call');
		await core.destroyWorker();
	});
});

describe('inspect command with srtool reports', () => {
	it('real 9140 against 9130 with a matching srtool digest: exit 1 (not forward compatible), digest ok', async () => {
		const report = path.join(dir, 'srtool.json');
		writeFileSync(
			report,
			JSON.stringify({
				gen: 'srtool v0.9.x',
				runtimes: { compact: { blake2_256: '0x00' }, compressed: { blake2_256: HASH_9140.toUpperCase().replace('0X', '0x') } },
			}),
		);
		const out: string[] = [];
		const code = await runInspect(
			{ wasm: wasm9140, against: wasm9130, srtool: report, json: true },
			{ stdout: (s) => out.push(s), stderr: () => {} },
		);
		expect(code).toBe(1);
		const parsed = JSON.parse(out[0]!);
		expect(parsed.srtool).toMatchObject({ match: true, runtime: 'compressed', differs: [] });
		expect(parsed.srtool.fields[0]).toEqual({
			field: 'runtimes.compressed.blake2_256',
			what: 'code hash (blake2-256 of the file)',
			status: 'match',
			report: HASH_9140,
			artifact: HASH_9140,
		});
		// the fields the report does not have are listed, not failed
		expect(parsed.srtool.fields.find((f: { field: string }) => f.field === 'runtimes.compressed.prop').status).toBe('absent');
		expect(parsed.gate).toMatchObject({ id: 'forward-compatible', status: 'fail' });
		expect(parsed.artifact.callHashes.setCode.callIndex).toBe('0x0003');
	});

	it('a mismatching digest is exit 1 with a message; a report without the digest is exit 2', async () => {
		const raw = path.join(dir, 'small.wasm');
		writeFileSync(raw, makeRuntime({ metadata: staticSubstrate as `0x${string}` }));
		const bad = path.join(dir, 'bad-srtool.json');
		writeFileSync(
			bad,
			JSON.stringify({ runtimes: { compact: { blake2_256: `0x${'ab'.repeat(32)}` }, compressed: { blake2_256: HASH_9140 } } }),
		);
		const out: string[] = [];
		const err: string[] = [];
		const code = await runInspect({ wasm: raw, srtool: bad, json: false }, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
		expect(code).toBe(1);
		// a raw wasm is compared with the compact entry
		expect(out.join('\n')).toMatch(/srtool {8}✗ MISMATCH: blake2_256 differs — runtimes\.compact of /);
		expect(out.join('\n')).toMatch(/✗ blake2_256 +DIFFERS: the report says 0xabab/);
		expect(err.join('\n')).toMatch(
			/srtool report mismatch: runtimes\.compact\.blake2_256 differs\. The artifact is not the one srtool built/,
		);

		const empty = path.join(dir, 'empty-srtool.json');
		writeFileSync(empty, JSON.stringify({ gen: 'srtool' }));
		const err2: string[] = [];
		expect(await runInspect({ wasm: raw, srtool: empty, json: false }, { stdout: () => {}, stderr: (s) => err2.push(s) })).toBe(2);
		expect(err2.join()).toMatch(/error \[bad-srtool-report\]: .*no runtimes\.compact\.blake2_256/);
		expect(
			await runInspect({ wasm: raw, srtool: path.join(dir, 'missing.json'), json: false }, { stdout: () => {}, stderr: () => {} }),
		).toBe(2);
	});
});

describe('inspect as a child process: every srtool field, the hygiene gates', () => {
	let home: string;
	let hub: string;
	let report: { gen: string; runtimes: { compressed: Record<string, unknown> & { subwasm: Record<string, unknown> } } };
	const cliEnv = () => ({ RELEASE_CONSOLE_HOME: home });
	const writeReport = (name: string, value: unknown) => {
		const file = path.join(dir, name);
		writeFileSync(file, JSON.stringify(value));
		return file;
	};

	beforeAll(() => {
		home = tempHome('rc-srtool-');
		hub = writeAssetHubWasm(dir, 'genesis');
		// What srtool writes for statemine 900, each value computed here from the file (not by the console):
		// setCode is System (0) call 3 in statemine 900, authorizeUpgrade ParachainSystem (1) call 2.
		const file = new Uint8Array(readFileSync(hub));
		const wasm = decompress(file.subarray(ZSTD_PREFIX.length));
		const codeHash = blake2AsHex(file, 256);
		const prop = blake2AsHex(u8aConcat(Uint8Array.of(0, 3), compactToU8a(file.length), file), 256);
		const authorize = blake2AsHex(u8aConcat(Uint8Array.of(1, 2), hexToU8a(codeHash)), 256);
		report = {
			gen: 'srtool v0.16.0',
			runtimes: {
				compressed: {
					size: String(file.length),
					prop,
					authorize_upgrade_prop: authorize,
					blake2_256: codeHash,
					ipfs: 'QmNotComputedByTheConsole',
					sha256: `0x${createHash('sha256').update(file).digest('hex')}`,
					wasm: 'runtime/target/srtool/release/wbuild/statemine-runtime/statemine_runtime.compact.compressed.wasm',
					subwasm: {
						size: wasm.length,
						compression: { size_compressed: file.length, size_decompressed: wasm.length, compressed: true },
						reserved_meta: [109, 101, 116, 97],
						reserved_meta_valid: true,
						metadata_version: 14,
						core_version: 'statemine-900 (statemine-0.tx6.au1)',
						proposal_hash: prop,
						parachain_authorize_upgrade_hash: authorize,
						ipfs_hash: 'QmNotComputedByTheConsole',
						blake2_256: codeHash,
					},
				},
			},
		};
	});

	afterAll(() => rmSync(home, { recursive: true, force: true }));

	it('a report with every field right: each one matches (the IPFS CIDs not compared), exit 0', async () => {
		const r = await runCli(['inspect', hub, '--srtool', writeReport('hub-srtool.json', report), '--json'], cliEnv());
		expect(r.code, r.stderr).toBe(0);
		const out = r.json();
		expect(out.kind).toBe('inspected');
		expect(out.srtool.match).toBe(true);
		expect(out.srtool.differs).toEqual([]);
		const status = Object.fromEntries(
			out.srtool.fields.map((f: { field: string; status: string }) => [f.field.replace('runtimes.compressed.', ''), f.status]),
		);
		expect(status).toEqual({
			blake2_256: 'match',
			sha256: 'match',
			size: 'match',
			prop: 'match',
			authorize_upgrade_prop: 'match',
			'subwasm.blake2_256': 'match',
			'subwasm.proposal_hash': 'match',
			'subwasm.parachain_authorize_upgrade_hash': 'match',
			'subwasm.size': 'match',
			'subwasm.compression.compressed': 'match',
			'subwasm.compression.size_compressed': 'match',
			'subwasm.compression.size_decompressed': 'match',
			'subwasm.reserved_meta_valid': 'match',
			'subwasm.metadata_version': 'match',
			'subwasm.core_version': 'match',
			ipfs: 'not-compared',
			'subwasm.ipfs_hash': 'not-compared',
		});
		const authorize = out.srtool.fields.find((f: { field: string }) => f.field === 'runtimes.compressed.authorize_upgrade_prop');
		expect(authorize.note).toMatch(/^parachainSystem\.authorizeUpgrade\(codeHash\), call index 0x0102/);

		const text = await runCli(['inspect', hub, '--srtool', path.join(dir, 'hub-srtool.json')], cliEnv());
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(
			/srtool {8}✓ every compared field matches — runtimes\.compressed of .* \(15 match, 0 differ, 0 not in the report, 2 not compared\)/,
		);
		expect(text.stdout).toMatch(/✓ subwasm\.core_version +statemine-900 \(statemine-0\.tx6\.au1\)/);
	});

	it('one field wrong (the spec version in core_version): srtool-mismatch, exit 1, naming that field', async () => {
		const wrong = structuredClone(report);
		wrong.runtimes.compressed.subwasm.core_version = 'statemine-901 (statemine-0.tx6.au1)';
		const file = writeReport('hub-srtool-wrong.json', wrong);
		const r = await runCli(['inspect', hub, '--srtool', file, '--json'], cliEnv());
		expect(r.code).toBe(1);
		const out = r.json();
		expect(out.kind).toBe('srtool-mismatch');
		expect(out.srtool.differs).toEqual(['runtimes.compressed.subwasm.core_version']);
		expect(out.srtool.fields.find((f: { status: string }) => f.status === 'differs')).toMatchObject({
			report: 'statemine-901 (statemine-0.tx6.au1)',
			artifact: 'statemine-900 (statemine-0.tx6.au1)',
			note: 'spec version 901 in the report, 900 in the artifact',
		});
		const text = await runCli(['inspect', hub, '--srtool', file], cliEnv());
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(
			/✗ subwasm\.core_version +DIFFERS: the report says statemine-901 \(statemine-0\.tx6\.au1\), the artifact gives statemine-900/,
		);
		expect(text.stderr).toMatch(/srtool report mismatch: runtimes\.compressed\.subwasm\.core_version differs/);
	});

	it("subwasm's own setCode hash (fixed call index 0x0002; statemine 900's is 0x0003): the same code, not this chain's call, exit 0", async () => {
		const file = new Uint8Array(readFileSync(hub));
		const subwasmProp = blake2AsHex(u8aConcat(Uint8Array.of(0, 2), compactToU8a(file.length), file), 256);
		const fixed = structuredClone(report);
		fixed.runtimes.compressed.prop = subwasmProp;
		fixed.runtimes.compressed.subwasm.proposal_hash = subwasmProp;
		const r = await runCli(['inspect', hub, '--srtool', writeReport('hub-srtool-subwasm.json', fixed)], cliEnv());
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(
			/! prop +same code, not this chain's call: the report's hash is subwasm's system\.setCode\(code\) with call index 0x0002 for this code, not a call of this chain: system\.setCode\(code\) \(call index 0x0003\) hashes to 0x/,
		);
		expect(r.stderr).toMatch(
			/note: the report's runtimes\.compressed\.prop, runtimes\.compressed\.subwasm\.proposal_hash are subwasm's hash of this code with its fixed call indices/,
		);
		// Another code's hash is neither: a difference.
		const other = structuredClone(report);
		other.runtimes.compressed.prop = `0x${'cd'.repeat(32)}`;
		const bad = await runCli(['inspect', hub, '--srtool', writeReport('hub-srtool-prop.json', other), '--json'], cliEnv());
		expect(bad.code).toBe(1);
		expect(bad.json().srtool.differs).toEqual(['runtimes.compressed.prop']);
	});

	it('Rococo 9140 --against 9130: metadata-versions and check-metadata-hash pass, with both sides', async () => {
		const r = await runCli(['inspect', wasm9140, '--against', wasm9130, '--json'], cliEnv());
		expect(r.code).toBe(1); // not forward compatible (see above); the hygiene gates do not change the exit code
		const out = r.json();
		expect(out.artifact.metadataVersions).toEqual([14]);
		expect(out.against.metadataVersions).toEqual([14]);
		const [versions, hash] = out.hygiene;
		expect(versions).toMatchObject({
			id: 'metadata-versions',
			status: 'pass',
			summary: 'metadata versions: none dropped (artifact: v14; live runtime: v14)',
			evidence: { artifact: [14], live: [14], dropped: [] },
		});
		expect(hash).toMatchObject({
			id: 'check-metadata-hash',
			status: 'pass',
			summary: 'CheckMetadataHash: not used by this chain',
			evidence: { live: false, artifact: false },
		});
		expect(hash.evidence.artifactExtensions).toContain('CheckNonZeroSender');
		const text = await runCli(['inspect', wasm9140, '--against', wasm9130], cliEnv());
		expect(text.stdout).toContain(
			'  gate metadata-versions: PASS — metadata versions: none dropped (artifact: v14; live runtime: v14)',
		);
		expect(text.stdout).toContain(
			'  gate check-metadata-hash: PASS — CheckMetadataHash: not used by this chain (live chain does not use it; artifact does not have it)',
		);
	});
});
