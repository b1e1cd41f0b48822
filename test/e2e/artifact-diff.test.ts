/**
 * Every kind of metadata change, detected and classified, on generated
 * runtimes (the kitchensink metadata from @polkadot/types-support, edited),
 * run through the real executor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandMetadata, Metadata, TypeRegistry } from '@polkadot/types';
import staticSubstrate from '@polkadot/types-support/metadata/static-substrate';
import substrateV15 from '@polkadot/types-support/metadata/v15/substrate-hex';
import { u8aToHex } from '@polkadot/util';
import { diffMetadata, type DiffReport, type MetadataChange } from '../../source/artifact/diff.js';
import { forwardCompatGate, MAX_GATE_BREAKING } from '../../source/artifact/gate.js';
import { inspectArtifact, toArtifactInfo, type Inspection } from '../../source/artifact/inspect.js';
import { releaseExecutor } from '../../source/artifact/executor.js';
import { callHashes } from '../../source/artifact/call-hashes.js';
import { runInspect } from '../../source/cli/commands/inspect.js';
import { compressRuntime, makeRuntime } from '../helpers/make-runtime.js';

type Json = any;

const U32 = 4;
const U64 = 12;
const U128 = 6;
const COMPACT_U32 = 157;

let dir: string;
let base: Json; // the v14 kitchensink metadata as JSON
let oldRt: Inspection;
let breakingRt: Inspection;
let additiveRt: Inspection;
let report: DiffReport;
let additive: DiffReport;

function clone(): Json {
	return structuredClone(base);
}

const v14 = (j: Json) => j.metadata.v14;
const pallet = (j: Json, name: string) => v14(j).pallets.find((p: Json) => p.name === name);
const type = (j: Json, id: number) => v14(j).lookup.types.find((t: Json) => t.id === id).type;
const variants = (j: Json, id: number) => type(j, id).def.variant.variants;
const callsOf = (j: Json, name: string) => variants(j, pallet(j, name).calls.type);
const eventsOf = (j: Json, name: string) => variants(j, pallet(j, name).events.type);
const errorsOf = (j: Json, name: string) => variants(j, pallet(j, name).errors.type);

/** Keep RuntimeCall / RuntimeEvent consistent with the pallets, as construct_runtime! would. */
function syncOuterEnums(j: Json): void {
	const ext = v14(j).extrinsic.type;
	const callParam = type(j, ext).params.find((p: Json) => p.name === 'Call').type;
	const eventId = v14(j).lookup.types.find((t: Json) => t.type.path.at(-1) === 'RuntimeEvent').id;
	for (const [id, key] of [
		[callParam, 'calls'],
		[eventId, 'events'],
	] as const) {
		const def = type(j, id).def.variant;
		def.variants = def.variants
			.filter((v: Json) => pallet(j, v.name)?.[key])
			.map((v: Json) => ({ ...v, index: pallet(j, v.name).index }))
			.sort((a: Json, b: Json) => a.index - b.index);
	}
}

function toMetadata(j: Json): Metadata {
	return new Metadata(new TypeRegistry(), j);
}

