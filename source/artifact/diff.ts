/**
 * Forward-compatibility diff of two runtimes' metadata (v14+).
 *
 * Items are matched by name (pallets, calls, storage items, events, errors,
 * constants) and types are compared by structure (see model.ts). Each change
 * is classified:
 *
 * - breaking: something that existed is gone, moved to another index, or
 *   changed shape; or an index that meant something else before is reused.
 * - additive: new items, and changes existing readers still handle (a
 *   constant's or a storage default's value, a runtime API version bump).
 *
 * `requiresTxVersionBump` marks changes to what existing transactions mean:
 * a call (or its pallet) re-indexed, removed, or with changed arguments, and
 * an index reused by a different call.
 *
 * The verdicts are derived from the list of changes only, so they cannot
 * disagree with it; every verdict that is not met is also listed in `problems`.
 */
import type { Metadata } from '@polkadot/types';
import type { Hex } from '../domain/types.js';
import {
	renderFields,
	renderType,
	renderValue,
	ShapeComparer,
	toModel,
	variantsOf,
	type MetadataModel,
	type ModelPallet,
	type ModelStorage,
	type ShapeDifference,
} from './model.js';
import type { RuntimeApiVersion } from './version.js';
import { RUNTIME_SCOPE } from './scope.js';

export type ChangeKind = 'pallet' | 'call' | 'storage' | 'event' | 'error' | 'constant' | 'extrinsic' | 'api';
export type ChangeAction = 'added' | 'removed' | 'reindexed' | 'changed';
export type ChangeSeverity = 'breaking' | 'additive';

export { RUNTIME_SCOPE };

export interface MetadataChange {
	/** Pallet name, or `(runtime)` for extrinsic-format and runtime-API changes. */
	pallet: string;
	kind: ChangeKind;
	action: ChangeAction;
	/** Call, storage item, event, error, constant or API name; absent for pallet-level changes. */
	item?: string;
	severity: ChangeSeverity;
	/** True when transactions built for the old runtime change meaning (transaction_version must go up). */
	requiresTxVersionBump: boolean;
	/** One line, human. */
	detail: string;
	before?: string;
	after?: string;
	/** Set on field/argument changes that only rename: the SCALE encoding is the same. */
	encodingUnchanged?: boolean;
}

/** The version fields the diff needs (a RuntimeVersionInfo fits). */
export interface VersionLike {
	specName: string;
	specVersion: number;
	transactionVersion: number;
	apis?: RuntimeApiVersion[];
}

export type ProblemCode =
	'breaking-changes' | 'tx-version-not-bumped' | 'tx-version-decreased' | 'spec-name-changed' | 'spec-version-not-increased';

export interface DiffProblem {
	code: ProblemCode;
	message: string;
}

export interface DiffVerdicts {
	/** No breaking change. */
	forwardCompatible: boolean;
	/** Some change alters what an existing transaction means. */
	transactionVersionBumpRequired: boolean;
	/** new transaction_version > old. */
	transactionVersionBumped: boolean;
	specNameEqual: boolean;
	specVersionIncreased: boolean;
}

type ActionCounts = Record<ChangeAction, number>;

export interface DiffCounts {
	total: number;
	breaking: number;
	additive: number;
	requiringTxVersionBump: number;
	byKind: Record<ChangeKind, ActionCounts>;
	/** Pallets with at least one change (including runtime-level). */
	palletsChanged: number;
}

export interface RuntimeSide {
	specName: string;
	specVersion: number;
	transactionVersion: number;
	metadataVersion: number;
	pallets: number;
}

export interface DiffReport {
	old: RuntimeSide;
	new: RuntimeSide;
	verdicts: DiffVerdicts;
	/** Every verdict that is not met, and why. Empty when all is well. */
	problems: DiffProblem[];
	/** Remarks that are not problems (e.g. transaction_version bumped without need). */
	notes: string[];
	counts: DiffCounts;
	/** Sorted by pallet (new index order, removed pallets at their old index), then kind. */
	changes: MetadataChange[];
}

