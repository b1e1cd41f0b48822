#!/usr/bin/env node
/**
 * Entry point: parses flags and starts the console (TUI) or a headless
 * command. Heavy modules (@polkadot/api, chopsticks, Ink) are imported only
 * by the path that needs them, so `status --json` and the first frame are fast.
 */
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';
process.env.LOG_LEVEL ??= 'error';
import meow from 'meow';
import { EXIT, UsageError, openContext, processIo } from './commands/context.js';
import { filterLibraryNoise } from './noise.js';

filterLibraryNoise();

const cli = meow(
	`
  Usage
    $ release-console                       open the console (needs a terminal)
    $ release-console --demo                play the sample release hands-free
    $ release-console new --name N --wasm PATH [--env NAME ...] [--json]
    $ release-console status [ID] [--json]
    $ release-console advance ID --env NAME [--signer S] [--yes] [--follow] [--json]
    $ release-console env list | add NAME --endpoint URL --kind K --route R | remove NAME
    $ release-console waive ID --env NAME --gate GATE --reason "why"
    $ release-console inspect WASM [--against WASM|ENV] [--srtool REPORT.json] [--json]
    $ release-console devnet --chain rococo|governance [--port N] [--block-time MS|manual|instant]
    $ release-console devnet stop

  Signers (--signer)
    //Alice …          dev keys, on local and testnet environments only
    env:VAR            a mnemonic or secret URI read from environment variable VAR
    path/to/key.json   a polkadot-js keystore; password from RELEASE_CONSOLE_PASSWORD or a prompt

  Options
    --config-dir DIR   where releases and environments are stored (or RELEASE_CONSOLE_HOME)
    --json             print one JSON object
    --yes              sign and submit after printing the signer prompt
    --follow           keep advancing as blocks arrive (e.g. through the soak) until done or --timeout seconds

  Exit codes: 0 done or waiting, 1 refused or failed, 2 bad input.
`,
	{
		importMeta: import.meta,
		flags: {
			configDir: { type: 'string' },
			json: { type: 'boolean', default: false },
			demo: { type: 'boolean', default: false },
			name: { type: 'string' },
			wasm: { type: 'string' },
			env: { type: 'string', isMultiple: true },
			signer: { type: 'string' },
			yes: { type: 'boolean', default: false },
			follow: { type: 'boolean', default: false },
			timeout: { type: 'number' },
			endpoint: { type: 'string', isMultiple: true },
			kind: { type: 'string' },
			route: { type: 'string' },
			soakBlocks: { type: 'number' },
			soakMinutes: { type: 'number' },
			maxStall: { type: 'number' },
			chain: { type: 'string' },
			port: { type: 'number' },
			blockTime: { type: 'string' },
			stateFile: { type: 'string' },
			against: { type: 'string' },
			srtool: { type: 'string' },
			release: { type: 'string' },
			gate: { type: 'string' },
			reason: { type: 'string' },
		},
	},
);

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	const flags = cli.flags;
	if (!command) {
		const { startConsole } = await import('./app/start.js');
		return startConsole({ configDir: flags.configDir, demo: flags.demo, release: flags.release });
	}
	if (command === 'inspect') {
		const { runInspect } = await import('./commands/inspect.js');
		if (!rest[0]) throw new UsageError('missing WASM path', 'usage: release-console inspect WASM [--against WASM] [--json]');
		const { resolveAgainstEnvironment } = await import('./commands/against.js');
		return runInspect(
			{ wasm: rest[0], against: flags.against, json: flags.json, srtool: flags.srtool },
			{ ...processIo, resolveAgainst: (name) => resolveAgainstEnvironment(openContext({ configDir: flags.configDir }), name) },
		);
	}
	const ctx = openContext({ configDir: flags.configDir, json: flags.json });
	switch (command) {
		case 'new': {
			const { runNew } = await import('./commands/new.js');
			return runNew(ctx, { name: flags.name, wasm: flags.wasm, env: flags.env });
		}
		case 'status': {
			const { runStatus } = await import('./commands/status.js');
			return runStatus(ctx, rest[0]);
		}
		case 'advance': {
			const { runAdvance } = await import('./commands/advance.js');
			return runAdvance(ctx, rest[0], { env: flags.env?.[0], signer: flags.signer, yes: flags.yes, follow: flags.follow, timeout: flags.timeout });
		}
		case 'env': {
			const { runEnv } = await import('./commands/env.js');
			return runEnv(ctx, rest[0], rest[1], flags);
		}
		case 'waive': {
			const { runWaive } = await import('./commands/waive.js');
			return runWaive(ctx, rest[0], { env: flags.env?.[0], gate: flags.gate, reason: flags.reason });
		}
		case 'devnet': {
			const { runDevnet } = await import('./commands/devnet.js');
			return runDevnet(ctx, rest[0], { chain: flags.chain, port: flags.port, blockTime: flags.blockTime, stateFile: flags.stateFile });
		}
		default:
			throw new UsageError(`unknown command "${command}"`, 'run `release-console --help`');
	}
}

main()
	.then((code) => {
		process.exitCode = code;
	})
	.catch((error: unknown) => {
		const e = error as { message?: string; hint?: string; name?: string };
		const json = cli.flags.json;
		const isUsage = error instanceof UsageError || e.name === 'StoreError' || e.name === 'ArtifactError';
		const code = isUsage ? EXIT.badInput : EXIT.failed;
		if (json) process.stdout.write(`${JSON.stringify({ error: e.message, hint: e.hint })}\n`);
		else process.stderr.write(`error: ${e.message}${e.hint ? `\n  what to do: ${e.hint}` : ''}\n`);
		process.exitCode = code;
	});
