/**
 * The sample releases the console creates on first start (and on `n`): Rococo
 * 9130 → 9140 on the embedded chain, and the governance rehearsal. The 9140
 * wasm is written from the npm package (`rococo-9140`, i.e.
 * `@substrate/connect@0.6.5`: the genesis `:code` of its Rococo chain spec)
 * into `<store dir>/samples/` (never copied into the repository).
 *
 * Creating them is idempotent: a sample is found by its name, looked up again
 * after the (slow) inspection and just before it is saved, and concurrent
 * calls on one store share one run (`ensureSamples`), so a key pressed while
 * the first start is still creating them never makes a second copy.
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
	const made = store.listReleases().find((r) => r.name === SAMPLE_NAME);
	if (made) return made;
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
	const made = store.listReleases().find((r) => r.name === GOVERNANCE_SAMPLE_NAME);
	if (made) return made;
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

export interface SampleRef {
	id: string;
	name: string;
}

/** What `ensureSamples` did: the samples it made, those that were there already, and those it could not make. */
export interface SamplesOutcome {
	/** The Rococo sample (what `--demo` opens). */
	open: string;
	created: SampleRef[];
	existing: SampleRef[];
	failed: { name: string; message: string }[];
}

const running = new WeakMap<Store, Promise<SamplesOutcome>>();

/**
 * Make the samples that are missing (the governance rehearsal first, so the
 * Rococo one, newest, is listed on top). Calls on the same store while one
 * runs get that run's outcome; nothing is ever made twice.
 */
export function ensureSamples(store: Store, home: string, options: { governance?: boolean } = {}): Promise<SamplesOutcome> {
	const current = running.get(store);
	if (current) return current;
	const run = (async (): Promise<SamplesOutcome> => {
		const outcome: SamplesOutcome = { open: '', created: [], existing: [], failed: [] };
		const names = new Set(store.listReleases().map((r) => r.name));
		const note = (release: Release) =>
			(names.has(release.name) ? outcome.existing : outcome.created).push({ id: release.id, name: release.name });
		if (options.governance !== false) {
			try {
				note(await ensureGovernanceSample(store, home));
			} catch (error) {
				outcome.failed.push({ name: GOVERNANCE_SAMPLE_NAME, message: (error as Error).message });
			}
		}
		const rococo = await ensureSampleRelease(store, home);
		note(rococo);
		outcome.open = rococo.id;
		return outcome;
	})();
	running.set(store, run);
	const clear = () => {
		if (running.get(store) === run) running.delete(store);
	};
	run.then(clear, clear);
	return run;
}
