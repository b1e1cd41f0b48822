/**
 * One extrinsic offered to the signer: the prompt (chain/prompt.ts), then on
 * confirmation a re-read of the chain, the write-ahead intent and the
 * submission (chain/submit.ts). Every route's signing step goes through here.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Call } from '@polkadot/types/interfaces';
import type { Hex, Intent, IntentOutcome, StageId } from '../domain/types.js';
import { isUnsigned } from '../domain/reducer.js';
import { buildSignerPrompt, type Authority } from '../chain/prompt.js';
import { TransactionRefused, submitExtrinsic, wouldAccept, type IntentLog } from '../chain/submit.js';
import { attachSignature, probeCall, signingRequest } from '../chain/external.js';
import { buildProxyCall, checkProxy } from '../chain/pallets/proxy.js';
import { sudoAsPlan } from '../chain/pallets/sudo.js';
import type { Tx } from '../chain/pallets/common.js';
import type { SignerPromptModel } from '../chain/types.js';
import { failed, iso, senderOf, short, type EngineContext, type SigningHandout, type StepResult } from './context.js';

type Submitted = { outcome: IntentOutcome; events: string[] };

/**
 * Submit, then say what happened: a refusal by the chain's validation (nothing sent), a failure to
 * send, a call that was included but failed (unless `after` handles failures), or `after`'s answer.
 */
