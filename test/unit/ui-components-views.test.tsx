import { type ReactElement } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Box } from 'ink';
import stringWidth from 'string-width';
import type { ArtifactInfo, GateResult } from '../../source/domain/types.js';
import { ReleaseList, RELEASE_LIST_EMPTY, type ReleaseListItem } from '../../source/app/components/release-list/index.js';
import { ArtifactView, type ArtifactCheck } from '../../source/app/components/artifact-view/index.js';
import { SoakView, type SoakViewProps } from '../../source/app/components/soak-view/index.js';
import { VerifyView } from '../../source/app/components/verify-view/index.js';
import { GateTable } from '../../source/app/components/gate-table/index.js';
import { ProgressBar } from '../../source/app/components/progress-bar/index.js';

afterEach(() => cleanup());

const HASH = '0xe49e4ca2c6f1d3b4a59877d0b5c4f7e8a1b2c3d4e5f60718293a4b5c6d7e05b6' as const;
const OTHER = '0x12ab4ca2c6f1d3b4a59877d0b5c4f7e8a1b2c3d4e5f60718293a4b5c6d7e0fff' as const;
const LONG = 'a very long piece of text that keeps going '.repeat(6);

function frameOf(element: ReactElement, width = 80): string {
	const { lastFrame } = render(<Box width={width}>{element}</Box>);
	return lastFrame() ?? '';
}

const lines = (frame: string) => frame.split('\n');
const flat = (frame: string) => frame.replace(/\s+/g, ' ').trim();

function expectFits(frame: string, width = 80) {
	expect(frame.trim().length).toBeGreaterThan(0);
	expect(Math.max(...lines(frame).map((line) => stringWidth(line)))).toBeLessThanOrEqual(width);
}

function lineWith(frame: string, needle: string): string {
	const line = lines(frame).find((candidate) => candidate.includes(needle));
	expect(line, `a line containing ${JSON.stringify(needle)}`).toBeDefined();
	return line!;
}

describe('ReleaseList', () => {
	const releases: ReleaseListItem[] = Array.from({ length: 6 }, (_, index) => ({
		id: `r${index}`,
		name: `release-${index}`,
		summary: `summary ${index}`,
		updatedAt: `2025-03-0${index + 1}T10:11:12.000Z`,
	}));

	test('empty state tells you how to start', () => {
		const frame = frameOf(<ReleaseList releases={[]} selected={0} />);
		expect(flat(frame)).toBe(RELEASE_LIST_EMPTY);
		expect(RELEASE_LIST_EMPTY).toContain('Press n to create the sample release (Rococo 9130 → 9140)');
		expect(RELEASE_LIST_EMPTY).toContain('`release-console new --name … --wasm …`');
		expectFits(frame);
	});

	test('the selected row carries the marker', () => {
		const frame = frameOf(<ReleaseList releases={releases.slice(0, 3)} selected={1} />);
		const marked = lines(frame).filter((line) => line.includes('❯'));
		expect(marked).toHaveLength(1);
		expect(marked[0]).toContain('release-1');
		expect(marked[0]).toContain('summary 1');
		expect(marked[0]).toContain('2025-03-02 10:11');
		expect(frame).toContain('Updated (UTC)');
	});

	test('long lists scroll with the selection and say what is hidden', () => {
		const frame = frameOf(<ReleaseList releases={releases} selected={5} maxRows={3} />);
		expect(frame).toContain('↑ 3 more');
		expect(frame).not.toContain('↓');
		expect(frame).toContain('release-5');
		expect(frame).not.toContain('release-0');
		const middle = frameOf(<ReleaseList releases={releases} selected={2} maxRows={3} />);
		expect(middle).toContain('↑ 1 more');
		expect(middle).toContain('↓ 2 more');
	});

	test('long names and summaries are truncated within 80 columns', () => {
		const long = [{ id: 'x', name: LONG, summary: LONG, updatedAt: 'not a date' }];
		const frame = frameOf(<ReleaseList releases={long} selected={0} />);
		expectFits(frame);
		expect(lines(frame)).toHaveLength(2);
		expect(frame).toContain('not a date');
	});
});

