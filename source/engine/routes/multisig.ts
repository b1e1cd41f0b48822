/** Multisig-sudo: approvals by the signatories, the final as_multi dispatching sudo. */
import type { ApiPromise } from '@polkadot/api';
import type { Authority } from '../../chain/prompt.js';
import { callWeight, planOf, sameAccount, palletCall, palletQuery, palletTx, zeroWeight } from '../../chain/pallets/common.js';
import { authorizedCodeHash } from '../../chain/pallets/system.js';
import { multisigAddress, multisigState, otherSignatories } from '../../chain/pallets/multisig.js';
import { type Again, type EngineContext, type StepResult, done, failed, gov, payloadOf, record, short, waiting } from '../context.js';
import { offer, rerun } from '../offer.js';

import { findUpgradeBlock, recordRunningCode, recordUpgradeOutcome } from '../upgrade-record.js';
import { type Enacted, type Plans, enacted } from './plans.js';
import { sudoKey as readSudoKey } from '../../chain/pallets/sudo.js';

// --- multisig sudo ------------------------------------------------------------------------------------

/**
 * The multisig call already executed (another signatory's console, or this one
 * killed before the outcome): the route has no enactment stage, so the
 * multisig stage records what the chain shows — the upgrade block (verify
 * needs it) or the authorization.
 */
export async function multisigDecided(ctx: EngineContext, api: ApiPromise, p: Plans, found: NonNullable<Enacted>): Promise<StepResult> {
	if (found.kind === 'code')
		return recordRunningCode(
			ctx,
			api,
			p.codeHash,
			'multisig',
			'the chain already runs this code (the upgrade block is older than the search window)',
		);
	const block = await findUpgradeBlock(api, p.codeHash, authorizedCodeHash);
	const blockNumber = block?.blockNumber ?? (await api.rpc.chain.getHeader()).number.toNumber();
	record(ctx, { authorized: { blockNumber, codeHash: p.codeHash } }, `upgrade authorized at block #${blockNumber}`);
	return done(ctx, 'multisig', `the chain authorized code hash ${short(p.codeHash)} at block #${blockNumber}; the code can be applied`);
}

