/**
 * Metadata before v11 (Kusama 1020 has v9) says nothing about the extrinsic
 * format, and @polkadot/types reads that as extrinsic version 0: every
 * extrinsic built or decoded without an explicit version (block bodies,
 * chopsticks' inherents) fails with "Unsupported unsigned extrinsic version
 * 0". Those runtimes use version 4 (the format since 2019). This sets the
 * registry's extrinsic versions to [4] when the metadata gave none (or 0);
 * other registries are left alone. The same fix serves chopsticks' block
 * registry (source/devnet/genesis-chains.ts) and an @polkadot/api registry.
 */
import type { Registry } from '@polkadot/types/types';

export const LEGACY_EXTRINSIC_VERSION = 4;

/** True when the registry's metadata named no extrinsic version (or 0) and it now says 4. */
export function applyLegacyExtrinsicVersion(registry: Registry): boolean {
	const extrinsic = registry.metadata.extrinsic;
	const first = extrinsic.versions.length > 0 ? Number(extrinsic.versions[0]) : 0;
	if (first !== 0) return false;
	// The metadata struct's fields are getters; this instance's `versions` is replaced, nothing else.
	Object.defineProperty(extrinsic, 'versions', {
		value: registry.createType('Vec<u8>', [LEGACY_EXTRINSIC_VERSION]),
		configurable: true,
	});
	return true;
}
