/**
 * Everything the console learns from a runtime wasm file, in one call:
 * sizes, code hash, runtime version, full metadata, and the upgrade call
 * hashes. Runs offline.
 *
 * A whole inspection is cached by the file's SHA-256 (see cache.ts): a warm
 * inspection reads the file, hashes it and answers without decompressing,
 * executing or loading @polkadot/types; the metadata is decoded only when a
 * caller reads `inspection.metadata`, and only `summary` callers skip loading
 * the decoder altogether. Everything heavy is imported on a cache miss only.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metadata } from '@polkadot/types';
import type { ArtifactInfo, Hex } from '../domain/types.js';
import type { CallHashes } from './call-hashes.js';
import { defaultCacheDir, openInspectionCache, openRuntimeCallCache, type CachedInspection } from './cache.js';
import type { RuntimeCallCache } from './executor.js';
import type { MetadataInput } from './metadata.js';
import type { MetadataModel, PalletSummary } from './model.js';
import type { Artifact, ReadOptions } from './read.js';
import type { RuntimeVersionInfo } from './version.js';

export interface InspectOptions extends ReadOptions {
	/**
	 * Metadata of the chain the upgrade calls will be submitted to. Without it
	 * the call hashes use the artifact's own metadata, and a warning says so.
	 */
	targetMetadata?: MetadataInput | MetadataModel;
	/** How to name the target in messages, e.g. "production (rococo 9130)". */
	targetLabel?: string;
	/** Keep the executor worker running afterwards (default: release it so the process can exit). */
	keepExecutor?: boolean;
	/**
	 * Where executor results are cached by code hash (default `<store dir>/cache`,
	 * see cache.ts); `false`: always execute.
	 */
	cacheDir?: string | false;
	/**
	 * Only the summary (what `inspectionToJson` and the inspect report show): a
	 * cached inspection then loads no metadata decoder, and reading `metadata` or
	 * `artifact` throws.
	 */
	summary?: boolean;
}

/** The runtime currently on an environment's chain (`inspect --against ENV`, the compatibility gate). */
export interface AgainstRuntime {
	/** Bytes, hex, or the Metadata an API connection already holds. */
	metadata: MetadataInput;
	version: RuntimeVersionInfo;
	label: string;
	/** The metadata versions the runtime offers (`Metadata_metadata_versions`, or the one its metadata has). */
	metadataVersions?: number[];
}

export interface Inspection {
	/** Absolute path. */
	path: string;
	size: number;
	uncompressedSize: number;
	compressed: boolean;
	codeHash: Hex;
	version: RuntimeVersionInfo;
	metadata: Metadata;
	/** The metadata bytes (magic + version + body), e.g. to pass as `againstMetadata`. */
	metadataBytes: Uint8Array;
	metadataVersion: number;
	/** The runtime API that produced the metadata. */
	metadataVia: string;
	/** The metadata versions the runtime offers (`Metadata_metadata_versions`, else only `metadataVersion`), ascending. */
	metadataVersions: number[];
	pallets: PalletSummary[];
	callHashes: CallHashes;
	warnings: string[];
	/** The file bytes and the decompressed module. */
	artifact: Artifact;
}

export function summarisePallets(model: MetadataModel): PalletSummary[] {
	const variants = (id: number | undefined) => {
		const def = id === undefined ? undefined : model.types.get(id)?.def;
		return def?.kind === 'variant' ? def.variants.length : 0;
	};
	return model.pallets.map((p) => ({
		name: p.name,
		index: p.index,
		calls: variants(p.calls),
		storage: p.storage.length,
		events: variants(p.events),
		errors: variants(p.errors),
		constants: p.constants.length,
	}));
}

const OWN_HASHES_WARNING =
	"call hashes use the artifact's own call indices: compare against the target chain (--against) for hashes to submit";

/** A cache that notes every key asked for (the runtime calls an inspection used). */
function recording(cache: RuntimeCallCache, keys: Set<string>): RuntimeCallCache {
	return {
		get: (key) => {
			keys.add(key);
			return cache.get(key);
		},
		set: (key, value) => {
			keys.add(key);
			cache.set(key, value);
		},
	};
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function inspectArtifact(file: string, options: InspectOptions = {}): Promise<Inspection> {
	const absolute = path.resolve(file);
	const dir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir());
	if (dir) {
		let bytes: Uint8Array | undefined;
		try {
			bytes = new Uint8Array(await readFile(absolute));
		} catch {
			// Not readable: the full path below says why.
		}
		const cached = bytes && bytes.length > 0 ? openInspectionCache(dir).get(sha256(bytes), openRuntimeCallCache(dir)) : undefined;
		if (bytes && cached && cached.entry.uncompressedSize <= (options.bombLimit ?? Infinity))
			return fromCache(absolute, bytes, cached.entry, cached.metadataBytes, options);
	}
	return inspectFully(absolute, dir, options);
}

