import { ReleaseError } from './errors.js';
import { STAGE_INFO, stagesFor } from './stages.js';
import type { ArtifactInfo, ChainDifference, Environment, EnvProgress, GateResult, Release, StageId, StageProgress } from './types.js';

export interface CreateReleaseInput {
	id: string;
	name: string;
	artifact: ArtifactInfo;
	/** In travel order. */
	environments: Environment[];
	/** Per environment, a runtime other than `artifact` (a release of several chains). */
	runtimes?: Record<string, ArtifactInfo>;
	at: string;
}

export function createRelease({ id, name, artifact, environments, runtimes, at }: CreateReleaseInput): Release {
	if (!id || !id.trim()) throw new ReleaseError('invalid-release', 'a release needs an id');
	if (!name || !name.trim()) throw new ReleaseError('invalid-release', 'a release needs a name', 'e.g. "spec 1002"');
	if (environments.length === 0) {
		throw new ReleaseError('invalid-release', `release ${name} has no environments`, 'pick at least one environment to travel');
	}
	const names = environments.map((e) => e.name);
	const duplicate = names.find((n, i) => names.indexOf(n) !== i);
	if (duplicate) {
		throw new ReleaseError('invalid-release', `environment ${duplicate} is listed twice in release ${name}`);
	}
	const unknown = Object.keys(runtimes ?? {}).find((n) => !names.includes(n));
	if (unknown) {
		throw new ReleaseError(
			'invalid-release',
			`a runtime is given for ${unknown}, which release ${name} does not travel`,
			`its environments: ${names.join(', ')}`,
		);
	}
	for (const env of environments) {
		if (env.route !== 'parachain') continue;
		const relay = env.parachain?.relay;
		if (!relay)
			throw new ReleaseError(
				'invalid-release',
				`parachain environment ${env.name} names no relay environment`,
				`set it: release-console env add ${env.name} --route parachain --relay ENV --para-id N`,
			);
	}
	const own = (env: string) => runtimes?.[env] ?? artifact;
	const progress: Record<string, EnvProgress> = {};
	for (const env of environments) {
		progress[env.name] = {
			env: env.name,
			route: env.route,
			stages: stagesFor(env.route, env.routeOptions).map((stage) => ({ id: stage, status: 'pending' })),
			intents: [],
		};
	}
	return {
		id,
		name: name.trim(),
		createdAt: at,
		updatedAt: at,
		artifact: { ...artifact },
		...(runtimes && Object.keys(runtimes).length > 0 ? { runtimes: structuredClone(runtimes) } : {}),
		environments: names,
		progress,
		gates: [],
		audit: [
			{
				at,
				action: 'created',
				detail: runtimes
					? `release ${name.trim()} created: ${environments
							.map(
								(e) =>
									`${e.name} (${e.kind}, ${e.route}) → ${own(e.name).specName} spec ${own(e.name).specVersion}, code ${own(e.name).codeHash}`,
							)
							.join('; ')}`
					: `release ${name.trim()} created: ${artifact.specName} spec ${artifact.specVersion}, code ${artifact.codeHash}, ` +
						`through ${environments.map((e) => `${e.name} (${e.kind}, ${e.route})`).join(' → ')}`,
			},
		],
	};
}

/** The runtime an environment of the release upgrades to: its own in a release of several chains, else the release's. */
export function artifactFor(release: Release, env: string): ArtifactInfo {
	return release.runtimes?.[env] ?? release.artifact;
}

/** The distinct runtimes a release ships, with the environments that take each (one entry for a single-runtime release). */
export function shippedRuntimes(release: Release): { artifact: ArtifactInfo; environments: string[] }[] {
	const out: { artifact: ArtifactInfo; environments: string[] }[] = [];
	for (const env of release.environments) {
		const artifact = artifactFor(release, env);
		const entry = out.find((o) => o.artifact.codeHash === artifact.codeHash);
		if (entry) entry.environments.push(env);
		else out.push({ artifact, environments: [env] });
	}
	return out;
}

/** "Spec 1002: fix staking!" → "spec-1002-fix-staking" (max 40 chars, never empty). */
export function slugify(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/g, '');
	return slug || 'release';
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `<slug>-<yyyymmdd>-<4 random chars>`, e.g. `spec-1002-20250314-k3f9`.
 * `random` returns numbers in [0, 1) (default Math.random); pass one for determinism.
 */
