/** What the governance stages decide on: the payload and the proposal that carries it; whether the chain already enacted it. */
import type { ApiPromise } from '@polkadot/api';
import type { Hex, StageId } from '../../domain/types.js';
import { readArtifact } from '../../artifact/read.js';
import { chainRunsCode } from '../../chain/live.js';
import { planOf, type CallPlan, palletCall } from '../../chain/pallets/common.js';
import { authorizedCodeHash, buildPayload } from '../../chain/pallets/system.js';
import { artifactOf, type EngineContext, type StepResult, iso, payloadOf } from '../context.js';
import { linkedParas, withParaAuthorizations } from './parachain.js';

// --- what the route decides on ------------------------------------------------------------

export interface Plans {
	code: Uint8Array;
	codeHash: Hex;
	/** The runtime call: setCode(code) or authorizeUpgrade(hash). */
	payload: CallPlan;
	/** What the referendum/motion refers to: the payload, or the whitelist wrapper around it. */
	proposal: CallPlan;
}

export async function plans(ctx: EngineContext, api: ApiPromise): Promise<Plans> {
	const want = artifactOf(ctx);
	const artifact = await readArtifact(want.path);
	if (artifact.codeHash !== want.codeHash) {
		throw Object.assign(
			new Error(
				`the wasm at ${want.path} changed since the release was created (code hash ${artifact.codeHash}, release ${want.codeHash})`,
			),
			{
				hint: 'restore the file or create a new release',
			},
		);
	}
	let payload = buildPayload(api, payloadOf(ctx.env), artifact.bytes, want.codeHash);
	// A relay whose release also ships parachains: the proposal carries their authorizations (one batch).
	if (linkedParas(ctx).length > 0) {
		try {
			payload = (await withParaAuthorizations(ctx, api, payload)).plan;
		} catch (error) {
			throw Object.assign(new Error(`the parachains' authorizations cannot be built: ${(error as Error).message}`), {
				hint: 'check the parachain environments of the release (their endpoints and para ids)',
			});
		}
	}
	let proposal = payload;
	if (ctx.env.route === 'opengov' && ctx.env.routeOptions?.track === 'whitelisted') {
		proposal = planOf(
			palletCall(api, 'whitelist', 'dispatchWhitelistedCallWithPreimage')(payload.tx.method),
			'whitelist.dispatchWhitelistedCallWithPreimage',
		);
	}
	return { code: artifact.bytes, codeHash: want.codeHash, payload, proposal };
}

// --- enacted already? ---------------------------------------------------------------------

export type Enacted = { kind: 'code' } | { kind: 'authorized' } | undefined;

export async function enacted(ctx: EngineContext, api: ApiPromise, codeHash: Hex): Promise<Enacted> {
	if (await chainRunsCode(api, codeHash, artifactOf(ctx).specVersion)) return { kind: 'code' };
	if (payloadOf(ctx.env) === 'authorize' && (await authorizedCodeHash(api)) === codeHash) return { kind: 'authorized' };
	return undefined;
}

export const BEFORE_ENACTMENT: StageId[] = ['preimage', 'multisig', 'council', 'fast-track', 'whitelist', 'referendum'];

/** The chain already runs (or has authorized) this code: close the decision stages with that fact. */
export function skipDecided(ctx: EngineContext, found: NonNullable<Enacted>): StepResult {
	const stages = ctx.release.get().progress[ctx.env.name]!.stages;
	const what = found.kind === 'code' ? 'the chain already runs this code' : 'the chain has already authorized this code hash';
	for (const s of stages) {
		if (!BEFORE_ENACTMENT.includes(s.id) || s.status === 'done') continue;
		ctx.release.apply({
			type: 'stage/set',
			env: ctx.env.name,
			stage: s.id,
			status: 'done',
			detail: `${what}; nothing to do`,
			at: iso(ctx),
		});
	}
	return { kind: 'progressed', stage: 'enactment', message: what };
}
