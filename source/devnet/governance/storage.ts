/**
 * Raw key/value state with transactional layers, and a typed view over it that
 * lays storage out exactly as the metadata describes (prefixes, hashers, SCALE
 * values), so @polkadot/api reads it with no custom types.
 */
import type { TypeRegistry } from '@polkadot/types';
import { expandMetadata, type Metadata } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { compactStripLength, hexToU8a, u8aToHex } from '@polkadot/util';

export type Hex = `0x${string}`;

/** sp_core::storage::well_known_keys::CODE (`:code`). */
export { CODE_KEY } from '../../domain/primitives.js';

/** Key/value state: a committed base map plus nested transactional layers. */
export class Overlay {
	private layers: Array<Map<string, string | null>> = [];
	/** Keys written to the base map (directly or by a commit): what a trie root must re-hash. */
	readonly written = new Set<string>();
	constructor(readonly base: Map<string, string>) {}

	get(key: string): string | undefined {
		for (let i = this.layers.length - 1; i >= 0; i--) {
			const layer = this.layers[i]!;
			if (layer.has(key)) {
				const v = layer.get(key);
				return v === null ? undefined : v;
			}
		}
		return this.base.get(key);
	}

	set(key: string, value: string | null): void {
		const top = this.layers[this.layers.length - 1];
		if (top) top.set(key, value);
		else {
			this.written.add(key);
			if (value === null) this.base.delete(key);
			else this.base.set(key, value);
		}
	}

	begin(): void {
		this.layers.push(new Map());
	}

	commit(): void {
		const top = this.layers.pop();
		if (!top) throw new Error('commit without begin');
		for (const [k, v] of top) this.set(k, v);
	}

	rollback(): void {
		if (!this.layers.pop()) throw new Error('rollback without begin');
	}

	get depth(): number {
		return this.layers.length;
	}

	keysWithPrefix(prefix: string): string[] {
		const keys = new Set<string>();
		for (const k of this.base.keys()) if (k.startsWith(prefix)) keys.add(k);
		for (const layer of this.layers) {
			for (const [k, v] of layer) {
				if (!k.startsWith(prefix)) continue;
				if (v === null) keys.delete(k);
				else keys.add(k);
			}
		}
		return [...keys].filter((k) => this.get(k) !== undefined).sort();
	}
}

type StorageEntryFn = ((...args: unknown[]) => Uint8Array) & {
	meta: any;
	keyPrefix: () => Uint8Array;
};

/** Typed access to storage items by pallet and item name, as declared in the metadata. */
export class TypedStore {
	private readonly entries: Map<string, { fn: StorageEntryFn; valueType: string; optional: boolean; fallback: Uint8Array }>;

	constructor(
		readonly registry: TypeRegistry,
		metadata: Metadata | TypedStore,
		readonly state: Overlay,
	) {
		if (metadata instanceof TypedStore) {
			this.entries = metadata.entries;
			return;
		}
		this.entries = new Map();
		const decorated = expandMetadata(registry, metadata);
		for (const [section, items] of Object.entries(decorated.query)) {
			for (const [method, entry] of Object.entries(items as Record<string, StorageEntryFn>)) {
				const meta = entry.meta;
				const valueTypeId = meta.type.isPlain ? meta.type.asPlain : meta.type.asMap.value;
				this.entries.set(`${section}.${method}`, {
					fn: entry,
					valueType: registry.createLookupType(valueTypeId),
					optional: meta.modifier.isOptional,
					fallback: meta.fallback.toU8a(true),
				});
			}
		}
	}

	/** The same typed view over another state. */
	over(state: Overlay): TypedStore {
		return new TypedStore(this.registry, this, state);
	}

	private entry(pallet: string, item: string) {
		const key = `${pallet[0]!.toLowerCase()}${pallet.slice(1)}.${item[0]!.toLowerCase()}${item.slice(1)}`;
		const e = this.entries.get(key);
		if (!e) throw new Error(`no storage item ${pallet}.${item}`);
		return e;
	}

	key(pallet: string, item: string, args: unknown[] = []): Hex {
		const e = this.entry(pallet, item);
		const nMap = e.fn.meta.type.isMap && e.fn.meta.type.asMap.hashers.length > 1;
		// N-maps take their keys spread; single maps take one (possibly tuple) key.
		const raw = args.length === 0 ? e.fn() : nMap ? e.fn(...(args[0] as unknown[])) : e.fn(args[0]);
		return u8aToHex(compactStripLength(raw)[1]) as Hex;
	}

	prefix(pallet: string, item: string): Hex {
		return u8aToHex(this.entry(pallet, item).fn.keyPrefix()) as Hex;
	}

	/** The stored value, the declared default for ValueQuery items, or undefined for absent OptionQuery items. */
	get<T extends Codec = Codec>(pallet: string, item: string, args: unknown[] = []): T | undefined {
		const e = this.entry(pallet, item);
		const raw = this.state.get(this.key(pallet, item, args));
		if (raw === undefined) {
			if (e.optional) return undefined;
			return this.registry.createType(e.valueType, e.fallback) as unknown as T;
		}
		return this.registry.createType(e.valueType, hexToU8a(raw)) as unknown as T;
	}

	/** Plain-JS (toPrimitive) form of `get`. */
	read(pallet: string, item: string, args: unknown[] = []): any {
		return this.get(pallet, item, args)?.toPrimitive();
	}

	exists(pallet: string, item: string, args: unknown[] = []): boolean {
		return this.state.get(this.key(pallet, item, args)) !== undefined;
	}

	put(pallet: string, item: string, args: unknown[], value: unknown): void {
		const e = this.entry(pallet, item);
		const encoded = u8aToHex(this.registry.createType(e.valueType, value).toU8a());
		this.state.set(this.key(pallet, item, args), encoded);
	}

	remove(pallet: string, item: string, args: unknown[] = []): void {
		this.state.set(this.key(pallet, item, args), null);
	}

	/** Entries of a map: [fullKey, value]. */
	entriesOf(pallet: string, item: string): Array<[Hex, Codec]> {
		const e = this.entry(pallet, item);
		return this.state
			.keysWithPrefix(this.prefix(pallet, item))
			.map((k) => [k as Hex, this.registry.createType(e.valueType, hexToU8a(this.state.get(k)!))]);
	}

	valueType(pallet: string, item: string): string {
		return this.entry(pallet, item).valueType;
	}
}
