/**
 * The sample releases the console creates on first start (and on `n`): Rococo
 * 9130 → 9140 on the embedded chain, the governance rehearsal, and the relay +
 * asset hub release on the embedded network. The 9140
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

export const NETWORK_SAMPLE_NAME = 'Relay + Asset Hub, one proposal (sample)';
export const NETWORK_RELAY_ENV = 'rococo-network';
export const NETWORK_PARA_ENV = 'asset-hub';

/**
 * The third sample: a release of two runtimes on the embedded network — the
 * relay Rococo 9130 → 9140 and the asset hub (statemine 900 as para 1000). One
 * relay sudo call upgrades the relay and authorizes the asset hub's code
 * (utility.batchAll of system.setCode and an XCM Transact); the asset hub then
 * applies it (unsigned) and takes it when the relay says go. No newer statemine
 * exists offline: its "new" runtime is a byte-different copy of 900, and the
 * console says the spec version did not increase.
 */
export async function ensureNetworkSample(store: Store, home: string): Promise<Release> {
	const existing = store.listReleases().find((r) => r.name === NETWORK_SAMPLE_NAME);
	if (existing) return existing;
	const { writeRococoWasm, writeAssetHubWasm } = await import('../artifact/embedded-runtimes.js');
	const { inspectArtifact, toArtifactInfo } = await import('../artifact/inspect.js');
	const dir = path.join(home, 'samples');
	const relayWasm = writeRococoWasm(9140, dir);
	const hubWasm = writeAssetHubWasm(dir, 'rebuilt');
	const [relayInfo, hubInfo] = [
		toArtifactInfo(await inspectArtifact(relayWasm), relayWasm),
		toArtifactInfo(await inspectArtifact(hubWasm), hubWasm),
	];
	const made = store.listReleases().find((r) => r.name === NETWORK_SAMPLE_NAME);
	if (made) return made;
	const soak = { minBlocks: 5, minSeconds: 10, maxStallSeconds: 60 };
	const relay =
		store.getEnvironment(NETWORK_RELAY_ENV) ??
		store.saveEnvironment({ name: NETWORK_RELAY_ENV, endpoints: ['embedded:rococo-network'], kind: 'local', route: 'sudo', soak });
	const hub =
		store.getEnvironment(NETWORK_PARA_ENV) ??
		store.saveEnvironment({
			name: NETWORK_PARA_ENV,
			endpoints: ['embedded:asset-hub-rococo'],
			kind: 'local',
			route: 'parachain',
			parachain: { relay: NETWORK_RELAY_ENV, paraId: 1000 },
			soak,
		});
	const at = new Date().toISOString();
	const release = createRelease({
		id: newReleaseId('relay-asset-hub', at),
		name: NETWORK_SAMPLE_NAME,
		artifact: relayInfo,
		environments: [relay, hub],
		runtimes: { [relay.name]: relayInfo, [hub.name]: hubInfo },
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
 * Make the samples that are missing (the network and governance ones first, so
 * the Rococo one, newest, is listed on top). Calls on the same store while one
 * runs get that run's outcome; nothing is ever made twice.
 */
export function ensureSamples(
	store: Store,
	home: string,
	options: { governance?: boolean; network?: boolean } = {},
): Promise<SamplesOutcome> {
	const current = running.get(store);
	if (current) return current;
	const run = (async (): Promise<SamplesOutcome> => {
		const outcome: SamplesOutcome = { open: '', created: [], existing: [], failed: [] };
		const names = new Set(store.listReleases().map((r) => r.name));
		const note = (release: Release) =>
			(names.has(release.name) ? outcome.existing : outcome.created).push({ id: release.id, name: release.name });
		if (options.network !== false) {
			try {
				note(await ensureNetworkSample(store, home));
			} catch (error) {
				outcome.failed.push({ name: NETWORK_SAMPLE_NAME, message: (error as Error).message });
			}
		}
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
