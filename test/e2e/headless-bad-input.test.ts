/**
 * Bad input through the headless commands, run as child processes: each gets
 * a clear message that says what to do, the right exit code, and loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { mnemonicGenerate, cryptoWaitReady } from '@polkadot/util-crypto';
import { startRococoDevnet, type RococoDevnet } from '../../source/devnet/rococo.js';
import { writeRococoWasm } from '../../source/artifact/embedded-runtimes.js';
import { runCli, tempHome } from '../helpers/cli.js';

let devnet: RococoDevnet;
let home: string;
let wasm9140: string;
let wasm9130: string;
const env = (extra: Record<string, string> = {}) => ({ RELEASE_CONSOLE_HOME: home, ...extra });

beforeAll(async () => {
	// Nothing here needs the chain to move (every case is refused before anything is sent), but on a
	// manual chain that never built a block the embedded chopsticks chain's reported genesis hash was
	// seen to change between two processes (0x4545… placeholder, then the real one), which breaks the
	// genesis pin these cases rely on: a chain that produces blocks, as real ones do.
	devnet = await startRococoDevnet({ blockTime: 1000 });
	home = tempHome();
	wasm9140 = writeRococoWasm(9140, home);
	wasm9130 = writeRococoWasm(9130, path.join(home, 'old'));
	const add = await runCli(['env', 'add', 'bad', '--endpoint', devnet.endpoint, '--kind', 'local', '--route', 'sudo'], env());
	expect(add.code).toBe(0);
});

afterAll(async () => {
	await devnet?.close();
});

describe('bad input', () => {
	it('a missing artifact: exit 2, says which path', async () => {
		const r = await runCli(['new', '--name', 'x', '--wasm', path.join(home, 'nope.wasm')], env());
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/no file at .*nope\.wasm/);
		expect(r.stderr).toMatch(/what to do/);
	});

	it('a file that is not a wasm: exit 2, no release created', async () => {
		const notWasm = path.join(home, 'notes.txt');
		writeFileSync(notWasm, 'this is not a runtime\n');
		const r = await runCli(['new', '--name', 'x', '--wasm', notWasm, '--json'], env());
		expect(r.code).toBe(2);
		expect(r.json().error).toMatch(/cannot use .*notes\.txt as a runtime/);
		const status = await runCli(['status', '--json'], env());
		expect(status.json().releases).toHaveLength(0);
	}, 120_000);

	it('a spec version that does not increase: the artifact stage refuses, nothing is sent', async () => {
		const created = await runCli(['new', '--name', 'same version', '--wasm', wasm9130, '--env', 'bad', '--json'], env());
		expect(created.code).toBe(0);
		const id = created.json().id;
		const r = await runCli(['advance', id, '--env', 'bad', '--signer', '//Alice', '--yes', '--json'], env());
		expect(r.code).toBe(1);
		const out = r.json();
		expect(out.result.message).toMatch(/spec version/i);
		expect(out.result.kind).toBe('refused');
		expect(out.release.environments[0].intents).toHaveLength(0);
	}, 120_000);

	it('an unreachable endpoint: exit 1 with what to check, release unchanged', async () => {
		expect(
			(await runCli(['env', 'add', 'gone', '--endpoint', 'ws://127.0.0.1:1', '--kind', 'local', '--route', 'sudo'], env())).code,
		).toBe(0);
		const created = await runCli(['new', '--name', 'unreachable', '--wasm', wasm9140, '--env', 'gone', '--json'], env());
		const id = created.json().id;
		const before = (await runCli(['status', id, '--json'], env())).json();
		const r = await runCli(['advance', id, '--env', 'gone', '--json'], env());
		expect(r.code).toBe(1);
		expect(r.json().result.message).toMatch(/no endpoint answered .*ECONNREFUSED/);
		expect(r.json().result.hint).toMatch(/node is running/);
		const after = (await runCli(['status', id, '--json'], env())).json();
		expect(after.environments).toEqual(before.environments);
	}, 120_000);

	it('an endpoint whose genesis differs from the pinned one is refused', async () => {
		expect((await runCli(['env', 'add', 'pin', '--endpoint', devnet.endpoint, '--kind', 'local', '--route', 'sudo'], env())).code).toBe(
			0,
		);
		const created = await runCli(['new', '--name', 'pinned', '--wasm', wasm9140, '--env', 'pin', '--json'], env());
		const id = created.json().id;
		// first connect pins the genesis
		await runCli(['advance', id, '--env', 'pin', '--json'], env());
		const pinned = (await runCli(['env', 'list', '--json'], env())).json().environments.find((e: { name: string }) => e.name === 'pin');
		expect(pinned.genesisHash).toMatch(/^0x[0-9a-f]{64}$/);
		// hand-edit the pin to another chain's genesis (as if the endpoint now served another chain)
		const { openStore } = await import('../../source/store/store.js');
		const store = openStore({ dir: home });
		const stored = store.getEnvironment('pin')!;
		// saveEnvironment keeps an existing pin (by design), so edit the file as a user might
		const file = JSON.parse((await import('node:fs')).readFileSync(store.path, 'utf8'));
		file.environments.pin = { ...stored, genesisHash: `0x${'11'.repeat(32)}` };
		(await import('node:fs')).writeFileSync(store.path, JSON.stringify(file));
		const r = await runCli(['advance', id, '--env', 'pin', '--json'], env());
		expect(r.code).toBe(1);
		expect(r.json().result.message).toMatch(/pinned to 0x1111/);
	}, 120_000);

	it('the sudo route on a production environment is refused at env add', async () => {
		const r = await runCli(['env', 'add', 'mainnet', '--endpoint', devnet.endpoint, '--kind', 'production', '--route', 'sudo'], env());
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/cannot hang on a single signature/);
		expect((await runCli(['env', 'list', '--json'], env())).json().environments.map((e: { name: string }) => e.name)).not.toContain(
			'mainnet',
		);
	});

	it('a dev key (//Alice) on production: refused before anything is signed or even connected', async () => {
		// The endpoint does not answer: the refusal comes first, from the signer check alone.
		expect(
			(
				await runCli(
					['env', 'add', 'prod', '--endpoint', 'ws://127.0.0.1:1', '--kind', 'production', '--route', 'council-democracy'],
					env(),
				)
			).code,
		).toBe(0);
		const created = await runCli(['new', '--name', 'prod', '--wasm', wasm9140, '--env', 'prod', '--json'], env());
		expect(created.code).toBe(0);
		const r = await runCli(['advance', created.json().id, '--env', 'prod', '--signer', '//Alice', '--yes', '--json'], env());
		expect(r.code).toBe(1);
		expect(r.json().result.kind).toBe('refused');
		expect(r.json().result.message).toMatch(/dev keys are refused on production/);
		expect(r.json().release.environments[0].intents).toHaveLength(0);
	}, 120_000);

	it('a truncated (zstd-compressed) runtime: exit 2, says the file is incomplete; no release created', async () => {
		const whole = (await import('node:fs')).readFileSync(wasm9140);
		const cut = path.join(home, 'cut.compact.compressed.wasm');
		writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
		const before = (await runCli(['status', '--json'], env())).json().releases.length;
		const r = await runCli(['new', '--name', 'cut', '--wasm', cut], env());
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/cannot use .*cut\.compact\.compressed\.wasm as a runtime: .*ends in the middle of a zstd block/);
		expect(r.stderr).toMatch(/download or build it again/);
		expect((await runCli(['status', '--json'], env())).json().releases).toHaveLength(before);
	}, 120_000);

	it('a runtime for another chain (spec name node on a rococo chain): the artifact stage refuses, nothing is sent', async () => {
		const { buildDevnetCode } = await import('../../source/devnet/governance/index.js');
		const other = path.join(home, 'node-9999.wasm');
		writeFileSync(other, buildDevnetCode({ specVersion: 9999 })); // a higher version: only the name is wrong
		const created = await runCli(['new', '--name', 'wrong chain', '--wasm', other, '--env', 'bad', '--json'], env());
		expect(created.code).toBe(0);
		const r = await runCli(['advance', created.json().id, '--env', 'bad', '--signer', '//Alice', '--yes', '--json'], env());
		expect(r.code).toBe(1);
		expect(r.json().result.kind).toBe('refused');
		expect(r.json().result.message).toMatch(/artifact is for node but the chain runs rococo/);
		expect(r.json().result.message).not.toMatch(/downgrade/);
		expect(r.json().result.hint).toMatch(/build a runtime for this chain/);
		expect(r.json().release.environments[0].intents).toHaveLength(0);
	}, 120_000);

	it('an unknown environment: exit 2, lists the known ones and how to add it', async () => {
		const r = await runCli(['new', '--name', 'x', '--wasm', wasm9140, '--env', 'nowhere'], env());
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/unknown environment "nowhere"/);
		expect(r.stderr).toMatch(/known environments: .*bad/);
		expect(r.stderr).toMatch(/release-console env add nowhere --endpoint URL/);
	});

	it('a bad kind or route: exit 2 with the allowed values; nothing saved', async () => {
		const kind = await runCli(['env', 'add', 'odd', '--endpoint', devnet.endpoint, '--kind', 'mainnet', '--route', 'sudo'], env());
		expect(kind.code).toBe(2);
		expect(kind.stderr).toMatch(/kind/);
		expect(kind.stderr).toMatch(/local.*testnet.*production/);
		const route = await runCli(['env', 'add', 'odd', '--endpoint', devnet.endpoint, '--kind', 'testnet', '--route', 'teleport'], env());
		expect(route.code).toBe(2);
		expect(route.stderr).toMatch(/route/);
		expect(route.stderr).toMatch(/sudo/);
		expect((await runCli(['env', 'list', '--json'], env())).json().environments.map((e: { name: string }) => e.name)).not.toContain(
			'odd',
		);
	});

	it('a malformed signer: exit 1, says what is wrong without echoing the secret', async () => {
		const created = await runCli(['new', '--name', 'malformed', '--wasm', wasm9140, '--env', 'bad', '--json'], env());
		const id = created.json().id;
		const words = 'legal winner thank year wave sausage worth useful legal winner thank zebra';
		const r = await runCli(
			['advance', id, '--env', 'bad', '--signer', 'env:RC_BAD_SURI', '--yes', '--json'],
			env({ RC_BAD_SURI: words }),
		);
		expect(r.code).toBe(1);
		expect(r.json().result.message).toMatch(/RC_BAD_SURI.*not a valid mnemonic \(unknown word or bad checksum\)/);
		expect(r.stdout).not.toContain('sausage');
		const unset = await runCli(['advance', id, '--env', 'bad', '--signer', 'env:RC_UNSET_SURI', '--yes', '--json'], env());
		expect(unset.code).toBe(1);
		expect(unset.json().result.message).toMatch(/environment variable RC_UNSET_SURI is not set/);
		const junk = await runCli(['advance', id, '--env', 'bad', '--signer', 'Alice', '--yes', '--json'], env());
		expect(junk.code).toBe(1);
		expect(junk.json().result.message).toMatch(/is not a dev URI, env:VAR, existing keystore file or mnemonic/);
		expect((await runCli(['status', id, '--json'], env())).json().environments[0].intents).toHaveLength(0);
	}, 120_000);

	it('a sudo key without funds: refused before signing, nothing sent', async () => {
		await cryptoWaitReady();
		const mnemonic = mnemonicGenerate();
		const poor = new Keyring({ type: 'sr25519' }).addFromMnemonic(mnemonic);
		const api = await ApiPromise.create({ provider: new WsProvider(devnet.endpoint), noInitWarn: true });
		try {
			await api.rpc('dev_setStorage' as never, { Sudo: { Key: poor.address } } as never);
			const created = await runCli(['new', '--name', 'poor', '--wasm', wasm9140, '--env', 'bad', '--json'], env());
			const id = created.json().id;
			const r = await runCli(
				['advance', id, '--env', 'bad', '--signer', 'env:POOR_SURI', '--yes', '--json'],
				env({ POOR_SURI: mnemonic }),
			);
			expect(r.code).toBe(1);
			expect(r.json().result.message).toMatch(/not enough for the fee/);
			expect(r.json().release.environments[0].intents).toHaveLength(0);
			// and the mnemonic is nowhere in the store
			const storeText = (await import('node:fs')).readFileSync(path.join(home, 'store.json'), 'utf8');
			expect(storeText).not.toContain(mnemonic.split(' ')[0] + ' ' + mnemonic.split(' ')[1]);
		} finally {
			const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
			await api.rpc('dev_setStorage' as never, { Sudo: { Key: alice.address } } as never);
			await api.disconnect();
		}
	}, 120_000);
});

describe('the headless contract: flags, confirmation, exit codes, secrets', () => {
	let id: string;
	beforeAll(async () => {
		const created = await runCli(['new', '--name', 'contract', '--wasm', wasm9140, '--env', 'bad', '--json'], env());
		expect(created.code).toBe(0);
		id = created.json().id;
	}, 120_000);
	/** The release as `status` shows it: a refused command line leaves it as it was, and sends nothing. */
	const snapshot = async () => (await runCli(['status', id, '--json'], env())).json().environments;

	it('an unknown flag is refused before any work (exit 2), naming the closest valid flag', async () => {
		const before = await snapshot();
		const yse = await runCli(['advance', id, '--env', 'bad', '--signer', '//Alice', '--yse'], env());
		expect(yse.code).toBe(2);
		expect(yse.stderr).toContain('unknown flag --yse for `advance`; did you mean --yes?');
		expect(yse.stdout).not.toContain('signer prompt');
		const jsno = await runCli(['status', '--jsno'], env());
		expect(jsno.code).toBe(2);
		expect(jsno.stderr).toContain('unknown flag --jsno for `status`; did you mean --json?');
		expect(jsno.stdout).toBe('');
		// a flag of another command: says whose it is
		const port = await runCli(['status', id, '--port', '9944', '--json'], env());
		expect(port.code).toBe(2);
		expect(port.json().error).toBe('unknown flag --port for `status`');
		expect(port.json().hint).toMatch(/--port is a flag of `devnet`/);
		const typo = await runCli(['advnce', id], env());
		expect(typo.code).toBe(2);
		expect(typo.stderr).toContain('unknown command "advnce"; did you mean advance?');
		expect(await snapshot()).toEqual(before);
		expect(before[0].intents).toHaveLength(0);
	}, 60_000);

	it('signing elsewhere and proxies: a flag without what it needs, or an address that is none, is exit 2 before any work', async () => {
		const before = await snapshot();
		const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
		const sig = `0x${'11'.repeat(64)}`;
		const cases: Array<[string[], RegExp]> = [
			[['--signature', sig], /--signature needs --signer/],
			[['--signer', '//Alice', '--signature', sig], /--signature is for a payload signed elsewhere/],
			[['--signer', '//Alice', '--mortality', '16'], /--mortality is for a payload signed elsewhere/],
			[['--signer', `external:${alice}`, '--mortality', '3'], /--mortality 3 is not a number of blocks from 4 to 65536/],
			[['--signer', 'external:not-an-address'], /external: "not-an-address" is not an SS58 address/],
			[['--signer', '//Bob', '--as', 'nobody'], /--as "nobody" is not an SS58 address/],
			[['--signer', '//Alice', '--as', alice], /--as names the signer itself/],
			[['--signer', `external:${alice}`, '--signature', './no-such-signature.png'], /no file at .*no-such-signature\.png/],
		];
		for (const [flags, message] of cases) {
			const r = await runCli(['advance', id, '--env', 'bad', ...flags], env());
			expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(message)]);
		}
		const review = await runCli(['review', '--env', 'bad', '--motion', '0', '--vote', 'aye', '--signer', `external:${alice}`], env());
		expect(review.code).toBe(2);
		expect(review.stderr).toMatch(/review votes are signed here/);
		expect(await snapshot()).toEqual(before);
	}, 120_000);

	it('advance without --yes prints the prompt and says it needs confirmation (and which flag), not that it waits for someone else', async () => {
		const text = await runCli(['advance', id, '--env', 'bad', '--signer', '//Alice'], env());
		expect(text.code).toBe(0);
		expect(text.stdout).toContain('signer prompt');
		expect(text.stdout).toMatch(/needs confirmation: nothing was signed; .*run again with --yes/);
		expect(text.stdout).not.toMatch(/someone.else/);
		const json = await runCli(['advance', id, '--env', 'bad', '--signer', '//Alice', '--json'], env());
		expect(json.code).toBe(0);
		expect(json.json().result).toMatchObject({ kind: 'wait', waitingFor: 'confirmation' });
		expect(json.json().result.message).toMatch(/--yes/);
		expect(json.json().release.environments[0].intents).toHaveLength(0);
	}, 120_000);

	it('inspect --against ENV: an unreachable chain is exit 3 (kind unreachable), not the exit 1 of "not forward compatible"', async () => {
		expect(
			(await runCli(['env', 'add', 'nowhere', '--endpoint', 'ws://127.0.0.1:1', '--kind', 'local', '--route', 'sudo'], env())).code,
		).toBe(0);
		const gone = await runCli(['inspect', wasm9140, '--against', 'nowhere', '--json'], env());
		expect(gone.code).toBe(3);
		expect(gone.json()).toMatchObject({ kind: 'unreachable', exitCode: 3, error: { code: 'unreachable', environment: 'nowhere' } });
		expect(gone.json().error.message).toMatch(/no endpoint answered .*ECONNREFUSED/);
		const goneText = await runCli(['inspect', wasm9140, '--against', 'nowhere'], env());
		expect(goneText.code).toBe(3);
		expect(goneText.stderr).toMatch(/cannot compare with nowhere: .*no endpoint answered/);
		expect(goneText.stderr).toContain('no forward-compatibility verdict');
		// the reachable chain runs 9130: 9140 is really not forward compatible with it
		const verdict = await runCli(['inspect', wasm9140, '--against', 'bad', '--json'], env());
		expect(verdict.code).toBe(1);
		expect(verdict.json()).toMatchObject({ kind: 'not-forward-compatible', exitCode: 1 });
		// the live chain's side of the hygiene gates: 9130's Metadata API v1 offers only its v14; no CheckMetadataHash
		expect(verdict.json().against.metadataVersions).toEqual([14]);
		expect(verdict.json().hygiene.map((g: { id: string; status: string }) => `${g.id} ${g.status}`)).toEqual([
			'metadata-versions pass',
			'check-metadata-hash pass',
		]);
		const alone = await runCli(['inspect', wasm9140, '--json'], env());
		expect(alone.code).toBe(0);
		expect(alone.json().kind).toBe('inspected');
	}, 180_000);

	it('a mnemonic or a raw seed after --signer is refused (exit 2) with what to use instead; //Alice is not', async () => {
		const before = await snapshot();
		await cryptoWaitReady();
		const mnemonic = mnemonicGenerate();
		const seed = `0x${'5e'.repeat(32)}`;
		for (const secret of [mnemonic, `${mnemonic}//stash`, seed]) {
			const r = await runCli(['advance', id, '--env', 'bad', '--signer', secret, '--yes', '--json'], env());
			expect(r.code).toBe(2);
			const out = r.json();
			expect(out.error).toMatch(/^--signer was given (a mnemonic \(or secret URI\)|a raw seed) on the command line; refused/);
			expect(out.hint).toMatch(/env:VAR/);
			expect(out.hint).toMatch(/keystore JSON file/);
			expect(out.hint).toMatch(/signer prompt/);
			expect(r.stdout + r.stderr).not.toContain(mnemonic.split(' ')[0] + ' ' + mnemonic.split(' ')[1]);
			expect(r.stdout + r.stderr).not.toContain(seed.slice(2));
		}
		const review = await runCli(['review', '--env', 'bad', '--referendum', '0', '--vote', 'aye', '--signer', mnemonic], env());
		expect(review.code).toBe(2);
		expect(review.stderr).toMatch(/--signer was given a mnemonic/);
		expect(await snapshot()).toEqual(before);
		expect(before[0].intents).toHaveLength(0);
	}, 60_000);

	it('--signer ./missing.json says the file does not exist, before asking for a password', async () => {
		const before = await snapshot();
		const r = await runCli(['advance', id, '--env', 'bad', '--signer', './missing.json', '--yes'], {
			...env(),
			RELEASE_CONSOLE_PASSWORD: undefined,
		});
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/keystore file .*missing\.json does not exist/);
		expect(r.stdout + r.stderr).not.toMatch(/password/i);
		expect(await snapshot()).toEqual(before);
		expect(before[0].intents).toHaveLength(0);
	}, 60_000);
});
