/**
 * Transaction validation on the governance devnet, through @polkadot/api only:
 * bad extrinsics get the node's JSON-RPC errors and the devnet keeps running.
 *
 * Mirrors: sp_runtime UncheckedExtrinsic::check (signature over call ++ extra ++
 * additional_signed, blake2-hashed above 256 bytes), frame_system CheckGenesis /
 * CheckSpecVersion / CheckTxVersion / CheckMortality / CheckNonce, the
 * transaction-payment fee check, and sc-rpc author error codes (1001 bad format,
 * 1002 verification error, 1010 invalid transaction, 1011 unknown validity).
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/frames.js';
import { startGovernanceDevnet, SYSTEM_NAME, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, newBlocks, rawRpc, send } from '../helpers/governance.js';

describe('governance devnet: transaction validation and RPC', () => {
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

	const submitRaw = (hex: string) => rawRpc(api, 'author_submitExtrinsic', [hex]);

	it('says it is a simulation', async () => {
		expect((await api.rpc.system.name()).toString()).toBe(SYSTEM_NAME);
		expect((await api.rpc.system.name()).toString()).toMatch(/simulation/);
		expect((await api.rpc.system.chain()).toString()).toMatch(/simulation/);
	});

	it('accepts a correctly signed transfer (sr25519), and ed25519 and ecdsa signers', async () => {
		const { alice } = keys;
		const ed = new Keyring({ type: 'ed25519' }).addFromUri('//Eddie');
		const ec = new Keyring({ type: 'ecdsa' }).addFromUri('//Ecco');
		for (const pair of [ed, ec]) {
			const funded = await send(api, api.tx.balances.transferKeepAlive(pair.address, 10n ** 17n), alice);
			expect(funded.names).toEqual(expect.arrayContaining(['system.NewAccount', 'balances.Endowed', 'balances.Transfer']));
			const r = await send(api, api.tx.system.remarkWithEvent('0x1234'), pair);
			expect(r.error).toBeUndefined();
			expect(r.names).toContain('system.Remarked');
		}
	});

	it('rejects a bad signature with 1010 "Transaction has a bad signature"', async () => {
		const tx = await api.tx.system.remark('0x00').signAsync(keys.alice);
		const bytes = tx.toU8a();
		// flip a byte inside the sr25519 signature (after [len][0x84][0x00 + 32-byte id][0x01])
		const tampered = Uint8Array.from(bytes);
		// [compact len (2 bytes here)][0x84][0x00][32-byte id][0x01 sr25519][64-byte signature]...
		tampered[2 + 1 + 33 + 1 + 10] ^= 0xff;
		await expect(submitRaw(u8aToHex(tampered))).rejects.toThrow('1010: Invalid Transaction: Transaction has a bad signature');
	});

	it('rejects a transaction signed for another genesis hash (CheckGenesis is part of the signed payload)', async () => {
		const fake = `0x${'11'.repeat(32)}`;
		const tx = await api.tx.system.remark('0x00').signAsync(keys.alice, { era: 0, genesisHash: fake, blockHash: fake } as any);
		await expect(api.rpc.author.submitExtrinsic(tx)).rejects.toThrow('Transaction has a bad signature');
	});

	it('rejects a transaction signed for another spec version (CheckSpecVersion)', async () => {
		const { alice } = keys;
		const tx = api.tx.system.remark('0x00');
		const nonce = await api.rpc.system.accountNextIndex(alice.address);
		const payload = api.registry.createType(
			'ExtrinsicPayload',
			{
				method: tx.method.toHex(),
				era: '0x00',
				nonce,
				tip: 0,
				assetId: null,
				mode: 0,
				specVersion: api.runtimeVersion.specVersion.toNumber() + 7,
				transactionVersion: api.runtimeVersion.transactionVersion,
				genesisHash: api.genesisHash,
				blockHash: api.genesisHash,
			},
			{ version: 4 },
		);
		const signature = alice.sign(payload.toU8a({ method: true }), { withType: true });
		tx.addSignature(alice.address, signature, payload.toHex());
		await expect(api.rpc.author.submitExtrinsic(tx)).rejects.toThrow('Transaction has a bad signature');
	});

	it('rejects a stale nonce with "Transaction is outdated" and keeps a future nonce in the pool', async () => {
		const { bob } = keys;
		await send(api, api.tx.system.remark('0x01'), bob);
		const stale = await api.tx.system.remark('0x02').signAsync(bob, { nonce: 0 });
		await expect(api.rpc.author.submitExtrinsic(stale)).rejects.toThrow('1010: Invalid Transaction: Transaction is outdated');
		const nonce = (await api.rpc.system.accountNextIndex(bob.address)).toNumber();
		const future = await api.tx.system.remark('0x03').signAsync(bob, { nonce: nonce + 1 });
		await api.rpc.author.submitExtrinsic(future);
		expect((await api.rpc.author.pendingExtrinsics()).map((x) => x.hash.toHex())).toContain(future.hash.toHex());
		// the gap is filled: both go in, in nonce order
		await send(api, api.tx.system.remark('0x04'), bob);
		expect((await api.rpc.author.pendingExtrinsics()).length).toBe(0);
		expect((await api.query.system.account(bob.address)).nonce.toNumber()).toBe(nonce + 2);
	});

	it('rejects a sender who cannot pay the fee with "Inability to pay some fees"', async () => {
		const pauper = new Keyring({ type: 'sr25519' }).addFromUri('//Pauper');
		await expect(api.tx.system.remark('0x00').signAndSend(pauper)).rejects.toThrow(
			/1010: Invalid Transaction: Inability to pay some fees/,
		);
	});

	it('rejects an expired mortal transaction (its birth block no longer matches the era)', async () => {
		const tx = await api.tx.system.remark('0x05').signAsync(keys.charlie, { era: 4 });
		await newBlocks(api, 8);
		await expect(api.rpc.author.submitExtrinsic(tx)).rejects.toThrow('1010: Invalid Transaction');
	});

	it('rejects an unknown call index with the runtime decode error (1002)', async () => {
		// bare extrinsic v4: [compact len][0x04][pallet 0xfe][call 0x00]
		await expect(submitRaw('0x0c04fe00')).rejects.toThrow(/1002: Verification Error/);
	});

	it('rejects undecodable bytes (1001) and does not crash', async () => {
		await expect(submitRaw('0x1234')).rejects.toThrow(/1001: Extrinsic has invalid format/);
		await expect(submitRaw('0x')).rejects.toThrow(/100[12]/);
		await expect(submitRaw('not hex')).rejects.toThrow();
		await expect(rawRpc(api, 'state_getStorage', [42])).resolves.toBeNull();
		await expect(rawRpc(api, 'chain_getBlock', ['0x1234'])).resolves.toBeNull();
	});

	it('rejects unsigned calls without an unsigned validator (1011)', async () => {
		await expect(api.tx.system.remark('0x00').send()).rejects.toThrow('1011: Unknown Transaction Validity');
	});

	it('refuses calls it does not model, naming them, even when nested', async () => {
		await expect(api.tx.staking.chill().signAndSend(keys.alice)).rejects.toThrow(/not modelled.*staking\.chill/);
		await expect(api.tx.sudo.sudo(api.tx.staking.forceNewEra()).signAndSend(keys.alice)).rejects.toThrow(
			/not modelled.*staking\.forceNewEra/,
		);
	});

	it('answers payment info, and charges exactly that fee (TransactionFeePaid)', async () => {
		const { dave } = keys;
		const tx = api.tx.balances.transferKeepAlive(keys.eve.address, 10n ** 15n);
		const info = await tx.paymentInfo(dave);
		const included = await send(api, tx, dave);
		const paid = included.events.find((e) => e.event.method === 'TransactionFeePaid')!;
		expect((paid.event.data as any)[1].toBigInt()).toBe(info.partialFee.toBigInt());
	});

	it('serves map iteration (state_getKeysPaged), queryStorageAt and storage subscriptions as the api expects', async () => {
		const accounts = await api.query.system.account.entries();
		expect(accounts.length).toBeGreaterThanOrEqual(6);
		const [alice, bob] = await api.query.system.account.multi([keys.alice.address, keys.bob.address]);
		expect(alice.data.free.toBigInt()).toBeGreaterThan(0n);
		expect(bob.data.free.toBigInt()).toBeGreaterThan(0n);
		const seen: bigint[] = [];
		const unsub = await api.query.system.account(keys.ferdie.address, (a: any) => {
			seen.push(a.data.free.toBigInt());
		});
		await send(api, api.tx.balances.transferKeepAlive(keys.ferdie.address, 10n ** 15n), keys.alice);
		// the subscription delivers the new balance after the block: wait for it (the test's bound is the timeout)
		await waitFor(
			() => seen.length >= 2 && seen[seen.length - 1]! - seen[0]! === 10n ** 15n,
			'the transfer on the storage subscription',
			10_000,
		);
		unsub();
		expect(seen.length).toBeGreaterThanOrEqual(2);
		expect(seen[seen.length - 1]! - seen[0]!).toBe(10n ** 15n);
	});

	it('dev_setStorage writes raw [key, value] pairs that the api then reads', async () => {
		const key = api.query.sudo.key.key();
		const value = api.registry.createType('AccountId', keys.bob.address).toHex();
		await rawRpc(api, 'dev_setStorage', [[[key, value]]]);
		expect((await api.query.sudo.key()).unwrap().toString()).toBe(keys.bob.address);
		await rawRpc(api, 'dev_setStorage', [[[key, api.registry.createType('AccountId', keys.alice.address).toHex()]]]);
		await expect(rawRpc(api, 'dev_setStorage', [{ System: {} }])).rejects.toThrow(/raw \[key, value\] pairs/);
	});

	it('still produces blocks and answers after all of the above', async () => {
		const before = (await api.rpc.chain.getHeader()).number.toNumber();
		await newBlocks(api, 1);
		expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before + 1);
		const code = await rawRpc<string>(api, 'state_getStorage', ['0x3a636f6465']);
		expect(hexToU8a(code).length).toBeGreaterThan(1000);
	});
});