export function newReleaseId(name: string, at: string, random: () => number = Math.random): string {
	const date = new Date(at);
	const day = Number.isNaN(date.getTime()) ? 'undated' : date.toISOString().slice(0, 10).replace(/-/g, '');
	let suffix = '';
	for (let i = 0; i < 4; i++) {
		const n = Math.floor(random() * SUFFIX_ALPHABET.length);
		suffix += SUFFIX_ALPHABET[Math.min(Math.max(n, 0), SUFFIX_ALPHABET.length - 1)];
	}
	return `${slugify(name)}-${day}-${suffix}`;
}

function envProgress(release: Release, env: string): EnvProgress {
	const progress = release.progress[env];
	if (!progress) {
		throw new ReleaseError(
			'unknown-env',
			`environment ${env} is not part of release ${release.id} (it travels ${release.environments.join(', ')})`,
		);
	}
	return progress;
}

/** The first stage of env that is not done; undefined when env is complete. */
export function currentStage(release: Release, env: string): StageProgress | undefined {
	return envProgress(release, env).stages.find((s) => s.status !== 'done');
}

export function isEnvComplete(release: Release, env: string): boolean {
	return currentStage(release, env) === undefined;
}

/** What the last read of env's chain found that the release recorded and the chain does not show; empty when it agreed. */
export function chainDifferences(release: Release, env: string): ChainDifference[] {
	const check = release.progress[env]?.chain?.lastCheck;
	return check && !check.agrees ? check.differences : [];
}

export function isReleaseComplete(release: Release): boolean {
	return release.environments.every(
		(env) => release.progress[env] && isEnvComplete(release, env) && chainDifferences(release, env).length === 0,
	);
}

/** The first environment (in travel order) that is not complete. */
export function nextEnvironment(release: Release): string | undefined {
	return release.environments.find((env) => !release.progress[env] || !isEnvComplete(release, env));
}

/** Gates of env that block progress: failing and not waived. */
export function blockingGates(release: Release, env: string): GateResult[] {
	return release.gates.filter((g) => g.env === env && g.status === 'fail');
}

export interface EnvSummary {
	env: string;
	complete: boolean;
	/** Undefined when complete. */
	currentStage?: StageId;
	stagesDone: number;
	stagesTotal: number;
	failingGates: string[];
	/** e.g. "upgrade: waiting — in block pool, nonce 4 · gate spec-version failing" or "complete". */
	statusLine: string;
}

/**
 * One line per environment for lists. `advice` says which failing gates only
 * advise there (a `local` environment's forward-compatibility check): they are
 * named as advice, not as failures.
 */
export function releaseSummary(release: Release, advice: (env: string, gate: GateResult['id']) => boolean = () => false): EnvSummary[] {
	return release.environments.map((env) => {
		const progress = release.progress[env];
		const failing = blockingGates(release, env);
		const failingGates = failing.filter((g) => !advice(env, g.id)).map((g) => g.id);
		const advised = failing.filter((g) => advice(env, g.id)).map((g) => g.id);
		const gateNote =
			(failingGates.length > 0 ? ` · ${failingGates.length === 1 ? 'gate' : 'gates'} ${failingGates.join(', ')} failing` : '') +
			(advised.length > 0 ? ` · advice: ${advised.join(', ')}` : '');
		if (!progress) {
			return {
				env,
				complete: false,
				stagesDone: 0,
				stagesTotal: 0,
				failingGates,
				statusLine: `not started${gateNote}`,
			};
		}
		const stage = progress.stages.find((s) => s.status !== 'done');
		const stagesDone = progress.stages.filter((s) => s.status === 'done').length;
		const base = { env, stagesDone, stagesTotal: progress.stages.length, failingGates };
		const differences = chainDifferences(release, env);
		if (!stage && differences.length > 0) {
			// Never "complete" while the chain, as last read, does not show it.
			return { ...base, complete: false, statusLine: `the chain does not show it: ${differences[0]!.message}${gateNote}` };
		}
		if (!stage) {
			return { ...base, complete: true, statusLine: `complete${gateNote}` };
		}
		const title = STAGE_INFO[stage.id]?.title ?? stage.id;
		return {
			...base,
			complete: false,
			currentStage: stage.id,
			statusLine: `${title.toLowerCase()}: ${stage.status}${stage.detail ? ` — ${stage.detail}` : ''}${gateNote}`,
		};
	});
}

/**
 * The environment to work on: the one asked for, else the first the release
 * has not finished, else its first. Undefined when the release does not travel it.
 */
export function pickEnvironment(release: Release, requested?: string): string | undefined {
	const name = requested ?? release.environments.find((e) => currentStage(release, e)) ?? release.environments[0];
	return name && release.environments.includes(name) ? name : undefined;
}
