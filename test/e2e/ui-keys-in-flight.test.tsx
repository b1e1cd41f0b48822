/**
 * Keys at the speed of a person — or of a paste — on the release screen, against the
 * governance devnet: a signer given as one chunk with its enter, a burst of
 * backspaces, a key pressed while a submission is in flight (queued, then said why
 * it was not applied), a signer's name typed where no field is open (refused,
 * never read as hotkeys), and the signer named as the person knows it in the
 * prompt and the chain panel, with the role the step needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../source/app/app.js';
import type { Store } from '../../source/store/store.js';
import { councilRehearsal, type ConsoleRehearsal } from '../helpers/console-rehearsal.js';
import { settled, waitForFrame } from '../helpers/frames.js';

let api: ConsoleRehearsal['api'];
let store: Store;
let home: string;
let rehearsal: ConsoleRehearsal;
const releaseId = 'tui-keys';

beforeAll(async () => {
	rehearsal = await councilRehearsal({ releaseId, name: 'keys rehearsal', homePrefix: 'rc-tui-keys-' });
	({ api, store, home } = rehearsal);
});

afterAll(async () => {
	await rehearsal?.close();
}, 60_000);

describe('keys on the release screen', () => {
	it('nothing typed is lost or read as hotkeys; the prompt names the signer and its role', async () => {
		const ui = render(
			<App store={store} home={home} initialScreen={{ name: 'release', id: releaseId }} createSample={async () => releaseId} />,
		);
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
		// the signer and its enter in one chunk (a paste, tmux send-keys -l $'//Alice\r')
		ui.stdin.write('//Alice\r');
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('you are about to sign') && f.includes('note the preimage'));
		expect(frame).toContain('dev account //Alice');
		expect(frame).toMatch(/Role\s+needs any funded account: ✔ this signer has it/);
		expect(frame).toMatch(/signer \/\/Alice/); // the chain panel

		// s while the submission is in flight: queued, and since the next prompt opened meanwhile, not applied — it says so
		ui.stdin.write('y');
		ui.stdin.write('s');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('propose a Council motion') && f.includes('sign and submit'));
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('s was not applied'));
		expect(frame).toContain('a signer prompt for dev account //Alice opened meanwhile');

		// a signer typed while a prompt is open is refused as a whole: no y, a, s inside it acts
		ui.stdin.write('//Dave yes');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored'));
		expect(frame).toContain('"//Dave yes"');
		expect(frame).toContain('propose a Council motion');
		expect(((await api.query.council.proposals()) as unknown as unknown[]).length).toBe(0);

		// the same word typed key by key after cancelling: the a in //Dave does not advance
		ui.stdin.write('n');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Not signed'));
		for (const ch of '//Dave') {
			ui.stdin.write(ch);
			await settled();
		}
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('typed text ignored'));
		frame = await waitForFrame(ui.lastFrame, (f) => !f.includes('typed text ignored'), 10_000);
		expect(frame).toContain('Not signed');
		expect(frame).not.toContain('you are about to sign');

		// a: the step again, signed; then the vote; then another signer, typed with a burst of backspaces
		ui.stdin.write('a');
		await waitForFrame(ui.lastFrame, (f) => f.includes('propose a Council motion') && f.includes('sign and submit'));
		ui.stdin.write('y');
		await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye on Council motion') && f.includes('sign and submit'));
		ui.stdin.write('y');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Waiting for someone else'));
		ui.stdin.write('s');
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for gov'));
		ui.stdin.write('//Dav\x7f\x7f\x7fBob');
		await waitForFrame(ui.lastFrame, (f) => f.includes('> //Bob'));
		ui.stdin.write('\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('vote aye on Council motion') && f.includes('sign and submit'));
		expect(frame).toContain('dev account //Bob');
		expect(frame).toMatch(/Role\s+needs a Council member who has not voted: ✔ this signer has it/);
		expect(frame).toMatch(/signer \/\/Bob/);
		ui.unmount();
	}, 120_000);
});
