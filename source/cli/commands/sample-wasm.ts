/**
 * `release-console sample-wasm [--out DIR] [--json]`: write the two real Rococo
 * runtimes this package carries (9130, the embedded chain's genesis; 9140, the
 * sample release's artifact) as files, so the README's headless examples can be
 * followed with `--wasm`. They come from npm packages installed with
 * release-console (the genesis `:code` of their Rococo chain specs); nothing is
 * downloaded.
 */
import path from 'node:path';
import { EXIT, type Io } from './context.js';

export async function runSampleWasm(io: Io, flags: { out?: string; json?: boolean }): Promise<number> {
	const { rococoRuntime, writeRococoWasm } = await import('../../artifact/embedded-runtimes.js');
	const { blake2AsHex } = await import('@polkadot/util-crypto');
	const dir = path.resolve(flags.out ?? '.');
	const files = ([9130, 9140] as const).map((version) => {
		const file = writeRococoWasm(version, dir);
		const { code, specPath } = rococoRuntime(version);
		return { specVersion: version, path: file, bytes: code.length, codeHash: blake2AsHex(code, 256), from: specPath };
	});
	if (flags.json) io.stdout(JSON.stringify({ files }));
	else
		for (const f of files)
			io.stdout(
				`rococo ${f.specVersion}: ${f.path} (${f.bytes.toLocaleString('en-US')} bytes, code hash ${f.codeHash})\n  from the genesis :code of ${f.from}`,
			);
	return EXIT.ok;
}
