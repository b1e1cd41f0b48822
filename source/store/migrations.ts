/**
 * Store schema history.
 *
 * Schema 0 (release-console 0.0.x, before `schemaVersion` existed):
 *   - environments were `{ name, endpoint: string, kind, route, genesisHash?, soak? }`
 *     with a single endpoint and an optional soak policy (the kind default applied);
 *   - releases had no `gates` list, and env progress had no `intents` list.
 * Schema 1: `endpoints: string[]`, `soak` always present, `gates: []`, `intents: []`,
 *   and a top-level `schemaVersion: 1`.
 */
import { defaultSoakPolicy } from '../domain/environments.js';
import type { EnvironmentKind } from '../domain/types.js';

export const SCHEMA_VERSION = 1;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function migrateEnvironment(name: string, input: unknown): unknown {
	if (!isRecord(input)) return input;
	const env: Json = { ...input };
	if (env.name === undefined) env.name = name;
	if (!Array.isArray(env.endpoints)) {
		const single = env.endpoint;
		env.endpoints = typeof single === 'string' && single !== '' ? [single] : [];
	}
	delete env.endpoint;
	if (!isRecord(env.soak) && typeof env.kind === 'string' && ['local', 'testnet', 'production'].includes(env.kind)) {
		env.soak = defaultSoakPolicy(env.kind as EnvironmentKind);
	}
	return env;
}

function migrateRelease(input: unknown): unknown {
	if (!isRecord(input)) return input;
	const release: Json = { ...input };
	if (!Array.isArray(release.gates)) release.gates = [];
	if (!Array.isArray(release.audit)) release.audit = [];
	if (isRecord(release.progress)) {
		const progress: Json = {};
		for (const [env, p] of Object.entries(release.progress)) {
			progress[env] = isRecord(p) && !Array.isArray(p.intents) ? { ...p, intents: [] } : p;
		}
		release.progress = progress;
	}
	return release;
}

/** Pure v0 → v1 transform of the whole file content (internal conf keys are kept as they are). */
export function migrateV0toV1(data: Json): Json {
	const out: Json = { ...data };
	const environments = isRecord(data.environments) ? data.environments : {};
	out.environments = Object.fromEntries(Object.entries(environments).map(([name, env]) => [name, migrateEnvironment(name, env)]));
	const releases = isRecord(data.releases) ? data.releases : {};
	out.releases = Object.fromEntries(Object.entries(releases).map(([id, r]) => [id, migrateRelease(r)]));
	out.schemaVersion = 1;
	return out;
}
