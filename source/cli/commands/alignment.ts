/**
 * Headless alignment commands: stakeholders, manifest, signoff (sign / import),
 * attest, notes, gates (promotion check), export, verify.
 */
import fs from 'node:fs';
import path from 'node:path';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { EXIT, UsageError, findRelease, type CommandContext, type Io } from './context.js';
import { releaseAccess } from '../../engine/session.js';
import { ReleaseError } from '../../domain/errors.js';
import type { EnvAlignmentConfig, Signoff, StakeholderGroup } from '../../domain/alignment-types.js';
import {
	ATTESTED_GATES,
	GATE_TITLES,
	alignmentGates,
	attestationGate,
	currentManifest,
	groupsOf,
	MIN_REFERENCE,
	promotionBlockers,
	releaseCommitGate,
	signoffGate,
	type AttestedGate,
} from '../../domain/alignment.js';
import { integrityGate } from '../../domain/gates.js';
import type { Environment, GateId, Hex, Release } from '../../domain/types.js';
import { MANIFEST_FORMAT, manifestDigest, type ReleaseManifest } from '../../domain/manifest.js';
import { createSignoff, MIN_REJECT_REASON, publicKeyOf, signoffShapeProblem, verifySignoff } from '../../domain/signoff.js';
import { resolveSigner, type SignerKeyType } from '../../signer/signer.js';

const ALL_GATES = Object.keys(GATE_TITLES) as GateId[];