function breakingEdits(): Json {
	const j = clone();
	// calls
	callsOf(j, 'Timestamp')[0].fields[0].type = COMPACT_U32; // set(now: Compact<u64> → Compact<u32>)
	callsOf(j, 'Balances').find((v: Json) => v.name === 'force_transfer').index = 99;
	const utility = type(j, pallet(j, 'Utility').calls.type).def.variant;
	utility.variants = utility.variants.filter((v: Json) => v.name !== 'batch_all');
	const sudo = type(j, pallet(j, 'Sudo').calls.type).def.variant;
	const sudoAs = sudo.variants.find((v: Json) => v.name === 'sudo_as');
	sudoAs.name = 'sudo_as_v2'; // same index 3, new name: an index reuse
	const system = type(j, pallet(j, 'System').calls.type).def.variant;
	system.variants.push({ ...structuredClone(system.variants[0]), name: 'remark_v2', index: 100 });
	// storage
	const ts = pallet(j, 'Timestamp').storage;
	ts.items.find((i: Json) => i.name === 'Now').type = { plain: U128 };
	ts.items = ts.items.filter((i: Json) => i.name !== 'DidUpdate');
	pallet(j, 'Balances').storage.items.find((i: Json) => i.name === 'Account').type.map.hashers = ['Twox64Concat'];
	pallet(j, 'System').storage.items.push({ name: 'NewThing', modifier: 'Optional', type: { plain: U32 }, fallback: '0x00', docs: [] });
	// events
	eventsOf(j, 'Balances').find((v: Json) => v.name === 'Transfer').fields[2].type = U64;
	eventsOf(j, 'Balances').find((v: Json) => v.name === 'Deposit').fields[0].name = 'account';
	eventsOf(j, 'Balances').push({ name: 'Vanished', fields: [], index: 22, docs: [] });
	// errors
	const errs = type(j, pallet(j, 'Balances').errors.type).def.variant;
	errs.variants = errs.variants.filter((v: Json) => v.name !== 'DeltaZero');
	// constants
	const bal = pallet(j, 'Balances');
	bal.constants.find((c: Json) => c.name === 'ExistentialDeposit').value = '0x00e40b54020000000000000000000000';
	bal.constants = bal.constants.filter((c: Json) => c.name !== 'MaxFreezes');
	Object.assign(
		pallet(j, 'System').constants.find((c: Json) => c.name === 'SS58Prefix'),
		{ type: U32, value: '0x2a000000' },
	);
	// pallets
	v14(j).pallets = v14(j).pallets.filter((p: Json) => p.name !== 'Lottery');
	pallet(j, 'Tips').index = 120;
	v14(j).pallets.push({ name: 'NewPallet', storage: null, calls: null, events: null, constants: [], errors: null, index: 44 });
	// an enum that only gains a variant: compatible
	const phase = v14(j).lookup.types.find((t: Json) => t.type.path.join('::') === 'frame_system::Phase').type.def.variant;
	phase.variants.push({ name: 'Other', fields: [], index: 3, docs: [] });
	// extrinsic format
	v14(j).extrinsic.signedExtensions = v14(j).extrinsic.signedExtensions.filter((e: Json) => e.identifier !== 'CheckMetadataHash');
	syncOuterEnums(j);
	return j;
}

function additiveEdits(): Json {
	const j = clone();
	const system = type(j, pallet(j, 'System').calls.type).def.variant;
	system.variants.push({ ...structuredClone(system.variants[0]), name: 'remark_v2', index: 100 });
	pallet(j, 'System').storage.items.push({ name: 'NewThing', modifier: 'Optional', type: { plain: U32 }, fallback: '0x00', docs: [] });
	pallet(j, 'System').storage.items.find((i: Json) => i.name === 'Number').fallback = '0x01000000';
	eventsOf(j, 'Balances').push({ name: 'Vanished', fields: [], index: 22, docs: [] });
	errorsOf(j, 'Balances').push({ name: 'Gone', fields: [], index: 12, docs: [] });
	pallet(j, 'Balances').constants.find((c: Json) => c.name === 'ExistentialDeposit').value = '0x00e40b54020000000000000000000000';
	pallet(j, 'Balances').constants.push({ name: 'NewConst', type: U32, value: '0x07000000', docs: [] });
	const phase = v14(j).lookup.types.find((t: Json) => t.type.path.join('::') === 'frame_system::Phase').type.def.variant;
	phase.variants.push({ name: 'Other', fields: [], index: 3, docs: [] });
	v14(j).pallets.push({
		name: 'Brand',
		storage: {
			prefix: 'Brand',
			items: [{ name: 'Value', modifier: 'Default', type: { plain: U32 }, fallback: '0x00000000', docs: [] }],
		},
		calls: null,
		events: null,
		constants: [],
		errors: null,
		index: 200,
	});
	syncOuterEnums(j);
	return j;
}

function writeRuntime(name: string, wasm: Uint8Array): string {
	const p = path.join(dir, name);
	writeFileSync(p, wasm);
	return p;
}

const find = (r: DiffReport, pallet: string, kind: MetadataChange['kind'], action: MetadataChange['action'], item?: string) =>
	r.changes.filter((c) => c.pallet === pallet && c.kind === kind && c.action === action && (item === undefined || c.item === item));

