/**
 * Start the console: check for a terminal, open the store, render, and on
 * exit close every connection and stop a chain this console started.
 */
import path from 'node:path';
import { openStore } from '../store/store.js';
import { runCleanups } from './cleanup.js';
import { filterLibraryNoise } from '../noise.js';

export interface StartOptions {
	configDir?: string;
	demo?: boolean;
	release?: string;
}

export async function startConsole(options: StartOptions): Promise<number> {
	const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
	if (!interactive) {
		// The demo draws the console too: without a terminal it refuses the same way.
		process.stderr.write(
			`release-console${options.demo ? ' --demo' : ''}: no terminal (TTY) here, so the console cannot ${options.demo ? 'draw the demo' : 'take keys'}.\n` +
				'  In scripts and CI use the headless commands instead:\n' +
				'    release-console status --json\n' +
				'    release-console new --name NAME --wasm PATH --json\n' +
				'    release-console advance ID --env NAME --signer S --yes\n' +
				(options.demo
					? '  Run the demo in a terminal, or under a pseudo-terminal to record it (`npm run media`).\n'
					: '  or play the sample hands-free in a terminal with `release-console --demo`.\n'),
		);
		return 2;
	}
	let store;
	try {
		const dir = options.configDir ?? process.env.RELEASE_CONSOLE_HOME;
		store = openStore(dir ? { dir } : {});
	} catch (error) {
		process.stderr.write(`release-console: ${(error as Error).message}\n`);
		return 2;
	}
	const home = path.dirname(store.path);
	const [{ render }, React, { App }, { ensureSamples }] = await Promise.all([
		import('ink'),
		import('react'),
		import('./app.js'),
		import('../engine/samples.js'),
	]);
	// One run per store at a time (a key pressed during the first start's run joins it); the demo plays the Rococo sample only.
	const createSample = () => ensureSamples(store, home, { governance: !options.demo, network: !options.demo });
	// First start: ready sample releases, so a newcomer has something to walk through; the home screen
	// says "Creating the sample releases…" from its first frame until they are there.
	const first = store.listReleases().length === 0;
	const initialScreen = options.release ? { name: 'release' as const, id: options.release } : undefined;
	const instance = render(
		React.createElement(App, {
			store,
			home,
			initialScreen,
			demo: options.demo,
			createSample,
			createSamplesOnStart: first && !options.demo,
		}),
		{ exitOnCtrlC: true },
	);
	filterLibraryNoise();
	await instance.waitUntilExit();
	await runCleanups();
	return 0;
}