function readJsonFile(file: string | undefined, what: string, usage: string): unknown {
	if (!file) throw new UsageError(`missing ${what}`, usage);
	let text: string;
	try {
		text = fs.readFileSync(path.resolve(file), 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UsageError(
			code === 'ENOENT' ? `no file at ${path.resolve(file)}` : `cannot read ${file}: ${(error as Error).message}`,
			usage,
		);
	}
	try {
		return JSON.parse(text);
	} catch {
		throw new UsageError(`${file} is not JSON`, `pass the ${what} as written by release-console`);
	}
}

function envsOf(ctx: CommandContext): Environment[] {
	return ctx.store.listEnvironments();
}

function pickEnv(release: Release, name: string | undefined, preferGroups = true): string {
	if (name) {
		if (!release.environments.includes(name))
			throw new UsageError(
				`release ${release.id} does not travel environment "${name}"`,
				`its environments: ${release.environments.join(', ')}`,
			);
		return name;
	}
	if (preferGroups) {
		const withGroups = release.environments.find((e) => groupsOf(release, e).length > 0);
		if (withGroups) return withGroups;
	}
	return release.environments[release.environments.length - 1]!;
}

function dispatch(ctx: CommandContext, release: Release, ...actions: Parameters<ReturnType<typeof releaseAccess>['apply']>): Release {
	try {
		return releaseAccess(ctx.store, release.id).apply(...actions);
	} catch (error) {
		if (error instanceof ReleaseError && !['secret-in-store', 'locked'].includes(error.code))
			throw new UsageError(error.message, error.hint);
		throw error;
	}
}

// --- stakeholders ----------------------------------------------------------------

export async function runStakeholders(
	ctx: CommandContext,
	id: string | undefined,
	flags: { env?: string; group?: string; member?: string[]; threshold?: number; owns?: string[]; require?: string[] },
): Promise<number> {
	const usage =
		'usage: release-console stakeholders ID --env NAME --group NAME --member ADDRESS [--member …] --threshold N [--owns GATE …] [--require GATE …]';
	if (!id) throw new UsageError('missing release id', usage);
	const release = findRelease(ctx.store, id);
	if (!flags.env) throw new UsageError('missing --env: stakeholder groups belong to one environment', usage);
	const env = pickEnv(release, flags.env);
	const envInfo = ctx.store.getEnvironment(env);
	const config: EnvAlignmentConfig = { ...(release.alignment?.envs?.[env] ?? {}) };
	if (envInfo) config.kind = envInfo.kind;
	for (const g of [...(flags.owns ?? []), ...(flags.require ?? [])]) {
		if (!ALL_GATES.includes(g as GateId)) throw new UsageError(`unknown gate "${g}"`, `gates: ${ALL_GATES.join(', ')}`);
	}
	if (flags.group) {
		const members = flags.member ?? [];
		if (members.length === 0) throw new UsageError(`group ${flags.group} needs at least one --member ADDRESS`, usage);
		const parsed = members.map((m) => {
			try {
				return { address: m.trim(), publicKey: publicKeyOf(m) };
			} catch (error) {
				throw new UsageError(
					(error as Error).message,
					'a member is given by its SS58 address (or 0x public key), never by a secret',
				);
			}
		});
		const group: StakeholderGroup = { name: flags.group, members: parsed, threshold: flags.threshold ?? 1 };
		if (flags.owns?.length) group.owns = flags.owns as GateId[];
		config.groups = [...(config.groups ?? []).filter((g) => g.name !== flags.group), group];
	}
	// meow gives [] for an absent multiple flag: only a given --require replaces the list.
	if (flags.require?.length) config.requires = flags.require as GateId[];
	if (!flags.group && !flags.require?.length)
		throw new UsageError('nothing to change: pass --group with --member and --threshold, or --require', usage);
	const updated = dispatch(ctx, release, { type: 'alignment/configure', env, config, at: new Date().toISOString() });
	const saved = updated.alignment!.envs![env]!;
	if (ctx.json) ctx.io.stdout(JSON.stringify({ env, config: saved }));
	else {
		ctx.io.stdout(`stakeholders of ${env}:`);
		for (const g of saved.groups ?? [])
			ctx.io.stdout(
				`  ${g.name}: ${g.threshold} of ${g.members.length} (${g.members.map((m) => m.address).join(', ')})${g.owns?.length ? `; owns ${g.owns.join(', ')}` : ''}`,
			);
		if (saved.requires) ctx.io.stdout(`  promotion to ${env} requires: ${saved.requires.join(', ') || 'nothing'}`);
	}
	return EXIT.ok;
}

// --- manifest -------------------------------------------------------------------------

export async function runManifest(ctx: CommandContext, id: string | undefined, flags: { env?: string }): Promise<number> {
	if (!id) throw new UsageError('missing release id', 'usage: release-console manifest ID [--env NAME] > manifest.json');
	const release = findRelease(ctx.store, id);
	const env = pickEnv(release, flags.env);
	const { manifest } = currentManifest(release, env);
	ctx.io.stdout(JSON.stringify(manifest, null, ctx.json ? undefined : 2));
	return EXIT.ok;
}

function manifestProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a manifest must be a JSON object';
	const m = value as Record<string, unknown>;
	if (m.format !== MANIFEST_FORMAT) return `not a release manifest (format must be ${MANIFEST_FORMAT}, got ${JSON.stringify(m.format)})`;
	for (const f of ['releaseId', 'env', 'codeHash', 'specName']) if (typeof m[f] !== 'string') return `manifest field "${f}" is missing`;
	if (!Array.isArray(m.gates) || !Array.isArray(m.groups)) return 'manifest gates or groups are missing';
	return undefined;
}

// --- signoff ---------------------------------------------------------------------------

