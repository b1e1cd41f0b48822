/**
 * A plain, version-independent model of runtime metadata (v14+, read through
 * @polkadot/types' `asLatest`), plus structural type comparison, short type
 * rendering, and a small SCALE decoder for showing constant values.
 *
 * Structural comparison resolves the portable registry on both sides and
 * compares shapes recursively: primitives, field names, variant names and
 * indices, lengths. It ignores type ids, docs, paths, generic params and the
 * Rust `typeName`s of fields, with one exception: a bit sequence's order type
 * is compared by its path (Lsb0 vs Msb0 have the same empty shape).
 */
import type { Metadata } from '@polkadot/types';
import type { Si1Field, Si1TypeDef } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import type { Hex } from '../domain/types.js';
import { decodeMetadata, type MetadataInput } from './metadata.js';

export type TypeDef =
	| { kind: 'composite'; fields: ModelField[] }
	| { kind: 'variant'; variants: ModelVariant[] }
	| { kind: 'sequence'; type: number }
	| { kind: 'array'; len: number; type: number }
	| { kind: 'tuple'; types: number[] }
	| { kind: 'primitive'; name: string }
	| { kind: 'compact'; type: number }
	| { kind: 'bitSequence'; store: number; order: number }
	| { kind: 'historic'; name: string };

export interface ModelType {
	id: number;
	path: string[];
	params: { name: string; type?: number }[];
	def: TypeDef;
}

export interface ModelField {
	name?: string;
	type: number;
	typeName?: string;
}

export interface ModelVariant {
	name: string;
	index: number;
	fields: ModelField[];
}

export interface ModelStorage {
	name: string;
	modifier: string;
	kind: 'plain' | 'map';
	hashers: string[];
	key?: number;
	value: number;
	fallback: Hex;
}

export interface ModelConstant {
	name: string;
	type: number;
	value: Uint8Array;
}

export interface ModelPallet {
	name: string;
	index: number;
	calls?: number;
	events?: number;
	errors?: number;
	storagePrefix?: string;
	storage: ModelStorage[];
	constants: ModelConstant[];
}

export interface ModelExtension {
	identifier: string;
	type: number;
	implicit: number;
}

export interface MetadataModel {
	/** The version of the metadata as the runtime returned it. */
	version: number;
	types: Map<number, ModelType>;
	pallets: ModelPallet[];
	/** The runtime's outer enums (RuntimeCall, RuntimeEvent, RuntimeError) when identifiable. */
	outerEnums: { call?: number; event?: number; error?: number };
	extrinsic: {
		versions: number[];
		address?: number;
		signature?: number;
		extensions: ModelExtension[];
	};
}

function fieldOf(f: Si1Field): ModelField {
	const name = f.name.isSome ? f.name.unwrap().toString() : undefined;
	const typeName = f.typeName.isSome ? f.typeName.unwrap().toString() : undefined;
	return { ...(name === undefined ? {} : { name }), type: f.type.toNumber(), ...(typeName === undefined ? {} : { typeName }) };
}

function defOf(def: Si1TypeDef): TypeDef {
	switch (def.type) {
		case 'Composite':
			return { kind: 'composite', fields: def.asComposite.fields.map(fieldOf) };
		case 'Variant':
			return {
				kind: 'variant',
				variants: def.asVariant.variants.map((v) => ({
					name: v.name.toString(),
					index: v.index.toNumber(),
					fields: v.fields.map(fieldOf),
				})),
			};
		case 'Sequence':
			return { kind: 'sequence', type: def.asSequence.type.toNumber() };
		case 'Array':
			return { kind: 'array', len: def.asArray.len.toNumber(), type: def.asArray.type.toNumber() };
		case 'Tuple':
			return { kind: 'tuple', types: def.asTuple.map((t) => t.toNumber()) };
		case 'Primitive':
			return { kind: 'primitive', name: def.asPrimitive.type.toLowerCase() };
		case 'Compact':
			return { kind: 'compact', type: def.asCompact.type.toNumber() };
		case 'BitSequence':
			return {
				kind: 'bitSequence',
				store: def.asBitSequence.bitStoreType.toNumber(),
				order: def.asBitSequence.bitOrderType.toNumber(),
			};
		default:
			return { kind: 'historic', name: def.asHistoricMetaCompat.toString() };
	}
}

const modelCache = new WeakMap<Metadata, MetadataModel>();

