/**
 * Alignment, pure: stakeholder sign-offs against the manifest, the gates of
 * notes, attestations and the release train, and what blocks a promotion.
 *
 * Signature checks use @polkadot/util-crypto: call `cryptoWaitReady()` once
 * before any function here that looks at sign-offs.
 */
import { manifestDigest, releaseManifest, type ReleaseManifest } from './manifest.js';
import { verifySignoff, type SignoffVerdict } from './signoff.js';
import { shippedRuntimes } from './release.js';
import type { EnvAlignmentConfig, ReleaseNotes, Signoff, StakeholderGroup } from './alignment-types.js';
import type { GateEvaluation } from './gates.js';
import type { Environment, EnvironmentKind, GateId, GateResult, Release } from './types.js';

/** Minimum length of an attestation reference (a link, a report id, a document). */
export const MIN_REFERENCE = 8;

/** Gates that are attested by a person with a reference, not measured. */
export const ATTESTED_GATES = ['audits', 'pause'] as const;
export type AttestedGate = (typeof ATTESTED_GATES)[number];

export const GATE_TITLES: Record<GateId, string> = {
	'spec-name': 'spec name equal',
	'spec-version': 'spec version increased',
	'artifact-integrity': 'artifact integrity',
	'forward-compatible': 'forward compatible',
	soak: 'soak',
	'fork-rehearsal': 'rehearsed on a fork of the chain',
	parachain: 'a parachain its relay knows',
	'code-size': "code fits the relay's maxCodeSize",
	'runtime-apis': 'runtime APIs the node needs, no dev-only APIs',
	'metadata-versions': 'metadata versions the live runtime offers kept, v14 or later',
	'check-metadata-hash': 'CheckMetadataHash kept where the chain uses it',
	'transaction-version': 'transaction version increased when needed',
	'release-commit-on-branch': 'release commit on the protected branch',
	audits: 'audits of the pallets included (attested)',
	pause: 'protocols pausable without an upgrade (attested)',
	signoffs: 'stakeholder sign-offs',
	'testnet-soak': 'soaked on a testnet',
};

/** What promotion to an environment of this kind requires when the release does not say. */
export function defaultRequirements(kind: EnvironmentKind): GateId[] {
	switch (kind) {
		case 'local':
			return [];
		case 'testnet':
			return ['release-commit-on-branch', 'transaction-version'];
		case 'production':
			return ['release-commit-on-branch', 'transaction-version', 'artifact-integrity', 'testnet-soak', 'audits', 'pause', 'signoffs'];
	}
}

export function envConfig(release: Release, env: string): EnvAlignmentConfig {
	return release.alignment?.envs?.[env] ?? {};
}

export function groupsOf(release: Release, env: string): StakeholderGroup[] {
	return envConfig(release, env).groups ?? [];
}

export function requirementsOf(release: Release, env: Pick<Environment, 'name' | 'kind'>): GateId[] {
	return envConfig(release, env.name).requires ?? defaultRequirements(env.kind);
}

/** The manifest stakeholders of `env` sign now, and its digest. */
export function currentManifest(release: Release, env: string): { manifest: ReleaseManifest; digest: string } {
	const manifest = releaseManifest(release, env);
	return { manifest, digest: manifestDigest(manifest) };
}

// --- sign-offs ------------------------------------------------------------------

export interface SignoffState {
	signoff: Signoff;
	verdict: SignoffVerdict;
	detail: string;
	member: boolean;
}

export interface GroupState {
	group: StakeholderGroup;
	/** Distinct members with a valid, current approval. */
	approvals: number;
	rejections: SignoffState[];
	stale: SignoffState[];
	invalid: SignoffState[];
	met: boolean;
	signoffs: SignoffState[];
}

export interface SignoffSummary {
	env: string;
	digest: string;
	groups: GroupState[];
	/** Sign-offs for groups this environment does not have. */
	strays: SignoffState[];
	/** met: every group has its approvals and nobody rejects; missing: some wait; stale: a wait that old sign-offs would have covered; rejected. */
	state: 'met' | 'missing' | 'stale' | 'rejected' | 'no-groups';
}

