/**
 * A minimal, bounds-checked walk over a wasm binary's sections: enough to tell
 * a runtime from a truncated or foreign file, list its exports, and read the
 * `runtime_version` / `runtime_apis` custom sections, without compiling it.
 */
import { ArtifactError } from './errors.js';

export const WASM_MAGIC = Uint8Array.of(0x00, 0x61, 0x73, 0x6d);

export type WasmExportKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface WasmExport {
	name: string;
	kind: WasmExportKind;
	index: number;
}

export interface WasmModuleInfo {
	exports: WasmExport[];
	/** Custom sections by name (first occurrence), as views into the code. */
	customSections: Map<string, Uint8Array>;
	/** Functions declared in the function section. */
	functionCount: number;
	/** Bodies in the code section. */
	codeCount: number;
}

/** The exports without which the console cannot inspect a runtime. */
export const REQUIRED_RUNTIME_EXPORTS = ['Core_version', 'Metadata_metadata'] as const;

const EXPORT_KINDS: WasmExportKind[] = ['func', 'table', 'memory', 'global', 'tag'];
const MAX_SECTION_ID = 13;

export function hasWasmMagic(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

class Reader {
	constructor(
		readonly bytes: Uint8Array,
		public pos: number,
		readonly end: number,
		readonly what: string,
		readonly path?: string,
	) {}

	truncated(): never {
		throw new ArtifactError(
			'truncated',
			`the wasm ends in the middle of its ${this.what} (${this.bytes.length} bytes)`,
			'The file is incomplete: download or build it again and compare its hash with the published one',
			this.path,
		);
	}

	byte(): number {
		if (this.pos >= this.end) this.truncated();
		return this.bytes[this.pos++]!;
	}

	u32(): number {
		let result = 0;
		let shift = 0;
		for (let i = 0; i < 5; i++) {
			const b = this.byte();
			result += (b & 0x7f) * 2 ** shift;
			if ((b & 0x80) === 0) return result;
			shift += 7;
		}
		throw new ArtifactError(
			'not-wasm',
			`malformed LEB128 number in the wasm ${this.what}`,
			'This is not a valid wasm module',
			this.path,
		);
	}

	take(n: number): Uint8Array {
		if (this.pos + n > this.end) this.truncated();
		const out = this.bytes.subarray(this.pos, this.pos + n);
		this.pos += n;
		return out;
	}

	name(): string {
		const len = this.u32();
		return new TextDecoder('utf-8', { fatal: false }).decode(this.take(len));
	}
}

/**
 * Walk the sections of a (decompressed) wasm module. Throws `not-wasm` for a
 * foreign file and `truncated` when a section runs past the end of the file.
 */
export function parseWasmModule(code: Uint8Array, path?: string): WasmModuleInfo {
	if (!hasWasmMagic(code)) {
		throw new ArtifactError(
			'not-wasm',
			'the file is not a wasm module (no \\0asm magic)',
			'Pass the runtime wasm, e.g. target/release/wbuild/<runtime>/<runtime>.compact.compressed.wasm',
			path,
		);
	}
	if (code.length < 8) {
		new Reader(code, code.length, code.length, 'header', path).truncated();
	}
	const version = code[4]! | (code[5]! << 8) | (code[6]! << 16) | (code[7]! << 24);
	if (version !== 1) {
		throw new ArtifactError(
			'not-wasm',
			`unsupported wasm binary version ${version}`,
			'Substrate runtimes are wasm version 1 modules; pass the runtime wasm',
			path,
		);
	}
	const info: WasmModuleInfo = { exports: [], customSections: new Map(), functionCount: 0, codeCount: 0 };
	let hasCode = false;
	const top = new Reader(code, 8, code.length, 'section headers', path);
	while (top.pos < code.length) {
		const id = top.byte();
		if (id > MAX_SECTION_ID) {
			throw new ArtifactError(
				'not-wasm',
				`unknown wasm section id ${id} at offset ${top.pos - 1}`,
				'The file is corrupt or not a wasm module',
				path,
			);
		}
		const size = top.u32();
		const start = top.pos;
		if (start + size > code.length) {
			new Reader(
				code,
				start,
				code.length,
				`section ${id} (declared ${size} bytes, ${code.length - start} present)`,
				path,
			).truncated();
		}
		const body = new Reader(code, start, start + size, `section ${id}`, path);
		if (id === 0) {
			const name = body.name();
			if (!info.customSections.has(name)) info.customSections.set(name, code.subarray(body.pos, start + size));
		} else if (id === 3) {
			info.functionCount = body.u32();
		} else if (id === 7) {
			const count = body.u32();
			for (let i = 0; i < count; i++) {
				const name = body.name();
				const kindByte = body.byte();
				const index = body.u32();
				const kind = EXPORT_KINDS[kindByte];
				if (!kind)
					throw new ArtifactError(
						'not-wasm',
						`unknown export kind ${kindByte} for "${name}"`,
						'The file is corrupt or not a wasm module',
						path,
					);
				info.exports.push({ name, kind, index });
			}
		} else if (id === 10) {
			hasCode = true;
			info.codeCount = body.u32();
		}
		top.pos = start + size;
	}
	if (info.functionCount > 0 && (!hasCode || info.codeCount !== info.functionCount)) {
		throw new ArtifactError(
			'truncated',
			`the wasm declares ${info.functionCount} functions but has ${hasCode ? info.codeCount : 'no'} function bodies`,
			'The file is incomplete: download or build it again and compare its hash with the published one',
			path,
		);
	}
	return info;
}

export function exportedFunctions(info: WasmModuleInfo): Set<string> {
	return new Set(info.exports.filter((e) => e.kind === 'func').map((e) => e.name));
}

/** Throws `no-runtime-exports` unless the module exports the runtime entry points the console calls. */
export function assertRuntimeExports(info: WasmModuleInfo, path?: string): void {
	const funcs = exportedFunctions(info);
	const missing = REQUIRED_RUNTIME_EXPORTS.filter((name) => !funcs.has(name));
	if (missing.length > 0) {
		const sample = [...funcs].slice(0, 5);
		throw new ArtifactError(
			'no-runtime-exports',
			`the wasm module is not a Substrate runtime: it does not export ${missing.join(' or ')}` +
				(sample.length
					? ` (it exports ${sample.join(', ')}${funcs.size > sample.length ? ', …' : ''})`
					: ' (it exports no functions)'),
			'Pass the runtime wasm built by the runtime crate (e.g. <runtime>.compact.compressed.wasm from target/*/wbuild or srtool), not another wasm module',
			path,
		);
	}
}