/** Read, decompress, execute and decode; with a cache directory, store the whole result. */
async function inspectFully(absolute: string, dir: string | undefined, options: InspectOptions): Promise<Inspection> {
	const [
		{ holdExecutor },
		{ readArtifact, SUBSTRATE_CODE_BOMB_LIMIT },
		{ metadataOfCode, metadataVersionsOfCode },
		{ runtimeVersionOf },
		{ buildModel },
		{ callHashes },
	] = await Promise.all([
		import('./executor.js'),
		import('./read.js'),
		import('./metadata.js'),
		import('./version.js'),
		import('./model.js'),
		import('./call-hashes.js'),
	]);
	const release = holdExecutor();
	try {
		const artifact = await readArtifact(absolute, options);
		const callCache = dir ? openRuntimeCallCache(dir) : undefined;
		const used = new Set<string>();
		const cache = callCache ? recording(callCache, used) : undefined;
		const calls = { module: artifact.module, path: absolute, cache, cacheKey: artifact.codeHash };
		// Both calls are sent at once: the executor runs one while this thread decodes the other's answer.
		// Errors are reported in the order they were before (the version's first).
		const [metaResult, versionResult] = await Promise.allSettled([
			metadataOfCode(artifact.code, calls),
			runtimeVersionOf(artifact.code, calls),
		]);
		if (versionResult.status === 'rejected') throw versionResult.reason;
		if (metaResult.status === 'rejected') throw metaResult.reason;
		const version = versionResult.value;
		const meta = metaResult.value;
		const metadataVersions = await metadataVersionsOfCode(artifact.code, meta.version, calls);
		const model = buildModel(meta.metadata);
		const warnings: string[] = [];
		if (artifact.uncompressedSize > SUBSTRATE_CODE_BOMB_LIMIT) {
			warnings.push(
				`the runtime is ${artifact.uncompressedSize} bytes uncompressed; Substrate nodes refuse code over ${SUBSTRATE_CODE_BOMB_LIMIT} bytes`,
			);
		}
		const ownHashes = callHashes(model, artifact.bytes, {
			codeHash: artifact.codeHash,
			basis: `the artifact's own metadata (${version.specName} ${version.specVersion})`,
		});
		const pallets = summarisePallets(model);
		if (dir && callCache) {
			// The call whose answer holds the metadata: the key executor.ts gave it (arguments as SCALE hex).
			const atVersion = /^Metadata_metadata_at_version\((\d+)\)$/.exec(meta.via);
			const le = (n: number) => {
				const b = Buffer.alloc(4);
				b.writeUInt32LE(n);
				return b.toString('hex');
			};
			const metadataCall = `${artifact.codeHash}/${atVersion ? `Metadata_metadata_at_version(0x${le(Number(atVersion[1]))})` : 'Metadata_metadata()'}`;
			const answer = callCache.get(metadataCall);
			openInspectionCache(dir).set(sha256(artifact.bytes), callCache, [...used], {
				size: artifact.size,
				uncompressedSize: artifact.uncompressedSize,
				compressed: artifact.compressed,
				codeHash: artifact.codeHash,
				version,
				metadataVersion: meta.version,
				metadataVia: meta.via,
				metadataVersions,
				...(answer && used.has(metadataCall) ? { metadataCall, metadataOffset: answer.length - meta.bytes.length } : {}),
				pallets,
				ownCallHashes: ownHashes,
				warnings,
			});
		}
		let hashes = ownHashes;
		if (options.targetMetadata)
			hashes = callHashes(options.targetMetadata, artifact.bytes, {
				codeHash: artifact.codeHash,
				basis: options.targetLabel ?? 'target chain metadata',
			});
		else warnings.push(OWN_HASHES_WARNING);
		return {
			path: absolute,
			size: artifact.size,
			uncompressedSize: artifact.uncompressedSize,
			compressed: artifact.compressed,
			codeHash: artifact.codeHash,
			version,
			metadata: meta.metadata,
			metadataBytes: meta.bytes,
			metadataVersion: meta.version,
			metadataVia: meta.via,
			metadataVersions,
			pallets,
			callHashes: hashes,
			warnings,
			artifact,
		};
	} finally {
		// Without keepExecutor, stop the worker when idle so the process can exit.
		await release({ keep: options.keepExecutor });
	}
}

