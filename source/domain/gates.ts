/**
 * Pure gate evaluators. Each returns a GateResult without a waiver; the
 * reducer's `gate/set` keeps or drops an existing waiver.
 *
 * `at` (ISO time of the check) is optional to match the simple call shape;
 * pass it to stay deterministic. `soakGate` derives it from `nowMs`.
 */
import type { Environment, GateResult, Hex, SoakPolicy, SoakProgress } from './types.js';

export type GateEvaluation = Omit<GateResult, 'waiver'>;

type EnvRef = string | Pick<Environment, 'name'>;

function envName(env: EnvRef): string {
	return typeof env === 'string' ? env : env.name;
}

function stamp(at: string | undefined): string {
	return at ?? new Date().toISOString();
}

/** 45 → "45s", 90 → "1m30s", 3720 → "1h02m", 21600 → "6h00m". Negative/NaN → "0s". */
export function formatDuration(seconds: number): string {
	const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
	if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
	return `${s}s`;
}

export function specNameGate(env: EnvRef, artifactSpecName: string, chainSpecName: string | undefined, at?: string): GateEvaluation {
	const base = { id: 'spec-name' as const, env: envName(env), checkedAt: stamp(at) };
	const evidence = { artifact: artifactSpecName, chain: chainSpecName ?? null };
	if (chainSpecName === undefined) {
		return { ...base, status: 'pending', summary: 'waiting for the chain runtime version', evidence };
	}
	if (artifactSpecName === chainSpecName) {
		return { ...base, status: 'pass', summary: `spec name ${artifactSpecName} matches the chain`, evidence };
	}
	return {
		...base,
		status: 'fail',
		summary: `artifact is for ${artifactSpecName} but the chain runs ${chainSpecName}`,
		evidence,
	};
}

export function specVersionGate(
	env: EnvRef,
	artifactSpecVersion: number,
	chainSpecVersion: number | undefined,
	at?: string,
): GateEvaluation {
	const base = { id: 'spec-version' as const, env: envName(env), checkedAt: stamp(at) };
	const evidence = { artifact: artifactSpecVersion, chain: chainSpecVersion ?? null };
	if (chainSpecVersion === undefined) {
		return { ...base, status: 'pending', summary: 'waiting for the chain runtime version', evidence };
	}
	if (artifactSpecVersion > chainSpecVersion) {
		return {
			...base,
			status: 'pass',
			summary: `spec version ${chainSpecVersion} → ${artifactSpecVersion}`,
			evidence,
		};
	}
	const summary =
		artifactSpecVersion === chainSpecVersion
			? `the chain already runs spec version ${chainSpecVersion}; the artifact must increase it`
			: `artifact spec version ${artifactSpecVersion} is lower than the chain's ${chainSpecVersion} (a downgrade)`;
	return { ...base, status: 'fail', summary, evidence };
}

/** The wasm on disk must still hash to what was recorded when the release was created. */
export function integrityGate(env: EnvRef, recordedHash: Hex, currentHash: Hex | undefined, at?: string): GateEvaluation {
	const base = { id: 'artifact-integrity' as const, env: envName(env), checkedAt: stamp(at) };
	const evidence = { recorded: recordedHash, current: currentHash ?? null };
	if (currentHash === undefined) {
		return { ...base, status: 'pending', summary: 'artifact not re-hashed yet', evidence };
	}
	if (recordedHash.toLowerCase() === currentHash.toLowerCase()) {
		return { ...base, status: 'pass', summary: `artifact still hashes to ${short(recordedHash)}`, evidence };
	}
	return {
		...base,
		status: 'fail',
		summary: `artifact changed since the release was created: ${short(currentHash)} instead of ${short(recordedHash)}`,
		evidence,
	};
}

function short(hash: string): string {
	return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash;
}

export interface SoakEvaluation {
	/** Blocks produced after the start block. */
	blocksDone: number;
	/** Seconds between the start block and the latest block seen. */
	secondsDone: number;
	met: boolean;
	stalled: boolean;
	remainingBlocks: number;
	remainingSeconds: number;
	longestStallSeconds: number;
	/** Seconds since the latest block, at `nowMs`. */
	currentGapSeconds: number;
}

/**
 * Where the soak stands. Time is measured on block evidence (latest block's
 * time − start), not on the wall clock, so a chain that stops producing blocks
 * does not "finish" its soak. While the soak is not met, a current silence
 * longer than `maxStallSeconds` also counts as a stall.
 */
