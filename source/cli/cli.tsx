#!/usr/bin/env node
/**
 * Entry point: parses flags and starts the console (TUI) or a headless
 * command. Heavy modules (@polkadot/api, chopsticks, Ink) are imported only
 * by the path that needs them, so `status --json` and the first frame are fast.
 */
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';
process.env.LOG_LEVEL ??= 'error';
// Node 22.1 and later keep V8's compiled code of the modules loaded after this (the console's screens,
// @polkadot/api, the engine) in a cache on disk, so the next start compiles less. Node 20 has no such
// cache: there this is a no-op (the figures in the README are Node 20's).
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
import nodeModule from 'node:module';
import type { Result } from 'meow';
import { EXIT, UsageError, openContext, processIo } from './commands/context.js';
import { filterLibraryNoise } from '../noise.js';
import { BUG_LINE, exitCodeOf, kindOf } from '../errors.js';
import { FLAG_TYPES, acceptedFlags, checkFlags, checkSignerFlag, defaultFlags, single, tableKey } from './flags.js';

filterLibraryNoise();

const HELP = `
  Usage
    $ release-console                       open the console (needs a terminal)
    $ release-console --demo                play the sample release hands-free
    $ release-console new --name N --wasm PATH [--env NAME ...] [--json]
    $ release-console new --name N --runtime ENV=WASM [--runtime ENV2=WASM2 ...]   one runtime per chain (relay + parachains)
    $ release-console status [ID] [--json]
    $ release-console advance ID --env NAME [--signer S] [--as REAL | --sudo-as MEMBER] [--yes] [--follow] [--json]
    $ release-console advance ID --env NAME --signer external:ADDRESS [--signature 0x…] [--mortality BLOCKS]
    $ release-console rehearse ID --env NAME [--block N] [--blocks 10] [--no-cache] [--json]   the upgrade on a fork of NAME's chain (and of its relay or parachains in the release)
    $ release-console env list | add NAME --endpoint URL --kind K --route R [route options] | remove NAME
    $ release-console recovery ID --env NAME [--out codeSubstitutes.json]
    $ release-console schedule --env NAME [--at ISO_TIME | --window] [--block N]
    $ release-console waive ID --env NAME --gate GATE --reason "why"
    $ release-console stakeholders ID --env NAME --group NAME --member ADDR [--member …] --threshold N [--owns GATE …] [--require GATE …]
    $ release-console notes ID --repo PATH --from PREV_SHA --to SHA [--branch main]
    $ release-console attest ID --gate audits|pause --reference "link" [--env NAME …] [--by ROLE]
    $ release-console gates ID [--env NAME] [--srtool REPORT.json]       gate table and what blocks promotion to NAME
    $ release-console manifest ID [--env NAME] > manifest.json           what the stakeholders of NAME sign
    $ release-console signoff MANIFEST.json --group NAME --signer S [--reject --reason "why"] [--key-type ed25519]
    $ release-console signoff import ID SIGNOFF.json
    $ release-console export ID --format markdown|json [--out FILE]
    $ release-console verify RECORD.json [--wasm PATH]                   exit 0 valid, 1 invalid or stale, 2 bad input
    $ release-console inspect WASM [--against WASM|ENV] [--srtool REPORT.json] [--json]
    $ release-console sample-wasm [--out DIR]                            write the Rococo 9130 and 9140 runtimes shipped with the package
    $ release-console devnet --chain rococo|rococo-network|governance|kusama-1020|polkadot-0 [--port N] [--block-time MS|manual|instant] [--data-dir DIR]
    $ release-console devnet status [--chain C]                    the store's embedded chains that run, with every endpoint
    $ release-console devnet fork --endpoint URL [--para URL…] [--block N] [--data-dir DIR]   a fork of that chain (and of its parachains, joined to it): what rehearse runs
    $ release-console devnet stop [--chain C]                      stops the store's embedded chains (all, or one)
    $ release-console devnet reset [--chain C]                     deletes their kept state: the next start is a new chain
    $ release-console review --env NAME (--motion HASH|INDEX | --referendum INDEX | --preimage HASH | --multisig CALLHASH | --call FILE|0xHEX) [--wasm [ENV=]PATH … | --release ID] [--record RECORD.json] [--dry-run [--blocks 3] [--no-cache]] [--json]
                      [--vote aye|nay --signer S [--conviction Locked1x] [--balance N] [--yes]]

  Signers (--signer)
    //Alice …          dev keys, on local and testnet environments only
    env:VAR            a mnemonic or secret URI read from environment variable VAR
    path/to/key.json   a polkadot-js keystore; password from RELEASE_CONSOLE_PASSWORD or a prompt
    external:ADDRESS   signed elsewhere (polkadot-js-signer, Polkadot Vault): advance prints the payload to sign,
                       then takes the signature back with --signature 0x… (checked before anything is sent)
    --as REAL          act for REAL through a proxy (Proxy.Proxies(REAL) must list the signer, with no delay)
    --sudo-as MEMBER   local rehearsal only: the signer, the chain's sudo key, acts for MEMBER through sudo.sudoAs
                       (the path Polkadot allowed at launch, when its call filter refused signed governance calls)
    (a mnemonic or 0x seed written after --signer is refused: it would show in ps and the shell history)

  Routes (env add --route): sudo | multisig-sudo | council-democracy | opengov | parachain
    --relay ENV --para-id N          parachain: its relay's environment (whose route carries the authorization) and para id
    --payload set-code|authorize     the whole wasm in the preimage, or only its hash (code applied after)
    --signatory ADDR --threshold N   multisig-sudo: the multisig that holds the sudo key (repeat --signatory)
    --external majority|default|plain  --fast-track-period N --fast-track-delay N   council-democracy
    --track root|whitelisted --enactment-delay N                                    opengov
    --conviction Locked1x --vote-percent 50                                         referendum votes

  Options
    --config-dir DIR   where releases and environments are stored (or RELEASE_CONSOLE_HOME)
    --json             print one JSON object
    --yes              sign and submit after printing the signer prompt
    --follow           keep advancing as blocks arrive (e.g. through the soak) until done or --timeout seconds

  Every command checks its flags first: one it does not take is bad input (exit 2), with the closest valid flag.

  Exit codes: 0 done or waiting (advance without --yes: needs confirmation, nothing signed), 1 refused or failed
  (inspect: not forward compatible, srtool mismatch), 2 bad input, 3 inspect --against ENV could not reach the chain.
`;

