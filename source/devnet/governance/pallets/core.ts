/**
 * frame_system, pallet_timestamp, pallet_balances, pallet_sudo and
 * pallet_utility, following substrate/frame/{system,timestamp,balances,sudo,utility}.
 */
import type { GenericCall } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { u16ToU8a } from '../util.js';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { callerToOrigin, DispatchErr, type Handler, type Origin, type PostInfo, ROOT, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';

export const CODE_KEY = '0x3a636f6465';

export function lookup(rt: Runtime, address: any): string {
	if (address.type === 'Id' || address.type === 'Address32') return rt.registry.createType('AccountId', address.value.toU8a()).toString();
	throw new DispatchErr({ CannotLookup: null }, 'CannotLookup (only MultiAddress::Id is modelled)');
}

/** frame_system::Pallet::can_set_code + update_code_in_storage. */
async function setCode(rt: Runtime, code: Uint8Array, checkVersion: boolean): Promise<PostInfo> {
	const hex = u8aToHex(code) as Hex;
	if (checkVersion) {
		const v = await rt.runtimeVersionOf(hex);
		if (!v) throw rt.error('System', 'FailedToExtractRuntimeVersion');
		if (v.specName !== rt.currentVersion.specName) throw rt.error('System', 'InvalidSpecName');
		if (v.specVersion <= rt.currentVersion.specVersion) throw rt.error('System', 'SpecVersionNeedsToIncrease');
	}
	const problem = await rt.canRun(hex);
	if (problem) {
		const msg = `the governance devnet (simulation) cannot switch to this code: ${problem}`;
		rt.notes.push(`block ${rt.number}: ${msg}`);
		throw new DispatchErr({ Other: null }, msg);
	}
	rt.state.set(CODE_KEY, hex);
	rt.codeChanged = true;
	rt.digestLogs.push({ RuntimeEnvironmentUpdated: null });
	rt.deposit('System', 'CodeUpdated', []);
	return { actualWeight: rt.meta.maxBlock };
}

const bytesArg = (a: any): Uint8Array => a.toU8a(true);

export const systemHandlers: Record<string, Handler> = {
	'system.remark': () => {},
	'system.remarkWithEvent': (rt, o, [remark]) => {
		const who = rt.ensureSigned(o);
		rt.deposit('System', 'Remarked', [who, Runtime.hashOf(bytesArg(remark))]);
	},
	'system.setCode': async (rt, o, [code]) => {
		rt.ensureRoot(o);
		return setCode(rt, bytesArg(code), true);
	},
	'system.setCodeWithoutChecks': async (rt, o, [code]) => {
		rt.ensureRoot(o);
		return setCode(rt, bytesArg(code), false);
	},
	'system.authorizeUpgrade': (rt, o, [codeHash]) => {
		rt.ensureRoot(o);
		rt.store.put('System', 'AuthorizedUpgrade', [], { codeHash, checkVersion: true });
		rt.deposit('System', 'UpgradeAuthorized', [codeHash, true]);
	},
	'system.authorizeUpgradeWithoutChecks': (rt, o, [codeHash]) => {
		rt.ensureRoot(o);
		rt.store.put('System', 'AuthorizedUpgrade', [], { codeHash, checkVersion: false });
		rt.deposit('System', 'UpgradeAuthorized', [codeHash, false]);
	},
	'system.applyAuthorizedUpgrade': async (rt, _o, [code]) => {
		const bytes = bytesArg(code);
		const auth = rt.store.get('System', 'AuthorizedUpgrade') as any;
		if (!auth) throw rt.error('System', 'NothingAuthorized');
		if (auth.codeHash.toHex() !== Runtime.hashOf(bytes)) throw rt.error('System', 'Unauthorized');
		await setCode(rt, bytes, auth.checkVersion.isTrue);
		rt.store.remove('System', 'AuthorizedUpgrade');
		return { actualWeight: rt.meta.maxBlock, paysFee: 'No' };
	},
	'system.setStorage': (rt, o, [items]) => {
		rt.ensureRoot(o);
		for (const [k, v] of items as any[]) rt.state.set(k.toHex(), v.toHex());
	},
	'system.killStorage': (rt, o, [keys]) => {
		rt.ensureRoot(o);
		for (const k of keys as any[]) rt.state.set(k.toHex(), null);
	},
	'timestamp.set': (rt, o, [now]) => {
		if (o.kind !== 'none') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
		rt.store.put('Timestamp', 'Now', [], BigInt(now.toString()));
	},
};

export const balancesHandlers: Record<string, Handler> = {
	'balances.transferAllowDeath': (rt, o, [dest, value]) => {
		rt.transfer(rt.ensureSigned(o), lookup(rt, dest), value.toBigInt(), false);
	},
	'balances.transferKeepAlive': (rt, o, [dest, value]) => {
		rt.transfer(rt.ensureSigned(o), lookup(rt, dest), value.toBigInt(), true);
	},
	'balances.forceTransfer': (rt, o, [source, dest, value]) => {
		rt.ensureRoot(o);
		rt.transfer(lookup(rt, source), lookup(rt, dest), value.toBigInt(), false);
	},
	'balances.transferAll': (rt, o, [dest, keepAlive]) => {
		const who = rt.ensureSigned(o);
		const amount = rt.reducible(who, keepAlive.isTrue);
		rt.transfer(who, lookup(rt, dest), amount, keepAlive.isTrue);
	},
	'balances.forceSetBalance': (rt, o, [who, newFree]) => {
		rt.ensureRoot(o);
		const account = lookup(rt, who);
		let free = newFree.toBigInt() as bigint;
		if (free < rt.existentialDeposit) free = 0n;
		const old = rt.account(account).data.free;
		rt.mutateBalance(account, (d) => void (d.free = free), { allowDeath: true });
		rt.setTotalIssuance(rt.totalIssuance() + free - old);
		rt.deposit('Balances', 'BalanceSet', [account, free]);
	},
	'balances.forceUnreserve': (rt, o, [who, amount]) => {
		rt.ensureRoot(o);
		rt.unreserve(lookup(rt, who), amount.toBigInt());
	},
	'balances.burn': (rt, o, [value, keepAlive]) => {
		const who = rt.ensureSigned(o);
		const amount = value.toBigInt() as bigint;
		if (amount > rt.reducible(who, keepAlive.isTrue)) throw new DispatchErr({ Token: 'FundsUnavailable' }, 'Token.FundsUnavailable');
		rt.mutateBalance(who, (d) => void (d.free -= amount), { allowDeath: !keepAlive.isTrue });
		rt.setTotalIssuance(rt.totalIssuance() - amount);
		rt.deposit('Balances', 'Burned', [who, amount]);
	},
};

/** pallet_sudo::ensure_sudo: Root, or the sudo key. */
function ensureSudo(rt: Runtime, o: Origin): void {
	if (o.kind === 'root') return;
	if (o.kind !== 'signed') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
	const key = rt.store.get('Sudo', 'Key');
	if (!key || key.toString() !== o.who) throw rt.error('Sudo', 'RequireSudo');
}

export const sudoHandlers: Record<string, Handler> = {
	'sudo.sudo': async (rt, o, [call]) => {
		ensureSudo(rt, o);
		const res = await rt.dispatch(call, ROOT);
		rt.deposit('Sudo', 'Sudid', [rt.encodeDispatchResult(res)]);
		return { paysFee: 'No' };
	},
	'sudo.sudoUncheckedWeight': async (rt, o, [call]) => {
		ensureSudo(rt, o);
		const res = await rt.dispatch(call, ROOT);
		rt.deposit('Sudo', 'Sudid', [rt.encodeDispatchResult(res)]);
		return { paysFee: 'No' };
	},
	'sudo.sudoAs': async (rt, o, [who, call]) => {
		ensureSudo(rt, o);
		const res = await rt.dispatch(call, { kind: 'signed', who: lookup(rt, who) });
		rt.deposit('Sudo', 'SudoAsDone', [rt.encodeDispatchResult(res)]);
		return { paysFee: 'No' };
	},
	'sudo.setKey': (rt, o, [next]) => {
		ensureSudo(rt, o);
		const n = lookup(rt, next);
		rt.deposit('Sudo', 'KeyChanged', [rt.store.get('Sudo', 'Key') ?? null, n]);
		rt.store.put('Sudo', 'Key', [], n);
		return { paysFee: 'No' };
	},
	'sudo.removeKey': (rt, o) => {
		ensureSudo(rt, o);
		rt.deposit('Sudo', 'KeyRemoved', []);
		rt.store.remove('Sudo', 'Key');
		return { paysFee: 'No' };
	},
};

async function batch(rt: Runtime, o: Origin, calls: GenericCall[], mode: 'batch' | 'all' | 'force'): Promise<PostInfo | void> {
	if (o.kind === 'none') throw new DispatchErr({ BadOrigin: null }, 'BadOrigin');
	let failed = false;
	for (let index = 0; index < calls.length; index++) {
		const res = await rt.dispatch(calls[index]!, o);
		if (!res.ok) {
			if (mode === 'all') throw res.error;
			if (mode === 'batch') {
				rt.deposit('Utility', 'BatchInterrupted', [index, res.error.value]);
				return;
			}
			failed = true;
			rt.deposit('Utility', 'ItemFailed', [res.error.value]);
			continue;
		}
		rt.deposit('Utility', 'ItemCompleted', []);
	}
	rt.deposit('Utility', failed ? 'BatchCompletedWithErrors' : 'BatchCompleted', []);
}

export const utilityHandlers: Record<string, Handler> = {
	'utility.batch': (rt, o, [calls]) => batch(rt, o, [...calls], 'batch'),
	'utility.batchAll': (rt, o, [calls]) => batch(rt, o, [...calls], 'all'),
	'utility.forceBatch': (rt, o, [calls]) => batch(rt, o, [...calls], 'force'),
	'utility.asDerivative': async (rt, o, [index, call]) => {
		const who = rt.ensureSigned(o);
		const pub = rt.registry.createType('AccountId', who).toU8a();
		const entropy = blake2AsU8a(u8aConcat(new TextEncoder().encode('modlpy/utilisuba'), pub, u16ToU8a(index.toNumber())), 256);
		const derived = rt.registry.createType('AccountId', entropy).toString();
		const res = await rt.dispatch(call, { kind: 'signed', who: derived });
		if (!res.ok) throw res.error;
	},
	'utility.dispatchAs': async (rt, o, [asOrigin, call]) => {
		rt.ensureRoot(o);
		const res = await rt.dispatch(call, callerToOrigin(asOrigin));
		rt.deposit('Utility', 'DispatchedAs', [rt.encodeDispatchResult(res)]);
	},
	'utility.withWeight': async (rt, o, [call]) => {
		rt.ensureRoot(o);
		const res = await rt.dispatch(call, ROOT);
		if (!res.ok) throw res.error;
	},
};
