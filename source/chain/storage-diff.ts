/**
 * What a block changed in storage, by pallet: a fork answers
 * `devnet_storageDiff` with every key the block wrote whose value differs from
 * its parent's (lengths before and after); the keys are named here by their
 * first 16 bytes, twox128 of a pallet's storage prefix in the chain's metadata,
 * or as a well-known key (`:code`, `:heappages`).
 */
import type { ApiPromise } from '@polkadot/api';
import { hexToString } from '@polkadot/util';
import { xxhashAsHex } from '@polkadot/util-crypto';
import type { Hex } from '../domain/types.js';
import { nodeRpc } from './embedded.js';

/** One key the block changed: its value's length before (in the parent) and after, null where absent. */
export interface StorageChange {
	key: string;
	before: number | null;
	after: number | null;
}

export interface PalletDiff {
	/** The pallet's storage prefix ("System", "Session"), a well-known key (":code"), or "unknown 0x…" for a prefix no metadata names. */
	pallet: string;
	added: number;
	changed: number;
	removed: number;
	/** Bytes of the values before and after, summed over the keys. */
	bytesBefore: number;
	bytesAfter: number;
}

/** twox128(prefix) → prefix, for every pallet with storage in the metadata `api` holds now. */
export function palletPrefixes(api: ApiPromise, into = new Map<string, string>()): Map<string, string> {
	for (const pallet of api.runtimeMetadata.asLatest.pallets) {
		if (pallet.storage.isNone) continue;
		const prefix = pallet.storage.unwrap().prefix.toString();
		into.set(xxhashAsHex(prefix, 128), prefix);
	}
	return into;
}

/** Read what block `hash` changed from the fork behind `api`. */
export async function readStorageDiff(api: ApiPromise, hash: Hex | string): Promise<StorageChange[]> {
	return (await nodeRpc(api)('devnet_storageDiff', [hash])) as StorageChange[];
}

function palletOf(key: string, prefixes: Map<string, string>): string {
	// Well-known keys are plain text that starts with ':' (0x3a).
	if (key.startsWith('0x3a')) return hexToString(key);
	return prefixes.get(key.slice(0, 34)) ?? `unknown ${key.slice(0, 34)}`;
}

/** The changes summed by pallet, leaving out `ignore` (keys every block writes), largest first. */
export function storageDiffByPallet(changes: StorageChange[], prefixes: Map<string, string>, ignore = new Set<string>()): PalletDiff[] {
	const by = new Map<string, PalletDiff>();
	for (const c of changes) {
		if (ignore.has(c.key)) continue;
		const pallet = palletOf(c.key, prefixes);
		const d = by.get(pallet) ?? { pallet, added: 0, changed: 0, removed: 0, bytesBefore: 0, bytesAfter: 0 };
		if (c.before === null) d.added++;
		else if (c.after === null) d.removed++;
		else d.changed++;
		d.bytesBefore += c.before ?? 0;
		d.bytesAfter += c.after ?? 0;
		by.set(pallet, d);
	}
	return [...by.values()].sort(
		(a, b) => b.added + b.changed + b.removed - (a.added + a.changed + a.removed) || a.pallet.localeCompare(b.pallet),
	);
}

/** One line per pallet: "Session: 2 changed, 1 added (96 → 160 bytes)". */
export function storageDiffText(diff: PalletDiff[]): string[] {
	return diff.map((d) => {
		const parts = [d.added && `${d.added} added`, d.changed && `${d.changed} changed`, d.removed && `${d.removed} removed`].filter(
			Boolean,
		);
		const bytes = `${d.bytesBefore.toLocaleString('en-US')} → ${d.bytesAfter.toLocaleString('en-US')} bytes`;
		return `${d.pallet}: ${parts.join(', ')} (${bytes})`;
	});
}
