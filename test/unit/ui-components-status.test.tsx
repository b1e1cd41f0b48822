import { type ReactElement } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Box } from 'ink';
import stringWidth from 'string-width';
import type { ChainState } from '../../source/chain/types.js';
import type { SignerPromptModel } from '../../source/chain/types.js';
import type { StageId, StageProgress } from '../../source/domain/types.js';
import { ChainPanel, signerName } from '../../source/app/components/chain-panel/index.js';
import { Checklist } from '../../source/app/components/checklist/index.js';
import { SignerPrompt } from '../../source/app/components/signer-prompt/index.js';
import { TxProgress, type TxStep } from '../../source/app/components/tx-progress/index.js';
import { KeyHints } from '../../source/app/components/key-hints/index.js';
import { Banner } from '../../source/app/components/banner/index.js';

afterEach(() => cleanup());

const HASH = '0xe49e4ca2c6f1d3b4a59877d0b5c4f7e8a1b2c3d4e5f60718293a4b5c6d7e05b6' as const;
const NOW = 1_700_000_000_000;
const LONG = 'a very long piece of text that keeps going '.repeat(6);

function frameOf(element: ReactElement, width = 80): string {
	const { lastFrame } = render(<Box width={width}>{element}</Box>);
	return lastFrame() ?? '';
}

function lines(frame: string): string[] {
	return frame.split('\n');
}

function expectFits(frame: string, width = 80) {
	expect(frame.trim().length).toBeGreaterThan(0);
	const widest = Math.max(...lines(frame).map((line) => stringWidth(line)));
	expect(widest).toBeLessThanOrEqual(width);
}

function lineWith(frame: string, needle: string): string {
	const line = lines(frame).find((candidate) => candidate.includes(needle));
	expect(line, `a line containing ${JSON.stringify(needle)}`).toBeDefined();
	return line!;
}

function chain(overrides: Partial<ChainState> = {}): ChainState {
	return {
		connection: { status: 'connected', endpoint: 'ws://127.0.0.1:9944' },
		chainName: 'Rococo Local Testnet',
		bestNumber: 1234,
		finalizedNumber: 1230,
		lastBlockAt: NOW - 3_000,
		specName: 'rococo',
		specVersion: 9130,
		transactionVersion: 24,
		codeHash: HASH,
		...overrides,
	};
}

