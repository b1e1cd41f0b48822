/**
 * One extrinsic offered to the signer: the prompt (chain/prompt.ts), then on
 * confirmation a re-read of the chain, the write-ahead intent and the
 * submission (chain/submit.ts). Every route's signing step goes through here.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Hex, IntentOutcome, StageId } from '../domain/types.js';
import { buildSignerPrompt, type Authority } from '../chain/prompt.js';
import { submitExtrinsic, type IntentLog } from '../chain/submit.js';
import { failed, iso, type EngineContext, type StepResult } from './context.js';

export interface Offer {
	stage: StageId;
	plan: { tx: SubmittableExtrinsic<'promise'>; label: string; hash: Hex };
	authority: Authority;
	/** What this step does in the route; shown in the prompt. */
	purpose?: string;
	facts?: Array<{ label: string; value: string }>;
	/** Who may do this, for the message when no signer is given. */
	who: string;
	/** What to do when the prompt refuses (default: "this step needs <who>"). */
	refusalHint?: string;
	/** Re-read the chain right before sending: a result means "do not send". */
	recheck?: () => Promise<StepResult | undefined>;
	/** Wait only for open intents of this stage (default: any open intent blocks sending). */
	onlyOpenIntentsOf?: StageId;
	/** `after` also handles an extrinsic that was included but failed (default: the stage fails). */
	afterSeesFailures?: boolean;
	after: (r: { outcome: IntentOutcome; events: string[] }) => Promise<StepResult>;
}

/** The release's write-ahead log of extrinsics for this environment. */
export function releaseIntents(ctx: EngineContext): IntentLog {
	return {
		record: (intent) => {
			ctx.release.apply({ type: 'intent/record', intent, at: iso(ctx) });
		},
		outcome: (intentId, outcome) => {
			ctx.release.apply({ type: 'intent/outcome', env: ctx.env.name, intentId, outcome, at: iso(ctx) });
		},
	};
}

export async function offer(ctx: EngineContext, api: ApiPromise, o: Offer): Promise<StepResult> {
	const { env } = ctx;
	if (!ctx.signer) return { kind: 'needs-signer', stage: o.stage, message: `${o.purpose ?? o.plan.label}: needs a signer (${o.who})` };
	const signer = ctx.signer;
	const prompt = await buildSignerPrompt(api, {
		env,
		tx: o.plan.tx,
		signerAddress: signer.address,
		signerLabel: signer.label,
		role: o.who,
		authority: o.authority,
		...(o.purpose ? { purpose: o.purpose } : {}),
		...(o.facts ? { facts: o.facts } : {}),
	});
	if (prompt.refusals.length === 0) {
		const awaiting = `awaiting confirmation by ${signer.label}`;
		ctx.release.apply({
			type: 'stage/set',
			env: env.name,
			stage: o.stage,
			status: 'active',
			detail: o.purpose ? `${o.purpose}: ${awaiting}` : awaiting,
			at: iso(ctx),
		});
	}
	return {
		kind: 'confirm',
		stage: o.stage,
		prompt,
		submit: async () => {
			if (prompt.refusals.length > 0)
				return {
					kind: 'refused',
					stage: o.stage,
					message: prompt.refusals.join('; '),
					hint: o.refusalHint ?? `this step needs ${o.who}`,
				};
			const again = await o.recheck?.();
			if (again) return again;
			const open = ctx.release
				.get()
				.progress[env.name]?.intents.some((i) => !i.outcome && (!o.onlyOpenIntentsOf || i.stage === o.onlyOpenIntentsOf));
			if (open) {
				return {
					kind: 'wait',
					stage: o.stage,
					message: `an earlier ${o.onlyOpenIntentsOf ? `${o.onlyOpenIntentsOf} ` : ''}extrinsic has no outcome yet`,
					waitingFor: 'inclusion',
				};
			}
			let result;
			try {
				result = await submitExtrinsic(api, {
					tx: o.plan.tx,
					pair: signer.pair,
					nonce: prompt.nonce,
					meta: { env: env.name, stage: o.stage, call: o.plan.label, callHash: o.plan.hash },
					intents: releaseIntents(ctx),
					...(ctx.onTx ? { onStatus: ctx.onTx } : {}),
				});
			} catch (error) {
				return failed(ctx, o.stage, (error as Error).message);
			}
			if (result.outcome.error && !o.afterSeesFailures) {
				return failed(
					ctx,
					o.stage,
					`${o.plan.label} in block #${result.outcome.blockNumber} failed: ${result.outcome.error}`,
					'read the error; advance again re-reads the chain and offers the step again',
				);
			}
			return o.after(result);
		},
	};
}

/** After an extrinsic, the next step re-reads the chain: it says what the extrinsic achieved. */
export function rerun(stage: StageId) {
	return async ({ outcome }: { outcome: IntentOutcome }): Promise<StepResult> => ({
		kind: 'progressed',
		stage,
		message: `included in block #${outcome.blockNumber} (extrinsic ${outcome.extrinsicHash})`,
	});
}
