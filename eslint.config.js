// ESLint (flat config). Syntax-only on purpose (no type information): it runs
// in a few seconds on the whole tree. Layering and import cycles are checked
// by dependency-cruiser (.dependency-cruiser.cjs), formatting by Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// The Node globals the plain .mjs scripts use (the `globals` package is not a
// direct dependency; TypeScript checks the .ts files' globals itself).
const nodeGlobals = Object.fromEntries(
	[
		'process',
		'console',
		'Buffer',
		'URL',
		'URLSearchParams',
		'TextEncoder',
		'TextDecoder',
		'AbortController',
		'AbortSignal',
		'fetch',
		'performance',
		'structuredClone',
		'queueMicrotask',
		'setTimeout',
		'clearTimeout',
		'setInterval',
		'clearInterval',
		'setImmediate',
		'clearImmediate',
		'globalThis',
		'global',
		'gc',
	].map((name) => [name, 'readonly']),
);

// eslint-plugin-react-hooks 7's recommended set also carries React Compiler diagnostics (refs, purity,
// immutability, …). The console is not compiled with the React Compiler, and these rules run the compiler
// on every component and hook (15 s of CPU on source/app alone, more than the rest of the lint together),
// so they are opt-in advice: `REACT_COMPILER_LINT=1 npx eslint source/app` shows them as warnings.
const reactCompilerAdvice = process.env.REACT_COMPILER_LINT
	? [
			{
				files: ['source/app/**/*.{ts,tsx}'],
				rules: Object.fromEntries(
					Object.keys(reactHooks.configs.flat['recommended-latest'].rules)
						.filter((rule) => rule !== 'react-hooks/rules-of-hooks' && rule !== 'react-hooks/exhaustive-deps')
						.map((rule) => [rule, 'warn']),
				),
			},
		]
	: [];

export default tseslint.config(
	{ ignores: ['dist/', 'node_modules/', 'media/tools/', 'coverage/', '**/.release-console-test*/'] },
	js.configs.recommended,
	tseslint.configs.recommended,
	{
		files: ['**/*.{js,mjs,cjs}'],
		languageOptions: { globals: nodeGlobals },
	},
	{
		files: ['**/*.cjs'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' },
		},
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: ['**/*.{ts,tsx}'],
		plugins: { 'react-hooks': reactHooks },
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			'@typescript-eslint/no-explicit-any': 'warn',
			// `_name` marks a deliberately unused binding (tsc's noUnusedParameters skips `_` parameters too).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{
					argsIgnorePattern: '^_',
					varsIgnorePattern: '^_',
					caughtErrorsIgnorePattern: '^_',
					destructuredArrayIgnorePattern: '^_',
					ignoreRestSiblings: true,
				},
			],
			// A terminal UI matches ANSI escapes (\x1b[…m) on purpose.
			'no-control-regex': 'off',
		},
	},
	{
		// The pure release model: no process, network or file access through globals either
		// (dependency-cruiser refuses the imports; this refuses the globals).
		files: ['source/domain/**'],
		rules: {
			'no-restricted-globals': [
				'error',
				...['process', 'fetch', 'WebSocket', 'XMLHttpRequest', 'require'].map((name) => ({
					name,
					message: 'source/domain does no I/O: do it in store/, chain/, notes/ or the engine and pass the data in.',
				})),
			],
		},
	},
	{
		// The embedded chains speak raw JSON-RPC and SCALE shapes; `any` is accepted there.
		files: ['source/devnet/**'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	...reactCompilerAdvice,
);