/** An inspection from the cache: `metadata` is decoded and `artifact` decompressed on first use only. */
async function fromCache(
	absolute: string,
	bytes: Uint8Array,
	entry: CachedInspection,
	metadataBytes: Uint8Array | undefined,
	options: InspectOptions,
): Promise<Inspection> {
	const unavailable = (what: string) => () => {
		throw new Error(`this inspection was made with { summary: true }: it has no ${what} (inspect without summary)`);
	};
	let metadata: () => Metadata = unavailable('metadata');
	let artifact: () => Artifact = unavailable('artifact');
	if (!options.summary) {
		const [{ decodeMetadata }, { parseArtifactBytes }] = await Promise.all([import('./metadata.js'), import('./read.js')]);
		let decoded: Metadata | undefined;
		let parsed: Artifact | undefined;
		metadata = () => (decoded ??= decodeMetadata(metadataBytes ?? new Uint8Array(), 'bad-metadata', absolute));
		artifact = () => (parsed ??= parseArtifactBytes(bytes, absolute, options));
	}
	let hashes = entry.ownCallHashes;
	const warnings = [...entry.warnings];
	if (options.targetMetadata) {
		const { callHashes } = await import('./call-hashes.js');
		hashes = callHashes(options.targetMetadata, bytes, {
			codeHash: entry.codeHash,
			basis: options.targetLabel ?? 'target chain metadata',
		});
	} else warnings.push(OWN_HASHES_WARNING);
	const inspection = {
		path: absolute,
		size: entry.size,
		uncompressedSize: entry.uncompressedSize,
		compressed: entry.compressed,
		codeHash: entry.codeHash,
		version: entry.version,
		metadataBytes: metadataBytes ?? new Uint8Array(),
		metadataVersion: entry.metadataVersion,
		metadataVia: entry.metadataVia,
		metadataVersions: entry.metadataVersions,
		pallets: entry.pallets,
		callHashes: hashes,
		warnings,
	} as Omit<Inspection, 'metadata' | 'artifact'> as Inspection;
	Object.defineProperty(inspection, 'metadata', { get: metadata, enumerable: false, configurable: true });
	Object.defineProperty(inspection, 'artifact', { get: artifact, enumerable: false, configurable: true });
	return inspection;
}

/**
 * The version of the metadata `Metadata_metadata` itself returns (what subwasm, and so srtool, reports as
 * `metadata_version`): the inspection's own when that is the call it used, else executed (cached by code
 * hash like the inspection's calls). Needs an inspection made without `summary`.
 */
export async function metadataMetadataVersion(inspection: Inspection, options: Pick<InspectOptions, 'cacheDir'> = {}): Promise<number> {
	if (inspection.metadataVia === 'Metadata_metadata') return inspection.metadataVersion;
	const [{ callRuntimeApi, holdExecutor }, { unwrapMetadataBytes }, { ArtifactError }] = await Promise.all([
		import('./executor.js'),
		import('./metadata.js'),
		import('./errors.js'),
	]);
	const dir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir());
	const release = holdExecutor();
	try {
		const raw = await callRuntimeApi(inspection.artifact.code, 'Metadata_metadata', [], {
			path: inspection.path,
			cache: dir ? openRuntimeCallCache(dir) : undefined,
			cacheKey: inspection.codeHash,
		});
		const body = unwrapMetadataBytes(raw);
		if (!body)
			throw new ArtifactError(
				'bad-metadata',
				`Metadata_metadata returned ${raw.length} bytes that are not metadata`,
				'The wasm is corrupt or not a Substrate runtime',
				inspection.path,
			);
		return body[4]!;
	} finally {
		await release();
	}
}

/** What a release stores about its wasm. */
export function toArtifactInfo(inspection: Inspection, file: string = inspection.path): ArtifactInfo {
	const v = inspection.version;
	return {
		path: path.resolve(file),
		size: inspection.size,
		uncompressedSize: inspection.uncompressedSize,
		compressed: inspection.compressed,
		codeHash: inspection.codeHash,
		specName: v.specName,
		implName: v.implName,
		specVersion: v.specVersion,
		implVersion: v.implVersion,
		transactionVersion: v.transactionVersion,
		...(v.stateVersion === undefined ? {} : { stateVersion: v.stateVersion }),
	};
}

/** A JSON-friendly view of an inspection (no metadata object, no bytes). */
export function inspectionToJson(inspection: Inspection): Record<string, unknown> {
	return {
		...toArtifactInfo(inspection),
		authoringVersion: inspection.version.authoringVersion,
		versionSource: inspection.version.source,
		apis: inspection.version.apis,
		metadataVersion: inspection.metadataVersion,
		metadataVia: inspection.metadataVia,
		metadataVersions: inspection.metadataVersions,
		pallets: inspection.pallets,
		callHashes: inspection.callHashes,
		warnings: inspection.warnings,
	};
}
