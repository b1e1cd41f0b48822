/**
 * The release manifest: what a stakeholder signs. A canonical JSON object
 * (sorted keys, no whitespace) whose blake2-256 is the digest every sign-off
 * covers. Pure: no I/O.
 *
 * A manifest is for one target environment (the one whose stakeholders sign
 * it): it holds the release's identity (code hash, spec name and versions,
 * release commit, notes digest, srtool digest), the stakeholder groups of that
 * environment, and the gate states known before promotion to it — every gate
 * of the environments travelled earlier, and that environment's attested
 * gates (release commit, audits, pause). Gates that the target environment's
 * own stages evaluate later, and the sign-off gate itself, are left out, so
 * advancing the release through that environment does not turn its sign-offs
 * stale; a new wasm, a new commit, new notes or a changed gate state do.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import type { GateStatus, Release } from './types.js';
import type { StakeholderGroup } from './alignment-types.js';

export const MANIFEST_FORMAT = 'release-console/manifest@1';

/** Gates of the target environment that are known before promotion to it. */
export const PRE_PROMOTION_GATES: readonly string[] = ['release-commit-on-branch', 'audits', 'pause'];
/** Gates never in a manifest: they depend on the sign-offs or on the manifest itself. */
export const UNSIGNED_GATES: readonly string[] = ['signoffs', 'promotion'];

export interface ManifestGate {
	id: string;
	env: string;
	status: GateStatus;
}

export interface ManifestGroup {
	name: string;
	threshold: number;
	/** Members' public keys (0x hex), sorted. */
	members: string[];
}

export interface ReleaseManifest {
	format: typeof MANIFEST_FORMAT;
	releaseId: string;
	name: string;
	/** The environment whose stakeholders sign this manifest. */
	env: string;
	/** Its kind, when known (a signer refuses dev keys unless it is local or testnet). */
	envKind?: string;
	codeHash: string;
	specName: string;
	specVersion: number;
	transactionVersion: number;
	releaseCommit?: string;
	notesDigest?: string;
	srtoolDigest?: string;
	groups: ManifestGroup[];
	/** Sorted by env (travel order), then id. */
	gates: ManifestGate[];
}

export interface ManifestInputs {
	/** Stakeholder groups of the target environment (members' public keys or addresses already resolved to public keys). */
	groups?: Array<Pick<StakeholderGroup, 'name' | 'threshold'> & { members: Array<{ publicKey: string }> }>;
	releaseCommit?: string;
	notesDigest?: string;
	srtoolDigest?: string;
}

/**
 * The manifest of `release` for target environment `env`. Release commit,
 * notes digest, srtool digest and groups come from `release.alignment` unless
 * given in `inputs`.
 */
export function releaseManifest(release: Release, env: string, inputs: ManifestInputs = {}): ReleaseManifest {
	const order = release.environments;
	const targetIndex = order.indexOf(env);
	if (targetIndex === -1) {
		throw new Error(`environment ${env} is not part of release ${release.id} (it travels ${order.join(', ')})`);
	}
	const alignment = release.alignment;
	const groupsIn = inputs.groups ?? alignment?.envs?.[env]?.groups ?? [];
	const releaseCommit = inputs.releaseCommit ?? alignment?.notes?.releaseCommit;
	const notesDigest = inputs.notesDigest ?? alignment?.notes?.digest;
	const srtoolDigest = inputs.srtoolDigest ?? alignment?.srtoolDigest;
	const gates: ManifestGate[] = release.gates
		.filter((g) => !UNSIGNED_GATES.includes(g.id))
		.filter((g) => {
			const i = order.indexOf(g.env);
			if (i === -1) return false;
			return i < targetIndex || (i === targetIndex && PRE_PROMOTION_GATES.includes(g.id));
		})
		.map((g) => ({ id: g.id, env: g.env, status: g.status }))
		.sort((a, b) => order.indexOf(a.env) - order.indexOf(b.env) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const manifest: ReleaseManifest = {
		format: MANIFEST_FORMAT,
		releaseId: release.id,
		name: release.name,
		env,
		codeHash: release.artifact.codeHash.toLowerCase(),
		specName: release.artifact.specName,
		specVersion: release.artifact.specVersion,
		transactionVersion: release.artifact.transactionVersion,
		groups: groupsIn
			.map((g) => ({ name: g.name, threshold: g.threshold, members: g.members.map((m) => m.publicKey.toLowerCase()).sort() }))
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
		gates,
	};
	const envKind = alignment?.envs?.[env]?.kind;
	if (envKind) manifest.envKind = envKind;
	if (releaseCommit) manifest.releaseCommit = releaseCommit;
	if (notesDigest) manifest.notesDigest = notesDigest;
	if (srtoolDigest) manifest.srtoolDigest = srtoolDigest;
	return manifest;
}

/**
 * JSON with object keys sorted at every level and no whitespace. `undefined`
 * object members are dropped (as JSON.stringify does); non-finite numbers,
 * functions, symbols and bigints are refused so two implementations cannot
 * disagree on them.
 */
export function canonicalJson(value: unknown): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return JSON.stringify(value);
		case 'number':
			if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
			return JSON.stringify(value);
		case 'object': {
			if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
			const entries = Object.entries(value as Record<string, unknown>)
				.filter(([, v]) => v !== undefined)
				.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
			return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
		}
		default:
			throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
	}
}

/** blake2-256 (0x hex) of the manifest's canonical JSON (UTF-8). */
export function manifestDigest(manifest: ReleaseManifest | Record<string, unknown>): string {
	return blake2AsHex(canonicalJson(manifest), 256);
}

/** What differs between two manifests, field by field (for "why is this sign-off stale"). */
export function manifestChanges(signed: Record<string, unknown>, current: Record<string, unknown>): string[] {
	const keys = [...new Set([...Object.keys(signed), ...Object.keys(current)])].sort();
	const out: string[] = [];
	for (const key of keys) {
		const a = signed[key];
		const b = current[key];
		if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
		if (key === 'gates' && Array.isArray(a) && Array.isArray(b)) {
			const fmt = (g: ManifestGate) => `${g.env}/${g.id}`;
			const before = new Map((a as ManifestGate[]).map((g) => [fmt(g), g.status]));
			const after = new Map((b as ManifestGate[]).map((g) => [fmt(g), g.status]));
			for (const [k, s] of after) if (before.get(k) !== s) out.push(`gate ${k}: ${before.get(k) ?? 'absent'} → ${s}`);
			for (const [k, s] of before) if (!after.has(k)) out.push(`gate ${k}: ${s} → absent`);
			continue;
		}
		const show = (v: unknown) => (v === undefined ? 'absent' : typeof v === 'object' ? 'changed' : String(v));
		out.push(typeof a === 'object' || typeof b === 'object' ? `${key} changed` : `${key}: ${show(a)} → ${show(b)}`);
	}
	return out;
}
