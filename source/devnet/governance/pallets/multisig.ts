/** pallet_multisig, following substrate/frame/multisig. */
import type { u32, u128 } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, createKeyMulti } from '@polkadot/util-crypto';
import { type Handler, type Pallet, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';

function sortedWith(rt: Runtime, others: any[], who: string): string[] {
	const max = rt.meta.constant<u32>('Multisig', 'MaxSignatories').toNumber();
	if (others.length === 0) throw rt.error('Multisig', 'TooFewSignatories');
	if (others.length >= max) throw rt.error('Multisig', 'TooManySignatories');
	const hex = (a: string) => rt.registry.createType('AccountId', a).toHex();
	const whoHex = hex(who);
	const list = others.map((o) => o.toString() as string);
	let index = 0;
	let last: string | undefined;
	for (const item of list) {
		const h = hex(item);
		if (last !== undefined && !(last < h)) throw rt.error('Multisig', 'SignatoriesOutOfOrder');
		if (h <= whoHex) {
			if (h === whoHex) throw rt.error('Multisig', 'SenderInSignatories');
			index++;
		}
		last = h;
	}
	list.splice(index, 0, who);
	return list;
}

/** Pallet::multi_account_id: blake2_256(("modlpy/utilisuba", signatories, threshold).encode()). */
export function multiAccountId(rt: Runtime, signatories: string[], threshold: number): string {
	return rt.registry.createType('AccountId', createKeyMulti(signatories, threshold)).toString();
}

function timepoint(rt: Runtime): { height: number; index: number } {
	return { height: rt.number, index: 'ApplyExtrinsic' in rt.phase ? rt.phase.ApplyExtrinsic : 0 };
}

function deposit(rt: Runtime, threshold: number): bigint {
	const base = rt.meta.constant<u128>('Multisig', 'DepositBase').toBigInt();
	const factor = rt.meta.constant<u128>('Multisig', 'DepositFactor').toBigInt();
	return base + factor * BigInt(threshold);
}

async function operate(
	rt: Runtime,
	who: string,
	threshold: number,
	others: any[],
	maybeTimepoint: any,
	call: any | undefined,
	callHashArg: Hex | undefined,
	maxWeight: any,
) {
	if (threshold < 2) throw rt.error('Multisig', 'MinimumThreshold');
	const signatories = sortedWith(rt, others, who);
	const id = multiAccountId(rt, signatories, threshold);
	const callHash = (call ? blake2AsHex(call.toU8a(), 256) : callHashArg!) as Hex;
	const m = rt.store.get('Multisig', 'Multisigs', [[id, callHash]]) as any;
	if (m) {
		if (maybeTimepoint.isNone) throw rt.error('Multisig', 'NoTimepoint');
		const tp = maybeTimepoint.unwrap();
		if (!m.when.eq(tp)) throw rt.error('Multisig', 'WrongTimepoint');
		const approvals: string[] = m.approvals.map((a: any) => a.toString());
		let count = approvals.length;
		const already = approvals.includes(who);
		const needed = !already && count < threshold;
		if (needed) count++;
		if (call && count >= threshold) {
			const w = Runtime.callWeight(call);
			if (w.refTime > BigInt(maxWeight.refTime.toString()) || w.proofSize > BigInt(maxWeight.proofSize.toString()))
				throw rt.error('Multisig', 'MaxWeightTooLow');
			rt.store.remove('Multisig', 'Multisigs', [[id, callHash]]);
			rt.unreserve(m.depositor.toString(), m.deposit.toBigInt());
			const res = await rt.dispatch(call, { kind: 'signed', who: id });
			rt.deposit('Multisig', 'MultisigExecuted', [who, m.when, id, callHash, rt.encodeDispatchResult(res)]);
			return;
		}
		if (!needed) throw rt.error('Multisig', 'AlreadyApproved');
		approvals.push(who);
		const hex = (a: string) => rt.registry.createType('AccountId', a).toHex();
		approvals.sort((a, b) => (hex(a) < hex(b) ? -1 : hex(a) > hex(b) ? 1 : 0));
		rt.store.put('Multisig', 'Multisigs', [[id, callHash]], { when: m.when, deposit: m.deposit, depositor: m.depositor, approvals });
		rt.deposit('Multisig', 'MultisigApproval', [who, m.when, id, callHash]);
		return;
	}
	if (maybeTimepoint.isSome) throw rt.error('Multisig', 'UnexpectedTimepoint');
	const amount = deposit(rt, threshold);
	rt.reserve(who, amount);
	rt.store.put('Multisig', 'Multisigs', [[id, callHash]], { when: timepoint(rt), deposit: amount, depositor: who, approvals: [who] });
	rt.deposit('Multisig', 'NewMultisig', [who, id, callHash]);
}

export const multisigHandlers: Record<string, Handler> = {
	'multisig.asMultiThreshold1': async (rt, o, [others, call]) => {
		const who = rt.ensureSigned(o);
		const signatories = sortedWith(rt, [...others], who);
		const id = multiAccountId(rt, signatories, 1);
		const res = await rt.dispatch(call, { kind: 'signed', who: id });
		if (!res.ok) throw res.error;
	},
	'multisig.asMulti': (rt, o, [threshold, others, maybeTimepoint, call, maxWeight]) =>
		operate(rt, rt.ensureSigned(o), threshold.toNumber(), [...others], maybeTimepoint, call, undefined, maxWeight),
	'multisig.approveAsMulti': (rt, o, [threshold, others, maybeTimepoint, callHash, maxWeight]) =>
		operate(
			rt,
			rt.ensureSigned(o),
			threshold.toNumber(),
			[...others],
			maybeTimepoint,
			undefined,
			u8aToHex(callHash.toU8a()) as Hex,
			maxWeight,
		),
	'multisig.cancelAsMulti': (rt, o, [thresholdArg, others, tp, callHashArg]) => {
		const who = rt.ensureSigned(o);
		const threshold = thresholdArg.toNumber();
		if (threshold < 2) throw rt.error('Multisig', 'MinimumThreshold');
		const signatories = sortedWith(rt, [...others], who);
		const id = multiAccountId(rt, signatories, threshold);
		const callHash = u8aToHex(callHashArg.toU8a()) as Hex;
		const m = rt.store.get('Multisig', 'Multisigs', [[id, callHash]]) as any;
		if (!m) throw rt.error('Multisig', 'NotFound');
		if (!m.when.eq(tp)) throw rt.error('Multisig', 'WrongTimepoint');
		if (m.depositor.toString() !== who) throw rt.error('Multisig', 'NotOwner');
		rt.unreserve(m.depositor.toString(), m.deposit.toBigInt());
		rt.store.remove('Multisig', 'Multisigs', [[id, callHash]]);
		rt.deposit('Multisig', 'MultisigCancelled', [who, tp, id, callHash]);
	},
};

export const multisig: Pallet = { name: 'Multisig', calls: multisigHandlers };
