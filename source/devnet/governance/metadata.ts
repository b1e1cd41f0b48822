/**
 * The metadata the governance devnet serves: the real kitchensink ("substrate
 * node") metadata from @polkadot/types-support, with the constants the devnet
 * changes rewritten so `api.consts.*` tells the truth about the simulation.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import staticSubstrate from '@polkadot/types-support/metadata/static-substrate';

/** Governance periods, in blocks. Defaults are short so a rehearsal takes seconds. */
export interface GovernancePeriods {
	/** Democracy.LaunchPeriod: how often the next external/public proposal is tabled. */
	launchPeriod: number;
	/** Democracy.VotingPeriod. */
	votingPeriod: number;
	/** Democracy.FastTrackVotingPeriod: the shortest voting period FastTrackOrigin may pick. */
	fastTrackVotingPeriod: number;
	/** Democracy.EnactmentPeriod. */
	enactmentPeriod: number;
	/** Democracy.CooloffPeriod. */
	cooloffPeriod: number;
	/** Democracy.VoteLockingPeriod. */
	voteLockingPeriod: number;
	/** Council / TechnicalCommittee MotionDuration (not a metadata constant in the kitchensink). */
	motionDuration: number;
	/** ConvictionVoting.VoteLockingPeriod. */
	convictionVoteLockingPeriod: number;
	/** Referenda.UndecidingTimeout. */
	undecidingTimeout: number;
	/** Referenda root track periods (Referenda.Tracks). */
	trackPreparePeriod: number;
	trackDecisionPeriod: number;
	trackConfirmPeriod: number;
	trackMinEnactmentPeriod: number;
}

export const DEFAULT_PERIODS: GovernancePeriods = {
	launchPeriod: 10,
	votingPeriod: 10,
	fastTrackVotingPeriod: 3,
	enactmentPeriod: 2,
	cooloffPeriod: 10,
	voteLockingPeriod: 10,
	motionDuration: 10,
	convictionVoteLockingPeriod: 10,
	undecidingTimeout: 20,
	// The kitchensink's own root track is already short; keep its values by default.
	trackPreparePeriod: 4,
	trackDecisionPeriod: 4,
	trackConfirmPeriod: 2,
	trackMinEnactmentPeriod: 4,
};

/**
 * Periods for a chain paced by a person (blocks built when someone acts and
 * when they ask, `instant` mode): long enough that nothing expires while a
 * prompt is open or a person reads, since the console's fast-forward key
 * skips to the next block where something can happen. The launch period is
 * far longer than a fast-track takes, so a rehearsal never loses its
 * fast-track to the next launch.
 */
export const PACED_PERIODS: GovernancePeriods = {
	launchPeriod: 1000,
	votingPeriod: 50,
	fastTrackVotingPeriod: 10,
	enactmentPeriod: 10,
	cooloffPeriod: 100,
	voteLockingPeriod: 10,
	motionDuration: 200,
	convictionVoteLockingPeriod: 10,
	undecidingTimeout: 400,
	trackPreparePeriod: 4,
	trackDecisionPeriod: 50,
	trackConfirmPeriod: 4,
	trackMinEnactmentPeriod: 4,
};

export const STATIC_METADATA_HEX = staticSubstrate as `0x${string}`;

let baseRegistry: { registry: TypeRegistry; metadata: Metadata } | undefined;

/** A registry over the unmodified kitchensink metadata (types are the same in every devnet metadata). */
export function kitchensinkRegistry(): { registry: TypeRegistry; metadata: Metadata } {
	if (!baseRegistry) {
		const registry = new TypeRegistry();
		const metadata = new Metadata(registry, STATIC_METADATA_HEX);
		registry.setMetadata(metadata);
		// The kitchensink wraps its UncheckedExtrinsic, so @polkadot/types cannot infer these from the lookup.
		registry.register({ Address: 'MultiAddress', LookupSource: 'MultiAddress', ExtrinsicSignature: 'MultiSignature' });
		baseRegistry = { registry, metadata };
	}
	return baseRegistry;
}