beforeAll(async () => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'artifact-diff-'));
	const baseMeta = new Metadata(new TypeRegistry(), staticSubstrate);
	base = baseMeta.toJSON();
	const version = { specName: 'node', implName: 'substrate-node', specVersion: 100, transactionVersion: 7 };
	const oldPath = writeRuntime('old.wasm', makeRuntime({ metadata: baseMeta, version }));
	const brPath = writeRuntime(
		'breaking.compact.compressed.wasm',
		compressRuntime(makeRuntime({ metadata: toMetadata(breakingEdits()), version: { ...version, specVersion: 101 } })),
	);
	const addPath = writeRuntime(
		'additive.wasm',
		makeRuntime({
			metadata: toMetadata(additiveEdits()),
			version: { ...version, specVersion: 101 },
			metadataAtVersion: [14],
			customSection: true,
		}),
	);
	oldRt = await inspectArtifact(oldPath, { keepExecutor: true });
	breakingRt = await inspectArtifact(brPath, { keepExecutor: true });
	additiveRt = await inspectArtifact(addPath, { keepExecutor: true });
	report = diffMetadata(oldRt.metadata, breakingRt.metadata, oldRt.version, breakingRt.version);
	additive = diffMetadata(oldRt.metadata, additiveRt.metadata, oldRt.version, additiveRt.version);
});

afterAll(async () => {
	await releaseExecutor();
	rmSync(dir, { recursive: true, force: true });
});

describe('generated runtimes through the executor', () => {
	it('inspects a hand-assembled runtime: version, metadata, sizes', () => {
		expect(oldRt.version).toMatchObject({
			specName: 'node',
			implName: 'substrate-node',
			specVersion: 100,
			transactionVersion: 7,
			stateVersion: 1,
			source: 'Core_version',
		});
		expect(oldRt.version.apis.map((a) => a.name)).toEqual(['Core', 'Metadata']);
		expect(oldRt.metadataVersion).toBe(14);
		expect(oldRt.metadataVia).toBe('Metadata_metadata');
		expect(oldRt.pallets.find((p) => p.name === 'Balances')).toMatchObject({
			index: 6,
			calls: 9,
			storage: 7,
			events: 22,
			errors: 12,
			constants: 4,
		});
		expect(breakingRt.compressed).toBe(true);
		expect(breakingRt.uncompressedSize).toBeGreaterThan(breakingRt.size - 100);
		const info = toArtifactInfo(breakingRt, breakingRt.path);
		expect(info).toMatchObject({
			specName: 'node',
			specVersion: 101,
			transactionVersion: 7,
			stateVersion: 1,
			compressed: true,
			codeHash: breakingRt.codeHash,
		});
	});

	it('reads the runtime_version custom section and prefers Metadata_metadata_at_version', () => {
		expect(additiveRt.version.source).toBe('runtime_version section');
		expect(additiveRt.version).toMatchObject({ specName: 'node', specVersion: 101, transactionVersion: 7, stateVersion: 1 });
		expect(additiveRt.version.apis).toEqual([
			{ id: '0xdf6acb689907609b', name: 'Core', version: 4 },
			{ id: '0x37e397fc7c91f5e4', name: 'Metadata', version: 2 },
		]);
		// at_version(15) answers None, so 14 is used
		expect(additiveRt.metadataVia).toBe('Metadata_metadata_at_version(14)');
	});

	it('gets v15 metadata through Metadata_metadata_at_version(15)', async () => {
		const p = writeRuntime('v15.wasm', makeRuntime({ metadata: substrateV15 as `0x${string}`, metadataAtVersion: [15] }));
		const i = await inspectArtifact(p, { keepExecutor: true });
		expect(i.metadataVersion).toBe(15);
		expect(i.metadataVia).toBe('Metadata_metadata_at_version(15)');
		// what it offers, from Metadata_metadata_versions (a runtime without that API offers what Metadata_metadata gives)
		expect(i.metadataVersions).toEqual([15]);
		expect(oldRt.metadataVersions).toEqual([14]);
		// the same runtime compared with itself: no change at all
		const same = diffMetadata(i.metadata, i.metadataBytes, i.version, { ...i.version, specVersion: i.version.specVersion + 1 });
		expect(same.changes).toEqual([]);
		expect(same.problems).toEqual([]);
		expect(forwardCompatGate('local', same).status).toBe('pass');
	});

	it('decodes old RuntimeVersion layouts by the Core API version', async () => {
		const core3 = await inspectArtifact(
			writeRuntime(
				'core3.wasm',
				makeRuntime({ metadata: staticSubstrate as `0x${string}`, version: { transactionVersion: 5, apis: [['Core', 3]] } }),
			),
			{ keepExecutor: true },
		);
		expect(core3.version.transactionVersion).toBe(5);
		expect(core3.version.stateVersion).toBeUndefined();
		const core2 = await inspectArtifact(
			writeRuntime(
				'core2.wasm',
				makeRuntime({ metadata: staticSubstrate as `0x${string}`, version: { apis: [['Core', 2]] }, customSection: true }),
			),
			{ keepExecutor: true },
		);
		expect(core2.version).toMatchObject({ transactionVersion: 1, source: 'runtime_version section' });
		expect(toArtifactInfo(core2)).not.toHaveProperty('stateVersion');
	});
});

