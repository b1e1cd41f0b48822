/**
 * For each behaviour the governance devnet models, the FRAME behaviour it
 * mirrors (substrate/frame/<pallet>/src/lib.rs, as of the kitchensink metadata
 * in @polkadot/types-support). The test fails if a call is modelled without a
 * statement here, or a statement names a call that is not modelled.
 * The behaviours are exercised through @polkadot/api in the other
 * devnet-governance-*.test.ts files.
 */
import { describe, expect, it } from 'vitest';
import { modelledCalls } from '../../source/devnet/governance/index.js';

const collective = (c: string): Record<string, string> => ({
	[`${c}.setMembers`]: 'Root; members sorted; prime must be a member (PrimeAccountNotMember)',
	[`${c}.execute`]: 'member only (NotMember); length bound (WrongProposalLength); dispatch as Member(who); MemberExecuted',
	[`${c}.propose`]:
		'member only; length bound (WrongProposalLength); call weight <= MaxProposalWeight (WrongProposalWeight); DuplicateProposal; threshold < 2 dispatches at once as Members(1, seats) with Executed; otherwise Proposals/ProposalOf/Voting{index, threshold, ayes: [], nays: [], end = now + MotionDuration}, ProposalCount, Proposed',
	[`${c}.vote`]:
		'member only; ProposalMissing; WrongIndex; DuplicateVote; a switched vote swap_removes the old one; Voted{yes,no}; first vote Pays::No',
	[`${c}.close`]:
		'approve as soon as ayes >= threshold, disapprove as soon as seats - nays < threshold; otherwise TooEarly before end, then abstentions follow the prime (PrimeDefaultVote); approval checks the stored length (WrongProposalLength) and weight bound (WrongProposalWeight), then Closed, Approved, dispatch as Members(yes, seats), Executed; Disapproved removes the motion',
	[`${c}.disapproveProposal`]: 'Root; Disapproved and removal',
});

