/**
 * The one signer prompt: what is signed (the decoded call, its hash and
 * length), by whom and why this key may sign it, the fee and the funds it
 * needs in the chain's own unit, the nonce — and every refusal decided
 * before anything is signed.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Call } from '@polkadot/types/interfaces';
import type { Environment, Hex } from '../domain/types.js';
import { formatBalance } from '../domain/amount.js';
import { describeCall } from './call-text.js';
import type { SignerPromptModel } from './types.js';
import { freeBalance } from './pallets/balances.js';

export interface Authority {
	ok: boolean;
	/** Why this signer may sign, or why not. */
	text: string;
}

export interface PromptRequest {
	env: Pick<Environment, 'name' | 'kind' | 'route'>;
	tx: SubmittableExtrinsic<'promise'>;
	signerAddress: string;
	/** How the person named the signer (never the secret). */
	signerLabel?: string;
	/** The role the step needs (who may sign it). */
	role?: string;
	authority: Authority;
	/** Refusals the step itself decided (a duplicate vote, a blocked review). */
	refusals?: string[];
	/** Funds the call spends or locks beyond the fee (a vote's balance), and how to say it. */
	spends?: { amount: bigint; what: string };
	purpose?: string;
	facts?: Array<{ label: string; value: string }>;
}

export function chainToken(api: ApiPromise): { decimals: number; symbol: string } {
	return { decimals: api.registry.chainDecimals[0] ?? 12, symbol: api.registry.chainTokens[0] ?? 'UNIT' };
}

export function formatAmount(api: ApiPromise, planck: bigint): string {
	const { decimals, symbol } = chainToken(api);
	return formatBalance(planck, decimals, symbol);
}

export async function buildSignerPrompt(api: ApiPromise, request: PromptRequest): Promise<SignerPromptModel> {
	const { env, tx, signerAddress: address } = request;
	const refusals: string[] = [...(request.refusals ?? [])];
	if (!request.authority.ok) refusals.push(request.authority.text);
	if (env.kind === 'production' && env.route === 'sudo') refusals.push(`the sudo route is refused on production environment ${env.name}`);
	const nonce = (await api.rpc.system.accountNextIndex(address)).toNumber();
	let fee: string | undefined;
	let feeValue: bigint | undefined;
	try {
		const info = await tx.paymentInfo(address);
		feeValue = info.partialFee.toBigInt();
		fee = formatAmount(api, feeValue);
	} catch (error) {
		fee = `unknown (${(error as Error).message})`;
	}
	const free = await freeBalance(api, address);
	const needed = (feeValue ?? 0n) + (request.spends?.amount ?? 0n);
	if (free === 0n || free < needed) {
		const what = request.spends ? `${request.spends.what} and the fee` : 'the fee';
		refusals.push(
			`account ${address} has ${formatAmount(api, free)} free, not enough for ${what} (${formatAmount(api, needed)}); fund it first`,
		);
	}
	return {
		env: env.name,
		envKind: env.kind,
		signerAddress: address,
		...(request.signerLabel ? { signerLabel: request.signerLabel } : {}),
		authority: request.authority.text,
		authorityOk: request.authority.ok,
		...(request.role ? { role: request.role } : {}),
		callLines: describeCall(tx.method as unknown as Call),
		callHash: tx.method.hash.toHex() as Hex,
		encodedLength: tx.method.encodedLength,
		fee,
		nonce,
		refusals,
		...(request.purpose ? { purpose: request.purpose } : {}),
		...(request.facts ? { facts: request.facts } : {}),
	};
}