describe('every kind of change, classified', () => {
	it('calls: changed arguments, re-indexed, removed, added, index reused', () => {
		expect(find(report, 'Timestamp', 'call', 'changed', 'set')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			detail: 'arguments changed at now: Compact<u64> → Compact<u32>',
		});
		expect(find(report, 'Balances', 'call', 'reindexed', 'force_transfer')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			before: '2',
			after: '99',
		});
		expect(find(report, 'Utility', 'call', 'removed', 'batch_all')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
		});
		expect(find(report, 'System', 'call', 'added', 'remark_v2')[0]).toMatchObject({
			severity: 'additive',
			requiresTxVersionBump: false,
			detail: 'call added at index 100',
		});
		expect(find(report, 'Sudo', 'call', 'removed', 'sudo_as')).toHaveLength(1);
		expect(find(report, 'Sudo', 'call', 'added', 'sudo_as_v2')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			detail: expect.stringMatching(/index 3, which was sudo_as's/),
		});
	});

	it('storage: value type, hashers, removed, added', () => {
		expect(find(report, 'Timestamp', 'storage', 'changed', 'Now')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: false,
			before: 'u64',
			after: 'u128',
			detail: expect.stringMatching(/value type changed: u64 → u128/),
		});
		expect(find(report, 'Balances', 'storage', 'changed', 'Account')[0]).toMatchObject({
			severity: 'breaking',
			detail: expect.stringMatching(/hashers Blake2_128Concat → Twox64Concat/),
		});
		expect(find(report, 'Timestamp', 'storage', 'removed', 'DidUpdate')[0]).toMatchObject({ severity: 'breaking' });
		expect(find(report, 'System', 'storage', 'added', 'NewThing')[0]).toMatchObject({ severity: 'additive', after: 'Option<u32>' });
	});

	it('events and errors: field type, field rename, added, removed', () => {
		expect(find(report, 'Balances', 'event', 'changed', 'Transfer')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: false,
			detail: expect.stringMatching(/at amount: u128 → u64/),
		});
		const renamed = find(report, 'Balances', 'event', 'changed', 'Deposit')[0]!;
		expect(renamed).toMatchObject({
			severity: 'breaking',
			encodingUnchanged: true,
			detail: expect.stringMatching(/renamed.*removed who; added account/),
		});
		expect(find(report, 'Balances', 'event', 'added', 'Vanished')[0]).toMatchObject({ severity: 'additive' });
		expect(find(report, 'Balances', 'error', 'removed', 'DeltaZero')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: false,
		});
	});

	it('constants: value, type, removed', () => {
		expect(find(report, 'Balances', 'constant', 'changed', 'ExistentialDeposit')[0]).toMatchObject({
			severity: 'additive',
			before: '100000000000000',
			after: '10000000000',
		});
		expect(find(report, 'System', 'constant', 'changed', 'SS58Prefix')[0]).toMatchObject({
			severity: 'breaking',
			detail: 'type changed: u16 → u32',
			before: 'u16 = 42',
			after: 'u32 = 42',
		});
		expect(find(report, 'Balances', 'constant', 'removed', 'MaxFreezes')[0]).toMatchObject({ severity: 'breaking' });
	});

	it('pallets: removed, re-indexed, added at a freed index', () => {
		expect(find(report, 'Lottery', 'pallet', 'removed')[0]).toMatchObject({ severity: 'breaking', requiresTxVersionBump: true });
		// its items are not listed one by one
		expect(report.changes.filter((c) => c.pallet === 'Lottery')).toHaveLength(1);
		expect(find(report, 'Tips', 'pallet', 'reindexed')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			before: '38',
			after: '120',
		});
		expect(find(report, 'NewPallet', 'pallet', 'added')[0]).toMatchObject({
			severity: 'breaking',
			requiresTxVersionBump: true,
			detail: expect.stringMatching(/index 44, which was Lottery's/),
		});
	});

	it('an enum that only gains a variant is compatible (extended, not breaking); outer enums are not re-reported', () => {
		const phase = find(report, 'System', 'storage', 'changed', 'ExecutionPhase')[0]!;
		expect(phase).toMatchObject({ severity: 'additive', detail: expect.stringMatching(/extended.*::Other/) });
		// Events embeds Phase (extended) and RuntimeEvent (changed, but reported per pallet)
		expect(find(report, 'System', 'storage', 'changed', 'Events')[0]).toMatchObject({ severity: 'additive' });
		// Sudo.sudo(call: RuntimeCall) is not reported although RuntimeCall changed
		expect(find(report, 'Sudo', 'call', 'changed', 'sudo')).toEqual([]);
	});

	it('extrinsic format: a removed signed extension is breaking', () => {
		expect(find(report, '(runtime)', 'extrinsic', 'changed', 'signed extensions')[0]).toMatchObject({
			severity: 'breaking',
			detail: expect.stringMatching(/removed CheckMetadataHash/),
		});
	});

	it('nothing else changed (no noise)', () => {
		const expected = [
			'Timestamp.call.changed.set',
			'Balances.call.reindexed.force_transfer',
			'Utility.call.removed.batch_all',
			'System.call.added.remark_v2',
			'Sudo.call.removed.sudo_as',
			'Sudo.call.added.sudo_as_v2',
			'Timestamp.storage.changed.Now',
			'Timestamp.storage.removed.DidUpdate',
			'Balances.storage.changed.Account',
			'System.storage.added.NewThing',
			'Balances.event.changed.Transfer',
			'Balances.event.changed.Deposit',
			'Balances.event.added.Vanished',
			'Balances.error.removed.DeltaZero',
			'Balances.constant.changed.ExistentialDeposit',
			'Balances.constant.removed.MaxFreezes',
			'System.constant.changed.SS58Prefix',
			'Lottery.pallet.removed.',
			'Tips.pallet.reindexed.',
			'NewPallet.pallet.added.',
			'System.storage.changed.ExecutionPhase',
			'System.storage.changed.Events',
			'(runtime).extrinsic.changed.signed extensions',
		];
		expect(report.changes.map((c) => `${c.pallet}.${c.kind}.${c.action}.${c.item ?? ''}`).sort()).toEqual(expected.sort());
	});

	it('verdicts agree with the changes and never contradict', () => {
		expect(report.verdicts).toEqual({
			forwardCompatible: false,
			transactionVersionBumpRequired: true,
			transactionVersionBumped: false,
			specNameEqual: true,
			specVersionIncreased: true,
		});
		expect(report.counts.breaking).toBe(report.changes.filter((c) => c.severity === 'breaking').length);
		expect(report.counts.total).toBe(report.changes.length);
		expect(report.counts.byKind.call).toEqual({ added: 2, removed: 2, reindexed: 1, changed: 1 });
		expect(report.problems.map((p) => p.code)).toEqual(['breaking-changes', 'tx-version-not-bumped']);
		expect(report.problems[1]!.message).toMatch(/transaction_version must be bumped \(stays at 7\)/);
		// bumping transaction_version removes that problem, not the breaking changes
		const bumped = diffMetadata(oldRt.metadata, breakingRt.metadata, oldRt.version, { ...breakingRt.version, transactionVersion: 8 });
		expect(bumped.verdicts.transactionVersionBumped).toBe(true);
		expect(bumped.problems.map((p) => p.code)).toEqual(['breaking-changes']);
		// a different spec name and no spec version increase are problems too
		const odd = diffMetadata(oldRt.metadata, breakingRt.metadata, oldRt.version, {
			...breakingRt.version,
			specName: 'other',
			specVersion: 99,
		});
		expect(odd.problems.map((p) => p.code)).toEqual([
			'breaking-changes',
			'tx-version-not-bumped',
			'spec-name-changed',
			'spec-version-not-increased',
		]);
	});

	it('an additive-only upgrade is forward compatible and needs no transaction_version bump', () => {
		expect(additive.verdicts).toEqual({
			forwardCompatible: true,
			transactionVersionBumpRequired: false,
			transactionVersionBumped: false,
			specNameEqual: true,
			specVersionIncreased: true,
		});
		expect(additive.problems).toEqual([]);
		expect(additive.changes.every((c) => c.severity === 'additive')).toBe(true);
		expect(additive.changes.map((c) => `${c.pallet}.${c.kind}.${c.action}.${c.item ?? ''}`).sort()).toEqual(
			[
				'System.call.added.remark_v2',
				'System.storage.added.NewThing',
				'System.storage.changed.Number',
				'System.storage.changed.ExecutionPhase',
				'System.storage.changed.Events',
				'Balances.event.added.Vanished',
				'Balances.error.added.Gone',
				'Balances.constant.changed.ExistentialDeposit',
				'Balances.constant.added.NewConst',
				'Brand.pallet.added.',
				'Brand.storage.added.Value',
				'(runtime).api.changed.Metadata',
			].sort(),
		);
		expect(find(additive, 'System', 'storage', 'changed', 'Number')[0]).toMatchObject({ detail: 'default value 0 → 1' });
		// a bump without need is a note, not a problem
		const bumped = diffMetadata(oldRt.metadata, additiveRt.metadata, oldRt.version, { ...additiveRt.version, transactionVersion: 8 });
		expect(bumped.problems).toEqual([]);
		expect(bumped.notes[0]).toMatch(/bumped 7 → 8 although no existing call changed/);
	});
});