/** Each sign-off state in words, for screens and text output. */
export const SIGNOFF_STATE_TEXT: Record<SignoffSummary['state'], string> = {
	met: 'every group has signed off',
	missing: 'waiting for sign-offs',
	stale: 'sign-offs are stale: the manifest changed since they were given',
	rejected: 'rejected',
	'no-groups': 'no stakeholder groups are configured',
};

export function signoffSummary(release: Release, env: string): SignoffSummary {
	const { digest } = currentManifest(release, env);
	const all = (release.alignment?.signoffs ?? []).filter((s) => s.env === env);
	const groups = groupsOf(release, env);
	const check = (s: Signoff, group?: StakeholderGroup): SignoffState => {
		const { verdict, detail } = verifySignoff(s, digest);
		const member = Boolean(group?.members.some((m) => m.publicKey.toLowerCase() === s.publicKey.toLowerCase()));
		return { signoff: s, verdict, detail: member ? detail : `${s.signer} is not a member of ${s.group}`, member };
	};
	const states: GroupState[] = groups.map((group) => {
		const signoffs = all.filter((s) => s.group === group.name).map((s) => check(s, group));
		const current = signoffs.filter((s) => s.member && s.verdict === 'valid');
		const approvals = new Set(current.filter((s) => s.signoff.decision === 'approve').map((s) => s.signoff.publicKey.toLowerCase()))
			.size;
		const rejections = current.filter((s) => s.signoff.decision === 'reject');
		return {
			group,
			approvals,
			rejections,
			stale: signoffs.filter((s) => s.verdict === 'stale'),
			invalid: signoffs.filter((s) => s.verdict === 'invalid-signature' || !s.member),
			met: approvals >= group.threshold && rejections.length === 0,
			signoffs,
		};
	});
	const strays = all.filter((s) => !groups.some((g) => g.name === s.group)).map((s) => check(s));
	let state: SignoffSummary['state'];
	if (groups.length === 0) state = 'no-groups';
	else if (states.some((g) => g.rejections.length > 0)) state = 'rejected';
	else if (states.every((g) => g.met)) state = 'met';
	else if (states.some((g) => !g.met && g.stale.length > 0)) state = 'stale';
	else state = 'missing';
	return { env, digest, groups: states, strays, state };
}

export function signoffGate(release: Release, env: string, at: string): GateEvaluation {
	const s = signoffSummary(release, env);
	const perGroup = s.groups.map(
		(g) => `${g.group.name} ${g.approvals}/${g.group.threshold}${g.stale.length ? ` (${g.stale.length} stale)` : ''}`,
	);
	const evidence = {
		digest: s.digest,
		groups: s.groups.map((g) => ({
			group: g.group.name,
			threshold: g.group.threshold,
			approvals: g.approvals,
			stale: g.stale.map((x) => x.signoff.signer),
			rejected: g.rejections.map((x) => ({ signer: x.signoff.signer, reason: x.signoff.reason ?? '' })),
		})),
	};
	const base = { id: 'signoffs' as const, env, checkedAt: at, evidence };
	switch (s.state) {
		case 'no-groups':
			return { ...base, status: 'fail', summary: `no stakeholder groups are configured for ${env}; nobody can sign off` };
		case 'met':
			return { ...base, status: 'pass', summary: `signed off: ${perGroup.join(', ')}` };
		case 'rejected': {
			const r = s.groups.flatMap((g) => g.rejections.map((x) => `${g.group.name} (${x.signoff.reason ?? 'no reason'})`));
			return { ...base, status: 'fail', summary: `rejected by ${r.join('; ')}` };
		}
		case 'stale':
			return {
				...base,
				status: 'pending',
				summary: `stale: the manifest changed after some sign-offs; ask them to sign ${s.digest} again — ${perGroup.join(', ')}`,
			};
		default:
			return { ...base, status: 'pending', summary: `waiting for sign-offs: ${perGroup.join(', ')}` };
	}
}

// --- other gates ----------------------------------------------------------------------

