/**
 * One review, start to end: chain findings (fetch.ts), the reviewer's wasm
 * and/or release record, the verdict (verdict.ts), the live vote state and
 * the reviewer's role. Shared by `release-console review` and the review screen.
 */
import type { RemoteDecoder } from './decode.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import type { Environment, Hex } from '../domain/types.js';
import { readArtifact } from '../artifact/read.js';
import { compatibilityGate } from '../engine/stages/artifact.js';
import { readRole, readUpgradeVersions, readVoteState, reviewChain, type ChainReview } from './fetch.js';
import { ReviewInputError } from './target.js';
import { computeVerdict } from './verdict.js';
import { finding } from './findings.js';
import { enactmentWindowFinding, expectedEnactment } from './enactment.js';
import type { DryRunFacts, RecordFacts, ReviewReport, ReviewTarget, UpgradeFinding, WasmFacts } from './types.js';
import type { DryRunPara } from '../engine/rehearsal.js';

export interface ReviewOptions {
	wasmPath?: string;
	recordPath?: string;
	/** The reviewer's address, to show their role (member? voted?). */
	reviewer?: string;
	/** Progress lines ("reading the chain…"). */
	onProgress?: (line: string) => void;
	/** Runtimes of other chains the proposal upgrades through XCM, by destination ("para 1000"). */
	remoteWasms?: Record<string, string>;
	/** Decodes a call an XCM Transact carries to a parachain, with that chain's metadata. */
	decodeRemote?: RemoteDecoder;
	/**
	 * Dry-run what the proposal enacts on a fork of the chain (`--dry-run`): where the fork keeps fetched state;
	 * `paras`, the relay's parachain environments (resolved endpoints): the ones its XCM goes to are forked and followed.
	 */
	dryRun?: { cacheDir: string; noCache?: boolean; blocks?: number; paras?: ParaEndpoint[] };
}

/** A parachain environment of the reviewed relay, with the endpoint it was reached at. */
export interface ParaEndpoint {
	paraId: number;
	env: string;
	endpoint: string;
}

export interface ReviewRun {
	report: ReviewReport;
	chain: ChainReview;
}

export async function readWasmFacts(api: ApiPromise, env: Environment, wasmPath: string): Promise<WasmFacts> {
	const file = path.resolve(wasmPath);
	const artifact = await readArtifact(file);
	const { runtimeVersionOf } = await import('../artifact/version.js');
	const version = await runtimeVersionOf(artifact.code, { module: artifact.module, path: file });
	const live = await api.rpc.state.getRuntimeVersion();
	const facts: WasmFacts = {
		path: file,
		codeHash: artifact.codeHash,
		size: artifact.size,
		specName: version.specName,
		specVersion: version.specVersion,
		transactionVersion: version.transactionVersion,
		live: { specName: live.specName.toString(), specVersion: live.specVersion.toNumber() },
	};
	try {
		const gate = await compatibilityGate(api, env, file);
		const counts = (gate.evidence as { counts?: { breaking?: number } }).counts;
		facts.compat = {
			status: gate.status === 'pass' ? 'pass' : 'fail',
			summary: gate.summary,
			...(counts?.breaking !== undefined ? { breaking: counts.breaking } : {}),
		};
	} catch (error) {
		facts.compat = { status: 'error', summary: (error as Error).message };
	}
	return facts;
}

/** Another chain's runtime (no live chain to compare with here): its hash, size and version. */
export async function readRemoteWasmFacts(wasmPath: string): Promise<WasmFacts> {
	const file = path.resolve(wasmPath);
	const artifact = await readArtifact(file);
	const { runtimeVersionOf } = await import('../artifact/version.js');
	const version = await runtimeVersionOf(artifact.code, { module: artifact.module, path: file });
	return {
		path: file,
		codeHash: artifact.codeHash,
		size: artifact.size,
		specName: version.specName,
		specVersion: version.specVersion,
		transactionVersion: version.transactionVersion,
	};
}

