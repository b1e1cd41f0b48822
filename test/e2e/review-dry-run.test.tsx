/**
 * `review --dry-run` on the embedded Rococo chain (a real 9130 runtime behind a
 * real JSON-RPC endpoint, forked as a live chain would be): call data a
 * proposal builder wrote outside the console is dispatched with Root on a fork
 * (through the chain's own sudo key, with a signature only the fork accepts);
 * the report says what it installed, whether blocks continued and what else
 * changed in storage, by pallet. An upgrade the runtime refuses blocks the vote
 * with the runtime's own error. The upstream chain is never touched.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { rococoRuntime, writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { connect } from '../helpers/governance.js';
import { countExtrinsicsOnChain } from '../helpers/chain.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { App } from '../../source/app/app.js';
import { openStore } from '../../source/store/store.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { openReviewFormOn, sendInput, typeText, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
const env = () => ({ RELEASE_CONSOLE_HOME: home });

/** A `.call` file as a proposal builder writes it: the 0x-hex of system.setCode(code). */
function callFile(spec: 9130 | 9140): string {
	const file = path.join(home, `upgrade-${spec}.call`);
	writeFileSync(file, api.tx.system.setCode(u8aToHex(rococoRuntime(spec).code)).method.toHex());
	return file;
}

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await connect(devnet.endpoint);
	home = tempHome('rc-review-dry-run-');
	await runCli(['env', 'add', 'staging', '--endpoint', devnet.endpoint, '--kind', 'testnet', '--route', 'sudo'], env());
}, 120_000);
afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('review --dry-run on a fork of the embedded Rococo chain', () => {
	it('call data made outside the console: installs 9140, blocks continue, storage changed by pallet; upstream untouched', async () => {
		const head = (await api.rpc.chain.getHeader()).number.toNumber();
		const wasm = writeRococoWasm(9140, home);
		const r = await runCli(
			['review', '--env', 'staging', '--call', callFile(9140), '--wasm', wasm, '--dry-run', '--blocks', '2', '--json'],
			env(),
		);
		expect([r.code, r.stderr]).toEqual([0, '']);
		const out = r.json();
		expect(out.verdict).toBe('match');
		expect(out.dryRun.what).toBe('the call data, dispatched as Root (as a Root referendum or sudo enacts it)');
		const report = out.dryRun.report;
		expect(report.verdict).toBe('passed');
		expect(report.forkedAt.number).toBe(head);
		expect(report.origin).toMatch(
			/^Root through sudo\.sudoUncheckedWeight, signed as the chain's own sudo key 5\w+ \(a mock signature only the fork accepts\)/,
		);
		expect(report.codeHash).toBe(blake2AsHex(rococoRuntime(9140).code, 256));
		expect(report.before).toEqual({ specName: 'rococo', specVersion: 9130 });
		expect(report.upgrade).toMatchObject({ number: head + 1, codeUpdated: true, dispatch: 'Ok' });
		expect(report.after).toMatchObject({ specName: 'rococo', specVersion: 9140, codeHash: report.codeHash });
		expect(report.blocks.map((b: { number: number }) => b.number)).toEqual([head + 3, head + 4]);
		// The code is the upgrade block's change; the first block under 9140 runs its migrations.
		const code = report.storage.upgrade.find((d: { pallet: string }) => d.pallet === ':code');
		expect(code).toEqual({
			pallet: ':code',
			added: 0,
			changed: 1,
			removed: 0,
			bytesBefore: rococoRuntime(9130).code.length,
			bytesAfter: rococoRuntime(9140).code.length,
		});
		expect(report.storage.firstUnderNew.map((d: { pallet: string }) => d.pallet)).toContain('Configuration');
		expect(report.storage.note).toMatch(/^keys the block after them also wrote \(\d+: what every block writes\) are left out$/);
		expect(out.problems).toEqual([]);

		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
		expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(head);
		expect(await countExtrinsicsOnChain(api, 'sudo')).toBe(0);
	}, 180_000);

	it('the text report names the dry-run and what it showed', async () => {
		const r = await runCli(['review', '--env', 'staging', '--call', callFile(9140), '--dry-run', '--blocks', '0'], env());
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/\ndry-run on a fork of the chain:\n {2}the call data, dispatched as Root/);
		expect(r.stdout).toMatch(/ {4}after: rococo 9140, code 0xe49e1a81ddc4e80d0aed4adf9321136dd7a197deaf8a14a8d52012348f8e05b6/);
		expect(r.stdout).toMatch(/ {6}:code: 1 changed \(775,197 → 859,727 bytes\)/);
		expect(r.stdout).toContain('(no block was built after them (--blocks 0): the keys every block writes are included)');
		expect(r.stdout).toContain('✔ passed: the chain kept producing blocks under the new runtime');
	}, 180_000);

	it('an upgrade the runtime refuses: BLOCKED with the runtime’s own error, exit 1', async () => {
		const r = await runCli(['review', '--env', 'staging', '--call', callFile(9130), '--dry-run', '--blocks', '0', '--json'], env());
		expect(r.code).toBe(1);
		const out = r.json();
		expect(out.verdict).toBe('blocked');
		expect(out.dryRun.report).toMatchObject({ verdict: 'failed', upgrade: { codeUpdated: false } });
		expect(out.problems).toEqual([
			expect.objectContaining({
				id: 'dry-run-failed',
				severity: 'blocking',
				message: expect.stringMatching(
					/^the dry-run failed: the call failed on the fork in block #\d+: the call sudo dispatched failed: system\.SpecVersionNeedsToIncrease/,
				),
			}),
		]);
		expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
	}, 180_000);

	it('the review screen at 80x24: `d` on the report dry-runs the proposal on a fork and shows what it did', async () => {
		const file = callFile(9140);
		const store = openStore({ dir: home });
		const ui = renderAt(<App store={store} home={home} createSample={async () => 'x'} />, SIZE);
		try {
			let frame = await openReviewFormOn(ui, 'staging (testnet)');
			expect(frame).toContain('‹ staging (testnet) ›');
			await typeText(ui, `call ${file}`);
			ui.stdin.write('\r');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('CHAIN ONLY') && f.includes('d dry-run'), 120_000);
			ui.stdin.write('d');
			await waitForFrame(ui.lastFrame, (f) =>
				/dry-running the call data|fork cache:|forked at #|upgrade block|first block under/.test(f),
			);
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('CHAIN ONLY') && f.includes('d dry-run'), 180_000);
			// Scroll to the dry-run's lines, one key at a time.
			for (let i = 0; i < 120 && !frame.includes('✔ passed: the chain kept producing blocks under the new runtime'); i++) {
				await sendInput(ui, '\u001B[B');
				frame = ui.lastFrame() ?? '';
			}
			expect(frame).toContain('✔ passed: the chain kept producing blocks under the new runtime');
			expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9130);
		} finally {
			ui.unmount();
			await runCleanups();
		}
	}, 300_000);

	it('bad input: --blocks without --dry-run, and the governance devnet, which cannot be forked (exit 2)', async () => {
		const blocks = await runCli(['review', '--env', 'staging', '--call', callFile(9140), '--blocks', '2'], env());
		expect([blocks.code, blocks.stderr]).toEqual([2, expect.stringMatching(/^error: --blocks and --no-cache go with --dry-run/)]);
		await runCli(['env', 'add', 'gov', '--endpoint', 'embedded:governance', '--kind', 'local', '--route', 'council-democracy'], env());
		const gov = await runCli(['review', '--env', 'gov', '--preimage', `0x${'11'.repeat(32)}`, '--dry-run'], env());
		expect([gov.code, gov.stderr]).toEqual([
			2,
			expect.stringMatching(/a simulation without an executable runtime: it cannot be forked, so nothing can be dry-run on it/),
		]);
	}, 60_000);
});
