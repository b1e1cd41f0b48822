/**
 * A hand-assembled minimal runtime wasm for the governance devnet's `:code`.
 *
 * The module exports `memory`, `__heap_base`, `Core_version` and
 * `Metadata_metadata`. The two runtime APIs return pointers into data segments
 * holding the SCALE-encoded `RuntimeVersion` and `OpaqueMetadata`, as
 * `ptr | (len << 32)` in an i64, which is the Substrate runtime-API calling
 * convention. The module has no imports, so any Substrate wasm executor
 * (chopsticks' smoldot-based one included) can run those two entry points.
 *
 * It does not execute blocks: block execution is simulated in TypeScript by the
 * devnet; this code is what the chain reports it runs, and what `set_code`'s
 * version check executes.
 */
import { compactAddLength, u8aConcat } from '@polkadot/util';

function uleb(value: number | bigint): number[] {
	let v = BigInt(value);
	const out: number[] = [];
	do {
		let byte = Number(v & 0x7fn);
		v >>= 7n;
		if (v !== 0n) byte |= 0x80;
		out.push(byte);
	} while (v !== 0n);
	return out;
}

function sleb(value: number | bigint): number[] {
	let v = BigInt(value);
	const out: number[] = [];
	for (;;) {
		const byte = Number(v & 0x7fn);
		v >>= 7n;
		const signBit = (byte & 0x40) !== 0;
		if ((v === 0n && !signBit) || (v === -1n && signBit)) {
			out.push(byte);
			return out;
		}
		out.push(byte | 0x80);
	}
}

function section(id: number, body: Uint8Array | number[]): Uint8Array {
	const b = body instanceof Uint8Array ? body : Uint8Array.from(body);
	return u8aConcat(Uint8Array.from([id, ...uleb(b.length)]), b);
}

function name(text: string): number[] {
	const bytes = [...Buffer.from(text, 'utf8')];
	return [...uleb(bytes.length), ...bytes];
}

export interface RuntimeWasmParts {
	/** SCALE-encoded `sp_version::RuntimeVersion`. */
	version: Uint8Array;
	/** Raw metadata bytes (starting with the `meta` magic), as `state_getMetadata` returns them. */
	metadata: Uint8Array;
}

/** Assemble the runtime wasm. Deterministic: same inputs, same bytes. */
export function buildRuntimeWasm(parts: RuntimeWasmParts): Uint8Array {
	const versionData = parts.version;
	// Metadata_metadata returns OpaqueMetadata, i.e. a SCALE Vec<u8>.
	const metadataData = compactAddLength(parts.metadata);
	const align = (n: number) => (n + 15) & ~15;
	const versionPtr = 1024;
	const metadataPtr = align(versionPtr + versionData.length);
	const heapBase = align(metadataPtr + metadataData.length) + 1024;
	const pages = Math.ceil(heapBase / 65536) + 16;

	const ret = (ptr: number, len: number) => BigInt(ptr) | (BigInt(len) << 32n);
	const functions: Array<{ name: string; value: bigint }> = [
		{ name: 'Core_version', value: ret(versionPtr, versionData.length) },
		{ name: 'Metadata_metadata', value: ret(metadataPtr, metadataData.length) },
	];

	const header = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
	// (i32, i32) -> i64
	const typeSec = section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7e]);
	const funcSec = section(3, [...uleb(functions.length), ...functions.map(() => 0)]);
	const memSec = section(5, [1, 0x00, ...uleb(pages)]);
	const globalSec = section(6, [1, 0x7f, 0x00, 0x41, ...sleb(heapBase), 0x0b]);
	const exports: number[] = [
		...name('memory'),
		0x02,
		0,
		...name('__heap_base'),
		0x03,
		0,
		...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
	];
	const exportSec = section(7, [...uleb(2 + functions.length), ...exports]);
	const bodies = functions.map((f) => {
		const body = [0 /* no locals */, 0x42, ...sleb(f.value), 0x0b];
		return [...uleb(body.length), ...body];
	});
	const codeSec = section(10, [...uleb(functions.length), ...bodies.flat()]);
	const segment = (ptr: number, bytes: Uint8Array) =>
		u8aConcat(Uint8Array.from([0x00, 0x41, ...sleb(ptr), 0x0b, ...uleb(bytes.length)]), bytes);
	const dataSec = section(11, u8aConcat(Uint8Array.from([2]), segment(versionPtr, versionData), segment(metadataPtr, metadataData)));
	return u8aConcat(header, typeSec, funcSec, memSec, globalSec, exportSec, codeSec, dataSec);
}