/**
 * The command line, parsed. With no arguments at all (the console, as `npm start` runs it) there is
 * nothing to parse, so meow (and the package-data normaliser it loads) is not loaded before the
 * first frame: the flags are their defaults, as meow gives them for an empty command line.
 */
const cli: Pick<Result<typeof FLAG_TYPES>, 'input' | 'flags'> = process.argv.length > 2
	? (await import('meow')).default(HELP, {
			importMeta: import.meta,
			// The one table of flags (types here, which command takes which in COMMAND_FLAGS): source/cli/flags.ts
			flags: FLAG_TYPES,
		})
	: (() => {
			process.title = 'release-console';
			return { input: [], flags: defaultFlags() };
		})();

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	const flags = cli.flags;
	// Before any work: every flag is one this command takes (exit 2 otherwise, naming the closest),
	// and a --signer is no secret written on the command line, nor a keystore file that is not there.
	checkFlags(process.argv.slice(2), command, rest[0], flags);
	if (acceptedFlags(tableKey(command, rest[0])).includes('signer')) checkSignerFlag(flags.signer);
	// One store directory for everything this process touches (the inspect cache included).
	if (flags.configDir) process.env.RELEASE_CONSOLE_HOME = flags.configDir;
	if (!command) {
		const { startConsole } = await import('../app/start.js');
		return startConsole({ configDir: flags.configDir, demo: flags.demo, release: flags.release });
	}
	if (command === 'inspect') {
		const { runInspect } = await import('./commands/inspect.js');
		if (!rest[0]) throw new UsageError('missing WASM path', 'usage: release-console inspect WASM [--against WASM] [--json]');
		return runInspect(
			{ wasm: rest[0], against: flags.against, json: flags.json, srtool: flags.srtool },
			{
				...processIo,
				// Loaded only for --against ENV (it brings the store and the chain connection).
				resolveAgainst: async (name) =>
					(await import('./commands/against.js')).resolveAgainstEnvironment(openContext({ configDir: flags.configDir }), name),
			},
		);
	}
	if (command === 'sample-wasm') {
		const { runSampleWasm } = await import('./commands/sample-wasm.js');
		return runSampleWasm(processIo, { out: flags.out, json: flags.json });
	}
	// alignment (issue 6): commands a stakeholder or auditor runs without a store
	if (command === 'verify') {
		const { runVerify } = await import('./commands/alignment.js');
		return runVerify(processIo, rest[0], { wasm: single(flags.wasm, 'wasm', 'verify'), json: flags.json });
	}
	if (command === 'signoff' && rest[0] !== 'import') {
		const { runSignoff } = await import('./commands/alignment.js');
		return runSignoff({ io: processIo, json: flags.json }, rest[0], {
			group: flags.group,
			signer: flags.signer,
			reject: flags.reject,
			reason: flags.reason,
			keyType: flags.keyType,
		});
	}
	const ctx = openContext({ configDir: flags.configDir, json: flags.json });
	switch (command) {
		case 'new': {
			const { runNew } = await import('./commands/new.js');
			return runNew(ctx, { name: flags.name, wasm: single(flags.wasm, 'wasm', 'new'), env: flags.env, runtime: flags.runtime });
		}
		case 'status': {
			const { runStatus } = await import('./commands/status.js');
			return runStatus(ctx, rest[0]);
		}
		case 'advance': {
			const { runAdvance } = await import('./commands/advance.js');
			return runAdvance(ctx, rest[0], {
				env: flags.env?.[0],
				signer: flags.signer,
				yes: flags.yes,
				follow: flags.follow,
				timeout: flags.timeout,
				signature: flags.signature,
				as: flags.as,
				sudoAs: flags.sudoAs,
				mortality: flags.mortality,
			});
		}
		case 'rehearse': {
			const { runRehearse } = await import('./commands/rehearse.js');
			return runRehearse(ctx, rest[0], { env: flags.env?.[0], block: flags.block, blocks: flags.blocks, noCache: flags.noCache });
		}
		case 'env': {
			const { runEnv } = await import('./commands/env.js');
			return runEnv(ctx, rest[0], rest[1], flags);
		}
		case 'schedule': {
			const { runSchedule } = await import('./commands/schedule.js');
			return runSchedule(ctx, { env: flags.env?.[0], at: flags.at, window: flags.window, block: flags.block });
		}
		case 'recovery': {
			const { runRecovery } = await import('./commands/recovery.js');
			return runRecovery(ctx, rest[0], { env: flags.env?.[0], out: flags.out });
		}
		case 'waive': {
			const { runWaive } = await import('./commands/waive.js');
			return runWaive(ctx, rest[0], { env: flags.env?.[0], gate: flags.gate, reason: flags.reason });
		}
		case 'review': {
			const { runReviewCommand } = await import('./commands/review.js');
			return runReviewCommand(ctx, {
				env: flags.env?.[0],
				motion: flags.motion,
				referendum: flags.referendum,
				preimage: flags.preimage,
				call: flags.call,
				multisig: flags.multisig,
				wasm: flags.wasm,
				record: flags.record,
				release: flags.release,
				vote: flags.vote,
				signer: flags.signer,
				yes: flags.yes,
				conviction: flags.conviction,
				balance: flags.balance,
				dryRun: flags.dryRun,
				blocks: flags.blocks,
				noCache: flags.noCache,
			});
		}
		// alignment (issue 6)
		case 'stakeholders': {
			const { runStakeholders } = await import('./commands/alignment.js');
			return runStakeholders(ctx, rest[0], {
				env: flags.env?.[0],
				group: flags.group,
				member: flags.member,
				threshold: flags.threshold,
				owns: flags.owns,
				require: flags.require,
			});
		}
		case 'notes': {
			const { runNotes } = await import('./commands/alignment.js');
			return runNotes(ctx, rest[0], { repo: flags.repo, from: flags.from, to: flags.to, branch: flags.branch });
		}
		case 'attest': {
			const { runAttest } = await import('./commands/alignment.js');
			return runAttest(ctx, rest[0], { gate: flags.gate, reference: flags.reference, env: flags.env, by: flags.by });
		}
		case 'gates': {
			const { runGates } = await import('./commands/alignment.js');
			return runGates(ctx, rest[0], { env: flags.env?.[0], srtool: flags.srtool });
		}
		case 'manifest': {
			const { runManifest } = await import('./commands/alignment.js');
			return runManifest(ctx, rest[0], { env: flags.env?.[0] });
		}
		case 'signoff': {
			const { runSignoffImport } = await import('./commands/alignment.js');
			return runSignoffImport(ctx, rest[1], rest[2]);
		}
		case 'export': {
			const { runExport } = await import('./commands/alignment.js');
			return runExport(ctx, rest[0], { format: flags.format, out: flags.out });
		}
		case 'devnet': {
			const { runDevnet } = await import('./commands/devnet.js');
			return runDevnet(ctx, rest[0], {
				chain: flags.chain,
				port: flags.port,
				blockTime: flags.blockTime,
				stateFile: flags.stateFile,
				dataDir: flags.dataDir,
				endpoint: flags.endpoint?.[0],
				paras: flags.para,
				block: flags.block,
			});
		}
		default:
			// (checkFlags has refused unknown commands already)
			throw new UsageError(`unknown command "${command}"`, 'run `release-console --help`');
	}
}