describe('forward-compatibility gate', () => {
	it('fails with counts and the breaking changes as evidence', () => {
		const gate = forwardCompatGate('testnet', report, '2024-01-01T00:00:00.000Z');
		expect(gate).toMatchObject({ id: 'forward-compatible', env: 'testnet', status: 'fail', checkedAt: '2024-01-01T00:00:00.000Z' });
		expect(gate.summary).toMatch(
			/^not forward compatible with node 100: \d+ breaking changes \(.*call.*\); transaction_version must be bumped/,
		);
		const ev = gate.evidence as Json;
		expect(ev.counts.breaking).toBe(report.counts.breaking);
		expect(ev.breaking).toHaveLength(report.counts.breaking);
		expect(ev.breakingTruncated).toBe(false);
		expect(ev.breaking[0]).toHaveProperty('detail');
		expect(JSON.parse(JSON.stringify(gate))).toEqual(gate);
		// pure
		expect(forwardCompatGate('testnet', report, '2024-01-01T00:00:00.000Z')).toEqual(gate);
	});

	it('passes an additive upgrade, and caps the evidence list', () => {
		expect(forwardCompatGate({ name: 'prod' }, additive, 'x')).toMatchObject({
			status: 'pass',
			env: 'prod',
			summary: expect.stringMatching(/^forward compatible with node 100: 12 additive changes, none breaking/),
		});
		const many: DiffReport = {
			...report,
			changes: Array.from({ length: 250 }, () => report.changes.find((c) => c.severity === 'breaking')!),
		};
		const ev = forwardCompatGate('x', many, 'x').evidence as Json;
		expect(ev.breaking).toHaveLength(MAX_GATE_BREAKING);
		expect(ev.breakingTruncated).toBe(true);
	});
});