export async function runSignoff(
	ctx: Pick<CommandContext, 'io' | 'json'>,
	file: string | undefined,
	flags: { group?: string; signer?: string; reject?: boolean; reason?: string; keyType?: string },
	env: Record<string, string | undefined> = process.env,
): Promise<number> {
	const usage = 'usage: release-console signoff MANIFEST.json --group NAME --signer SIGNER [--reject --reason "why"] > signoff.json';
	const raw = readJsonFile(file, 'MANIFEST.json (from `release-console manifest ID`)', usage);
	const manifest = (
		raw && typeof raw === 'object' && 'manifest' in (raw as object) ? (raw as { manifest: unknown }).manifest : raw
	) as ReleaseManifest;
	const problem = manifestProblem(manifest);
	if (problem) throw new UsageError(`${file}: ${problem}`, 'pass the manifest printed by `release-console manifest ID`');
	if (!flags.group)
		throw new UsageError('missing --group', `groups in this manifest: ${manifest.groups.map((g) => g.name).join(', ') || 'none'}`);
	const group = manifest.groups.find((g) => g.name === flags.group);
	if (!group)
		throw new UsageError(
			`the manifest has no group "${flags.group}"`,
			`groups in this manifest: ${manifest.groups.map((g) => g.name).join(', ') || 'none'}`,
		);
	if (!flags.signer)
		throw new UsageError(
			'missing --signer',
			'pass env:VAR (a mnemonic in that variable), a keystore JSON path, or //Alice on local/testnet manifests',
		);
	const decision = flags.reject ? 'reject' : 'approve';
	if (decision === 'reject' && (flags.reason ?? '').trim().length < MIN_REJECT_REASON) {
		throw new UsageError(
			`a rejection needs --reason of at least ${MIN_REJECT_REASON} characters`,
			'say what must change before you would approve',
		);
	}
	const keyType = flags.keyType as SignerKeyType | undefined;
	if (keyType && keyType !== 'sr25519' && keyType !== 'ed25519')
		throw new UsageError(`--key-type must be sr25519 or ed25519 (got ${keyType})`);
	const envKind = manifest.envKind === 'local' || manifest.envKind === 'testnet' ? manifest.envKind : 'production';
	let signer;
	try {
		signer = await resolveSigner({
			spec: flags.signer,
			envKind,
			envName: manifest.env,
			password: env.RELEASE_CONSOLE_PASSWORD,
			keyringType: keyType,
			env,
		});
	} catch (error) {
		if (error instanceof ReleaseError) throw new UsageError(error.message, error.hint);
		throw error;
	}
	for (const w of signer.warnings) ctx.io.stderr(`warning: ${w}`);
	const publicKey = publicKeyOf(signer.address);
	if (!group.members.includes(publicKey.toLowerCase())) {
		throw new UsageError(
			`${signer.address} (${signer.label}) is not a member of group ${group.name} in this manifest`,
			'sign with the key the release engineer listed for your group, or ask them to add your address',
		);
	}
	const digest = manifestDigest(manifest);
	const signoff = createSignoff({
		manifest,
		digest,
		group: group.name,
		pair: signer.pair,
		decision,
		reason: flags.reason,
		signedAt: new Date().toISOString(),
	});
	ctx.io.stdout(JSON.stringify(signoff, null, ctx.json ? undefined : 2));
	ctx.io.stderr(
		`${decision === 'approve' ? 'approved' : 'rejected'} ${manifest.name} for ${manifest.env} as ${group.name} (${signer.address}); manifest ${digest}. Send this blob to the release engineer: release-console signoff import ${manifest.releaseId} FILE`,
	);
	return EXIT.ok;
}

