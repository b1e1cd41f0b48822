/**
 * A minimal Substrate host on V8's own WebAssembly, for the offline calls
 * that need nothing from the host but memory: `Core_version` and
 * `Metadata_metadata*`. The runtime is compiled by V8 (tens of milliseconds,
 * where chopsticks' executor starts a worker and interprets the module), the
 * host gives it a bump allocator and logging that goes nowhere; any other host
 * function traps, and the caller falls back to chopsticks' executor
 * (executor.ts). Only a clean answer is used: every failure, whatever it is,
 * means "ask the real executor", so errors read as before.
 */

/** Thrown for anything this host does not do; the caller then uses chopsticks. */
export class HostFallback extends Error {}

const PAGE = 65536;

function leb(bytes: Uint8Array, at: number): [value: number, next: number] {
	let value = 0;
	let shift = 0;
	let pos = at;
	for (;;) {
		const b = bytes[pos++];
		if (b === undefined) throw new HostFallback('truncated LEB128');
		value += (b & 0x7f) * 2 ** shift;
		shift += 7;
		if (!(b & 0x80)) return [value, pos];
	}
}

/** The minimum pages of the module's imported memory, if it imports one. */
function importedMemoryPages(code: Uint8Array): number | undefined {
	let pos = 8;
	while (pos < code.length) {
		const id = code[pos++]!;
		const [size, start] = leb(code, pos);
		const end = start + size;
		if (id === 2) {
			let [count, p] = leb(code, start);
			for (; count > 0; count--) {
				let len: number;
				[len, p] = leb(code, p);
				p += len; // module
				[len, p] = leb(code, p);
				p += len; // field
				const kind = code[p++];
				if (kind === 0) [, p] = leb(code, p);
				else if (kind === 1) {
					p++; // reftype
					const flags = code[p++]!;
					[, p] = leb(code, p);
					if (flags & 1) [, p] = leb(code, p);
				} else if (kind === 2) {
					const flags = code[p++]!;
					const [min] = leb(code, p);
					if (flags & ~1) throw new HostFallback('shared or 64-bit memory');
					return min;
				} else if (kind === 3) p += 2;
				else throw new HostFallback(`import kind ${kind}`);
			}
			return undefined;
		}
		if (id > 2 && id !== 0) return undefined; // the import section comes before every other non-custom one
		pos = end;
	}
	return undefined;
}

const modules = new WeakMap<Uint8Array, WebAssembly.Module>();

/** Run `method` of the runtime `code` with SCALE-encoded `input`; throws HostFallback (or a trap) when it cannot. */
export function callWithMinimalHost(code: Uint8Array, method: string, input: Uint8Array): Uint8Array {
	let module = modules.get(code);
	if (!module) {
		module = new WebAssembly.Module(code as Uint8Array<ArrayBuffer>);
		modules.set(code, module);
	}
	const pages = importedMemoryPages(code);
	let memory: WebAssembly.Memory | undefined = pages === undefined ? undefined : new WebAssembly.Memory({ initial: pages });
	let next = 0;
	const malloc = (size: number): number => {
		const at = next;
		next = (next + Math.max(size, 1) + 7) & ~7;
		const mem = memory!;
		if (next > mem.buffer.byteLength) mem.grow(Math.ceil((next - mem.buffer.byteLength) / PAGE));
		return at;
	};
	/** A SCALE `None` (one zero byte) in runtime memory, as a packed pointer-size. */
	const none = (): bigint => {
		const at = malloc(1);
		new Uint8Array(memory!.buffer)[at] = 0;
		return BigInt(at) | (1n << 32n);
	};
	const env: WebAssembly.ModuleImports = {};
	for (const imp of WebAssembly.Module.imports(module)) {
		if (imp.kind === 'memory') {
			if (memory) env[imp.name] = memory;
			continue;
		}
		if (imp.kind !== 'function') throw new HostFallback(`imports a ${imp.kind}`);
		const name = imp.name;
		if (name === 'ext_allocator_malloc_version_1') env[name] = malloc;
		else if (name === 'ext_allocator_free_version_1') env[name] = () => {};
		else if (name === 'ext_logging_max_level_version_1') env[name] = () => 0;
		// The state is empty (as chopsticks' executor is given it here): every read is None.
		else if (name === 'ext_storage_get_version_1' || name === 'ext_storage_read_version_1') env[name] = none;
		else if (name.startsWith('ext_logging_log_') || name.startsWith('ext_misc_print_')) env[name] = () => {};
		else
			env[name] = () => {
				throw new HostFallback(`host function ${name}`);
			};
	}
	const instance = new WebAssembly.Instance(module, { env });
	const exports = instance.exports as Record<string, unknown>;
	memory ??= exports.memory as WebAssembly.Memory | undefined;
	const heapBase = exports.__heap_base as WebAssembly.Global | undefined;
	const fn = exports[method];
	if (!memory || !heapBase || typeof fn !== 'function') throw new HostFallback('no memory, __heap_base or entry point');
	next = (Number(heapBase.value) + 7) & ~7;
	const ptr = malloc(input.length);
	new Uint8Array(memory.buffer).set(input, ptr);
	const packed = BigInt.asUintN(64, BigInt((fn as (p: number, l: number) => bigint)(ptr, input.length)));
	const at = Number(packed & 0xffffffffn);
	const len = Number(packed >> 32n);
	if (at + len > memory.buffer.byteLength) throw new HostFallback('answer outside memory');
	return new Uint8Array(memory.buffer.slice(at, at + len));
}
