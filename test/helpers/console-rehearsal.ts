/**
 * A council-democracy release in a store of its own, against a governance
 * devnet in this process (instant blocks, a launch period the fast-track never
 * meets): what the console tests open with `initialScreen: release`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { openStore, type Store } from '../../source/store/store.js';
import { buildDevnetCode, startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { inspectArtifact, toArtifactInfo } from '../../source/artifact/inspect.js';
import { createRelease } from '../../source/domain/release.js';
import { validateEnvironment } from '../../source/domain/environments.js';
import { runCleanups } from '../../source/app/cleanup.js';
import { connect } from './governance.js';
import { tempHome } from './cli.js';

export interface ConsoleRehearsal {
	devnet: GovernanceDevnet;
	api: ApiPromise & { query: any };
	store: Store;
	home: string;
	/** The spec version the release's wasm upgrades to. */
	specVersion: number;
	releaseId: string;
	close: () => Promise<void>;
}

export async function councilRehearsal(o: { releaseId: string; name: string; homePrefix: string }): Promise<ConsoleRehearsal> {
	const devnet = await startGovernanceDevnet({ blockTime: 'instant', periods: { launchPeriod: 1000 } });
	const api = (await connect(devnet.endpoint)) as ApiPromise & { query: any };
	const home = tempHome(o.homePrefix);
	const store = openStore({ dir: home });
	const env = validateEnvironment({
		name: 'gov',
		endpoints: [devnet.endpoint],
		kind: 'local',
		route: 'council-democracy',
		soak: { minBlocks: 2, minSeconds: 0, maxStallSeconds: 600 },
	});
	if (!env.ok) throw new Error(env.errors.join());
	store.saveEnvironment(env.env);
	const specVersion = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() + 1;
	const wasm = path.join(home, 'next.wasm');
	writeFileSync(wasm, buildDevnetCode({ specVersion }));
	store.saveRelease(
		createRelease({
			id: o.releaseId,
			name: o.name,
			artifact: toArtifactInfo(await inspectArtifact(wasm), wasm),
			environments: [env.env],
			at: new Date().toISOString(),
		}),
	);
	return {
		devnet,
		api,
		store,
		home,
		specVersion,
		releaseId: o.releaseId,
		close: async () => {
			await runCleanups();
			await api.disconnect();
			await devnet.close();
		},
	};
}
