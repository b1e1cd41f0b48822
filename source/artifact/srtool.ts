/**
 * An srtool JSON report (`srtool build --json`) against the artifact: every field of the report's runtime
 * entry that the console computes itself is compared, each one match, differs (both values) or not in the
 * report; fields the console does not compute (the IPFS CIDs) are listed as not compared.
 *
 * Field names as srtool writes them (its `analyse.sh`: `size`, `prop`, `authorize_upgrade_prop`,
 * `blake2_256`, `sha256`, `ipfs`, and `subwasm`, the output of `subwasm --json info`). A compressed
 * artifact is compared with `runtimes.compressed`, a raw one with `runtimes.compact`.
 *
 * subwasm hashes the upgrade calls with fixed call indices (not the chain's metadata); the console's call
 * hashes use the metadata of the chain the call goes to (`--against`), else the artifact's own. A report
 * hash that is subwasm's for this very code but no call of that chain is `subwasm-indices` (the same
 * build; not the hash to propose with), not a difference.
 */
import { createHash } from 'node:crypto';
import { compactToU8a, hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CallHashEntry } from './call-hashes.js';
import { ArtifactError, describeError } from './errors.js';
import type { Inspection } from './inspect.js';
import type { RuntimeVersionInfo } from './version.js';

/**
 * `subwasm-indices`: a call hash that is subwasm's for this very code (its fixed call indices, its argument shape)
 * but not the hash of a call this chain takes: not a different build, and not the hash to propose with.
 */
export type SrtoolFieldStatus = 'match' | 'differs' | 'subwasm-indices' | 'absent' | 'not-compared';

export interface SrtoolField {
	/** The field's path in the report, e.g. `runtimes.compressed.prop`. */
	field: string;
	/** What it is, in words. */
	what: string;
	status: SrtoolFieldStatus;
	/** The report's value (as written), when present. */
	report?: string | number | boolean;
	/** What the console computes for the artifact. */
	artifact?: string | number | boolean;
	/** Why it differs, how it was computed, or why it was not compared. */
	note?: string;
}

export interface SrtoolCheck {
	report: string;
	/** Which runtime entry of the report: `compressed` for a compressed artifact, `compact` for a raw one. */
	runtime: 'compressed' | 'compact';
	/** Every compared field matches. */
	match: boolean;
	fields: SrtoolField[];
	/** The fields that differ. */
	differs: string[];
}

export interface SrtoolOptions {
	/** The version `Metadata_metadata` returns (subwasm's `metadata_version`); asked only when the report has that field. */
	metadataMetadataVersion: () => Promise<number>;
}

const HINT = 'Pass the JSON report srtool wrote (srtool build --json > report.json)';

