/**
 * The pure parts of review mode: what the reviewer types (targets, votes,
 * amounts) and the one-line verdict built from chain findings.
 */
import { describe, expect, it } from 'vitest';
import {
	ReviewInputError,
	parseBalance,
	parseConviction,
	parseTargetFlags,
	parseTargetText,
	parseVoteFlag,
} from '../../source/review/target.js';
import { computeVerdict } from '../../source/review/verdict.js';
import type { ChainFindings, WasmFacts } from '../../source/review/types.js';

const A = `0x${'aa'.repeat(32)}` as const;
const B = `0x${'bb'.repeat(32)}` as const;
const C = `0x${'cc'.repeat(32)}` as const;

function findings(overrides: Partial<ChainFindings> = {}): ChainFindings {
	return {
		target: { kind: 'referendum', index: 12 },
		label: 'referendum 12 (democracy)',
		proposal: { hash: C, length: 40, via: 'Lookup' },
		alsoDoes: [],
		upgrades: [
			{
				kind: 'system.setCode',
				carriesCode: true,
				codeHash: A,
				codeLength: 1000,
				callHash: C,
				path: [],
				specName: 'node',
				specVersion: 272,
			},
		],
		preimages: [],
		steps: [],
		problems: [],
		notes: [],
		atBlock: 5,
		...overrides,
	};
}

const wasm = (over: Partial<WasmFacts> = {}): WasmFacts => ({
	path: '/w.wasm',
	codeHash: A,
	size: 1000,
	specName: 'node',
	specVersion: 272,
	transactionVersion: 2,
	compat: { status: 'pass', summary: 'forward compatible' },
	...over,
});

describe('review input', () => {
	it('reads targets from flags and from the console form, and says what to type when it cannot', () => {
		expect(parseTargetFlags({ motion: 'tc:3' })).toEqual({ kind: 'motion', collective: 'technicalCommittee', index: 3 });
		expect(parseTargetFlags({ motion: A })).toEqual({ kind: 'motion', hash: A });
		expect(parseTargetFlags({ referendum: 'opengov:1' })).toEqual({ kind: 'referendum', pallet: 'referenda', index: 1 });
		expect(parseTargetFlags({ referendum: 'external' })).toEqual({ kind: 'external' });
		expect(parseTargetText('motion council:0')).toEqual({ kind: 'motion', collective: 'council', index: 0 });
		expect(parseTargetText('democracy 4')).toEqual({ kind: 'referendum', pallet: 'democracy', index: 4 });
		expect(parseTargetText(B)).toEqual({ kind: 'preimage', hash: B });
		expect(() => parseTargetFlags({})).toThrow(ReviewInputError);
		expect(() => parseTargetFlags({ motion: '1', referendum: '2' })).toThrow('review one thing at a time');
		expect(() => parseTargetFlags({ preimage: '0x12' })).toThrow('is not a call hash');
		expect(() => parseTargetText('the upgrade please')).toThrow('cannot read "the upgrade please" as a target');
	});

	it('reads votes, convictions and amounts in whole tokens with the chain decimals', () => {
		expect(parseVoteFlag('AYE')).toBe(true);
		expect(parseVoteFlag('nay')).toBe(false);
		expect(() => parseVoteFlag('abstain')).toThrow('--vote abstain is not a vote');
		expect(parseConviction(undefined)).toBe('Locked1x');
		expect(parseConviction('3x')).toBe('Locked3x');
		expect(parseConviction('none')).toBe('None');
		expect(() => parseConviction('7x')).toThrow('is not a conviction');
		expect(parseBalance('100', 12, 'DEV')).toBe(100n * 10n ** 12n);
		expect(parseBalance('0.5 DEV', 12, 'DEV')).toBe(5n * 10n ** 11n);
		expect(parseBalance('1,000', 10, 'DOT')).toBe(1000n * 10n ** 10n);
		expect(() => parseBalance('0.0000000000001', 12, 'DEV')).toThrow('more than 12 decimals');
		expect(() => parseBalance('0', 12, 'DEV')).toThrow('counts for nothing');
		expect(() => parseBalance('lots', 12, 'DEV')).toThrow('is not an amount');
	});
});

describe('the verdict line', () => {
	it('MATCH names what is installed and that it is the same as your wasm, and forward compatibility', () => {
		const v = computeVerdict(findings(), wasm());
		expect(v).toEqual({
			verdict: 'match',
			line: 'MATCH: referendum 12 (democracy) installs node spec 272, code hash 0xaaaa…aaaa (1,000 bytes), same as your wasm; forward compatible',
			differences: [],
			upgrades: [{ chain: 'this chain', call: 'system.setCode', codeHash: A, verdict: 'match' }],
		});
		const nfc = computeVerdict(
			findings(),
			wasm({ compat: { status: 'fail', summary: 'not forward compatible with node 271: 3 breaking changes (3 call)' } }),
		);
		expect(nfc.line).toMatch(/; NOT forward compatible \(3 breaking changes \(3 call\)\)$/);
	});

	it('MISMATCH says exactly what differs: code hash, spec version, length', () => {
		const v = computeVerdict(findings(), wasm({ codeHash: B, specVersion: 273, size: 1001 }));
		expect(v.verdict).toBe('mismatch');
		expect(v.differences).toEqual([
			`code hash ${A} on chain vs ${B} in your wasm`,
			'spec version 272 on chain vs 273 in your wasm',
			'code length 1,000 bytes on chain vs 1,001 bytes in your wasm',
		]);
		expect(v.line).toBe(
			'MISMATCH: referendum 12 (democracy) installs node spec 272, code hash 0xaaaa…aaaa (1,000 bytes), but your wasm is node spec 273, code hash 0xbbbb…bbbb (1,001 bytes): code hash 0xaaaa…aaaa on chain vs 0xbbbb…bbbb in your wasm; spec version 272 on chain vs 273 in your wasm; code length 1,000 bytes on chain vs 1,001 bytes in your wasm',
		);
	});

	it('BLOCKED wins over everything, and without a wasm the chain-only line says so', () => {
		const blocked = computeVerdict(
			findings({
				problems: [
					{ severity: 'blocking', message: `the preimage of ${C} is missing` },
					{ severity: 'blocking', message: 'x' },
				],
			}),
			wasm(),
		);
		expect(blocked.verdict).toBe('blocked');
		expect(blocked.line).toBe(
			`BLOCKED: referendum 12 (democracy): the preimage of ${C} is missing (and 1 more blocking problem); no vote is offered`,
		);
		const chainOnly = computeVerdict(findings());
		expect(chainOnly.verdict).toBe('unverified');
		expect(chainOnly.line).toMatch(/^CHAIN ONLY: referendum 12 \(democracy\) installs node spec 272, .*; pass --wasm or --record/);
		const none = computeVerdict(
			findings({ upgrades: [], proposal: { hash: C, via: 'Lookup', call: 'system.remark(remark: 0x01)' } }),
			wasm(),
		);
		expect(none.verdict).toBe('mismatch');
		expect(none.line).toContain('installs no runtime (it runs system.remark(remark: 0x01))');
	});
});
