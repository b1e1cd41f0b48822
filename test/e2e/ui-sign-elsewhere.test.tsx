/**
 * Signing elsewhere and proxies in the console, keys in and frames out, on the real
 * Rococo runtime (embedded chain, manual blocks). The signer field takes
 * `external:ADDRESS`: the release screen shows the signer prompt and the exact payload;
 * the test signs that payload itself with @polkadot/keyring (as the person's signing
 * machine would) and pastes the `Signature: 0x…` line; the console checks it and sends
 * it. A wrong signature is refused with nothing sent; tab shows the Polkadot Vault QR
 * code at 80×24; quitting and coming back shows the same payload. And `//Bob as Alice`
 * upgrades the chain through `proxy.proxy` after Alice made Bob her Any proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { App } from '../../source/app/app.js';
import { openStore, type Store } from '../../source/store/store.js';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { sendInput, waitFor, waitForFrame } from '../helpers/frames.js';
import { countExtrinsicsOnChain, pendingOr, pumpBlocks } from '../helpers/chain.js';
import { framesThatDoNotFit, renderAt } from '../helpers/terminal.js';

const SIZE = { columns: 80, rows: 24 };

interface Rig {
	devnet: RococoDevnet;
	api: ApiPromise;
	provider: WsProvider;
	store: Store;
	home: string;
	releaseId: string;
}

async function rig(name: string): Promise<Rig> {
	const devnet = await startRococoDevnet({ blockTime: 'manual' });
	const provider = new WsProvider(devnet.endpoint);
	const api = await ApiPromise.create({ provider, noInitWarn: true });
	const home = tempHome(`rc-ui-${name}-`);
	const store = openStore({ dir: home });
	const env = validateEnvironment({
		name,
		endpoints: [devnet.endpoint],
		kind: 'local',
		route: 'sudo',
		soak: { minBlocks: 1, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const wasm = writeRococoWasm(9140, home);
	const release = createRelease({
		id: `${name}-release`,
		name: `rococo 9140 (${name})`,
		artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
		environments: [env.env],
		at: new Date().toISOString(),
	});
	store.saveRelease(release);
	return { devnet, api, provider, store, home, releaseId: release.id };
}

async function closeRig(r: Rig | undefined): Promise<void> {
	await runCleanups();
	await r?.api.disconnect();
	await r?.devnet.close();
}

const open = (r: Rig) => (
	<App store={r.store} home={r.home} initialScreen={{ name: 'release', id: r.releaseId }} createSample={async () => r.releaseId} />
);

/** The payload the screen shows: the hex lines under "Payload to sign", joined back. */
function shownPayload(frame: string): string | undefined {
	const lines = frame.split('\n');
	const at = lines.findIndex((l) => l.includes('Payload to sign'));
	if (at < 0) return undefined;
	const hex: string[] = [];
	for (const line of lines.slice(at + 1)) {
		const m = /^\s+((0x)?[0-9a-f]+)\s*$/.exec(line);
		if (m) hex.push(m[1]!);
		else if (hex.length > 0) break;
	}
	return hex.length > 0 ? hex.join('') : undefined;
}

/**
 * The extrinsics on chain whose hash is `hash`, and their bytes (left undecoded: the
 * upgrade block holds 9130's calls, and a client past the upgrade decodes with 9140's).
 */
async function extrinsicsWithHash({ api, provider }: Rig, hash: string): Promise<string[]> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	const found: string[] = [];
	for (let n = 1; n <= best; n++) {
		const at = await api.rpc.chain.getBlockHash(n);
		const raw = (await provider.send('chain_getBlock', [at.toHex()])) as { block: { extrinsics: string[] } };
		found.push(...raw.block.extrinsics.filter((x) => u8aToHex(blake2AsU8a(hexToU8a(x))) === hash));
	}
	return found;
}

/** The frame's text without its boxes and line breaks (what wraps reads as one line). */
const flat = (frame: string) => frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

