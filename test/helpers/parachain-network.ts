/**
 * Relay and asset hub together, for chain-layer tests: source/devnet/network.ts's
 * `startRococoNetwork` in manual block mode (Rococo 9130 with its rehearsal
 * set-up, statemine 900 as para 1000, joined with `connectVertical`, in memory),
 * and the asset hub codes of source/artifact/embedded-runtimes.ts.
 */
import { startRococoNetwork, type RococoNetwork } from '../../source/devnet/network.js';

export { assetHubGenesisCode, byteDifferentAssetHubCode } from '../../source/artifact/embedded-runtimes.js';

export type TestNetwork = RococoNetwork;
export type TestChain = RococoNetwork['relay'];

/** The network with blocks built only when a test asks (`newBlocks`, dev_newBlock). */
export function startTestParachainNetwork(): Promise<TestNetwork> {
	return startRococoNetwork({ blockTime: 'manual' });
}