describe('ChainPanel', () => {
	test('connected: env, chain, blocks, spec and short code hash', () => {
		const frame = frameOf(<ChainPanel state={chain()} now={NOW} envName="rococo-local" envKind="local" />);
		expect(frame).toContain('rococo-local (local)');
		expect(frame).toContain('Rococo Local Testnet');
		expect(frame).toContain('✔ connected');
		expect(frame).toContain('best #1,234');
		expect(frame).toContain('finalized #1,230');
		expect(frame).toContain('last block 3s ago');
		expect(frame).toContain('spec rococo/9130');
		expect(frame).toContain('0xe49e…05b6');
		expect(frame).not.toContain('SIMULATION');
		expect(frame).not.toMatch(/slow|stalled/);
		// Bordered, 3 content lines.
		expect(lines(frame)).toHaveLength(5);
	});

	test('simulated chains are tagged', () => {
		const frame = frameOf(<ChainPanel state={chain({ simulated: true })} now={NOW} envName="devnet" envKind="testnet" />);
		expect(frame).toContain('SIMULATION');
	});

	test('reconnecting shows the attempt and the backoff', () => {
		const state = chain({
			connection: { status: 'reconnecting', endpoint: 'wss://rococo-rpc.polkadot.io', attempt: 3, backoffMs: 4_000 },
		});
		const frame = frameOf(<ChainPanel state={state} now={NOW} envName="rococo" envKind="testnet" />);
		expect(frame).toContain('reconnecting (attempt 3, next in 4s)');
		expect(frame).not.toContain('✔ connected');
	});

	test('connecting and error states', () => {
		const connecting = frameOf(
			<ChainPanel
				state={chain({ connection: { status: 'connecting', endpoint: 'ws://x' } })}
				now={NOW}
				envName="e"
				envKind="local"
			/>,
		);
		expect(connecting).toContain('connecting…');
		const error = frameOf(
			<ChainPanel
				state={{ connection: { status: 'error', endpoint: 'ws://x', message: 'genesis mismatch' } }}
				now={NOW}
				envName="e"
				envKind="local"
			/>,
		);
		expect(error).toContain('✖ error: genesis mismatch');
		expect(error).toContain('no block yet');
		expect(error).toContain('best —');
	});

	test('block age is flagged in words, not only colour: slow > 12 s, stalled > 60 s', () => {
		const at = (seconds: number) =>
			frameOf(<ChainPanel state={chain({ lastBlockAt: NOW - seconds * 1000 })} now={NOW} envName="e" envKind="local" />);
		expect(at(12)).not.toMatch(/\((slow|stalled)\)/);
		expect(at(13)).toContain('last block 13s ago (slow)');
		expect(at(60)).toContain('(slow)');
		expect(at(61)).toContain('last block 1m 01s ago (stalled)');
	});

	test('fits 80 columns with long values and keeps the important parts', () => {
		const state = chain({
			simulated: true,
			chainName: LONG,
			connection: { status: 'reconnecting', endpoint: `wss://${LONG.replaceAll(' ', '-')}`, attempt: 12, backoffMs: 30_000 },
			bestNumber: 19_234_567,
			finalizedNumber: 19_234_565,
			lastBlockAt: NOW - 3_600_000,
		});
		const frame = frameOf(<ChainPanel state={state} now={NOW} envName="rococo-local-with-long-name" envKind="production" />);
		expectFits(frame);
		expect(frame).toContain('[SIMULATION]');
		expect(frame).toContain('attempt 12');
		expect(frame).toContain('0xe49e…05b6');
		expect(frame).toContain('(stalled)');
		expect(lines(frame)).toHaveLength(5);
	});
});

describe('Checklist', () => {
	const titles: Partial<Record<StageId, string>> = { artifact: 'Artifact', upgrade: 'Upgrade', verify: 'Verify', soak: 'Soak' };
	const stages: StageProgress[] = [
		{ id: 'artifact', status: 'done', detail: 'rococo 9140, 859.7 kB' },
		{ id: 'upgrade', status: 'active', detail: 'waiting for the sudo signature' },
		{ id: 'verify', status: 'failed', detail: 'spec version is still 9130' },
		{ id: 'soak', status: 'pending' },
	];

	test('each status has its symbol and word; details are shown', () => {
		const frame = frameOf(<Checklist stages={stages} current="upgrade" titles={titles} />);
		expect(lineWith(frame, 'Artifact')).toMatch(/✔ Artifact\s+done/);
		expect(lineWith(frame, 'Upgrade')).toMatch(/▶ Upgrade\s+active/);
		expect(lineWith(frame, 'Verify')).toMatch(/✖ Verify\s+failed/);
		expect(lineWith(frame, 'Soak')).toMatch(/○ Soak\s+pending/);
		expect(frame).toContain('waiting for the sudo signature');
		expect(frame).toContain('spec version is still 9130');

		const waiting = frameOf(<Checklist stages={[{ id: 'upgrade', status: 'waiting' }]} current="upgrade" titles={titles} />);
		expect(waiting).toMatch(/… Upgrade\s+waiting/);
	});

	test('only the current stage carries the cursor', () => {
		const frame = frameOf(<Checklist stages={stages} current="verify" titles={titles} />);
		const marked = lines(frame).filter((line) => line.includes('❯'));
		expect(marked).toHaveLength(1);
		expect(marked[0]).toContain('Verify');
	});

	test('long details are truncated to one line within 80 columns', () => {
		const frame = frameOf(<Checklist stages={[{ id: 'soak', status: 'waiting', detail: LONG }]} current="soak" titles={titles} />);
		expectFits(frame);
		expect(lines(frame)).toHaveLength(2);
		expect(lines(frame)[1]!.trimEnd().endsWith('…')).toBe(true);
	});
});

