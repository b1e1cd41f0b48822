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
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import type { Environment, Hex, Release, ReleaseAction } from '../domain/types.js';
import { forkRehearsalGate } from '../domain/gates.js';
import { readArtifact } from '../artifact/read.js';
import { onChainCodeHash } from '../chain/live.js';
import { describeDispatchError, eventsAt, innerFailures, type EventRecordView } from '../chain/submit.js';
import { buildSudoRoot, sudoKey } from '../chain/pallets/sudo.js';
import {
	agendaInjection,
	agendaOutcome,
	ENACTMENT_PRIORITY,
	hasSchedulerAgenda,
	type AgendaInjection,
} from '../chain/pallets/scheduler.js';
import { blockWeightAt, codeChangeShownBy } from '../chain/pallets/system.js';
import { freeBalance } from '../chain/pallets/balances.js';
import {
	buildParaEnact,
	downwardOutcomes,
	paraAuthorization,
	paraUpgradeEvents,
	type EventLike,
} from '../chain/pallets/parachain-system.js';
import { codeArg, planOf } from '../chain/pallets/common.js';
import { authorizationSendsFor, withSends, type ParaSend } from './routes/parachain.js';
import { describeCall } from '../chain/call-text.js';
import { palletPrefixes, readStorageDiff, storageDiffByPallet, type PalletDiff } from '../chain/storage-diff.js';
import { messageOf } from '../chain/connect.js';
import { nodeRpc } from '../chain/embedded.js';
import { UserError } from '../errors.js';

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
	/** What came before the upgrade block (a parachain: the relay's authorization arriving, the code handed over). */
	steps?: string[];
	/** The block that carries the upgrade extrinsic (a parachain: the block that applied the pending code). */
	upgrade?: RehearsalBlock & {
		codeUpdated: boolean;
		/** What showed the code changed: `system.CodeUpdated`, or `:code` itself on a runtime without that event. */
		shownBy?: string;
		dispatch: string;
		/** What the block weighed (`System.BlockWeight`) against `BlockWeights.maxBlock`: the larger share, in percent. */
		weight?: { refTime: string; proofSize: string; maxRefTime: string; maxProofSize: string; percent: number };
	};
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
	/**
	 * A parachain a reviewed relay call sends XCM to, followed on its fork: what its blocks did with the relay's
	 * message (the code it authorizes is handed over later, so no upgrade block is built unless the code was given).
	 */
	followed?: 'xcm';
	/**
	 * A try-runtime build's own checks (`TryRuntime_on_runtime_upgrade`, checks: All), run at the upgrade block's
	 * state (the new code set, its migrations not yet run); `ran: false` says why not (not a try-runtime build).
	 */
	tryRuntime?: { ran: boolean; ok?: boolean; note: string };
}

/** Who dispatches the call on the real chain, reproduced on the fork. */
export type ForkOrigin =
	/**
	 * Root. `via: 'scheduler'`, the default where the runtime has a Scheduler: the call put into the agenda the
	 * scheduler services next, as governance enacts (Democracy, Referenda). `via: 'sudo'`, the default otherwise: through the
	 * chain's sudo key, signed as that key with a signature only the fork accepts (what the sudo routes submit).
	 */
	| { kind: 'root'; via?: 'scheduler' | 'sudo' }
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

async function build(
	api: ApiPromise,
	rpc: Rpc,
	crashed?: Promise<string>,
): Promise<RehearsalBlock & { hash: Hex; records: EventRecordView[] }> {
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
	const records = await eventsAt(api, hash);
	const events = records.map((e) => `${e.event.section}.${e.event.method}`);
	return { number: header.number.toNumber(), hash, ms: Math.round(ms), events, records };
}

async function version(api: ApiPromise): Promise<{ specName: string; specVersion: number }> {
	const v = await api.rpc.state.getRuntimeVersion();
	return { specName: v.specName.toString(), specVersion: v.specVersion.toNumber() };
}

const FUNDS = 10n ** 21n;

/** How the call reaches the fork's next block: an extrinsic in its pool, or an item in its scheduler's agenda. */
type ForkDispatch =
	| { kind: 'extrinsic'; tx: SubmittableExtrinsic<'promise'>; origin: string; call: string }
	| { kind: 'agenda'; injection: AgendaInjection; origin: string; call: string };