export interface RuntimeVersionJson {
	specName: string;
	implName: string;
	authoringVersion: number;
	specVersion: number;
	implVersion: number;
	apis: Array<[string, number]>;
	transactionVersion: number;
	stateVersion: number;
}

/** The kitchensink's own runtime version (System.Version constant). */
export function kitchensinkVersion(): RuntimeVersionJson {
	const { registry, metadata } = kitchensinkRegistry();
	const sys = metadata.asV14.pallets.find((p) => p.name.eq('System'))!;
	const c = sys.constants.find((x) => x.name.eq('Version'))!;
	return registry.createType(registry.createLookupType(c.type), c.value.toU8a(true)).toJSON() as unknown as RuntimeVersionJson;
}

export function encodeRuntimeVersion(version: RuntimeVersionJson): Uint8Array {
	const { registry, metadata } = kitchensinkRegistry();
	const sys = metadata.asV14.pallets.find((p) => p.name.eq('System'))!;
	const c = sys.constants.find((x) => x.name.eq('Version'))!;
	return registry.createType(registry.createLookupType(c.type), version).toU8a();
}

/**
 * Build the devnet metadata bytes (with the `meta` magic), rewriting:
 * System.Version (spec version), Democracy and ConvictionVoting periods,
 * Referenda.UndecidingTimeout and Referenda.Tracks (root track periods).
 */
export function buildDevnetMetadata(periods: GovernancePeriods, version: RuntimeVersionJson): Uint8Array {
	const { registry, metadata } = kitchensinkRegistry();
	const v14 = metadata.asV14;
	const json = v14.toJSON() as { pallets: Array<{ name: string; constants: Array<{ name: string; type: number; value: string }> }> };
	const encodeAs = (typeId: number, value: unknown): string =>
		u8aToHex(registry.createType(registry.createLookupType(typeId), value).toU8a());
	const set = (pallet: string, constant: string, make: (type: number, current: Codec) => string) => {
		const p = json.pallets.find((x) => x.name === pallet);
		const c = p?.constants.find((x) => x.name === constant);
		if (!p || !c) throw new Error(`metadata has no constant ${pallet}.${constant}`);
		const current = registry.createType(registry.createLookupType(c.type), hexToU8a(c.value));
		c.value = make(c.type, current);
	};
	const u32 = (v: number) => (t: number) => encodeAs(t, v);
	set('System', 'Version', (t) => encodeAs(t, version));
	set('Democracy', 'LaunchPeriod', u32(periods.launchPeriod));
	set('Democracy', 'VotingPeriod', u32(periods.votingPeriod));
	set('Democracy', 'FastTrackVotingPeriod', u32(periods.fastTrackVotingPeriod));
	set('Democracy', 'EnactmentPeriod', u32(periods.enactmentPeriod));
	set('Democracy', 'CooloffPeriod', u32(periods.cooloffPeriod));
	set('Democracy', 'VoteLockingPeriod', u32(periods.voteLockingPeriod));
	set('ConvictionVoting', 'VoteLockingPeriod', u32(periods.convictionVoteLockingPeriod));
	set('Referenda', 'UndecidingTimeout', u32(periods.undecidingTimeout));
	set('Referenda', 'Tracks', (t, current) => {
		const tracks = current.toJSON() as Array<[number, Record<string, unknown>]>;
		for (const [, info] of tracks) {
			info.preparePeriod = periods.trackPreparePeriod;
			info.decisionPeriod = periods.trackDecisionPeriod;
			info.confirmPeriod = periods.trackConfirmPeriod;
			info.minEnactmentPeriod = periods.trackMinEnactmentPeriod;
		}
		return encodeAs(t, tracks);
	});
	const rebuilt = registry.createType('MetadataV14', json);
	// magic "meta" + version byte 14
	return u8aConcat(hexToU8a('0x6d657461'), Uint8Array.from([14]), rebuilt.toU8a());
}