async function settle(
	ctx: EngineContext,
	stage: StageId,
	label: string,
	submit: () => Promise<Submitted>,
	after: (r: Submitted) => Promise<StepResult>,
	afterSeesFailures = false,
): Promise<StepResult> {
	let result;
	try {
		result = await submit();
	} catch (error) {
		if (error instanceof TransactionRefused) return { kind: 'refused', stage, message: error.message, hint: error.hint };
		return failed(ctx, stage, (error as Error).message);
	}
	if (result.outcome.error && !afterSeesFailures)
		return failed(
			ctx,
			stage,
			`${label} in block #${result.outcome.blockNumber} failed: ${result.outcome.error}`,
			'read the error; advance again re-reads the chain and offers the step again',
		);
	return after(result);
}

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
	const sender = senderOf(signer);
	// Through a proxy: the delegate signs `proxy.proxy(real, type, call)`; the role is the real account's.
	let tx = o.plan.tx;
	let label = o.plan.label;
	let authority = o.authority;
	if (signer.proxy) {
		const check = await checkProxy(api, signer.address, signer.proxy.delegate, tx.method as unknown as Call);
		if (!check.ok) return { kind: 'refused', stage: o.stage, message: `${check.reason}; nothing was signed`, hint: check.hint };
		tx = buildProxyCall(api, signer.address, check.proxyType, tx);
		label = `proxy.proxy(${o.plan.label})`;
		authority = {
			ok: o.authority.ok,
			text: `${signer.proxy.delegateLabel} acts for ${signer.address} through a ${check.proxyType} proxy; ${signer.address} ${o.authority.text}`,
		};
	}
	if (signer.sudoAs) {
		// Rehearsal only: session.ts refuses --sudo-as off local environments; checked again where it signs.
		if (env.kind !== 'local')
			return {
				kind: 'refused',
				stage: o.stage,
				message: `sudo.sudoAs is a rehearsal path for local environments; ${env.name} is ${env.kind}; nothing was signed`,
				hint: "sign with the member's own key",
			};
		const plan = await sudoAsPlan(api, signer.sudoAs.sudoKey, signer.address, tx);
		if (!plan.ok) return { kind: 'refused', stage: o.stage, message: `${plan.reason}; nothing was signed`, hint: plan.hint };
		tx = plan.tx;
		label = `sudo.sudoAs(${signer.address}, ${o.plan.label})`;
		authority = {
			ok: o.authority.ok,
			text: `REHEARSAL PATH (local only): the sudo key ${signer.sudoAs.sudoKeyLabel} acts for ${signer.address} through sudo.sudoAs, as Polkadot's governance ran at launch, when its call filter refused signed governance calls; ${signer.address} ${o.authority.text}`,
		};
	}
	let filtered = false;
	const prompt = await buildSignerPrompt(api, {
		env,
		tx,
		signerAddress: sender,
		signerLabel: signer.proxy ? signer.proxy.delegateLabel : signer.sudoAs ? `${signer.sudoAs.sudoKeyLabel} (sudo key)` : signer.label,
		role: o.who,
		authority,
		...(o.purpose ? { purpose: o.purpose } : {}),
		...(o.facts ? { facts: o.facts } : {}),
	});
	// Before anyone is asked to sign: would the chain take it? A key held here signs a copy and asks;
	// an outside signer's call is probed with a throwaway key (its fee and nonce are the prompt's to check).
	if (prompt.refusals.length === 0) {
		const validity = signer.pair ? await wouldAccept(api, tx, signer.pair, prompt.nonce) : await probeCall(api, tx);
		if (!validity.ok) {
			prompt.refusals.push(`the chain would refuse it: ${validity.reason} (${validity.hint})`);
			// The call filter of a signed extrinsic (Polkadot at launch): on a local chain with sudo, the sudo key may act for the member.
			if (env.kind === 'local' && !signer.sudoAs && /^(Call|Custom\(\d+\))$/.test(validity.code) && api.tx.sudo?.sudoAs)
				filtered = true;
		}
	}
	if (prompt.refusals.length === 0) {
		const awaiting = signer.external ? `awaiting a signature from ${sender}` : `awaiting confirmation by ${signer.label}`;
		ctx.release.apply({
			type: 'stage/set',
			env: env.name,
			stage: o.stage,
			status: 'active',
			detail: o.purpose ? `${o.purpose}: ${awaiting}` : awaiting,
			at: iso(ctx),
		});
	}
	if (filtered)
		prompt.refusalHint = `on this local environment the chain's sudo key may act for ${o.who} through sudo.sudoAs (the rehearsal path, as at Polkadot's launch): sign with the sudo key and add --sudo-as MEMBER (in the console: "<sudo key> sudo-as <member>")`;
	const refused = (): StepResult => ({
		kind: 'refused',
		stage: o.stage,
		message: prompt.refusals.join('; '),
		hint: prompt.refusalHint ?? o.refusalHint ?? `this step needs ${o.who}`,
	});
	// For the sudo key acting for a member the call sent is sudo.sudoAs(member, call): two members' identical votes are two calls.
	const meta = { env: env.name, stage: o.stage, call: label, callHash: signer.sudoAs ? (tx.method.hash.toHex() as Hex) : o.plan.hash };
	/** Checks right before sending, whoever signs: the chain may have moved, an earlier extrinsic may be open. */
	const beforeSending = async (): Promise<StepResult | undefined> => {
		const again = await o.recheck?.();
		if (again) return again;
		const open = ctx.release
			.get()
			.progress[env.name]?.intents.some(
				(i) => !i.outcome && !isUnsigned(i) && (!o.onlyOpenIntentsOf || i.stage === o.onlyOpenIntentsOf),
			);
		if (open) {
			return {
				kind: 'wait',
				stage: o.stage,
				message: `an earlier ${o.onlyOpenIntentsOf ? `${o.onlyOpenIntentsOf} ` : ''}extrinsic has no outcome yet`,
				waitingFor: 'inclusion',
			};
		}
		return undefined;
	};
	const afterSubmit = (submit: () => Promise<Submitted>) => settle(ctx, o.stage, label, submit, o.after, o.afterSeesFailures);

	if (signer.external) return external(ctx, api, { o, tx, meta, prompt, sender, refused, beforeSending, afterSubmit });

	return {
		kind: 'confirm',
		stage: o.stage,
		prompt,
		submit: async () => {
			if (prompt.refusals.length > 0) return refused();
			const stop = await beforeSending();
			if (stop) return stop;
			return afterSubmit(() =>
				submitExtrinsic(api, {
					tx,
					...(signer.pair ? { pair: signer.pair } : {}),
					nonce: prompt.nonce,
					meta,
					intents: releaseIntents(ctx),
					...(ctx.onTx ? { onStatus: ctx.onTx } : {}),
				}),
			);
		},
	};
}

interface ExternalOffer {
	o: Offer;
	tx: Tx;
	meta: { env: string; stage: StageId; call: string; callHash: Hex };
	prompt: SignerPromptModel;
	sender: string;
	refused: () => StepResult;
	beforeSending: () => Promise<StepResult | undefined>;
	afterSubmit: (submit: () => Promise<Submitted>) => Promise<StepResult>;
}