export async function runSignoffImport(ctx: CommandContext, id: string | undefined, file: string | undefined): Promise<number> {
	const usage = 'usage: release-console signoff import ID SIGNOFF.json';
	if (!id) throw new UsageError('missing release id', usage);
	const release = findRelease(ctx.store, id);
	const raw = readJsonFile(file, 'SIGNOFF.json', usage);
	const shape = signoffShapeProblem(raw);
	if (shape) throw new UsageError(`${file}: ${shape}`, 'pass the blob printed by `release-console signoff MANIFEST.json …`');
	const s = raw as Signoff;
	if (s.releaseId !== release.id)
		throw new UsageError(
			`this sign-off is for release ${s.releaseId}, not ${release.id}`,
			'import it into the release it was given for',
		);
	if (!release.environments.includes(s.env))
		throw new UsageError(`this sign-off is for environment ${s.env}, which release ${release.id} does not travel`);
	await cryptoWaitReady();
	const { digest } = currentManifest(release, s.env);
	const check = verifySignoff(s, digest);
	if (check.verdict === 'invalid-signature') {
		throw new UsageError(
			`refusing the sign-off of ${s.signer}: ${check.detail}`,
			'the blob was changed after signing, or signed by another key; ask the stakeholder to sign again',
		);
	}
	if (check.verdict === 'stale') {
		throw new UsageError(
			`refusing the sign-off of ${s.signer}: it is for another manifest (${s.digest}); the manifest of ${s.env} is now ${digest} — stale`,
			`the release changed after it was signed (new wasm, commit, notes, gate or groups); send the current manifest (release-console manifest ${release.id} --env ${s.env}) to sign again`,
		);
	}
	let updated = dispatch(ctx, release, { type: 'alignment/signoff', signoff: s, at: new Date().toISOString() });
	const gate = signoffGate(updated, s.env, new Date().toISOString());
	updated = dispatch(ctx, updated, { type: 'gate/set', gate, at: gate.checkedAt });
	if (ctx.json) ctx.io.stdout(JSON.stringify({ imported: { env: s.env, group: s.group, signer: s.signer, decision: s.decision }, gate }));
	else
		ctx.io.stdout(
			`imported: ${s.group} ${s.decision === 'approve' ? 'approves' : 'rejects'} (${s.signer}) on ${s.env}\ngate signoffs: ${gate.status} — ${gate.summary}`,
		);
	return EXIT.ok;
}

// --- attest ------------------------------------------------------------------------------

export async function runAttest(
	ctx: CommandContext,
	id: string | undefined,
	flags: { gate?: string; reference?: string; env?: string[]; by?: string },
): Promise<number> {
	const usage = 'usage: release-console attest ID --gate audits|pause --reference "link or document id" [--env NAME …] [--by ROLE]';
	if (!id) throw new UsageError('missing release id', usage);
	const release = findRelease(ctx.store, id);
	if (!flags.gate || !(ATTESTED_GATES as readonly string[]).includes(flags.gate)) {
		throw new UsageError(`--gate must be one of ${ATTESTED_GATES.join(', ')}${flags.gate ? ` (got ${flags.gate})` : ''}`, usage);
	}
	const reference = (flags.reference ?? '').trim();
	if (reference.length < MIN_REFERENCE)
		throw new UsageError(
			`an attestation needs --reference of at least ${MIN_REFERENCE} characters`,
			'link the audit report or the review that shows it (it is stored with the release)',
		);
	const envs = flags.env?.length ? flags.env.map((e) => pickEnv(release, e)) : release.environments;
	const at = new Date().toISOString();
	const gates = envs.map((env) => attestationGate(env, flags.gate as AttestedGate, reference, flags.by, at));
	dispatch(ctx, release, ...gates.map((gate) => ({ type: 'gate/set' as const, gate, at })));
	ctx.io.stdout(ctx.json ? JSON.stringify({ gates }) : `attested ${flags.gate} on ${envs.join(', ')}: ${reference}`);
	return EXIT.ok;
}

// --- notes -----------------------------------------------------------------------------------

export async function runNotes(
	ctx: CommandContext,
	id: string | undefined,
	flags: { repo?: string; from?: string; to?: string; branch?: string },
): Promise<number> {
	const usage = 'usage: release-console notes ID --repo PATH --from PREVIOUS_RELEASE_SHA --to RELEASE_SHA [--branch main]';
	if (!id) throw new UsageError('missing release id', usage);
	const release = findRelease(ctx.store, id);
	if (!flags.repo || !flags.from || !flags.to)
		throw new UsageError(`missing ${!flags.repo ? '--repo' : !flags.from ? '--from' : '--to'}`, usage);
	const [{ collectNotes }, { notesMarkdown }] = await Promise.all([import('../../notes/git.js'), import('../../domain/notes.js')]);
	let notes;
	try {
		notes = await collectNotes({ repo: flags.repo, from: flags.from, to: flags.to, branch: flags.branch });
	} catch (error) {
		if (error instanceof ReleaseError) throw new UsageError(error.message, error.hint);
		throw error;
	}
	const at = new Date().toISOString();
	const gates = release.environments.map((env) => releaseCommitGate(env, notes, at));
	dispatch(ctx, release, { type: 'alignment/notes', notes, at }, ...gates.map((gate) => ({ type: 'gate/set' as const, gate, at })));
	if (ctx.json) ctx.io.stdout(JSON.stringify({ notes, gate: gates[0] }));
	else {
		ctx.io.stdout(notesMarkdown(notes));
		for (const r of notes.remarks ?? []) ctx.io.stdout(`note: ${r}`);
		ctx.io.stdout(`gate release-commit-on-branch: ${gates[0]!.status} — ${gates[0]!.summary}`);
	}
	return notes.onBranch ? EXIT.ok : EXIT.failed;
}

