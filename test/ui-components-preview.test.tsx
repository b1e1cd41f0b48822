import React from 'react';
import { test } from 'vitest';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import * as C from '../source/app/components/index.js';
import { hintsFor } from '../source/app/keys.js';

const HASH = '0xe49e4ca2c6f1d3b4a59877d0b5c4f7e8a1b2c3d4e5f60718293a4b5c6d7e05b6' as const;
const now = 1_700_000_000_000;
function show(name: string, el: React.ReactElement) {
	const r = render(<Box width={80}>{el}</Box>);
	console.log(`--- ${name}\n${r.lastFrame()}`);
	r.unmount();
}
test('preview', () => {
	show('chain connected', <C.ChainPanel envName="rococo-local" envKind="local" now={now} state={{ connection: { status: 'connected', endpoint: 'ws://127.0.0.1:9944' }, chainName: 'Rococo Local Testnet', simulated: true, bestNumber: 19234567, finalizedNumber: 19234565, lastBlockAt: now - 75_000, specName: 'rococo', specVersion: 9130, codeHash: HASH }} />);
	show('chain reconnecting', <C.ChainPanel envName="polkadot" envKind="production" now={now} state={{ connection: { status: 'reconnecting', endpoint: 'wss://rpc.polkadot.io/very/long/path/to/make/it/truncate', attempt: 3, backoffMs: 4000 }, lastBlockAt: now - 13_000 }} />);
	show('chain error', <C.ChainPanel envName="rococo" envKind="testnet" now={now} state={{ connection: { status: 'error', endpoint: 'wss://x', message: 'genesis hash mismatch: expected 0xabc got 0xdef and some more text to make it long enough to truncate' } }} />);
	show('checklist', <C.Checklist current="upgrade" titles={{ artifact: 'Artifact checks', upgrade: 'Upgrade', verify: 'Verify', soak: 'Soak' }} stages={[{ id: 'artifact', status: 'done', detail: 'rococo 9140, 859.7 kB' }, { id: 'upgrade', status: 'waiting', detail: 'waiting for sudo signature '.repeat(5) }, { id: 'verify', status: 'failed', detail: 'x' }, { id: 'soak', status: 'pending' }]} />);
	show('signer', <C.SignerPrompt phase="review" model={{ env: 'rococo-local', envKind: 'local', signerAddress: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', authority: 'is the sudo key (Sudo.Key)', callLines: ['sudo.sudoUncheckedWeight(', 'system.setCode(code: 859,727 bytes)', 'weight: { refTime: 0, proofSize: 0 })'], callHash: HASH, encodedLength: 859727, fee: '0.0123 ROC', nonce: 7, refusals: [] }} />);
	show('signer refused', <C.SignerPrompt phase="review" model={{ env: 'polkadot', envKind: 'production', signerAddress: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', authority: 'is not the sudo key', callLines: ['sudo.sudo(system.setCode(...))'], callHash: HASH, encodedLength: 859727, nonce: 0, refusals: ['The signer is not the sudo key (Sudo.Key is 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty)', 'Balance too low'] }} />);
	show('tx', <C.TxProgress steps={[{ label: 'signed', status: 'done' }, { label: 'ready', status: 'done' }, { label: 'in block', status: 'done', detail: '#19,234,567' }, { label: 'finalized', status: 'active', detail: '#19,234,567' }]} />);
	show('tx failed', <C.TxProgress steps={[{ label: 'signed', status: 'done' }, { label: 'ready', status: 'failed', detail: '1010: Invalid Transaction: Inability to pay some fees , e.g. account balance too low' }, { label: 'in block', status: 'pending' }, { label: 'finalized', status: 'pending' }]} />);
	show('hints', <C.KeyHints hints={hintsFor([[['up', 'down'], 'move'], 'open', 'newSample', 'quit'])} />);
	show('banner', <C.Banner kind="error" title="Could not connect to rococo-local" lines={['ws://127.0.0.1:9944 refused the connection.', 'What to do: start the node, or edit the endpoint in the environment file and press r to retry.']} />);
	show('releases empty', <C.ReleaseList releases={[]} selected={0} />);
	show('releases', <C.ReleaseList maxRows={3} selected={2} releases={Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, name: `rococo-9140-upgrade-with-a-long-name-${i}`, summary: 'rococo-local ✔ · rococo ▶ upgrade · polkadot ○ and a long tail of text', updatedAt: '2025-03-04T10:11:12.000Z' }))} />);
	show('artifact', <C.ArtifactView artifact={{ path: '/home/engineer/src/polkadot/target/release/wbuild/rococo-runtime/rococo_runtime.compact.compressed.wasm', size: 859727, uncompressedSize: 4_512_345, compressed: true, codeHash: HASH, specName: 'rococo', specVersion: 9140, implName: 'parity-rococo-v2.0', implVersion: 0, transactionVersion: 24, stateVersion: 0 }} checks={[{ label: 'Spec name matches the chain', status: 'pass', detail: 'rococo' }, { label: 'Spec version goes up', status: 'fail', detail: '9140 is not greater than on-chain 9140 — rebuild with a bumped spec_version, or pick another wasm file entirely' }, { label: 'Decompresses', status: 'pending' }, { label: 'Forward compatible', status: 'waived', detail: 'waived by alice' }]} />);
	show('soak', <C.SoakView blocksDone={12} minBlocks={20} secondsDone={130} minSeconds={600} longestStallSeconds={8} maxStallSeconds={30} met={false} stalled={false} />);
	show('soak stalled', <C.SoakView blocksDone={12} minBlocks={20} secondsDone={130} minSeconds={600} longestStallSeconds={45} maxStallSeconds={30} met={false} stalled={true} />);
	show('verify', <C.VerifyView rows={[{ label: 'Spec version', expected: '9140', actual: '9140', ok: true }, { label: 'Code hash', expected: HASH, actual: '0x12ab4ca2c6f1d3b4a59877d0b5c4f7e8a1b2c3d4e5f60718293a4b5c6d7e0fff', ok: false }, { label: 'Tx version', expected: '24' }]} />);
	show('gates', <C.GateTable gates={[{ id: 'spec-name', env: 'rococo-local', status: 'pass', summary: 'rococo = rococo', checkedAt: '' }, { id: 'forward-compatible', env: 'rococo', status: 'waived', summary: 'not checked: no metadata', waiver: { reason: 'checked by hand on devnet', at: '' }, checkedAt: '' }, { id: 'artifact-integrity', env: 'rococo', status: 'fail', summary: 'code hash differs from the one recorded at creation: the file changed on disk since the release was created', checkedAt: '' }]} />);
});