export function evaluateSoak(policy: SoakPolicy, soak: SoakProgress | undefined, nowMs: number): SoakEvaluation {
	if (!soak) {
		return {
			blocksDone: 0,
			secondsDone: 0,
			met: false,
			stalled: false,
			remainingBlocks: policy.minBlocks,
			remainingSeconds: policy.minSeconds,
			longestStallSeconds: 0,
			currentGapSeconds: 0,
		};
	}
	const startMs = Date.parse(soak.startedAt);
	const lastMs = Date.parse(soak.lastBlockAt);
	const blocksDone = Math.max(0, soak.lastBlock - soak.startBlock);
	const secondsDone = Math.max(0, (lastMs - startMs) / 1000);
	const met = blocksDone >= policy.minBlocks && secondsDone >= policy.minSeconds;
	const currentGapSeconds = Math.max(0, (nowMs - lastMs) / 1000);
	const stalled = soak.longestStallSeconds > policy.maxStallSeconds || (!met && currentGapSeconds > policy.maxStallSeconds);
	return {
		blocksDone,
		secondsDone,
		met,
		stalled,
		remainingBlocks: Math.max(0, policy.minBlocks - blocksDone),
		remainingSeconds: Math.max(0, policy.minSeconds - secondsDone),
		longestStallSeconds: soak.longestStallSeconds,
		currentGapSeconds,
	};
}

export function soakGate(env: EnvRef, policy: SoakPolicy, soak: SoakProgress | undefined, nowMs: number): GateEvaluation {
	const base = { id: 'soak' as const, env: envName(env), checkedAt: new Date(nowMs).toISOString() };
	const e = evaluateSoak(policy, soak, nowMs);
	const evidence = {
		blocks: e.blocksDone,
		seconds: Math.floor(e.secondsDone),
		longestStall: e.longestStallSeconds,
		minBlocks: policy.minBlocks,
		minSeconds: policy.minSeconds,
		maxStallSeconds: policy.maxStallSeconds,
	};
	const progress = `${e.blocksDone}/${policy.minBlocks} blocks, ${formatDuration(e.secondsDone)}/${formatDuration(policy.minSeconds)}`;
	if (!soak) {
		return { ...base, status: 'pending', summary: `soak not started; ${progress}`, evidence };
	}
	if (e.stalled) {
		const stall =
			soak.longestStallSeconds > policy.maxStallSeconds
				? `the chain stalled for ${formatDuration(soak.longestStallSeconds)}`
				: `no block for ${formatDuration(e.currentGapSeconds)}`;
		return {
			...base,
			status: 'fail',
			summary: `${stall} (max ${formatDuration(policy.maxStallSeconds)}); ${progress}`,
			evidence: { ...evidence, currentGap: Math.floor(e.currentGapSeconds) },
		};
	}
	if (e.met) {
		return { ...base, status: 'pass', summary: progress, evidence };
	}
	return { ...base, status: 'pending', summary: progress, evidence };
}

/**
 * Fold a new block into the soak. The first call starts the soak at that block.
 * Blocks at or below the latest one (re-orgs, duplicates) are ignored. When
 * blocks were skipped (e.g. after a reconnect), the gap is spread evenly over
 * the skipped blocks: a lower bound of the longest gap, so a missed stretch is
 * not mistaken for a stall.
 */
export function updateSoak(prev: SoakProgress | undefined, blockNumber: number, blockAtMs: number): SoakProgress {
	const at = new Date(blockAtMs).toISOString();
	if (!prev) {
		return { startBlock: blockNumber, startedAt: at, lastBlock: blockNumber, lastBlockAt: at, longestStallSeconds: 0 };
	}
	if (blockNumber <= prev.lastBlock) return prev;
	const gapSeconds = Math.max(0, (blockAtMs - Date.parse(prev.lastBlockAt)) / 1000);
	const perBlock = gapSeconds / (blockNumber - prev.lastBlock);
	return {
		...prev,
		lastBlock: blockNumber,
		lastBlockAt: blockAtMs >= Date.parse(prev.lastBlockAt) ? at : prev.lastBlockAt,
		longestStallSeconds: Math.max(prev.longestStallSeconds, perBlock),
	};
}