// --- gates / promotion ----------------------------------------------------------------------

function srtoolDigest(reportPath: string): string {
	const report = readJsonFile(reportPath, 'srtool report', 'pass the JSON report of `srtool build --json`') as {
		runtimes?: Record<string, { blake2_256?: string }>;
	};
	const digest = report?.runtimes?.compressed?.blake2_256 ?? report?.runtimes?.compact?.blake2_256;
	if (typeof digest !== 'string' || !/^0x[0-9a-f]{64}$/i.test(digest))
		throw new UsageError(
			`the srtool report ${reportPath} has no runtimes.compressed.blake2_256 digest`,
			'pass the JSON report of `srtool build --json` (srtool ≥ 0.9)',
		);
	return digest.toLowerCase();
}

export async function runGates(ctx: CommandContext, id: string | undefined, flags: { env?: string; srtool?: string }): Promise<number> {
	if (!id) throw new UsageError('missing release id', 'usage: release-console gates ID [--env NAME] [--srtool REPORT.json]');
	let release = findRelease(ctx.store, id);
	const env = pickEnv(release, flags.env);
	const envs = envsOf(ctx);
	const at = new Date().toISOString();
	await cryptoWaitReady();
	if (flags.srtool) release = dispatch(ctx, release, { type: 'alignment/srtool', digest: srtoolDigest(flags.srtool), at });
	// Integrity: re-hash the file now; with an srtool digest, it must match too.
	let current: Hex | undefined;
	try {
		current = blake2AsHex(fs.readFileSync(release.artifact.path), 256) as Hex;
	} catch {
		current = undefined;
	}
	let integrity = integrityGate(env, release.artifact.codeHash, current, at);
	const srtool = release.alignment?.srtoolDigest;
	if (current === undefined)
		integrity = { ...integrity, status: 'fail', summary: `the artifact ${release.artifact.path} cannot be read any more` };
	else if (srtool) {
		integrity =
			srtool === current.toLowerCase()
				? { ...integrity, summary: `${integrity.summary}; srtool digest matches`, evidence: { ...integrity.evidence, srtool } }
				: {
						...integrity,
						status: 'fail',
						summary: `the artifact is not the one srtool built: srtool says ${srtool}, the file hashes to ${current}`,
						evidence: { ...integrity.evidence, srtool },
					};
	}
	const gates = [integrity, ...alignmentGates(release, env, envs, at)];
	release = dispatch(ctx, release, ...gates.map((gate) => ({ type: 'gate/set' as const, gate, at })));
	const blockers = promotionBlockers(release, env, envs, at);
	if (ctx.json)
		ctx.io.stdout(
			JSON.stringify({ env, gates: release.gates.filter((g) => g.env === env), blockers, promotable: blockers.length === 0 }),
		);
	else {
		ctx.io.stdout(`gates of ${env}:`);
		for (const g of release.gates.filter((x) => x.env === env))
			ctx.io.stdout(
				`  ${g.status.padEnd(7)} ${GATE_TITLES[g.id] ?? g.id}: ${g.summary}${g.waiver ? ` (waived: ${g.waiver.reason})` : ''}`,
			);
		if (blockers.length === 0) ctx.io.stdout(`promotion to ${env}: allowed`);
		else {
			ctx.io.stdout(`promotion to ${env}: blocked by`);
			for (const b of blockers) ctx.io.stdout(`  ${b.gate}${b.env !== env ? ` (${b.env})` : ''}: ${b.status} — ${b.summary}`);
		}
	}
	return blockers.length === 0 ? EXIT.ok : EXIT.failed;
}

