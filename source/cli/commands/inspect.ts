/**
 * `release-console inspect --wasm FILE [--against FILE|ENV] [--srtool REPORT] [--json]`
 *
 * Headless artifact inspection and the forward-compatibility verdict.
 * Exit codes: 0 forward compatible (or nothing to compare against),
 * 1 not forward compatible or srtool digest mismatch, 2 bad input,
 * 3 `--against ENV` could not read the environment's chain (no verdict).
 * `--json` carries the same outcome as `kind` (INSPECT_KIND).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GateEvaluation } from '../../domain/gates.js';
import type { CallHashEntry } from '../../artifact/call-hashes.js';
import type { DiffReport, MetadataChange } from '../../artifact/diff.js';
import { ArtifactError } from '../../artifact/errors.js';
import { releaseExecutor } from '../../artifact/executor.js';
import type { forwardCompatGate } from '../../artifact/gate.js';
import {
	inspectArtifact,
	inspectionToJson,
	metadataMetadataVersion,
	type AgainstRuntime,
	type Inspection,
} from '../../artifact/inspect.js';
import type { MetadataModel } from '../../artifact/model.js';
import { RUNTIME_SCOPE } from '../../artifact/scope.js';
import type { SrtoolCheck, SrtoolField } from '../../artifact/srtool.js';
import type { RuntimeVersionInfo } from '../../artifact/version.js';

// A warm inspection without --against answers from the cache: the metadata code
// (@polkadot/types, the diff) is imported only when a comparison needs it.
const metadataTools = () => Promise.all([import('../../artifact/metadata.js'), import('../../artifact/model.js')]);

export const INSPECT_EXIT = { ok: 0, failed: 1, badInput: 2, unreachable: 3 } as const;

/** What an inspection came to, as `kind` in `--json` (beside `exitCode`). */
export type InspectKind =
	| 'inspected' // no --against: nothing to compare with (exit 0)
	| 'forward-compatible' // exit 0
	| 'not-forward-compatible' // exit 1
	| 'srtool-mismatch' // exit 1 (forward compatible or not compared)
	| 'bad-input' // exit 2
	| 'unreachable'; // exit 3: the chain of --against ENV did not answer (or is not the pinned chain); no verdict

/**
 * `--against ENV` could not read the environment's chain: not a verdict on the
 * runtime, so not exit 1 (see INSPECT_EXIT.unreachable). Thrown by `io.resolveAgainst`.
 */
export class AgainstUnreachable extends Error {
	readonly hint?: string;
	constructor(
		readonly environment: string,
		message: string,
		hint?: string,
	) {
		super(message);
		this.name = 'AgainstUnreachable';
		this.hint = hint;
	}
}

export interface InspectArgv {
	wasm: string;
	/** A wasm path, or an environment name (resolved through `io.resolveAgainst`). */
	against?: string;
	json: boolean;
	/** Path of an srtool JSON report whose fields the artifact must match (source/artifact/srtool.ts). */
	srtool?: string;
}

export type { AgainstRuntime } from '../../artifact/inspect.js';

export interface InspectIo {
	stdout: (s: string) => void;
	stderr: (s: string) => void;
	/** Resolve an environment name to its chain's runtime; undefined when unknown. */
	resolveAgainst?: (name: string) => Promise<AgainstRuntime | undefined>;
}

interface Against {
	label: string;
	version: RuntimeVersionInfo;
	model: MetadataModel;
	metadataVersion: number;
	/** The metadata versions it offers. */
	metadataVersions: number[];
	source: 'wasm' | 'environment';
}

