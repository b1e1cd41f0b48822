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
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hex } from '../../domain/types.js';
import type { CallHashEntry } from '../../artifact/call-hashes.js';
import type { DiffReport, MetadataChange } from '../../artifact/diff.js';
import { ArtifactError, describeError } from '../../artifact/errors.js';
import { releaseExecutor } from '../../artifact/executor.js';
import type { forwardCompatGate } from '../../artifact/gate.js';
import { inspectArtifact, inspectionToJson, type AgainstRuntime, type Inspection } from '../../artifact/inspect.js';
import type { MetadataModel } from '../../artifact/model.js';
import { RUNTIME_SCOPE } from '../../artifact/scope.js';
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
	/** Path of an srtool JSON report whose digest the artifact must match. */
	srtool?: string;
}

export type { AgainstRuntime } from '../../artifact/inspect.js';

export interface InspectIo {
	stdout: (s: string) => void;
	stderr: (s: string) => void;
	/** Resolve an environment name to its chain's runtime; undefined when unknown. */
	resolveAgainst?: (name: string) => Promise<AgainstRuntime | undefined>;
}

interface SrtoolCheck {
	report: string;
	field: string;
	expected: Hex;
	actual: Hex;
	match: boolean;
}

interface Against {
	label: string;
	version: RuntimeVersionInfo;
	model: MetadataModel;
	metadataVersion: number;
	source: 'wasm' | 'environment';
}

async function checkSrtool(reportPath: string, inspection: Inspection): Promise<SrtoolCheck> {
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
			'Pass the JSON report srtool wrote (srtool build --json > report.json)',
			error,
		);
	}
	let report: unknown;
	try {
		report = JSON.parse(text);
	} catch (error) {
		fail(
			`the srtool report ${reportPath} is not JSON: ${describeError(error)}`,
			'Pass the JSON report srtool wrote (srtool build --json > report.json)',
			error,
		);
	}
	const runtimes = (report as { runtimes?: Record<string, { blake2_256?: unknown }> } | null)?.runtimes;
	// The report's compressed digest is for the .compact.compressed.wasm; a raw artifact is compared with the compact one.
	const key = inspection.compressed ? 'compressed' : 'compact';
	const digest = runtimes?.[key]?.blake2_256;
	if (typeof digest !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(digest)) {
		fail(
			`the srtool report ${reportPath} has no runtimes.${key}.blake2_256 digest`,
			'Pass the JSON report of `srtool build --json` (srtool ≥ 0.9)',
		);
	}
	const expected = `0x${(digest as string).replace(/^0x/, '').toLowerCase()}` as Hex;
	const actual = inspection.codeHash.toLowerCase() as Hex;
	return { report: path.resolve(reportPath), field: `runtimes.${key}.blake2_256`, expected, actual, match: expected === actual };
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

function renderHuman(
	inspection: Inspection,
	srtool: SrtoolCheck | undefined,
	against: Against | undefined,
	diff: DiffReport | undefined,
	gate: ReturnType<typeof forwardCompatGate> | undefined,
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
		`  metadata      v${inspection.metadataVersion} via ${inspection.metadataVia}, ${inspection.pallets.length} pallets, ${v.apis.length} runtime APIs`,
	);
	if (srtool) {
		lines.push(
			srtool.match
				? `  srtool        ✓ digest matches ${srtool.field} of ${srtool.report}`
				: `  srtool        ✗ MISMATCH: ${srtool.report} says ${srtool.expected} (${srtool.field}), the artifact hashes to ${srtool.actual}`,
		);
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
		const inspection = await inspectArtifact(argv.wasm, { keepExecutor: true, summary: !argv.against });
		const srtool = argv.srtool ? await checkSrtool(argv.srtool, inspection) : undefined;
		let against: Against | undefined;
		let diff: DiffReport | undefined;
		let gate: ReturnType<typeof forwardCompatGate> | undefined;
		if (argv.against) {
			const [{ callHashes }, { diffMetadata }, { forwardCompatGate }] = await Promise.all([
				import('../../artifact/call-hashes.js'),
				import('../../artifact/diff.js'),
				import('../../artifact/gate.js'),
			]);
			against = await resolveAgainst(argv.against, io);
			// The upgrade calls go to the chain that runs the old runtime: its indices count.
			inspection.callHashes = callHashes(against.model, inspection.artifact.bytes, {
				codeHash: inspection.codeHash,
				basis: against.label,
			});
			inspection.warnings = inspection.warnings.filter((w) => !w.startsWith('call hashes use'));
			diff = diffMetadata(against.model, inspection.metadata, against.version, inspection.version);
			gate = forwardCompatGate(against.source === 'environment' ? argv.against : against.label, diff);
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
								},
							}
						: {}),
					...(diff ? { diff } : {}),
					...(gate ? { gate } : {}),
					kind,
					exitCode: exit,
				}),
			);
		} else {
			io.stdout(renderHuman(inspection, srtool, against, diff, gate));
			if (srtool && !srtool.match) {
				io.stderr(
					`srtool digest mismatch: the artifact is not the one srtool built (${srtool.field} ${srtool.expected}, artifact ${srtool.actual}). Rebuild with srtool or use the wasm from the same build as the report.`,
				);
			}
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
