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
	if (!interactive && !options.demo) {
		process.stderr.write(
			'release-console: no terminal (TTY) here, so the console cannot take keys.\n' +
				'  In scripts and CI use the headless commands instead:\n' +
				'    release-console status --json\n' +
				'    release-console new --name NAME --wasm PATH --json\n' +
				'    release-console advance ID --env NAME --signer S --yes\n' +
				'  or play the sample hands-free with `release-console --demo`.\n',
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
	const [{ render }, React, { App }, { ensureSampleRelease, ensureGovernanceSample }] = await Promise.all([
		import('ink'),
		import('react'),
		import('./app.js'),
		import('../engine/samples.js'),
	]);
	const createSample = async () => {
		// The governance rehearsal is the second sample: made first, so the Rococo one (newest) is on top.
		if (!options.demo) await ensureGovernanceSample(store, home).catch(() => undefined);
		return (await ensureSampleRelease(store, home)).id;
	};
	// First start: a ready sample release, so a newcomer has something to walk through.
	const first = store.listReleases().length === 0;
	const initialScreen = options.release ? { name: 'release' as const, id: options.release } : undefined;
	const instance = render(React.createElement(App, { store, home, initialScreen, demo: options.demo, createSample }), {
		exitOnCtrlC: true,
	});
	filterLibraryNoise();
	if (first && !options.demo) {
		// after the first frame: reading the sample wasm executes it, which takes a moment
		setTimeout(() => {
			createSample()
				.then(() => instance.rerender(React.createElement(App, { store, home, initialScreen, demo: options.demo, createSample })))
				.catch(() => {});
		}, 0);
	}
	await instance.waitUntilExit();
	await runCleanups();
	return 0;
}
