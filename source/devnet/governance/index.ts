/**
 * Governance devnet: an embedded chain with FRAME governance, for rehearsals,
 * demos and tests. It is a SIMULATION (system_name says so): a local chain that
 * speaks the real Substrate JSON-RPC and SCALE, built on the real kitchensink
 * ("substrate node") metadata from @polkadot/types-support, whose pallets are
 * TypeScript re-implementations of their FRAME sources for the calls listed
 * below. Anything not listed is refused loudly, never silently "succeeds".
 *
 * Modelled (behaviour mirrors substrate/frame/<pallet> as of the metadata):
 * - System: remark, remark_with_event, set_code, set_code_without_checks,
 *   authorize_upgrade(_without_checks), apply_authorized_upgrade (signed or
 *   unsigned), set_storage, kill_storage. Version checks execute the new code's
 *   Core_version in a real wasm executor (chopsticks/smoldot): spec name must
 *   match, spec version must increase. CodeUpdated, UpgradeAuthorized, the
 *   RuntimeEnvironmentUpdated digest, LastRuntimeUpgrade written by the first
 *   block of the new code; state_getRuntimeVersion / state_getMetadata and
 *   the runtime-version subscription switch to the new code's answers.
 * - Timestamp (inherent in every block, +6 s per block), Balances (transfers,
 *   force_transfer, transfer_all, force_set_balance, burn, force_unreserve;
 *   reserves, holds, locks, ED and account lifecycle events), Sudo (sudo,
 *   sudo_unchecked_weight, sudo_as, set_key, remove_key), Utility (batch,
 *   batch_all, force_batch, as_derivative, dispatch_as, with_weight).
 * - Preimage (note/unnote/request/unrequest, RequestStatusFor, PreimageFor,
 *   held deposits at the kitchensink's price), Scheduler (schedule*, cancel*,
 *   Agenda/Lookup, Lookup and Inline calls dispatched at their block,
 *   Dispatched / CallUnavailable).
 * - Council and TechnicalCommittee (pallet_collective: propose incl. threshold
 *   < 2 executing at once, vote, close with WrongProposalLength /
 *   WrongProposalWeight, prime default vote, execute, set_members,
 *   disapprove_proposal), Democracy (external_propose[_majority|_default]
 *   with the kitchensink's council origins, fast_track with FastTrackOrigin /
 *   InstantOrigin rules, vote with conviction and locks, launch period,
 *   voting period, maturity with the real VoteThreshold arithmetic, enactment
 *   through the scheduler, cancel_referendum).
 * - Multisig (as_multi, as_multi_threshold_1, approve_as_multi,
 *   cancel_as_multi, deposits, timepoints).
 * - Proxy (proxy, add_proxy, remove_proxy, remove_proxies, create_pure,
 *   kill_pure, announce, remove/reject_announcement, proxy_announced) with
 *   Polkadot runtime 9410's ProxyType (served in the metadata in place of the
 *   kitchensink's), InstanceFilter (added to the Signed(real) origin, so nested
 *   calls are filtered too: CallFiltered) and deposits.
 * - Referenda (root track from the metadata's Referenda.Tracks; submit,
 *   place_decision_deposit, cancel, kill; preparing -> deciding -> confirming
 *   -> approved/rejected/timed out with the real curves; enactment through the
 *   scheduler), ConvictionVoting (vote, remove_vote; class locks), Whitelist
 *   (whitelist_call, remove_whitelisted_call, dispatch_whitelisted_call,
 *   dispatch_whitelisted_call_with_preimage; Root origins as in the kitchensink).
 *
 * Refused, never faked: a call outside the list above is rejected by the pool
 * with `1010: Invalid Transaction` naming it (nested calls included); one that
 * is only reached at dispatch time (a preimage, a whitelisted call) fails with
 * DispatchError::Other and is named by the `devnet_unmodelledCalls` RPC, which
 * also reports internal errors (they fail the call instead of the chain). A
 * block that cannot be built at all is never dropped silently: it is written to
 * stderr, listed there too and counted by `devnet_buildFailures`.
 *
 * Simplified (and said so here):
 * - Weights are a deterministic formula (Runtime.callWeight: 1e8 + 1e3/byte ref
 *   time), not benchmarks. Fee = base extrinsic weight + 10 millicents per byte
 *   + ref time (IdentityFee, multiplier 1); fees are burned (the kitchensink
 *   pays treasury and author). No block weight/length limits are enforced.
 * - Block execution is TypeScript; `:code` holds a hand-assembled wasm
 *   (runtime-wasm.ts) whose Core_version and Metadata_metadata answer for the
 *   chain; an upgrade is accepted only to code whose metadata has the devnet's
 *   pallets and types (anything else fails with DispatchError::Other, since the
 *   devnet could not keep simulating it). State and extrinsics roots are real
 *   trie roots (computed incrementally in trie.ts, checked against chopsticks' executor in tests); no BABE/GRANDPA digests;
 *   every block is final at once (`finalized` follows `inBlock` by ~20 ms).
 * - Referenda are serviced every block instead of by scheduler alarms (same
 *   transitions with the kitchensink's AlarmInterval = 1; no nudge_referendum
 *   agenda entries, `alarm` stays None); deposit refunds and
 *   one_fewer_deciding calls are not modelled. Democracy public proposals,
 *   delegation, unlock, blacklist/veto/emergency_cancel, scheduler periodic
 *   tasks and retries, and collective proposal deposits are not modelled.
 * - Kitchensink configuration is followed where the metadata cannot say it:
 *   council/TC origins for Democracy, Root-only Whitelist origins, Root → track
 *   0 as the only Referenda track, Preimage/Multisig deposits; Proxy follows
 *   Polkadot instead (see above).
 * - CheckMetadataHash mode 1 (RFC-78 hash) is not supported; MultiAddress::Index
 *   lookups are not modelled.
 *
 * Defaults: blocks every 6 s (blockTime; or 'instant' / 'manual' with
 * dev_newBlock), timestamp +6 s per block (dev_timeTravel jumps), dev accounts
 * //Alice..//Ferdie with 10M DOLLARS, Alice is sudo, Council Alice/Bob/Charlie
 * (prime Alice), TechnicalCommittee Alice/Bob/Dave, short periods (DEFAULT_PERIODS,
 * in blocks) that the served metadata constants repeat.
 *
 * Persistence (`dataDir`, which the background mode sets to the store
 * directory): the kept window is written to `devnet-governance.snapshot.json`
 * half a second after a block (one write at a time, atomically) and on close, and a start
 * with that file resumes from it: same blocks, state, periods and instance id
 * (`devnet_instance`, ../instance.ts). What a snapshot does not keep is listed
 * in chain/snapshot.ts (pool transactions, notes of the previous run).
 */
