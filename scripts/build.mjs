#!/usr/bin/env node
/**
 * `npm run build`: the bundled dist/ (esbuild; type checking is `npm run typecheck`).
 *
 * - dist/cli.js: the command (package.json "bin"), with its shebang, executable.
 * - Code splitting: every dynamic import() in the sources (the console and its
 *   screens, @polkadot/api, artifact inspection, the devnets) is its own chunk
 *   under dist/chunks/, loaded only by the path that needs it.
 * - The other entry points are the modules bench/*.mjs import.
 * - External (resolved from node_modules at run time): chopsticks and its executor
 *   (wasm, worker threads, createRequire inside), the Rococo chain-spec packages
 *   (found with createRequire().resolve), and optional native or dev-only modules.
 * - process.env.NODE_ENV is "production" (React and Ink without their development checks).
 *
 * Outputs are written beside the old ones and renamed into place (a command
 * started during the build never reads a half-written file); files of an older
 * build are removed afterwards.
 *
 * `--if-changed` (npm start, npm test, npm install's prepare): build only when the
 * inputs changed. The inputs are every file under source/, this script, package.json,
 * package-lock.json and tsconfig.json; their SHA-256 (paths and contents, not mtimes,
 * so a checkout or a copy that keeps the content does not rebuild and an edit that
 * keeps the mtime does) is written to dist/.build-inputs.json with the list of files
 * written, at the end of a successful build. The build is skipped when the hash is the
 * same and every file it lists is still there. Without the flag (`npm run build`) it
 * always builds.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
process.env.NODE_ENV = 'production';
const requireHere = createRequire(path.join(root, 'package.json'));
const STAMP = path.join(outdir, '.build-inputs.json');
const INPUTS = ['source', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** SHA-256 over the inputs' relative paths and contents, in a fixed order. */
function inputsHash() {
	const hash = createHash('sha256');
	const add = (rel) => {
		const abs = path.join(root, rel);
		if (!existsSync(abs)) return;
		if (statSync(abs).isDirectory()) {
			for (const name of readdirSync(abs).sort()) add(path.posix.join(rel, name));
			return;
		}
		const content = readFileSync(abs);
		hash.update(`${rel}\0${content.length}\0`);
		hash.update(content);
	};
	for (const rel of INPUTS) add(rel);
	return hash.digest('hex');
}

const inputs = inputsHash();
if (process.argv.includes('--if-changed')) {
	let stamp;
	try {
		stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
	} catch {
		stamp = undefined;
	}
	const whole = Array.isArray(stamp?.files) && stamp.files.every((f) => existsSync(path.join(outdir, f)));
	if (stamp?.inputs === inputs && whole) {
		process.stdout.write('dist/ is up to date (sources unchanged since the last build; `npm run build` rebuilds)\n');
		process.exit(0);
	}
}
const { build } = await import('esbuild');

/** Output name (under dist/, without .js) → source. */
const entries = {
	cli: 'source/cli/cli.tsx',
	// bench/*.mjs
	'devnet/governance/index': 'source/devnet/governance/index.ts',
	'devnet/governance/rpc': 'source/devnet/governance/rpc.ts',
	'devnet/rpc-server': 'source/devnet/rpc-server.ts',
	'chain/live': 'source/chain/live.ts',
	'artifact/embedded-runtimes': 'source/artifact/embedded-runtimes.ts',
	'devnet/governance/chain/index': 'source/devnet/governance/chain/index.ts',
	// test/e2e/reliability-store.test.ts: separate processes writing one store, as users' processes do
	'store/store': 'source/store/store.ts',
	'store/lock': 'source/store/lock.ts',
	'domain/release': 'source/domain/release.ts',
	'domain/environments': 'source/domain/environments.ts',
};

export const EXTERNAL = [
	'@acala-network/chopsticks-core',
	'@acala-network/chopsticks-core/*',
	'@acala-network/chopsticks-executor',
	'@acala-network/chopsticks-executor/*',
	// chopsticks' SQLite database (typeorm, the native sqlite3 addon): the embedded Rococo chain's kept state
	'@acala-network/chopsticks-db',
	'rococo-9130',
	'rococo-9140',
	// optional: ws's native speed-ups, Ink's React devtools (DEV=true only)
	'bufferutil',
	'utf-8-validate',
	'react-devtools-core',
];

