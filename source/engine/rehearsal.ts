/**
 * Rehearse one call on a fork of a chain before anyone signs on the real one
 * (a release's upgrade, or a proposal under review): dispatch it with the
 * origin it will have (Root through the chain's own sudo key, or a signed
 * account such as a multisig's, signed as that account with a mock signature
 * only the fork accepts), build
 * the upgrade block, the first block under the new runtime (where its
 * migrations run) and N more, and report what the chain showed: events,
 * versions, the time each block took, the runtime's own message if a block
 * could not be built. Talks to the fork through @polkadot/api like to any
 * chain; the real chain is only read (by the fork, for its state).
 */
import { artifactFor } from '../domain/release.js';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Call } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Environment, Hex, Release, ReleaseAction } from '../domain/types.js';
import { forkRehearsalGate } from '../domain/gates.js';
import { readArtifact } from '../artifact/read.js';
import { onChainCodeHash } from '../chain/live.js';
import { describeDispatchError, eventsAt, innerFailures } from '../chain/submit.js';
import { buildSudoUnchecked, hasSudo, sudoKey } from '../chain/pallets/sudo.js';
import { describeCall } from '../chain/call-text.js';
import { palletPrefixes, readStorageDiff, storageDiffByPallet, type PalletDiff } from '../chain/storage-diff.js';
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
	/** The code the dispatch is expected to install (the release's; a reviewed proposal's setCode), if any. */
	codeHash?: Hex;
	/** The call dispatched, one line. */
	call?: string;
	before: { specName: string; specVersion: number };
	after?: { specName: string; specVersion: number; codeHash: Hex; lastRuntimeUpgrade?: string };
	/** The block that carries the upgrade extrinsic. */
	upgrade?: RehearsalBlock & { codeUpdated: boolean; dispatch: string };
	/** The first block executed by the new runtime: where its migrations run. */
	firstUnderNew?: RehearsalBlock;
	/** The blocks after it. */
	blocks: RehearsalBlock[];
	/**
	 * What the upgrade block and the first block after it changed in storage, by pallet, leaving out the keys an
	 * ordinary block also writes (those the next block changed): `note` says what was left out.
	 */
	storage?: { upgrade: PalletDiff[]; firstUnderNew: PalletDiff[]; note: string };
	verdict: 'passed' | 'failed';
	failure?: string;
	/** The dispatch never reached a block (the fork's pool refused it): nothing was tried, so nothing was shown. */
	notRun?: boolean;
}

/** Who dispatches the call on the real chain, reproduced on the fork. */
export type ForkOrigin =
	/** Root: through the chain's sudo key, signed as that key with a signature only the fork accepts. */
	| { kind: 'root' }
	/** A signed origin (a multisig account): the call signed as that account, the same way. */
	| { kind: 'signed'; address: string; who: string };

/** One call to dispatch on a fork: a release's upgrade, or a proposal under review. */
export interface ForkCall {
	env: string;
	/** The call as the chain will dispatch it (SCALE-encoded). */
	call: Uint8Array;
	origin: ForkOrigin;
	/** What the call must install: without it, a dispatch that installs no code is not a failure. */
	expect?: { codeHash: Hex; specVersion?: number };
}

type Rpc = ReturnType<typeof nodeRpc>;

async function build(api: ApiPromise, rpc: Rpc, crashed?: Promise<string>): Promise<RehearsalBlock & { hash: Hex }> {
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
	const hash = header.hash.toHex() as Hex;
	const events = (await eventsAt(api, hash)).map((e) => `${e.event.section}.${e.event.method}`);
	return { number: header.number.toNumber(), hash, ms: Math.round(ms), events };
}

async function version(api: ApiPromise): Promise<{ specName: string; specVersion: number }> {
	const v = await api.rpc.state.getRuntimeVersion();
	return { specName: v.specName.toString(), specVersion: v.specVersion.toNumber() };
}

const FUNDS = 10n ** 21n;

/**
 * The extrinsic that dispatches `call` with `origin` on the fork, signed as the account that will really
 * dispatch it: a mock signature (0xdeadbeef, then 0xcd) that only the fork's host accepts. The account is
 * funded on the fork when it could not pay a fee there. Throws, with what to do, when the origin cannot be
 * reproduced.
 */