async function readReport(reportPath: string): Promise<unknown> {
	const fail = (message: string, hint: string, cause?: unknown): never => {
		throw new ArtifactError('bad-srtool-report', message, hint, reportPath, cause === undefined ? undefined : { cause });
	};
	let text = '';
	try {
		text = await readFile(reportPath, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		fail(
			code === 'ENOENT'
				? `no srtool report at ${reportPath}`
				: `cannot read the srtool report ${reportPath}: ${describeError(error)}`,
			HINT,
			error,
		);
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		return fail(`the srtool report ${reportPath} is not JSON: ${describeError(error)}`, HINT, error);
	}
}

const HASH = /^(0x)?[0-9a-fA-F]{64}$/;
/** Not in the report: missing, empty, or the "null" jq -r writes for a field subwasm did not give. */
const missing = (value: unknown) => value === undefined || value === null || value === '' || value === 'null';

interface SubwasmShape {
	call: string;
	callIndex: string;
	hash: string;
}

function subwasmShape(call: string, callIndex: string, args: Uint8Array): SubwasmShape {
	return { call, callIndex, hash: blake2AsHex(u8aConcat(hexToU8a(callIndex), args), 256) };
}
const hex = (value: string) => `0x${value.replace(/^0x/i, '').toLowerCase()}`;

/** `rococo-9140 (parity-rococo-v2.0-0.tx0.au0)`, as `sp_version` displays a runtime version. */
export function coreVersionText(
	v: Pick<RuntimeVersionInfo, 'specName' | 'specVersion' | 'implName' | 'implVersion' | 'transactionVersion' | 'authoringVersion'>,
): string {
	return `${v.specName}-${v.specVersion} (${v.implName}-${v.implVersion}.tx${v.transactionVersion}.au${v.authoringVersion})`;
}

type ReportedVersion = Partial<
	Record<'specName' | 'implName', string> & Record<'specVersion' | 'implVersion' | 'transactionVersion' | 'authoringVersion', number>
>;

/**
 * subwasm's `core_version`: the display string (`name-version (impl-implVersion.txN.auM)`, subwasm before
 * 0.19) or the RuntimeVersion object (camelCase, as sp_version serializes it). Undefined when it is neither.
 */
export function parseCoreVersion(value: unknown): ReportedVersion | undefined {
	if (typeof value === 'string') {
		const m = /^(.+)-(\d+) \((.+)-(\d+)\.tx(\d+)\.au(\d+)\)$/.exec(value.trim());
		if (m)
			return {
				specName: m[1],
				specVersion: Number(m[2]),
				implName: m[3],
				implVersion: Number(m[4]),
				transactionVersion: Number(m[5]),
				authoringVersion: Number(m[6]),
			};
		const short = /^(.+)-(\d+)$/.exec(value.trim());
		return short ? { specName: short[1], specVersion: Number(short[2]) } : undefined;
	}
	if (!value || typeof value !== 'object') return undefined;
	const o = value as Record<string, unknown>;
	const pick = (camel: string, snake: string) => o[camel] ?? o[snake];
	const out: ReportedVersion = {};
	for (const [key, snake] of [
		['specName', 'spec_name'],
		['implName', 'impl_name'],
	] as const) {
		const v = pick(key, snake);
		if (typeof v === 'string') out[key] = v;
	}
	for (const [key, snake] of [
		['specVersion', 'spec_version'],
		['implVersion', 'impl_version'],
		['transactionVersion', 'transaction_version'],
		['authoringVersion', 'authoring_version'],
	] as const) {
		const v = pick(key, snake);
		if (typeof v === 'number') out[key] = v;
	}
	return out.specName !== undefined && out.specVersion !== undefined ? out : undefined;
}

/** A reported version as text: the whole display form when every part is there, else `name-version`. */
function reportedVersionText(v: ReportedVersion): string {
	const { specName, specVersion, implName, implVersion, transactionVersion, authoringVersion } = v;
	return implName !== undefined && implVersion !== undefined && transactionVersion !== undefined && authoringVersion !== undefined
		? coreVersionText({ specName: specName!, specVersion: specVersion!, implName, implVersion, transactionVersion, authoringVersion })
		: `${specName}-${specVersion}`;
}

const VERSION_PARTS = [
	['specName', 'spec name'],
	['specVersion', 'spec version'],
	['implName', 'impl name'],
	['implVersion', 'impl version'],
	['transactionVersion', 'transaction version'],
	['authoringVersion', 'authoring version'],
] as const;

/** Compare an srtool report with the inspected artifact (its call hashes as they stand: with `--against`, the target's). */
export async function checkSrtool(reportPath: string, inspection: Inspection, options: SrtoolOptions): Promise<SrtoolCheck> {
	const report = await readReport(reportPath);
	const runtime = inspection.compressed ? 'compressed' : 'compact';
	const entry = (report as { runtimes?: Record<string, unknown> } | null)?.runtimes?.[runtime] as Record<string, unknown> | undefined;
	const digest = entry?.blake2_256;
	if (typeof digest !== 'string' || !HASH.test(digest)) {
		throw new ArtifactError(
			'bad-srtool-report',
			`the srtool report ${reportPath} has no runtimes.${runtime}.blake2_256 digest`,
			'Pass the JSON report of `srtool build --json` (srtool ≥ 0.9)',
			reportPath,
		);
	}
	const subwasm = (entry!.subwasm && typeof entry!.subwasm === 'object' ? entry!.subwasm : {}) as Record<string, unknown>;
	const compression = (subwasm.compression && typeof subwasm.compression === 'object' ? subwasm.compression : {}) as Record<
		string,
		unknown
	>;
	const prefix = `runtimes.${runtime}`;
	const fields: SrtoolField[] = [];
	const absent = (field: string, what: string) => fields.push({ field, what, status: 'absent' });

	/** A value the console computes, compared exactly (hashes case-insensitively, sizes as numbers whether written as text or not). */
	const exact = (
		field: string,
		what: string,
		value: unknown,
		artifact: string | number | boolean,
		kind: 'hash' | 'number' | 'boolean',
		note?: string,
	) => {
		if (missing(value)) return absent(field, what);
		let reported: string | number | boolean | undefined;
		if (kind === 'hash' && typeof value === 'string' && HASH.test(value)) reported = hex(value);
		if (kind === 'number' && (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))))
			reported = Number(value);
		if (kind === 'boolean' && typeof value === 'boolean') reported = value;
		if (reported === undefined)
			return fields.push({
				field,
				what,
				status: 'differs',
				report: typeof value === 'object' ? JSON.stringify(value) : (value as string),
				artifact,
				note: `the report's value is not a ${kind}`,
			});
		fields.push({
			field,
			what,
			status: reported === artifact ? 'match' : 'differs',
			report: reported,
			artifact,
			...(note ? { note } : {}),
		});
	};

	/**
	 * A call hash: `match` when it is the hash of one of the calls this chain takes (the candidates), `subwasm-indices`
	 * when it is subwasm's hash of the same code with its own call indices and argument shape (the build is the same;
	 * the report's hash is not the one to propose with), else `differs`.
	 */
	const callHash = (field: string, what: string, value: unknown, candidates: CallHashEntry[], subwasmShapes: SubwasmShape[]) => {
		if (missing(value)) return absent(field, what);
		const available = candidates.filter((c) => c.available && c.hash);
		const reported = typeof value === 'string' && HASH.test(value) ? hex(value) : undefined;
		const hit = available.find((c) => c.hash!.toLowerCase() === reported);
		if (hit)
			return fields.push({
				field,
				what,
				status: 'match',
				report: reported!,
				artifact: hit.hash!,
				note: `${hit.call}, call index ${hit.callIndex}, indices from ${basis}`,
			});
		const chainCalls = available.length
			? available.map((c) => `${c.call} (call index ${c.callIndex}) hashes to ${c.hash}`).join('; ')
			: candidates.map((c) => `${c.call}: ${c.reason ?? 'not available'}`).join('; ');
		const shape = subwasmShapes.find((x) => x.hash === reported);
		if (shape)
			return fields.push({
				field,
				what,
				status: 'subwasm-indices',
				report: reported!,
				...(available.length ? { artifact: available[0]!.hash! } : {}),
				note: `the report's hash is subwasm's ${shape.call} with call index ${shape.callIndex} for this code, not a call of this chain: ${chainCalls} (indices from ${basis})`,
			});
		if (available.length === 0)
			return fields.push({
				field,
				what,
				status: 'not-compared',
				report: String(value),
				note: `${chainCalls} (indices from ${basis})`,
			});
		fields.push({
			field,
			what,
			status: 'differs',
			report: reported ?? String(value),
			artifact: available[0]!.hash!,
			note: `${chainCalls} (indices from ${basis}); nor is it subwasm's hash of this code`,
		});
	};

	const file = new Uint8Array(await readFile(inspection.path));
	const sha256 = createHash('sha256').update(file).digest('hex');
	const hashes = inspection.callHashes;
	const basis = hashes.basis;
	const codeHash = inspection.codeHash.toLowerCase();
	// What subwasm hashes: its fixed indices (setCode 0x0002; parachainSystem.authorizeUpgrade 0x0102 unless its
	// PARACHAIN_PALLET_ID / AUTHORIZE_UPGRADE_PREFIX say otherwise, so also at the runtime's own index), code hash only.
	const setCodeShapes: SubwasmShape[] = [subwasmShape('system.setCode(code)', '0x0002', u8aConcat(compactToU8a(file.length), file))];
	const authorizeIndices = new Set([
		'0x0102',
		...(hashes.parachainAuthorizeUpgrade.callIndex ? [hashes.parachainAuthorizeUpgrade.callIndex] : []),
	]);
	const authorizeShapes = [...authorizeIndices].map((index) =>
		subwasmShape('parachainSystem.authorizeUpgrade(codeHash)', index, hexToU8a(codeHash)),
	);

	exact(`${prefix}.blake2_256`, 'code hash (blake2-256 of the file)', digest, codeHash, 'hash');
	exact(`${prefix}.sha256`, 'sha256 of the file', entry!.sha256, `0x${sha256}`, 'hash');
	exact(`${prefix}.size`, 'file size in bytes', entry!.size, inspection.size, 'number');
	callHash(`${prefix}.prop`, 'system.setCode(code) call hash', entry!.prop, [hashes.setCode], setCodeShapes);
	callHash(
		`${prefix}.authorize_upgrade_prop`,
		'authorizeUpgrade(code hash) call hash',
		entry!.authorize_upgrade_prop,
		[hashes.authorizeUpgrade, hashes.parachainAuthorizeUpgrade],
		authorizeShapes,
	);
	exact(`${prefix}.subwasm.blake2_256`, 'code hash (subwasm)', subwasm.blake2_256, codeHash, 'hash');
	callHash(
		`${prefix}.subwasm.proposal_hash`,
		'system.setCode(code) call hash (subwasm)',
		subwasm.proposal_hash,
		[hashes.setCode],
		setCodeShapes,
	);
	callHash(
		`${prefix}.subwasm.parachain_authorize_upgrade_hash`,
		'authorizeUpgrade(code hash) call hash (subwasm)',
		subwasm.parachain_authorize_upgrade_hash,
		[hashes.authorizeUpgrade, hashes.parachainAuthorizeUpgrade],
		authorizeShapes,
	);
	exact(`${prefix}.subwasm.size`, 'wasm size in bytes, uncompressed', subwasm.size, inspection.uncompressedSize, 'number');
	exact(`${prefix}.subwasm.compression.compressed`, 'zstd-compressed', compression.compressed, inspection.compressed, 'boolean');
	exact(
		`${prefix}.subwasm.compression.size_compressed`,
		'file size in bytes (subwasm)',
		compression.size_compressed,
		inspection.size,
		'number',
	);
	exact(
		`${prefix}.subwasm.compression.size_decompressed`,
		'wasm size in bytes, uncompressed (subwasm)',
		compression.size_decompressed,
		inspection.uncompressedSize,
		'number',
	);
	// The metadata carries the "meta" magic: the console decodes no metadata without it.
	exact(`${prefix}.subwasm.reserved_meta_valid`, 'metadata starts with the "meta" magic', subwasm.reserved_meta_valid, true, 'boolean');
	if (missing(subwasm.metadata_version)) absent(`${prefix}.subwasm.metadata_version`, 'metadata version of Metadata_metadata');
	else
		exact(
			`${prefix}.subwasm.metadata_version`,
			'metadata version of Metadata_metadata',
			subwasm.metadata_version,
			await options.metadataMetadataVersion(),
			'number',
			'as Metadata_metadata returns it, which is what subwasm reads',
		);
	const core = `${prefix}.subwasm.core_version`;
	const coreWhat = 'runtime version (spec name and version)';
	if (missing(subwasm.core_version)) absent(core, coreWhat);
	else {
		const parsed = parseCoreVersion(subwasm.core_version);
		const mine = coreVersionText(inspection.version);
		const shown = typeof subwasm.core_version === 'string' ? subwasm.core_version : JSON.stringify(subwasm.core_version);
		if (!parsed)
			fields.push({ field: core, what: coreWhat, status: 'differs', report: shown, artifact: mine, note: 'not a runtime version' });
		else {
			const v = inspection.version;
			const wrong = VERSION_PARTS.filter(([key]) => parsed[key] !== undefined && parsed[key] !== v[key]);
			fields.push({
				field: core,
				what: coreWhat,
				status: wrong.length === 0 ? 'match' : 'differs',
				report: typeof subwasm.core_version === 'string' ? subwasm.core_version : reportedVersionText(parsed),
				artifact: mine,
				...(wrong.length
					? { note: wrong.map(([key, words]) => `${words} ${parsed[key]} in the report, ${v[key]} in the artifact`).join('; ') }
					: {}),
			});
		}
	}
	for (const [value, field] of [
		[entry!.ipfs, `${prefix}.ipfs`],
		[subwasm.ipfs_hash, `${prefix}.subwasm.ipfs_hash`],
	] as const)
		if (value !== undefined)
			fields.push({
				field,
				what: 'IPFS CID of the file',
				status: 'not-compared',
				report: String(value),
				note: 'the console does not compute IPFS CIDs',
			});
	const differs = fields.filter((f) => f.status === 'differs').map((f) => f.field);
	return { report: path.resolve(reportPath), runtime, match: differs.length === 0, fields, differs };
}
