/**
 * The layering of source/ (issue 12), checked by `npm run lint`:
 *
 *   domain   the pure release model: imports only itself (and source/errors.ts), no I/O
 *   chain    the only user of @polkadot/api; never imports cli, app, engine or review
 *   engine   routes, stages, the session runner; never imports app or cli
 *   review   never imports app or cli
 *   app      the Ink screens; never imports cli
 *   cli      cli.tsx and commands/: the top, may import anything in source/
 *
 * plus: no import cycles anywhere, and nothing in source/ imports test/.
 * Type-only imports count (tsPreCompilationDeps): a type that crosses a layer
 * is a dependency even if it is erased from the JavaScript.
 */

/** Node built-ins the domain may use: none of them does I/O. Everything else (fs, child_process, net, http, os, worker_threads, …) is refused. */
const PURE_BUILTINS = '^(node:)?(assert|assert/strict|buffer|crypto|events|path|path/posix|string_decoder|url|util|util/types)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			severity: 'error',
			comment:
				'Import cycles make the load order fragile and the layers meaningless: break the cycle (move the shared part down a layer).',
			from: {},
			to: { circular: true },
		},
		{
			name: 'domain-no-io-builtins',
			severity: 'error',
			comment:
				'source/domain is the pure release model: no file, process, network or OS access. Do the I/O in store/, chain/, notes/ or the engine and pass the data in.',
			from: { path: '^source/domain/' },
			to: { dependencyTypes: ['core'], pathNot: PURE_BUILTINS },
		},
		{
			name: 'domain-no-io-packages',
			severity: 'error',
			comment:
				'source/domain must not reach a chain, a socket or the config store: @polkadot/api, ws, conf (and friends) belong to chain/ and store/.',
			from: { path: '^source/domain/' },
			to: {
				path: '(^|/)node_modules/(conf|ws|@polkadot/api|@polkadot/api-[^/]+|@polkadot/rpc-[^/]+|@polkadot/rpc-provider|@acala-network/[^/]+|ink|react|meow)(/|$)',
			},
		},
		{
			name: 'domain-only-itself',
			severity: 'error',
			comment: 'source/domain imports only source/domain (and the shared error base source/errors.ts).',
			from: { path: '^source/domain/' },
			to: { path: '^source/', pathNot: ['^source/domain/', '^source/errors\\.ts$'] },
		},
		{
			name: 'errors-imports-nothing',
			severity: 'error',
			comment: 'source/errors.ts is the bottom of every layer: it imports nothing from source/.',
			from: { path: '^source/errors\\.ts$' },
			to: { path: '^source/' },
		},
		{
			name: 'chain-not-above',
			severity: 'error',
			comment: 'source/chain is the chain gateway: it must not import the CLI, the console, the engine or review (they import it).',
			from: { path: '^source/chain/' },
			to: { path: '^source/(cli|app|engine|review)/' },
		},
		{
			name: 'engine-not-ui',
			severity: 'error',
			comment: 'source/engine is shared by `advance` and the console: it must not import either front end.',
			from: { path: '^source/engine/' },
			to: { path: '^source/(app|cli)/' },
		},
		{
			name: 'review-not-ui',
			severity: 'error',
			comment: 'source/review must not import the console (app/) or the CLI (cli/): both front ends use it.',
			from: { path: '^source/review/' },
			to: { path: '^source/(app|cli)/' },
		},
		{
			name: 'app-not-cli',
			severity: 'error',
			comment: 'The console (source/app) must not import the CLI or its commands: move what both need to engine/ or chain/.',
			from: { path: '^source/app/' },
			to: { path: '^source/cli/' },
		},
		{
			name: 'source-not-test',
			severity: 'error',
			comment: 'Nothing shipped imports the tests or their helpers.',
			from: { path: '^source/' },
			to: { path: '^test/' },
		},
		{
			name: 'not-to-unresolvable',
			severity: 'error',
			comment: 'An import that does not resolve (a typo, or a module that moved): fix the specifier.',
			from: { path: '^source/' },
			to: { couldNotResolve: true },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '^(dist|media/tools)/' },
		// Type-only imports (`import type`, `import('…').T`) are dependencies too.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			mainFields: ['module', 'main', 'types', 'typings'],
		},
		reporterOptions: {
			text: { highlightFocused: true },
		},
	},
};