/** Build (once per Metadata object) the plain model of a v14+ metadata. */
export function buildModel(metadata: Metadata): MetadataModel {
	const cached = modelCache.get(metadata);
	if (cached) return cached;
	const latest = metadata.asLatest;
	const types = new Map<number, ModelType>();
	for (const t of latest.lookup.types) {
		types.set(t.id.toNumber(), {
			id: t.id.toNumber(),
			path: t.type.path.map((p) => p.toString()),
			params: t.type.params.map((p) => ({ name: p.name.toString(), ...(p.type.isSome ? { type: p.type.unwrap().toNumber() } : {}) })),
			def: defOf(t.type.def),
		});
	}
	const pallets: ModelPallet[] = latest.pallets.map((p) => {
		const storage = p.storage.isSome ? p.storage.unwrap() : undefined;
		return {
			name: p.name.toString(),
			index: p.index.toNumber(),
			...(p.calls.isSome ? { calls: p.calls.unwrap().type.toNumber() } : {}),
			...(p.events.isSome ? { events: p.events.unwrap().type.toNumber() } : {}),
			...(p.errors.isSome ? { errors: p.errors.unwrap().type.toNumber() } : {}),
			...(storage ? { storagePrefix: storage.prefix.toString() } : {}),
			storage: (storage?.items ?? []).map((item) => {
				const isMap = item.type.isMap;
				const map = isMap ? item.type.asMap : undefined;
				return {
					name: item.name.toString(),
					modifier: item.modifier.type,
					kind: isMap ? ('map' as const) : ('plain' as const),
					hashers: map ? map.hashers.map((h) => h.type) : [],
					...(map ? { key: map.key.toNumber() } : {}),
					value: map ? map.value.toNumber() : item.type.asPlain.toNumber(),
					fallback: item.fallback.toHex() as Hex,
				};
			}),
			constants: p.constants.map((c) => ({ name: c.name.toString(), type: c.type.toNumber(), value: c.value.toU8a(true) })),
		};
	});
	const ex = latest.extrinsic;
	const outer = latest.outerEnums;
	const outerEnum = (id: number, key: 'calls' | 'events' | 'errors'): number | undefined => {
		// Validate what the metadata (or @polkadot/types' v14 conversion) claims:
		// a variant per pallet, named and indexed like the pallet.
		const def = types.get(id)?.def;
		if (def?.kind !== 'variant' || def.variants.length === 0) return undefined;
		const withItem = new Map(pallets.filter((p) => p[key] !== undefined).map((p) => [p.name, p.index]));
		return def.variants.every((v) => withItem.get(v.name) === v.index && v.fields.length === 1) ? id : undefined;
	};
	const outerEnums = {
		call: outerEnum(outer.callType.toNumber(), 'calls'),
		event: outerEnum(outer.eventType.toNumber(), 'events'),
		error: outerEnum(outer.errorType.toNumber(), 'errors'),
	};
	const model: MetadataModel = {
		version: metadata.version,
		types,
		pallets,
		outerEnums: Object.fromEntries(Object.entries(outerEnums).filter(([, v]) => v !== undefined)),
		extrinsic: {
			versions: [...ex.versions.toU8a(true)],
			address: ex.addressType.toNumber(),
			signature: ex.signatureType.toNumber(),
			extensions: ex.transactionExtensions.map((e) => ({
				identifier: e.identifier.toString(),
				type: e.type.toNumber(),
				implicit: e.implicit.toNumber(),
			})),
		},
	};
	modelCache.set(metadata, model);
	return model;
}

function isModel(input: unknown): input is MetadataModel {
	return (
		typeof input === 'object' &&
		input !== null &&
		!(input instanceof Uint8Array) &&
		(input as MetadataModel).types instanceof Map &&
		Array.isArray((input as MetadataModel).pallets)
	);
}

/** A model from Metadata, SCALE bytes or hex (decoded once), or a model as is. */
export function toModel(input: MetadataInput | MetadataModel): MetadataModel {
	return isModel(input) ? input : buildModel(decodeMetadata(input));
}

export function typeOf(model: MetadataModel, id: number): ModelType {
	const t = model.types.get(id);
	if (!t) throw new Error(`type ${id} is not in the metadata's registry`);
	return t;
}

