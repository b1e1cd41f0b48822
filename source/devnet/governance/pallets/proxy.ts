/**
 * pallet_proxy, following substrate/frame/proxy, configured as Polkadot's
 * runtime 9410 configures it (paritytech/polkadot runtime/polkadot/src/lib.rs):
 * its ProxyType (metadata.ts PROXY_TYPES, the indices Polkadot encodes), its
 * InstanceFilter and is_superset below, and its deposits (metadata.ts
 * PROXY_DEPOSITS, served as the Proxy constants).
 */
import type { GenericCall, u32, u128 } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { PROXY_TYPES } from '../metadata.js';
import { type CallFilter, DispatchErr, type Handler, type Pallet, Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';
import { u16ToU8a, u32ToU8a } from '../util.js';
import { lookup } from './support.js';

export type ProxyTypeName =
	'Any' | 'NonTransfer' | 'Governance' | 'Staking' | 'IdentityJudgement' | 'CancelProxy' | 'Auction' | 'NominationPools';

interface ProxyDefinition {
	delegate: string;
	proxyType: ProxyTypeName;
	delay: number;
}

interface Announcement {
	real: string;
	callHash: Hex;
	height: number;
}

/** Polkadot's pallet names in the kitchensink's names (Polkadot's PhragmenElection is the kitchensink's Elections). */
const NON_TRANSFER_SECTIONS = new Set([
	'system',
	'scheduler',
	'babe',
	'timestamp',
	'staking',
	'session',
	'grandpa',
	'imOnline',
	'democracy',
	'council',
	'technicalCommittee',
	'elections',
	'technicalMembership',
	'treasury',
	'bounties',
	'childBounties',
	'tips',
	'convictionVoting',
	'referenda',
	'whitelist',
	'utility',
	'identity',
	'proxy',
	'multisig',
	'voterList',
	'nominationPools',
	'fastUnstake',
]);

const GOVERNANCE_SECTIONS = new Set([
	'democracy',
	'council',
	'technicalCommittee',
	'elections',
	'treasury',
	'bounties',
	'tips',
	'utility',
	'childBounties',
	'convictionVoting',
	'referenda',
	'whitelist',
]);

/** Polkadot 9410's `impl InstanceFilter<RuntimeCall> for ProxyType`: `filter`. */
export function proxyTypeAllows(type: ProxyTypeName, call: { section: string; method: string }): boolean {
	const { section, method } = call;
	switch (type) {
		case 'Any':
			return true;
		case 'NonTransfer':
			// Indices: claim, free, freeze only; Vesting: vest, vest_other only; the Balances pallet not at all.
			if (section === 'indices') return ['claim', 'free', 'freeze'].includes(method);
			if (section === 'vesting') return method === 'vest' || method === 'vestOther';
			return NON_TRANSFER_SECTIONS.has(section);
		case 'Governance':
			return GOVERNANCE_SECTIONS.has(section);
		case 'Staking':
			return ['staking', 'session', 'utility', 'fastUnstake'].includes(section);
		case 'NominationPools':
			return section === 'nominationPools' || section === 'utility';
		case 'IdentityJudgement':
			return (section === 'identity' && method === 'provideJudgement') || section === 'utility';
		case 'CancelProxy':
			return section === 'proxy' && method === 'rejectAnnouncement';
		case 'Auction':
			// Auctions, Crowdloan, Registrar and Slots: pallets the kitchensink does not have.
			return ['auctions', 'crowdloan', 'registrar', 'slots'].includes(section);
	}
}

/** Polkadot 9410's `is_superset`. */
export function isSuperset(a: ProxyTypeName, b: ProxyTypeName): boolean {
	if (a === b || a === 'Any') return true;
	if (b === 'Any') return false;
	return a === 'NonTransfer';
}

const typeName = (codec: any): ProxyTypeName => codec.type as ProxyTypeName;

const PROXY_TYPE_INDEX = new Map(PROXY_TYPES);

/** A ProxyType's SCALE index (a field-less enum encodes as that one byte). */
function proxyTypeIndex(type: ProxyTypeName): number {
	const i = PROXY_TYPE_INDEX.get(type);
	if (i === undefined) throw new Error(`no proxy type ${type}`);
	return i;
}

/** ProxyDefinition's derived Ord: delegate (bytes), proxy type (its index), delay. */
function compareDefinitions(rt: Runtime, a: ProxyDefinition, b: ProxyDefinition): number {
	const ha = rt.registry.createType('AccountId', a.delegate).toHex();
	const hb = rt.registry.createType('AccountId', b.delegate).toHex();
	if (ha !== hb) return ha < hb ? -1 : 1;
	if (a.proxyType !== b.proxyType) return proxyTypeIndex(a.proxyType) - proxyTypeIndex(b.proxyType);
	return a.delay - b.delay;
}

function proxies(rt: Runtime, real: string): { defs: ProxyDefinition[]; deposit: bigint } {
	const [list, deposit] = rt.store.get('Proxy', 'Proxies', [real]) as any;
	return {
		defs: [...list].map((d: any) => ({ delegate: d.delegate.toString(), proxyType: typeName(d.proxyType), delay: d.delay.toNumber() })),
		deposit: deposit.toBigInt(),
	};
}

function announcements(rt: Runtime, delegate: string): { pending: Announcement[]; deposit: bigint } {
	const [list, deposit] = rt.store.get('Proxy', 'Announcements', [delegate]) as any;
	return {
		pending: [...list].map((a: any) => ({ real: a.real.toString(), callHash: a.callHash.toHex(), height: a.height.toNumber() })),
		deposit: deposit.toBigInt(),
	};
}

const constant = (rt: Runtime, name: string) => rt.meta.constant<u128>('Proxy', name).toBigInt();

/** Pallet::deposit: nothing for no proxies, else ProxyDepositBase + ProxyDepositFactor × n. */
function proxyDeposit(rt: Runtime, n: number): bigint {
	return n === 0 ? 0n : constant(rt, 'ProxyDepositBase') + constant(rt, 'ProxyDepositFactor') * BigInt(n);
}

/** Reserve or unreserve the difference between the held and the new deposit (rejig_deposit). */
function rejig(rt: Runtime, who: string, held: bigint, next: bigint): void {
	if (next > held) rt.reserve(who, next - held);
	else if (next < held) rt.unreserve(who, held - next);
}

function putProxies(rt: Runtime, real: string, defs: ProxyDefinition[], deposit: bigint): void {
	if (defs.length === 0) rt.store.remove('Proxy', 'Proxies', [real]);
	else rt.store.put('Proxy', 'Proxies', [real], [defs, deposit]);
}

function addProxyDelegate(rt: Runtime, delegator: string, delegatee: string, proxyType: ProxyTypeName, delay: number): void {
	if (delegator === delegatee) throw rt.error('Proxy', 'NoSelfProxy');
	const { defs, deposit } = proxies(rt, delegator);
	const def: ProxyDefinition = { delegate: delegatee, proxyType, delay };
	if (defs.some((d) => compareDefinitions(rt, d, def) === 0)) throw rt.error('Proxy', 'Duplicate');
	if (defs.length >= rt.meta.constant<u32>('Proxy', 'MaxProxies').toNumber()) throw rt.error('Proxy', 'TooMany');
	defs.push(def);
	defs.sort((a, b) => compareDefinitions(rt, a, b));
	const next = proxyDeposit(rt, defs.length);
	rejig(rt, delegator, deposit, next);
	putProxies(rt, delegator, defs, next);
	rt.deposit('Proxy', 'ProxyAdded', [delegator, delegatee, proxyType, delay]);
}

function removeProxyDelegate(rt: Runtime, delegator: string, delegatee: string, proxyType: ProxyTypeName, delay: number): void {
	if (!rt.store.exists('Proxy', 'Proxies', [delegator])) throw rt.error('Proxy', 'NotFound');
	const { defs, deposit } = proxies(rt, delegator);
	const def: ProxyDefinition = { delegate: delegatee, proxyType, delay };
	const i = defs.findIndex((d) => compareDefinitions(rt, d, def) === 0);
	if (i < 0) throw rt.error('Proxy', 'NotFound');
	defs.splice(i, 1);
	const next = proxyDeposit(rt, defs.length);
	rejig(rt, delegator, deposit, next);
	putProxies(rt, delegator, defs, next);
	rt.deposit('Proxy', 'ProxyRemoved', [delegator, delegatee, proxyType, delay]);
}

/** Pallet::find_proxy: the first definition for `delegate` (of `force` type if given), else NotProxy. */
function findProxy(rt: Runtime, real: string, delegate: string, force: any): ProxyDefinition {
	const forced = force.isSome ? typeName(force.unwrap()) : undefined;
	const def = proxies(rt, real).defs.find((d) => d.delegate === delegate && (forced === undefined || d.proxyType === forced));
	if (!def) throw rt.error('Proxy', 'NotProxy');
	return def;
}

/** Pallet::edit_announcements: keep those `keep` accepts; NotFound if none was removed. */
function editAnnouncements(rt: Runtime, delegate: string, keep: (a: Announcement) => boolean): void {
	if (!rt.store.exists('Proxy', 'Announcements', [delegate])) throw rt.error('Proxy', 'NotFound');
	const { pending, deposit } = announcements(rt, delegate);
	const kept = pending.filter(keep);
	if (kept.length === pending.length) throw rt.error('Proxy', 'NotFound');
	const next =
		kept.length === 0 ? 0n : constant(rt, 'AnnouncementDepositBase') + constant(rt, 'AnnouncementDepositFactor') * BigInt(kept.length);
	rejig(rt, delegate, deposit, next);
	if (kept.length === 0) rt.store.remove('Proxy', 'Announcements', [delegate]);
	else rt.store.put('Proxy', 'Announcements', [delegate], [kept, next]);
}

/**
 * Pallet::do_proxy: dispatch `call` as Signed(real) with the definition's
 * filter added to the origin (a proxy can add or remove only proxies its type
 * is a superset of, and remove all or kill a pure proxy only as Any), then
 * ProxyExecuted with the result; the proxy call itself succeeds either way.
 */
async function doProxy(rt: Runtime, def: ProxyDefinition, real: string, call: GenericCall): Promise<void> {
	const filter: CallFilter = (c) => {
		if (
			c.section === 'proxy' &&
			(c.method === 'addProxy' || c.method === 'removeProxy') &&
			!isSuperset(def.proxyType, typeName(c.args[1]))
		)
			return false;
		if (c.section === 'proxy' && (c.method === 'removeProxies' || c.method === 'killPure') && def.proxyType !== 'Any') return false;
		return proxyTypeAllows(def.proxyType, c);
	};
	const res = await rt.dispatch(call, { kind: 'signed', who: real, filter });
	rt.deposit('Proxy', 'ProxyExecuted', [rt.encodeDispatchResult(res)]);
}

/** Pallet::pure_account: blake2_256(("modlpy/proxy____", who, height, ext_index, proxy_type, index).encode()). */
function pureAccount(rt: Runtime, who: string, proxyType: ProxyTypeName, index: number, height: number, extIndex: number): string {
	const entropy = blake2AsU8a(
		u8aConcat(
			new TextEncoder().encode('modlpy/proxy____'),
			rt.registry.createType('AccountId', who).toU8a(),
			u32ToU8a(height),
			u32ToU8a(extIndex),
			Uint8Array.from([proxyTypeIndex(proxyType)]),
			u16ToU8a(index),
		),
		256,
	);
	return rt.registry.createType('AccountId', entropy).toString();
}

const extrinsicIndex = (rt: Runtime): number => ('ApplyExtrinsic' in rt.phase ? rt.phase.ApplyExtrinsic : 0);

export const proxyHandlers: Record<string, Handler> = {
	'proxy.proxy': async (rt, o, [realArg, force, call]) => {
		const who = rt.ensureSigned(o);
		const real = lookup(rt, realArg);
		const def = findProxy(rt, real, who, force);
		if (def.delay !== 0) throw rt.error('Proxy', 'Unannounced');
		await doProxy(rt, def, real, call);
	},
	'proxy.addProxy': (rt, o, [delegate, proxyType, delay]) =>
		addProxyDelegate(rt, rt.ensureSigned(o), lookup(rt, delegate), typeName(proxyType), delay.toNumber()),
	'proxy.removeProxy': (rt, o, [delegate, proxyType, delay]) =>
		removeProxyDelegate(rt, rt.ensureSigned(o), lookup(rt, delegate), typeName(proxyType), delay.toNumber()),
	'proxy.removeProxies': (rt, o) => {
		const who = rt.ensureSigned(o);
		const { deposit } = proxies(rt, who);
		rt.store.remove('Proxy', 'Proxies', [who]);
		rt.unreserve(who, deposit);
	},
	'proxy.createPure': (rt, o, [proxyTypeArg, delayArg, indexArg]) => {
		const who = rt.ensureSigned(o);
		const proxyType = typeName(proxyTypeArg);
		const pure = pureAccount(rt, who, proxyType, indexArg.toNumber(), rt.number, extrinsicIndex(rt));
		if (rt.store.exists('Proxy', 'Proxies', [pure])) throw rt.error('Proxy', 'Duplicate');
		const deposit = constant(rt, 'ProxyDepositBase') + constant(rt, 'ProxyDepositFactor');
		rt.reserve(who, deposit);
		rt.store.put('Proxy', 'Proxies', [pure], [[{ delegate: who, proxyType, delay: delayArg.toNumber() }], deposit]);
		rt.deposit('Proxy', 'PureCreated', [pure, who, proxyType, indexArg.toNumber()]);
	},
	'proxy.killPure': (rt, o, [spawnerArg, proxyTypeArg, indexArg, height, extIndex]) => {
		const who = rt.ensureSigned(o);
		const spawner = lookup(rt, spawnerArg);
		const pure = pureAccount(rt, spawner, typeName(proxyTypeArg), indexArg.toNumber(), height.toNumber(), extIndex.toNumber());
		if (pure !== who) throw rt.error('Proxy', 'NoPermission');
		const { deposit } = proxies(rt, who);
		rt.store.remove('Proxy', 'Proxies', [who]);
		rt.unreserve(spawner, deposit);
	},
	'proxy.announce': (rt, o, [realArg, callHashArg]) => {
		const who = rt.ensureSigned(o);
		const real = lookup(rt, realArg);
		if (!proxies(rt, real).defs.some((d) => d.delegate === who)) throw rt.error('Proxy', 'NotProxy');
		const callHash = u8aToHex(callHashArg.toU8a()) as Hex;
		const { pending, deposit } = announcements(rt, who);
		if (pending.length >= rt.meta.constant<u32>('Proxy', 'MaxPending').toNumber()) throw rt.error('Proxy', 'TooMany');
		pending.push({ real, callHash, height: rt.number });
		const next = constant(rt, 'AnnouncementDepositBase') + constant(rt, 'AnnouncementDepositFactor') * BigInt(pending.length);
		rejig(rt, who, deposit, next);
		rt.store.put('Proxy', 'Announcements', [who], [pending, next]);
		rt.deposit('Proxy', 'Announced', [real, who, callHash]);
	},
	'proxy.removeAnnouncement': (rt, o, [realArg, callHashArg]) => {
		const who = rt.ensureSigned(o);
		const real = lookup(rt, realArg);
		const callHash = u8aToHex(callHashArg.toU8a());
		editAnnouncements(rt, who, (a) => a.real !== real || a.callHash !== callHash);
	},
	'proxy.rejectAnnouncement': (rt, o, [delegateArg, callHashArg]) => {
		const who = rt.ensureSigned(o);
		const delegate = lookup(rt, delegateArg);
		const callHash = u8aToHex(callHashArg.toU8a());
		editAnnouncements(rt, delegate, (a) => a.real !== who || a.callHash !== callHash);
	},
	'proxy.proxyAnnounced': async (rt, o, [delegateArg, realArg, force, call]) => {
		rt.ensureSigned(o);
		const delegate = lookup(rt, delegateArg);
		const real = lookup(rt, realArg);
		const def = findProxy(rt, real, delegate, force);
		const callHash = Runtime.hashOf(call.toU8a());
		try {
			editAnnouncements(rt, delegate, (a) => a.real !== real || a.callHash !== callHash || rt.number - a.height < def.delay);
		} catch (e) {
			if (e instanceof DispatchErr) throw rt.error('Proxy', 'Unannounced');
			throw e;
		}
		await doProxy(rt, def, real, call);
	},
};

export const proxy: Pallet = { name: 'Proxy', calls: proxyHandlers };
