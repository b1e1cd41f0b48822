#!/usr/bin/env node
/**
 * Governance devnet bench: start time, a full gov v1 runtime-upgrade rehearsal
 * driven through @polkadot/api only (the same calls as
 * test/devnet-governance-gov1.test.ts), and manual block production speed.
 *
 *   node bench/governance.mjs [--trace]  (needs `npm run build` first; --trace: rehearsal step timings on stderr)
 *   import { benchGovernance } from './governance.mjs'
 *     -> { startMs, rehearsalMs, rehearsalBlocks, blocksPerSecond }
 *
 * Not part of `npm test`.
 */
import { pathToFileURL } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { buildDevnetCode, startGovernanceDevnet } from '../dist/devnet/governance/index.js';

const SEND_TIMEOUT_MS = 60_000;
const COLLECTIVE_WEIGHT_BOUND = { refTime: 10_000_000_000, proofSize: 1_000_000 };

const now = () => Number(process.hrtime.bigint()) / 1e6;

function line(name, value, unit) {
	return `${name.padEnd(44)} ${String(value).padStart(9)} ${unit}`;
}

/** Call a devnet RPC method that @polkadot/api does not decorate (dev_*, devnet_*). */
function rawRpc(api, method, params = []) {
	return api._rpcCore.provider.send(method, params);
}

function names(events) {
	return events.map((e) => `${e.event.section}.${e.event.method}`);
}

function findEvent(events, name) {
	return events.find((e) => `${e.event.section}.${e.event.method}` === name);
}

function describeDispatchError(api, err) {
	if (err.isModule) {
		const m = api.registry.findMetaError(err.asModule);
		return `${m.section}.${m.name}`;
	}
	return err.type;
}