/** What a fork rehearsal found (engine/rehearsal.ts), as the gate keeps it. */
export interface ForkRehearsalEvidence {
	codeHash: Hex;
	forkedAt: { number: number; hash: string };
	verdict: 'passed' | 'failed';
	failure?: string;
	specAfter?: number;
	/** blake2-256 of the whole report as JSON. */
	digest: Hex;
}

/**
 * The upgrade was dry-run on a fork of this environment's chain: required on
 * production before the first signed step (or waived in writing). Without a
 * rehearsal of this code hash it fails with what to run.
 */
export function forkRehearsalGate(env: EnvRef, codeHash: Hex, evidence: ForkRehearsalEvidence | undefined, at?: string): GateEvaluation {
	const base = { id: 'fork-rehearsal' as const, env: envName(env), checkedAt: stamp(at) };
	if (!evidence || evidence.codeHash !== codeHash)
		return {
			...base,
			status: 'fail',
			summary: `code ${codeHash.slice(0, 10)}… has not been rehearsed on a fork of ${envName(env)}`,
			evidence: { codeHash, rehearsed: evidence ? { codeHash: evidence.codeHash } : null },
		};
	if (evidence.verdict === 'passed')
		return {
			...base,
			status: 'pass',
			summary: `rehearsed on a fork at #${evidence.forkedAt.number}: passed${evidence.specAfter !== undefined ? ` (spec ${evidence.specAfter} after)` : ''}`,
			evidence: { ...evidence },
		};
	return {
		...base,
		status: 'fail',
		summary: `the rehearsal on a fork at #${evidence.forkedAt.number} failed: ${evidence.failure ?? 'see its report'}`,
		evidence: { ...evidence },
	};
}

/** Runtime APIs a node calls on every chain (where the live runtime has them, the new one must too). */
export const REQUIRED_RUNTIME_APIS = [
	'Core',
	'Metadata',
	'BlockBuilder',
	'TaggedTransactionQueue',
	'OffchainWorkerApi',
	'SessionKeys',
	'AccountNonceApi',
	'TransactionPaymentApi',
	'AuraApi',
	'BabeApi',
	'GrandpaApi',
] as const;
/** APIs of a build for testing, not for a live chain (`try-runtime`, `runtime-benchmarks` features). */
export const DEV_ONLY_RUNTIME_APIS = ['TryRuntime', 'Benchmark'] as const;

/**
 * The runtime APIs of the artifact against the live runtime's, by name: a required API (the node's
 * block production, import, transaction pool, consensus) the chain's runtime has and the artifact
 * lacks, and a dev-only API (a try-runtime or benchmarking build), fail on testnet and production
 * and are named as advice on local. `chainApis` undefined: the live runtime's APIs were not read (nothing is
 * required then but what the artifact is checked for).
 */
export function runtimeApisGate(
	env: EnvRef,
	kind: Environment['kind'],
	artifactApis: readonly string[],
	chainApis: readonly string[] | undefined,
	at?: string,
): GateEvaluation {
	const base = { id: 'runtime-apis' as const, env: envName(env), checkedAt: stamp(at) };
	const has = new Set(artifactApis);
	const missing = REQUIRED_RUNTIME_APIS.filter((a) => (chainApis ?? []).includes(a) && !has.has(a));
	const dev = DEV_ONLY_RUNTIME_APIS.filter((a) => has.has(a));
	const evidence = { missing, devOnly: dev, artifact: [...artifactApis] };
	const problems = [
		...(missing.length > 0 ? [`the artifact lacks ${missing.join(', ')}, which the live runtime has: the node calls them`] : []),
		...(dev.length > 0
			? [`it carries the dev-only ${dev.join(', ')} API${dev.length > 1 ? 's' : ''} (a try-runtime or benchmarking build)`]
			: []),
	];
	if (problems.length === 0)
		return {
			...base,
			status: 'pass',
			summary: `runtime APIs: the ones the node needs are there, no dev-only ones (${artifactApis.length} APIs)`,
			evidence,
		};
	// On local environments (dev chains, simulations) it is advice; on testnet and production it blocks.
	const advice = kind === 'local';
	return { ...base, status: advice ? 'pass' : 'fail', summary: `${advice ? 'advice: ' : ''}${problems.join('; ')}`, evidence };
}

/** `u32::MAX`: the metadata version a runtime offers as "unstable" (not a format a tool can rely on). */
export const UNSTABLE_METADATA_VERSION = 0xffff_ffff;

