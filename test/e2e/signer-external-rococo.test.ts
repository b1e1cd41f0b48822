/**
 * The sudo key held only by polkadot-js's own air-gapped signer
 * (`polkadot-js-signer sign`, @polkadot/signer-cli from the registry, run as
 * a separate process): `advance --signer external:ADDRESS` prints the payload
 * and records a write-ahead intent, the signer signs it, `advance --signature`
 * checks the signature and submits. On the real Rococo runtime (chopsticks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { DEV_PHRASE } from '../../source/signer/signer.js';
import { countExtrinsicsOnChain, pendingOr, pumpBlocks } from '../helpers/chain.js';
import { scenario } from '../helpers/steps.js';
import { runCli, tempHome } from '../helpers/cli.js';

const SIGNER_CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/@polkadot/signer-cli/runcli.mjs');

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
let wasm: string;
let alice: string;
const env = (): Record<string, string> => ({ RELEASE_CONSOLE_HOME: home });

/** `polkadot-js-signer sign`, as the person on the air-gapped machine runs it: its output is "Signature: 0x…". */
function signElsewhere(account: string, suri: string, payload: string): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			[SIGNER_CLI, 'sign', '--account', account, '--seed', suri, '--type', 'sr25519', payload],
			{ env: { ...process.env, VITEST: undefined } },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`${error.message}\n${stderr}`));
				const m = /Signature: (0x[0-9a-f]+)/.exec(stdout);
				if (!m) return reject(new Error(`no signature in: ${stdout}`));
				resolve(m[1]!);
			},
		);
	});
}

const upgrades = () => countExtrinsicsOnChain(api, 'sudo');

beforeAll(async () => {
	await cryptoWaitReady();
	devnet = await startRococoDevnet({ blockTime: 'manual' });
	api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
	home = tempHome();
	wasm = writeRococoWasm(9140, home);
	alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice').address;
}, 120_000);

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

