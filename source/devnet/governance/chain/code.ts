/**
 * Runtime code: the devnet's own wasm (built per spec version and periods) and
 * the answers of any code's Core_version and Metadata_metadata, executed in
 * chopsticks' wasm executor and cached by code hash.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactFromU8a, hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import {
	buildDevnetMetadata,
	DEFAULT_PERIODS,
	encodeRuntimeVersion,
	type GovernancePeriods,
	kitchensinkVersion,
	type RuntimeVersionJson,
} from '../metadata.js';
import { buildRuntimeWasm } from '../runtime-wasm.js';
import type { Hex } from '../storage.js';
import { IMPL_NAME, type RuntimeInfo } from './types.js';

let executorModule: Promise<typeof import('@acala-network/chopsticks-core')> | undefined;
export function executor(): Promise<typeof import('@acala-network/chopsticks-core')> {
	process.env.LOG_LEVEL ??= 'error';
	executorModule ??= import('@acala-network/chopsticks-core');
	return executorModule;
}

const metadataCache = new Map<string, Uint8Array>();
/** The devnet's metadata for a spec version and periods (cached; building takes a couple of seconds). */
export function devnetMetadata(periods: GovernancePeriods, version: RuntimeVersionJson): Uint8Array {
	const key = JSON.stringify([periods, version]);
	let m = metadataCache.get(key);
	if (!m) {
		m = buildDevnetMetadata(periods, version);
		metadataCache.set(key, m);
	}
	return m;
}

export function devnetVersion(specVersion?: number): RuntimeVersionJson {
	const base = kitchensinkVersion();
	return { ...base, implName: IMPL_NAME, specVersion: specVersion ?? base.specVersion };
}

/** The devnet's wasm for a version and periods. */
export function devnetWasm(version: RuntimeVersionJson, periods: GovernancePeriods): Uint8Array {
	return buildRuntimeWasm({ version: encodeRuntimeVersion(version), metadata: devnetMetadata(periods, version) });
}

/**
 * A runtime wasm for this devnet with the given spec version (default: the
 * genesis spec version + 1) and the devnet metadata: the "new code" for
 * upgrade rehearsals.
 */
export function buildDevnetCode(opts: { specVersion?: number; specName?: string; periods?: Partial<GovernancePeriods> } = {}): Uint8Array {
	const version = {
		...devnetVersion(opts.specVersion ?? devnetVersion().specVersion + 1),
		...(opts.specName ? { specName: opts.specName } : {}),
	};
	const periods = { ...DEFAULT_PERIODS, ...opts.periods };
	return devnetWasm(version, periods);
}

/** Executes code's Core_version and Metadata_metadata (cached per code hash; a failure is not cached). */
export class RuntimeCode {
	private readonly infos = new Map<string, Promise<RuntimeInfo>>();
	/** The code of each runtime answered, by code hash (a snapshot keeps the codes its blocks ran). */
	private readonly codes = new Map<string, Hex>();

	/** @param metadata the devnet runtime's metadata, which code must match to be run (`canRun`). */
	constructor(private readonly metadata: Metadata) {}

	runtimeFor(code: Hex): Promise<RuntimeInfo> {
		const codeHash = blake2AsHex(hexToU8a(code), 256) as Hex;
		let p = this.infos.get(codeHash);
		if (!p) {
			p = execute(code, codeHash);
			p.catch(() => {
				this.infos.delete(codeHash);
				this.codes.delete(codeHash);
			});
			this.infos.set(codeHash, p);
			this.codes.set(codeHash, code);
		}
		return p;
	}

	/** The code with this hash, if a runtime was answered for it. */
	codeOf(codeHash: Hex): Hex | undefined {
		return this.codes.get(codeHash);
	}

	/**
	 * Whether this devnet can keep simulating after switching to `code`: the
	 * code must return metadata with the same pallets and types as the devnet's.
	 */
	async canRun(code: Hex): Promise<string | undefined> {
		try {
			const info = await this.runtimeFor(code);
			const reg = new TypeRegistry();
			const m = new Metadata(reg, info.metadataHex);
			const a = m.asV14;
			const b = this.metadata.asV14;
			if (a.lookup.types.length !== b.lookup.types.length) return 'its metadata types differ from the devnet runtime';
			const names = (x: typeof a) => x.pallets.map((p) => `${p.index.toNumber()}:${p.name.toString()}`).join(',');
			if (names(a) !== names(b)) return 'its pallets differ from the devnet runtime';
			return undefined;
		} catch (e) {
			return `executing its Metadata_metadata failed (${(e as Error).message})`;
		}
	}
}

async function execute(code: Hex, codeHash: Hex): Promise<RuntimeInfo> {
	const ex = await executor();
	const v = await ex.getRuntimeVersion(code);
	const res = await ex.runTask({
		wasm: code,
		calls: [['Metadata_metadata', []]],
		mockSignatureHost: false,
		allowUnresolvedImports: false,
		runtimeLogLevel: 0,
	});
	if (!('Call' in res)) throw new Error(`Metadata_metadata failed: ${res.Error}`);
	const opaque = hexToU8a(res.Call.result);
	const [offset, length] = compactFromU8a(opaque);
	const metadataBytes = opaque.subarray(offset, offset + length.toNumber());
	const version: RuntimeVersionJson = {
		specName: v.specName,
		implName: v.implName,
		authoringVersion: v.authoringVersion,
		specVersion: v.specVersion,
		implVersion: v.implVersion,
		apis: v.apis.map(([id, ver]: [string, number]) => [id, ver] as [string, number]),
		transactionVersion: v.transactionVersion,
		stateVersion: v.stateVersion,
	};
	return { codeHash, version, versionHex: u8aToHex(encodeRuntimeVersion(version)) as Hex, metadataHex: u8aToHex(metadataBytes) as Hex };
}