describe('SignerPrompt', () => {
	const model: SignerPromptModel = {
		env: 'rococo-local',
		envKind: 'local',
		signerAddress: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
		authority: 'is the sudo key (Sudo.Key)',
		callLines: ['sudo.sudoUncheckedWeight(', 'system.setCode(code: 859,727 bytes)'],
		callHash: HASH,
		encodedLength: 859_727,
		fee: '0.0123 ROC',
		nonce: 7,
		refusals: [],
	};

	test('review shows everything that will be signed and the confirm hint', () => {
		const frame = frameOf(<SignerPrompt model={model} phase="review" />);
		expect(frame).toContain('Signer prompt — you are about to sign');
		expect(frame).toContain('rococo-local (local)');
		expect(frame).toContain(model.signerAddress);
		expect(frame).toContain('why: is the sudo key (Sudo.Key)');
		expect(frame).toContain(HASH); // in full, never shortened
		expect(frame).toContain('859.7 kB (859,727 bytes)');
		expect(frame).toContain('0.0123 ROC');
		expect(lineWith(frame, 'Nonce')).toMatch(/Nonce\s+7/);
		expect(frame).toContain('y sign and submit · n cancel');
		expect(frame).not.toContain('Cannot sign');
		expectFits(frame);
	});

	test('names the signer as the person gave it and says which role the step needs and whether it has it', () => {
		const named = { ...model, signerLabel: 'keystore ./keys/sudo.json (release sudo)', role: 'the sudo key', authorityOk: true };
		let frame = frameOf(<SignerPrompt model={named} phase="review" />);
		expect(frame).toContain('keystore ./keys/sudo.json (release sudo)');
		expect(lineWith(frame, 'Role')).toContain('needs the sudo key: ✔ this signer has it');
		frame = frameOf(<SignerPrompt model={{ ...named, authorityOk: false, authority: 'is not the sudo key' }} phase="review" />);
		expect(lineWith(frame, 'Role')).toContain('needs the sudo key: ✖ this signer does not have it');
		expect(signerName('dev account //Alice')).toBe('//Alice');
		expect(signerName('secret from $RELEASE_CONSOLE_SURI')).toBe('from env:RELEASE_CONSOLE_SURI');
		expect(signerName('keystore /home/me/keys/sudo.json (release sudo)')).toBe('sudo.json (release sudo)');
	});

	test('call lines are indented by nesting level', () => {
		const frame = frameOf(<SignerPrompt model={model} phase="review" />);
		const outer = lineWith(frame, 'sudo.sudoUncheckedWeight(');
		const inner = lineWith(frame, 'system.setCode(');
		expect(inner.indexOf('system.setCode(')).toBe(outer.indexOf('sudo.sudoUncheckedWeight(') + 2);
	});

	test('refusals: "Cannot sign" with every reason and no confirm hint', () => {
		const refused = { ...model, refusals: ['The signer is not the sudo key', 'Balance too low to pay the fee'] };
		const frame = frameOf(<SignerPrompt model={refused} phase="review" />);
		expect(frame).toContain('✖ Cannot sign:');
		expect(frame).toContain('The signer is not the sudo key');
		expect(frame).toContain('Balance too low to pay the fee');
		expect(frame).not.toContain('y sign');
		expect(frame).toContain('n cancel');
	});

	test('signing and submitted phases drop the confirm hint', () => {
		const signing = frameOf(<SignerPrompt model={model} phase="signing" />);
		expect(signing).not.toContain('y sign');
		expect(signing).toContain('… Signing');
		const submitted = frameOf(<SignerPrompt model={model} phase="submitted" />);
		expect(submitted).not.toContain('y sign');
		expect(submitted).toContain('✔ Submitted');
	});

	test('missing fee says so; long values wrap inside 80 columns', () => {
		const long = {
			...model,
			fee: undefined,
			envKind: 'production',
			callLines: [`utility.batchAll(${LONG})`, LONG],
			refusals: [LONG],
		};
		const frame = frameOf(<SignerPrompt model={long} phase="review" />);
		expect(frame).toContain('not available');
		expect(frame).toContain('(production)');
		expectFits(frame);
		// Wrapped prose has no stray space at the start of continuation lines.
		const refusalLines = lines(frame).slice(lines(frame).findIndex((line) => line.includes('Cannot sign')) + 1);
		for (const line of refusalLines.slice(1, 3)) expect(line).toMatch(/^│ {5}\S/);
	});
});