describe('call hashes from the target metadata', () => {
	it('match @polkadot/types encoding and report absent calls', () => {
		const code = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
		const h = callHashes(oldRt.metadata, code);
		const registry = new TypeRegistry();
		const meta = new Metadata(registry, staticSubstrate);
		registry.setMetadata(meta);
		const tx = expandMetadata(registry, meta).tx;
		expect(h.setCode).toMatchObject({
			available: true,
			callIndex: '0x0002',
			hash: tx.system!.setCode!(u8aToHex(code)).hash.toHex(),
			encodedLength: 2 + 2 + 1000,
		});
		expect(h.authorizeUpgrade).toMatchObject({
			available: true,
			callIndex: '0x0009',
			hash: tx.system!.authorizeUpgrade!(h.codeHash).hash.toHex(),
		});
		expect(h.parachainAuthorizeUpgrade).toMatchObject({ available: false, reason: 'the target runtime has no ParachainSystem pallet' });
		// from a metadata where System.authorize_upgrade is gone: not available, never guessed
		const j = clone();
		const system = type(j, pallet(j, 'System').calls.type).def.variant;
		system.variants = system.variants.filter((v: Json) => v.name !== 'authorize_upgrade');
		expect(callHashes(toMetadata(j), code).authorizeUpgrade).toMatchObject({
			available: false,
			reason: expect.stringMatching(/no authorize_upgrade call/),
		});
		// a different pallet index changes the hash: it comes from the target's indices
		const k = clone();
		pallet(k, 'System').index = 9;
		expect(callHashes(toMetadata(k), code).setCode.callIndex).toBe('0x0902');
	});
});

