/**
 * The sample release that `npm start` opens: Rococo 9130 → 9140 on the
 * embedded chain. The 9140 wasm is written from the npm package into the
 * store directory (never copied into the repository).
 */
import path from 'node:path';
import type { Store } from '../store/store.js';
import type { Release } from '../domain/types.js';
import { createRelease, newReleaseId } from '../domain/release.js';
import { builtinDevnetEnvironment } from '../domain/environments.js';

export const SAMPLE_NAME = 'Rococo 9130 → 9140 (sample)';

export async function ensureSampleRelease(store: Store, home: string): Promise<Release> {
	const existing = store.listReleases().find((r) => r.name === SAMPLE_NAME);
	if (existing) return existing;
	const { writeRococoWasm } = await import('../artifact/embedded-runtimes.js');
	const { inspectArtifact, toArtifactInfo } = await import('../artifact/inspect.js');
	const wasm = writeRococoWasm(9140, path.join(home, 'samples'));
	const inspection = await inspectArtifact(wasm);
	const at = new Date().toISOString();
	const env = store.getEnvironment('devnet') ?? builtinDevnetEnvironment();
	const release = createRelease({
		id: newReleaseId('rococo-9140', at),
		name: SAMPLE_NAME,
		artifact: toArtifactInfo(inspection, wasm),
		environments: [env],
		at,
	});
	store.saveRelease(release);
	return release;
}

export const GOVERNANCE_SAMPLE_NAME = 'Governance rehearsal: council → referendum, hash first (sample)';
export const GOVERNANCE_SAMPLE_ENV = 'governance';

/**
 * The second sample: a runtime for the governance devnet (a simulation) that
 * travels council-democracy with the authorize payload — preimage, council
 * motion (Alice, Bob, Charlie), technical-committee fast-track (Alice, Bob,
 * Dave), referendum, enactment, apply — on `embedded:governance`.
 */
export async function ensureGovernanceSample(store: Store, home: string): Promise<Release> {
	const existing = store.listReleases().find((r) => r.name === GOVERNANCE_SAMPLE_NAME);
	if (existing) return existing;
	const { writeFileSync, mkdirSync } = await import('node:fs');
	const { buildDevnetCode } = await import('../devnet/governance/index.js');
	const { inspectArtifact, toArtifactInfo } = await import('../artifact/inspect.js');
	const dir = path.join(home, 'samples');
	mkdirSync(dir, { recursive: true });
	const wasm = path.join(dir, 'governance-devnet-next.wasm');
	writeFileSync(wasm, buildDevnetCode());
	const inspection = await inspectArtifact(wasm);
	const env =
		store.getEnvironment(GOVERNANCE_SAMPLE_ENV) ??
		store.saveEnvironment({
			name: GOVERNANCE_SAMPLE_ENV,
			endpoints: ['embedded:governance'],
			kind: 'local',
			route: 'council-democracy',
			routeOptions: { payload: 'authorize' },
			soak: { minBlocks: 5, minSeconds: 10, maxStallSeconds: 60 },
		});
	const at = new Date().toISOString();
	const release = createRelease({
		id: newReleaseId('governance-rehearsal', at),
		name: GOVERNANCE_SAMPLE_NAME,
		artifact: toArtifactInfo(inspection, wasm),
		environments: [env],
		at,
	});
	store.saveRelease(release);
	return release;
}
