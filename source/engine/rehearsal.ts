/**
 * Rehearse a release's upgrade on a fork of its environment's chain, before
 * anyone signs on the real one: apply it with the origin it will have (Root,
 * reproduced on the fork through its sudo key, made a dev key there), build
 * the upgrade block, the first block under the new runtime (where its
 * migrations run) and N more, and report what the chain showed: events,
 * versions, the time each block took, the runtime's own message if a block
 * could not be built. Talks to the fork through @polkadot/api like to any
 * chain; the real chain is only read (by the fork, for its state).
 */
import { artifactFor } from '../domain/release.js';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Environment, Hex, Release, ReleaseAction } from '../domain/types.js';
import { forkRehearsalGate } from '../domain/gates.js';
import { readArtifact } from '../artifact/read.js';
import { onChainCodeHash } from '../chain/live.js';
import { eventsAt, submitExtrinsic } from '../chain/submit.js';
import { buildSudoSetCode, hasSudo } from '../chain/pallets/sudo.js';
import { messageOf } from '../chain/connect.js';
import { nodeRpc } from '../chain/embedded.js';

export interface RehearsalBlock {
	number: number;
	/** Wall time to build it on the fork. */
	ms: number;
	events: string[];
}

export interface RehearsalReport {
	env: string;
	forkedAt: { number: number; hash: string };
	/** How the upgrade's origin was reproduced on the fork. */
	origin: string;
	codeHash: Hex;
	before: { specName: string; specVersion: number };
	after?: { specName: string; specVersion: number; codeHash: Hex; lastRuntimeUpgrade?: string };
	/** The block that carries the upgrade extrinsic. */
	upgrade?: RehearsalBlock & { codeUpdated: boolean; dispatch: string };
	/** The first block executed by the new runtime: where its migrations run. */
	firstUnderNew?: RehearsalBlock;
	/** The blocks after it. */
	blocks: RehearsalBlock[];
	verdict: 'passed' | 'failed';
	failure?: string;
}

type Rpc = ReturnType<typeof nodeRpc>;

async function build(api: ApiPromise, rpc: Rpc, crashed?: Promise<string>): Promise<RehearsalBlock> {
	const t0 = performance.now();
	// A block that crashes the fork's executor ends its process: that is the finding, not the lost connection
	// the request sees first. Give the process a moment to be seen ending.
	try {
		await Promise.race([
			rpc('dev_newBlock', [{ count: 1 }]),
			...(crashed ? [crashed.then((why) => Promise.reject(new Error(why)))] : []),
		]);
	} catch (error) {
		const why = crashed
			? await Promise.race([crashed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5_000))])
			: undefined;
		throw why ? new Error(why) : error;
	}
	const ms = performance.now() - t0;
	const header = await api.rpc.chain.getHeader();
	const events = (await eventsAt(api, header.hash.toHex() as Hex)).map((e) => `${e.event.section}.${e.event.method}`);
	return { number: header.number.toNumber(), ms: Math.round(ms), events };
}

async function version(api: ApiPromise): Promise<{ specName: string; specVersion: number }> {
	const v = await api.rpc.state.getRuntimeVersion();
	return { specName: v.specName.toString(), specVersion: v.specVersion.toNumber() };
}

export interface RehearseOptions {
	/** Blocks to build after the first block under the new runtime (default 10). */
	blocks?: number;
	forkedAt: { number: number; hash: string };
	onProgress?: (line: string) => void;
	/** Resolves with what happened if the fork's process dies (its executor crashed). */
	crashed?: Promise<string>;
}