describe('TxProgress', () => {
	const steps: TxStep[] = [
		{ label: 'signed', status: 'done' },
		{ label: 'ready', status: 'done' },
		{ label: 'in block', status: 'done', detail: '#1,240' },
		{ label: 'finalized', status: 'active' },
	];

	test('steps in order with symbols and details', () => {
		const frame = frameOf(<TxProgress steps={steps} />);
		expect(frame).toBe('✔ signed → ✔ ready → ✔ in block #1,240 → ▶ finalized');
	});

	test('a failed step says "failed" and shows its reason in full', () => {
		const failed: TxStep[] = [
			{ label: 'signed', status: 'done' },
			{ label: 'ready', status: 'failed', detail: `1010: Invalid Transaction: ${LONG}` },
			{ label: 'in block', status: 'pending' },
		];
		const frame = frameOf(<TxProgress steps={failed} />);
		expect(frame).toContain('✖ ready failed → ○ in block');
		expect(frame).toContain('✖ ready: 1010: Invalid Transaction');
		expect(frame.replace(/\s+/g, ' ')).toContain(LONG.trim());
		expectFits(frame);
	});

	test('wraps within 80 columns when steps are long', () => {
		const long = steps.map((step) => ({ ...step, detail: '#19,234,567 (0x1234…abcd)' }));
		const frame = frameOf(<TxProgress steps={long} />);
		expectFits(frame);
		expect(lines(frame).length).toBeGreaterThan(1);
	});
});

describe('KeyHints', () => {
	test('one line, truncated when there are too many', () => {
		const hints = Array.from({ length: 20 }, (_, index) => ({ key: String(index), label: 'do something' }));
		const frame = frameOf(<KeyHints hints={hints} />);
		expect(lines(frame)).toHaveLength(1);
		expectFits(frame);
		expect(frame.startsWith('0 do something · 1 do something')).toBe(true);
		expect(frameOf(<KeyHints hints={[]} />)).toBe('');
	});
});

describe('Banner', () => {
	test('each kind has its own symbol; lines follow the title', () => {
		const error = frameOf(<Banner kind="error" title="Could not connect" lines={['What to do: start the node.']} />);
		expect(lineWith(error, 'Could not connect')).toContain('✖ Could not connect');
		expect(error).toContain('What to do: start the node.');
		expect(frameOf(<Banner kind="warn" title="t" />)).toContain('⚠ t');
		expect(frameOf(<Banner kind="success" title="t" />)).toContain('✔ t');
		expect(frameOf(<Banner kind="info" title="t" />)).toContain('ℹ t');
	});

	test('long lines wrap inside 80 columns without a stray leading space', () => {
		const frame = frameOf(<Banner kind="error" title={LONG} lines={[LONG, LONG]} />);
		expectFits(frame);
		const inner = lines(frame).slice(1, -1);
		expect(inner.length).toBeGreaterThan(6);
		for (const line of inner) expect(line).toMatch(/^│ \S/);
	});
});
