/** The upgrade as the chain shows it: its block (found or recorded), the version it replaced, its time. */
import type { ApiPromise } from '@polkadot/api';
import type { Hex, StageId } from '../domain/types.js';
import { onChainCodeHash } from '../chain/live.js';
import { codeChangeShownBy } from '../chain/pallets/system.js';
import { type EngineContext, type StepResult, artifactOf, done, iso } from './context.js';

export async function recordUpgradeOutcome(
	ctx: EngineContext,
	blockNumber: number,
	blockHash: Hex,
	extrinsicHash: Hex,
	events: string[],
	error?: string,
	note?: string,
	stage: StageId = 'upgrade',
): Promise<StepResult> {
	const { env } = ctx;
	const api = ctx.connection.api;
	const at = iso(ctx);
	// A parachain applies its pending code in a later block (ParachainSystem.ValidationFunctionApplied);
	// older cumulus writes :code there without frame-system's CodeUpdated; so does frame-system before 2020.
	const applied = error ? undefined : await codeChangeShownBy(api, blockHash, events, artifactOf(ctx).codeHash);
	if (error || !applied) {
		const why =
			error ??
			`no system.CodeUpdated${stage === 'pending' ? ' or parachainSystem.ValidationFunctionApplied' : ''} in block #${blockNumber} (events: ${events.join(', ') || 'none'}); the call ran but the upgrade did not`;
		ctx.release.apply({ type: 'stage/set', env: env.name, stage, status: 'failed', detail: why, at });
		return {
			kind: 'failed',
			stage,
			message: `upgrade extrinsic ${extrinsicHash} in block #${blockNumber} failed: ${why}`,
			hint: 'read the error, fix the cause, then advance again to send a new extrinsic',
		};
	}
	const parent = await api.rpc.chain.getHeader(blockHash);
	const fromVersion = (await api.rpc.state.getRuntimeVersion(parent.parentHash)).specVersion.toNumber();
	const timestamp = await blockTimestamp(api, blockHash);
	ctx.release.apply(
		{
			type: 'upgrade/included',
			env: env.name,
			record: {
				blockNumber,
				blockHash,
				extrinsicHash,
				at: new Date(timestamp ?? Date.now()).toISOString(),
				fromSpecVersion: fromVersion,
				toSpecVersion: artifactOf(ctx).specVersion,
			},
			at,
		},
		{
			type: 'stage/set',
			env: env.name,
			stage,
			status: 'done',
			detail: `${note ? `${note}; ` : ''}in block #${blockNumber}${extrinsicHash !== '0x' ? `, extrinsic ${extrinsicHash}` : ''}${applied.startsWith(':code') ? `; ${applied}` : ''}`,
			at,
		},
	);
	return {
		kind: 'progressed',
		stage,
		message: `upgrade in block #${blockNumber} (${blockHash})${extrinsicHash !== '0x' ? `, extrinsic ${extrinsicHash}` : ''}`,
	};
}

export async function blockTimestamp(api: ApiPromise, blockHash: Hex): Promise<number | undefined> {
	try {
		const at = await api.at(blockHash);
		const now = await at.query.timestamp.now();
		return (now as unknown as { toNumber: () => number }).toNumber();
	} catch {
		return undefined;
	}
}

/** The first block whose state holds this code, by binary search over recent blocks. */
export async function findUpgradeBlock(
	api: ApiPromise,
	codeHash: Hex,
	read: (api: ApiPromise, at: string) => Promise<Hex | undefined> = onChainCodeHash,
): Promise<{ blockNumber: number; blockHash: Hex; extrinsicHash?: Hex } | undefined> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	let lo = Math.max(0, best - 2000);
	let hi = best;
	const hashAt = async (n: number) => {
		try {
			return await read(api, (await api.rpc.chain.getBlockHash(n)).toHex());
		} catch {
			return undefined;
		}
	};
	if ((await hashAt(hi)) !== codeHash) return undefined;
	if ((await hashAt(lo)) === codeHash) return undefined;
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if ((await hashAt(mid)) === codeHash) hi = mid;
		else lo = mid;
	}
	const blockHash = (await api.rpc.chain.getBlockHash(hi)).toHex() as Hex;
	return { blockNumber: hi, blockHash };
}

/**
 * The chain already runs the release's code (seen by a stage that would have sent it): record its upgrade block
 * as the upgrade, where the search window still reaches it; else the stage is done with `olderNote`.
 */
export async function recordRunningCode(
	ctx: EngineContext,
	api: ApiPromise,
	codeHash: Hex,
	stage: StageId,
	olderNote: string,
): Promise<StepResult> {
	const block = await findUpgradeBlock(api, codeHash);
	if (!block) return done(ctx, stage, olderNote);
	return recordUpgradeOutcome(
		ctx,
		block.blockNumber,
		block.blockHash,
		'0x' as Hex,
		['system.CodeUpdated'],
		undefined,
		'the chain already runs this code',
		stage,
	);
}