describe('ArtifactView', () => {
	const artifact: ArtifactInfo = {
		path: '/home/engineer/src/polkadot/target/release/wbuild/rococo-runtime/rococo_runtime.compact.compressed.wasm',
		size: 859_727,
		uncompressedSize: 4_512_345,
		compressed: true,
		codeHash: HASH,
		specName: 'rococo',
		specVersion: 9140,
		implName: 'parity-rococo-v2.0',
		implVersion: 0,
		transactionVersion: 24,
	};
	const checks: ArtifactCheck[] = [
		{ label: 'Spec name matches the chain', status: 'pass', detail: 'rococo' },
		{ label: 'Spec version goes up', status: 'fail', detail: `9140 is not greater than 9140: ${LONG}` },
		{ label: 'Decompresses', status: 'pending' },
		{ label: 'Forward compatible', status: 'waived', detail: 'waived by alice' },
	];

	test('shows path, sizes, full code hash, spec and tx version', () => {
		const frame = frameOf(<ArtifactView artifact={artifact} checks={[]} />);
		expect(frame).toContain('rococo_runtime.compact.compressed.wasm'); // file name survives truncation
		expect(frame).toContain('859.7 kB compressed · 4.5 MB uncompressed');
		expect(frame).toContain(HASH);
		expect(frame).toContain('rococo/9140');
		expect(frame).toContain('impl parity-rococo-v2.0 v0');
		expect(lineWith(frame, 'Tx version')).toMatch(/Tx version\s+24/);
		expect(frame).not.toContain('Checks');
		expectFits(frame);
	});

	test('raw wasm says it is not compressed', () => {
		const frame = frameOf(<ArtifactView artifact={{ ...artifact, compressed: false, size: 4_512_345 }} checks={[]} />);
		expect(frame).toContain('4.5 MB (raw wasm, not compressed)');
	});

	test('checks carry symbol and word; a failure explains itself in full', () => {
		const frame = frameOf(<ArtifactView artifact={artifact} checks={checks} />);
		expect(lineWith(frame, 'Spec name')).toMatch(/✔ pass\s+Spec name matches the chain — rococo/);
		expect(lineWith(frame, 'goes up')).toMatch(/✖ fail\s+Spec version goes up/);
		expect(lineWith(frame, 'Decompresses')).toMatch(/○ pending\s+Decompresses/);
		expect(lineWith(frame, 'Forward')).toMatch(/⊘ waived\s+Forward compatible/);
		expect(flat(frame)).toContain(flat(`9140 is not greater than 9140: ${LONG}`));
		expectFits(frame);
	});
});

describe('SoakView', () => {
	const base: SoakViewProps = {
		blocksDone: 12,
		minBlocks: 20,
		secondsDone: 130,
		minSeconds: 600,
		longestStallSeconds: 8,
		maxStallSeconds: 30,
		met: false,
		stalled: false,
	};

	test('in progress: both bars, numbers and what is left', () => {
		const frame = frameOf(<SoakView {...base} />);
		const blocks = lineWith(frame, 'Blocks');
		expect(blocks).toContain('12 / 20 blocks');
		expect([...blocks].filter((char) => char === '█')).toHaveLength(24); // 12/20 of 40 cells
		expect(lineWith(frame, 'Time')).toContain('2m 10s / 10m 00s');
		expect(frame).toContain('Longest stall 8s (limit 30s)');
		expect(frame).toContain('▶ Soaking: 8 more blocks and 7m 50s to go');
		expect(frame).not.toMatch(/passed|failed/);
		expectFits(frame);
	});

	test('stalled is a failed verdict, even if the minimums were met', () => {
		const frame = frameOf(<SoakView {...base} longestStallSeconds={45} stalled met />);
		expect(frame).toContain('✖ Soak failed: the chain stalled for 45s (limit 30s)');
		expect(frame).toContain('over limit');
		expect(frame).not.toContain('passed');
	});

	test('met is a passed verdict', () => {
		const frame = frameOf(<SoakView {...base} blocksDone={25} secondsDone={610} met />);
		expect(frame).toContain('✔ Soak passed');
		expect([...lineWith(frame, 'Blocks')].filter((char) => char === '░')).toHaveLength(0);
	});
});

describe('ProgressBar', () => {
	const bar = (value: number, max: number, width = 10) => frameOf(<ProgressBar value={value} max={max} width={width} />);

	test('is exactly `width` cells and only full at 100 %', () => {
		expect(bar(5, 10)).toBe('█████░░░░░');
		expect(bar(99, 100)).toBe('█████████░');
		expect(bar(100, 100)).toBe('██████████');
		expect(bar(250, 100)).toBe('██████████');
		expect(bar(-3, 100)).toBe('░░░░░░░░░░');
		expect(bar(Number.NaN, 100)).toBe('░░░░░░░░░░');
		expect(bar(0, 0)).toBe('██████████');
		expect(stringWidth(bar(1, 3, 37))).toBe(37);
	});
});

