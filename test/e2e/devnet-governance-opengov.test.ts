/**
 * OpenGov on the governance devnet, through @polkadot/api only: a Root-track
 * referendum enacting system.set_code, the whitelisted route, and a multisig
 * holding the sudo key.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, createKeyMulti, encodeAddress, sortAddresses } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { blockEvents, connect, devKeys, eventNames, findEvent, newBlocks, send } from '../helpers/governance.js';

const DOLLARS = 10n ** 14n;

describe('governance devnet: OpenGov and multisig', () => {
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

	/** Produce blocks until `name` appears; returns all event names seen. */
	async function until(name: string, max = 20): Promise<string[]> {
		const seen: string[] = [];
		for (let i = 0; i < max; i++) {
			await newBlocks(api, 1);
			const names = eventNames(await blockEvents(api));
			seen.push(...names);
			if (names.includes(name)) return seen;
		}
		throw new Error(`${name} not seen in ${max} blocks: ${seen.join(', ')}`);
	}

	async function submitRootReferendum(call: { method: { toU8a(): Uint8Array } }): Promise<number> {
		const { alice } = keys;
		const bytes = call.method.toU8a();
		const hash = blake2AsHex(bytes, 256);
		expect((await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), alice)).error).toBeUndefined();
		const submitted = await send(
			api,
			api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash, len: bytes.length } }, { After: 1 }),
			alice,
		);
		expect(submitted.error).toBeUndefined();
		const index = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
		const deposit = await send(api, api.tx.referenda.placeDecisionDeposit(index), alice);
		expect(deposit.names).toContain('referenda.DecisionDepositPlaced');
		const vote = await send(
			api,
			api.tx.convictionVoting.vote(index, {
				Standard: { vote: { aye: true, conviction: 'Locked6x' }, balance: 5_000_000n * DOLLARS },
			}),
			alice,
		);
		expect(vote.error).toBeUndefined();
		return index;
	}

	it('enacts set_code through a Root-track referendum (preparing → deciding → confirming → approved → scheduler)', async () => {
		const before = api.runtimeVersion.specVersion.toNumber();
		const index = await submitRootReferendum(api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: before + 1 }))));
		const ongoing = (await api.query.referenda.referendumInfoFor(index)).unwrap();
		expect(ongoing.isOngoing).toBe(true);
		expect(ongoing.asOngoing.track.toNumber()).toBe(0);
		const seen = await until('system.CodeUpdated');
		expect(seen).toEqual(
			expect.arrayContaining([
				'referenda.DecisionStarted',
				'referenda.ConfirmStarted',
				'referenda.Confirmed',
				'scheduler.Dispatched',
			]),
		);
		expect((await api.query.referenda.referendumInfoFor(index)).unwrap().isApproved).toBe(true);
		await newBlocks(api, 1);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(before + 1);
		// the track's deciding slot is free again
		expect((await api.query.referenda.decidingCount(0)).toNumber()).toBe(0);
	});

	it('enacts a whitelisted set_code (whitelist_call by Root, dispatch_whitelisted_call_with_preimage by referendum)', async () => {
		const { alice } = keys;
		const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
		const setCode = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: before + 1 })));
		const callHash = blake2AsHex(setCode.method.toU8a(), 256);
		// The kitchensink's WhitelistOrigin is EnsureRoot: sudo stands in for the fellowship here.
		const wl = await send(api, api.tx.sudo.sudo(api.tx.whitelist.whitelistCall(callHash)), alice);
		expect(wl.names).toContain('whitelist.CallWhitelisted');
		expect((await api.query.whitelist.whitelistedCall(callHash)).isSome).toBe(true);
		// whitelisting requests the preimage
		expect((await api.query.preimage.requestStatusFor(callHash)).unwrap().isRequested).toBe(true);
		await submitRootReferendum(api.tx.whitelist.dispatchWhitelistedCallWithPreimage(setCode));
		const seen = await until('system.CodeUpdated');
		expect(seen).toContain('whitelist.WhitelistedCallDispatched');
		expect((await api.query.whitelist.whitelistedCall(callHash)).isNone).toBe(true);
		await newBlocks(api, 1);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(before + 1);
	});

	it('rejects a referendum without enough approval when the decision period ends', async () => {
		const { alice, bob } = keys;
		const call = api.tx.system.remark('0x01');
		const submitted = await send(api, api.tx.referenda.submit({ system: 'Root' }, { Inline: call.method.toHex() }, { After: 1 }), bob);
		const index = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
		await send(api, api.tx.referenda.placeDecisionDeposit(index), bob);
		await send(
			api,
			api.tx.convictionVoting.vote(index, { Standard: { vote: { aye: false, conviction: 'Locked1x' }, balance: 1000n * DOLLARS } }),
			alice,
		);
		const seen = await until('referenda.Rejected');
		expect(seen).toContain('referenda.DecisionStarted');
		expect((await api.query.referenda.referendumInfoFor(index)).unwrap().isRejected).toBe(true);
	});

	it('refuses a proposal origin without a track (NoTrack), as the kitchensink TracksInfo does', async () => {
		const res = await send(
			api,
			api.tx.referenda.submit(
				{ system: { Signed: keys.bob.address } },
				{ Inline: api.tx.system.remark('0x').method.toHex() },
				{ After: 1 },
			),
			keys.bob,
		);
		expect(res.error).toBe('Referenda.NoTrack');
	});

	it('lets a 2-of-3 multisig holding the sudo key upgrade the runtime (as_multi, approve, execute)', async () => {
		const { alice, bob, charlie } = keys;
		const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
		const multisig = encodeAddress(createKeyMulti([alice.address, bob.address, charlie.address], 2), 42);
		const changed = await send(api, api.tx.sudo.setKey(multisig), alice);
		expect(changed.names).toContain('sudo.KeyChanged');
		expect((await api.query.sudo.key()).unwrap().toString()).toBe(multisig);

		const call = api.tx.sudo.sudo(api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: before + 1 }))));
		const callHash = blake2AsHex(call.method.toU8a(), 256);
		const others = (who: string) =>
			sortAddresses(
				[alice.address, bob.address, charlie.address].filter((a) => a !== who),
				42,
			);
		const maxWeight = { refTime: 10_000_000_000, proofSize: 10_000_000 };
		const first = await send(api, api.tx.multisig.approveAsMulti(2, others(alice.address), null, callHash, maxWeight), alice);
		expect(first.names).toContain('multisig.NewMultisig');
		const pending = (await api.query.multisig.multisigs(multisig, callHash)).unwrap();
		expect(pending.approvals.map((a: any) => a.toString())).toEqual([alice.address]);
		expect(pending.deposit.toBigInt()).toBe(
			api.consts.multisig.depositBase.toBigInt() + 2n * api.consts.multisig.depositFactor.toBigInt(),
		);
		const reservedBefore = (await api.query.system.account(alice.address)).data.reserved.toBigInt();
		expect(reservedBefore).toBeGreaterThanOrEqual(pending.deposit.toBigInt());

		const wrong = await send(api, api.tx.multisig.asMulti(2, others(bob.address), { height: 1, index: 0 }, call, maxWeight), bob);
		expect(wrong.error).toBe('Multisig.WrongTimepoint');
		const low = await send(api, api.tx.multisig.asMulti(2, others(bob.address), pending.when, call, { refTime: 1, proofSize: 1 }), bob);
		expect(low.error).toBe('Multisig.MaxWeightTooLow');
		const exec = await send(api, api.tx.multisig.asMulti(2, others(bob.address), pending.when, call, maxWeight), bob);
		const executed = findEvent(exec.events, 'multisig.MultisigExecuted')!;
		expect((executed.event.data as any)[4].isOk).toBe(true);
		expect(exec.names).toEqual(expect.arrayContaining(['sudo.Sudid', 'system.CodeUpdated']));
		expect((await api.query.multisig.multisigs(multisig, callHash)).isNone).toBe(true);
		expect((await api.query.system.account(alice.address)).data.reserved.toBigInt()).toBe(reservedBefore - pending.deposit.toBigInt());
		await newBlocks(api, 1);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(before + 1);

		// cancel_as_multi returns the deposit; only the depositor may cancel
		const remark = api.tx.system.remark('0x02');
		const h2 = blake2AsHex(remark.method.toU8a(), 256);
		await send(api, api.tx.multisig.approveAsMulti(2, others(charlie.address), null, h2, maxWeight), charlie);
		const m2 = (await api.query.multisig.multisigs(multisig, h2)).unwrap();
		expect((await send(api, api.tx.multisig.cancelAsMulti(2, others(bob.address), m2.when, h2), bob)).error).toBe('Multisig.NotOwner');
		const cancelled = await send(api, api.tx.multisig.cancelAsMulti(2, others(charlie.address), m2.when, h2), charlie);
		expect(cancelled.names).toContain('multisig.MultisigCancelled');
		expect((await send(api, api.tx.multisig.asMulti(2, others(alice.address).reverse(), null, remark, maxWeight), alice)).error).toBe(
			'Multisig.SignatoriesOutOfOrder',
		);
	});
});
