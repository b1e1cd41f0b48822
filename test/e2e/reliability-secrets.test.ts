/**
 * Secrets after a full release: the real 9130 → 9140 upgrade on the embedded
 * Rococo chain, signed with a keystore JSON whose password comes from
 * RELEASE_CONSOLE_PASSWORD, after refused attempts with `env:VAR` holding a
 * fresh mnemonic and a raw seed (not the sudo key) and with a wrong keystore
 * password. Then the store directory, the debug trace (RELEASE_CONSOLE_DEBUG)
 * and every line the commands printed are scanned for each mnemonic, seed
 * and password used: none is found. The store file is owner-only (0600).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { runCli, tempHome, type CliResult } from '../helpers/cli.js';

let devnet: RococoDevnet;
let api: ApiPromise;
let home: string;
let work: string;

beforeAll(async () => {
	devnet = await startRococoDevnet({ blockTime: 1000 });
	api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
	// A directory that does not exist yet: the store creates it (owner-only).
	home = path.join(tempHome('rc-secrets-'), 'store');
	work = tempHome('rc-secrets-work-');
});

afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

/** Every file under dir (recursively), as text. */
function allFiles(dir: string): Array<{ file: string; text: string }> {
	return fs
		.readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((d) => d.isFile())
		.map((d) => {
			const file = path.join(d.parentPath, d.name);
			return { file, text: fs.readFileSync(file, 'latin1') };
		});
}

describe('secrets never touch disk or logs', () => {
	it(
		'a full release signed from a keystore, with refused env:VAR signers on the way: no mnemonic, seed or password in the store, the trace or the output',
		{ timeout: 420_000 },
		async () => {
			await cryptoWaitReady();
			const keyring = new Keyring({ type: 'sr25519' });
			// The sudo key: a fresh mnemonic, exported as a keystore JSON with a password.
			const sudoMnemonic = mnemonicGenerate();
			const sudoSeed = u8aToHex(mnemonicToMiniSecret(sudoMnemonic));
			const sudo = keyring.addFromMnemonic(sudoMnemonic);
			const password = `pw-${Math.random().toString(36).slice(2)}-correct-horse`;
			const wrongPassword = `pw-${Math.random().toString(36).slice(2)}-wrong-battery`;
			const keystore = path.join(work, 'sudo-key.json');
			fs.writeFileSync(keystore, JSON.stringify(sudo.toJson(password)));
			// Another key, given through env:VAR as a mnemonic and as a raw seed.
			const otherMnemonic = mnemonicGenerate();
			const otherSeed = u8aToHex(mnemonicToMiniSecret(otherMnemonic));
			// Make the new key the chain's sudo key and fund it (dev_setStorage, as for //Alice at genesis).
			await api.rpc(
				'dev_setStorage' as never,
				{
					Sudo: { Key: sudo.address },
					System: { Account: [[[sudo.address], { providers: 1, data: { free: '1000000000000000000' } }]] },
				} as never,
			);

			const trace = path.join(work, 'trace.log');
			const env = (extra: Record<string, string> = {}) => ({ RELEASE_CONSOLE_HOME: home, RELEASE_CONSOLE_DEBUG: trace, ...extra });
			const outputs: CliResult[] = [];
			const cli = async (args: string[], extra: Record<string, string> = {}) => {
				const r = await runCli(args, env(extra));
				outputs.push(r);
				return r;
			};

			const wasm = writeRococoWasm(9140, work);
			expect(
				(
					await cli([
						'env',
						'add',
						'vault',
						'--endpoint',
						devnet.endpoint,
						'--kind',
						'testnet',
						'--route',
						'sudo',
						'--soak-blocks',
						'2',
						'--soak-minutes',
						'0',
					])
				).code,
			).toBe(0);
			const id = (await cli(['new', '--name', 'secret rehearsal', '--wasm', wasm, '--env', 'vault', '--json'])).json().id as string;
			// 9130 → 9140 is not forward compatible; on a testnet that needs a written waiver.
			await cli(['advance', id, '--env', 'vault', '--json']);
			expect(
				(
					await cli([
						'waive',
						id,
						'--env',
						'vault',
						'--gate',
						'forward-compatible',
						'--reason',
						'rehearsal of the real Rococo upgrade, reviewed',
					])
				).code,
			).toBe(0);

			// Refused signers: not the sudo key (mnemonic, then raw seed), and a wrong keystore password.
			for (const secret of [otherMnemonic, otherSeed]) {
				const r = await cli(['advance', id, '--env', 'vault', '--signer', 'env:RC_TEST_SURI', '--yes', '--json'], {
					RC_TEST_SURI: secret,
				});
				expect(r.code).toBe(1);
				expect(r.json().result.message).toMatch(/not the sudo key/);
			}
			const wrong = await cli(['advance', id, '--env', 'vault', '--signer', keystore, '--yes', '--json'], {
				RELEASE_CONSOLE_PASSWORD: wrongPassword,
			});
			expect(wrong.code).toBe(1);
			expect(wrong.json().result.message).toMatch(/wrong password for keystore/);

			// The full release, signed from the keystore.
			const done = await cli(['advance', id, '--env', 'vault', '--signer', keystore, '--yes', '--follow', '--timeout', '300'], {
				RELEASE_CONSOLE_PASSWORD: password,
			});
			expect(done.stderr).toBe('');
			expect(done.stdout).toMatch(/^done: vault: upgraded to rococo 9140/m);
			expect(done.stdout).toContain(sudo.address); // the prompt names the signer by address
			expect((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()).toBe(9140);
			await cli(['status', id, '--json']);

			// The scan: store directory, trace, everything printed.
			const storeFiles = allFiles(home);
			expect(storeFiles.map((f) => path.basename(f.file))).toContain('store.json');
			const traceText = fs.readFileSync(trace, 'utf8');
			expect(traceText).toMatch(/status (InBlock|Finalized)/); // the trace did record the release
			const haystacks = [
				...storeFiles.map((f) => ({ where: f.file, text: f.text })),
				{ where: trace, text: traceText },
				...outputs.flatMap((r, i) => [
					{ where: `command ${i} stdout`, text: r.stdout },
					{ where: `command ${i} stderr`, text: r.stderr },
				]),
			];
			const words = (m: string) => m.split(' ');
			const secrets: Record<string, string> = {
				'sudo mnemonic': sudoMnemonic,
				'sudo mnemonic, first three words': words(sudoMnemonic).slice(0, 3).join(' '),
				'sudo mnemonic, last three words': words(sudoMnemonic).slice(-3).join(' '),
				'sudo seed': sudoSeed.slice(2),
				'other mnemonic': otherMnemonic,
				'other mnemonic, first three words': words(otherMnemonic).slice(0, 3).join(' '),
				'other seed': otherSeed.slice(2),
				password,
				'wrong password': wrongPassword,
			};
			const found: string[] = [];
			for (const { where, text } of haystacks) {
				for (const [name, secret] of Object.entries(secrets)) {
					if (text.toLowerCase().includes(secret.toLowerCase())) found.push(`${name} in ${where}`);
				}
			}
			expect(found).toEqual([]);
			// Owner-only permissions on the store and its directory.
			expect(fs.statSync(path.join(home, 'store.json')).mode & 0o777).toBe(0o600);
			expect(fs.statSync(home).mode & 0o077).toBe(0);
		},
	);
});
