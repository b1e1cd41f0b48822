import { describe, expect, it } from 'vitest';
import { rehearsalText } from '../../source/engine/rehearsal-text.js';
import type { RehearsalReport } from '../../source/engine/rehearsal.js';

const HUB = '0x5c4c62421407113c12cc4d1dde4c6a90ce29845e5f29f5bd0fb292ff7e276701';
const base: RehearsalReport = {
	env: 'hub',
	forkedAt: { number: 1, hash: '0xb82c' },
	origin: "the relay's XCM, sent by its block #2 on its fork, as para 1000's downward messages",
	codeHash: HUB,
	before: { specName: 'statemine', specVersion: 900 },
	blocks: [],
	steps: ['#2 (427 ms): downward: dmpQueue.ExecutedDownward(Complete, weight 1,000,000,000)'],
	verdict: 'passed',
	followed: 'xcm',
};

describe('the report of a relay message followed into a parachain', () => {
	it('says the message was followed and executed, and that the code itself comes later, never that blocks ran under new code', () => {
		const text = rehearsalText(base).join('\n');
		expect(text).toMatch(new RegExp(`^the relay's XCM followed on a fork of hub at #1 \\(0xb82c\\): it authorizes ${HUB}`));
		expect(text).toContain('  #2 (427 ms): downward: dmpQueue.ExecutedDownward(Complete');
		expect(text).toMatch(
			/✔ passed: the para executed the relay's message and holds the authorization; the code itself is handed over later/,
		);
		expect(text).not.toMatch(/under the new runtime/);
	});

	it('a message never sent is "not followed", with the reason', () => {
		const text = rehearsalText({
			...base,
			steps: [],
			verdict: 'failed',
			notRun: true,
			origin: '',
			failure: "the call did not go through on the relay's fork (x): no message was sent",
		});
		expect(text[0]).toBe(`the relay's XCM to hub, not followed (its fork at #1 (0xb82c)): it authorizes ${HUB}`);
		expect(text.at(-1)).toBe("✖ not run: the call did not go through on the relay's fork (x): no message was sent");
	});

	it('a try-runtime line is shown where the rehearsal checked for one', () => {
		const text = rehearsalText({
			...base,
			followed: undefined,
			tryRuntime: { ran: false, note: 'not run: rococo 9140 is not a try-runtime build' },
		});
		expect(text).toContain('  try-runtime: not run: rococo 9140 is not a try-runtime build');
	});
});