describe('the sudo key signs elsewhere (polkadot-js-signer)', () => {
	let id: string;
	let payload: string;
	const s = scenario();
	const advance = (...extra: string[]) =>
		runCli(['advance', id, '--env', 'rehearsal', '--signer', `external:${alice}`, ...extra, '--json'], env());

	it(
		'prints the payload to sign and records it, sending nothing; asking again gives the same payload',
		s.step(async () => {
			await runCli(
				[
					'env',
					'add',
					'rehearsal',
					'--endpoint',
					devnet.endpoint,
					'--kind',
					'local',
					'--route',
					'sudo',
					'--soak-blocks',
					'1',
					'--soak-minutes',
					'0',
				],
				env(),
			);
			id = (await runCli(['new', '--name', 'rococo 9140', '--wasm', wasm, '--env', 'rehearsal', '--json'], env())).json().id;
			const r = await advance('--mortality', '4');
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
			const out = r.json();
			expect(out.result.kind).toBe('needs-signature');
			// the setCode payload is far over 256 bytes: what is signed is its blake2-256
			expect(out.signingPayload).toMatch(/^0x[0-9a-f]{64}$/);
			expect(out.result.signing.hashed).toBe(true);
			expect(out.result.signing.address).toBe(alice);
			expect(out.result.prompt.callLines.join(' ')).toContain('setCode');
			const intents = out.release.environments[0].intents;
			expect(intents).toHaveLength(1);
			expect(intents[0].extrinsicHash).toBeUndefined();
			payload = out.signingPayload;
			const again = (await advance()).json();
			expect(again.signingPayload).toBe(payload);
			expect(again.release.environments[0].intents).toHaveLength(1);
			expect(await upgrades()).toBe(0);
		}),
		s.timeout(180_000),
	);

	it(
		'a signature of a payload whose era ended is refused, and nothing is sent',
		s.step(async () => {
			const signature = await signElsewhere(alice, `${DEV_PHRASE}//Alice`, payload);
			const before = (await api.rpc.chain.getHeader()).number.toNumber();
			await devnet.newBlocks(8);
			expect((await api.rpc.chain.getHeader()).number.toNumber()).toBeGreaterThanOrEqual(before + 8);
			const r = await advance('--signature', signature);
			expect(r.code).toBe(1);
			const out = r.json();
			expect(out.result.kind).toBe('refused');
			expect(out.result.message).toMatch(/era ended at block #\d+/);
			expect(out.result.hint).toMatch(/without --signature for a new payload/);
			expect(await upgrades()).toBe(0);
			expect((await api.rpc.author.pendingExtrinsics()).length).toBe(0);
		}),
		s.timeout(180_000),
	);

	it(
		'a tampered signature and one by another key are refused before sending',
		s.step(async () => {
			const fresh = (await advance()).json();
			expect(fresh.result.kind).toBe('needs-signature');
			expect(fresh.signingPayload).not.toBe(payload);
			payload = fresh.signingPayload;
			const good = await signElsewhere(alice, `${DEV_PHRASE}//Alice`, payload);
			const flipped = `${good.slice(0, -2)}${good.endsWith('00') ? '01' : '00'}`;
			const tampered = await advance('--signature', flipped);
			expect(tampered.code).toBe(1);
			expect(tampered.json().result.message).toMatch(/does not verify for 5Grw/);
			const bob = await signElsewhere(alice, `${DEV_PHRASE}//Bob`, payload);
			const byBob = await advance('--signature', bob);
			expect(byBob.code).toBe(1);
			expect(byBob.json().result.message).toMatch(/does not verify/);
			expect(await upgrades()).toBe(0);
			expect((await api.rpc.author.pendingExtrinsics()).length).toBe(0);
		}),
		s.timeout(180_000),
	);

	it(
		'the real signature, given back as a picture of a QR code (as Polkadot Vault shows it), upgrades the chain: exactly one upgrade on chain',
		s.step(async () => {
			const signature = await signElsewhere(alice, `${DEV_PHRASE}//Alice`, payload);
			// Vault's signature QR carries the hex without 0x; a PNG of it is what a person saves from a camera or screenshot
			const picture = path.join(home, 'signature.png');
			await QRCode.toFile(picture, signature.slice(2), { type: 'png', errorCorrectionLevel: 'L' });
			const notPicture = path.join(home, 'signature.txt');
			writeFileSync(notPicture, 'not a picture');
			const bad = await advance('--signature', notPicture);
			expect(bad.code).toBe(2);
			expect(bad.stdout + bad.stderr).toMatch(/is not a PNG image/);
			const stop = pumpBlocks(
				devnet.newBlocks,
				pendingOr(api, async () => false),
			);
			let r;
			try {
				r = await advance('--signature', picture);
			} finally {
				await stop();
			}
			expect(r.stderr).toBe('');
			const out = r.json();
			expect(out.log.join('\n')).toMatch(/inBlock #\d+/);
			expect(r.code).toBe(0);
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			expect(await upgrades()).toBe(1);
			const intent = out.release.environments[0].intents.find((i: { signature?: string }) => i.signature);
			expect(intent.outcome.status).toBe('included');
			expect(intent.signature.slice(-128)).toBe(signature.slice(-128));
		}),
		s.timeout(180_000),
	);

	it(
		'the same signature a second time sends nothing',
		s.step(async () => {
			const intents = (await runCli(['status', id, '--json'], env())).json().environments[0].intents;
			const used = intents.find((i: { signature?: string }) => i.signature).signature as string;
			const r = await runCli(['advance', id, '--env', 'rehearsal', '--signer', `external:${alice}`, '--signature', used], env());
			expect(r.stdout).toContain('the signature given was already used');
			expect(r.stdout).toContain('nothing is sent again');
			expect(await upgrades()).toBe(1);
		}),
		s.timeout(120_000),
	);
});