/** A stored gate of `env`, else the same gate of the nearest earlier environment. */
export function latestGate(release: Release, env: string, id: GateId): GateResult | undefined {
	const index = release.environments.indexOf(env);
	for (let i = index; i >= 0; i--) {
		const gate = release.gates.find((g) => g.id === id && g.env === release.environments[i]);
		if (gate) return gate;
	}
	return undefined;
}

/** From the forward-compatibility diff's verdicts (of env, or the nearest earlier environment). */
export function transactionVersionGate(release: Release, env: string, at: string): GateEvaluation {
	const base = { id: 'transaction-version' as const, env, checkedAt: at };
	const compat = latestGate(release, env, 'forward-compatible');
	const verdicts = (
		compat?.evidence as { verdicts?: { transactionVersionBumpRequired?: boolean; transactionVersionBumped?: boolean } } | undefined
	)?.verdicts;
	const tx = (compat?.evidence as { transactionVersion?: { old: number; new: number } } | undefined)?.transactionVersion;
	if (!compat || !verdicts) {
		return { ...base, status: 'pending', summary: 'no metadata diff yet (the artifact stage, or `inspect --against ENV`, makes one)' };
	}
	const evidence = {
		from: compat.env,
		required: verdicts.transactionVersionBumpRequired ?? false,
		bumped: verdicts.transactionVersionBumped ?? false,
		...(tx ? { old: tx.old, new: tx.new } : {}),
	};
	const range = tx ? `${tx.old} → ${tx.new}` : '';
	if (!evidence.required)
		return {
			...base,
			status: 'pass',
			summary: `no existing call changed; transaction version ${range || 'unchanged'} is fine`,
			evidence,
		};
	if (evidence.bumped)
		return { ...base, status: 'pass', summary: `existing calls changed and transaction version increased (${range})`, evidence };
	return {
		...base,
		status: 'fail',
		summary: `existing calls changed but transaction version did not increase (${range}); bump transaction_version`,
		evidence,
	};
}

/** The soak gate of the nearest earlier testnet environment (from the chain, not a checkbox). */
export function testnetSoakGate(
	release: Release,
	env: string,
	envs: Array<Pick<Environment, 'name' | 'kind'>>,
	at: string,
): GateEvaluation {
	const base = { id: 'testnet-soak' as const, env, checkedAt: at };
	if (release.runtimes) return setSoakGate(release, env, envs, base);
	const index = release.environments.indexOf(env);
	const earlier = release.environments.slice(0, Math.max(0, index)).reverse();
	const testnet = earlier.find((name) => envs.find((e) => e.name === name)?.kind === 'testnet');
	if (!testnet) {
		return { ...base, status: 'fail', summary: `the release travels no testnet before ${env}; add one to its environments` };
	}
	const soak = release.gates.find((g) => g.id === 'soak' && g.env === testnet);
	const evidence = { testnet, ...(soak?.evidence ?? {}) };
	if (!soak) return { ...base, status: 'pending', summary: `not soaked on ${testnet} yet`, evidence };
	if (soak.status === 'pass') return { ...base, status: 'pass', summary: `soaked on ${testnet}: ${soak.summary}`, evidence };
	if (soak.status === 'waived')
		return { ...base, status: 'pass', summary: `soak on ${testnet} waived: ${soak.waiver?.reason ?? ''}`, evidence };
	return { ...base, status: soak.status === 'fail' ? 'fail' : 'pending', summary: `soak on ${testnet}: ${soak.summary}`, evidence };
}

/**
 * "Test in isolation, ship as a set" (a release of several runtimes): promotion of any of its chains
 * needs every runtime of the set soaked on a testnet environment of the release that runs it — each
 * chain may be rehearsed alone, none is promoted before all have passed.
 */
