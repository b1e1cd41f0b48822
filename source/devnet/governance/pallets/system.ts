/** frame_system, following substrate/frame/system. */
import { u8aToHex } from '@polkadot/util';
import { DispatchErr, type Handler, type Pallet, type PostInfo, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';
import { bytesArg } from './support.js';

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
		rt.note(msg);
		throw new DispatchErr({ Other: null }, msg);
	}
	rt.writeCode(hex);
	rt.depositLog({ RuntimeEnvironmentUpdated: null });
	rt.deposit('System', 'CodeUpdated', []);
	return { actualWeight: rt.meta.maxBlock };
}

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
		for (const [k, v] of items as any[]) rt.setRaw(k.toHex(), v.toHex());
	},
	'system.killStorage': (rt, o, [keys]) => {
		rt.ensureRoot(o);
		for (const k of keys as any[]) rt.setRaw(k.toHex(), null);
	},
};

export const system: Pallet = { name: 'System', calls: systemHandlers };