// Bundled CommonJS dependencies call require() for Node's built-ins: give every chunk one.
const banner = "import { createRequire as __rcCreateRequire } from 'node:module'; const require = __rcCreateRequire(import.meta.url);";

/**
 * `await import('react')` under Node gives React's named exports (Node reads them off
 * the CommonJS module); esbuild's chunk for a CommonJS module has only a default
 * export. Dynamic imports of such packages go through an ES module re-exporting both.
 */
const CJS_DYNAMIC = /^(react)$/;
const namedExportsOfCjs = {
	name: 'named-exports-of-cjs',
	setup(b) {
		b.onResolve({ filter: CJS_DYNAMIC }, (args) =>
			args.kind === 'dynamic-import' ? { path: args.path, namespace: 'cjs-named' } : undefined,
		);
		b.onLoad({ filter: /.*/, namespace: 'cjs-named' }, (args) => {
			// The names, read off the package as production code sees it (NODE_ENV is defined below).
			const names = Object.keys(requireHere(args.path)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
			return {
				contents: `import m from '${args.path}';\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
				resolveDir: root,
				loader: 'js',
			};
		});
	},
};

const result = await build({
	plugins: [namedExportsOfCjs],
	absWorkingDir: root,
	entryPoints: Object.entries(entries).map(([out, input]) => ({ in: input, out })),
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	chunkNames: 'chunks/[name]-[hash]',
	external: EXTERNAL,
	define: { 'process.env.NODE_ENV': '"production"' },
	minifyWhitespace: true,
	minifySyntax: true,
	legalComments: 'none',
	sourcemap: 'linked',
	banner: { js: banner },
	logLevel: 'warning',
	metafile: true,
	write: false,
});

const written = new Set();
// Chunks first (new content gets new names), entry points last, each renamed into place.
const files = [...result.outputFiles].sort(
	(a, b) => Number(!a.path.includes(`${path.sep}chunks${path.sep}`)) - Number(!b.path.includes(`${path.sep}chunks${path.sep}`)),
);
for (const file of files) {
	let contents = file.contents;
	// esbuild keeps cli.tsx's own shebang on the first line; add one if the source ever loses it.
	if (file.path === path.join(outdir, 'cli.js') && !file.text.startsWith('#!'))
		contents = Buffer.concat([Buffer.from('#!/usr/bin/env node\n'), Buffer.from(contents)]);
	mkdirSync(path.dirname(file.path), { recursive: true });
	const tmp = `${file.path}.${process.pid}.tmp`;
	writeFileSync(tmp, contents);
	renameSync(tmp, file.path);
	written.add(file.path);
}
chmodSync(path.join(outdir, 'cli.js'), 0o755);

// Remove what an older build (tsc's file-per-module tree, older chunks) left behind.
function prune(dir) {
	for (const name of readdirSync(dir)) {
		const p = path.join(dir, name);
		if (statSync(p).isDirectory()) {
			prune(p);
			if (readdirSync(p).length === 0) rmSync(p, { recursive: true, force: true });
		} else if (!written.has(p)) rmSync(p, { force: true });
	}
}
if (existsSync(outdir)) prune(outdir);

// `node scripts/build.mjs --meta FILE`: esbuild's metafile, e.g. for https://esbuild.github.io/analyze/
const metaAt = process.argv.indexOf('--meta');
if (metaAt > 0 && process.argv[metaAt + 1]) writeFileSync(process.argv[metaAt + 1], JSON.stringify(result.metafile));

// Last: the inputs this dist/ was built from (an interrupted build leaves the old stamp, whose hash no longer matches).
const stampTmp = `${STAMP}.${process.pid}.tmp`;
writeFileSync(stampTmp, `${JSON.stringify({ inputs, files: [...written].map((p) => path.relative(outdir, p)).sort() }, null, '\t')}\n`);
renameSync(stampTmp, STAMP);

const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
const chunks = [...written].filter((p) => p.endsWith('.js')).length;
process.stdout.write(`dist/: ${chunks} JavaScript files, ${(bytes / 2 ** 20).toFixed(1)} MiB (with source maps)\n`);