import { mkdirSync } from 'node:fs';
import { startRpcServer } from '../rpc-server.js';
import { type DevnetInstance, dataFile, newInstance } from '../instance.js';
import { buildDevnetCode, executor, GovernanceChain, readSnapshotFile, writeSnapshotFile } from './chain/index.js';
import { DEFAULT_PERIODS, type GovernancePeriods } from './metadata.js';
import { type DevnetContext, rpcHandlers } from './rpc.js';

export { buildDevnetCode, GovernanceChain, DEFAULT_PERIODS };
export type { GovernancePeriods };
export { SYSTEM_NAME, CHAIN_NAME } from './rpc.js';
export { modelledCalls } from './pallets/index.js';

export interface GovernanceDevnetOptions {
	/** TCP port on 127.0.0.1; 0 (default) picks any free port. */
	port?: number;
	/**
	 * Block production: every `n` ms (default 6000), 'instant' (a block as soon
	 * as a transaction arrives) or 'manual' (only dev_newBlock / newBlocks).
	 */
	blockTime?: number | 'manual' | 'instant';
	/** Governance periods in blocks; the served metadata carries the same values. A resumed chain keeps its own. */
	periods?: Partial<GovernancePeriods>;
	/** Keep the chain in `<dataDir>/devnet-governance.snapshot.json` and resume from it (default: in memory only). */
	dataDir?: string;
}

export interface GovernanceDevnet {
	endpoint: string;
	port: number;
	/** The simulated chain (for in-process inspection; tests should use @polkadot/api). */
	chain: GovernanceChain;
	instance: DevnetInstance;
	/** Resumed from a snapshot (the best block it resumed at), or created afresh. */
	resumedAt?: number;
	/** Write the snapshot now (with `dataDir`; resolves when it is on disk). */
	save(): Promise<void>;
	close(): Promise<void>;
	newBlocks(n?: number): Promise<void>;
	/** Open client connections (a background devnet with none for a while stops). */
	connections(): number;
}