/** Sign, submit and wait for inclusion (the devnet runs in 'instant' mode); throws if the extrinsic failed. */
function send(api, tx, signer, label) {
	return new Promise((resolve, reject) => {
		let unsub;
		const timer = setTimeout(() => {
			unsub?.();
			reject(new Error(`${label}: not included within ${SEND_TIMEOUT_MS} ms`));
		}, SEND_TIMEOUT_MS);
		tx.signAndSend(signer, (r) => {
			if (r.status.isInBlock || r.status.isFinalized) {
				clearTimeout(timer);
				unsub?.();
				const events = r.events;
				const failed = events.find((e) => e.event.section === 'system' && e.event.method === 'ExtrinsicFailed');
				if (failed) reject(new Error(`${label}: ExtrinsicFailed ${describeDispatchError(api, failed.event.data[0])}`));
				else
					resolve({
						blockHash: (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex(),
						events,
						names: names(events),
					});
			} else if (r.status.isInvalid || r.status.isDropped) {
				clearTimeout(timer);
				unsub?.();
				reject(new Error(`${label}: transaction ${r.status.type}`));
			}
		})
			.then((u) => {
				unsub = u;
			})
			.catch((e) => {
				clearTimeout(timer);
				reject(new Error(`${label}: ${e.message}`));
			});
	});
}

function expectEvents(included, wanted, label) {
	for (const w of wanted) if (!included.names.includes(w)) throw new Error(`${label}: no ${w} event (got ${included.names.join(', ')})`);
}

async function devKeys() {
	await cryptoWaitReady();
	const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
	const [alice, bob, charlie, dave] = ['Alice', 'Bob', 'Charlie', 'Dave'].map((n) => k.addFromUri(`//${n}`));
	return { alice, bob, charlie, dave };
}

/**
 * Gov v1 rehearsal: preimage → council motion (external_propose_majority) →
 * technical committee fast-track → referendum vote → enactment by the
 * scheduler → CodeUpdated and the new spec version seen by the api.
 */
async function rehearseGov1(api, keys, trace) {
	const { alice, bob, charlie, dave } = keys;
	const before = api.runtimeVersion.specVersion.toNumber();
	const target = before + 1;
	let resolveSeen;
	const seen = new Promise((r) => (resolveSeen = r));
	const unsubVersion = await api.rpc.state.subscribeRuntimeVersion((v) => {
		if (v.specVersion.toNumber() === target) resolveSeen();
	});
	const code = buildDevnetCode({ specVersion: target });
	const startNumber = (await api.rpc.chain.getHeader()).number.toNumber();
	const t0 = now();
	let tStep = t0;
	const step = (what) => {
		const t = now();
		trace(`  ${what}: ${(t - tStep).toFixed(0)} ms`);
		tStep = t;
	};

	// 1. preimage of system.set_code(new code)
	const setCode = api.tx.system.setCode(u8aToHex(code));
	const preimage = setCode.method.toU8a();
	const hash = blake2AsHex(preimage, 256);
	expectEvents(
		await send(api, api.tx.preimage.notePreimage(u8aToHex(preimage)), alice, 'preimage.notePreimage'),
		['preimage.Noted'],
		'notePreimage',
	);
	step('preimage.notePreimage');

	// 2. council motion: external_propose_majority needs 3/4 of the council
	const external = api.tx.democracy.externalProposeMajority({ Lookup: { hash, len: preimage.length } });
	const proposed = await send(api, api.tx.council.propose(3, external, external.method.encodedLength), alice, 'council.propose');
	const [, motionIndex, motionHash] = findEvent(proposed.events, 'council.Proposed').event.data;
	for (const who of [alice, bob, charlie]) await send(api, api.tx.council.vote(motionHash, motionIndex, true), who, 'council.vote');
	const closed = await send(
		api,
		api.tx.council.close(motionHash, motionIndex, COLLECTIVE_WEIGHT_BOUND, external.method.encodedLength),
		bob,
		'council.close',
	);
	expectEvents(closed, ['council.Closed', 'council.Approved', 'council.Executed'], 'council.close');
	if (!findEvent(closed.events, 'council.Executed').event.data[1].isOk) throw new Error('council.close: the motion failed to execute');
	if (!(await api.query.democracy.nextExternal()).isSome) throw new Error('council.close: no Democracy.NextExternal');
	step('council motion (propose, 3 votes, close)');

	// 3. technical committee fast-track (voting period below FastTrackVotingPeriod: unanimous TC)
	const fastTrack = api.tx.democracy.fastTrack(hash, 2, 1);
	const tcProposed = await send(
		api,
		api.tx.technicalCommittee.propose(3, fastTrack, fastTrack.method.encodedLength),
		alice,
		'technicalCommittee.propose',
	);
	const [, tcIndex, tcHash] = findEvent(tcProposed.events, 'technicalCommittee.Proposed').event.data;
	for (const who of [alice, bob, dave])
		await send(api, api.tx.technicalCommittee.vote(tcHash, tcIndex, true), who, 'technicalCommittee.vote');
	const tcClosed = await send(
		api,
		api.tx.technicalCommittee.close(tcHash, tcIndex, COLLECTIVE_WEIGHT_BOUND, fastTrack.method.encodedLength),
		alice,
		'technicalCommittee.close',
	);
	expectEvents(tcClosed, ['democracy.Started'], 'technicalCommittee.close');
	const refIndex = findEvent(tcClosed.events, 'democracy.Started').event.data[0].toNumber();
	step('technical committee fast-track (propose, 3 votes, close)');

	// 4. referendum vote with conviction
	const vote = { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 10n ** 20n } };
	expectEvents(await send(api, api.tx.democracy.vote(refIndex, vote), alice, 'democracy.vote'), ['democracy.Voted'], 'democracy.vote');
	const end = (await api.query.democracy.referendumInfoOf(refIndex)).unwrap().asOngoing.end.toNumber();
	step('democracy.vote');

	// 5. maturity, scheduling and enactment
	let passed = false;
	let enactedNumber;
	for (let i = 0; i < 10 && enactedNumber === undefined; i++) {
		await rawRpc(api, 'dev_newBlock', [{ count: 1 }]);
		const header = await api.rpc.chain.getHeader();
		const at = await api.at(header.hash);
		const blockNames = names(await at.query.system.events());
		if (blockNames.includes('democracy.NotPassed')) throw new Error(`referendum ${refIndex} did not pass`);
		if (blockNames.includes('democracy.Passed')) passed = true;
		if (blockNames.includes('system.CodeUpdated')) {
			if (!blockNames.includes('scheduler.Dispatched')) throw new Error('CodeUpdated outside a scheduler dispatch');
			enactedNumber = header.number.toNumber();
			if (enactedNumber <= end) throw new Error(`enacted at #${enactedNumber}, not after the referendum end #${end}`);
		}
	}
	if (!passed) throw new Error(`referendum ${refIndex}: no democracy.Passed`);
	if (enactedNumber === undefined) throw new Error(`referendum ${refIndex}: no system.CodeUpdated within 10 blocks`);
	step('blocks until CodeUpdated');

	// The new spec version, as the api sees it (runtime-version subscription).
	let timer;
	await Promise.race([
		seen,
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`the api never saw spec version ${target}`)), 10_000);
		}),
	]);
	clearTimeout(timer);
	const rehearsalMs = now() - t0;
	step('new spec version seen by the api');
	unsubVersion();
	const version = await api.rpc.state.getRuntimeVersion();
	if (version.specVersion.toNumber() !== target)
		throw new Error(`state_getRuntimeVersion says ${version.specVersion.toNumber()}, expected ${target}`);
	return { rehearsalMs, rehearsalBlocks: enactedNumber - startNumber, from: before, to: target };
}