// --- export / verify ------------------------------------------------------------------------

export async function runExport(ctx: CommandContext, id: string | undefined, flags: { format?: string; out?: string }): Promise<number> {
	const usage = 'usage: release-console export ID --format markdown|json [--out FILE]';
	if (!id) throw new UsageError('missing release id', usage);
	const format = flags.format ?? (ctx.json ? 'json' : 'markdown');
	if (format !== 'markdown' && format !== 'json') throw new UsageError(`--format must be markdown or json (got ${format})`, usage);
	const release = findRelease(ctx.store, id);
	await cryptoWaitReady();
	const { buildRecord, recordMarkdown } = await import('../../domain/record.js');
	const text =
		format === 'json' ? `${JSON.stringify(buildRecord(release, envsOf(ctx)), null, 2)}\n` : recordMarkdown(release, envsOf(ctx));
	if (flags.out) {
		fs.writeFileSync(path.resolve(flags.out), text);
		ctx.io.stderr(`wrote the ${format} record of ${release.id} to ${path.resolve(flags.out)}`);
	} else ctx.io.stdout(text);
	return EXIT.ok;
}

export async function runVerify(io: Io, file: string | undefined, flags: { wasm?: string; json?: boolean }): Promise<number> {
	const usage = 'usage: release-console verify RECORD.json [--wasm PATH]';
	const record = readJsonFile(file, 'RECORD.json (from `release-console export ID --format json`)', usage);
	if (typeof record !== 'object' || record === null || (record as { format?: unknown }).format !== 'release-console/record@1') {
		throw new UsageError(
			`${file} is not a release record (format release-console/record@1)`,
			'export one with `release-console export ID --format json --out RECORD.json`',
		);
	}
	await cryptoWaitReady();
	const { verifyRecord } = await import('../../domain/record-verify.js');
	const result = verifyRecord(record);
	let wasm: { path: string; codeHash: string; match: boolean } | undefined;
	if (flags.wasm) {
		let bytes: Buffer;
		try {
			bytes = fs.readFileSync(path.resolve(flags.wasm));
		} catch {
			throw new UsageError(`no file at ${path.resolve(flags.wasm)}`, 'pass the runtime wasm the record is about');
		}
		const codeHash = blake2AsHex(bytes, 256);
		wasm = { path: path.resolve(flags.wasm), codeHash, match: codeHash === result.codeHash };
		if (!wasm.match) result.problems.push(`the wasm ${wasm.path} hashes to ${codeHash}, not ${result.codeHash} as the record says`);
	}
	const ok = result.ok && (wasm?.match ?? true);
	if (flags.json) io.stdout(JSON.stringify({ ...result, ok, ...(wasm ? { wasm } : {}) }));
	else {
		io.stdout(`record of code ${result.codeHash ?? '?'}: ${ok ? 'valid' : 'INVALID'}`);
		io.stdout(`  manifest digests: ${result.digestOk ? 'ok' : 'FAIL'}`);
		if (wasm) io.stdout(`  wasm ${wasm.path}: ${wasm.match ? 'matches' : 'DIFFERS'}`);
		for (const s of result.signoffs)
			io.stdout(
				`  ${s.valid ? '✔' : s.stale ? '… stale' : '✖'} ${s.env} ${s.group} ${s.decision} by ${s.signer}${s.reason ? ` — ${s.reason}` : ''}${s.valid ? '' : `: ${s.detail}`}`,
			);
		for (const g of result.groups)
			io.stdout(`  group ${g.group} on ${g.env}: ${g.approvals}/${g.threshold}${g.met ? '' : ' (not met)'}`);
		for (const p of result.problems) io.stderr(`problem: ${p}`);
	}
	return ok ? EXIT.ok : EXIT.failed;
}