let openDevnets = 0;

/** How long after a block its snapshot is written (a burst of blocks shares one write; stop writes at once). */
const SAVE_DELAY_MS = 500;

/** For promises of block production whose failure GovernanceChain has already reported. */
const reported = (): void => undefined;

export async function startGovernanceDevnet(opts: GovernanceDevnetOptions = {}): Promise<GovernanceDevnet> {
	openDevnets++;
	let chain: GovernanceChain;
	const file = opts.dataDir ? dataFile(opts.dataDir, 'governance') : undefined;
	let instance: DevnetInstance;
	let resumedAt: number | undefined;
	try {
		const snapshot = file ? readSnapshotFile<DevnetInstance>(file) : undefined;
		chain = await GovernanceChain.create({ periods: opts.periods, ...(snapshot ? { snapshot } : {}) });
		instance = snapshot?.instance ?? newInstance('governance', Boolean(file));
		if (snapshot) resumedAt = chain.best.number;
	} catch (e) {
		openDevnets--;
		throw e;
	}
	let saveTimer: NodeJS.Timeout | undefined;
	// One snapshot write at a time; one asked for meanwhile follows it (it will see the newest blocks).
	let writing: Promise<void> = Promise.resolve();
	let queued: Promise<void> | undefined;
	const save = (): Promise<void> => {
		if (!file) return Promise.resolve();
		if (queued) return queued;
		const next = writing.then(async () => {
			queued = undefined;
			await writeSnapshotFile(file, chain.toSnapshot(instance));
		});
		queued = next;
		writing = next.catch((error: Error) => {
			process.stderr.write(`governance devnet (simulation): could not save ${file}: ${error.message}\n`);
		});
		return next;
	};
	if (file) {
		try {
			mkdirSync(opts.dataDir!, { recursive: true });
			// A new chain is on disk from its genesis on.
			if (resumedAt === undefined) await save();
		} catch (e) {
			openDevnets--;
			throw e;
		}
		// Half a second after a block (or a dev_setStorage): blocks built in a burst share one write.
		const soon = () => {
			saveTimer ??= setTimeout(() => {
				saveTimer = undefined;
				void save().catch(reported);
			}, SAVE_DELAY_MS);
		};
		chain.on('block', soon);
		chain.on('storage', soon);
	}
	const blockTime = opts.blockTime ?? 6000;
	let closed = false;
	// Background block production has no caller to reject to: the chain has already reported
	// the failure (stderr, debug trace, devnet_buildFailures, devnet_unmodelledCalls, 'buildFailed').
	const produce = () => void chain.newBlocks(1).catch(reported);
	const ctx: DevnetContext = {
		chain,
		instance,
		buildMode: blockTime === 'manual' ? 'manual' : blockTime === 'instant' ? 'instant' : 'interval',
		onSubmitted: () => {
			if (ctx.buildMode === 'instant' && !closed) setTimeout(produce, 0);
		},
	};
	const server = await startRpcServer(rpcHandlers(), ctx, { port: opts.port ?? 0, host: '127.0.0.1' });
	let timer: NodeJS.Timeout | undefined;
	if (typeof blockTime === 'number') {
		timer = setInterval(() => {
			if (ctx.buildMode === 'interval') produce();
		}, blockTime);
		timer.unref?.();
	}
	return {
		endpoint: server.endpoint,
		port: server.port,
		chain,
		instance,
		...(resumedAt === undefined ? {} : { resumedAt }),
		save,
		connections: () => server.connections(),
		newBlocks: async (n = 1) => {
			await chain.newBlocks(n);
		},
		close: async () => {
			if (closed) return;
			closed = true;
			if (timer) clearInterval(timer);
			await server.close();
			// Waits for the block in flight; its failure, if any, is reported already.
			await chain.newBlocks(0).catch(reported);
			// The last state on disk (a write failure was written to stderr).
			clearTimeout(saveTimer);
			await save().catch(reported);
			// The wasm executor worker is shared by every devnet in the process: stop it with the last one.
			openDevnets--;
			if (openDevnets === 0) {
				const ex = await executor();
				await ex.destroyWorker();
			}
		},
	};
}