const FRAME: Record<string, string> = {
	'system.remark': 'any origin, no effect',
	'system.remarkWithEvent': 'signed; Remarked { sender, hash: blake2_256(remark) }',
	'system.setCode':
		"Root; can_set_code executes the new code's Core_version: FailedToExtractRuntimeVersion, InvalidSpecName (spec name must be equal), SpecVersionNeedsToIncrease; writes :code, RuntimeEnvironmentUpdated digest, CodeUpdated; LastRuntimeUpgrade is written by the first block of the new code",
	'system.setCodeWithoutChecks': 'Root; set_code without the version checks',
	'system.authorizeUpgrade': 'Root; AuthorizedUpgrade { code_hash, check_version: true }; UpgradeAuthorized',
	'system.authorizeUpgradeWithoutChecks': 'Root; AuthorizedUpgrade { code_hash, check_version: false }; UpgradeAuthorized',
	'system.applyAuthorizedUpgrade':
		'any origin, also unsigned (ValidateUnsigned); NothingAuthorized; Unauthorized if the hash differs; version checks if check_version; set_code; AuthorizedUpgrade killed; Pays::No',
	'system.setStorage': 'Root; raw writes',
	'system.killStorage': 'Root; raw deletes',
	'timestamp.set': 'inherent (None origin), one per block; Now',
	'balances.transferAllowDeath':
		'fungible transfer, Expendable: FundsUnavailable, Frozen, BelowMinimum for a new account under the ED; NewAccount/Endowed, DustLost/KilledAccount; Transfer',
	'balances.transferKeepAlive': 'as transfer_allow_death with Preservation::Preserve (NotExpendable)',
	'balances.forceTransfer': 'Root; transfer from any source',
	'balances.transferAll': 'transfer of the reducible balance (keep_alive honours the ED)',
	'balances.forceSetBalance': 'Root; below the ED is zero; total issuance adjusted; BalanceSet',
	'balances.forceUnreserve': 'Root; unreserve; Unreserved',
	'balances.burn': 'reducible balance only; total issuance reduced; Burned',
	'sudo.sudo': 'ensure_sudo (Root or the key, else RequireSudo); dispatch as Root; Sudid(result); Pays::No',
	'sudo.sudoUncheckedWeight': 'as sudo',
	'sudo.sudoAs': 'ensure_sudo; dispatch as Signed(who); SudoAsDone(result)',
	'sudo.setKey': 'ensure_sudo; KeyChanged { old, new }',
	'sudo.removeKey': 'ensure_sudo; KeyRemoved; Key killed',
	'utility.batch':
		'not None; each call transactional; stops at the first error with BatchInterrupted { index, error }; ItemCompleted; BatchCompleted',
	'utility.batchAll': 'all-or-nothing: the first error fails the whole call and reverts it',
	'utility.forceBatch': 'continues past errors (ItemFailed); BatchCompletedWithErrors',
	'utility.asDerivative': 'dispatch as blake2_256("modlpy/utilisuba" ++ who ++ index)',
	'utility.dispatchAs': 'Root; dispatch as the given origin; DispatchedAs(result)',
	'utility.withWeight': 'Root; dispatch as Root, error propagated',
	'preimage.notePreimage':
		'signed pays a held deposit (HoldConsideration, kitchensink LinearStoragePrice deposit(2,64) + deposit(0,1)/byte) → RequestStatusFor Unrequested { ticket, len }; Root takes none; AlreadyNoted; a requested preimage is free; PreimageFor[(hash, len)]; Noted',
	'preimage.unnotePreimage': 'owner (NotAuthorized otherwise) or Root; releases the hold; Cleared when unrequested',
	'preimage.requestPreimage': 'Root; Requested { count }; Requested event on the first request',
	'preimage.unrequestPreimage': 'Root; NotRequested; count down; the noter gets it back as Unrequested, or it is Cleared',
	'scheduler.schedule':
		'Root; TargetBlockNumberInPast; Agenda slot; Bounded call (inline <= 128 bytes, else noted and looked up); Scheduled',
	'scheduler.scheduleNamed': 'as schedule, plus Lookup[id]; FailedToSchedule for a taken id',
	'scheduler.scheduleAfter': 'as schedule at now + after + 1',
	'scheduler.scheduleNamedAfter': 'as schedule_named at now + after + 1',
	'scheduler.cancel': 'Root; NotFound; preimage request dropped; Canceled',
	'scheduler.cancelNamed': 'Root; via Lookup; Canceled',
	...collective('council'),
	...collective('technicalCommittee'),
	'democracy.externalPropose':
		'ExternalOrigin = Council 1/2 (EnsureProportionAtLeast, no Root); DuplicateProposal; ProposalBlacklisted; NextExternal (SuperMajorityApprove)',
	'democracy.externalProposeMajority': 'ExternalMajorityOrigin = Council 3/4; NextExternal (SimpleMajority)',
	'democracy.externalProposeDefault': 'ExternalDefaultOrigin = Council 1/1; NextExternal (SuperMajorityAgainst)',
	'democracy.fastTrack':
		'FastTrackOrigin = TC 2/3 for voting_period >= FastTrackVotingPeriod, else InstantOrigin = TC 1/1 and InstantAllowed; VotingPeriodLow; ProposalMissing; NotSimpleMajority; InvalidHash; inject_referendum(now + voting_period, delay); Started',
	'democracy.vote':
		'ReferendumInvalid; InsufficientFunds (free balance); Direct votes sorted by index, replacing a previous vote; conviction votes (None = 1/10, LockedNx = N) and turnout; extend_lock("democrac"); Voted. Maturity at end: VoteThreshold::approved with integer sqrt of turnout and electorate; Passed → schedule_named((DEMOCRACY_ID, index), now + max(delay, 1), Root, priority 63) or NotPassed; LowestUnbaked. Launch period: tables NextExternal (ExternalTabled, Started)',
	'democracy.cancelReferendum': 'Root; Cancelled; info removed',
	'multisig.asMultiThreshold1':
		'TooFewSignatories/TooManySignatories/SignatoriesOutOfOrder/SenderInSignatories; dispatch as multi_account_id(signatories, 1)',
	'multisig.asMulti':
		'MinimumThreshold; sorted signatories; first call reserves DepositBase + DepositFactor * threshold (UnexpectedTimepoint if given), NewMultisig; later calls need the timepoint (NoTimepoint, WrongTimepoint); at threshold with the call: MaxWeightTooLow, unreserve, dispatch as the multisig, MultisigExecuted(result); else MultisigApproval or AlreadyApproved',
	'multisig.approveAsMulti': 'as as_multi with the call hash only',
	'multisig.cancelAsMulti': 'NotFound; WrongTimepoint; NotOwner (depositor only); unreserve; MultisigCancelled',
	'proxy.proxy':
		"signed; find_proxy(real, who, force_proxy_type) (NotProxy); a delay is Unannounced; do_proxy: dispatch as Signed(real) with the proxy type's InstanceFilter (Polkadot 9410's) added to the origin (a filtered call, nested ones included, is frame_system CallFiltered; add/remove_proxy only for a subset type, remove_proxies/kill_pure only as Any); ProxyExecuted(result), the proxy call itself Ok",
	'proxy.addProxy':
		'NoSelfProxy; Duplicate (same delegate, type and delay); TooMany (MaxProxies); definitions kept sorted; deposit ProxyDepositBase + ProxyDepositFactor × n reserved; ProxyAdded',
	'proxy.removeProxy': 'NotFound; deposit rejigged (unreserved), the entry removed with the last proxy; ProxyRemoved',
	'proxy.removeProxies': 'Proxies taken; the whole deposit unreserved',
	'proxy.createPure':
		'pure_account = blake2_256(("modlpy/proxy____", who, height, ext_index, proxy_type, index)); Duplicate; reserves ProxyDepositBase + ProxyDepositFactor; PureCreated',
	'proxy.killPure':
		'the sender must be pure_account(spawner, type, index, height, ext_index) (NoPermission); Proxies taken; deposit unreserved to the spawner',
	'proxy.announce':
		'NotProxy (any type of the real account); TooMany (MaxPending); Announcement { real, call_hash, height: now }; deposit AnnouncementDepositBase + AnnouncementDepositFactor × n; Announced',
	'proxy.removeAnnouncement': "the delegate's own announcement (NotFound); deposit rejigged",
	'proxy.rejectAnnouncement': "the real account removes a delegate's announcement (NotFound); deposit rejigged",
	'proxy.proxyAnnounced':
		'any signed sender; find_proxy(real, delegate, force); removes the announcements of blake2_256(call) made at least `delay` blocks ago, none is Unannounced; then do_proxy as proxy',
	'referenda.submit':
		'signed; TracksInfo::track_for (kitchensink: Root → track 0, else NoTrack); PreimageStoredWithDifferentLength; reserves SubmissionDeposit; Ongoing status; Submitted',
	'referenda.placeDecisionDeposit':
		'NotOngoing; HasDeposit; reserves the track decision deposit; service_referendum: preparing until submitted + prepare_period, then deciding (max_deciding, else TrackQueue), DecisionStarted; passing by the track curves (Curve::threshold on elapsed/decision_period, support = ayes capital / total issuance, approval = ayes/(ayes+nays)) → ConfirmStarted, confirm_period later Confirmed and schedule_enactment(max(desired, now + min_enactment_period)) named blake2((b"assembly", "enactment", index)); failing at the end of the decision period → Rejected; ConfirmAborted; UndecidingTimeout → TimedOut',
	'referenda.cancel': 'Root; Cancelled',
	'referenda.kill': 'Root; Killed',
	'referenda.nudgeReferendum': 'Root; service_referendum',
	'convictionVoting.vote':
		'InsufficientFunds (total balance); NotOngoing; AlreadyDelegating; Casting votes sorted by poll, replacing a previous vote; tally ayes/nays with conviction, support = aye capital (+ abstain); MaxVotesReached; class lock (ClassLocksFor) and the "pyconvot" balance lock',
	'convictionVoting.removeVote': 'ClassNeeded; NotVoter; removes the vote and its tally while ongoing',
	'whitelist.whitelistCall':
		'WhitelistOrigin (kitchensink: Root); CallAlreadyWhitelisted; WhitelistedCall; requests the preimage; CallWhitelisted',
	'whitelist.removeWhitelistedCall': 'WhitelistOrigin; CallIsNotWhitelisted; unrequests; WhitelistedCallRemoved',
	'whitelist.dispatchWhitelistedCall':
		'DispatchWhitelistedOrigin (Root); CallIsNotWhitelisted; UnavailablePreImage; UndecodableCall; InvalidCallWeightWitness; removes, unrequests, dispatches as Root; WhitelistedCallDispatched(result)',
	'whitelist.dispatchWhitelistedCallWithPreimage':
		'as dispatch_whitelisted_call with the call given inline (hashed to find the whitelist entry)',
};

describe('governance devnet: FRAME behaviour statements', () => {
	it('states the FRAME behaviour it mirrors for every modelled call, and models every call it states', () => {
		const modelled = modelledCalls();
		expect(modelled.filter((c) => !FRAME[c])).toEqual([]);
		expect(Object.keys(FRAME).filter((c) => !modelled.includes(c))).toEqual([]);
	});
});