describe('VerifyView', () => {
	test('match, mismatch (with both values in full) and pending', () => {
		const frame = frameOf(
			<VerifyView
				rows={[
					{ label: 'Spec version', expected: '9140', actual: '9140', ok: true },
					{ label: 'Code hash', expected: HASH, actual: OTHER, ok: false },
					{ label: 'Tx version', expected: '24' },
					{ label: 'Spec name', expected: 'rococo', actual: 'rococo' },
				]}
			/>,
		);
		expect(lineWith(frame, 'Spec version')).toMatch(/✔ Spec version\s+9140\s+9140\s+match/);
		expect(lineWith(frame, 'Code hash')).toMatch(/✖ Code hash .*mismatch/);
		expect(lineWith(frame, 'expected 0x')).toContain(HASH);
		expect(lineWith(frame, 'actual   0x')).toContain(OTHER);
		expect(lineWith(frame, 'Tx version')).toMatch(/○ Tx version\s+24\s+—\s+pending/);
		expect(lineWith(frame, 'Spec name')).toMatch(/… Spec name.*checking/);
		expectFits(frame);
	});

	test('a code hash is shown whole (wrapped), never cut in the middle, when it matches too', () => {
		// 49 columns: the stage's width beside the checklist at 80×24
		const frame = frameOf(<VerifyView rows={[{ label: 'code hash', expected: HASH, actual: HASH, ok: true }]} />, 49);
		expect(frame).not.toContain('…');
		expect(lineWith(frame, 'code hash')).toMatch(/✔ code hash .*match/);
		// each value whole once the wrapped lines are joined: expected, then actual
		const joined = lines(frame)
			.map((line) => line.replace(/^\s*(expected|actual)?\s*/, ''))
			.join('');
		expect(joined.split(HASH).length - 1).toBe(2);
		expectFits(frame, 49);
	});

	test('a code hash not read yet says so under the expected one', () => {
		const frame = frameOf(<VerifyView rows={[{ label: 'code hash', expected: HASH }]} />, 49);
		expect(flat(frame).replace(/ /g, '')).toContain(HASH);
		expect(frame).toContain('not read yet');
		expectFits(frame, 49);
	});
});

describe('GateTable', () => {
	const gate = (overrides: Partial<GateResult>): GateResult => ({
		id: 'spec-version',
		env: 'rococo-local',
		status: 'pass',
		summary: '9130 → 9140',
		checkedAt: '2025-03-01T00:00:00Z',
		...overrides,
	});

	test('id, symbol + word, summary; waivers show their reason', () => {
		const frame = frameOf(
			<GateTable
				gates={[
					gate({}),
					gate({ id: 'soak', status: 'pending', summary: 'not started' }),
					gate({ id: 'artifact-integrity', status: 'fail', summary: 'file changed on disk' }),
					gate({
						id: 'forward-compatible',
						status: 'waived',
						summary: 'no metadata',
						waiver: { reason: 'checked by hand', at: '2025-03-01T00:00:00Z' },
					}),
				]}
			/>,
		);
		expect(lineWith(frame, 'spec-version')).toMatch(/spec-version\s+✔ pass\s+9130 → 9140/);
		expect(lineWith(frame, 'soak')).toMatch(/○ pending\s+not started/);
		expect(lineWith(frame, 'artifact-integrity')).toMatch(/✖ fail\s+file changed on disk/);
		expect(lineWith(frame, 'forward-compatible')).toMatch(/⊘ waived\s+no metadata/);
		expect(frame).toContain('waived: checked by hand');
		expect(frame).not.toContain('Env');
	});

	test('an env column appears only when gates span environments', () => {
		const frame = frameOf(<GateTable gates={[gate({}), gate({ env: 'rococo' })]} />);
		expect(lineWith(frame, 'Gate')).toContain('Env');
		expect(lines(frame).filter((line) => line.includes('spec-version'))[1]).toMatch(/spec-version\s+rococo\s+✔ pass/);
	});

	test('empty, and long summaries within 80 columns (failures in full)', () => {
		expect(frameOf(<GateTable gates={[]} />)).toContain('No gates evaluated yet.');
		const frame = frameOf(
			<GateTable gates={[gate({ summary: LONG }), gate({ id: 'soak', env: 'x', status: 'fail', summary: LONG })]} />,
		);
		expectFits(frame);
		expect(flat(frame)).toContain(flat(LONG));
		expect(lineWith(frame, 'spec-version').trimEnd().endsWith('…')).toBe(true);
	});
});