async function resolveAgainst(name: string, io: InspectIo): Promise<Against> {
	const looksLikePath = /[\\/]|\.wasm$/i.test(name);
	const [{ decodeMetadata }, { buildModel }] = await metadataTools();
	if (existsSync(name) || (looksLikePath && !io.resolveAgainst)) {
		const inspection = await inspectArtifact(name, { keepExecutor: true });
		return {
			label: `${path.basename(name)} (${inspection.version.specName} ${inspection.version.specVersion})`,
			version: inspection.version,
			model: buildModel(inspection.metadata),
			metadataVersion: inspection.metadataVersion,
			metadataVersions: inspection.metadataVersions,
			source: 'wasm',
		};
	}
	const resolved = io.resolveAgainst ? await io.resolveAgainst(name) : undefined;
	if (!resolved) {
		if (looksLikePath) {
			throw new ArtifactError('not-found', `no file at ${name}`, '--against takes a wasm path or an environment name', name);
		}
		throw new ArtifactError(
			'not-found',
			`"${name}" is neither a file nor ${io.resolveAgainst ? 'a known environment' : 'resolvable here (environment names need the console)'}`,
			'--against takes the path of the wasm currently on chain, or an environment name',
			name,
		);
	}
	const metadata = decodeMetadata(resolved.metadata, 'bad-input-metadata');
	return {
		label: resolved.label,
		version: resolved.version,
		model: buildModel(metadata),
		metadataVersion: metadata.version,
		metadataVersions: resolved.metadataVersions ?? [metadata.version],
		source: 'environment',
	};
}

const n = (x: number) => x.toLocaleString('en-US');
const mark = (ok: boolean) => (ok ? '✓' : '✗');

function hashLine(e: CallHashEntry): string {
	const value = e.available ? `${e.hash}  (call index ${e.callIndex}, ${n(e.encodedLength!)} bytes)` : `not available: ${e.reason}`;
	return `  ${e.call.padEnd(50)} ${value}`;
}

function changeLine(c: MetadataChange): string {
	const tag = c.severity === 'breaking' ? 'BREAKING' : '        ';
	const what = `${c.kind}${c.item ? ` ${c.item}` : ''} ${c.action}`;
	return `    ${tag}  ${what} — ${c.detail}${c.requiresTxVersionBump ? '  [tx]' : ''}`;
}

const STATUS_MARK: Record<SrtoolField['status'], string> = {
	match: '✓',
	differs: '✗',
	'subwasm-indices': '!',
	absent: '-',
	'not-compared': '·',
};

function srtoolLine(f: SrtoolField): string {
	const name = f.field.replace(/^runtimes\.[a-z]+\./, '');
	const value = (x: unknown) => String(x);
	const text =
		f.status === 'match'
			? `${value(f.artifact)}`
			: f.status === 'differs'
				? `DIFFERS: the report says ${value(f.report)}, the artifact gives ${value(f.artifact)}`
				: f.status === 'subwasm-indices'
					? `same code, not this chain's call: ${f.note ?? ''}`
					: f.status === 'absent'
						? 'not in the report (not compared)'
						: `not compared: ${f.note ?? ''}`;
	const note = f.status !== 'not-compared' && f.status !== 'subwasm-indices' && f.note ? `  (${f.note})` : '';
	return `    ${STATUS_MARK[f.status]} ${name.padEnd(42)} ${text}${note}`;
}

/** The srtool fields that identify the build itself (a difference: not the wasm srtool built), unlike its call hashes. */
const CALL_HASH_FIELDS = /\.(prop|authorize_upgrade_prop|proposal_hash|parachain_authorize_upgrade_hash)$/;

function srtoolMismatchMessage(srtool: SrtoolCheck): string {
	const build = srtool.differs.filter((f) => !CALL_HASH_FIELDS.test(f));
	const calls = srtool.differs.filter((f) => CALL_HASH_FIELDS.test(f));
	return [
		`srtool report mismatch: ${srtool.differs.join(', ')} differ${srtool.differs.length === 1 ? 's' : ''}.`,
		...(build.length
			? ['The artifact is not the one srtool built: rebuild with srtool or use the wasm from the same build as the report.']
			: []),
		...(calls.length
			? ["The report's call hashes are neither this chain's calls for this code nor subwasm's hashes of it (see the lines above)."]
			: []),
	].join(' ');
}

