/**
 * pallet_proxy on the governance devnet (substrate/frame/proxy, with Polkadot
 * runtime 9410's ProxyType, InstanceFilter and deposits), driven only through
 * @polkadot/api: a council member's Governance proxy votes for the member, a
 * call its type does not allow is filtered inside the proxy call, delays need
 * an announcement.
 */
import type { ApiPromise } from '@polkadot/api';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import {
	connect,
	describeDispatchError,
	devKeys,
	dispatchResultError,
	findEvent,
	newBlocks,
	send,
	type Included,
} from '../helpers/governance.js';

const DEV = 10n ** 12n;

describe('governance devnet: proxy', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant' });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
	});
	afterAll(async () => {
		await api?.disconnect();
		await devnet?.close();
	});

	const free = async (who: string): Promise<bigint> => (await api.query.system.account(who)).data.free.toBigInt();
	const reserved = async (who: string): Promise<bigint> => (await api.query.system.account(who)).data.reserved.toBigInt();
	const blockNumber = async (hash: string) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
	/** The inner result of the extrinsic's ProxyExecuted: undefined for Ok, else the decoded error. */
	const proxyExecuted = (r: Included): string | undefined => {
		const e = findEvent(r.events, 'proxy.ProxyExecuted');
		if (!e) throw new Error(`no proxy.ProxyExecuted in ${r.names.join(', ')}`);
		return dispatchResultError(api, (e.event.data as any)[0]) ?? undefined;
	};
	/** A council motion (threshold 3, so it waits for votes) by Alice; a distinct remark each time. */
	let motions = 0;
	const motion = async (): Promise<{ hash: string; index: number }> => {
		const proposal = api.tx.system.remark(`0x0${++motions}`);
		const r = await send(api, api.tx.council.propose(3, proposal, proposal.method.encodedLength), keys.alice);
		expect(r.error).toBeUndefined();
		const [, index, hash] = findEvent(r.events, 'council.Proposed')!.event.data as any;
		return { hash: hash.toHex(), index: index.toNumber() };
	};
	const ayes = async (hash: string): Promise<string[]> =>
		(await api.query.council.voting(hash)).unwrap().ayes.map((a: any) => a.toString());

	it("serves Polkadot's ProxyType (its indices) and its deposits as the Proxy constants", () => {
		const typeId = (api.tx.proxy.addProxy.meta.fields[1] as any).type;
		const variants = api.registry.lookup
			.getSiType(typeId)
			.def.asVariant.variants.map((v: any) => [v.name.toString(), v.index.toNumber()]);
		expect(variants).toEqual([
			['Any', 0],
			['NonTransfer', 1],
			['Governance', 2],
			['Staking', 3],
			['IdentityJudgement', 5],
			['CancelProxy', 6],
			['Auction', 7],
			['NominationPools', 8],
		]);
		// Polkadot's deposit(1, 8), deposit(0, 33), deposit(0, 66): 20.008, 0.033 and 0.066 of the token.
		expect(api.consts.proxy.proxyDepositBase.toBigInt()).toBe(20_008n * 10n ** 9n);
		expect(api.consts.proxy.proxyDepositFactor.toBigInt()).toBe(33n * 10n ** 9n);
		expect(api.consts.proxy.announcementDepositBase.toBigInt()).toBe(20_008n * 10n ** 9n);
		expect(api.consts.proxy.announcementDepositFactor.toBigInt()).toBe(66n * 10n ** 9n);
		expect(api.consts.proxy.maxProxies.toNumber()).toBe(32);
	});

	it('a council member adds a Governance proxy: Proxy.Proxies reads back and the deposit is reserved', async () => {
		const { bob, eve } = keys;
		const before = await reserved(bob.address);
		const r = await send(api, api.tx.proxy.addProxy(eve.address, 'Governance', 0), bob);
		expect(r.error).toBeUndefined();
		const added = findEvent(r.events, 'proxy.ProxyAdded')!.event.data as any;
		expect([added[0].toString(), added[1].toString(), added[2].toString(), added[3].toNumber()]).toEqual([
			bob.address,
			eve.address,
			'Governance',
			0,
		]);
		const [defs, deposit] = await api.query.proxy.proxies(bob.address);
		expect(
			defs.map((d: any) => ({ delegate: d.delegate.toString(), proxyType: d.proxyType.toString(), delay: d.delay.toNumber() })),
		).toEqual([{ delegate: eve.address, proxyType: 'Governance', delay: 0 }]);
		expect(defs[0].proxyType.isGovernance).toBe(true);
		const expected = api.consts.proxy.proxyDepositBase.toBigInt() + api.consts.proxy.proxyDepositFactor.toBigInt();
		expect(deposit.toBigInt()).toBe(expected);
		expect((await reserved(bob.address)) - before).toBe(expected);
		// the same definition again is a Duplicate, oneself is NoSelfProxy
		expect((await send(api, api.tx.proxy.addProxy(eve.address, 'Governance', 0), bob)).error).toBe('Proxy.Duplicate');
		expect((await send(api, api.tx.proxy.addProxy(bob.address, 'Any', 0), bob)).error).toBe('Proxy.NoSelfProxy');
	});

	it("the proxy votes on a council motion for the member: the member's vote, not the proxy's, and ProxyExecuted Ok", async () => {
		const { bob, eve } = keys;
		const m = await motion();
		const r = await send(api, api.tx.proxy.proxy(bob.address, null, api.tx.council.vote(m.hash, m.index, true)), eve);
		expect(r.error).toBeUndefined();
		expect(proxyExecuted(r)).toBeUndefined();
		const voted = findEvent(r.events, 'council.Voted')!.event.data as any;
		expect(voted[0].toString()).toBe(bob.address);
		expect(await ayes(m.hash)).toEqual([bob.address]);
		// Eve is no council member: her own vote fails as it would without the proxy
		expect((await send(api, api.tx.council.vote(m.hash, m.index, true), eve)).error).toBe('Council.NotMember');
	});

	it('a call the Governance type does not allow: ProxyExecuted Err(CallFiltered), the proxy call succeeds, nothing moves', async () => {
		const { bob, eve, ferdie } = keys;
		const [bobBefore, ferdieBefore] = [await free(bob.address), await free(ferdie.address)];
		const r = await send(
			api,
			api.tx.proxy.proxy(bob.address, 'Governance', api.tx.balances.transferKeepAlive(ferdie.address, 5n * DEV)),
			eve,
		);
		expect(r.error).toBeUndefined();
		expect(r.names).toContain('system.ExtrinsicSuccess');
		expect(proxyExecuted(r)).toBe('System.CallFiltered');
		expect(r.names).not.toContain('balances.Transfer');
		expect(await free(bob.address)).toBe(bobBefore);
		expect(await free(ferdie.address)).toBe(ferdieBefore);
		// sudo is not a governance call either
		const sudo = await send(api, api.tx.proxy.proxy(bob.address, null, api.tx.sudo.sudo(api.tx.system.remark('0x00'))), eve);
		expect(proxyExecuted(sudo)).toBe('System.CallFiltered');
	});

	it("utility.batch inside a proxy: the type's filter holds for each inner call; a proxy inside a batch acts for the member", async () => {
		const { bob, eve, ferdie } = keys;
		const m1 = await motion();
		const ferdieBefore = await free(ferdie.address);
		const batch = api.tx.utility.batch([
			api.tx.council.vote(m1.hash, m1.index, true),
			api.tx.balances.transferKeepAlive(ferdie.address, DEV),
		]);
		const r = await send(api, api.tx.proxy.proxy(bob.address, 'Governance', batch), eve);
		expect(proxyExecuted(r)).toBeUndefined();
		const interrupted = findEvent(r.events, 'utility.BatchInterrupted')!.event.data as any;
		expect(interrupted[0].toNumber()).toBe(1);
		expect(describeDispatchError(api, interrupted[1])).toBe('System.CallFiltered');
		expect(await ayes(m1.hash)).toEqual([bob.address]);
		expect(await free(ferdie.address)).toBe(ferdieBefore);

		// as_derivative changes the caller but keeps the origin's filter (set_caller_from)
		const derived = await send(
			api,
			api.tx.proxy.proxy(
				bob.address,
				'Governance',
				api.tx.utility.asDerivative(0, api.tx.balances.transferKeepAlive(ferdie.address, DEV)),
			),
			eve,
		);
		expect(proxyExecuted(derived)).toBe('System.CallFiltered');

		const m2 = await motion();
		const outer = await send(
			api,
			api.tx.utility.batchAll([api.tx.proxy.proxy(bob.address, null, api.tx.council.vote(m2.hash, m2.index, false))]),
			eve,
		);
		expect(outer.error).toBeUndefined();
		expect(proxyExecuted(outer)).toBeUndefined();
		expect((await api.query.council.voting(m2.hash)).unwrap().nays.map((a: any) => a.toString())).toEqual([bob.address]);
	});

	it('a non-proxy, or a proxy of another type than forced, fails with Proxy.NotProxy', async () => {
		const { bob, eve, ferdie } = keys;
		const m = await motion();
		const vote = api.tx.council.vote(m.hash, m.index, true);
		expect((await send(api, api.tx.proxy.proxy(bob.address, null, vote), ferdie)).error).toBe('Proxy.NotProxy');
		expect((await send(api, api.tx.proxy.proxy(bob.address, 'Any', vote), eve)).error).toBe('Proxy.NotProxy');
		expect((await api.query.council.voting(m.hash)).unwrap().ayes.length).toBe(0);
	});

	it('a delegate with delay 5: proxy is Unannounced; announce, then proxyAnnounced works 5 blocks later and not before', async () => {
		const { bob, dave } = keys;
		expect((await send(api, api.tx.proxy.addProxy(dave.address, 'Governance', 5), bob)).error).toBeUndefined();
		const [defs, deposit] = await api.query.proxy.proxies(bob.address);
		expect(defs.length).toBe(2);
		expect(deposit.toBigInt()).toBe(api.consts.proxy.proxyDepositBase.toBigInt() + 2n * api.consts.proxy.proxyDepositFactor.toBigInt());

		const m = await motion();
		const vote = api.tx.council.vote(m.hash, m.index, true);
		expect((await send(api, api.tx.proxy.proxy(bob.address, null, vote), dave)).error).toBe('Proxy.Unannounced');

		const daveReserved = await reserved(dave.address);
		const announced = await send(api, api.tx.proxy.announce(bob.address, blake2AsHex(vote.method.toU8a(), 256)), dave);
		expect(announced.error).toBeUndefined();
		expect(announced.names).toContain('proxy.Announced');
		const at = await blockNumber(announced.blockHash);
		const [pending] = await api.query.proxy.announcements(dave.address);
		expect(pending.map((a: any) => [a.real.toString(), a.height.toNumber()])).toEqual([[bob.address, at]]);
		const announcementDeposit =
			api.consts.proxy.announcementDepositBase.toBigInt() + api.consts.proxy.announcementDepositFactor.toBigInt();
		expect((await reserved(dave.address)) - daveReserved).toBe(announcementDeposit);

		// In block at + 4 it is still too early (anyone may send proxy_announced; Bob does here).
		const head = (await api.rpc.chain.getHeader()).number.toNumber();
		if (at + 3 > head) await newBlocks(api, at + 3 - head);
		const early = await send(api, api.tx.proxy.proxyAnnounced(dave.address, bob.address, null, vote), bob);
		expect(await blockNumber(early.blockHash)).toBe(at + 4);
		expect(early.error).toBe('Proxy.Unannounced');
		expect(await ayes(m.hash)).toEqual([]);

		const onTime = await send(api, api.tx.proxy.proxyAnnounced(dave.address, bob.address, null, vote), dave);
		expect(await blockNumber(onTime.blockHash)).toBe(at + 5);
		expect(onTime.error).toBeUndefined();
		expect(proxyExecuted(onTime)).toBeUndefined();
		expect(await ayes(m.hash)).toEqual([bob.address]);
		// the announcement is used up and its deposit returned
		expect((await api.query.proxy.announcements(dave.address))[0].length).toBe(0);
		expect(await reserved(dave.address)).toBe(daveReserved);
	});

	it('remove_proxy returns its part of the deposit; remove_proxies returns all of it', async () => {
		const { bob, dave, eve } = keys;
		const before = await reserved(bob.address);
		const r = await send(api, api.tx.proxy.removeProxy(dave.address, 'Governance', 5), bob);
		expect(r.names).toContain('proxy.ProxyRemoved');
		expect(before - (await reserved(bob.address))).toBe(api.consts.proxy.proxyDepositFactor.toBigInt());
		expect((await send(api, api.tx.proxy.removeProxy(dave.address, 'Governance', 5), bob)).error).toBe('Proxy.NotFound');
		// a Governance proxy may not remove all of the member's proxies (only Any may)
		const all = await send(api, api.tx.proxy.proxy(bob.address, null, api.tx.proxy.removeProxies()), eve);
		expect(proxyExecuted(all)).toBe('System.CallFiltered');
		expect((await api.query.proxy.proxies(bob.address))[0].length).toBe(1);
		expect((await send(api, api.tx.proxy.removeProxies(), bob)).error).toBeUndefined();
		expect((await api.query.proxy.proxies(bob.address))[0].length).toBe(0);
		expect(await reserved(bob.address)).toBe(
			before - api.consts.proxy.proxyDepositBase.toBigInt() - 2n * api.consts.proxy.proxyDepositFactor.toBigInt(),
		);
	});
});
