/**
 * Verify an exported release record with public keys only: every manifest's
 * digest is recomputed from its content, every sign-off's signature checked
 * against the recomputed digest (a changed manifest makes them stale), the
 * signer must be a member of its group in the signed manifest, and the notes
 * must hash to the manifest's notes digest.
 *
 * Needs `await cryptoWaitReady()` (from @polkadot/util-crypto) once before the
 * first call: sr25519 verification runs in wasm.
 */
import { cryptoIsReady } from '@polkadot/util-crypto';
import { manifestDigest, MANIFEST_FORMAT, type ManifestGroup } from './manifest.js';
import { signoffShapeProblem, verifySignoff } from './signoff.js';
import { notesDigest } from './notes.js';
import type { ReleaseNotes, Signoff } from './alignment-types.js';
import { RECORD_FORMAT } from './record.js';

export interface RecordSignoffCheck {
	env: string;
	group: string;
	signer: string;
	decision: 'approve' | 'reject';
	valid: boolean;
	stale: boolean;
	reason?: string;
	/** Why it is not valid (or what it is). */
	detail: string;
}

export interface RecordGroupCheck {
	env: string;
	group: string;
	threshold: number;
	approvals: number;
	met: boolean;
}

export interface RecordVerification {
	ok: boolean;
	codeHash?: string;
	digestOk: boolean;
	signoffs: RecordSignoffCheck[];
	/** Approvals per group against its threshold (information: an unmet threshold does not make the record invalid). */
	groups: RecordGroupCheck[];
	problems: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function verifyRecord(record: unknown): RecordVerification {
	const bad = (problem: string): RecordVerification => ({ ok: false, digestOk: false, signoffs: [], groups: [], problems: [problem] });
	if (!isObject(record)) return bad('not a release record: expected a JSON object');
	if (record.format !== RECORD_FORMAT)
		return bad(`not a release record: format is ${JSON.stringify(record.format)}, expected ${RECORD_FORMAT}`);
	const release = record.release;
	if (!isObject(release) || !isObject(release.artifact) || typeof release.artifact.codeHash !== 'string')
		return bad('not a release record: release.artifact.codeHash is missing');
	if (!Array.isArray(record.manifests)) return bad('not a release record: manifests is missing');
	if (!cryptoIsReady()) return bad('signatures cannot be checked: call cryptoWaitReady() from @polkadot/util-crypto before verifyRecord');
	const codeHash = (release.artifact.codeHash as string).toLowerCase();
	const problems: string[] = [];
	let digestOk = record.manifests.length > 0;
	if (record.manifests.length === 0) problems.push('the record holds no manifest');

	const byEnv = new Map<string, { digest: string; groups: ManifestGroup[] }>();
	for (const [i, entry] of record.manifests.entries()) {
		if (!isObject(entry) || !isObject(entry.manifest) || typeof entry.digest !== 'string' || typeof entry.env !== 'string') {
			problems.push(`manifests[${i}] is not {env, digest, manifest}`);
			digestOk = false;
			continue;
		}
		const m = entry.manifest;
		let recomputed: string;
		try {
			recomputed = manifestDigest(m);
		} catch (error) {
			problems.push(`manifest for ${entry.env} cannot be hashed: ${(error as Error).message}`);
			digestOk = false;
			continue;
		}
		if (m.format !== MANIFEST_FORMAT)
			problems.push(`manifest for ${entry.env} has format ${JSON.stringify(m.format)}, expected ${MANIFEST_FORMAT}`);
		if (m.env !== entry.env) problems.push(`manifest listed for ${entry.env} is for ${String(m.env)}`);
		if (recomputed !== entry.digest.toLowerCase()) {
			digestOk = false;
			problems.push(
				`manifest for ${entry.env}: recorded digest ${entry.digest} but its content hashes to ${recomputed} (the manifest was changed)`,
			);
		}
		if (typeof m.codeHash !== 'string' || m.codeHash.toLowerCase() !== codeHash) {
			digestOk = false;
			problems.push(`manifest for ${entry.env} is for code ${String(m.codeHash)}, but the record's artifact is ${codeHash}`);
		}
		if (m.notesDigest !== undefined) {
			const notes = record.notes as ReleaseNotes | undefined;
			if (!isObject(notes) || !Array.isArray(notes.commits))
				problems.push(`manifest for ${entry.env} signs notes ${String(m.notesDigest)} but the record has no notes`);
			else if (notesDigest(notes) !== m.notesDigest)
				problems.push(
					`the record's notes hash to ${notesDigest(notes)}, not ${String(m.notesDigest)} as the manifest for ${entry.env} says (the notes were changed)`,
				);
		}
		const groups = Array.isArray(m.groups) ? (m.groups as ManifestGroup[]) : [];
		byEnv.set(entry.env, { digest: recomputed, groups });
	}

	const signoffs: RecordSignoffCheck[] = [];
	const approvals = new Map<string, Set<string>>();
	for (const [i, raw] of (Array.isArray(record.signoffs) ? record.signoffs : []).entries()) {
		const shape = signoffShapeProblem(raw);
		if (shape) {
			problems.push(`signoffs[${i}]: ${shape}`);
			continue;
		}
		const s = raw as Signoff;
		const base = { env: s.env, group: s.group, signer: s.signer, decision: s.decision, ...(s.reason ? { reason: s.reason } : {}) };
		const target = byEnv.get(s.env);
		if (!target) {
			signoffs.push({ ...base, valid: false, stale: false, detail: `no manifest for ${s.env} in the record` });
			problems.push(`sign-off by ${s.signer} is for ${s.env}, which has no manifest in the record`);
			continue;
		}
		const check = verifySignoff(s, target.digest);
		const group = target.groups.find((g) => g.name === s.group);
		const member = Boolean(group?.members.some((k) => k.toLowerCase() === s.publicKey.toLowerCase()));
		const valid = check.verdict === 'valid' && member;
		const detail =
			check.verdict !== 'valid'
				? check.detail
				: member
					? check.detail
					: group
						? `${s.signer} is not a member of ${s.group} in the signed manifest`
						: `the manifest for ${s.env} has no group ${s.group}`;
		signoffs.push({ ...base, valid, stale: check.verdict === 'stale', detail });
		if (!valid)
			problems.push(`sign-off by ${s.signer} (${s.group}, ${s.env}): ${check.verdict === 'stale' ? 'stale — ' : ''}${detail}`);
		if (valid && s.decision === 'approve') {
			const key = `${s.env}\u0000${s.group}`;
			if (!approvals.has(key)) approvals.set(key, new Set());
			approvals.get(key)!.add(s.publicKey.toLowerCase());
		}
	}
	const groups: RecordGroupCheck[] = [];
	for (const [env, { groups: gs }] of byEnv) {
		for (const g of gs) {
			const n = approvals.get(`${env}\u0000${g.name}`)?.size ?? 0;
			groups.push({ env, group: g.name, threshold: g.threshold, approvals: n, met: n >= g.threshold });
		}
	}
	return { ok: digestOk && problems.length === 0, codeHash, digestOk, signoffs, groups, problems };
}