export async function readRecordFacts(recordPath: string): Promise<RecordFacts> {
	const file = path.resolve(recordPath);
	let json: unknown;
	try {
		json = JSON.parse(await readFile(file, 'utf8'));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT')
			throw new ReviewInputError(`no file at ${file}`, 'pass the release record JSON exported by the release engineer');
		throw new ReviewInputError(
			`cannot read ${file} as JSON: ${(error as Error).message}`,
			'pass the release record JSON exported by the release engineer',
		);
	}
	const [{ cryptoWaitReady }, { verifyRecord }] = await Promise.all([
		import('@polkadot/util-crypto'),
		import('../domain/record-verify.js'),
	]);
	await cryptoWaitReady();
	const v = verifyRecord(json);
	const artifact = (json as { release?: { artifact?: { specName?: unknown; specVersion?: unknown; size?: unknown } } }).release?.artifact;
	return {
		path: file,
		ok: v.ok,
		...(v.codeHash ? { codeHash: v.codeHash as Hex } : {}),
		digestOk: v.digestOk,
		signoffs: v.signoffs.map((s) => ({
			group: s.group,
			signer: s.signer,
			decision: s.decision,
			valid: s.valid,
			stale: s.stale,
			...(s.reason ? { reason: s.reason } : {}),
		})),
		groups: v.groups,
		...(typeof artifact?.specName === 'string' ? { specName: artifact.specName } : {}),
		...(typeof artifact?.specVersion === 'number' ? { specVersion: artifact.specVersion } : {}),
		...(typeof artifact?.size === 'number' ? { size: artifact.size } : {}),
		problems: v.problems,
	};
}

/**
 * The parachains the proposal's XCM upgrades (`para N` destinations) that a dry-run follows: those with an
 * environment, each with the code hash the message authorizes and, when the reviewer's wasm for it is that
 * code, the code itself (so the whole para upgrade is rehearsed). The others are named with what to do.
 */
async function followedParas(
	relay: string,
	chain: ChainReview,
	environments: readonly ParaEndpoint[],
	remoteWasms: Record<string, string>,
): Promise<{ paras: DryRunPara[]; unfollowed: string[] }> {
	const paras: DryRunPara[] = [];
	const unfollowed: string[] = [];
	const byDestination = new Map<string, UpgradeFinding[]>();
	for (const u of chain.findings.upgrades)
		if (u.destination) byDestination.set(u.destination, [...(byDestination.get(u.destination) ?? []), u]);
	for (const [destination, upgrades] of byDestination) {
		const paraId = Number(/^para (\d+)$/.exec(destination)?.[1]);
		const at = environments.find((e) => e.paraId === paraId);
		if (!at) {
			unfollowed.push(
				`${destination}: no environment for it, so its fork is not built (add one: release-console env add NAME --route parachain --relay ${relay} --para-id ${Number.isFinite(paraId) ? paraId : 'N'} …)`,
			);
			continue;
		}
		const hashes = [...new Set(upgrades.map((u) => u.codeHash))];
		const expect = hashes.length === 1 ? { codeHash: hashes[0]! } : undefined;
		let code: Uint8Array | undefined;
		const wasm = remoteWasms[destination];
		if (wasm && expect) {
			const artifact = await readArtifact(wasm);
			if (artifact.codeHash === expect.codeHash) code = artifact.bytes;
		}
		paras.push({ paraId, env: at.env, endpoint: at.endpoint, ...(expect ? { expect } : {}), ...(code ? { code } : {}) });
	}
	return { paras, unfollowed };
}

/**
 * Dispatch what the proposal enacts, with its origin, on a fork of the chain behind `endpoint`; what it showed
 * becomes a finding (a failure blocks the vote, a dispatch that could not be tried is a warning).
 */