let settled = false;
// If nothing is left to wait on before the command has finished (a promise that can
// never settle), say so and fail, rather than exit 0 with nothing printed.
process.once('beforeExit', () => {
	if (settled) return;
	process.stderr.write(
		'error: the command stopped before it finished (nothing left to wait on; this is a bug)\n  what to do: run it again: it continues from what the store and the chain say\n',
	);
	process.exitCode = EXIT.failed;
});

/**
 * Exit as soon as the command's work and output are done. After `api.disconnect()`,
 * @polkadot/rpc-core's chained reference-count timers keep the event loop alive for
 * seconds with nothing to do; a command's own chain (`devnet` in the foreground) and
 * the console have already stopped when `main` settles, so nothing is cut off.
 */
async function flushAndExit(code: number): Promise<void> {
	process.exitCode = code;
	await Promise.all(
		[process.stdout, process.stderr].map(
			(stream) =>
				new Promise<void>((resolve) => {
					if (stream.destroyed || !stream.writable) return resolve();
					stream.write('', () => resolve());
				}),
		),
	);
	process.exit(code);
}

main()
	.then((code) => {
		settled = true;
		process.exitCode = code;
	})
	.catch((error: unknown) => {
		settled = true;
		const e = error as { message?: string; hint?: string };
		const json = cli.flags.json;
		// By kind (source/errors.ts): a user error exits 2, a refusal or a bug 1, anything else 1.
		const code = exitCodeOf(error);
		if (json) process.stdout.write(`${JSON.stringify({ error: e.message, hint: e.hint })}\n`);
		else
			process.stderr.write(
				`error: ${e.message}${e.hint ? `\n  what to do: ${e.hint}` : ''}\n${kindOf(error) === 'bug' ? `  ${BUG_LINE}\n` : ''}`,
			);
		process.exitCode = code;
	})
	.then(() => flushAndExit(Number(process.exitCode ?? 0)));
