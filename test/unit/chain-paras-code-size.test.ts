import { describe, expect, it } from 'vitest';
import { codeSizeGate } from '../../source/chain/pallets/paras.js';

// Rococo 9130's configuration.activeConfig.maxCodeSize (read on the embedded relay in test/e2e/chain-parachain.test.ts).
const MAX = 3_145_728;

describe('codeSizeGate: a parachain code against the relay maxCodeSize (warn from 80%, fail from 95%)', () => {
	it('passes below 80%, warns from exactly 80%, fails from exactly 95% and over the limit', () => {
		expect(codeSizeGate(604_843, MAX)).toEqual({
			status: 'pass',
			text: "the code is 604,843 bytes, 19.2% of the relay's maxCodeSize 3,145,728 (warn from 80%, fail from 95%)",
		});
		const at80 = (MAX * 80) / 100; // 2,516,582.4: not a whole byte count
		expect(codeSizeGate(Math.floor(at80), MAX).status).toBe('pass');
		expect(codeSizeGate(Math.ceil(at80), MAX).status).toBe('warn');
		expect(codeSizeGate(800, 1000)).toMatchObject({ status: 'warn', text: expect.stringContaining('80.0%') });
		expect(codeSizeGate(949, 1000).status).toBe('warn');
		expect(codeSizeGate(950, 1000)).toMatchObject({ status: 'fail', text: expect.stringContaining('95.0%') });
		expect(codeSizeGate(1000, 1000).status).toBe('fail');
		const over = codeSizeGate(MAX + 10, MAX);
		expect(over.status).toBe('fail');
		expect(over.text).toContain('over the limit by 10 bytes, the relay would refuse it');
	});

	it('fails when the relay gives no maxCodeSize: nothing could be checked', () => {
		expect(codeSizeGate(604_843, 0)).toEqual({
			status: 'fail',
			text: "the relay gives no maxCodeSize: the code's 604,843 bytes cannot be checked",
		});
	});
});