function setSoakGate(
	release: Release,
	env: string,
	envs: Array<Pick<Environment, 'name' | 'kind'>>,
	base: { id: 'testnet-soak'; env: string; checkedAt: string },
): GateEvaluation {
	const kindOf = (name: string) => envs.find((e) => e.name === name)?.kind;
	const passed: string[] = [];
	const waiting: string[] = [];
	const missing: string[] = [];
	for (const { artifact, environments } of shippedRuntimes(release)) {
		const what = `${artifact.specName} ${artifact.specVersion}`;
		const testnets = environments.filter((name) => kindOf(name) === 'testnet');
		if (testnets.length === 0) {
			missing.push(what);
			continue;
		}
		const soaked = testnets.find((name) => {
			const g = release.gates.find((x) => x.id === 'soak' && x.env === name);
			return g?.status === 'pass' || g?.status === 'waived';
		});
		if (soaked) passed.push(`${what} on ${soaked}`);
		else waiting.push(`${what} (${testnets.join(', ')})`);
	}
	const evidence = { passed, waiting, missing };
	if (missing.length > 0)
		return {
			...base,
			status: 'fail',
			summary: `the set ships together: ${missing.join(', ')} travel${missing.length === 1 ? 's' : ''} no testnet in this release; add one before ${env}`,
			evidence,
		};
	if (waiting.length > 0)
		return {
			...base,
			status: 'pending',
			summary: `the set ships together: not soaked on a testnet yet: ${waiting.join(', ')}`,
			evidence,
		};
	return { ...base, status: 'pass', summary: `the whole set soaked on testnets: ${passed.join('; ')}`, evidence };
}

export function releaseCommitGate(env: string, notes: ReleaseNotes | undefined, at: string): GateEvaluation {
	const base = { id: 'release-commit-on-branch' as const, env, checkedAt: at };
	if (!notes)
		return { ...base, status: 'pending', summary: 'no release notes yet (`release-console notes ID --repo PATH --from SHA --to SHA`)' };
	const evidence = { releaseCommit: notes.releaseCommit, branch: notes.branch, ref: notes.branchRef ?? null, repo: notes.repo };
	if (notes.onBranch)
		return {
			...base,
			status: 'pass',
			summary: `${notes.releaseCommit.slice(0, 12)} is on ${notes.branchRef ?? notes.branch}`,
			evidence,
		};
	return {
		...base,
		status: 'fail',
		summary: `${notes.releaseCommit.slice(0, 12)} is not reachable from ${notes.branch}; release only what the protected branch holds`,
		evidence,
	};
}

export function attestationGate(
	env: string,
	gate: AttestedGate,
	reference: string,
	attestedBy: string | undefined,
	at: string,
): GateEvaluation {
	const ref = reference.trim();
	if (ref.length < MIN_REFERENCE) {
		throw new Error(
			`an attestation needs a reference of at least ${MIN_REFERENCE} characters (a link to the audit report, a document id)`,
		);
	}
	const what = gate === 'audits' ? 'audits of the included pallets' : 'each protocol can be paused by its own governance';
	return {
		id: gate,
		env,
		status: 'pass',
		summary: `attested: ${what} — ${ref}`,
		evidence: { reference: ref, ...(attestedBy ? { attestedBy } : {}) },
		checkedAt: at,
	};
}

// --- release train ----------------------------------------------------------------

export interface PromotionBlocker {
	gate: GateId | 'earlier-environment';
	env: string;
	status: 'pending' | 'fail' | 'missing';
	summary: string;
}

/**
 * What blocks promoting the release to `envName`: earlier environments that
 * are not complete, and every gate `envName` requires that does not pass (or
 * is not waived). Computed gates (sign-offs, transaction version, testnet
 * soak) are evaluated now; the others are read from the release.
 */
export function promotionBlockers(
	release: Release,
	envName: string,
	envs: Array<Pick<Environment, 'name' | 'kind'>>,
	at = new Date().toISOString(),
): PromotionBlocker[] {
	const env = envs.find((e) => e.name === envName);
	if (!env || !release.environments.includes(envName)) {
		return [
			{ gate: 'earlier-environment', env: envName, status: 'missing', summary: `${envName} is not an environment of this release` },
		];
	}
	const blockers: PromotionBlocker[] = [];
	const index = release.environments.indexOf(envName);
	for (const earlier of release.environments.slice(0, index)) {
		const progress = release.progress[earlier];
		const open = progress?.stages.find((s) => s.status !== 'done');
		if (!progress || open) {
			blockers.push({
				gate: 'earlier-environment',
				env: earlier,
				status: 'pending',
				summary: `${earlier} is not complete${open ? ` (${open.id}: ${open.status})` : ''}`,
			});
		}
	}
	for (const id of requirementsOf(release, env)) {
		const gate = evaluateRequirement(release, envName, id, envs, at);
		if (gate.status === 'pass' || gate.status === 'waived') continue;
		blockers.push({
			gate: id,
			env: gate.env,
			status: gate.status === 'fail' ? 'fail' : gate.status === 'missing' ? 'missing' : 'pending',
			summary: gate.summary,
		});
	}
	return blockers;
}