/** The signature the signing machine gives back for `payload`, as polkadot-js-signer prints it. */
const signatureLine = (pair: KeyringPair, payload: string) => `Signature: ${u8aToHex(pair.sign(hexToU8a(payload), { withType: true }))}`;

let alice: KeyringPair;
let bob: KeyringPair;

beforeAll(async () => {
	await cryptoWaitReady();
	const keyring = new Keyring({ type: 'sr25519' });
	alice = keyring.addFromUri('//Alice');
	bob = keyring.addFromUri('//Bob');
});

describe('sign elsewhere in the console', () => {
	let r: Rig;
	let payload: string;
	beforeAll(async () => {
		r = await rig('elsewhere');
	}, 120_000);
	afterAll(() => closeRig(r), 60_000);

	it('external:ADDRESS shows the prompt and the exact payload; a wrong signature is refused, nothing is sent', async () => {
		const ui = render(open(r));
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for elsewhere'));
		// the address pasted with enter, as one chunk
		ui.stdin.write(`external:${alice.address}\r`);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Payload to sign'));
		// the signer prompt, as for any signature
		expect(frame).toContain('is the sudo key');
		expect(frame).toContain('system.setCode');
		expect(frame).toContain('Call hash');
		expect(frame).toContain('Fee estimate');
		expect(frame).toMatch(/Valid\s+from block #\d+ until #\d+/);
		// the exact bytes: the blake2-256 of the long setCode payload, as recorded in the write-ahead intent
		payload = shownPayload(frame)!;
		expect(payload).toMatch(/^0x[0-9a-f]{64}$/);
		const intents = r.store.getRelease(r.releaseId)!.progress.elsewhere!.intents;
		expect(intents).toHaveLength(1);
		expect(intents[0]!.awaiting!.signingPayload).toBe(payload);
		expect(frame).toContain('blake2-256 of the');
		expect(frame).toContain(`polkadot-js-signer sign --account ${alice.address} --type sr25519`);
		expect(frame).toContain('Signature (');

		// Bob signs the payload: not the sudo key's signature
		ui.stdin.write(`${signatureLine(bob, payload)}\r`);
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signature refused'));
		expect(frame).toContain('does not verify for');
		expect(frame).toContain('What to do:');
		expect(frame).toContain('The payload is unchanged');
		// the field is open again, empty, under the same payload
		expect(shownPayload(frame)).toBe(payload);
		expect(frame).toMatch(/^>\s*$/m);
		expect(await countExtrinsicsOnChain(r.api, 'sudo')).toBe(0);
		expect((await r.api.rpc.author.pendingExtrinsics()).length).toBe(0);

		// text that is not a signature at all is refused before the chain is asked, and kept to be corrected
		ui.stdin.write('./no-such-vault-signature.png\r');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Not a signature'));
		expect(frame).toContain('no file at');
		expect(frame).toContain('> ./no-such-vault-signature.png');
		ui.unmount();
		await runCleanups();
		expect(r.store.getRelease(r.releaseId)!.progress.elsewhere!.intents).toHaveLength(1);
	}, 180_000);

	it('at 80×24: coming back shows the same payload; tab shows the Vault QR and esc goes back; the signature upgrades the chain', async () => {
		const ui = renderAt(open(r), SIZE);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for elsewhere'));
		expect(flat(frame)).toContain(`awaits its signature: give external:${alice.address} to see it again`);
		ui.stdin.write(`external:${alice.address}\r`);
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signature ('));
		// the prompt comes first; the payload is below it: page down to it
		for (let i = 0; i < 12 && shownPayload(ui.lastFrame() ?? '') === undefined; i++) await sendInput(ui, '\x1b[6~');
		frame = await waitForFrame(ui.lastFrame, (f) => shownPayload(f) !== undefined);
		expect(shownPayload(frame)).toBe(payload);
		expect(r.store.getRelease(r.releaseId)!.progress.elsewhere!.intents).toHaveLength(1);

		ui.stdin.write('\t');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('scan with Polkadot Vault'));
		expect(frame).toContain(`Polkadot Vault: sign with ${alice.address}`);
		expect(frame).toMatch(/frame 1\/\d+/);
		expect(frame).toContain('▀');
		ui.stdin.write('\x1b');
		frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Signature (') && !f.includes('scan with Polkadot Vault'));
		expect(framesThatDoNotFit(ui.frames, SIZE)).toEqual([]);

		const shown = ui.frames.length;
		const stop = pumpBlocks(
			r.devnet.newBlocks,
			pendingOr(r.api, async () => (await countExtrinsicsOnChain(r.api, 'sudo')) > 0),
		);
		try {
			ui.stdin.write(`${signatureLine(alice, payload)}\r`);
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete'), 180_000);
		} finally {
			await stop();
		}
		expect(framesThatDoNotFit(ui.frames.slice(0, shown + 5), SIZE)).toEqual([]);
		ui.unmount();
		expect((await r.api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
		expect(await countExtrinsicsOnChain(r.api, 'sudo')).toBe(1);
		const intents = r.store.getRelease(r.releaseId)!.progress.elsewhere!.intents;
		expect(intents).toHaveLength(1);
		expect(intents[0]!.outcome?.status).toBe('included');
	}, 240_000);
});

describe('a proxy in the console', () => {
	let r: Rig;
	beforeAll(async () => {
		r = await rig('proxied');
		// Alice (the sudo key) makes Bob her Any proxy.
		await new Promise<void>((resolve, reject) => {
			void r.api.tx.proxy
				.addProxy(bob.address, 'Any', 0)
				.signAndSend(alice, ({ status, dispatchError }) => {
					if (dispatchError) reject(new Error(dispatchError.toString()));
					else if (status.isInBlock) resolve();
				})
				.then(() => r.devnet.newBlocks(1))
				.catch(reject);
		});
		await waitFor(
			async () => JSON.stringify((await r.api.query.proxy.proxies(alice.address)).toJSON()).includes(bob.address),
			'Bob as Alice’s proxy',
			30_000,
		);
	}, 120_000);
	afterAll(() => closeRig(r), 60_000);

	it('//Bob as <Alice> upgrades the chain through proxy.proxy; the prompt says Bob acts for Alice', async () => {
		const ui = render(open(r));
		await waitForFrame(ui.lastFrame, (f) => f.includes('Signer for proxied'));
		ui.stdin.write(`//Bob as ${alice.address}\r`);
		let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('you are about to sign'));
		expect(flat(frame)).toContain(`//Bob acts for ${alice.address} through a Any proxy; ${alice.address} is the sudo key`);
		expect(frame).toContain(bob.address);
		expect(frame).toContain('proxy.proxy');
		expect(frame).toContain('y sign');
		const stop = pumpBlocks(
			r.devnet.newBlocks,
			pendingOr(r.api, async () => r.store.getRelease(r.releaseId)!.progress.proxied!.upgrade !== undefined),
		);
		try {
			ui.stdin.write('y');
			frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Release complete'), 180_000);
		} finally {
			await stop();
		}
		ui.unmount();
		expect((await r.api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
		// one extrinsic: Bob's proxy.proxy(Alice, Any, sudo.sudoUncheckedWeight(system.setCode)), the upgrade the release recorded
		const progress = r.store.getRelease(r.releaseId)!.progress.proxied!;
		expect(progress.intents).toHaveLength(1);
		const intent = progress.intents[0]!;
		expect(intent.call).toMatch(/^proxy\.proxy\(sudo\.sudoUncheckedWeight/);
		expect(intent.signer).toBe(bob.address);
		expect(intent.outcome?.status).toBe('included');
		expect(progress.upgrade?.extrinsicHash).toBe(intent.extrinsicHash);
		const sent = await extrinsicsWithHash(r, intent.extrinsicHash!);
		expect(sent).toHaveLength(1);
		// signed by Bob, acting for Alice
		expect(sent[0]).toContain(u8aToHex(bob.publicKey).slice(2));
		expect(sent[0]).toContain(u8aToHex(alice.publicKey).slice(2));
	}, 240_000);
});
