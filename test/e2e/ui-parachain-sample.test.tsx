/**
 * The third sample in the console, keys in and frames out at 80×24: "Relay +
 * Asset Hub, one proposal" on the embedded network (embedded:rococo-network,
 * embedded:asset-hub-rococo: one background process, blocks when someone acts
 * or presses f). The relay's one sudo call upgrades it to 9140 and authorizes
 * the asset hub's code; `a` then goes on to the asset hub, whose unsigned apply
 * is confirmed with y, and f builds the blocks the relay's go-ahead and the
 * soak need. Both chains end verified and soaked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { ensureNetworkSample, NETWORK_PARA_ENV, NETWORK_RELAY_ENV } from '../../source/engine/samples.js';
import { readDaemonState } from '../../source/devnet/daemon.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { onChainCodeHash } from '../../source/chain/live.js';
import { artifactFor, isReleaseComplete } from '../../source/domain/release.js';
import { connect } from '../helpers/governance.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { typeText, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };
const flat = (frame: string) => frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

let store: Store;
let home: string;
let releaseId: string;

beforeAll(async () => {
	home = tempHome('rc-network-');
	store = openStore({ dir: home });
	releaseId = (await ensureNetworkSample(store, home)).id;
}, 120_000);

afterAll(async () => {
	await runCleanups();
	await runCli(['devnet', 'stop'], { RELEASE_CONSOLE_HOME: home });
}, 60_000);

describe('the relay + asset hub sample in the console', () => {
	it('one relay sudo call, then a to the asset hub, y for its unsigned apply, f through pending and soak: complete on both', async () => {
		const ui = renderAt(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
			SIZE,
		);
		const seen: string[] = [];
		let lastDone = '';
		for (let i = 0; i < 80; i++) {
			const frame = await waitForFrame(
				ui.lastFrame,
				(f) =>
					f.includes('Signer for') ||
					f.includes('sign and submit') ||
					(f.includes('Waiting for') && f.includes('f to #')) ||
					f.includes('Release complete'),
				180_000,
			);
			const text = flat(frame);
			if (text.includes('Release complete')) {
				if (!text.includes(`next: ${NETWORK_PARA_ENV}`)) break;
				if (lastDone === 'relay') continue;
				lastDone = 'relay';
				seen.push('relay complete');
				ui.stdin.write('a');
				await waitForFrame(ui.lastFrame, (f) => !f.includes('Release complete'), 60_000);
				continue;
			}
			if (frame.includes('Signer for')) {
				seen.push('signer');
				await typeText(ui, '//Alice');
				ui.stdin.write('\r');
				await waitForFrame(ui.lastFrame, (f) => !f.includes('Signer for'), 60_000);
			} else if (frame.includes('sign and submit')) {
				seen.push(
					text.includes('utility.batchAll') || text.includes('batchAll')
						? 'relay batch'
						: text.includes('unsigned')
							? 'unsigned apply'
							: 'prompt',
				);
				ui.stdin.write('y');
				await waitForFrame(ui.lastFrame, (f) => !f.includes('sign and submit'), 120_000);
			} else {
				seen.push('f');
				if (seen.filter((x) => x === 'f').length > 30) throw new Error(`f pressed 30 times and still waiting:\n${frame}`);
				const before = ui.lastFrame();
				ui.stdin.write('f');
				await waitForFrame(ui.lastFrame, (f) => f !== before, 60_000);
			}
		}
		const release = store.getRelease(releaseId)!;
		expect(isReleaseComplete(release), JSON.stringify(seen)).toBe(true);
		expect(seen).toContain('relay complete');
		expect(seen).toContain('unsigned apply');
		expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);
		ui.unmount();
		await runCleanups();

		// Both chains show it: the relay runs 9140, the asset hub the rebuilt code.
		const state = readDaemonState(home, 'rococo-network')!;
		const [relay, hub] = await Promise.all([
			connect(state.endpoints!['rococo-network']!),
			connect(state.endpoints!['asset-hub-rococo']!),
		]);
		try {
			expect((await relay.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			expect(await onChainCodeHash(hub)).toBe(artifactFor(release, NETWORK_PARA_ENV).codeHash);
			expect(release.progress[NETWORK_RELAY_ENV]!.intents).toHaveLength(1);
			expect(release.progress[NETWORK_PARA_ENV]!.intents).toHaveLength(1);
			expect(release.progress[NETWORK_PARA_ENV]!.gov!.para!.appliedAt).toBeGreaterThan(0);
		} finally {
			await relay.disconnect();
			await hub.disconnect();
		}
	}, 600_000);
});