/**
 * Run the bench. Every devnet and api it opens is closed before it returns.
 * @param {{ blocks?: number, log?: (line: string) => void, trace?: (line: string) => void }} [opts]
 *   log: receives each figure's line; trace: per-step timings of the rehearsal.
 */
export async function benchGovernance(opts = {}) {
	const blocks = opts.blocks ?? 200;
	const log = opts.log ?? (() => {});
	const trace = opts.trace ?? (() => {});
	let idle;
	let rehearsal;
	let api;
	try {
		// 1. Start time: a cold start with the CLI's defaults (default periods), manual block production.
		let t = now();
		idle = await startGovernanceDevnet({ blockTime: 'manual' });
		const startMs = now() - t;
		log(line('devnet start (cold, default periods)', startMs.toFixed(0), 'ms'));

		// 2. Gov v1 rehearsal through @polkadot/api, on an 'instant' devnet (as the gov1 test: a long
		//    launch period, so the external proposal is not tabled by the launch period before the fast-track).
		rehearsal = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = await ApiPromise.create({ provider: new WsProvider(rehearsal.endpoint), noInitWarn: true });
		const keys = await devKeys();
		const r = await rehearseGov1(api, keys, trace);
		log(line(`gov v1 rehearsal (spec ${r.from} -> ${r.to}), wall`, r.rehearsalMs.toFixed(0), 'ms'));
		log(line('gov v1 rehearsal, blocks to CodeUpdated', r.rehearsalBlocks, 'blocks'));

		// 3. Manual block production on the idle chain (no transactions, no clients).
		await idle.newBlocks(5); // warm-up
		t = now();
		await idle.newBlocks(blocks);
		const blocksPerSecond = blocks / ((now() - t) / 1000);
		log(line(`manual newBlocks(${blocks}), idle chain`, blocksPerSecond.toFixed(1), 'blocks/s'));

		return { startMs, rehearsalMs: r.rehearsalMs, rehearsalBlocks: r.rehearsalBlocks, blocksPerSecond };
	} finally {
		await api?.disconnect().catch(() => undefined);
		await rehearsal?.close();
		await idle?.close();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	// Figures go to stdout, one per line; library chatter (@polkadot/api's console.log
	// "Runtime version updated", version warnings) and --trace step timings go to stderr.
	const out = (l) => process.stdout.write(`${l}\n`);
	console.log = console.error;
	console.info = console.error;
	const trace = process.argv.includes('--trace') ? (l) => console.error(l) : undefined;
	benchGovernance({ log: out, trace }).then(
		() => undefined,
		(e) => {
			console.error(e?.stack ?? String(e));
			process.exitCode = 1;
		},
	);
}