async function dispatchOnFork(
	api: ApiPromise,
	rpc: Rpc,
	plan: ForkCall,
): Promise<{ tx: SubmittableExtrinsic<'promise'>; origin: string; call: string }> {
	const inner = api.createType('Call', plan.call);
	const label = `${inner.section}.${inner.method}`;
	let signer: string;
	let tx: SubmittableExtrinsic<'promise'>;
	let origin: string;
	if (plan.origin.kind === 'root') {
		if (!hasSudo(api))
			throw new Error(
				'this runtime has no Sudo pallet: Root cannot be reproduced on the fork here (injecting the call into Scheduler.Agenda is not built yet)',
			);
		const key = await sudoKey(api);
		if (!key) throw new Error("the chain's Sudo.Key is empty: no account can dispatch as Root on the fork");
		signer = key;
		tx = buildSudoUnchecked(api, api.tx(inner), label).tx;
		origin = `Root through sudo.sudoUncheckedWeight, signed as the chain's own sudo key ${key} (a mock signature only the fork accepts)`;
	} else {
		signer = plan.origin.address;
		tx = api.tx(inner);
		origin = `signed by ${plan.origin.who} ${signer} (a mock signature only the fork accepts)`;
	}
	const account = (await api.query.system.account(signer)) as unknown as {
		nonce: { toNumber(): number };
		data: { free: { toBigInt(): bigint } };
	};
	if (account.data.free.toBigInt() < FUNDS / 1000n) {
		await rpc('dev_setStorage', [
			{ System: { Account: [[[signer], { providers: 1, nonce: account.nonce.toNumber(), data: { free: FUNDS.toString() } }]] } },
		]);
		origin += '; funded on the fork for the fee';
	}
	const genesisHash = api.genesisHash;
	tx.signFake(signer, { nonce: account.nonce.toNumber(), blockHash: genesisHash, genesisHash, runtimeVersion: api.runtimeVersion });
	const mock = new Uint8Array(64).fill(0xcd);
	mock.set([0xde, 0xad, 0xbe, 0xef]);
	(tx.signature as unknown as Uint8Array).set(mock);
	return { tx, origin, call: describeCall(inner as unknown as Call)[0] ?? label };
}

