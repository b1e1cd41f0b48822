/**
 * The sudo route's upgrade call, its signer prompt and the authority check.
 * Call builders read the chain's metadata (never fixed call indices).
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Call } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import type { Environment, Hex } from '../domain/types.js';
import type { SignerPromptModel } from './types.js';

export interface UpgradePlan {
	tx: SubmittableExtrinsic<'promise'>;
	/** e.g. "sudo.sudoUncheckedWeight(system.setCode)" */
	call: string;
	callLines: string[];
	/** blake2-256 of the encoded outer call. */
	callHash: Hex;
	encodedLength: number;
}

/** A call's arguments: each with its name, and the nested call when it is one. */
function callArgs(call: Call): Array<{ name: string; call?: Call; text: string }> {
	return call.args.map((arg, i) => {
		const name = call.meta.args[i]?.name.toString() ?? `arg${i}`;
		const maybeCall = arg as unknown as Partial<Call>;
		if (typeof maybeCall.section === 'string' && typeof maybeCall.method === 'string' && Array.isArray(maybeCall.args)) {
			return { name, call: arg as unknown as Call, text: '' };
		}
		const u8a = arg.toU8a(true);
		return { name, text: u8a.length > 64 ? `<${u8a.length.toLocaleString('en-US')} bytes>` : arg.toString() };
	});
}

/** One line for a call, with large byte arguments summarised. */
export function callOneLine(call: Call): string {
	const args = callArgs(call).map((a) => `${a.name}: ${a.call ? callOneLine(a.call) : a.text}`);
	return `${call.section}.${call.method}(${args.join(', ')})`;
}

/**
 * The call as the signer prompt shows it: one line when it fits, otherwise
 * one line per argument, nested calls indented.
 */
export function describeCall(call: Call, depth = 0, width = 60): string[] {
	const pad = '  '.repeat(depth);
	const one = callOneLine(call);
	if (pad.length + one.length <= width) return [`${pad}${one}`];
	const lines = [`${pad}${call.section}.${call.method}(`];
	for (const arg of callArgs(call)) {
		if (!arg.call) {
			lines.push(`${pad}  ${arg.name}: ${arg.text}`);
			continue;
		}
		const inner = describeCall(arg.call, depth + 1, width);
		if (inner.length === 1) lines.push(`${pad}  ${arg.name}: ${inner[0]!.trimStart()}`);
		else lines.push(`${pad}  ${arg.name}:`, ...describeCall(arg.call, depth + 2, width));
	}
	lines[lines.length - 1] += ')';
	return lines;
}

export function hasSudo(api: ApiPromise): boolean {
	return Boolean(api.tx.sudo?.sudoUncheckedWeight && api.query.sudo?.key);
}

/** `sudo.sudoUncheckedWeight(system.setCode(code), 0)`: setCode's weight is the whole block, so the unchecked form is the one that fits. */
export function buildSudoSetCode(api: ApiPromise, code: Uint8Array): UpgradePlan {
	if (!hasSudo(api)) {
		throw new Error('this chain has no Sudo pallet; use a governance route (multisig-sudo, council-democracy or opengov)');
	}
	// A Uint8Array given to Bytes is read as already SCALE-encoded (length
	// prefix first); hex is taken as the raw content.
	const setCode = api.tx.system.setCode(u8aToHex(code));
	const weightType = api.tx.sudo.sudoUncheckedWeight.meta.args[1]?.type.toString() ?? '';
	const weight = /u64/.test(weightType) ? 0 : { refTime: 0, proofSize: 0 };
	const tx = api.tx.sudo.sudoUncheckedWeight(setCode, weight as never);
	const callU8a = tx.method.toU8a();
	return {
		tx,
		call: 'sudo.sudoUncheckedWeight(system.setCode)',
		callLines: describeCall(tx.method as unknown as Call),
		callHash: tx.method.hash.toHex() as Hex,
		encodedLength: callU8a.length,
	};
}

export interface Authority {
	ok: boolean;
	/** Why this signer may sign, or why not. */
	text: string;
}

export async function sudoAuthority(api: ApiPromise, address: string): Promise<Authority> {
	// Sudo.Key is a plain AccountId on older runtimes (9130) and an Option on newer ones.
	const key = (await api.query.sudo.key()) as unknown as { isSome?: boolean; unwrap: () => unknown; toString: () => string };
	const sudo = key.isSome === undefined ? key.toString() : key.isSome ? String(key.unwrap()) : undefined;
	if (!sudo) return { ok: false, text: 'this chain has no sudo key set' };
	const same = api.createType('AccountId', sudo).eq(api.createType('AccountId', address));
	return same
		? { ok: true, text: 'is the sudo key (Sudo.Key)' }
		: { ok: false, text: `${address} is not the sudo key; the sudo key is ${sudo}` };
}

export async function buildSignerPrompt(
	api: ApiPromise,
	env: Environment,
	plan: UpgradePlan,
	address: string,
	authority: Authority,
): Promise<SignerPromptModel> {
	const refusals: string[] = [];
	if (!authority.ok) refusals.push(authority.text);
	if (env.kind === 'production' && env.route === 'sudo') refusals.push(`the sudo route is refused on production environment ${env.name}`);
	const nonce = (await api.rpc.system.accountNextIndex(address)).toNumber();
	let fee: string | undefined;
	let feeValue: bigint | undefined;
	try {
		const info = await plan.tx.paymentInfo(address);
		feeValue = info.partialFee.toBigInt();
		fee = info.partialFee.toHuman() as unknown as string;
	} catch (error) {
		fee = `unknown (${(error as Error).message})`;
	}
	const account = (await api.query.system.account(address)) as unknown as { data: { free: { toBigInt: () => bigint; toHuman: () => unknown } } };
	const free = account.data.free.toBigInt();
	if (free === 0n || (feeValue !== undefined && free < feeValue)) {
		refusals.push(`account ${address} has ${String(account.data.free.toHuman())} free, not enough for the fee (${fee}); fund it first`);
	}
	return {
		env: env.name,
		envKind: env.kind,
		signerAddress: address,
		authority: authority.text,
		callLines: plan.callLines,
		callHash: plan.callHash,
		encodedLength: plan.encodedLength,
		fee,
		nonce,
		refusals,
	};
}
