/**
 * The sample release that `npm start` opens: Rococo 9130 → 9140 on the
 * embedded chain. The 9140 wasm is written from the npm package into the
 * store directory (never copied into the repository).
 */
import path from 'node:path';
import type { Store } from '../store/store.js';
import type { Release } from '../release/types.js';
import { createRelease, newReleaseId } from '../release/release.js';
import { builtinDevnetEnvironment } from '../release/environments.js';

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
	const release = createRelease({ id: newReleaseId('rococo-9140', at), name: SAMPLE_NAME, artifact: toArtifactInfo(inspection, wasm), environments: [env], at });
	store.saveRelease(release);
	return release;
}