/** The variants of an enum type (calls, events, errors), sorted by index; [] for a non-enum. */
export function variantsOf(model: MetadataModel, id: number | undefined): ModelVariant[] {
	if (id === undefined) return [];
	const t = model.types.get(id);
	if (!t || t.def.kind !== 'variant') return [];
	return [...t.def.variants].sort((a, b) => a.index - b.index);
}

// ---------------------------------------------------------------- rendering

const last = (path: string[]) => path[path.length - 1];

/** A short, human rendering of a type: `u128`, `Vec<u8>`, `Option<AccountId32>`, `[u8; 32]`, `(u32, bool)`. */
export function renderType(model: MetadataModel, id: number, depth = 3): string {
	const t = model.types.get(id);
	if (!t) return `#${id}`;
	if (depth <= 0) return last(t.path) ?? '…';
	const r = (inner: number) => renderType(model, inner, depth - 1);
	const def = t.def;
	switch (def.kind) {
		case 'primitive':
			return def.name;
		case 'compact':
			return `Compact<${r(def.type)}>`;
		case 'sequence':
			return `Vec<${r(def.type)}>`;
		case 'array':
			return `[${r(def.type)}; ${def.len}]`;
		case 'tuple':
			return def.types.length === 0 ? '()' : `(${def.types.map(r).join(', ')})`;
		case 'bitSequence':
			return `BitVec<${r(def.store)}, ${last(typeOf(model, def.order).path) ?? '?'}>`;
		case 'historic':
			return def.name;
		case 'composite':
		case 'variant': {
			const name = last(t.path);
			if (name) {
				const params = t.params.filter((p) => p.type !== undefined);
				return params.length ? `${name}<${params.map((p) => r(p.type!)).join(', ')}>` : name;
			}
			if (def.kind === 'composite') return renderFields(model, def.fields, depth - 1, '{}');
			return `enum { ${def.variants.map((v) => v.name).join(', ')} }`;
		}
	}
}

/** `(who: AccountId32, amount: u128)` for named fields, `(u32, bool)` for unnamed. */
export function renderFields(model: MetadataModel, fields: ModelField[], depth = 3, brackets: '()' | '{}' = '()'): string {
	const [open, close] = brackets === '()' ? ['(', ')'] : ['{ ', ' }'];
	if (fields.length === 0) return brackets === '()' ? '()' : '{}';
	return `${open}${fields.map((f) => (f.name ? `${f.name}: ${renderType(model, f.type, depth)}` : renderType(model, f.type, depth))).join(', ')}${close}`;
}

// ---------------------------------------------------------------- comparison

export interface ShapeDifference {
	/** Where inside the type, e.g. `.amount`, `::Transfer.dest`, `[]`; '' at the top. */
	at: string;
	before: string;
	after: string;
}

/**
 * - `equal`: the same shape.
 * - `compatible`: everything encoded with the old type decodes to the same
 *   thing with the new one; the new type may only add enum variants (at new
 *   indices), anywhere inside.
 */
export type ShapeMode = 'equal' | 'compatible';

/**
 * Compares types of two metadata models by shape, with cycle protection and
 * memoisation. The runtime's outer call/event/error enums are treated as
 * equal to each other: their changes are reported pallet by pallet, not again
 * inside every type that embeds a `RuntimeCall` or `RuntimeEvent`.
 */
export class ShapeComparer {
	readonly #cache: Record<ShapeMode, Map<string, boolean>> = { equal: new Map(), compatible: new Map() };
	readonly #opaque = new Set<string>();

	constructor(
		readonly a: MetadataModel,
		readonly b: MetadataModel,
	) {
		for (const k of ['call', 'event', 'error'] as const) {
			const x = a.outerEnums[k];
			const y = b.outerEnums[k];
			if (x !== undefined && y !== undefined) this.#opaque.add(`${x}:${y}`);
		}
	}

	equal(aId: number, bId: number): boolean {
		return this.check(aId, bId, 'equal');
	}

	compatible(aId: number, bId: number): boolean {
		return this.check(aId, bId, 'compatible');
	}

	check(aId: number, bId: number, mode: ShapeMode): boolean {
		const cache = this.#cache[mode];
		const key = `${aId}:${bId}`;
		const hit = cache.get(key);
		if (hit !== undefined) return hit;
		const local = new Map<string, boolean>();
		const result = this.#eq(aId, bId, mode, local, new Set());
		// Pairs assumed to hold while being compared (cycles) make "true"
		// sub-results provisional: keep them only when the whole comparison
		// held. "false" results are always sound.
		for (const [k, v] of local) if (result || !v) cache.set(k, v);
		cache.set(key, result);
		return result;
	}

