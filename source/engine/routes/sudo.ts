/** The sudo route's upgrade: sudo.sudoUncheckedWeight(system.setCode), or sudo.sudo(authorizeUpgrade) for the hash-first payload. */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { readArtifact } from '../../artifact/read.js';
import { chainRunsCode, onChainCodeHash } from '../../chain/live.js';

import { buildSudoSetCode, buildSudoUnchecked, hasSudo, sudoAuthority, sudoKey } from '../../chain/pallets/sudo.js';
import { artifactFor } from '../../domain/release.js';
import { linkedParas, withParaAuthorizations, type ParaSend } from './parachain.js';
import { codeArg, planOf, palletCall } from '../../chain/pallets/common.js';
import { authorizedCodeHash } from '../../chain/pallets/system.js';
import { artifactOf, type EngineContext, type StepResult, done, iso, payloadOf, record, short } from '../context.js';
import { offer, rerun } from '../offer.js';
import { findUpgradeBlock, recordUpgradeOutcome } from '../upgrade-record.js';
import { type Plans, plans } from './plans.js';

export async function upgradeStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const want = artifactOf(ctx);
	const at = iso(ctx);
	const chainCode = await onChainCodeHash(api);
	if (chainCode === want.codeHash) {
		// Already on chain: never send again. Find the block for the record.
		const found = await findUpgradeBlock(api, want.codeHash);
		if (found) {
			return recordUpgradeOutcome(
				ctx,
				found.blockNumber,
				found.blockHash,
				found.extrinsicHash ?? ('0x' as Hex),
				['system.CodeUpdated'],
				undefined,
				'the chain already runs this code',
			);
		}
		ctx.release.apply({
			type: 'stage/set',
			env: env.name,
			stage: 'upgrade',
			status: 'done',
			detail: 'the chain already runs this code (upgrade block not found)',
			at,
		});
		return { kind: 'progressed', stage: 'upgrade', message: 'the chain already runs this code; nothing sent' };
	}
	if (env.kind === 'production' || env.route !== 'sudo') {
		return {
			kind: 'refused',
			stage: 'upgrade',
			message: `the sudo route is refused on ${env.kind} environment ${env.name}`,
			hint: 'an upgrade on production cannot hang on a single signature',
		};
	}
	if (payloadOf(env) === 'authorize') {
		return sudoAuthorizeStage(ctx, api);
	}
	if (!hasSudo(api)) {
		return {
			kind: 'refused',
			stage: 'upgrade',
			message: `${env.name} has no Sudo pallet`,
			hint: 'configure a governance route for this environment',
		};
	}
	if (!ctx.signer) {
		const key = await api.query.sudo.key();
		return { kind: 'needs-signer', stage: 'upgrade', message: `the upgrade must be signed by the sudo key (${key.toString()})` };
	}
	const artifact = await readArtifact(want.path);
	if (artifact.codeHash !== want.codeHash) {
		return {
			kind: 'refused',
			stage: 'upgrade',
			message: `the wasm at ${want.path} changed since the release was created`,
			hint: 'restore the file or create a new release',
		};
	}
	// A relay whose release also ships parachains: its upgrade carries their authorizations, in one batch.
	let plan = buildSudoSetCode(api, artifact.bytes);
	let sends: ParaSend[] = [];
	if (linkedParas(ctx).length > 0) {
		try {
			const carried = await withParaAuthorizations(
				ctx,
				api,
				planOf(api.tx.system.setCode(codeArg(api, artifact.bytes)), 'system.setCode'),
			);
			sends = carried.sends;
			if (sends.length > 0) plan = buildSudoUnchecked(api, carried.plan.tx, carried.plan.label);
		} catch (error) {
			return {
				kind: 'refused',
				stage: 'upgrade',
				message: `the parachains' authorizations cannot be built: ${(error as Error).message}; nothing was signed`,
				hint: 'check the parachain environments of the release (their endpoints and para ids)',
			};
		}
	}
	return offer(ctx, api, {
		stage: 'upgrade',
		plan: { tx: plan.tx, label: plan.call, hash: plan.callHash },
		...(sends.length > 0
			? {
					purpose: `upgrade the relay and authorize ${sends.map((s) => `${s.env} (para ${s.paraId})`).join(', ')} in one batch`,
					facts: sends.flatMap((s) => [
						{ label: `To para ${s.paraId}`, value: s.plan.label },
						{ label: `Para ${s.paraId} hash`, value: artifactFor(ctx.release.get(), s.env).codeHash },
						{ label: 'Transact weight', value: s.plan.weight.text },
					]),
				}
			: {}),
		authority: await sudoAuthority(api, ctx.signer.address),
		who: 'the sudo key',
		refusalHint: 'sign with the sudo key, from a funded account',
		// Re-check right before sending: someone may have upgraded meanwhile.
		recheck: async () =>
			(await chainRunsCode(api, artifactOf(ctx).codeHash, artifactOf(ctx).specVersion)) ? upgradeStage(ctx, api) : undefined,
		onlyOpenIntentsOf: 'upgrade',
		afterSeesFailures: true,
		after: ({ outcome, events }) =>
			recordUpgradeOutcome(
				ctx,
				outcome.blockNumber!,
				outcome.blockHash!,
				outcome.extrinsicHash!,
				events,
				outcome.error,
				sends.length > 0
					? `with the authorization of ${sends.map((s) => `${s.env} (para ${s.paraId})`).join(', ')}: ${events.filter((e) => e.endsWith('.Sent')).length} xcmPallet.Sent`
					: undefined,
			),
	});
}

export async function sudoAuthorizeStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	let p: Plans;
	try {
		p = await plans(ctx, api);
	} catch (error) {
		return { kind: 'refused', stage: 'upgrade', message: (error as Error).message, hint: (error as { hint?: string }).hint };
	}
	if ((await authorizedCodeHash(api)) === p.codeHash) {
		const at = (await api.rpc.chain.getHeader()).number.toNumber();
		record(ctx, { authorized: { blockNumber: at, codeHash: p.codeHash } }, `code hash ${p.codeHash} is authorized`);
		return done(ctx, 'upgrade', `code hash ${short(p.codeHash)} is authorized; the code can be applied`);
	}
	if (!hasSudo(api))
		return {
			kind: 'refused',
			stage: 'upgrade',
			message: `${ctx.env.name} has no Sudo pallet`,
			hint: 'configure a governance route for this environment',
		};
	const authority = ctx.signer ? await sudoAuthority(api, ctx.signer.address) : { ok: false, text: '' };
	const key = (await sudoKey(api)) ?? '';
	return offer(ctx, api, {
		stage: 'upgrade',
		plan: planOf(palletCall(api, 'sudo', 'sudo')(p.payload.tx), `sudo.sudo(${p.payload.label})`),
		authority,
		who: `the sudo key${key ? `, ${key}` : ''}`,
		purpose: `authorize code hash ${short(p.codeHash)} (hash first, code later)`,
		facts: [{ label: 'Code hash', value: p.codeHash }],
		recheck: async () => ((await authorizedCodeHash(api)) === p.codeHash ? sudoAuthorizeStage(ctx, api) : undefined),
		after: rerun('upgrade'),
	});
}
