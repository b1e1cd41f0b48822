/** pallet_balances, following substrate/frame/balances (the primitives other pallets use live on Runtime). */
import { DispatchErr, type Handler, type Pallet } from '../runtime.js';
import { lookup } from './support.js';

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

export const balances: Pallet = { name: 'Balances', calls: balancesHandlers };