	fieldsCheck(a: ModelField[], b: ModelField[], mode: ShapeMode): boolean {
		return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && this.check(f.type, b[i]!.type, mode));
	}

	/** Same number of fields with the same types, names aside (the encoding is unchanged). */
	fieldsSameEncoding(a: ModelField[], b: ModelField[]): boolean {
		return a.length === b.length && a.every((f, i) => this.check(f.type, b[i]!.type, 'equal'));
	}

	#eq(aId: number, bId: number, mode: ShapeMode, local: Map<string, boolean>, assuming: Set<string>): boolean {
		const key = `${aId}:${bId}`;
		if (this.#opaque.has(key)) return true;
		const known = this.#cache[mode].get(key) ?? local.get(key);
		if (known !== undefined) return known;
		if (assuming.has(key)) return true;
		assuming.add(key);
		const result = this.#defs(aId, bId, mode, local, assuming);
		assuming.delete(key);
		local.set(key, result);
		return result;
	}

	#defs(aId: number, bId: number, mode: ShapeMode, local: Map<string, boolean>, assuming: Set<string>): boolean {
		const ta = this.a.types.get(aId);
		const tb = this.b.types.get(bId);
		if (!ta || !tb) return false;
		const a = ta.def;
		const b = tb.def;
		const eq = (x: number, y: number) => this.#eq(x, y, mode, local, assuming);
		const fields = (x: ModelField[], y: ModelField[]) =>
			x.length === y.length && x.every((f, i) => f.name === y[i]!.name && eq(f.type, y[i]!.type));
		switch (a.kind) {
			case 'primitive':
				return b.kind === 'primitive' && a.name === b.name;
			case 'historic':
				return b.kind === 'historic' && a.name === b.name;
			case 'compact':
				return b.kind === 'compact' && eq(a.type, b.type);
			case 'sequence':
				return b.kind === 'sequence' && eq(a.type, b.type);
			case 'array':
				return b.kind === 'array' && a.len === b.len && eq(a.type, b.type);
			case 'tuple':
				return b.kind === 'tuple' && a.types.length === b.types.length && a.types.every((t, i) => eq(t, b.types[i]!));
			case 'bitSequence':
				return (
					b.kind === 'bitSequence' &&
					eq(a.store, b.store) &&
					last(this.a.types.get(a.order)?.path ?? []) === last(this.b.types.get(b.order)?.path ?? [])
				);
			case 'composite':
				return b.kind === 'composite' && fields(a.fields, b.fields);
			case 'variant': {
				if (b.kind !== 'variant') return false;
				if (mode === 'equal' ? a.variants.length !== b.variants.length : a.variants.length > b.variants.length) return false;
				const bs = new Map(b.variants.map((v) => [v.index, v]));
				return a.variants.every((v) => {
					const w = bs.get(v.index);
					return w !== undefined && w.name === v.name && fields(v.fields, w.fields);
				});
			}
		}
	}

	/** The first difference (`equal`) or incompatibility (`compatible`) between two types; undefined when there is none. */
	explain(aId: number, bId: number, mode: ShapeMode = 'equal'): ShapeDifference | undefined {
		if (this.check(aId, bId, mode)) return undefined;
		return this.#explain(aId, bId, mode, '', new Set());
	}

	/** The same for two field lists (call arguments, event fields). */
	explainFields(a: ModelField[], b: ModelField[], mode: ShapeMode = 'equal'): ShapeDifference | undefined {
		if (this.fieldsCheck(a, b, mode)) return undefined;
		return (
			this.#explainFields(a, b, mode, '', new Set()) ?? { at: '', before: renderFields(this.a, a), after: renderFields(this.b, b) }
		);
	}

	#top(aId: number, bId: number, at: string): ShapeDifference {
		return { at, before: renderType(this.a, aId), after: renderType(this.b, bId) };
	}

	#explainFields(a: ModelField[], b: ModelField[], mode: ShapeMode, at: string, visiting: Set<string>): ShapeDifference | undefined {
		const label = (f: ModelField, i: number) => f.name ?? String(i);
		const renamed = a.length === b.length && a.some((f, i) => f.name !== b[i]!.name);
		if (a.length === b.length) {
			// Same arity: the first field whose type differs, even when names changed too.
			for (let i = 0; i < a.length; i++) {
				if (!this.check(a[i]!.type, b[i]!.type, mode)) {
					const d = this.#explain(a[i]!.type, b[i]!.type, mode, `${at}.${label(b[i]!, i)}`, visiting);
					return renamed
						? { ...d, at: `${d.at} (fields also renamed: ${a.map(label).join(', ')} → ${b.map(label).join(', ')})` }
						: d;
				}
			}
			if (!renamed) return undefined;
		}
		const an = a.map(label);
		const bn = b.map(label);
		const removed = a.filter((_, i) => !bn.includes(an[i]!));
		const added = b.filter((_, i) => !an.includes(bn[i]!));
		const gone = an.filter((n) => !bn.includes(n));
		const came = bn.filter((n) => !an.includes(n));
		const what = [gone.length ? `removed ${gone.join(', ')}` : '', came.length ? `added ${came.join(', ')}` : '']
			.filter(Boolean)
			.join('; ');
		// Long structs: show only what went and came.
		const long = a.length > 4 || b.length > 4;
		return {
			at: `${at} (${what || 'fields reordered'})`,
			before: long ? (removed.length ? renderFields(this.a, removed, 2) : '—') : renderFields(this.a, a),
			after: long ? (added.length ? renderFields(this.b, added, 2) : '—') : renderFields(this.b, b),
		};
	}

	#explain(aId: number, bId: number, mode: ShapeMode, at: string, visiting: Set<string>): ShapeDifference {
		const key = `${aId}:${bId}`;
		const ta = this.a.types.get(aId);
		const tb = this.b.types.get(bId);
		if (!ta || !tb || visiting.has(key) || visiting.size > 12) return this.#top(aId, bId, at);
		visiting.add(key);
		const a = ta.def;
		const b = tb.def;
		try {
			if (a.kind !== b.kind) return this.#top(aId, bId, at);
			switch (a.kind) {
				case 'compact':
					return this.#top(aId, bId, at);
				case 'sequence':
					return this.#explain(a.type, (b as { type: number }).type, mode, `${at}[]`, visiting);
				case 'array': {
					const bb = b as Extract<TypeDef, { kind: 'array' }>;
					if (a.len !== bb.len) return this.#top(aId, bId, at);
					return this.#explain(a.type, bb.type, mode, `${at}[]`, visiting);
				}
				case 'tuple': {
					const bb = b as Extract<TypeDef, { kind: 'tuple' }>;
					if (a.types.length !== bb.types.length) return this.#top(aId, bId, at);
					const i = a.types.findIndex((t, j) => !this.check(t, bb.types[j]!, mode));
					return i < 0 ? this.#top(aId, bId, at) : this.#explain(a.types[i]!, bb.types[i]!, mode, `${at}.${i}`, visiting);
				}
				case 'composite': {
					const bb = b as Extract<TypeDef, { kind: 'composite' }>;
					return this.#explainFields(a.fields, bb.fields, mode, at, visiting) ?? this.#top(aId, bId, at);
				}
				case 'variant': {
					const bb = b as Extract<TypeDef, { kind: 'variant' }>;
					const byName = new Map(bb.variants.map((v) => [v.name, v]));
					const byIndex = new Map(bb.variants.map((v) => [v.index, v]));
					const aNames = new Set(a.variants.map((v) => v.name));
					for (const v of a.variants) {
						const w = byName.get(v.name);
						if (!w) {
							const taker = byIndex.get(v.index);
							return {
								at: `${at}::${v.name}`,
								before: `${v.name} (index ${v.index})`,
								after: taker ? `removed; index ${v.index} is now ${taker.name}` : 'removed',
							};
						}
						if (w.index !== v.index) return { at: `${at}::${v.name}`, before: `index ${v.index}`, after: `index ${w.index}` };
						if (!this.fieldsCheck(v.fields, w.fields, mode)) {
							return this.#explainFields(v.fields, w.fields, mode, `${at}::${v.name}`, visiting) ?? this.#top(aId, bId, at);
						}
					}
					const added = bb.variants.find((w) => !aNames.has(w.name));
					if (added) return { at: `${at}::${added.name}`, before: 'absent', after: `${added.name} (index ${added.index})` };
					return this.#top(aId, bId, at);
				}
				default:
					return this.#top(aId, bId, at);
			}
		} finally {
			visiting.delete(key);
		}
	}
}

