/**
 * The embedded genesis chains (source/devnet/genesis-chains.ts): the real
 * Kusama 1020 and Polkadot 0 runtimes boot on chopsticks-core, build blocks,
 * carry the rehearsal set-up (sudo, funded dev accounts, council and
 * technical committee), and include a real sr25519-signed governance
 * extrinsic, driven through @polkadot/api over the chain's JSON-RPC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { startGenesisChain, type GenesisChain } from '../../source/devnet/genesis-chains.js';
import { applyLegacyExtrinsicVersion } from '../../source/chain/legacy-registry.js';
import type { GenesisChainName } from '../../source/devnet/instance.js';
import { ensureEmbeddedChain, stopEmbeddedChain } from '../../source/devnet/daemon.js';
import { tempHome } from '../helpers/cli.js';

interface Keys {
	alice: KeyringPair;
	/** The account id (public key, hex) of a dev account: the chains have their own SS58 formats. */
	id: (uri: string) => string;
	address: (uri: string) => string;
}

async function devKeys(): Promise<Keys> {
	const { Keyring } = await import('@polkadot/keyring');
	const { cryptoWaitReady } = await import('@polkadot/util-crypto');
	await cryptoWaitReady();
	const keyring = new Keyring({ type: 'sr25519' });
	const { u8aToHex } = await import('@polkadot/util');
	return {
		alice: keyring.addFromUri('//Alice'),
		id: (uri) => u8aToHex(keyring.addFromUri(uri).publicKey),
		address: (uri) => keyring.addFromUri(uri).address,
	};
}

async function connect(endpoint: string): Promise<ApiPromise> {
	const { ApiPromise, WsProvider } = await import('@polkadot/api');
	const api = await ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true, throwOnConnect: true });
	// Kusama 1020's metadata v9 names no extrinsic version: block bodies decode with version 4.
	applyLegacyExtrinsicVersion(api.registry);
	return api;
}

/** Section.method of every event of the head block. */
async function headEvents(api: ApiPromise): Promise<string[]> {
	const hash = await api.rpc.chain.getBlockHash();
	const events = (await (await api.at(hash)).query.system!.events!()) as unknown as { event: { section: string; method: string } }[];
	return events.map(({ event }) => `${event.section}.${event.method}`);
}

function booted(name: GenesisChainName, spec: { specName: string; specVersion: number }) {
	const state: { chain: GenesisChain; api: ApiPromise; keys: Keys } = {} as never;
	beforeAll(async () => {
		state.chain = await startGenesisChain(name, { blockTime: 'manual' });
		console.log(`${name}: served with block 1 and the set-up in ${state.chain.bootMs} ms`);
		state.api = await connect(state.chain.endpoint);
		state.keys = await devKeys();
	}, 60_000);
	afterAll(async () => {
		await state.api?.disconnect();
		await state.chain?.close();
	});

	it('runs the real genesis runtime, says what it is, and builds blocks', async () => {
		const { api, chain } = state;
		const version = await api.rpc.state.getRuntimeVersion();
		expect(version.specName.toString()).toBe(spec.specName);
		expect(version.specVersion.toNumber()).toBe(spec.specVersion);
		expect((await api.rpc.system.name()).toString()).toMatch(/real genesis runtime on chopsticks; governance members replaced/);
		const before = (await api.rpc.chain.getHeader()).number.toNumber();
		await chain.newBlocks(2);
		expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(before + 2);
		// The block bodies (inherents) decode with the API.
		const block = await api.rpc.chain.getBlock();
		expect(block.block.extrinsics.map((x) => `${x.method.section}.${x.method.method}`)).toContain('timestamp.set');
	});

	it('has //Alice as sudo, the dev council and committee, funded dev accounts', async () => {
		const { api, keys } = state;
		const sorted = (uris: string[]) => uris.map(keys.id).sort();
		const list = async (q: () => Promise<unknown>) =>
			((await q()) as unknown as { toHex: () => string }[]).map((a) => a.toHex()).sort();
		expect((await api.query.sudo!.key!()).toHex()).toBe(keys.id('//Alice'));
		expect(await list(() => api.query.council!.members!())).toEqual(sorted(['//Alice', '//Bob', '//Charlie']));
		expect(await list(() => api.query.technicalCommittee!.members!())).toEqual(sorted(['//Dave', '//Eve']));
		expect(await list(() => api.query.technicalMembership!.members!())).toEqual(sorted(['//Dave', '//Eve']));
		const free = api.query.system!.account
			? ((await api.query.system!.account!(keys.address('//Ferdie'))) as unknown as { data: { free: { toString(): string } } }).data
					.free
			: await api.query.balances!.freeBalance!(keys.address('//Ferdie'));
		expect(free.toString()).toBe('1000000000000000000');
	});

	return state;
}

describe('embedded Kusama 1020 (2019 shapes, signed directly)', () => {
	const state = booted('kusama-1020', { specName: 'kusama', specVersion: 1020 });

	it('includes //Alice’s council.propose(3, democracy.externalProposeMajority(call)): council.Proposed', async () => {
		const { api, chain, keys } = state;
		const inner = api.tx.system!.remark!('0x72656865617273616c');
		const tx = api.tx.council!.propose!(3, api.tx.democracy!.externalProposeMajority!(inner));
		// The nonce and an immortal era, given: this test signs without the console's era and nonce reading (the route's tests use it).
		await tx.signAndSend(keys.alice, { nonce: 0, era: 0 });
		await chain.newBlocks(1);
		expect(await headEvents(api)).toContain('council.Proposed');
		expect(((await api.query.council!.proposals!()) as unknown as unknown[]).length).toBe(1);
	});
});