export function evaluateRequirement(
	release: Release,
	env: string,
	id: GateId,
	envs: Array<Pick<Environment, 'name' | 'kind'>>,
	at: string,
): { env: string; status: GateResult['status'] | 'missing'; summary: string } {
	switch (id) {
		case 'signoffs':
			return signoffGate(release, env, at);
		case 'transaction-version':
			return stored(release, env, id) ?? transactionVersionGate(release, env, at);
		case 'testnet-soak':
			return testnetSoakGate(release, env, envs, at);
		case 'release-commit-on-branch':
			return stored(release, env, id) ?? releaseCommitGate(env, release.alignment?.notes, at);
		default: {
			const gate = latestGate(release, env, id);
			if (gate) return gate;
			const how =
				id === 'audits' || id === 'pause'
					? ` (attest it: \`release-console attest ${release.id} --gate ${id} --reference "…"\`)`
					: '';
			return { env, status: 'missing', summary: `${GATE_TITLES[id] ?? id}: not checked yet${how}` };
		}
	}
}

function stored(release: Release, env: string, id: GateId): GateResult | undefined {
	const gate = release.gates.find((g) => g.id === id && g.env === env);
	// A waiver or a failure stands; a pass is re-evaluated from the evidence it needs.
	return gate && gate.status !== 'pending' ? gate : undefined;
}

/** The gates alignment computes for `env`, ready for `gate/set` (stored with their evidence). */
export function alignmentGates(
	release: Release,
	env: string,
	envs: Array<Pick<Environment, 'name' | 'kind'>>,
	at: string,
): GateEvaluation[] {
	const kind = envs.find((e) => e.name === env)?.kind ?? 'local';
	const out: GateEvaluation[] = [transactionVersionGate(release, env, at)];
	if (release.alignment?.notes) out.push(releaseCommitGate(env, release.alignment.notes, at));
	if (release.environments.indexOf(env) > 0 && kind === 'production') out.push(testnetSoakGate(release, env, envs, at));
	if (groupsOf(release, env).length > 0 || requirementsOf(release, { name: env, kind }).includes('signoffs'))
		out.push(signoffGate(release, env, at));
	return out;
}

/**
 * Whether a waiver of env's forward-compatibility gate is offered: only when the gate fails and
 * something waits on it — the artifact stage refuses on testnet and production until it passes or
 * is waived, and promotion waits where the environment requires the gate. On a local environment
 * that does not require it the gate is advice; on a complete environment a waiver changes nothing.
 */
export function compatWaiverOffer(
	release: Release,
	env: Pick<Environment, 'name' | 'kind'>,
): { offered: true } | { offered: false; reason: string } {
	const gate = release.gates.find((g) => g.id === 'forward-compatible' && g.env === env.name);
	if (!gate || gate.status !== 'fail')
		return {
			offered: false,
			reason:
				gate?.status === 'waived' ? 'the gate is waived already' : `the gate is not failing (${gate?.status ?? 'not checked yet'})`,
		};
	const stages = release.progress[env.name]?.stages ?? [];
	if (stages.length > 0 && stages.every((s) => s.status === 'done'))
		return { offered: false, reason: `${env.name} is complete: a waiver would change nothing` };
	if (env.kind === 'local' && !requirementsOf(release, env).includes('forward-compatible'))
		return {
			offered: false,
			reason: `on ${env.name} (local) the gate is advice only: the release goes on and promotion does not require it, so nothing waits on a waiver`,
		};
	return { offered: true };
}