// ---------------------------------------------------------------- values

class ValueReader {
	pos = 0;
	constructor(readonly bytes: Uint8Array) {}
	take(n: number): Uint8Array {
		if (this.pos + n > this.bytes.length) throw new Error('value ends early');
		const out = this.bytes.subarray(this.pos, this.pos + n);
		this.pos += n;
		return out;
	}
	compact(): bigint {
		const b0 = this.take(1)[0]!;
		const mode = b0 & 3;
		if (mode === 0) return BigInt(b0 >> 2);
		if (mode === 1) return BigInt((b0 | (this.take(1)[0]! << 8)) >> 2);
		if (mode === 2) {
			const rest = this.take(3);
			return BigInt(((b0 | (rest[0]! << 8) | (rest[1]! << 16)) >>> 2) + rest[2]! * 0x400000);
		}
		return le(this.take((b0 >> 2) + 4));
	}
}

function le(bytes: Uint8Array): bigint {
	let v = 0n;
	for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
	return v;
}

const INT_SIZES: Record<string, number> = {
	u8: 1,
	u16: 2,
	u32: 4,
	u64: 8,
	u128: 16,
	u256: 32,
	i8: 1,
	i16: 2,
	i32: 4,
	i64: 8,
	i128: 16,
	i256: 32,
};