/** Run the release's upgrade on the fork behind `api`. Never throws for what the chain did: that is the report. */
export async function rehearseOnFork(
	api: ApiPromise,
	release: Release,
	env: Environment,
	options: RehearseOptions,
): Promise<RehearsalReport> {
	const say = options.onProgress ?? (() => undefined);
	const rpc = nodeRpc(api);
	const before = await version(api);
	const report: RehearsalReport = {
		env: env.name,
		forkedAt: options.forkedAt,
		origin: '',
		codeHash: artifactFor(release, env.name).codeHash,
		before,
		blocks: [],
		verdict: 'failed',
	};
	const fail = (failure: string): RehearsalReport => ({ ...report, verdict: 'failed', failure });
	if (!hasSudo(api))
		return fail(
			'this runtime has no Sudo pallet: Root cannot be reproduced on the fork here (injecting the call into Scheduler.Agenda is not built yet)',
		);
	const artifact = await readArtifact(artifactFor(release, env.name).path);
	if (artifact.codeHash !== artifactFor(release, env.name).codeHash)
		return fail(`the wasm at ${artifactFor(release, env.name).path} changed since the release was created`);

	// Root on the fork: its sudo key becomes //Alice, funded, on the fork only.
	await cryptoWaitReady();
	const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
	await rpc('dev_setStorage', [
		{
			Sudo: { Key: alice.address },
			System: { Account: [[[alice.address], { providers: 1, data: { free: '1000000000000000000000' } }]] },
		},
	]);
	report.origin = `Root through sudo: the fork's Sudo.Key set to //Alice (${alice.address}), on the fork only`;
	say(`forked at #${options.forkedAt.number}; ${report.origin}`);

	const plan = buildSudoSetCode(api, artifact.bytes);
	const meta = { env: env.name, stage: 'upgrade' as const, call: plan.call, callHash: plan.callHash };
	const sent = submitExtrinsic(api, { tx: plan.tx, pair: alice, meta }).catch((error: unknown) => error as Error);
	// The fork builds blocks when asked: one as soon as the extrinsic is in its pool.
	const deadline = Date.now() + 60_000;
	while ((await api.rpc.author.pendingExtrinsics()).length === 0 && Date.now() < deadline) {
		const early = await Promise.race([sent, new Promise((r) => setTimeout(() => r(undefined), 25))]);
		if (early instanceof Error) return fail(`the upgrade extrinsic was not accepted on the fork: ${early.message}`);
	}
	try {
		const block = await build(api, rpc, options.crashed);
		const result = await sent;
		if (result instanceof Error) return fail(`the upgrade extrinsic failed on the fork: ${result.message}`);
		report.upgrade = {
			...block,
			codeUpdated: block.events.includes('system.CodeUpdated'),
			dispatch: result.outcome.error ?? 'Ok',
		};
		say(`#${block.number} upgrade block: ${block.events.join(', ')} (${block.ms} ms)`);
		if (!report.upgrade.codeUpdated)
			return fail(`the upgrade block #${block.number} has no system.CodeUpdated (${report.upgrade.dispatch}): the code was not set`);
	} catch (error) {
		return fail(`the upgrade block could not be built: ${messageOf(error)}`);
	}
	try {
		report.firstUnderNew = await build(api, rpc, options.crashed);
		say(`#${report.firstUnderNew.number} first block under the new runtime (${report.firstUnderNew.ms} ms)`);
	} catch (error) {
		return fail(`the first block under the new runtime could not be built (its migrations run there): ${messageOf(error)}`);
	}
	const after = await version(api);
	const lru = (
		await (api.query.system as unknown as { lastRuntimeUpgrade?: () => Promise<{ toString(): string }> }).lastRuntimeUpgrade?.()
	)?.toString();
	const codeNow = (await onChainCodeHash(api)) ?? ('0x' as Hex);
	report.after = { ...after, codeHash: codeNow, ...(lru ? { lastRuntimeUpgrade: lru } : {}) };
	for (let i = 0; i < (options.blocks ?? 10); i++) {
		try {
			const b = await build(api, rpc, options.crashed);
			report.blocks.push(b);
			say(`#${b.number} (${b.ms} ms)`);
		} catch (error) {
			return fail(
				`block #${(report.blocks.at(-1)?.number ?? report.firstUnderNew.number) + 1} could not be built under the new runtime: ${messageOf(error)}`,
			);
		}
	}
	if (codeNow !== artifactFor(release, env.name).codeHash)
		return fail(`the fork runs code ${codeNow}, not the release's ${artifactFor(release, env.name).codeHash}`);
	if (after.specVersion !== artifactFor(release, env.name).specVersion)
		return fail(`the fork reports spec version ${after.specVersion}, not the release's ${artifactFor(release, env.name).specVersion}`);
	return { ...report, verdict: 'passed' };
}