/**
 * How `call` is dispatched with `origin` on the fork. Root through the scheduler: the call is written into the agenda
 * of the block the scheduler services next (`dev_setStorage`). Root through sudo, or a signed origin: an extrinsic
 * signed as the account that will really dispatch it, with a mock signature (0xdeadbeef, then 0xcd) only the fork's
 * host accepts; the account is funded on the fork when it could not pay a fee there. Throws, with what to do, when
 * the origin cannot be reproduced.
 */
async function dispatchOnFork(api: ApiPromise, rpc: Rpc, plan: ForkCall): Promise<ForkDispatch> {
	const inner = api.createType('Call', plan.call);
	const label = `${inner.section}.${inner.method}`;
	const callText = describeCall(inner as unknown as Call)[0] ?? label;
	let signer: string;
	let tx: SubmittableExtrinsic<'promise'>;
	let origin: string;
	if (plan.origin.kind === 'root') {
		const via = plan.origin.via ?? (hasSchedulerAgenda(api) ? 'scheduler' : 'sudo');
		if (via === 'scheduler') {
			if (!hasSchedulerAgenda(api))
				throw new Error('this runtime has no Scheduler: Root cannot be reproduced through its agenda here');
			const injection = await agendaInjection(api, plan.call, async () => String(await rpc('state_getMetadata', [])));
			await rpc('dev_setStorage', [injection.writes]);
			return {
				kind: 'agenda',
				injection,
				origin: `Root through the scheduler: ${label} written into Scheduler.Agenda(#${injection.when}) at index ${injection.index} (priority ${ENACTMENT_PRIORITY}, as governance enacts; ${injection.holds}), on the fork only`,
				call: callText,
			};
		}
		const sudo = buildSudoRoot(api, api.tx(inner), label);
		if (!sudo)
			throw new Error(
				'this runtime has neither a Scheduler nor a Sudo pallet: Root cannot be reproduced on the fork (no agenda to write, no key to sign as)',
			);
		const key = await sudoKey(api);
		if (!key) throw new Error("the chain's Sudo.Key is empty: no account can dispatch as Root on the fork");
		signer = key;
		tx = sudo.tx;
		origin = `Root through ${sudo.call.slice(0, sudo.call.indexOf('('))}, signed as the chain's own sudo key ${key} (a mock signature only the fork accepts)`;
	} else {
		signer = plan.origin.address;
		tx = api.tx(inner);
		origin = `signed by ${plan.origin.who} ${signer} (a mock signature only the fork accepts)`;
	}
	// The pool's next nonce (AccountNonceApi), and the balance where the runtime keeps it (Balances.FreeBalance in 2019).
	const nonce = (await api.rpc.system.accountNextIndex(signer)).toNumber();
	if ((await freeBalance(api, signer)) < FUNDS / 1000n) {
		await rpc('dev_setStorage', [
			api.query.system.account
				? { System: { Account: [[[signer], { providers: 1, nonce, data: { free: FUNDS.toString() } }]] } }
				: { Balances: { FreeBalance: [[[signer], FUNDS.toString()]] } },
		]);
		origin += '; funded on the fork for the fee';
	}
	const genesisHash = api.genesisHash;
	tx.signFake(signer, { nonce, blockHash: genesisHash, genesisHash, runtimeVersion: api.runtimeVersion });
	const mock = new Uint8Array(64).fill(0xcd);
	mock.set([0xde, 0xad, 0xbe, 0xef]);
	(tx.signature as unknown as Uint8Array).set(mock);
	return { kind: 'extrinsic', tx, origin, call: callText };
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

const failed = (report: RehearsalReport, failure: string, notRun = false): RehearsalReport => ({
	...report,
	verdict: 'failed',
	failure,
	...(notRun ? { notRun } : {}),
});

async function weightOf(api: ApiPromise, blockHash: Hex): Promise<NonNullable<RehearsalReport['upgrade']>['weight']> {
	try {
		const w = await blockWeightAt(api, blockHash);
		if (!w) return undefined;
		return {
			refTime: w.used.refTime.toString(),
			proofSize: w.used.proofSize.toString(),
			maxRefTime: w.max.refTime.toString(),
			maxProofSize: w.max.proofSize.toString(),
			percent: w.percent,
		};
	} catch {
		return undefined;
	}
}

/** The TryRuntime API's id in a runtime version's `apis` (blake2-64 of its name, as `decl_runtime_apis` makes it). */
const TRY_RUNTIME_API = u8aToHex(blake2AsU8a('TryRuntime', 64));

/**
 * A try-runtime build's migration checks: `TryRuntime_on_runtime_upgrade` at the upgrade block, whose state holds
 * the new code with its migrations not yet run. The argument is 0x01 both as `UpgradeCheckSelect::All` and as the
 * older `bool` (true). A runtime without the API is not a try-runtime build: said, not run.
 */
async function tryRuntimeChecks(api: ApiPromise, upgradeHash: Hex): Promise<NonNullable<RehearsalReport['tryRuntime']>> {
	const v = await api.rpc.state.getRuntimeVersion(upgradeHash);
	const name = `${v.specName.toString()} ${v.specVersion.toNumber()}`;
	if (!v.apis.some(([id]) => id.toHex() === TRY_RUNTIME_API))
		return { ran: false, note: `not run: ${name} is not a try-runtime build (its version lists no TryRuntime API)` };
	try {
		const out = await api.rpc.state.call('TryRuntime_on_runtime_upgrade', '0x01', upgradeHash);
		return { ran: true, ok: true, note: `${name}: TryRuntime_on_runtime_upgrade(checks: All) passed (returned ${out.toHex()})` };
	} catch (error) {
		return { ran: true, ok: false, note: `${name}: TryRuntime_on_runtime_upgrade(checks: All) failed: ${messageOf(error)}` };
	}
}

/**
 * After the upgrade block `upgradeHash`: build the first block under the new runtime and `blocks` more, read
 * the versions and what the blocks changed in storage, and check the fork runs what `expect` names.
 */
async function afterUpgrade(
	api: ApiPromise,
	rpc: Rpc,
	start: RehearsalReport,
	upgradeHash: Hex,
	prefixes: ReturnType<typeof palletPrefixes>,
	expect: ForkCall['expect'],
	options: RehearseOptions,
): Promise<RehearsalReport> {
	const say = options.onProgress ?? (() => undefined);
	const report = { ...start, blocks: [...start.blocks] };
	const upgraded = report.upgrade?.codeUpdated ?? false;
	let firstHash: Hex;
	try {
		const first = await build(api, rpc, options.crashed);
		firstHash = first.hash;
		report.firstUnderNew = { number: first.number, ms: first.ms, events: first.events };
		say(`#${first.number} ${upgraded ? 'first block under the new runtime' : 'the block after'} (${first.ms} ms)`);
	} catch (error) {
		return failed(report, `the first block under the new runtime could not be built (its migrations run there): ${messageOf(error)}`);
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
			return failed(
				report,
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
	// Read last: a historic storage read re-points @polkadot/api's per-block registry cache, and the blocks above
	// decode their events with it (reading it between the upgrade block and the next broke that decoding).
	const weight = await weightOf(api, upgradeHash);
	if (weight && report.upgrade) report.upgrade = { ...report.upgrade, weight };
	if (upgraded) {
		report.tryRuntime = await tryRuntimeChecks(api, upgradeHash).catch((error: unknown) => ({
			ran: false,
			note: `not run: the new runtime's version could not be read at the upgrade block: ${messageOf(error)}`,
		}));
		say(`try-runtime: ${report.tryRuntime.note}`);
		if (report.tryRuntime.ran && !report.tryRuntime.ok)
			return failed(report, `the runtime's own try-runtime checks failed: ${report.tryRuntime.note}`);
	}
	if (expect && codeNow !== expect.codeHash) return failed(report, `the fork runs code ${codeNow}, not the expected ${expect.codeHash}`);
	if (expect?.specVersion !== undefined && after.specVersion !== expect.specVersion)
		return failed(report, `the fork reports spec version ${after.specVersion}, not the expected ${expect.specVersion}`);
	return { ...report, verdict: 'passed' };
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
	const prefixes = palletPrefixes(api);
	await cryptoWaitReady();
	let dispatch: Awaited<ReturnType<typeof dispatchOnFork>>;
	try {
		dispatch = await dispatchOnFork(api, rpc, plan);
	} catch (error) {
		return failed(report, messageOf(error), true);
	}
	report.origin = dispatch.origin;
	report.call = dispatch.call;
	say(`forked at #${options.forkedAt.number}; ${report.origin}`);

	const extrinsicHash = dispatch.kind === 'extrinsic' ? (dispatch.tx.hash.toHex() as Hex) : undefined;
	if (dispatch.kind === 'extrinsic') {
		try {
			await api.rpc.author.submitExtrinsic(dispatch.tx);
		} catch (error) {
			return failed(report, `the fork's transaction pool refused ${dispatch.call}: ${messageOf(error)}`, true);
		}
	}
	let upgradeHash: Hex;
	try {
		const block = await build(api, rpc, options.crashed);
		upgradeHash = block.hash;
		let outcome: string | undefined;
		if (dispatch.kind === 'agenda') {
			const { when, index } = dispatch.injection;
			outcome = agendaOutcome(api, block.records, when, index);
			if (outcome === undefined)
				return failed(
					report,
					`the scheduler did not dispatch the call written into Scheduler.Agenda(#${when}) in block #${block.number} (events: ${block.events.join(', ') || 'none'})`,
					true,
				);
		} else {
			outcome = await outcomeIn(api, block.hash, extrinsicHash!);
			if (outcome === undefined)
				return failed(
					report,
					`the fork built block #${block.number} without ${dispatch.call}: the runtime did not include it`,
					true,
				);
		}
		const shownBy = plan.expect
			? await codeChangeShownBy(api, block.hash, block.events, plan.expect.codeHash)
			: block.events.includes('system.CodeUpdated')
				? 'system.CodeUpdated'
				: undefined;
		report.upgrade = {
			number: block.number,
			ms: block.ms,
			events: block.events,
			codeUpdated: shownBy !== undefined,
			...(shownBy ? { shownBy } : {}),
			dispatch: outcome,
		};
		say(`#${block.number} upgrade block: ${block.events.join(', ')} (${block.ms} ms)`);
		if (outcome !== 'Ok') return failed(report, `the call failed on the fork in block #${block.number}: ${outcome}`);
		if (!report.upgrade.codeUpdated && plan.expect)
			return failed(
				report,
				`the upgrade block #${block.number} shows no code change (no system.CodeUpdated, :code not the release's; dispatch ${outcome}): the code was not set`,
			);
	} catch (error) {
		return failed(report, `the upgrade block could not be built: ${messageOf(error)}`);
	}
	return afterUpgrade(api, rpc, report, upgradeHash, prefixes, plan.expect, options);
}

/** A parachain's part of a network rehearsal: its code, and the relay block whose XCM authorizes it. */
export interface ParaForkPlan {
	env: string;
	paraId: number;
	code: Uint8Array;
	codeHash: Hex;
	specVersion?: number;
	/** The relay's upgrade block on its fork (the one that sent the authorization). */
	relayBlock: number;
}

/** A para block's upgrade events and downward results, from the events `build` read. */
const paraFacts = (records: EventRecordView[]) => {
	const events = records as unknown as EventLike[];
	return { upgrade: paraUpgradeEvents(events), downward: downwardOutcomes(events) };
};

/** At most this many para blocks to wait for each of: the relay's authorization, the pending code applied. */
const PARA_BLOCKS_PER_STEP = 3;

/**
 * The parachain's side, on its fork joined to the relay's fork: the relay's downward message authorizes the
 * code in the para's next block, the unsigned apply (`enactAuthorizedUpgrade` / `applyAuthorizedUpgrade`) stores
 * it as pending, and the block after, with the relay's go-ahead (chopsticks' validation-data inherent gives it
 * when code is pending), applies it. Then as any upgrade: the first block under the new code and N more.
 */
export async function rehearseParaOnFork(api: ApiPromise, plan: ParaForkPlan, options: RehearseOptions): Promise<RehearsalReport> {
	const say = (line: string) => options.onProgress?.(`${plan.env}: ${line}`);
	const rpc = nodeRpc(api);
	const report: RehearsalReport = {
		env: plan.env,
		forkedAt: options.forkedAt,
		origin: `Root from the relay: its upgrade block #${plan.relayBlock} sends Transact(Superuser, authorizeUpgrade) to para ${plan.paraId}; the code is then handed over unsigned (as the parachain route does)`,
		codeHash: plan.codeHash,
		before: await version(api),
		blocks: [],
		steps: [],
		verdict: 'failed',
	};
	const steps = report.steps!;
	const prefixes = palletPrefixes(api);
	const sayStep = (line: string) => {
		steps.push(line);
		say(line);
	};
	try {
		// 1. The relay's downward message, in the para's next block.
		let authorized = false;
		for (let i = 0; i < PARA_BLOCKS_PER_STEP && !authorized; i++) {
			const b = await build(api, rpc, options.crashed);
			const facts = paraFacts(b.records);
			const event = facts.upgrade.find((e) => e.kind === 'UpgradeAuthorized');
			const downward = facts.downward.outcomes.map((o) => o.text).join('; ');
			sayStep(`#${b.number} (${b.ms} ms): ${event ? event.text : 'no authorization'}${downward ? `; downward: ${downward}` : ''}`);
			authorized = Boolean(event);
		}
		const held = await paraAuthorization(api);
		if (held?.codeHash !== plan.codeHash)
			return failed(
				report,
				held
					? `the para holds an authorization for ${held.codeHash}, not for ${plan.codeHash}`
					: `the relay's message did not authorize the code on para ${plan.paraId} within ${PARA_BLOCKS_PER_STEP} para blocks (see the downward results above)`,
			);
		// 2. The code handed over, unsigned.
		const enact = buildParaEnact(api, plan.code);
		const tx = enact.tx as unknown as SubmittableExtrinsic<'promise'>;
		try {
			await api.rpc.author.submitExtrinsic(tx);
		} catch (error) {
			return failed(report, `the para fork's pool refused ${enact.label}: ${messageOf(error)}`);
		}
		const stored = await build(api, rpc, options.crashed);
		const outcome = await outcomeIn(api, stored.hash, tx.hash.toHex() as Hex);
		const storedFacts = paraFacts(stored.records);
		sayStep(
			`#${stored.number} (${stored.ms} ms): ${enact.label} ${outcome ?? 'not included'}; ${storedFacts.upgrade.map((e) => e.text).join(', ') || 'no upgrade event'}`,
		);
		if (outcome !== 'Ok') return failed(report, `${enact.label} ${outcome ? `failed: ${outcome}` : 'was not included in a block'}`);
		// 3. The go-ahead: the block that applies the pending code.
		for (let i = 0; i < PARA_BLOCKS_PER_STEP; i++) {
			const b = await build(api, rpc, options.crashed);
			const facts = paraFacts(b.records);
			const applied = facts.upgrade.find((e) => e.kind === 'ValidationFunctionApplied' || e.kind === 'CodeUpdated');
			const discarded = facts.upgrade.find((e) => e.kind === 'ValidationFunctionDiscarded');
			if (discarded) return failed(report, `#${b.number}: ${discarded.text}`);
			if (!applied) {
				sayStep(`#${b.number} (${b.ms} ms): the code is still pending`);
				continue;
			}
			report.upgrade = {
				number: b.number,
				ms: b.ms,
				events: b.events,
				codeUpdated: true,
				dispatch: facts.upgrade.map((e) => e.text).join(', '),
			};
			say(`#${b.number} upgrade block: ${b.events.join(', ')} (${b.ms} ms)`);
			return afterUpgrade(
				api,
				rpc,
				report,
				b.hash,
				prefixes,
				{ codeHash: plan.codeHash, specVersion: plan.specVersion },
				{ ...options, onProgress: say },
			);
		}
		return failed(report, `the pending code was not applied within ${PARA_BLOCKS_PER_STEP} para blocks after it was stored`);
	} catch (error) {
		return failed(report, `a para block could not be built: ${messageOf(error)}`);
	}
}

/** A parachain a reviewed relay call sends XCM to, on its fork joined to the relay's. */
export interface ParaFollowPlan {
	env: string;
	paraId: number;
	/** The relay's block (on its fork) that dispatched the call and so sent the message. */
	relayBlock: number;
	/** The code the message authorizes on this para, when it authorizes one. */
	expect?: { codeHash: Hex; specVersion?: number };
	/** The reviewer's wasm for this para, when it is the authorized code: then the whole upgrade is rehearsed. */
	code?: Uint8Array;
}

/**
 * Follow a relay call's XCM into a parachain: the para's next blocks (up to three) take in the relay's downward
 * message; report what each did with it, and the authorization the para then holds. With the authorized code at
 * hand, rehearse the whole para upgrade (`rehearseParaOnFork`: handed over, applied, blocks under it).
 */
export async function followXcmOnPara(api: ApiPromise, plan: ParaFollowPlan, options: RehearseOptions): Promise<RehearsalReport> {
	if (plan.code && plan.expect)
		return rehearseParaOnFork(
			api,
			{
				env: plan.env,
				paraId: plan.paraId,
				code: plan.code,
				codeHash: plan.expect.codeHash,
				...(plan.expect.specVersion !== undefined ? { specVersion: plan.expect.specVersion } : {}),
				relayBlock: plan.relayBlock,
			},
			options,
		);
	const say = (line: string) => options.onProgress?.(`${plan.env}: ${line}`);
	const rpc = nodeRpc(api);
	const report: RehearsalReport = {
		env: plan.env,
		forkedAt: options.forkedAt,
		origin: `the relay's XCM, sent by its block #${plan.relayBlock} on its fork, as para ${plan.paraId}'s downward messages`,
		...(plan.expect ? { codeHash: plan.expect.codeHash } : {}),
		before: await version(api),
		blocks: [],
		steps: [],
		verdict: 'failed',
		followed: 'xcm',
	};
	const steps = report.steps!;
	try {
		let arrived = false;
		const rejected: string[] = [];
		for (let i = 0; i < PARA_BLOCKS_PER_STEP && !arrived; i++) {
			const b = await build(api, rpc, options.crashed);
			const facts = paraFacts(b.records);
			arrived = (facts.downward.received ?? 0) > 0 || facts.downward.outcomes.length > 0;
			rejected.push(...facts.downward.rejected.map((o) => o.text));
			const upgrade = facts.upgrade.map((e) => e.text).join(', ');
			const line = `#${b.number} (${b.ms} ms): ${arrived ? `downward: ${facts.downward.outcomes.map((o) => o.text).join('; ') || `${facts.downward.received} received`}` : 'no downward message yet'}${upgrade ? `; ${upgrade}` : ''}`;
			steps.push(line);
			say(line);
		}
		if (!arrived)
			return failed(
				report,
				`no downward message from the relay reached para ${plan.paraId} within ${PARA_BLOCKS_PER_STEP} para blocks`,
			);
		if (rejected.length > 0)
			return failed(report, `para ${plan.paraId} did not execute the relay's message in full: ${rejected.join('; ')}`);
		if (plan.expect) {
			const held = await paraAuthorization(api);
			if (held?.codeHash !== plan.expect.codeHash)
				return failed(
					report,
					held
						? `after the relay's message the para holds an authorization for ${held.codeHash}, not for ${plan.expect.codeHash}`
						: `the relay's message was executed, yet the para holds no authorization for ${plan.expect.codeHash}`,
				);
			steps.push(
				`the para now holds an authorization for ${held.codeHash}${held.checkVersion !== undefined ? ` (check version: ${held.checkVersion})` : ''}`,
			);
		}
		return { ...report, verdict: 'passed' };
	} catch (error) {
		return failed(report, `a para block could not be built: ${messageOf(error)}`);
	}
}

/**
 * Root as the environment's route gets it: the sudo routes submit through the sudo key; a governance route's call
 * is enacted by the scheduler (where the runtime has one; else through sudo, the only Root a fork can give).
 */
function rootOf(env: Environment): ForkOrigin {
	return env.route === 'sudo' || env.route === 'multisig-sudo' ? { kind: 'root', via: 'sudo' } : { kind: 'root' };
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
	const call = api.tx.system.setCode(codeArg(api, artifact.bytes)).method.toU8a();
	return rehearseCallOnFork(
		api,
		{ env: env.name, call, origin: rootOf(env), expect: { codeHash: expected.codeHash, specVersion: expected.specVersion } },
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

/** A parachain environment of the release whose relay is the rehearsed environment, with its resolved endpoint. */
export interface ParaRehearsalEnv {
	env: Environment;
	endpoint: string;
}

export interface RehearseEnvironmentOptions extends ForkSessionOptions {
	release: Release;
	env: Environment;
	/** The release's parachains on this relay (`rehearsalEnvironments`): forked with it, their authorizations in its upgrade. */
	paras?: ParaRehearsalEnv[];
}

export interface RehearsalOutcome {
	report: RehearsalReport;
	/** One report per parachain rehearsed with the relay. */
	paras: RehearsalReport[];
	cache: string;
}

/** A chain of a rehearsal on which nothing was tried, and why (its code changed, the relay's call did not go through). */
function notRunReport(
	env: string,
	forkedAt: { number: number; hash: string },
	before: { specName: string; specVersion: number },
	why: string,
	extra: Pick<RehearsalReport, 'codeHash' | 'followed'> = {},
): RehearsalReport {
	return { env, forkedAt, origin: '', ...extra, before, blocks: [], verdict: 'failed', failure: why, notRun: true };
}

/** Whether the whole rehearsal passed: the chain's and every parachain's. */
export const rehearsalPassed = (o: Pick<RehearsalOutcome, 'report' | 'paras'>): boolean =>
	o.report.verdict === 'passed' && o.paras.every((p) => p.verdict === 'passed');

type ForkBody = (
	api: ApiPromise,
	options: RehearseOptions,
	paras: Array<{ api: ApiPromise; forkedAt: { number: number; hash: string } }>,
) => Promise<{ report: RehearsalReport; paras: RehearsalReport[] }>;

/**
 * Fork the chain behind `endpoint` (and `paras`, joined to it) in a process of its own, run `body` against the
 * forks through @polkadot/api, and stop them. Throws only when a fork cannot be started (no state at that block, an
 * endpoint that does not answer).
 */
async function onFork(o: ForkSessionOptions, paraEndpoints: readonly string[], body: ForkBody): Promise<RehearsalOutcome> {
	const [{ rmSync }, { spawnFork }, { connectEndpoint }] = await Promise.all([
		import('node:fs'),
		import('../devnet/fork-process.js'),
		import('../chain/connect.js'),
	]);
	if (o.noCache) rmSync(o.cacheDir, { recursive: true, force: true });
	const fork = await spawnFork(o.endpoint, o.block, o.cacheDir, paraEndpoints);
	const connections: Array<{ disconnect: () => Promise<void> }> = [];
	try {
		o.onProgress?.(`fork cache: ${fork.cache}`);
		const forkApi = await connectEndpoint(fork.endpoint, { timeoutMs: 30_000 });
		connections.push(forkApi);
		const paraApis = [];
		for (const p of fork.paras) {
			const c = await connectEndpoint(p.endpoint, { timeoutMs: 30_000 });
			connections.push(c);
			paraApis.push({ api: c.api, forkedAt: p.forkedAt });
			o.onProgress?.(`para ${p.paraId} forked at #${p.forkedAt.number} (fork cache: ${p.cache})`);
		}
		const out = await body(
			forkApi.api,
			{
				forkedAt: fork.forkedAt,
				crashed: fork.crashed,
				...(o.blocks !== undefined ? { blocks: o.blocks } : {}),
				...(o.onProgress ? { onProgress: o.onProgress } : {}),
			},
			paraApis,
		);
		return { ...out, cache: fork.cache };
	} finally {
		for (const c of connections.reverse()) await c.disconnect().catch(() => undefined);
		await fork.close();
	}
}

/**
 * Which environments a rehearsal of `env` covers: `env` itself and the release's parachains whose relay it
 * is (their Root comes from its upgrade). A parachain environment is rehearsed through its relay's: the
 * relay's upgrade carries its authorization. Throws a UserError, with what to do, where that cannot be done.
 */
export function rehearsalEnvironments(
	release: Release,
	env: Environment,
	envs: (name: string) => Environment | undefined,
): { relay: Environment; paras: Environment[] } {
	let relay = env;
	if (env.route === 'parachain') {
		const relayName = env.parachain?.relay;
		const relayEnv = relayName ? envs(relayName) : undefined;
		if (!relayName || !relayEnv || !release.environments.includes(relayName))
			throw new UserError(
				`${env.name} is a parachain whose Root comes from its relay ${relayName ?? '(none)'}, which this release does not ship: a parachain is rehearsed with its relay's upgrade`,
				`create the release with its relay environment too (new … --env ${relayName ?? 'RELAY'} --env ${env.name}), as the parachain route needs`,
			);
		relay = relayEnv;
	}
	const paras = release.environments
		.map((name) => envs(name))
		.filter((e): e is Environment => Boolean(e) && e!.route === 'parachain' && e!.parachain?.relay === relay.name);
	return { relay, paras };
}

/**
 * Rehearse the release's upgrade on a fork of its environment's chain: what `rehearse` and the console both run.
 * With `paras`, the parachains are forked too and joined to the relay's fork: the relay's upgrade is the route's
 * batch (its setCode and one XCM authorization per parachain), and each parachain then takes its code.
 */
export async function rehearseEnvironment(o: RehearseEnvironmentOptions): Promise<RehearsalOutcome> {
	const paras = o.paras ?? [];
	if (paras.length === 0)
		return onFork(o, [], async (api, options) => ({ report: await rehearseOnFork(api, o.release, o.env, options), paras: [] }));
	return onFork(
		o,
		paras.map((p) => p.endpoint),
		async (api, options, paraApis) => {
			const notRun = (
				env: Environment,
				forkedAt: { number: number; hash: string },
				before: { specName: string; specVersion: number },
				why: string,
			): RehearsalReport => notRunReport(env.name, forkedAt, before, why, { codeHash: artifactFor(o.release, env.name).codeHash });
			// The release's code for each chain, as the release recorded it.
			const codes = new Map<string, Uint8Array>();
			for (const env of [o.env, ...paras.map((p) => p.env)]) {
				const want = artifactFor(o.release, env.name);
				const artifact = await readArtifact(want.path);
				if (artifact.codeHash !== want.codeHash) {
					const report = notRun(
						o.env,
						options.forkedAt,
						await version(api),
						`the wasm at ${want.path} (${env.name}) changed since the release was created`,
					);
					return { report, paras: [] };
				}
				codes.set(env.name, artifact.bytes);
			}
			// The relay's upgrade as its route sends it (routes/parachain.ts): setCode, batched with one authorizing
			// xcmPallet.send per parachain that does not already run, hold pending or hold an authorization for its code.
			let call: Uint8Array;
			let sends: ParaSend[];
			try {
				sends = await authorizationSendsFor(
					o.release,
					api,
					paras.map((p, i) => ({ env: p.env, api: paraApis[i]!.api })),
				);
				const own = planOf(api.tx.system.setCode(codeArg(api, codes.get(o.env.name)!)), 'system.setCode');
				call = withSends(api, own, sends).tx.method.toU8a();
			} catch (error) {
				const why = `the relay's batch with the parachains' authorizations cannot be built on the fork: ${messageOf(error)}`;
				return {
					report: notRun(o.env, options.forkedAt, await version(api), why),
					paras: await Promise.all(
						paras.map(async (p, i) => notRun(p.env, paraApis[i]!.forkedAt, await version(paraApis[i]!.api), why)),
					),
				};
			}
			const relayArt = artifactFor(o.release, o.env.name);
			const report = await rehearseCallOnFork(
				api,
				{
					env: o.env.name,
					call,
					origin: rootOf(o.env),
					expect: { codeHash: relayArt.codeHash, specVersion: relayArt.specVersion },
				},
				options,
			);
			const out: RehearsalReport[] = [];
			for (const [i, p] of paras.entries()) {
				const paraApi = paraApis[i]!;
				if (!sends.some((x) => x.env === p.env.name)) {
					out.push(
						notRun(
							p.env,
							paraApi.forkedAt,
							await version(paraApi.api),
							`${p.env.name} already runs, holds pending or has authorized this code: the relay's upgrade sends it nothing, so nothing was rehearsed there`,
						),
					);
					continue;
				}
				if (!report.upgrade || report.upgrade.dispatch !== 'Ok') {
					out.push(
						notRun(
							p.env,
							paraApi.forkedAt,
							await version(paraApi.api),
							`the relay's upgrade did not go through on its fork (${report.failure ?? 'no upgrade block'}): nothing authorized the code`,
						),
					);
					continue;
				}
				const art = artifactFor(o.release, p.env.name);
				out.push(
					await rehearseParaOnFork(
						paraApi.api,
						{
							env: p.env.name,
							paraId: p.env.parachain!.paraId,
							code: codes.get(p.env.name)!,
							codeHash: art.codeHash,
							specVersion: art.specVersion,
							relayBlock: report.upgrade.number,
						},
						{ ...options, forkedAt: paraApi.forkedAt },
					),
				);
			}
			return { report, paras: out };
		},
	);
}

/** A parachain a reviewed relay call sends XCM to, with its resolved endpoint: forked too, and its blocks followed. */
export interface DryRunPara extends Omit<ParaFollowPlan, 'relayBlock'> {
	endpoint: string;
}

/**
 * Dry-run one call (a proposal under review) with its origin on a fork of the chain behind `endpoint`; with `paras`,
 * the parachains its XCM goes to are forked too, joined to it, and followed (`followXcmOnPara`).
 */
export async function dryRunOnFork(
	o: ForkSessionOptions & { plan: ForkCall; paras?: DryRunPara[] },
): Promise<{ report: RehearsalReport; paras: RehearsalReport[]; cache: string }> {
	const paras = o.paras ?? [];
	return onFork(
		o,
		paras.map((p) => p.endpoint),
		async (api, options, paraApis) => {
			const report = await rehearseCallOnFork(api, o.plan, options);
			const out: RehearsalReport[] = [];
			for (const [i, p] of paras.entries()) {
				const paraApi = paraApis[i]!;
				const dispatched = report.upgrade && report.upgrade.dispatch === 'Ok';
				if (!dispatched) {
					out.push(
						notRunReport(
							p.env,
							paraApi.forkedAt,
							await version(paraApi.api),
							`the call did not go through on the relay's fork (${report.failure ?? 'no block with the call'}): no message was sent`,
							{ ...(p.expect ? { codeHash: p.expect.codeHash } : {}), followed: 'xcm' },
						),
					);
					continue;
				}
				out.push(
					await followXcmOnPara(
						paraApi.api,
						{ ...p, relayBlock: report.upgrade!.number },
						{ ...options, forkedAt: paraApi.forkedAt },
					),
				);
			}
			return { report, paras: out };
		},
	);
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
