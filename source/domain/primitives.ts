/**
 * The release domain's primitive types, imported by types.ts and
 * alignment-types.ts alike (this module imports nothing, so the two never
 * import each other in a cycle).
 */

export type Hex = `0x${string}`;

/** The well-known storage key of a chain's runtime code, `:code` (hex of the ASCII bytes). */
export const CODE_KEY: Hex = '0x3a636f6465';

export type EnvironmentKind = 'local' | 'testnet' | 'production';

export type GateId =
	| 'spec-name'
	| 'spec-version'
	| 'artifact-integrity'
	| 'forward-compatible'
	| 'soak'
	// --- the upgrade dry-run on a fork of the environment's chain (rehearse) ---
	| 'fork-rehearsal'
	// --- a parachain's runtime against its relay (engine/routes/parachain.ts) ---
	| 'parachain'
	| 'code-size'
	// --- artifact hygiene (the checks the Fellowship's CI runs) ---
	| 'runtime-apis'
	| 'metadata-versions'
	| 'check-metadata-hash'
	// --- alignment (issue 6): gates of notes, attestations, sign-offs and the release train ---
	| 'transaction-version'
	| 'release-commit-on-branch'
	| 'audits'
	| 'pause'
	| 'signoffs'
	| 'testnet-soak';
