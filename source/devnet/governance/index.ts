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
 * - Referenda (root track from the metadata's Referenda.Tracks; submit,
 *   place_decision_deposit, cancel, kill; preparing -> deciding -> confirming
 *   -> approved/rejected/timed out with the real curves; enactment through the
 *   scheduler), ConvictionVoting (vote, remove_vote; class locks), Whitelist
 *   (whitelist_call, remove_whitelisted_call, dispatch_whitelisted_call,
 *   dispatch_whitelisted_call_with_preimage; Root origins as in the kitchensink).
 *
 * Simplified (and said so here):
 * - Weights are a deterministic formula (see Runtime.callWeight), not
 *   benchmarks; the fee is base + 10 millicents/byte + ref time, with the fee
 *   burned (the kitchensink pays treasury and author).
 * - Block execution is TypeScript; `:code` holds a hand-assembled wasm whose
 *   Core_version and Metadata_metadata answer for the chain. State roots are
 *   real trie roots of the state; no consensus digests (BABE/GRANDPA); every
 *   block is final at once.
 * - Referenda are serviced every block instead of by scheduler alarms
 *   (same outcomes, no nudge_referendum agenda entries, `alarm` stays None);
 *   public democracy proposals, delegation, unlock and periodic scheduler
 *   tasks are not modelled. CheckMetadataHash mode 1 is not supported.
 * - Indices (MultiAddress::Index) lookups are not modelled.
 */
import { startRpcServer } from '../rpc-server.js';
import { buildDevnetCode, GovernanceChain } from './chain.js';
import { DEFAULT_PERIODS, type GovernancePeriods } from './metadata.js';
import { type DevnetContext, rpcHandlers } from './rpc.js';

export { buildDevnetCode, GovernanceChain, DEFAULT_PERIODS };
export type { GovernancePeriods };
export { SYSTEM_NAME, CHAIN_NAME } from './rpc.js';

export interface GovernanceDevnetOptions {
	/** TCP port on 127.0.0.1; 0 (default) picks any free port. */
	port?: number;
	/**
	 * Block production: every `n` ms (default 6000), 'instant' (a block as soon
	 * as a transaction arrives) or 'manual' (only dev_newBlock / newBlocks).
	 */
	blockTime?: number | 'manual' | 'instant';
	/** Governance periods in blocks; the served metadata carries the same values. */
	periods?: Partial<GovernancePeriods>;
}

export interface GovernanceDevnet {
	endpoint: string;
	port: number;
	/** The simulated chain (for in-process inspection; tests should use @polkadot/api). */
	chain: GovernanceChain;
	close(): Promise<void>;
	newBlocks(n?: number): Promise<void>;
}

export async function startGovernanceDevnet(opts: GovernanceDevnetOptions = {}): Promise<GovernanceDevnet> {
	const chain = await GovernanceChain.create({ periods: opts.periods });
	const blockTime = opts.blockTime ?? 6000;
	let closed = false;
	const ctx: DevnetContext = {
		chain,
		buildMode: blockTime === 'manual' ? 'manual' : blockTime === 'instant' ? 'instant' : 'interval',
		onSubmitted: () => {
			if (ctx.buildMode === 'instant' && !closed) setTimeout(() => void chain.newBlocks(1).catch(() => undefined), 0);
		},
	};
	const server = await startRpcServer(rpcHandlers(), ctx, { port: opts.port ?? 0, host: '127.0.0.1' });
	let timer: NodeJS.Timeout | undefined;
	if (typeof blockTime === 'number') {
		timer = setInterval(() => {
			if (ctx.buildMode === 'interval') void chain.newBlocks(1).catch(() => undefined);
		}, blockTime);
		timer.unref?.();
	}
	return {
		endpoint: server.endpoint,
		port: server.port,
		chain,
		newBlocks: async (n = 1) => {
			await chain.newBlocks(n);
		},
		close: async () => {
			if (closed) return;
			closed = true;
			if (timer) clearInterval(timer);
			await server.close();
			await chain.newBlocks(0).catch(() => undefined);
			const { executor } = await import('./chain.js');
			const ex = await executor();
			await ex.destroyWorker();
		},
	};
}
