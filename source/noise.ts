/**
 * Known, harmless library chatter that would otherwise land in scripts' stderr
 * or on top of the console's frame: chopsticks-core pins @polkadot/util 13
 * beside @polkadot/api's 14 (they only talk JSON-RPC), and @polkadot/api
 * announces its metadata fallback and runtime upgrades (the chain panel shows
 * those). While a connection is down, @polkadot/api logs every failed request
 * (RPC-CORE … disconnected / not connected, Failed WS Request): the console
 * says it once in its own words ("connection lost", the panel's reconnecting
 * line). Converting metadata older than v14 (Kusama 1020, Polkadot 0), @polkadot/types
 * says "Unable to map [u8; 32] to a lookup index" for the fixed arrays it names
 * inline; the calls and storage it decorates are not affected. Call again after
 * Ink patches the console, so the filter runs first.
 */
const NOISE =
	/has multiple versions, ensure that there is only one installed|API\/INIT: (MetadataApi not available|Runtime version updated)|RPC-CORE: .*(disconnected from|WebSocket is not connected|Abnormal Closure)|^Failed WS Request:|^Unable to map \[u8; \d+\] to a lookup index$/;

export function filterLibraryNoise(): void {
	for (const level of ['warn', 'log', 'error'] as const) {
		const original = console[level] as typeof console.log & { noiseFiltered?: boolean };
		if (original.noiseFiltered) continue;
		const filtered = (...args: unknown[]) => {
			if (NOISE.test(args.map(String).join(' '))) return;
			original(...args);
		};
		console[level] = Object.assign(filtered, { noiseFiltered: true });
	}
}