describe('inspect command on generated runtimes', () => {
	it('exit 1 with verdicts first, then changes by pallet; --json is one object', async () => {
		const out: string[] = [];
		const code = await runInspect(
			{ wasm: breakingRt.path, against: oldRt.path, json: false },
			{ stdout: (s) => out.push(s), stderr: () => {} },
		);
		expect(code).toBe(1);
		const text = out.join('\n');
		const verdictsAt = text.indexOf('forward compatible');
		const changesAt = text.indexOf('Changes (');
		expect(verdictsAt).toBeGreaterThan(0);
		expect(changesAt).toBeGreaterThan(verdictsAt);
		expect(text).toMatch(/✗ forward compatible\s+no: \d+ breaking changes/);
		expect(text).toMatch(/✗ transaction_version\s+bump required, not bumped \(7 → 7\)/);
		expect(text).toMatch(/\n {2}Timestamp {2}— 3 breaking\n/);
		expect(text).toMatch(/BREAKING {2}call set changed/);
		expect(text).toMatch(/Call hashes \(indices from old\.wasm \(node 100\)\)/);

		const json: string[] = [];
		const code2 = await runInspect(
			{ wasm: additiveRt.path, against: oldRt.path, json: true },
			{ stdout: (s) => json.push(s), stderr: () => {} },
		);
		expect(code2).toBe(0);
		expect(json).toHaveLength(1);
		const parsed = JSON.parse(json[0]!);
		expect(parsed.diff.verdicts.forwardCompatible).toBe(true);
		expect(parsed.gate.status).toBe('pass');
		expect(parsed.artifact.specVersion).toBe(101);
		expect(parsed.exitCode).toBe(0);
	});

	it('--against an environment name goes through resolveAgainst', async () => {
		const out: string[] = [];
		const code = await runInspect(
			{ wasm: additiveRt.path, against: 'staging', json: true },
			{
				stdout: (s) => out.push(s),
				stderr: () => {},
				resolveAgainst: async (name) =>
					name === 'staging'
						? { metadata: u8aToHex(oldRt.metadataBytes), version: oldRt.version, label: 'staging (node 100)' }
						: undefined,
			},
		);
		expect(code).toBe(0);
		const parsed = JSON.parse(out[0]!);
		expect(parsed.against).toMatchObject({ label: 'staging (node 100)', source: 'environment', specVersion: 100 });
		expect(parsed.gate.env).toBe('staging');
		expect(parsed.artifact.callHashes.basis).toBe('staging (node 100)');
		const err: string[] = [];
		const missing = await runInspect(
			{ wasm: additiveRt.path, against: 'nowhere', json: false },
			{ stdout: () => {}, stderr: (s) => err.push(s), resolveAgainst: async () => undefined },
		);
		expect(missing).toBe(2);
		expect(err.join()).toMatch(/"nowhere" is neither a file nor a known environment/);
	});
});
