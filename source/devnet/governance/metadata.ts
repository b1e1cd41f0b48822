/**
 * The metadata the governance devnet serves: the real kitchensink ("substrate
 * node") metadata from @polkadot/types-support, with the constants the devnet
 * changes rewritten so `api.consts.*` tells the truth about the simulation.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { compactAddLength, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
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

/**
 * The Proxy pallet follows Polkadot's runtime 9410 (paritytech/polkadot
 * runtime/polkadot/src/lib.rs, the last Polkadot runtime with both Gov1 and
 * OpenGov, like this devnet) rather than the kitchensink's: its `ProxyType`
 * (same indices, 4 skipped as Polkadot skips it) and InstanceFilter
 * (pallets/proxy.ts), and its deposits.
 */
export const PROXY_TYPES: ReadonlyArray<readonly [name: string, index: number]> = [
	['Any', 0],
	['NonTransfer', 1],
	['Governance', 2],
	['Staking', 3],
	// 4 was SudoBalances, removed
	['IdentityJudgement', 5],
	['CancelProxy', 6],
	['Auction', 7],
	['NominationPools', 8],
];

/**
 * Polkadot's proxy deposits (`deposit(items, bytes) = items × 20 DOT + bytes × 100 millicents`),
 * in the devnet's token: 1 DEV = 10^12 planck stands for 1 DOT.
 */
const DEV = 1_000_000_000_000n;
const polkadotDeposit = (items: bigint, bytes: bigint) => items * 20n * DEV + (bytes * 100n * DEV) / 100_000n;
export const PROXY_DEPOSITS = {
	ProxyDepositBase: polkadotDeposit(1n, 8n),
	ProxyDepositFactor: polkadotDeposit(0n, 33n),
	AnnouncementDepositBase: polkadotDeposit(1n, 8n),
	AnnouncementDepositFactor: polkadotDeposit(0n, 66n),
} as const;

/** The kitchensink's own ProxyType and proxy deposits (`deposit(1, 8)`, `deposit(0, 33)`, `deposit(0, 66)`), replaced below. */
const KITCHENSINK_PROXY_TYPES = ['Any', 'NonTransfer', 'Governance', 'Staking'];
const KITCHENSINK_PROXY_DEPOSITS: Record<keyof typeof PROXY_DEPOSITS, bigint> = {
	ProxyDepositBase: 63_000_000_000_000n,
	ProxyDepositFactor: 198_000_000_000_000n,
	AnnouncementDepositBase: 63_000_000_000_000n,
	AnnouncementDepositFactor: 396_000_000_000_000n,
};

/** `needle`'s one occurrence in `hay`, replaced by `by` (a change of the kitchensink metadata fails loudly). */
function replaceOnce(hay: Buffer, needle: Uint8Array, by: Uint8Array, what: string): Buffer {
	const at = hay.indexOf(needle);
	if (at < 0 || hay.indexOf(needle, at + 1) >= 0) throw new Error(`the kitchensink metadata does not have exactly one ${what}`);
	return Buffer.concat([hay.subarray(0, at), by, hay.subarray(at + needle.length)]);
}

/**
 * The kitchensink metadata with Polkadot's ProxyType and proxy deposits, patched
 * in its bytes (decoding and re-encoding the whole metadata would add seconds
 * to every start). Same type ids and type count, so upgrade checks still hold.
 */
function devnetBaseMetadata(): Uint8Array {
	const r = new TypeRegistry();
	const proxyType = (variants: ReadonlyArray<readonly [string, number]>) =>
		r
			.createType('Si1Type', {
				path: ['kitchensink_runtime', 'ProxyType'],
				params: [],
				def: { variant: { variants: variants.map(([name, index]) => ({ name, fields: [], index, docs: [] })) } },
				docs: [],
			})
			.toU8a();
	let bytes: Buffer = Buffer.from(hexToU8a(STATIC_METADATA_HEX));
	bytes = replaceOnce(bytes, proxyType(KITCHENSINK_PROXY_TYPES.map((n, i) => [n, i])), proxyType(PROXY_TYPES), 'kitchensink ProxyType');
	const u128TypeId = 6;
	const constant = (name: string, value: bigint) =>
		u8aConcat(
			r.createType('Text', name).toU8a(),
			r.createType('Compact<u32>', u128TypeId).toU8a(),
			compactAddLength(r.createType('u128', value).toU8a()),
		);
	for (const [name, value] of Object.entries(PROXY_DEPOSITS)) {
		const old = KITCHENSINK_PROXY_DEPOSITS[name as keyof typeof PROXY_DEPOSITS];
		bytes = replaceOnce(bytes, constant(name, old), constant(name, value), `Proxy.${name} constant`);
	}
	return bytes;
}

let baseRegistry: { registry: TypeRegistry; metadata: Metadata } | undefined;

/**
 * A registry over the kitchensink metadata with the Proxy pallet's types and
 * deposits of Polkadot (types are the same in every devnet metadata).
 */
export function kitchensinkRegistry(): { registry: TypeRegistry; metadata: Metadata } {
	if (!baseRegistry) {
		const registry = new TypeRegistry();
		const metadata = new Metadata(registry, devnetBaseMetadata());
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