describe('embedded Polkadot 0 (2020 shapes, launch call filter)', () => {
	const state = booted('polkadot-0', { specName: 'polkadot', specVersion: 0 });

	it('rejects a signed democracy call at validation (TransactionCallFilter, Custom(2))', async () => {
		const { api, keys } = state;
		const tx = api.tx.democracy!.notePreimage!('0x0000');
		await expect(tx.signAndSend(keys.alice, { era: 0 })).rejects.toThrow(/"custom":2/);
	});

	it('the console never submits what the chain would reject: its one submission path validates first and says why, no intent, nothing in the pool', async () => {
		const { api, chain, keys } = state;
		const { submitExtrinsic, TransactionRefused } = await import('../../source/chain/submit.js');
		const recorded: unknown[] = [];
		const intents = { record: (i: unknown) => void recorded.push(i), outcome: () => undefined };
		const tx = api.tx.democracy!.notePreimage!('0x0000');
		const meta = {
			env: 'p0',
			stage: 'preimage' as const,
			call: 'democracy.notePreimage',
			callHash: tx.method.hash.toHex() as `0x${string}`,
		};
		const attempt = submitExtrinsic(api, { tx, pair: keys.alice, meta, intents });
		await expect(attempt).rejects.toBeInstanceOf(TransactionRefused);
		await expect(attempt).rejects.toThrow(/Custom\(2\) — polkadot's NoPermission.*nothing was sent/);
		expect(recorded).toHaveLength(0);
		expect((await api.rpc.author.pendingExtrinsics()).length).toBe(0);
		await chain.newBlocks(1);
		const body = await api.rpc.chain.getBlock();
		expect(body.block.extrinsics.map((x) => x.method.section)).not.toContain('democracy');
	});

	it('an outside signer is not asked to sign a call the chain filters: the probe says Custom(2) first', async () => {
		const { probeCall } = await import('../../source/chain/external.js');
		const verdict = await probeCall(state.api, state.api.tx.democracy!.notePreimage!('0x0000'));
		expect(verdict).toMatchObject({ ok: false, code: 'Custom(2)' });
		expect(await probeCall(state.api, state.api.tx.sudo!.sudo!(state.api.tx.system!.remark!('0x01')))).toMatchObject({ ok: true });
	});

	it('and sends what it accepts, with a mortal era born at the best block’s parent (an era born at the best block is AncientBirthBlock here)', async () => {
		const { api, chain, keys } = state;
		const { submitExtrinsic } = await import('../../source/chain/submit.js');
		const recorded: Array<{ mortalFrom?: number }> = [];
		const intents = { record: (i: { mortalFrom?: number }) => void recorded.push(i), outcome: () => undefined };
		const tx = api.tx.sudo!.sudo!(api.tx.system!.remark!('0x72656865617273616c'));
		const meta = {
			env: 'p0',
			stage: 'upgrade' as const,
			call: 'sudo.sudo(system.remark)',
			callHash: tx.method.hash.toHex() as `0x${string}`,
		};
		const best = (await api.rpc.chain.getHeader()).number.toNumber();
		const sent = submitExtrinsic(api, { tx, pair: keys.alice, meta, intents });
		// the pool has it once it is validated and sent: then a block
		const deadline = Date.now() + 30_000;
		while ((await api.rpc.author.pendingExtrinsics()).length === 0 && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 20));
		await chain.newBlocks(1);
		const result = await sent;
		expect(result.outcome.status).toBe('included');
		expect(result.events).toContain('sudo.Sudid');
		expect(recorded[0]?.mortalFrom).toBe(best - 1);
	});

	it('includes sudo.sudoAs(//Alice, council.propose(3, externalProposeMajority(hash), length)) by //Alice', async () => {
		const { api, chain, keys } = state;
		const inner = api.tx.system!.remark!('0x72656865617273616c');
		const motion = api.tx.democracy!.externalProposeMajority!(inner.method.hash);
		const tx = api.tx.sudo!.sudoAs!(keys.alice.address, api.tx.council!.propose!(3, motion, motion.method.encodedLength));
		await tx.signAndSend(keys.alice, { era: 0 });
		await chain.newBlocks(1);
		const events = await headEvents(api);
		expect(events).toContain('council.Proposed');
		expect(events).toContain('sudo.SudoAsDone');
	});
});

describe('embedded:polkadot-0 in the background (the daemon, from the build)', () => {
	it('starts with devnet --chain polkadot-0, answers as the real Polkadot 0, keeps no state, and stops', async () => {
		const home = tempHome('rc-genesis-daemon-');
		const { state, started } = await ensureEmbeddedChain(home, 'polkadot-0', { blockTime: 'manual' });
		try {
			expect(started).toBe(true);
			expect(state.instance).toMatchObject({ chain: 'polkadot-0', persistent: false });
			const api = await connect(state.endpoint);
			try {
				expect((await api.rpc.system.name()).toString()).toMatch(/embedded Polkadot 0 \(the real genesis runtime/);
				expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(0);
			} finally {
				await api.disconnect();
			}
		} finally {
			expect(await stopEmbeddedChain(home, 'polkadot-0')).toMatchObject({ chain: 'polkadot-0' });
		}
	}, 60_000);
});