/**
 * Signed elsewhere: hand out the payload (recorded as a write-ahead intent, so
 * running again shows the same one), and when its signature comes back check
 * it against that payload and address, attach it and send it like any other.
 */
async function external(ctx: EngineContext, api: ApiPromise, x: ExternalOffer): Promise<StepResult> {
	const { o, prompt, sender } = x;
	const env = ctx.env;
	if (prompt.refusals.length > 0) return x.refused();
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const mine = (i: Intent) => i.stage === o.stage && i.signer === sender && isUnsigned(i) && !i.outcome;
	let handed = ctx.release.get().progress[env.name]?.intents.find(mine);
	// A payload for another call (the chain moved: another index, another nonce) or past its era is closed, not signed.
	if (handed?.awaiting) {
		const stale =
			handed.callHash !== x.meta.callHash
				? `the step's call is now ${short(x.meta.callHash)}, not ${short(handed.callHash)}`
				: best + 1 >= handed.awaiting.expiresAt
					? `its era ended at block #${handed.awaiting.expiresAt} (the chain is at #${best})`
					: handed.nonce !== prompt.nonce
						? `the account's next nonce is ${prompt.nonce}, not ${handed.nonce}`
						: undefined;
		if (stale) {
			const given = ctx.signer?.external?.signature;
			ctx.release.apply({
				type: 'intent/outcome',
				env: env.name,
				intentId: handed.id,
				outcome: { status: 'dropped', error: `payload not signed in time: ${stale}`, at: iso(ctx) },
				at: iso(ctx),
			});
			if (given)
				return {
					kind: 'refused',
					stage: o.stage,
					message: `the payload that signature is for can no longer be sent: ${stale}; nothing was sent`,
					hint: 'run advance again without --signature for a new payload, and sign that one',
				};
			handed = undefined;
		}
	}
	if (!handed && ctx.signer?.external?.signature)
		return {
			kind: 'refused',
			stage: o.stage,
			message: `the signature given is for no payload awaiting one on ${o.stage}; nothing was sent`,
			hint: "run advance again without --signature to get this step's payload, sign it, then pass that signature",
		};
	if (!handed) {
		const request = await signingRequest(api, x.tx, sender, prompt.nonce, ctx.signer?.external?.mortality);
		const intent: Intent = {
			id: `${env.name}-${o.stage}-${Date.now().toString(36)}`,
			env: env.name,
			stage: o.stage,
			call: x.meta.call,
			callHash: x.meta.callHash,
			signer: sender,
			nonce: prompt.nonce,
			mortalFrom: request.mortalFrom,
			mortalPeriod: request.mortalPeriod,
			createdAt: iso(ctx),
			awaiting: request.awaiting,
		};
		ctx.release.apply({ type: 'intent/record', intent, at: iso(ctx) });
		handed = intent;
	}
	const awaiting = handed.awaiting!;
	const handout: SigningHandout = {
		env: env.name,
		intentId: handed.id,
		address: sender,
		signingPayload: awaiting.signingPayload,
		extrinsicPayload: awaiting.extrinsicPayload,
		call: String(awaiting.payload.method) as Hex,
		hashed: awaiting.signingPayload !== awaiting.extrinsicPayload,
		genesisHash: api.genesisHash.toHex() as Hex,
		nonce: handed.nonce,
		expiresAt: awaiting.expiresAt,
		bestBlock: best,
		// An address does not say its key type; sr25519 is what polkadot-js-signer and Vault use unless told otherwise.
		crypto: 'sr25519',
	};
	const withMortality: SignerPromptModel = {
		...prompt,
		facts: [
			...(prompt.facts ?? []),
			{ label: 'Valid', value: `from block #${handed.mortalFrom} until #${awaiting.expiresAt} (the chain is at #${best})` },
		],
	};
	const signature = ctx.signer?.external?.signature;
	if (!signature)
		return {
			kind: 'needs-signature',
			stage: o.stage,
			message: `needs a signature: sign the payload with ${sender}${handout.hashed ? ' (the blake2-256 of the payload: it is longer than 256 bytes)' : ''}, then run again with --signature`,
			prompt: withMortality,
			signing: handout,
		};
	const intent = handed;
	return {
		kind: 'confirm',
		stage: o.stage,
		prompt: withMortality,
		signed: true,
		submit: async () => {
			const attached = await attachSignature(api, awaiting, sender, signature);
			if (!attached.ok) return { kind: 'refused', stage: o.stage, message: attached.reason, hint: attached.hint };
			const stop = await x.beforeSending();
			if (stop) return stop;
			const recorded = ctx.release.apply({
				type: 'intent/signed',
				env: env.name,
				intentId: intent.id,
				signature: attached.signature,
				extrinsicHash: attached.extrinsicHash,
				at: iso(ctx),
			});
			const signedIntent = recorded.progress[env.name]!.intents.find((i) => i.id === intent.id)!;
			return x.afterSubmit(() =>
				submitExtrinsic(api, {
					tx: attached.tx,
					presigned: { intent: signedIntent },
					meta: x.meta,
					intents: releaseIntents(ctx),
					...(ctx.onTx ? { onStatus: ctx.onTx } : {}),
				}),
			);
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

export interface UnsignedOffer {
	stage: StageId;
	plan: { tx: SubmittableExtrinsic<'promise'>; label: string; hash: Hex };
	/** Why no key is needed, shown where a signer prompt says why this key may sign. */
	authority: string;
	purpose: string;
	facts?: Array<{ label: string; value: string }>;
	recheck?: () => Promise<StepResult | undefined>;
	after: (r: { outcome: IntentOutcome; events: string[] }) => Promise<StepResult>;
}

/**
 * An unsigned extrinsic the runtime's `ValidateUnsigned` takes (a parachain's
 * `enactAuthorizedUpgrade`): no key, no fee, no nonce. The prompt says what is
 * sent and that nobody signs it; the chain is asked first whether it would take
 * it; on confirmation it goes through the same write-ahead path (its hash is
 * the intent's before anything is sent).
 */
export async function offerUnsigned(ctx: EngineContext, api: ApiPromise, o: UnsignedOffer): Promise<StepResult> {
	const { env } = ctx;
	const { validateSigned } = await import('../chain/validate.js');
	const { describeCall } = await import('../chain/call-text.js');
	const { UNSIGNED_SIGNER } = await import('../chain/submit.js');
	const refusals: string[] = [];
	const validity = await validateSigned(api, o.plan.tx);
	if (!validity.ok) refusals.push(`the chain would refuse it: ${validity.reason} (${validity.hint})`);
	const prompt: SignerPromptModel = {
		env: env.name,
		envKind: env.kind,
		signerAddress: UNSIGNED_SIGNER,
		signerLabel: 'no key: an unsigned extrinsic',
		authority: o.authority,
		authorityOk: true,
		callLines: describeCall(o.plan.tx.method as unknown as Call),
		callHash: o.plan.hash,
		encodedLength: o.plan.tx.method.toU8a().length,
		fee: 'none (unsigned)',
		nonce: 0,
		refusals,
		purpose: o.purpose,
		...(o.facts ? { facts: o.facts } : {}),
	};
	if (refusals.length === 0)
		ctx.release.apply({
			type: 'stage/set',
			env: env.name,
			stage: o.stage,
			status: 'active',
			detail: `${o.purpose}: awaiting confirmation (unsigned, no key)`,
			at: iso(ctx),
		});
	const meta = { env: env.name, stage: o.stage, call: o.plan.label, callHash: o.plan.hash };
	return {
		kind: 'confirm',
		stage: o.stage,
		prompt,
		submit: async () => {
			if (refusals.length > 0)
				return { kind: 'refused', stage: o.stage, message: refusals.join('; '), hint: 'read the chain: nothing was sent' };
			const again = await o.recheck?.();
			if (again) return again;
			if (ctx.release.get().progress[env.name]?.intents.some((i) => !i.outcome && i.stage === o.stage))
				return {
					kind: 'wait',
					stage: o.stage,
					message: `an earlier ${o.stage} extrinsic has no outcome yet`,
					waitingFor: 'inclusion',
				};
			return settle(
				ctx,
				o.stage,
				o.plan.label,
				() =>
					submitExtrinsic(api, {
						tx: o.plan.tx,
						unsigned: true,
						meta,
						intents: releaseIntents(ctx),
						...(ctx.onTx ? { onStatus: ctx.onTx } : {}),
					}),
				o.after,
			);
		},
	};
}