function hygieneLine(g: GateEvaluation): string {
	const e = g.evidence as Record<string, unknown>;
	const evidence =
		g.id === 'check-metadata-hash'
			? `live chain ${e.live === null ? 'not read' : e.live ? 'uses it' : 'does not use it'}; artifact ${e.artifact ? 'has it' : 'does not have it'}`
			: undefined;
	return `  gate ${g.id}: ${g.status.toUpperCase()} — ${g.summary}${evidence ? ` (${evidence})` : ''}`;
}

function renderHuman(
	inspection: Inspection,
	srtool: SrtoolCheck | undefined,
	against: Against | undefined,
	diff: DiffReport | undefined,
	gate: ReturnType<typeof forwardCompatGate> | undefined,
	hygiene: GateEvaluation[],
): string {
	const v = inspection.version;
	const lines: string[] = [];
	lines.push(`${v.specName} ${v.specVersion} · ${inspection.path}`);
	lines.push(
		`  file          ${inspection.compressed ? `${n(inspection.size)} bytes zstd-compressed → ${n(inspection.uncompressedSize)} bytes wasm` : `${n(inspection.size)} bytes raw wasm (not compressed)`}`,
	);
	lines.push(`  code hash     ${inspection.codeHash}`);
	lines.push(
		`  version       ${v.specName}/${v.implName} spec ${v.specVersion} · impl ${v.implVersion} · tx ${v.transactionVersion} · state ${v.stateVersion ?? '-'} · authoring ${v.authoringVersion}  (from ${v.source})`,
	);
	lines.push(
		`  metadata      v${inspection.metadataVersion} via ${inspection.metadataVia}, ${inspection.pallets.length} pallets, ${v.apis.length} runtime APIs; offers ${inspection.metadataVersions.map((x) => `v${x}`).join(', ')}`,
	);
	if (srtool) {
		const count = (status: SrtoolField['status']) => srtool.fields.filter((f) => f.status === status).length;
		lines.push(
			`  srtool        ${srtool.match ? '✓ every compared field matches' : `✗ MISMATCH: ${srtool.differs.map((f) => f.replace(/^runtimes\.[a-z]+\./, '')).join(', ')} differ${srtool.differs.length === 1 ? 's' : ''}`} — runtimes.${srtool.runtime} of ${srtool.report} (${count('match')} match, ${count('differs')} differ,${count('subwasm-indices') ? ` ${count('subwasm-indices')} subwasm's call hash not this chain's,` : ''} ${count('absent')} not in the report, ${count('not-compared')} not compared)`,
		);
		for (const f of srtool.fields) lines.push(srtoolLine(f));
	}
	if (against && diff && gate) {
		const d = diff.verdicts;
		lines.push('');
		lines.push(`Against ${against.label}`);
		lines.push(
			`  ${mark(d.forwardCompatible)} forward compatible        ${d.forwardCompatible ? `yes (${diff.counts.additive} additive changes)` : `no: ${diff.counts.breaking} breaking changes`}`,
		);
		const tx = `${diff.old.transactionVersion} → ${diff.new.transactionVersion}`;
		const txOk = !diff.problems.some((p) => p.code === 'tx-version-not-bumped' || p.code === 'tx-version-decreased');
		lines.push(
			`  ${mark(txOk)} transaction_version       ${d.transactionVersionBumpRequired ? 'bump required' : 'no bump required'}, ${d.transactionVersionBumped ? 'bumped' : 'not bumped'} (${tx})`,
		);
		lines.push(
			`  ${mark(d.specNameEqual)} spec name                 ${diff.old.specName}${d.specNameEqual ? '' : ` → ${diff.new.specName}`}`,
		);
		lines.push(`  ${mark(d.specVersionIncreased)} spec version increased    ${diff.old.specVersion} → ${diff.new.specVersion}`);
		lines.push(`  gate forward-compatible: ${gate.status.toUpperCase()} — ${gate.summary}`);
		for (const h of hygiene) lines.push(hygieneLine(h));
		if (diff.problems.length) {
			lines.push('Problems');
			for (const p of diff.problems) lines.push(`  - ${p.message}`);
		}
		if (diff.notes.length) {
			lines.push('Notes');
			for (const note of diff.notes) lines.push(`  - ${note}`);
		}
	}
	lines.push('');
	lines.push(`Call hashes (indices from ${inspection.callHashes.basis})`);
	lines.push(hashLine(inspection.callHashes.setCode));
	lines.push(hashLine(inspection.callHashes.authorizeUpgrade));
	lines.push(hashLine(inspection.callHashes.parachainAuthorizeUpgrade));
	if (inspection.warnings.length) {
		lines.push('Warnings');
		for (const w of inspection.warnings) lines.push(`  - ${w}`);
	}
	if (diff) {
		lines.push('');
		lines.push(
			`Changes (${diff.counts.total}: ${diff.counts.breaking} breaking, ${diff.counts.additive} additive; [tx] = requires a transaction_version bump)`,
		);
		if (diff.changes.length === 0) lines.push('  none: the metadata is the same');
		let current: string | undefined;
		for (const c of diff.changes) {
			if (c.pallet !== current) {
				current = c.pallet;
				const breaking = diff.changes.filter((x) => x.pallet === c.pallet && x.severity === 'breaking').length;
				lines.push(
					`  ${c.pallet === RUNTIME_SCOPE ? 'Runtime (extrinsic format, runtime APIs)' : c.pallet}${breaking ? `  — ${breaking} breaking` : ''}`,
				);
			}
			lines.push(changeLine(c));
		}
	} else {
		lines.push('');
		lines.push(`Pallets: ${inspection.pallets.map((p) => `${p.name}#${p.index}`).join(' ')}`);
		lines.push('(no comparison: pass --against the wasm or environment currently on chain for the forward-compatibility verdict)');
	}
	return lines.join('\n');
}

export async function runInspect(argv: InspectArgv, io: InspectIo): Promise<number> {
	try {
		if (!argv.wasm) {
			throw new ArtifactError(
				'not-found',
				'missing --wasm PATH',
				'Pass the runtime wasm to inspect, e.g. --wasm target/srtool/release/wbuild/x-runtime/x_runtime.compact.compressed.wasm',
			);
		}
		// Summary only (no metadata decoder on a warm run) unless a comparison or the srtool report needs more.
		const inspection = await inspectArtifact(argv.wasm, { keepExecutor: true, summary: !argv.against && !argv.srtool });
		let against: Against | undefined;
		let diff: DiffReport | undefined;
		let gate: ReturnType<typeof forwardCompatGate> | undefined;
		const hygiene: GateEvaluation[] = [];
		if (argv.against) {
			const [
				{ callHashes },
				{ diffMetadata },
				{ forwardCompatGate },
				{ buildModel },
				{ metadataVersionsGate, checkMetadataHashGate },
			] = await Promise.all([
				import('../../artifact/call-hashes.js'),
				import('../../artifact/diff.js'),
				import('../../artifact/gate.js'),
				import('../../artifact/model.js'),
				import('../../domain/gates.js'),
			]);
			against = await resolveAgainst(argv.against, io);
			// The upgrade calls go to the chain that runs the old runtime: its indices count.
			inspection.callHashes = callHashes(against.model, inspection.artifact.bytes, {
				codeHash: inspection.codeHash,
				basis: against.label,
			});
			inspection.warnings = inspection.warnings.filter((w) => !w.startsWith('call hashes use'));
			diff = diffMetadata(against.model, inspection.metadata, against.version, inspection.version);
			const label = against.source === 'environment' ? argv.against : against.label;
			gate = forwardCompatGate(label, diff);
			// Artifact hygiene against the other side, judged as on a testnet or production environment (no advice).
			const extensions = (model: MetadataModel) => model.extrinsic.extensions.map((e) => e.identifier);
			hygiene.push(
				metadataVersionsGate(label, 'production', inspection.metadataVersions, against.metadataVersions),
				checkMetadataHashGate(label, 'production', extensions(buildModel(inspection.metadata)), extensions(against.model)),
			);
		}
		// After --against: the call hashes compared are those of the chain the calls go to.
		let srtool: SrtoolCheck | undefined;
		if (argv.srtool) {
			const { checkSrtool } = await import('../../artifact/srtool.js');
			srtool = await checkSrtool(argv.srtool, inspection, { metadataMetadataVersion: () => metadataMetadataVersion(inspection) });
		}
		let exit: number = INSPECT_EXIT.ok;
		let kind: InspectKind = gate ? 'forward-compatible' : 'inspected';
		if (srtool && !srtool.match) {
			exit = INSPECT_EXIT.failed;
			kind = 'srtool-mismatch';
		}
		if (gate?.status === 'fail') {
			exit = INSPECT_EXIT.failed;
			kind = 'not-forward-compatible';
		}
		if (argv.json) {
			io.stdout(
				JSON.stringify({
					artifact: inspectionToJson(inspection),
					...(srtool ? { srtool } : {}),
					...(against
						? {
								against: {
									label: against.label,
									source: against.source,
									specName: against.version.specName,
									specVersion: against.version.specVersion,
									transactionVersion: against.version.transactionVersion,
									metadataVersion: against.metadataVersion,
									metadataVersions: against.metadataVersions,
								},
							}
						: {}),
					...(diff ? { diff } : {}),
					...(gate ? { gate } : {}),
					...(against ? { hygiene } : {}),
					kind,
					exitCode: exit,
				}),
			);
		} else {
			io.stdout(renderHuman(inspection, srtool, against, diff, gate, hygiene));
			if (srtool && !srtool.match) io.stderr(srtoolMismatchMessage(srtool));
			const other = srtool?.fields.filter((f) => f.status === 'subwasm-indices') ?? [];
			if (other.length)
				io.stderr(
					`note: the report's ${other.map((f) => f.field).join(', ')} ${other.length === 1 ? 'is' : 'are'} subwasm's hash of this code with its fixed call indices, not the hash of a call this chain takes: propose with the call hashes above${against ? '' : ' (--against the chain the call goes to)'}`,
				);
		}
		return exit;
	} catch (error) {
		if (error instanceof AgainstUnreachable) {
			const message = `cannot compare with ${error.environment}: ${error.message}`;
			if (argv.json)
				io.stdout(
					JSON.stringify({
						kind: 'unreachable' satisfies InspectKind,
						error: {
							code: 'unreachable',
							message,
							environment: error.environment,
							...(error.hint ? { hint: error.hint } : {}),
						},
						exitCode: INSPECT_EXIT.unreachable,
					}),
				);
			io.stderr(
				`error [unreachable]: ${message}\n  no forward-compatibility verdict (exit ${INSPECT_EXIT.unreachable}, not ${INSPECT_EXIT.failed})${error.hint ? `\n  what to do: ${error.hint}` : ''}`,
			);
			return INSPECT_EXIT.unreachable;
		}
		if (!(error instanceof ArtifactError)) throw error;
		if (argv.json)
			io.stdout(
				JSON.stringify({
					kind: 'bad-input' satisfies InspectKind,
					error: { code: error.code, message: error.message, ...(error.path ? { path: error.path } : {}) },
					exitCode: INSPECT_EXIT.badInput,
				}),
			);
		io.stderr(`error [${error.code}]: ${error.message}`);
		return INSPECT_EXIT.badInput;
	} finally {
		await releaseExecutor();
	}
}