/** The outcome of extrinsic `hash` in block `blockHash`: Ok, or the error of the extrinsic or of a call it dispatched. */
async function outcomeIn(api: ApiPromise, blockHash: Hex, extrinsicHash: Hex): Promise<string | undefined> {
	const block = await api.rpc.chain.getBlock(blockHash);
	const index = block.block.extrinsics.findIndex((x) => x.hash.toHex() === extrinsicHash);
	if (index < 0) return undefined;
	const events = (await eventsAt(api, blockHash)).filter(
		(e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.toNumber() === index,
	);
	const failed = events.find((e) => e.event.section === 'system' && e.event.method === 'ExtrinsicFailed');
	if (failed) return describeDispatchError(api, failed.event.data[0]);
	return innerFailures(api, events)[0] ?? 'Ok';
}

export interface RehearseOptions {
	/** Blocks to build after the first block under the new runtime (default 10). */
	blocks?: number;
	forkedAt: { number: number; hash: string };
	onProgress?: (line: string) => void;
	/** Resolves with what happened if the fork's process dies (its executor crashed). */
	crashed?: Promise<string>;
}

/** Dispatch one call on the fork behind `api` and build blocks after it. Never throws for what the chain did: that is the report. */
export async function rehearseCallOnFork(api: ApiPromise, plan: ForkCall, options: RehearseOptions): Promise<RehearsalReport> {
	const say = options.onProgress ?? (() => undefined);
	const rpc = nodeRpc(api);
	const report: RehearsalReport = {
		env: plan.env,
		forkedAt: options.forkedAt,
		origin: '',
		...(plan.expect ? { codeHash: plan.expect.codeHash } : {}),
		before: await version(api),
		blocks: [],
		verdict: 'failed',
	};
	const fail = (failure: string, notRun = false): RehearsalReport => ({
		...report,
		verdict: 'failed',
		failure,
		...(notRun ? { notRun } : {}),
	});
	const prefixes = palletPrefixes(api);
	await cryptoWaitReady();
	let dispatch: Awaited<ReturnType<typeof dispatchOnFork>>;
	try {
		dispatch = await dispatchOnFork(api, rpc, plan);
	} catch (error) {
		return fail(messageOf(error), true);
	}
	report.origin = dispatch.origin;
	report.call = dispatch.call;
	say(`forked at #${options.forkedAt.number}; ${report.origin}`);

	const extrinsicHash = dispatch.tx.hash.toHex() as Hex;
	try {
		await api.rpc.author.submitExtrinsic(dispatch.tx);
	} catch (error) {
		return fail(`the fork's transaction pool refused ${dispatch.call}: ${messageOf(error)}`, true);
	}
	let upgradeHash: Hex;
	try {
		const block = await build(api, rpc, options.crashed);
		upgradeHash = block.hash;
		const outcome = await outcomeIn(api, block.hash, extrinsicHash);
		if (outcome === undefined)
			return fail(`the fork built block #${block.number} without ${dispatch.call}: the runtime did not include it`, true);
		report.upgrade = {
			number: block.number,
			ms: block.ms,
			events: block.events,
			codeUpdated: block.events.includes('system.CodeUpdated'),
			dispatch: outcome,
		};
		say(`#${block.number} upgrade block: ${block.events.join(', ')} (${block.ms} ms)`);
		if (outcome !== 'Ok') return fail(`the call failed on the fork in block #${block.number}: ${outcome}`);
		if (!report.upgrade.codeUpdated && plan.expect)
			return fail(`the upgrade block #${block.number} has no system.CodeUpdated (${outcome}): the code was not set`);
	} catch (error) {
		return fail(`the upgrade block could not be built: ${messageOf(error)}`);
	}
	let firstHash: Hex;
	try {
		const first = await build(api, rpc, options.crashed);
		firstHash = first.hash;
		report.firstUnderNew = { number: first.number, ms: first.ms, events: first.events };
		say(`#${first.number} ${report.upgrade.codeUpdated ? 'first block under the new runtime' : 'the block after'} (${first.ms} ms)`);
	} catch (error) {
		return fail(`the first block under the new runtime could not be built (its migrations run there): ${messageOf(error)}`);
	}
	const after = await version(api);
	const lru = (
		await (api.query.system as unknown as { lastRuntimeUpgrade?: () => Promise<{ toString(): string }> }).lastRuntimeUpgrade?.()
	)?.toString();
	const codeNow = (await onChainCodeHash(api)) ?? ('0x' as Hex);
	report.after = { ...after, codeHash: codeNow, ...(lru ? { lastRuntimeUpgrade: lru } : {}) };
	palletPrefixes(api, prefixes);
	let nextHash: Hex | undefined;
	for (let i = 0; i < (options.blocks ?? 10); i++) {
		try {
			const b = await build(api, rpc, options.crashed);
			nextHash ??= b.hash;
			report.blocks.push({ number: b.number, ms: b.ms, events: b.events });
			say(`#${b.number} (${b.ms} ms)`);
		} catch (error) {
			return fail(
				`block #${(report.blocks.at(-1)?.number ?? report.firstUnderNew.number) + 1} could not be built under the new runtime: ${messageOf(error)}`,
			);
		}
	}
	try {
		// The keys an ordinary block writes (System.Number, Timestamp.Now, …): those of the next block built.
		const ordinary = new Set(nextHash ? (await readStorageDiff(api, nextHash)).map((c) => c.key) : []);
		report.storage = {
			upgrade: storageDiffByPallet(await readStorageDiff(api, upgradeHash), prefixes, ordinary),
			firstUnderNew: storageDiffByPallet(await readStorageDiff(api, firstHash), prefixes, ordinary),
			note: nextHash
				? `keys the block after them also wrote (${ordinary.size}: what every block writes) are left out`
				: 'no block was built after them (--blocks 0): the keys every block writes are included',
		};
	} catch (error) {
		say(`storage diff not read: ${messageOf(error)}`);
	}
	if (plan.expect && codeNow !== plan.expect.codeHash)
		return fail(`the fork runs code ${codeNow}, not the expected ${plan.expect.codeHash}`);
	if (plan.expect?.specVersion !== undefined && after.specVersion !== plan.expect.specVersion)
		return fail(`the fork reports spec version ${after.specVersion}, not the expected ${plan.expect.specVersion}`);
	return { ...report, verdict: 'passed' };
}

/** Run the release's upgrade on the fork behind `api`: its setCode, with Root. */
export async function rehearseOnFork(
	api: ApiPromise,
	release: Release,
	env: Environment,
	options: RehearseOptions,
): Promise<RehearsalReport> {
	const expected = artifactFor(release, env.name);
	const artifact = await readArtifact(expected.path);
	if (artifact.codeHash !== expected.codeHash)
		return {
			env: env.name,
			forkedAt: options.forkedAt,
			origin: '',
			codeHash: expected.codeHash,
			before: await version(api),
			blocks: [],
			verdict: 'failed',
			failure: `the wasm at ${expected.path} changed since the release was created`,
		};
	const call = api.tx.system.setCode(u8aToHex(artifact.bytes)).method.toU8a();
	return rehearseCallOnFork(
		api,
		{ env: env.name, call, origin: { kind: 'root' }, expect: { codeHash: expected.codeHash, specVersion: expected.specVersion } },
		options,
	);
}

interface ForkSessionOptions {
	/** The chain to fork, already resolved (an embedded chain's ws:// endpoint). */
	endpoint: string;
	/** Where the fork keeps what it fetched from a live chain. */
	cacheDir: string;
	noCache?: boolean;
	block?: number;
	blocks?: number;
	onProgress?: (line: string) => void;
}

export interface RehearseEnvironmentOptions extends ForkSessionOptions {
	release: Release;
	env: Environment;
}

/**
 * Fork the chain behind `endpoint` in a process of its own, run `body` against it through @polkadot/api, and stop
 * the fork. Throws only when the fork cannot be started (no state at that block, an endpoint that does not answer).
 */
async function onFork(
	o: ForkSessionOptions,
	body: (api: ApiPromise, options: RehearseOptions) => Promise<RehearsalReport>,
): Promise<{ report: RehearsalReport; cache: string }> {
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
			const report = await body(forkApi.api, {
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

/** Rehearse the release's upgrade on a fork of its environment's chain: what `rehearse` and the console both run. */
export function rehearseEnvironment(o: RehearseEnvironmentOptions): Promise<{ report: RehearsalReport; cache: string }> {
	return onFork(o, (api, options) => rehearseOnFork(api, o.release, o.env, options));
}

/** Dry-run one call (a proposal under review) with its origin on a fork of the chain behind `endpoint`. */
export function dryRunOnFork(o: ForkSessionOptions & { plan: ForkCall }): Promise<{ report: RehearsalReport; cache: string }> {
	return onFork(o, (api, options) => rehearseCallOnFork(api, o.plan, options));
}

/** What a rehearsal leaves on the release: the `fork-rehearsal` gate (with the report's digest) and an audit entry. */
export async function rehearsalActions(release: Release, env: Environment, report: RehearsalReport, at: string): Promise<ReleaseAction[]> {
	const { blake2AsHex } = await import('@polkadot/util-crypto');
	const gate = forkRehearsalGate(
		env.name,
		artifactFor(release, env.name).codeHash,
		{
			codeHash: report.codeHash ?? artifactFor(release, env.name).codeHash,
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
				detail: `fork of ${env.name} at #${report.forkedAt.number} (${report.forkedAt.hash}): ${report.verdict}${report.failure ? ` — ${report.failure}` : ''}; code ${report.codeHash ?? artifactFor(release, env.name).codeHash}${report.after ? `, ${report.after.specName} ${report.after.specVersion} after` : ''}; ${report.blocks.length} blocks built after the first under the new runtime`,
				blockNumber: report.forkedAt.number,
				blockHash: report.forkedAt.hash as Hex,
			},
		},
	];
}
