/**
 * `release-console sample-wasm [--out DIR] [--json]`: write the two real Rococo
 * runtimes this package carries (9130, the embedded chain's genesis; 9140, the
 * sample release's artifact) and the asset hub's statemine 900 (its genesis code
 * and the byte-different copy the relay + asset hub sample ships), and the genesis runtimes of Kusama (1020) and
 * Polkadot (0) with their version-bumped copies (1021, 1) for the embedded genesis chains, as files, so the README's headless examples can be
 * followed with `--wasm`. They come from npm packages installed with
 * release-console (the genesis `:code` of their Rococo chain specs); nothing is
 * downloaded.
 */
import path from 'node:path';
import { EXIT, type Io } from './context.js';

export async function runSampleWasm(io: Io, flags: { out?: string; json?: boolean }): Promise<number> {
	const {
		rococoRuntime,
		writeRococoWasm,
		writeAssetHubWasm,
		assetHubCode,
		ASSET_HUB_SPEC_MODULE,
		GENESIS_RUNTIMES,
		genesisRuntimeCode,
		bumpedGenesisRuntimeCode,
		writeGenesisRuntimeWasm,
	} = await import('../../artifact/embedded-runtimes.js');
	const { blake2AsHex } = await import('@polkadot/util-crypto');
	const dir = path.resolve(flags.out ?? '.');
	const files = ([9130, 9140] as const).map((version) => {
		const file = writeRococoWasm(version, dir);
		const { code, specPath } = rococoRuntime(version);
		return { specVersion: version, path: file, bytes: code.length, codeHash: blake2AsHex(code, 256), from: specPath };
	});
	// The asset hub of the embedded network: statemine 900 as its genesis holds it, and the byte-different copy the sample ships.
	const hub = (['genesis', 'rebuilt'] as const).map((which) => {
		const file = writeAssetHubWasm(dir, which);
		const code = assetHubCode(which);
		return { specName: 'statemine', specVersion: 900, which, path: file, bytes: code.length, codeHash: blake2AsHex(code, 256) };
	});
	// The embedded genesis chains' runtimes (real), and the same code with its spec version raised by one (the payload).
	const genesis = (['kusama-1020', 'polkadot-0'] as const).flatMap((chain) =>
		(['genesis', 'bumped'] as const).map((which) => {
			const facts = GENESIS_RUNTIMES[chain];
			const code = which === 'genesis' ? genesisRuntimeCode(chain) : bumpedGenesisRuntimeCode(chain);
			const specVersion = which === 'genesis' ? facts.specVersion : facts.bumped;
			const file = writeGenesisRuntimeWasm(chain, which, dir);
			return {
				chain,
				specName: facts.specName,
				specVersion,
				which,
				path: file,
				bytes: code.length,
				codeHash: blake2AsHex(code, 256),
			};
		}),
	);
	if (flags.json) io.stdout(JSON.stringify({ files, assetHub: hub, genesisChains: genesis }));
	else {
		for (const f of files)
			io.stdout(
				`rococo ${f.specVersion}: ${f.path} (${f.bytes.toLocaleString('en-US')} bytes, code hash ${f.codeHash})\n  from the genesis :code of ${f.from}`,
			);
		for (const f of hub)
			io.stdout(
				`statemine 900 (${f.which === 'genesis' ? "the asset hub's genesis code" : 'rebuilt: the same runtime with a custom section appended, a new code hash, spec still 900'}): ${f.path} (${f.bytes.toLocaleString('en-US')} bytes, code hash ${f.codeHash})${f.which === 'genesis' ? `\n  from the genesis :code of ${ASSET_HUB_SPEC_MODULE}` : ''}`,
			);
		for (const f of genesis)
			io.stdout(
				`${f.specName} ${f.specVersion} (${f.which === 'genesis' ? `the genesis runtime of embedded:${f.chain}` : `the same code with its spec version raised by one: the upgrade for embedded:${f.chain}`}): ${f.path} (${f.bytes.toLocaleString('en-US')} bytes, code hash ${f.codeHash})`,
			);
	}
	return EXIT.ok;
}
