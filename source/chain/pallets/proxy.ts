/**
 * pallet_proxy: who may act for whom, and the call that does it,
 * `proxy.proxy(real, force_proxy_type, call)`.
 *
 * A proxy type's filter (`InstanceFilter`) is runtime code the metadata does
 * not describe, so the console decides with the filters Polkadot, Kusama and
 * Rococo define for the types they share; a type it does not know is refused
 * rather than guessed. Whatever the console decides, the chain has the last
 * word: a filtered call makes `ProxyExecuted { result: Err(CallFiltered) }`,
 * which chain/submit.ts records as a failure.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Call } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import type { Tx } from './common.js';
import { palletCall, palletQuery } from './common.js';

export interface ProxyDefinition {
	delegate: string;
	proxyType: string;
	delay: number;
}

interface ProxiesCodec {
	0: Array<{ delegate: { toString(): string }; proxyType: { toString(): string }; delay: { toNumber(): number } }>;
}

export function hasProxyPallet(api: ApiPromise): boolean {
	return Boolean((api.tx as unknown as Record<string, unknown>).proxy);
}

/** `Proxy.Proxies(real)`: the accounts that may act for `real`, with their type and delay. */
export async function proxiesOf(api: ApiPromise, real: string): Promise<ProxyDefinition[]> {
	const query = palletQuery<{ proxies: (who: string) => Promise<ProxiesCodec> }>(api, 'proxy');
	if (!query) return [];
	const value = await query.proxies(real);
	return value[0].map((d) => ({ delegate: d.delegate.toString(), proxyType: d.proxyType.toString(), delay: d.delay.toNumber() }));
}

/** Sections a Governance proxy may call (Polkadot, Kusama and Rococo: governance pallets, treasury, utility). */
const GOVERNANCE = new Set([
	'democracy',
	'council',
	'technicalCommittee',
	'phragmenElection',
	'elections',
	'technicalMembership',
	'treasury',
	'bounties',
	'childBounties',
	'tips',
	'utility',
	'referenda',
	'convictionVoting',
	'whitelist',
	'fellowshipCollective',
	'fellowshipReferenda',
]);

/** Sections a NonTransfer proxy may call: everything that moves no funds, as Polkadot and Kusama list it (sudo is not in it). */
const NON_TRANSFER = new Set([
	'system',
	'scheduler',
	'babe',
	'timestamp',
	'staking',
	'session',
	'grandpa',
	'imOnline',
	...GOVERNANCE,
	'claims',
	'identity',
	'society',
	'recovery',
	'proxy',
	'multisig',
	'registrar',
	'slots',
	'auctions',
	'preimage',
	'nominationPools',
	'fastUnstake',
	'voterList',
	'bagsList',
]);

const STAKING = new Set(['staking', 'session', 'utility', 'fastUnstake', 'voterList', 'bagsList', 'nominationPools']);

/** Every call `call` dispatches with the proxy's filter on: itself, and what a batch or another proxy in it carries. */
function callsWithin(call: Call): Call[] {
	const out: Call[] = [call];
	const { section, method } = call;
	if (section === 'utility' && ['batch', 'batchAll', 'forceBatch'].includes(method)) {
		for (const inner of call.args[0] as unknown as Call[]) out.push(...callsWithin(inner));
	}
	if (section === 'utility' && method === 'asDerivative') out.push(...callsWithin(call.args[1] as unknown as Call));
	return out;
}

/** The filters of the proxy types the console knows, as Polkadot, Kusama and Rococo define them. */
const FILTERS: Record<string, (c: Call) => boolean> = {
	Governance: (c) => GOVERNANCE.has(c.section),
	NonTransfer: (c) => NON_TRANSFER.has(c.section),
	Staking: (c) => STAKING.has(c.section),
	CancelProxy: (c) => (c.section === 'proxy' && c.method === 'rejectAnnouncement') || c.section === 'utility' || c.section === 'multisig',
	Auction: (c) => ['auctions', 'crowdloan', 'registrar', 'slots'].includes(c.section),
};

/** Does a proxy of this type let the call through? `ok: false` names the call it stops. */
export function proxyTypeAllows(type: string, call: Call): { ok: true } | { ok: false; why: string } {
	if (type === 'Any') return { ok: true };
	const filter = FILTERS[type];
	if (!filter)
		return {
			ok: false,
			why: `the console does not know what a ${type} proxy may call on this chain, so it does not offer to sign through it`,
		};
	for (const c of callsWithin(call)) {
		if (!filter(c)) return { ok: false, why: `a ${type} proxy may not call ${c.section}.${c.method}` };
	}
	return { ok: true };
}

export type ProxyCheck = { ok: true; proxyType: string } | { ok: false; reason: string; hint: string };

/**
 * May `delegate` make `call` for `real` right now? It must be listed in
 * `Proxy.Proxies(real)` with a type whose filter lets the call through and no
 * delay (an announced proxy must announce first and wait: not offered here).
 */
export async function checkProxy(api: ApiPromise, real: string, delegate: string, call: Call): Promise<ProxyCheck> {
	if (!hasProxyPallet(api))
		return { ok: false, reason: 'this chain has no Proxy pallet', hint: 'sign with the account itself (drop --as)' };
	const all = await proxiesOf(api, real);
	const key = (a: string) => u8aToHex(decodeAddress(a));
	const definitions = all.filter((d) => key(d.delegate) === key(delegate));
	if (definitions.length === 0)
		return {
			ok: false,
			reason: `${delegate} is not a proxy of ${real} (Proxy.Proxies lists ${all.length} for it${all.length ? `: ${all.map((d) => `${d.delegate} (${d.proxyType})`).join(', ')}` : ''})`,
			hint: `${real} adds one with proxy.addProxy(${delegate}, <type>, 0), or sign with another of its proxies`,
		};
	const immediate = definitions.filter((d) => d.delay === 0);
	const fits = immediate.map((d) => ({ d, allows: proxyTypeAllows(d.proxyType, call) }));
	const chosen = fits.find((f) => f.allows.ok);
	if (chosen) return { ok: true, proxyType: chosen.d.proxyType };
	if (immediate.length === 0) {
		const delays = definitions.map((d) => `${d.proxyType} with a delay of ${d.delay} blocks`).join(', ');
		return {
			ok: false,
			reason: `${delegate} is an announced (delayed) proxy of ${real} (${delays}): it must announce the call and wait the delay before acting`,
			hint: 'announced proxies are not signed through here: use a proxy with no delay, or sign with the account itself',
		};
	}
	const why = fits
		.map((f) => (f.allows.ok ? '' : f.allows.why))
		.filter(Boolean)
		.join('; ');
	return {
		ok: false,
		reason: `${delegate} is a proxy of ${real}, but ${why}`,
		hint: `a proxy of a type that allows it (Any${GOVERNANCE.has(call.section) ? ' or Governance' : ''}) must sign, or ${real} itself`,
	};
}

/** `proxy.proxy(real, Some(type), call)`: the delegate signs and pays, the call runs as `real`. */
export function buildProxyCall(api: ApiPromise, real: string, proxyType: string, tx: Tx): Tx {
	return palletCall(api, 'proxy', 'proxy')(real, proxyType, tx.method);
}
