/**
 * Substrate's base-16 Patricia–Merkle trie root (sp-trie `LayoutV1`, blake2-256),
 * computed in TypeScript and incrementally: a block changes a handful of keys,
 * so only the nodes on their paths are re-encoded and re-hashed. Gives the same
 * root as `sp_trie::LayoutV1::trie_root` (and chopsticks' `calculateStateRoot`
 * with trie version 1), which the devnet used to call for the whole state on
 * every block.
 *
 * Node codec (sp-trie node_codec.rs / node_header.rs): a header byte with the
 * node kind and partial-key nibble count, the partial key (right-aligned
 * nibbles), for branches a 16-bit children bitmap, the value (inline: SCALE
 * bytes; from 33 bytes on, V1 stores its blake2-256 hash instead), and the
 * children (SCALE bytes of their encoding when under 32 bytes, of its hash
 * otherwise). The root is the hash of the root node's encoding.
 */
import { compactToU8a, hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

/** sp-trie: values longer than this are stored as their hash (trie version 1). */
const MAX_INLINE_VALUE = 32;

const LEAF = { prefix: 0b01 << 6, bits: 2 };
const BRANCH_WITH_VALUE = { prefix: 0b11 << 6, bits: 2 };
const BRANCH_NO_VALUE = { prefix: 0b10 << 6, bits: 2 };
const HASHED_VALUE_LEAF = { prefix: 0b001 << 5, bits: 3 };
const HASHED_VALUE_BRANCH = { prefix: 0b0001 << 4, bits: 4 };

/** sp-trie `size_and_prefix_iterator`. */
function header(kind: { prefix: number; bits: number }, nibbles: number): number[] {
	const max = 255 >> kind.bits;
	const l1 = Math.min(max - 1, nibbles);
	const out: number[] = [];
	let rem = 0;
	if (nibbles === l1) out.push(kind.prefix + l1);
	else {
		out.push(kind.prefix + max);
		rem = nibbles - l1;
	}
	while (rem > 0) {
		if (rem < 256) {
			out.push(rem - 1);
			rem = 0;
		} else {
			out.push(255);
			rem -= 255;
		}
	}
	return out;
}

/** Right-aligned nibbles: an odd count starts with a half byte. */
function partialBytes(nibbles: string): Uint8Array {
	return hexToU8a(`0x${nibbles.length % 2 ? '0' : ''}${nibbles}`);
}

function hexOf(byte: number): string {
	return byte.toString(16);
}

interface Entry {
	valueHex: string;
	/** Inline: SCALE bytes of the value; hashed: the 32-byte hash. */
	encoded: Uint8Array;
	hashed: boolean;
}

function encodeValue(valueHex: string): Entry {
	const value = hexToU8a(valueHex);
	if (value.length > MAX_INLINE_VALUE) return { valueHex, encoded: blake2AsU8a(value, 256), hashed: true };
	return { valueHex, encoded: u8aConcat(compactToU8a(value.length), value), hashed: false };
}

/** Encoding of a node as its parent references it. */
interface NodeRef {
	/** The node's encoding when under 32 bytes (inlined in the parent). */
	inline?: Uint8Array;
	/** blake2-256 of the encoding (always set for nodes of 32 bytes or more). */
	hash?: Uint8Array;
}

/**
 * A trie over hex keys (`0x…`, lowercase) and hex values. `root(state)` brings
 * it in line with `state` (a full key/value map) and returns the root.
 */
export class IncrementalTrie {
	/** Keys without `0x`, sorted (lowercase hex sorts as the bytes do). */
	private keys: string[] = [];
	private entries = new Map<string, Entry>();
	/** Node references by the nibble path where the node starts. */
	private memo = new Map<string, NodeRef>();

	private invalidate(key: string): void {
		for (let i = 0; i <= key.length; i++) this.memo.delete(key.slice(0, i));
	}

	private insertKey(key: string): void {
		let lo = 0;
		let hi = this.keys.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.keys[mid]! < key) lo = mid + 1;
			else hi = mid;
		}
		this.keys.splice(lo, 0, key);
	}

	private removeKey(key: string): void {
		const i = this.lowerBound(key, 0, this.keys.length);
		if (this.keys[i] === key) this.keys.splice(i, 1);
	}

	private lowerBound(key: string, lo: number, hi: number): number {
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.keys[mid]! < key) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/**
	 * Apply `state` (the whole state, hex keys with `0x`): only the differences
	 * are re-hashed. With `changed`, only those keys are compared: the caller
	 * vouches that every other key is as in the state of the previous call.
	 */
	update(state: Map<string, string>, changed?: Iterable<string>): void {
		if (changed && this.entries.size > 0) {
			for (const k of changed) {
				const key = k.slice(2);
				const v = state.get(k);
				const e = this.entries.get(key);
				if (v === undefined) {
					if (!e) continue;
					this.entries.delete(key);
					this.removeKey(key);
				} else {
					if (e && e.valueHex === v) continue;
					if (!e) this.insertKey(key);
					this.entries.set(key, encodeValue(v));
				}
				this.invalidate(key);
			}
			return;
		}
		const seen = new Set<string>();
		for (const [k, v] of state) {
			const key = k.slice(2);
			seen.add(key);
			const e = this.entries.get(key);
			if (e && e.valueHex === v) continue;
			if (!e) this.insertKey(key);
			this.entries.set(key, encodeValue(v));
			this.invalidate(key);
		}
		if (seen.size !== this.entries.size) {
			for (const key of [...this.entries.keys()]) {
				if (seen.has(key)) continue;
				this.entries.delete(key);
				this.removeKey(key);
				this.invalidate(key);
			}
		}
	}

	/** The root of `state` (blake2-256, `0x…`); `changed` as for `update`. */
	root(state: Map<string, string>, changed?: Iterable<string>): `0x${string}` {
		this.update(state, changed);
		if (this.keys.length === 0) return toHex(blake2AsU8a(Uint8Array.of(0), 256));
		const ref = this.node('', 0, this.keys.length);
		return toHex(ref.hash ?? blake2AsU8a(ref.inline!, 256));
	}

	/** The node holding keys[lo..hi), which all start with `path`. */
	private node(path: string, lo: number, hi: number): NodeRef {
		const hit = this.memo.get(path);
		if (hit) return hit;
		let encoded: Uint8Array;
		if (hi - lo === 1) {
			const key = this.keys[lo]!;
			const e = this.entries.get(key)!;
			const partial = key.slice(path.length);
			encoded = u8aConcat(
				Uint8Array.from(header(e.hashed ? HASHED_VALUE_LEAF : LEAF, partial.length)),
				partialBytes(partial),
				e.encoded,
			);
		} else {
			const first = this.keys[lo]!;
			const last = this.keys[hi - 1]!;
			let common = path.length;
			while (common < first.length && common < last.length && first[common] === last[common]) common++;
			const branchPath = first.slice(0, common);
			const partial = branchPath.slice(path.length);
			let value: Entry | undefined;
			let start = lo;
			if (first.length === common) {
				value = this.entries.get(first);
				start = lo + 1;
			}
			const children: Uint8Array[] = [];
			let bitmap = 0;
			for (let nibble = 0; nibble < 16 && start < hi; nibble++) {
				const childPath = branchPath + hexOf(nibble);
				if (!this.keys[start]!.startsWith(childPath)) continue;
				const end = this.lowerBound(branchPath + hexOf(nibble + 1), start, hi);
				const end2 = nibble === 15 ? hi : end;
				const child = this.node(childPath, start, end2);
				bitmap |= 1 << nibble;
				const bytes = child.inline ?? child.hash!;
				children.push(compactToU8a(bytes.length), bytes);
				start = end2;
			}
			const kind = value === undefined ? BRANCH_NO_VALUE : value.hashed ? HASHED_VALUE_BRANCH : BRANCH_WITH_VALUE;
			encoded = u8aConcat(
				Uint8Array.from(header(kind, partial.length)),
				partialBytes(partial),
				Uint8Array.of(bitmap & 0xff, bitmap >> 8),
				value?.encoded ?? new Uint8Array(),
				...children,
			);
		}
		const ref: NodeRef = encoded.length < 32 ? { inline: encoded } : { hash: blake2AsU8a(encoded, 256) };
		this.memo.set(path, ref);
		return ref;
	}
}

function toHex(u8a: Uint8Array): `0x${string}` {
	return `0x${Buffer.from(u8a.buffer, u8a.byteOffset, u8a.byteLength).toString('hex')}`;
}

/** The trie root of a small key/value list (e.g. a block's extrinsics), not kept. */
export function trieRoot(entries: Array<[string, string]>): `0x${string}` {
	return new IncrementalTrie().root(new Map(entries.map(([k, v]) => [k.toLowerCase(), v.toLowerCase()])));
}