async function dryRunProposal(
	api: ApiPromise,
	env: Environment,
	endpoint: string,
	chain: ChainReview,
	options: NonNullable<ReviewOptions['dryRun']>,
	progress: (line: string) => void,
	remoteWasms: Record<string, string>,
): Promise<DryRunFacts> {
	const { enactedCall } = await import('./dry-run.js');
	const enacted = await enactedCall(api, env.name, chain);
	if ('reason' in enacted) {
		chain.findings.problems.push(finding('dry-run-not-run', `not dry-run: ${enacted.reason}`));
		return { notRun: enacted.reason };
	}
	progress(`dry-running ${enacted.what} on a fork of ${env.name}…`);
	const { dryRunOnFork } = await import('../engine/rehearsal.js');
	const { paras, unfollowed } = await followedParas(env.name, chain, options.paras ?? [], remoteWasms);
	try {
		const {
			report,
			paras: paraReports,
			cache,
		} = await dryRunOnFork({
			endpoint,
			plan: enacted.plan,
			...(paras.length > 0 ? { paras } : {}),
			cacheDir: options.cacheDir,
			...(options.noCache ? { noCache: true } : {}),
			...(options.blocks !== undefined ? { blocks: options.blocks } : {}),
			onProgress: (line) => progress(`  ${line}`),
		});
		if (report.notRun) chain.findings.problems.push(finding('dry-run-not-run', `not dry-run: ${report.failure}`));
		else if (report.verdict === 'failed')
			chain.findings.problems.push(finding('dry-run-failed', `the dry-run failed: ${report.failure}`));
		for (const p of paraReports)
			if (p.verdict === 'failed' && !p.notRun)
				chain.findings.problems.push(finding('dry-run-failed', `the dry-run failed on ${p.env}: ${p.failure}`));
		return {
			what: enacted.what,
			report,
			...(paraReports.length > 0 ? { paras: paraReports } : {}),
			...(unfollowed.length > 0 ? { unfollowed } : {}),
			cache,
			...(report.notRun && report.failure ? { notRun: report.failure } : {}),
		};
	} catch (error) {
		const why = `${env.name} cannot be forked here: ${(error as Error).message}`;
		chain.findings.problems.push(finding('dry-run-not-run', `not dry-run: ${why}`));
		return { what: enacted.what, notRun: why };
	}
}

export async function runReview(
	api: ApiPromise,
	env: Environment,
	endpoint: string,
	target: ReviewTarget,
	options: ReviewOptions = {},
): Promise<ReviewRun> {
	const progress = options.onProgress ?? (() => {});
	// Read the reviewer's files first: a bad path is bad input, found before any chain work.
	progress('reading the release record…');
	const record = options.recordPath ? await readRecordFacts(options.recordPath) : undefined;
	if (options.wasmPath) await readArtifact(path.resolve(options.wasmPath));
	for (const file of Object.values(options.remoteWasms ?? {})) await readArtifact(file);
	const { holdExecutor } = await import('../artifact/executor.js');
	const release = holdExecutor();
	try {
		progress('following the proposal on chain…');
		const chain = await reviewChain(api, target, options.decodeRemote);
		progress('reading the version of the code on chain…');
		await readUpgradeVersions(chain);
		let wasm: WasmFacts | undefined;
		if (options.wasmPath) {
			progress('inspecting your wasm against the live runtime…');
			wasm = await readWasmFacts(api, env, options.wasmPath);
			const live = wasm.live!;
			if (wasm.specName !== live.specName) {
				chain.findings.problems.push(
					finding(
						'wasm-spec-name',
						`your wasm is for ${wasm.specName}, but the chain runs ${live.specName}: an upgrade to it would fail`,
					),
				);
			} else if (wasm.specVersion <= live.specVersion) {
				chain.findings.problems.push(
					finding(
						'wasm-spec-version',
						`your wasm's spec version ${wasm.specVersion} does not increase on the live ${live.specVersion}: setCode with checks would fail`,
					),
				);
			}
		}
		const remote: Record<string, WasmFacts> = {};
		for (const [destination, file] of Object.entries(options.remoteWasms ?? {})) {
			progress(`inspecting your wasm for ${destination}…`);
			remote[destination] = await readRemoteWasmFacts(file);
		}
		const dryRun = options.dryRun
			? await dryRunProposal(api, env, endpoint, chain, options.dryRun, progress, options.remoteWasms ?? {})
			: undefined;
		const verdict = computeVerdict(chain.findings, wasm, record, remote);
		progress('reading the vote…');
		const voteState = await readVoteState(api, chain.resolved);
		// The release window is production's: a devnet or testnet may enact whenever it likes.
		if (env.kind === 'production' && expectedEnactment(voteState)) {
			const { chainBlockTime } = await import('../chain/block-time.js');
			const time = await chainBlockTime(api);
			const outside = enactmentWindowFinding(voteState, { block: time.best, ms: time.bestAt, blockMs: time.ms });
			if (outside) chain.findings.problems.push(outside);
		}
		const role = options.reviewer ? await readRole(api, chain.resolved, voteState, options.reviewer) : undefined;
		return {
			report: {
				verdict,
				findings: chain.findings,
				...(wasm ? { wasm } : {}),
				...(record ? { record } : {}),
				voteState,
				...(role ? { role } : {}),
				env: { name: env.name, kind: env.kind, endpoint },
				...(dryRun ? { dryRun } : {}),
			},
			chain,
		};
	} finally {
		await release();
	}
}
