/** pallet_sudo, following substrate/frame/sudo. */
import { DispatchErr, type Handler, type Origin, type Pallet, ROOT, type Runtime } from '../runtime.js';
import { lookup } from './support.js';

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

export const sudo: Pallet = { name: 'Sudo', calls: sudoHandlers };
