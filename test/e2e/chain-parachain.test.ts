/**
 * The chain layer of a parachain upgrade on real runtimes: Rococo 9130 as the
 * relay and statemine 900 (asset-hub-rococo's genesis code) as para 1000,
 * joined by chopsticks' connectVertical, through @polkadot/api.
 *
 *  - the relay's facts about the para (maxCodeSize of Rococo 9130, not
 *    simulated: the relay holds no head for the para);
 *  - a Transact heavier than the para runs at once is parked as overweight,
 *    and downwardOutcomes says so;
 *  - buildAuthorizeXcm in a relay utility.batchAll sent by the relay's sudo
 *    (//Alice) → the para's UpgradeAuthorized with the hash, the derived
 *    weight executes Complete;
 *  - buildParaEnact unsigned through chain/submit.ts's write-ahead path (a
 *    code of another hash refused before anything is sent), then
 *    ValidationFunctionStored, the pending code, and ValidationFunctionApplied
 *    in the next block with `:code` the new code.
 *
 * The network is source/devnet/network.ts's startRococoNetwork in manual
 * block mode (through test/helpers/parachain-network.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Hex, Intent } from '../../source/domain/types.js';
import {
	authorizedParaUpgrade,
	buildParaEnact,
	downwardOutcomes,
	hasParachainSystem,
	paraBlockReport,
	paraIdOf,
	pendingUpgrade,
	type ParaBlockReport,
} from '../../source/chain/pallets/parachain-system.js';
import { buildAuthorizeXcm, buildRelayBatch, relayXcmVersionFor, type AuthorizeXcmPlan } from '../../source/chain/pallets/xcm.js';
import { codeSizeGate, relayParaFacts } from '../../source/chain/pallets/paras.js';
import { eventsAt, reconcileIntent, submitExtrinsic, TransactionRefused, UNSIGNED_SIGNER } from '../../source/chain/submit.js';
import { onChainCodeHash } from '../../source/chain/live.js';
import { connect, devKeys } from '../helpers/governance.js';
import {
	assetHubGenesisCode,
	byteDifferentAssetHubCode,
	startTestParachainNetwork,
	type TestNetwork,
} from '../helpers/parachain-network.js';
import { scenario } from '../helpers/steps.js';

const PARA = 1000;
const STATEMINE_900 = '0x0be70b77f97295cdda6109a8476ada38b1c042240641e156ab97a6a0352f47ee';

describe('parachain upgrade, chain layer: relay Rococo 9130 and statemine 900 as para 1000', () => {
	let net: TestNetwork;
	let relay: ApiPromise;
	let para: ApiPromise;
	let alice: KeyringPair;
	const code = byteDifferentAssetHubCode();
	const codeHash = blake2AsHex(code, 256) as Hex;
	const s = scenario();

	/** Send `tx` (a Root call) as the relay's sudo through the one submission path, building the relay block once it is in the pool. */
	async function sudoOnRelay(tx: AuthorizeXcmPlan['tx']) {
		const sudo = relay.tx.sudo.sudo(tx);
		const sent = submitExtrinsic(relay, {
			tx: sudo,
			pair: alice,
			meta: { env: 'relay', stage: 'authorize', call: 'sudo.sudo', callHash: sudo.method.hash.toHex() as Hex },
		});
		await untilInPool(relay);
		await net.relay.newBlocks(1);
		return sent;
	}

	/** Wait (polling the node) until the pool holds an extrinsic. */
	async function untilInPool(api: ApiPromise) {
		for (let i = 0; i < 500; i++) {
			if ((await api.rpc.author.pendingExtrinsics()).length > 0) return;
			await new Promise((r) => setTimeout(r, 20));
		}
		throw new Error('nothing reached the pool');
	}

	/** Build para blocks (at most 4) until one has a downward-message outcome; its report. */
	async function paraBlockWithDownward(): Promise<ParaBlockReport> {
		for (let i = 0; i < 4; i++) {
			await net.para.newBlocks(1);
			const head = (await para.rpc.chain.getHeader()).hash.toHex() as Hex;
			const report = await paraBlockReport(para, head);
			if (report.downward.outcomes.length > 0) return report;
		}
		throw new Error('no para block ran a downward message');
	}

	beforeAll(async () => {
		const t0 = Date.now();
		net = await startTestParachainNetwork();
		relay = await connect(net.relay.endpoint);
		para = await connect(net.para.endpoint);
		alice = (await devKeys()).alice;
		console.log(`relay + para booted and connected in ${Date.now() - t0} ms`);
	}, 120_000);
	afterAll(async () => {
		await relay?.disconnect();
		await para?.disconnect();
		await net?.close();
	});

	it(
		'reads the relay’s facts about para 1000: unknown to Rococo 9130, maxCodeSize 3,145,728, delay and cooldown 1, and not simulated (no head for it)',
		s.step(async () => {
			expect(hasParachainSystem(para)).toBe(true);
			expect(hasParachainSystem(relay)).toBe(false);
			expect(await paraIdOf(para)).toBe(net.para.paraId);
			expect(await paraIdOf(relay)).toBeUndefined();
			const facts = await relayParaFacts(relay, PARA, para);
			expect(facts).toMatchObject({
				known: false,
				maxCodeSize: 3_145_728,
				validationUpgradeDelay: 1,
				validationUpgradeCooldown: 1,
				simulated: false,
			});
			expect(facts.simulatedBecause).toContain('holds no head for para 1000');
			expect(facts.currentCodeHash).toBeUndefined();
			expect(facts.futureCodeHash).toBeUndefined();
			// The genesis code (compressed) passes; the byte-different code is the decompressed wasm, under 80% still.
			expect(codeSizeGate(assetHubGenesisCode().length, facts.maxCodeSize).status).toBe('pass');
			expect(codeSizeGate(code.length, facts.maxCodeSize)).toMatchObject({ status: 'pass', text: expect.stringContaining('78.9%') });
			expect(await authorizedParaUpgrade(para)).toBeUndefined();
		}),
		60_000,
	);

	it(
		'a Transact that asks for more weight than the para runs at once is parked: downwardOutcomes reports it overweight, nothing is authorized',
		s.step(async () => {
			// By hand, as in the notes: weight 1e12 (the para's dmpQueue maxIndividual is 1e10).
			const heavy = para.tx.parachainSystem.authorizeUpgrade(codeHash).method.toHex();
			const send = relay.tx.xcmPallet.send(
				{ V1: { parents: 0, interior: { X1: { Parachain: PARA } } } },
				{ V2: [{ Transact: { originType: 'Superuser', requireWeightAtMost: 1e12, call: { encoded: heavy } } }] },
			);
			const sent = await sudoOnRelay(send);
			expect(sent.outcome.status).toBe('included');
			expect(sent.events).toContain('xcmPallet.Sent');
			const report = await paraBlockWithDownward();
			expect(report.downward.received).toBe(1);
			expect(report.downward.rejected).toHaveLength(1);
			const [parked] = report.downward.rejected;
			expect(parked).toMatchObject({ source: 'dmpQueue', status: 'overweight' });
			expect(parked!.text).toMatch(
				/^dmpQueue\.OverweightEnqueued: the message needs weight 1,00\d,000,000,000, more than the para runs at once/,
			);
			expect(report.upgrade).toEqual([]);
			expect(await authorizedParaUpgrade(para)).toBeUndefined();
			// The same reader over the raw event records of that block.
			expect(downwardOutcomes(await eventsAt(para, report.blockHash)).rejected[0]?.status).toBe('overweight');
		}),
		s.timeout(60_000),
	);

	let plan: AuthorizeXcmPlan;
	it(
		'authorizes the new code hash through the relay: buildAuthorizeXcm in a utility.batchAll by the relay sudo → UpgradeAuthorized on the para, executed Complete with the derived weight',
		s.step(async () => {
			expect(await relayXcmVersionFor(relay, PARA)).toBe(2);
			plan = await buildAuthorizeXcm(relay, para, PARA, codeHash);
			expect(plan.xcmVersion).toBe(2);
			// The para weighs statemine 900's authorize_upgrade at 1,000,000 (its #[pallet::weight]); × 2.
			expect(plan.weight).toMatchObject({ call: { refTime: 1_000_000n }, refTime: 2_000_000n, margin: 2 });
			expect(plan.weight.limit).toEqual({ refTime: 10_000_000_000n, proofSize: 0n, source: 'dmpQueue.configuration.maxIndividual' });
			expect(plan.inner).toBe(`parachainSystem.authorizeUpgrade(${codeHash.slice(0, 6)}…${codeHash.slice(-4)})`);
			expect(plan.label).toBe(`xcmPallet.send(Parachain(1000), V2 [Transact(Superuser, 2,000,000, ${plan.inner})])`);
			// statemine 900's authorize_upgrade(code_hash): pallet 1, call 2, then the hash.
			expect(plan.paraCall.encoded).toBe(`0x0102${codeHash.slice(2)}`);
			expect(() => buildRelayBatch(relay, [plan.tx], 'forceBatch')).toThrow(
				'this relay has no utility.forceBatch (its Utility has batch, batchAll): use batchAll',
			);
			const batch = buildRelayBatch(
				relay,
				// A Root call standing in for the relay's own upgrade (Rococo 9130's remark wants a signed origin).
				[relay.tx.system.setStorage([]), { tx: plan.tx, label: plan.label }],
				'batchAll',
			);
			expect(batch.label).toBe(`utility.batchAll(system.setStorage, ${plan.label})`);
			const sent = await sudoOnRelay(batch.tx);
			expect(sent.outcome.status).toBe('included');
			const sudid = (await eventsAt(relay, sent.outcome.blockHash!)).find((e) => e.event.method === 'Sudid');
			expect((sudid?.event.data[0] as { isOk?: boolean } | undefined)?.isOk).toBe(true);
			expect(sent.events).toEqual(expect.arrayContaining(['xcmPallet.Sent', 'utility.BatchCompleted', 'sudo.Sudid']));
			const report = await paraBlockWithDownward();
			expect(report.downward.rejected).toEqual([]);
			// dmpQueue names a message by blake2-256 of its bytes: ours is the VersionedXcm the relay sent (it sends
			// V2 as given); the block may also run the relay's version subscription that followed the first send.
			const ours = blake2AsHex(plan.tx.method.args[1]!.toU8a(), 256);
			const outcome = report.downward.outcomes.find((o) => o.id === ours);
			// Complete, weighing the Transact's 2,000,000 plus the para's figure per instruction.
			expect(outcome).toMatchObject({ source: 'dmpQueue', status: 'complete' });
			expect(outcome!.text).toMatch(/^dmpQueue\.ExecutedDownward\(Complete, weight [\d,]+2,000,000\)$/);
			expect(report.upgrade).toEqual([
				{ kind: 'UpgradeAuthorized', codeHash, text: `parachainSystem.UpgradeAuthorized(${codeHash})` },
			]);
			expect(await authorizedParaUpgrade(para)).toBe(codeHash);
		}),
		s.timeout(60_000),
	);

	let intent: Intent | undefined;
	let storedAt: number;
	it(
		'applies it unsigned through the write-ahead submit path: another code is refused before sending; the authorized one is recorded by hash first, then ValidationFunctionStored and the pending code',
		s.step(async () => {
			const recorded: Intent[] = [];
			const intents = { record: (i: Intent) => void recorded.push(i), outcome: () => undefined };
			// statemine 900 itself: not the authorized hash. The runtime's ValidateUnsigned says no; nothing is sent or recorded.
			const wrong = buildParaEnact(para, assetHubGenesisCode());
			expect(wrong.unsigned).toBe(true);
			const meta = (p: { label: string; callHash: Hex }) => ({
				env: 'para',
				stage: 'apply' as const,
				call: p.label,
				callHash: p.callHash,
			});
			const refused = await submitExtrinsic(para, { tx: wrong.tx, unsigned: true, meta: meta(wrong), intents }).catch(
				(e: unknown) => e,
			);
			expect(refused).toBeInstanceOf(TransactionRefused);
			expect((refused as TransactionRefused).code).toBe('Call');
			expect((refused as Error).message).toContain(`the chain would refuse ${wrong.label} unsigned`);
			expect(recorded).toEqual([]);
			expect((await para.rpc.author.pendingExtrinsics()).length).toBe(0);

			const enact = buildParaEnact(para, code);
			expect(enact.label).toBe(`parachainSystem.enactAuthorizedUpgrade(<code ${codeHash.slice(0, 6)}…${codeHash.slice(-4)}>)`);
			expect(enact.unsigned).toBe(true);
			const sent = submitExtrinsic(para, { tx: enact.tx, unsigned: true, meta: meta(enact), intents });
			await untilInPool(para);
			// Recorded before it reached the pool, with the hash of the extrinsic that is there.
			expect(recorded).toHaveLength(1);
			intent = recorded[0]!;
			expect(intent).toMatchObject({ signer: UNSIGNED_SIGNER, call: enact.label, callHash: enact.callHash });
			const pool = await para.rpc.author.pendingExtrinsics();
			expect(pool.map((x) => x.hash.toHex())).toEqual([intent.extrinsicHash]);
			expect(pool[0]!.isSigned).toBe(false);
			await net.para.newBlocks(1);
			const result = await sent;
			expect(result.outcome).toMatchObject({ status: 'included', extrinsicHash: intent.extrinsicHash });
			expect(result.events).toContain('parachainSystem.ValidationFunctionStored');
			storedAt = result.outcome.blockNumber!;
			const report = await paraBlockReport(para, result.outcome.blockHash!);
			expect(report.upgrade).toEqual([{ kind: 'ValidationFunctionStored', text: 'parachainSystem.ValidationFunctionStored' }]);
			const pending = await pendingUpgrade(para);
			expect(pending).toMatchObject({ pendingCodeHash: codeHash, pendingLen: code.length });
			expect(pending.relayParent).toBeGreaterThan(0);
			expect(await authorizedParaUpgrade(para)).toBeUndefined();
			// After a crash, the intent is found on chain by its hash (no nonce, no era to go by).
			const found = await reconcileIntent(para, intent);
			expect(found).toMatchObject({ kind: 'included', outcome: { status: 'included', blockNumber: storedAt } });
			// An unsigned intent that never reached the node is dropped (it may be sent again), not left pending.
			// (It is said after one more block or a block time without one; a short grace here, as no block is coming.)
			const lost = await reconcileIntent(para, { ...intent, extrinsicHash: blake2AsHex('never sent', 256) as Hex }, { graceMs: 300 });
			expect(lost).toMatchObject({
				kind: 'dropped',
				outcome: { error: expect.stringContaining('not in the pool: it never reached the node') },
			});
		}),
		s.timeout(60_000),
	);

	it(
		'the next para block applies it (the relay’s go-ahead): ValidationFunctionApplied, nothing pending, `:code` is the new code',
		s.step(async () => {
			await net.para.newBlocks(1);
			const head = await para.rpc.chain.getHeader();
			expect(head.number.toNumber()).toBe(storedAt + 1);
			const report = await paraBlockReport(para, head.hash.toHex() as Hex);
			expect(report.upgrade).toHaveLength(1);
			expect(report.upgrade[0]).toMatchObject({ kind: 'ValidationFunctionApplied', relayBlock: expect.any(Number) });
			const pending = await pendingUpgrade(para);
			expect(pending.pendingCodeHash).toBeUndefined();
			expect(await onChainCodeHash(para)).toBe(codeHash);
			expect(codeHash).not.toBe(STATEMINE_900);
			// The chain runs it: another block, still statemine 900.
			await net.para.newBlocks(1);
			expect((await para.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(900);
			expect(u8aToHex(code.subarray(0, 4))).toBe('0x0061736d');
		}),
		s.timeout(60_000),
	);

	it(
		'an extrinsic out of the pool and in a block still being built is included, not dropped (nothing is sent twice)',
		s.step(async () => {
			// chopsticks takes a block's extrinsics out of its pool before the block is its best: in that moment the
			// extrinsic is in neither place. A block built with the extrinsic handed to it directly holds that moment open.
			const head = await relay.rpc.chain.getHeader();
			const best = head.number.toNumber();
			const nonce = (await relay.rpc.system.accountNextIndex(alice.address)).toNumber();
			const tx = relay.tx.system.remark('0x72656c656173652d636f6e736f6c65');
			await tx.signAsync(alice, {
				nonce,
				blockHash: head.hash,
				era: relay.registry.createType('ExtrinsicEra', { current: best, period: 64 }),
			});
			const intent: Intent = {
				id: 'in-the-making',
				env: 'relay',
				stage: 'upgrade',
				call: 'system.remark',
				callHash: tx.method.hash.toHex() as Hex,
				signer: alice.address,
				nonce,
				extrinsicHash: tx.hash.toHex() as Hex,
				mortalFrom: best,
				mortalPeriod: 64,
				createdAt: new Date().toISOString(),
			};
			const building = net.relay.chain.newBlock({ transactions: [tx.toHex() as Hex] });
			const result = await reconcileIntent(relay, intent);
			await building;
			expect((await relay.rpc.author.pendingExtrinsics()).length).toBe(0);
			expect(result).toMatchObject({ kind: 'included', outcome: { status: 'included', blockNumber: best + 1 } });
		}),
		s.timeout(60_000),
	);
});