/** The report as lines for a terminal. */
export function rehearsalText(r: RehearsalReport): string[] {
	const lines = [
		`rehearsal of ${r.codeHash} on a fork of ${r.env} at #${r.forkedAt.number} (${r.forkedAt.hash})`,
		`  origin: ${r.origin || 'not reproduced'}`,
		`  before: ${r.before.specName} ${r.before.specVersion}`,
	];
	if (r.upgrade)
		lines.push(
			`  #${r.upgrade.number} upgrade block (${r.upgrade.ms} ms): ${r.upgrade.codeUpdated ? 'system.CodeUpdated' : 'no CodeUpdated'}; dispatch ${r.upgrade.dispatch}; events ${r.upgrade.events.join(', ')}`,
		);
	if (r.firstUnderNew)
		lines.push(
			`  #${r.firstUnderNew.number} first block under the new runtime (${r.firstUnderNew.ms} ms): events ${r.firstUnderNew.events.join(', ') || 'none'}`,
		);
	if (r.after)
		lines.push(
			`  after: ${r.after.specName} ${r.after.specVersion}, code ${r.after.codeHash}${r.after.lastRuntimeUpgrade ? `, LastRuntimeUpgrade ${r.after.lastRuntimeUpgrade}` : ''}`,
		);
	if (r.blocks.length > 0) {
		const times = r.blocks.map((b) => b.ms);
		lines.push(
			`  ${r.blocks.length} more blocks built (#${r.blocks[0]!.number}–#${r.blocks.at(-1)!.number}), ${Math.min(...times)}–${Math.max(...times)} ms each`,
		);
	}
	lines.push(r.verdict === 'passed' ? '✔ passed: the chain kept producing blocks under the new runtime' : `✖ failed: ${r.failure}`);
	return lines;
}

export interface RehearseEnvironmentOptions {
	/** The environment's chain, already resolved (an embedded chain's ws:// endpoint). */
	endpoint: string;
	release: Release;
	env: Environment;
	/** Where the fork keeps what it fetched from a live chain. */
	cacheDir: string;
	noCache?: boolean;
	block?: number;
	blocks?: number;
	onProgress?: (line: string) => void;
}

/**
 * Fork the chain behind `endpoint` in a process of its own, rehearse the
 * release's upgrade there, and stop the fork: what `rehearse` and the console
 * both run. Throws only when the fork cannot be started (no state at that
 * block, an endpoint that does not answer).
 */
export async function rehearseEnvironment(o: RehearseEnvironmentOptions): Promise<{ report: RehearsalReport; cache: string }> {
	const [{ rmSync }, { spawnFork }, { connectEndpoint }] = await Promise.all([
		import('node:fs'),
		import('../devnet/fork-process.js'),
		import('../chain/connect.js'),
	]);
	if (o.noCache) rmSync(o.cacheDir, { recursive: true, force: true });
	const fork = await spawnFork(o.endpoint, o.block, o.cacheDir);
	try {
		o.onProgress?.(`fork cache: ${fork.cache}`);
		const forkApi = await connectEndpoint(fork.endpoint, { timeoutMs: 30_000 });
		try {
			const report = await rehearseOnFork(forkApi.api, o.release, o.env, {
				forkedAt: fork.forkedAt,
				crashed: fork.crashed,
				...(o.blocks !== undefined ? { blocks: o.blocks } : {}),
				...(o.onProgress ? { onProgress: o.onProgress } : {}),
			});
			return { report, cache: fork.cache };
		} finally {
			await forkApi.disconnect();
		}
	} finally {
		await fork.close();
	}
}

/** What a rehearsal leaves on the release: the `fork-rehearsal` gate (with the report's digest) and an audit entry. */
export async function rehearsalActions(release: Release, env: Environment, report: RehearsalReport, at: string): Promise<ReleaseAction[]> {
	const { blake2AsHex } = await import('@polkadot/util-crypto');
	const gate = forkRehearsalGate(
		env.name,
		artifactFor(release, env.name).codeHash,
		{
			codeHash: report.codeHash,
			forkedAt: report.forkedAt,
			verdict: report.verdict,
			...(report.failure ? { failure: report.failure } : {}),
			...(report.after ? { specAfter: report.after.specVersion } : {}),
			digest: blake2AsHex(JSON.stringify(report), 256) as Hex,
		},
		at,
	);
	return [
		{ type: 'gate/set', gate, at },
		{
			type: 'audit',
			entry: {
				at,
				env: env.name,
				action: 'rehearsal',
				detail: `fork of ${env.name} at #${report.forkedAt.number} (${report.forkedAt.hash}): ${report.verdict}${report.failure ? ` — ${report.failure}` : ''}; code ${report.codeHash}${report.after ? `, ${report.after.specName} ${report.after.specVersion} after` : ''}; ${report.blocks.length} blocks built after the first under the new runtime`,
				blockNumber: report.forkedAt.number,
				blockHash: report.forkedAt.hash as Hex,
			},
		},
	];
}
