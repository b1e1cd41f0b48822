/**
 * The review screen, keys in and frames out, against the governance devnet:
 * reached from home with `r` (no release needed), it reviews a council motion
 * (MATCH first, in the verdict box), then votes through the signer prompt and
 * the vote is checked on chain via @polkadot/api; an OpenGov referendum vote
 * with an amount and a conviction; and a blocked referendum offers no vote.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { connect, devKeys, findEvent, send } from '../helpers/governance.js';
import { tempHome } from '../helpers/cli.js';
import { sendInput, typeText, waitForFrame } from '../helpers/frames.js';

describe('review screen', () => {
	let devnet: GovernanceDevnet;
	let api: ApiPromise & { query: any; tx: any; consts: any };
	let keys: Awaited<ReturnType<typeof devKeys>>;
	let store: Store;
	let home: string;
	let wasm: string;
	let spec: number;
	let motionHash: string;
	let motionIndex: number;
	let refIndex: number;
	let blockedIndex: number;

	beforeAll(async () => {
		devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
		api = (await connect(devnet.endpoint)) as any;
		keys = await devKeys();
		home = tempHome('rc-review-ui-');
		store = openStore({ dir: home });
		const env = validateEnvironment({
			name: 'gov',
			endpoints: [devnet.endpoint],
			kind: 'local',
			route: 'sudo',
			soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 60 },
		});
		if (!env.ok) throw new Error(env.errors.join());
		store.saveEnvironment(env.env);
		spec = api.runtimeVersion.specVersion.toNumber() + 1;
		const code = buildDevnetCode({ specVersion: spec });
		wasm = path.join(home, 'runtime.wasm');
		writeFileSync(wasm, code);
		const bytes = api.tx.system.setCode(u8aToHex(code)).method.toU8a();
		const hash = blake2AsHex(bytes, 256);
		await send(api, api.tx.preimage.notePreimage(u8aToHex(bytes)), keys.alice);
		const external = api.tx.democracy.externalProposeMajority({ Lookup: { hash, len: bytes.length } });
		const proposed = await send(api, api.tx.council.propose(3, external, external.method.encodedLength), keys.alice);
		const [, index, mh] = findEvent(proposed.events, 'council.Proposed')!.event.data as any;
		motionIndex = index.toNumber();
		motionHash = mh.toHex();
		const submitted = await send(
			api,
			api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash, len: bytes.length } }, { After: 1 }),
			keys.alice,
		);
		refIndex = (findEvent(submitted.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
		const missing = api.tx.system.setCode(u8aToHex(buildDevnetCode({ specVersion: spec + 2 }))).method.toU8a();
		const blocked = await send(
			api,
			api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash: blake2AsHex(missing, 256), len: missing.length } }, { After: 1 }),
			keys.alice,
		);
		blockedIndex = (findEvent(blocked.events, 'referenda.Submitted')!.event.data as any)[0].toNumber();
	}, 120_000);

	afterAll(async () => {
		await runCleanups();
		await api?.disconnect();
		await devnet?.close();
	}, 60_000);

	async function openReview(target: string, withWasm = true) {
		const ui = render(<App store={store} home={home} createSample={async () => 'x'} />);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('r review a proposal'));
		ui.stdin.write('r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('check a proposed upgrade'));
		// the store also holds the built-in devnet environment: pick gov with ↑ then →
		expect(frame).toContain('environment  ‹ devnet (local) ›');
		// (waitForFrame returns once the new screen has subscribed to input)
		await sendInput(ui, '\u001B[A', '\u001B[C');
		await waitForFrame(ui.lastFrame, (f) => f.includes('‹ gov (local) ›'));
		await sendInput(ui, '\u001B[B');
		await typeText(ui, target);
		if (withWasm) {
			await sendInput(ui, '\t');
			await typeText(ui, wasm);
		}
		ui.stdin.write('\r');
		return ui;
	}

	it('opens from home with r, shows MATCH first for a council motion, and votes through the signer prompt', async () => {
		const ui = await openReview(`motion ${motionIndex}`);
		try {
			let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('MATCH:'), 120_000);
			const lines = frame.split('\n');
			const verdictAt = lines.findIndex((l) => l.includes(`MATCH: council motion ${motionIndex} installs node spec ${spec}`));
			expect(verdictAt).toBeGreaterThan(0);
			expect(lines.findIndex((l) => l.includes('code hash (blake2-256 of the wasm)'))).toBeGreaterThan(verdictAt);
			expect(frame).toContain('forward compatible');
			expect(frame).toMatch(/0 aye, 0 nay of 3 members; threshold 3/);
			expect(frame).toContain('v vote');
			ui.stdin.write('v');
			await waitForFrame(ui.lastFrame, (f) => f.includes(`Vote on council motion ${motionIndex}`));
			ui.stdin.write('a');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov (local)'));
			await typeText(ui, '//Bob');
			ui.stdin.write('\r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer prompt — you are about to sign'), 60_000);
			expect(frame).toContain('vote AYE on council motion');
			expect(frame).toContain('member of the Council; has not voted');
			expect(frame).toContain('council.vote');
			expect(frame).toContain('y sign and submit');
			expect((await api.query.council.voting(motionHash)).unwrap().ayes.length).toBe(0);
			ui.stdin.write('y');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye included in block'), 60_000);
			expect(frame).toContain('the chain now shows it: member of the Council; has voted aye');
			const voting = (await api.query.council.voting(motionHash)).unwrap();
			expect(voting.ayes.map((a: any) => a.toString())).toEqual([keys.bob.address]);
			// reviewing again shows the vote and refuses a duplicate
			ui.stdin.write('r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('1 aye, 0 nay of 3 members'), 120_000);
			expect(frame).toContain('you: member of the Council; has voted aye');
			ui.stdin.write('v');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Vote on council motion'));
			ui.stdin.write('a');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Cannot sign'), 60_000);
			expect(frame).toContain('has already voted aye on this motion');
			ui.stdin.write('n');
			await waitForFrame(ui.lastFrame, (f) => f.includes('MATCH:') && !f.includes('Cannot sign'));
			expect((await api.query.council.voting(motionHash)).unwrap().ayes.length).toBe(1);
		} finally {
			ui.unmount();
		}
	}, 300_000);

	it('votes on an OpenGov referendum with an amount and a conviction', async () => {
		const ui = await openReview(`opengov ${refIndex}`);
		try {
			let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('MATCH:'), 120_000);
			expect(frame).toContain(`MATCH: referendum ${refIndex} (OpenGov, track root) installs node spec ${spec}`);
			expect(frame).toMatch(/OpenGov referendum \d+, track root\): preparing/);
			ui.stdin.write('v');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Vote on referendum'));
			ui.stdin.write('a');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
			await typeText(ui, '//Charlie');
			ui.stdin.write('\r');
			await waitForFrame(ui.lastFrame, (f) => f.includes('Amount to vote aye with (DEV)'), 60_000);
			await typeText(ui, '250');
			ui.stdin.write('\u001B[C'); // → Locked2x
			await waitForFrame(ui.lastFrame, (f) => f.includes('Conviction (←/→): Locked2x'));
			ui.stdin.write('\r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer prompt — you are about to sign'), 60_000);
			expect(frame.replace(/[│\s]+/g, ' ')).toContain('votes 250 DEV with conviction Locked2x');
			expect(frame).toContain('convictionVoting.vote');
			ui.stdin.write('y');
			await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye included in block'), 60_000);
			const voting = await api.query.convictionVoting.votingFor(keys.charlie.address, 0);
			const [[idx, cast]] = voting.asCasting.votes;
			expect(idx.toNumber()).toBe(refIndex);
			expect(cast.asStandard.vote.conviction.type).toBe('Locked2x');
			// 250 DEV in the chain's 12 decimals (system_properties), as wallets show it
			expect(cast.asStandard.balance.toBigInt()).toBe(250n * 10n ** 12n);
		} finally {
			ui.unmount();
		}
	}, 300_000);

	it('a referendum whose preimage is missing is BLOCKED and offers no vote', async () => {
		const ui = await openReview(`opengov ${blockedIndex}`, false);
		try {
			let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('BLOCKED:'), 120_000);
			expect(frame).toContain('is missing');
			expect(frame).not.toContain('v vote');
			ui.stdin.write('v');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('No vote is offered'));
			expect(frame).not.toContain('Signer for');
			// bad input in the form says what to type
			ui.stdin.write('e');
			await waitForFrame(ui.lastFrame, (f) => f.includes('your wasm'));
			for (let i = 0; i < 12; i++) ui.stdin.write('\u007f');
			await typeText(ui, 'bogus');
			ui.stdin.write('\r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('cannot read "bogus" as a target'));
			expect(frame).toContain('referendum 0');
		} finally {
			ui.unmount();
		}
	}, 300_000);
});