const KIND_ORDER: ChangeKind[] = ['pallet', 'call', 'storage', 'event', 'error', 'constant', 'extrinsic', 'api'];

function emptyCounts(): Record<ChangeKind, ActionCounts> {
	return Object.fromEntries(KIND_ORDER.map((k) => [k, { added: 0, removed: 0, reindexed: 0, changed: 0 }])) as Record<
		ChangeKind,
		ActionCounts
	>;
}

const MAX_DETAIL = 400;
const MAX_SHOWN = 300;

function clamp(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

class Differ {
	readonly changes: MetadataChange[] = [];
	readonly cmp: ShapeComparer;

	constructor(
		readonly a: MetadataModel,
		readonly b: MetadataModel,
	) {
		this.cmp = new ShapeComparer(a, b);
	}

	add(change: Omit<MetadataChange, 'requiresTxVersionBump'> & { requiresTxVersionBump?: boolean }): void {
		this.changes.push({
			...change,
			requiresTxVersionBump: change.requiresTxVersionBump ?? false,
			detail: clamp(change.detail, MAX_DETAIL),
			...(change.before === undefined ? {} : { before: clamp(change.before, MAX_SHOWN) }),
			...(change.after === undefined ? {} : { after: clamp(change.after, MAX_SHOWN) }),
		});
	}

	pallets(): void {
		const oldByName = new Map(this.a.pallets.map((p) => [p.name, p]));
		const newByName = new Map(this.b.pallets.map((p) => [p.name, p]));
		const oldByIndex = new Map(this.a.pallets.map((p) => [p.index, p]));
		for (const p of this.a.pallets) {
			const q = newByName.get(p.name);
			const calls = variantsOf(this.a, p.calls).length;
			if (!q) {
				const parts = [
					calls && `${calls} calls`,
					p.storage.length && `${p.storage.length} storage items`,
					variantsOf(this.a, p.events).length && `${variantsOf(this.a, p.events).length} events`,
				].filter(Boolean);
				this.add({
					pallet: p.name,
					kind: 'pallet',
					action: 'removed',
					severity: 'breaking',
					requiresTxVersionBump: calls > 0,
					detail: `pallet removed (index ${p.index}${parts.length ? `; had ${parts.join(', ')}` : ''})`,
					before: `index ${p.index}`,
				});
				continue;
			}
			if (p.index !== q.index) {
				this.add({
					pallet: p.name,
					kind: 'pallet',
					action: 'reindexed',
					severity: 'breaking',
					requiresTxVersionBump: calls > 0,
					detail: `pallet index ${p.index} → ${q.index}: its calls, events and errors are encoded with the new index`,
					before: String(p.index),
					after: String(q.index),
				});
			}
			this.variants('call', p, q);
			this.storage(p, q);
			this.variants('event', p, q);
			this.variants('error', p, q);
			this.constants(p, q);
		}
		for (const q of this.b.pallets) {
			if (oldByName.has(q.name)) continue;
			const previous = oldByIndex.get(q.index);
			const movedAway = previous && previous.name !== q.name;
			if (movedAway) {
				const hadCalls = variantsOf(this.a, previous.calls).length > 0;
				this.add({
					pallet: q.name,
					kind: 'pallet',
					action: 'added',
					severity: 'breaking',
					requiresTxVersionBump: hadCalls,
					detail: `pallet added at index ${q.index}, which was ${previous.name}'s: old transactions and events with that index now mean ${q.name}`,
					after: `index ${q.index}`,
				});
			} else {
				this.add({
					pallet: q.name,
					kind: 'pallet',
					action: 'added',
					severity: 'additive',
					detail: `pallet added at index ${q.index}`,
					after: `index ${q.index}`,
				});
			}
			for (const v of variantsOf(this.b, q.calls)) {
				this.add({
					pallet: q.name,
					kind: 'call',
					action: 'added',
					item: v.name,
					severity: 'additive',
					detail: `call added at index ${v.index}`,
					after: renderFields(this.b, v.fields),
				});
			}
			for (const s of q.storage) {
				this.add({
					pallet: q.name,
					kind: 'storage',
					action: 'added',
					item: s.name,
					severity: 'additive',
					detail: 'storage item added',
					after: this.renderStorage(this.b, s),
				});
			}
			for (const v of variantsOf(this.b, q.events)) {
				this.add({
					pallet: q.name,
					kind: 'event',
					action: 'added',
					item: v.name,
					severity: 'additive',
					detail: `event added at index ${v.index}`,
					after: renderFields(this.b, v.fields),
				});
			}
			for (const v of variantsOf(this.b, q.errors)) {
				this.add({
					pallet: q.name,
					kind: 'error',
					action: 'added',
					item: v.name,
					severity: 'additive',
					detail: `error added at index ${v.index}`,
				});
			}
			for (const c of q.constants) {
				this.add({
					pallet: q.name,
					kind: 'constant',
					action: 'added',
					item: c.name,
					severity: 'additive',
					detail: 'constant added',
					after: `${renderType(this.b, c.type)} = ${renderValue(this.b, c.type, c.value)}`,
				});
			}
		}
	}

	variants(kind: 'call' | 'event' | 'error', p: ModelPallet, q: ModelPallet): void {
		const key = kind === 'call' ? 'calls' : kind === 'event' ? 'events' : 'errors';
		const olds = variantsOf(this.a, p[key]);
		const news = variantsOf(this.b, q[key]);
		const isCall = kind === 'call';
		const newByName = new Map(news.map((v) => [v.name, v]));
		const oldByName = new Map(olds.map((v) => [v.name, v]));
		const oldByIndex = new Map(olds.map((v) => [v.index, v]));
		for (const v of olds) {
			const w = newByName.get(v.name);
			if (!w) {
				this.add({
					pallet: p.name,
					kind,
					action: 'removed',
					item: v.name,
					severity: 'breaking',
					requiresTxVersionBump: isCall,
					detail: `${kind} removed (index ${v.index})`,
					before: renderFields(this.a, v.fields),
				});
				continue;
			}
			if (v.index !== w.index) {
				this.add({
					pallet: p.name,
					kind,
					action: 'reindexed',
					item: v.name,
					severity: 'breaking',
					requiresTxVersionBump: isCall,
					detail: `${kind} index ${v.index} → ${w.index}${isCall ? ': a new version of a call must get a new index, not replace the old one' : ''}`,
					before: String(v.index),
					after: String(w.index),
				});
			}
			if (this.cmp.fieldsCheck(v.fields, w.fields, 'equal')) continue;
			const what = isCall ? 'arguments' : 'fields';
			if (this.cmp.fieldsCheck(v.fields, w.fields, 'compatible')) {
				const d = this.cmp.explainFields(v.fields, w.fields, 'equal')!;
				this.add({
					pallet: p.name,
					kind,
					action: 'changed',
					item: v.name,
					severity: 'additive',
					detail: `${what} extended${describe(d)} (old encodings still decode the same)`,
					before: renderFields(this.a, v.fields),
					after: renderFields(this.b, w.fields),
				});
				continue;
			}
			const d = this.cmp.explainFields(v.fields, w.fields, 'compatible')!;
			const renamedOnly = this.cmp.fieldsSameEncoding(v.fields, w.fields);
			this.add({
				pallet: p.name,
				kind,
				action: 'changed',
				item: v.name,
				severity: 'breaking',
				requiresTxVersionBump: isCall,
				detail: renamedOnly
					? `${what} renamed${describe(d)} (encoding unchanged; readers by name break)`
					: `${what} changed${describe(d)}`,
				before: renderFields(this.a, v.fields),
				after: renderFields(this.b, w.fields),
				...(renamedOnly ? { encodingUnchanged: true } : {}),
			});
		}
		for (const w of news) {
			if (oldByName.has(w.name)) continue;
			const previous = oldByIndex.get(w.index);
			if (previous) {
				this.add({
					pallet: q.name,
					kind,
					action: 'added',
					item: w.name,
					severity: 'breaking',
					requiresTxVersionBump: isCall,
					detail: `${kind} added at index ${w.index}, which was ${previous.name}'s: anything encoded for ${previous.name} now decodes as ${w.name}`,
					after: renderFields(this.b, w.fields),
				});
			} else {
				this.add({
					pallet: q.name,
					kind,
					action: 'added',
					item: w.name,
					severity: 'additive',
					detail: `${kind} added at index ${w.index}`,
					after: renderFields(this.b, w.fields),
				});
			}
		}
	}

	renderStorage(model: MetadataModel, s: ModelStorage): string {
		const value = renderType(model, s.value);
		const shown = s.modifier === 'Optional' ? `Option<${value}>` : value;
		if (s.kind === 'plain') return shown;
		return `map ${s.hashers.join('+')}(${renderType(model, s.key!)}) → ${shown}`;
	}

	storage(p: ModelPallet, q: ModelPallet): void {
		if (p.storagePrefix !== undefined && q.storagePrefix !== undefined && p.storagePrefix !== q.storagePrefix) {
			this.add({
				pallet: p.name,
				kind: 'storage',
				action: 'changed',
				severity: 'breaking',
				detail: `storage prefix ${p.storagePrefix} → ${q.storagePrefix}: every item moves to new keys`,
				before: p.storagePrefix,
				after: q.storagePrefix,
			});
		}
		const newByName = new Map(q.storage.map((s) => [s.name, s]));
		const oldNames = new Set(p.storage.map((s) => s.name));
		for (const s of p.storage) {
			const t = newByName.get(s.name);
			if (!t) {
				this.add({
					pallet: p.name,
					kind: 'storage',
					action: 'removed',
					item: s.name,
					severity: 'breaking',
					detail: 'storage item removed',
					before: this.renderStorage(this.a, s),
				});
				continue;
			}
			const breaking: string[] = [];
			const extended: string[] = [];
			if (s.kind !== t.kind) breaking.push(`${s.kind} → ${t.kind}`);
			if (s.hashers.join() !== t.hashers.join())
				breaking.push(`hashers ${s.hashers.join('+') || 'none'} → ${t.hashers.join('+') || 'none'}`);
			const typeChange = (what: string, x: number, y: number) => {
				const bad = this.cmp.explain(x, y, 'compatible');
				if (bad) breaking.push(`${what} type changed${describe(bad)}`);
				else {
					const ext = this.cmp.explain(x, y, 'equal');
					if (ext) extended.push(`${what} type extended${describe(ext)}`);
				}
			};
			if (s.key !== undefined && t.key !== undefined) typeChange('key', s.key, t.key);
			typeChange('value', s.value, t.value);
			if (s.modifier !== t.modifier) breaking.push(`modifier ${s.modifier} → ${t.modifier} (absent values read differently)`);
			const before = this.renderStorage(this.a, s);
			const after = this.renderStorage(this.b, t);
			if (breaking.length) {
				this.add({
					pallet: p.name,
					kind: 'storage',
					action: 'changed',
					item: s.name,
					severity: 'breaking',
					detail: `${breaking.join('; ')} (readers of the old layout break: migrate to a new item)`,
					before,
					after,
				});
			} else if (extended.length) {
				this.add({
					pallet: p.name,
					kind: 'storage',
					action: 'changed',
					item: s.name,
					severity: 'additive',
					detail: `${extended.join('; ')} (existing values still decode)`,
					before,
					after,
				});
			} else if (s.fallback !== t.fallback) {
				this.add({
					pallet: p.name,
					kind: 'storage',
					action: 'changed',
					item: s.name,
					severity: 'additive',
					detail: `default value ${renderValue(this.a, s.value, hexBytes(s.fallback))} → ${renderValue(this.b, t.value, hexBytes(t.fallback))}`,
					before: renderValue(this.a, s.value, hexBytes(s.fallback)),
					after: renderValue(this.b, t.value, hexBytes(t.fallback)),
				});
			}
		}
		for (const t of q.storage) {
			if (oldNames.has(t.name)) continue;
			this.add({
				pallet: q.name,
				kind: 'storage',
				action: 'added',
				item: t.name,
				severity: 'additive',
				detail: 'storage item added',
				after: this.renderStorage(this.b, t),
			});
		}
	}

	constants(p: ModelPallet, q: ModelPallet): void {
		const newByName = new Map(q.constants.map((c) => [c.name, c]));
		const oldNames = new Set(p.constants.map((c) => c.name));
		for (const c of p.constants) {
			const d = newByName.get(c.name);
			if (!d) {
				this.add({
					pallet: p.name,
					kind: 'constant',
					action: 'removed',
					item: c.name,
					severity: 'breaking',
					detail: 'constant removed',
					before: `${renderType(this.a, c.type)} = ${renderValue(this.a, c.type, c.value)}`,
				});
				continue;
			}
			const shown = (m: MetadataModel, x: typeof c) => `${renderType(m, x.type)} = ${renderValue(m, x.type, x.value)}`;
			const bad = this.cmp.explain(c.type, d.type, 'compatible');
			const ext = bad ? undefined : this.cmp.explain(c.type, d.type, 'equal');
			if (bad || ext) {
				this.add({
					pallet: p.name,
					kind: 'constant',
					action: 'changed',
					item: c.name,
					severity: bad ? 'breaking' : 'additive',
					detail: bad ? `type changed${describe(bad)}` : `type extended${describe(ext!)}`,
					before: shown(this.a, c),
					after: shown(this.b, d),
				});
			} else if (!sameBytes(c.value, d.value)) {
				const before = renderValue(this.a, c.type, c.value);
				const after = renderValue(this.b, d.type, d.value);
				this.add({
					pallet: p.name,
					kind: 'constant',
					action: 'changed',
					item: c.name,
					severity: 'additive',
					detail: `value ${before} → ${after}`,
					before,
					after,
				});
			}
		}
		for (const d of q.constants) {
			if (oldNames.has(d.name)) continue;
			this.add({
				pallet: q.name,
				kind: 'constant',
				action: 'added',
				item: d.name,
				severity: 'additive',
				detail: 'constant added',
				after: `${renderType(this.b, d.type)} = ${renderValue(this.b, d.type, d.value)}`,
			});
		}
	}

	extrinsic(): void {
		const x = this.a.extrinsic;
		const y = this.b.extrinsic;
		const removedVersions = x.versions.filter((v) => !y.versions.includes(v));
		if (removedVersions.length) {
			this.add({
				pallet: RUNTIME_SCOPE,
				kind: 'extrinsic',
				action: 'changed',
				item: 'versions',
				severity: 'breaking',
				detail: `extrinsic format version${removedVersions.length > 1 ? 's' : ''} ${removedVersions.join(', ')} no longer supported`,
				before: x.versions.join(', '),
				after: y.versions.join(', '),
			});
		} else if (x.versions.join() !== y.versions.join()) {
			this.add({
				pallet: RUNTIME_SCOPE,
				kind: 'extrinsic',
				action: 'added',
				item: 'versions',
				severity: 'additive',
				detail: `extrinsic format versions ${x.versions.join(', ')} → ${y.versions.join(', ')}`,
				before: x.versions.join(', '),
				after: y.versions.join(', '),
			});
		}
		for (const [name, ta, tb] of [
			['address', x.address, y.address],
			['signature', x.signature, y.signature],
		] as const) {
			if (ta === undefined || tb === undefined) continue;
			const bad = this.cmp.explain(ta, tb, 'compatible');
			const ext = bad ? undefined : this.cmp.explain(ta, tb, 'equal');
			if (bad || ext) {
				this.add({
					pallet: RUNTIME_SCOPE,
					kind: 'extrinsic',
					action: 'changed',
					item: name,
					severity: bad ? 'breaking' : 'additive',
					detail: bad ? `${name} type changed${describe(bad)}` : `${name} type extended${describe(ext!)}`,
					before: renderType(this.a, ta),
					after: renderType(this.b, tb),
				});
			}
		}
		const ids = (list: typeof x.extensions) => list.map((e) => e.identifier);
		const before = ids(x.extensions).join(', ');
		const after = ids(y.extensions).join(', ');
		if (before !== after) {
			const removed = ids(x.extensions).filter((i) => !ids(y.extensions).includes(i));
			const added = ids(y.extensions).filter((i) => !ids(x.extensions).includes(i));
			const what =
				[removed.length && `removed ${removed.join(', ')}`, added.length && `added ${added.join(', ')}`]
					.filter(Boolean)
					.join('; ') || 'reordered';
			this.add({
				pallet: RUNTIME_SCOPE,
				kind: 'extrinsic',
				action: 'changed',
				item: 'signed extensions',
				severity: 'breaking',
				detail: `signed/transaction extensions ${what}: signers must encode the new set`,
				before,
				after,
			});
		} else {
			x.extensions.forEach((e, i) => {
				const f = y.extensions[i]!;
				const d = this.cmp.explain(e.type, f.type) ?? this.cmp.explain(e.implicit, f.implicit);
				if (d) {
					this.add({
						pallet: RUNTIME_SCOPE,
						kind: 'extrinsic',
						action: 'changed',
						item: e.identifier,
						severity: 'breaking',
						detail: `signed extension ${e.identifier} changed${describe(d)}`,
					});
				}
			});
		}
	}

	apis(oldApis: RuntimeApiVersion[] | undefined, newApis: RuntimeApiVersion[] | undefined): void {
		if (!oldApis?.length || !newApis?.length) return;
		const label = (a: RuntimeApiVersion) => a.name ?? a.id;
		const newById = new Map(newApis.map((a) => [a.id, a]));
		const oldIds = new Set(oldApis.map((a) => a.id));
		for (const a of oldApis) {
			const b = newById.get(a.id);
			if (!b) {
				this.add({
					pallet: RUNTIME_SCOPE,
					kind: 'api',
					action: 'removed',
					item: label(a),
					severity: 'breaking',
					detail: `runtime API ${label(a)} v${a.version} removed: its callers fail`,
					before: `v${a.version}`,
				});
			} else if (a.version !== b.version) {
				const down = b.version < a.version;
				this.add({
					pallet: RUNTIME_SCOPE,
					kind: 'api',
					action: 'changed',
					item: label(a),
					severity: down ? 'breaking' : 'additive',
					detail: `runtime API ${label(a)} v${a.version} → v${b.version}${down ? ' (downgraded)' : ''}`,
					before: `v${a.version}`,
					after: `v${b.version}`,
				});
			}
		}
		for (const b of newApis) {
			if (!oldIds.has(b.id))
				this.add({
					pallet: RUNTIME_SCOPE,
					kind: 'api',
					action: 'added',
					item: label(b),
					severity: 'additive',
					detail: `runtime API ${label(b)} v${b.version} added`,
					after: `v${b.version}`,
				});
		}
	}
}

/** To follow "changed"/"extended": " at x.y: A → B", " (removed 0; added who): A → B" or ": A → B". */
function describe(d: ShapeDifference): string {
	const at = d.at.replace(/^\./, '').trim();
	if (!at) return `: ${d.before} → ${d.after}`;
	if (at.startsWith('(')) return ` ${at}: ${d.before} → ${d.after}`;
	return ` at ${at}: ${d.before} → ${d.after}`;
}

function hexBytes(hex: Hex): Uint8Array {
	const clean = hex.slice(2);
	const out = new Uint8Array(clean.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
	return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Compare two runtimes. Metadata may be given as @polkadot/types Metadata,
 * SCALE bytes or hex (with or without the Opaque/Option wrappers).
 */
export function diffMetadata(
	oldMeta: Metadata | Uint8Array | Hex | MetadataModel,
	newMeta: Metadata | Uint8Array | Hex | MetadataModel,
	oldVersion: VersionLike,
	newVersion: VersionLike,
): DiffReport {
	const a = toModel(oldMeta);
	const b = toModel(newMeta);
	const d = new Differ(a, b);
	d.pallets();
	d.extrinsic();
	d.apis(oldVersion.apis, newVersion.apis);

	const newIndex = new Map(b.pallets.map((p) => [p.name, p.index]));
	const oldIndex = new Map(a.pallets.map((p) => [p.name, p.index]));
	const order = (c: MetadataChange) => (c.pallet === RUNTIME_SCOPE ? -1 : (newIndex.get(c.pallet) ?? oldIndex.get(c.pallet) ?? 999));
	const changes = d.changes
		.map((c, i) => ({ c, i }))
		.sort(
			(x, y) =>
				order(x.c) - order(y.c) ||
				x.c.pallet.localeCompare(y.c.pallet) ||
				KIND_ORDER.indexOf(x.c.kind) - KIND_ORDER.indexOf(y.c.kind) ||
				x.i - y.i,
		)
		.map(({ c }) => c);

	const byKind = emptyCounts();
	for (const c of changes) byKind[c.kind][c.action]++;
	const breaking = changes.filter((c) => c.severity === 'breaking');
	const txChanges = changes.filter((c) => c.requiresTxVersionBump);
	const counts: DiffCounts = {
		total: changes.length,
		breaking: breaking.length,
		additive: changes.length - breaking.length,
		requiringTxVersionBump: txChanges.length,
		byKind,
		palletsChanged: new Set(changes.map((c) => c.pallet)).size,
	};

	const verdicts: DiffVerdicts = {
		forwardCompatible: breaking.length === 0,
		transactionVersionBumpRequired: txChanges.length > 0,
		transactionVersionBumped: newVersion.transactionVersion > oldVersion.transactionVersion,
		specNameEqual: oldVersion.specName === newVersion.specName,
		specVersionIncreased: newVersion.specVersion > oldVersion.specVersion,
	};

	const label = (c: MetadataChange) => `${c.pallet}${c.item ? `.${c.item}` : ''}`;
	const sample = (list: MetadataChange[]) => {
		const names = [...new Set(list.map(label))];
		return names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length - 5} more)` : '');
	};
	const problems: DiffProblem[] = [];
	const notes: string[] = [];
	if (!verdicts.forwardCompatible) {
		problems.push({
			code: 'breaking-changes',
			message: `${breaking.length} breaking change${breaking.length === 1 ? '' : 's'}: ${sample(breaking)}`,
		});
	}
	if (verdicts.transactionVersionBumpRequired && !verdicts.transactionVersionBumped) {
		problems.push({
			code: 'tx-version-not-bumped',
			message: `transaction_version must be bumped (stays at ${newVersion.transactionVersion}${newVersion.transactionVersion < oldVersion.transactionVersion ? `, was ${oldVersion.transactionVersion}` : ''}): ${txChanges.length} change${txChanges.length === 1 ? '' : 's'} alter existing transactions (${sample(txChanges)})`,
		});
	} else if (newVersion.transactionVersion < oldVersion.transactionVersion) {
		problems.push({
			code: 'tx-version-decreased',
			message: `transaction_version decreases ${oldVersion.transactionVersion} → ${newVersion.transactionVersion}`,
		});
	}
	if (verdicts.transactionVersionBumped && !verdicts.transactionVersionBumpRequired) {
		notes.push(
			`transaction_version bumped ${oldVersion.transactionVersion} → ${newVersion.transactionVersion} although no existing call changed (harmless; wallets will ask for new metadata)`,
		);
	}
	if (!verdicts.specNameEqual) {
		problems.push({
			code: 'spec-name-changed',
			message: `spec name ${oldVersion.specName} → ${newVersion.specName}: this is not an upgrade of the same runtime`,
		});
	}
	if (!verdicts.specVersionIncreased) {
		problems.push({
			code: 'spec-version-not-increased',
			message:
				newVersion.specVersion === oldVersion.specVersion
					? `spec_version stays at ${newVersion.specVersion}: nodes will not switch to the new code`
					: `spec_version decreases ${oldVersion.specVersion} → ${newVersion.specVersion}`,
		});
	}

	const side = (m: MetadataModel, v: VersionLike): RuntimeSide => ({
		specName: v.specName,
		specVersion: v.specVersion,
		transactionVersion: v.transactionVersion,
		metadataVersion: m.version,
		pallets: m.pallets.length,
	});
	return { old: side(a, oldVersion), new: side(b, newVersion), verdicts, problems, notes, counts, changes };
}