function decodeInto(model: MetadataModel, id: number, r: ValueReader, depth: number): string {
	if (depth > 16) throw new Error('too deep');
	const def = typeOf(model, id).def;
	switch (def.kind) {
		case 'primitive': {
			if (def.name === 'bool') return r.take(1)[0] ? 'true' : 'false';
			if (def.name === 'str') return JSON.stringify(new TextDecoder().decode(r.take(Number(r.compact()))));
			if (def.name === 'char') return JSON.stringify(String.fromCodePoint(Number(le(r.take(4)))));
			const size = INT_SIZES[def.name];
			if (!size) throw new Error(`primitive ${def.name}`);
			let v = le(r.take(size));
			if (def.name.startsWith('i') && v >= 1n << BigInt(size * 8 - 1)) v -= 1n << BigInt(size * 8);
			return v.toString();
		}
		case 'compact':
			return r.compact().toString();
		case 'sequence':
		case 'array': {
			const n = def.kind === 'array' ? def.len : Number(r.compact());
			const inner = typeOf(model, def.type).def;
			if (inner.kind === 'primitive' && inner.name === 'u8') return u8aToHex(r.take(n));
			const items: string[] = [];
			for (let i = 0; i < n; i++) items.push(decodeInto(model, def.type, r, depth + 1));
			return `[${items.join(', ')}]`;
		}
		case 'tuple':
			return `(${def.types.map((t) => decodeInto(model, t, r, depth + 1)).join(', ')})`;
		case 'composite': {
			if (def.fields.length === 1 && !def.fields[0]!.name) return decodeInto(model, def.fields[0]!.type, r, depth + 1);
			const parts = def.fields.map((f) => `${f.name ? `${f.name}: ` : ''}${decodeInto(model, f.type, r, depth + 1)}`);
			return def.fields.some((f) => f.name) ? `{ ${parts.join(', ')} }` : `(${parts.join(', ')})`;
		}
		case 'variant': {
			const index = r.take(1)[0]!;
			const v = def.variants.find((x) => x.index === index);
			if (!v) throw new Error(`no variant ${index}`);
			if (v.fields.length === 0) return v.name;
			const parts = v.fields.map((f) => `${f.name ? `${f.name}: ` : ''}${decodeInto(model, f.type, r, depth + 1)}`);
			return `${v.name}(${parts.join(', ')})`;
		}
		default:
			throw new Error(`cannot show ${def.kind}`);
	}
}

/** A short human rendering of a SCALE value of type `id`; falls back to hex. */
export function renderValue(model: MetadataModel, id: number, bytes: Uint8Array, max = 120): string {
	let text: string;
	try {
		const r = new ValueReader(bytes);
		text = decodeInto(model, id, r, 0);
		if (r.pos !== bytes.length) text = u8aToHex(bytes);
	} catch {
		text = u8aToHex(bytes);
	}
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A pallet in an inspection summary: its index and how many of each item it has. */
export interface PalletSummary {
	name: string;
	index: number;
	calls: number;
	storage: number;
	events: number;
	errors: number;
	constants: number;
}