const versionText = (versions: readonly number[]) =>
	versions.length === 0 ? 'none' : versions.map((v) => (v === UNSTABLE_METADATA_VERSION ? 'unstable' : `v${v}`)).join(', ');

/**
 * The metadata versions the artifact offers (`Metadata_metadata_versions`, or the one `Metadata_metadata`
 * returns) against the live runtime's: a version the live runtime offers and the artifact drops (v15 → only
 * v14) is a regression for every wallet and tool that asks for it, and a runtime without v14 or later has
 * no portable type registry. The unstable version (u32::MAX) is shown but never required. `liveVersions`
 * undefined: the live runtime's were not read (only the artifact's own are checked then). Advice on local
 * environments, failing on testnet and production.
 */
export function metadataVersionsGate(
	env: EnvRef,
	kind: Environment['kind'],
	artifactVersions: readonly number[],
	liveVersions: readonly number[] | undefined,
	at?: string,
): GateEvaluation {
	const base = { id: 'metadata-versions' as const, env: envName(env), checkedAt: stamp(at) };
	const stable = (vs: readonly number[]) => vs.filter((v) => v !== UNSTABLE_METADATA_VERSION);
	const offered = new Set(artifactVersions);
	const dropped = stable(liveVersions ?? []).filter((v) => !offered.has(v));
	const modern = stable(artifactVersions).some((v) => v >= 14);
	const evidence = { artifact: [...artifactVersions], live: liveVersions ? [...liveVersions] : null, dropped };
	const sides = `artifact: ${versionText(artifactVersions)}; live runtime: ${liveVersions ? versionText(liveVersions) : 'not read'}`;
	const problems = [
		...(modern
			? []
			: [`the artifact offers no metadata v14 or later (${versionText(artifactVersions)}): it has no portable type registry`]),
		...(dropped.length > 0 ? [`the artifact drops metadata ${versionText(dropped)}, which the live runtime offers (${sides})`] : []),
	];
	if (problems.length === 0) return { ...base, status: 'pass', summary: `metadata versions: none dropped (${sides})`, evidence };
	const advice = kind === 'local';
	return { ...base, status: advice ? 'pass' : 'fail', summary: `${advice ? 'advice: ' : ''}${problems.join('; ')}`, evidence };
}

/** The signed extension of RFC-78 (a signer commits to the metadata it decoded the transaction with). */
export const CHECK_METADATA_HASH = 'CheckMetadataHash';

/**
 * Where the live chain's transactions carry the `CheckMetadataHash` signed extension, the artifact's must
 * too: without it the new runtime takes transactions of another shape than the signers that check the
 * metadata hash build. A chain that does not use it passes, and the summary says so. `liveExtensions`
 * undefined: the live chain's extensions were not read (nothing is required then). Advice on local
 * environments, failing on testnet and production.
 */
export function checkMetadataHashGate(
	env: EnvRef,
	kind: Environment['kind'],
	artifactExtensions: readonly string[],
	liveExtensions: readonly string[] | undefined,
	at?: string,
): GateEvaluation {
	const base = { id: 'check-metadata-hash' as const, env: envName(env), checkedAt: stamp(at) };
	const inArtifact = artifactExtensions.includes(CHECK_METADATA_HASH);
	const onChain = liveExtensions === undefined ? null : liveExtensions.includes(CHECK_METADATA_HASH);
	const evidence = {
		live: onChain,
		artifact: inArtifact,
		liveExtensions: liveExtensions ? [...liveExtensions] : null,
		artifactExtensions: [...artifactExtensions],
	};
	if (onChain === null)
		return {
			...base,
			status: 'pass',
			summary: `CheckMetadataHash: the live chain's signed extensions were not read; the artifact ${inArtifact ? 'has' : 'does not have'} it`,
			evidence,
		};
	if (!onChain)
		return {
			...base,
			status: 'pass',
			summary: `CheckMetadataHash: not used by this chain${inArtifact ? ' (the artifact adds it)' : ''}`,
			evidence,
		};
	if (inArtifact)
		return { ...base, status: 'pass', summary: 'CheckMetadataHash: the live chain uses it and the artifact keeps it', evidence };
	const advice = kind === 'local';
	return {
		...base,
		status: advice ? 'pass' : 'fail',
		summary: `${advice ? 'advice: ' : ''}the live chain's signed extensions include CheckMetadataHash and the artifact's do not (${artifactExtensions.join(', ') || 'none'})`,
		evidence,
	};
}
