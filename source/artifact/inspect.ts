/**
 * Everything the console learns from a runtime wasm file, in one call:
 * sizes, code hash, runtime version, full metadata, and the upgrade call
 * hashes. Runs offline.
 */
import path from 'node:path';
import type { Metadata } from '@polkadot/types';
import type { ArtifactInfo, Hex } from '../domain/types.js';
import { callHashes, type CallHashes } from './call-hashes.js';
import { defaultCacheDir, openRuntimeCallCache } from './cache.js';
import { holdExecutor } from './executor.js';
import { metadataOfCode, type MetadataInput } from './metadata.js';
import { buildModel, variantsOf, type MetadataModel } from './model.js';
import { readArtifact, SUBSTRATE_CODE_BOMB_LIMIT, type Artifact, type ReadOptions } from './read.js';
import { runtimeVersionOf, type RuntimeVersionInfo } from './version.js';

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
}

export interface PalletSummary {
	name: string;
	index: number;
	calls: number;
	storage: number;
	events: number;
	errors: number;
	constants: number;
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
	pallets: PalletSummary[];
	callHashes: CallHashes;
	warnings: string[];
	/** The file bytes and the decompressed module. */
	artifact: Artifact;
}

export function summarisePallets(model: MetadataModel): PalletSummary[] {
	return model.pallets.map((p) => ({
		name: p.name,
		index: p.index,
		calls: variantsOf(model, p.calls).length,
		storage: p.storage.length,
		events: variantsOf(model, p.events).length,
		errors: variantsOf(model, p.errors).length,
		constants: p.constants.length,
	}));
}

export async function inspectArtifact(file: string, options: InspectOptions = {}): Promise<Inspection> {
	const absolute = path.resolve(file);
	const release = holdExecutor();
	try {
		const artifact = await readArtifact(absolute, options);
		const dir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir());
		const cache = dir ? openRuntimeCallCache(dir) : undefined;
		const calls = { module: artifact.module, path: absolute, cache, cacheKey: artifact.codeHash };
		// Both calls are sent at once: the executor runs one while this thread decodes the other's answer.
		// Errors are reported in the order they were before (the version's first).
		const [metaResult, versionResult] = await Promise.allSettled([metadataOfCode(artifact.code, calls), runtimeVersionOf(artifact.code, calls)]);
		if (versionResult.status === 'rejected') throw versionResult.reason;
		if (metaResult.status === 'rejected') throw metaResult.reason;
		const version = versionResult.value;
		const meta = metaResult.value;
		const model = buildModel(meta.metadata);
		const warnings: string[] = [];
		if (artifact.uncompressedSize > SUBSTRATE_CODE_BOMB_LIMIT) {
			warnings.push(`the runtime is ${artifact.uncompressedSize} bytes uncompressed; Substrate nodes refuse code over ${SUBSTRATE_CODE_BOMB_LIMIT} bytes`);
		}
		let hashes: CallHashes;
		if (options.targetMetadata) {
			hashes = callHashes(options.targetMetadata, artifact.bytes, { codeHash: artifact.codeHash, basis: options.targetLabel ?? 'target chain metadata' });
		} else {
			hashes = callHashes(model, artifact.bytes, { codeHash: artifact.codeHash, basis: `the artifact's own metadata (${version.specName} ${version.specVersion})` });
			warnings.push("call hashes use the artifact's own call indices: compare against the target chain (--against) for hashes to submit");
		}
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
			pallets: summarisePallets(model),
			callHashes: hashes,
			warnings,
			artifact,
		};
	} finally {
		// Without keepExecutor, stop the worker when idle so the process can exit.
		await release({ keep: options.keepExecutor });
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
		pallets: inspection.pallets,
		callHashes: inspection.callHashes,
		warnings: inspection.warnings,
	};
}