export async function multisigStage(ctx: EngineContext, api: ApiPromise, p: Plans, again: Again): Promise<StepResult> {
	const config = ctx.env.routeOptions?.multisig;
	if (!config)
		return {
			kind: 'refused',
			stage: 'multisig',
			message: `environment ${ctx.env.name} has no multisig configured`,
			hint: 'env add … --route multisig-sudo --signatory A --signatory B --threshold 2',
		};
	const ss58 = api.registry.chainSS58 ?? 42;
	const address = multisigAddress(config.signatories, config.threshold, ss58);
	if (!palletQuery(api, 'sudo') || !palletTx(api, 'multisig'))
		return failed(ctx, 'multisig', `${ctx.env.name} needs the Sudo and Multisig pallets for route multisig-sudo`);
	const sudoKey = (await readSudoKey(api)) ?? '';
	if (!sameAccount(sudoKey, address)) {
		return {
			kind: 'refused',
			stage: 'multisig',
			message: `the sudo key is ${sudoKey || 'not set'}, not the multisig ${address} (${config.threshold} of ${config.signatories.length})`,
			hint: "check the environment's signatories and threshold, or make the multisig the sudo key (sudo.setKey)",
		};
	}
	const set = payloadOf(ctx.env) === 'set-code';
	const zero = zeroWeight(api, palletCall(api, 'sudo', 'sudoUncheckedWeight'), 1);
	const call = set
		? planOf(palletCall(api, 'sudo', 'sudoUncheckedWeight')(p.payload.tx, zero), 'sudo.sudoUncheckedWeight(system.setCode)')
		: planOf(palletCall(api, 'sudo', 'sudo')(p.payload.tx), `sudo.sudo(${p.payload.label})`);
	const state = await multisigState(api, address, call.hash);
	if (gov(ctx).multisig?.callHash !== call.hash || JSON.stringify(gov(ctx).multisig?.timepoint) !== JSON.stringify(state?.when)) {
		record(
			ctx,
			{ multisig: { address, callHash: call.hash, threshold: config.threshold, ...(state ? { timepoint: state.when } : {}) } },
			`multisig ${address}: call ${call.hash}, ${state?.approvals.length ?? 0} of ${config.threshold} approvals`,
		);
	}
	const signer = ctx.signer;
	const isSignatory = signer ? config.signatories.some((s) => sameAccount(s, signer.address)) : false;
	const approvals = state?.approvals ?? [];
	const missing = config.signatories.filter((s) => !approvals.some((a) => sameAccount(a, s)));
	const status = `multisig ${short(address)}: ${approvals.length} of ${config.threshold} approvals for call ${short(call.hash)}`;
	if (!signer) return { kind: 'needs-signer', stage: 'multisig', message: `${status}; needs a signatory: ${missing.join(', ')}` };
	if (!isSignatory) {
		return {
			kind: 'refused',
			stage: 'multisig',
			message: `${signer.address} is not a signatory of multisig ${address}; signatories: ${config.signatories.join(', ')}`,
			hint: 'sign with one of the signatories',
		};
	}
	if (approvals.some((a) => sameAccount(a, signer.address))) {
		const more = config.threshold - approvals.length;
		return waiting(
			ctx,
			'multisig',
			`${status}; you have approved; ${more} more approval${more === 1 ? '' : 's'} needed, from any of: ${missing.join(', ')}`,
			'someone-else',
		);
	}
	const others = otherSignatories(config.signatories, signer.address, ss58);
	const authority: Authority = {
		ok: true,
		text: `is signatory ${config.signatories.findIndex((s) => sameAccount(s, signer.address)) + 1} of ${config.signatories.length} of multisig ${address}, which is the sudo key`,
	};
	const facts = [
		{ label: 'Multisig', value: `${address} (${config.threshold} of ${config.signatories.length})` },
		{ label: 'Inner call', value: `${call.label}, hash ${call.hash}` },
		{ label: 'Code hash', value: p.codeHash },
	];
	const weight = await callWeight(api, call.tx, address);
	const timepoint = state ? state.when : null;
	const recheck = async () => {
		if (await enacted(ctx, api, p.codeHash)) return again();
		const now = await multisigState(api, address, call.hash);
		// Another signatory approved, executed or cancelled since the prompt: its timepoint or
		// approval count no longer holds, so prepare the step again from the chain.
		const stale = JSON.stringify(now?.when) !== JSON.stringify(state?.when) || (now?.approvals.length ?? 0) !== approvals.length;
		return stale || now?.approvals.some((a) => sameAccount(a, signer.address)) ? multisigStage(ctx, api, p, again) : undefined;
	};
	const final = approvals.length + 1 >= config.threshold;
	if (final) {
		const asMulti = palletCall(api, 'multisig', 'asMulti');
		// Older Multisig (e.g. Rococo 9130): as_multi(threshold, others, timepoint, call: OpaqueCall, store_call, max_weight: u64).
		// The call's bare hex becomes Compact<len> ++ call for WrapperKeepOpaque<Call> and Vec<u8>, and the Call itself where
		// the type is Call; the chain hashes the inner bytes, so the call hash matches approveAsMulti's.
		const tx =
			config.threshold === 1
				? palletCall(api, 'multisig', 'asMultiThreshold1')(others, call.tx)
				: asMulti.meta.args.length === 6
					? asMulti(config.threshold, others, timepoint, call.tx.method.toHex(), false, weight)
					: asMulti(config.threshold, others, timepoint, call.tx, weight);
		return offer(ctx, api, {
			stage: 'multisig',
			plan: planOf(tx, `multisig.asMulti(${call.label})`),
			authority,
			who: 'a signatory',
			purpose: `final approval: submit the call through multisig ${short(address)} (${approvals.length + 1} of ${config.threshold}); it executes ${call.label}`,
			facts,
			recheck,
			after: async ({ outcome, events }) => {
				if (set && events.includes('system.CodeUpdated')) {
					return recordUpgradeOutcome(
						ctx,
						outcome.blockNumber!,
						outcome.blockHash!,
						outcome.extrinsicHash!,
						events,
						undefined,
						`executed by multisig ${short(address)}`,
						'multisig',
					);
				}
				if (!set && events.includes('system.UpgradeAuthorized')) {
					record(
						ctx,
						{ authorized: { blockNumber: outcome.blockNumber!, codeHash: p.codeHash } },
						`upgrade authorized at block #${outcome.blockNumber}`,
					);
					return done(
						ctx,
						'multisig',
						`executed by multisig ${short(address)} in block #${outcome.blockNumber}: code hash ${short(p.codeHash)} authorized`,
					);
				}
				return failed(
					ctx,
					'multisig',
					`the multisig call in block #${outcome.blockNumber} did not ${set ? 'update the code' : 'authorize the upgrade'} (events: ${events.join(', ')})`,
					'read the MultisigExecuted / Sudid results in that block',
				);
			},
		});
	}
	return offer(ctx, api, {
		stage: 'multisig',
		plan: planOf(
			palletCall(api, 'multisig', 'approveAsMulti')(config.threshold, others, timepoint, call.hash, weight),
			'multisig.approveAsMulti',
		),
		authority,
		who: 'a signatory',
		purpose: `approve call hash ${short(call.hash)} for multisig ${short(address)} (${approvals.length + 1} of ${config.threshold})`,
		facts,
		recheck,
		after: rerun('multisig'),
	});
}
