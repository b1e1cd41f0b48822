/**
 * The home screen and the review screen at 80×24 (issue 13, items 3 and 6): every frame fits
 * (≤ 24 lines, ≤ 80 columns) with the header on top and the keys at the bottom; the release list
 * scrolls with the selection; ? shows the keys of the mode from the key table and esc goes back;
 * on home, where no text field is open, a typed chunk (nnn, //Dave) or a word typed key by key
 * is refused with a visible line and never acts as hotkeys. The review screen (against the
 * governance devnet) scrolls its body under its keys and shows the hashes a person compares whole.
 */
import { describe, expect, it } from 'vitest';
import { App } from '../../source/app/app.js';
import { openStore } from '../../source/store/store.js';
import { createRelease } from '../../source/domain/release.js';
import { builtinDevnetEnvironment } from '../../source/domain/environments.js';
import type { ArtifactInfo } from '../../source/domain/types.js';
import { tempHome } from '../helpers/cli.js';
import { sendInput, settled, waitForFrame } from '../helpers/frames.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };
const DOWN = '\x1b[B';

const artifact: ArtifactInfo = {
	path: '/tmp/runtime.wasm',
	size: 10,
	uncompressedSize: 10,
	compressed: false,
	codeHash: `0x${'ab'.repeat(32)}`,
	specName: 'rococo',
	specVersion: 9140,
	transactionVersion: 0,
};

describe('the home screen at 80×24', () => {
	it('fits with many releases (the list scrolls with the selection), ? shows the keys, typed text never acts', async () => {
		const home = tempHome('rc-home-layout-');
		const store = openStore({ dir: home });
		const env = builtinDevnetEnvironment();
		for (let i = 0; i < 30; i++) {
			const n = String(i).padStart(2, '0');
			store.saveRelease(
				createRelease({
					id: `release-${n}-abcdef`,
					name: `release number ${n}`,
					artifact,
					environments: [env],
					at: `2026-01-01T00:${n}:00.000Z`,
				}),
			);
		}
		let created = 0;
		const ui = renderAt(
			<App
				store={store}
				home={home}
				createSample={async () => {
					created++;
					return 'release-00-abcdef';
				}}
			/>,
			SIZE,
		);
		const selectedLine = (f: string) => f.split('\n').find((l) => l.includes('❯'));
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('release number 29') && f.includes('↓'));
		expect(frame.split('\n')[1]).toContain('release-console');
		expect(frame).toContain('q quit');
		// the selection moves past the first window: the list follows it
		for (let i = 0; i < 25; i++) await sendInput(ui, DOWN);
		frame = await waitForFrame(ui.lastFrame, (f) => selectedLine(f)?.includes('release number 04') === true);
		expect(frame).toMatch(/↑ \d+ more/);
		expect(frame.split('\n')[1]).toContain('release-console');
		expect(frame).toContain('q quit');

		// ?: the keys of home, from the key table; esc back
		ui.stdin.write('?');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Keys — releases'));
		expect(frame).toMatch(/n\s+new sample release/);
		expect(frame).toMatch(/r\s+review a proposal/);
		expect(frame).toMatch(/enter\s+open the release/);
		expect(frame).toMatch(/q \/ ctrl\+c\s+quit/);
		ui.stdin.write('\x1b');
		frame = await waitForFrame(ui.lastFrame, (f) => !f.includes('Keys — releases') && f.includes('release number 04'));

		// a chunk where no text field is open: refused whole, nothing is created or opened
		ui.stdin.write('nnn');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored ("nnn")'));
		ui.stdin.write('//Dave');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored ("//Dave")'));
		// a word typed key by key: after its first unbound key, its r and n do not act either
		for (const ch of '/run') {
			ui.stdin.write(ch);
			await settled();
		}
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored ("n")'));
		expect(frame).not.toContain('check a proposed upgrade');
		expect(frame).not.toContain('Creating the sample releases');
		expect(created).toBe(0);
		// esc is back, never quit: on the first screen it says so
		ui.stdin.write('\x1b');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('nothing to go back to'));

		const misfits = framesThatDoNotFit(ui.frames, SIZE);
		expect(misfits, misfits[0]).toEqual([]);
		ui.unmount();
	}, 60_000);
});
