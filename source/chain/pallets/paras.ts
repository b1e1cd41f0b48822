/**
 * The relay chain's view of a parachain's upgrade (polkadot runtime-parachains
 * `paras` and `configuration`): is the para registered, which code it runs,
 * the code it will switch to and at which relay block, the PVF pre-check
 * votes, the cooldown, and the relay's limits on code size and upgrade timing.
 * Every item is read only where the relay's metadata has it (field names
 * differ by version: `validation_upgrade_frequency` became
 * `validation_upgrade_cooldown`; `pvf_active_vote_map` exists from PVF
 * pre-checking on).
 *
 * Also the relay-side size gate: `codeSizeGate`.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../../domain/types.js';
import { palletQuery, type HashCodec, type NumberCodec, type OptionCodec } from './common.js';

interface EnumCodec {
	type: string;
}
interface BitsCodec {
	toU8a(bare?: boolean): Uint8Array;
}
interface PvfVoteCodec {
	votesAccept: BitsCodec;
	votesReject: BitsCodec;
	age: NumberCodec;
	createdAt: NumberCodec;
}
interface HeadCodec {
	toU8a(bare?: boolean): Uint8Array;
}

interface ParasStorage {
	paraLifecycles?: (id: number) => Promise<OptionCodec<EnumCodec>>;
	heads?: (id: number) => Promise<OptionCodec<HeadCodec>>;
	currentCodeHash?: (id: number) => Promise<OptionCodec<HashCodec>>;
	futureCodeHash?: (id: number) => Promise<OptionCodec<HashCodec>>;
	futureCodeUpgrades?: (id: number) => Promise<OptionCodec<NumberCodec>>;
	upgradeGoAheadSignal?: (id: number) => Promise<OptionCodec<EnumCodec>>;
	upgradeRestrictionSignal?: (id: number) => Promise<OptionCodec<EnumCodec>>;
	upgradeCooldowns?: () => Promise<Array<[NumberCodec, NumberCodec]>>;
	pvfActiveVoteMap?: (hash: Hex) => Promise<OptionCodec<PvfVoteCodec>>;
}

type ConfigCodec = Record<string, NumberCodec | undefined>;

export interface PvfVotes {
	/** Validators that voted the code valid / invalid so far. */
	accept: number;
	reject: number;
	/** Sessions the vote has been running. */
	age: number;
	/** The relay block the vote started at. */
	createdAt: number;
}

export interface RelayParaFacts {
	/** `paras.paraLifecycles(id)` is set; undefined where the relay has no Paras pallet to ask. */
	known: boolean | undefined;
	/** e.g. "Parachain", "Parathread", "Onboarding", "UpgradingParathread". */
	lifecycle?: string;
	currentCodeHash?: Hex;
	/** The code the para will switch to, once the relay has accepted its upgrade signal. */
	futureCodeHash?: Hex;
	/** The relay block at (or after) which the future code applies. */
	futureCodeUpgradeAt?: number;
	/** The PVF pre-check vote on the future code, while it runs (relays with pre-checking). */
	pvfVotes?: PvfVotes;
	/** The relay block before which this para may not signal another upgrade (`paras.upgradeCooldowns`). */
	cooldownUntil?: number;
	/** `paras.upgradeGoAheadSignal(id)`: `GoAhead` or `Abort`, while the relay signals it. */
	goAhead?: string;
	/** `paras.upgradeRestrictionSignal(id)`: `Present` while an upgrade is not allowed. */
	restriction?: string;
	/** `configuration.activeConfig.maxCodeSize`, bytes (the compressed code as the para submits it). */
	maxCodeSize: number;
	/** Relay blocks between the relay accepting a new code and the para switching to it. */
	validationUpgradeDelay?: number;
	/** Relay blocks after an upgrade before the next may be signalled (`validationUpgradeCooldown`, `validationUpgradeFrequency` before). */
	validationUpgradeCooldown?: number;
	/**
	 * Does this relay run the para's side of an upgrade (include its candidates, so it sees the upgrade
	 * signal, pre-checks the PVF, schedules `futureCode…` and the go-ahead)? Decided from facts: the relay
	 * holds a head for the para (`paras.heads(id)`; a relay that includes the para's candidates records the
	 * head of each), and, when the para is given, that head is one of the para's recent blocks (no more than
	 * `HEAD_LAG_TOLERANCE` blocks behind its best: a relay that stopped including it, such as a fork, keeps a
	 * frozen head). On the embedded network the relay holds no head for the para (chopsticks' para-inherent
	 * carries no candidates): `false`, and the relay-side facts above are "not simulated here".
	 */
	simulated: boolean;
	/** Why `simulated` is what it is, in words. */
	simulatedBecause: string;
}

/** How far the relay's recorded head may lag the para's best block for the relay to count as following it. */
export const HEAD_LAG_TOLERANCE = 8;

function popcount(bytes: Uint8Array): number {
	let n = 0;
	for (let b of bytes) {
		while (b) {
			n += b & 1;
			b >>= 1;
		}
	}
	return n;
}

/** The relay's head for the para, decoded as a header of the para: its block number, and whether the para has that block. */
async function headFollowsPara(paraApi: ApiPromise, head: Uint8Array): Promise<{ ok: boolean; text: string }> {
	const header = paraApi.createType('Header', head) as unknown as { number: NumberCodec; hash: { toHex(): string } };
	const number = header.number.toNumber();
	const best = (await paraApi.rpc.chain.getHeader()).number.toNumber();
	const atNumber = number <= best ? (await paraApi.rpc.chain.getBlockHash(number)).toHex() : undefined;
	if (atNumber !== header.hash.toHex())
		return { ok: false, text: `the relay's head for the para (#${number}, ${header.hash.toHex()}) is not a block of the para's chain` };
	if (best - number > HEAD_LAG_TOLERANCE)
		return {
			ok: false,
			text: `the relay's head for the para is #${number}, ${best - number} blocks behind the para's best #${best}: the relay no longer includes its blocks`,
		};
	return { ok: true, text: `the relay's head for the para is its block #${number} (best #${best})` };
}

/** A relay's `configuration.activeConfig`; undefined on a chain that is no relay. */
async function activeConfig(api: ApiPromise): Promise<ConfigCodec | undefined> {
	const config = palletQuery<{ activeConfig?: () => Promise<ConfigCodec> }>(api, 'configuration');
	return config?.activeConfig ? config.activeConfig() : undefined;
}

/** A relay's `configuration.activeConfig.maxCodeSize`; undefined on a chain that is no relay. */
export async function relayMaxCodeSize(api: ApiPromise): Promise<number | undefined> {
	return (await activeConfig(api))?.['maxCodeSize']?.toNumber();
}

/**
 * What the relay knows about para `paraId`'s code and upgrades, and its limits. With `paraApi`,
 * `simulated` also checks the relay's recorded head against the para's chain.
 */
export async function relayParaFacts(relayApi: ApiPromise, paraId: number, paraApi?: ApiPromise): Promise<RelayParaFacts> {
	const paras = palletQuery<ParasStorage>(relayApi, 'paras');
	const active = await activeConfig(relayApi);
	if (!active) throw new Error('this chain has no configuration.activeConfig: it is not a relay chain');
	const num = (name: string) => active[name]?.toNumber();
	const cooldown = num('validationUpgradeCooldown') ?? num('validationUpgradeFrequency');
	const delay = num('validationUpgradeDelay');
	const facts: RelayParaFacts = {
		known: undefined,
		maxCodeSize: num('maxCodeSize') ?? 0,
		...(delay === undefined ? {} : { validationUpgradeDelay: delay }),
		...(cooldown === undefined ? {} : { validationUpgradeCooldown: cooldown }),
		simulated: false,
		simulatedBecause: 'the relay has no Paras pallet',
	};
	if (!paras) return facts;
	const some = async <T>(read: Promise<OptionCodec<T>> | undefined): Promise<T | undefined> => {
		const value = await read;
		return value?.isSome ? value.unwrap() : undefined;
	};
	const [lifecycle, head, current, future, upgradeAt, goAhead, restriction, cooldowns] = await Promise.all([
		some(paras.paraLifecycles?.(paraId)),
		some(paras.heads?.(paraId)),
		some(paras.currentCodeHash?.(paraId)),
		some(paras.futureCodeHash?.(paraId)),
		some(paras.futureCodeUpgrades?.(paraId)),
		some(paras.upgradeGoAheadSignal?.(paraId)),
		some(paras.upgradeRestrictionSignal?.(paraId)),
		paras.upgradeCooldowns?.(),
	]);
	if (paras.paraLifecycles) facts.known = lifecycle !== undefined;
	if (lifecycle) facts.lifecycle = lifecycle.type;
	if (current) facts.currentCodeHash = current.toHex() as Hex;
	if (future) facts.futureCodeHash = future.toHex() as Hex;
	if (upgradeAt) facts.futureCodeUpgradeAt = upgradeAt.toNumber();
	if (goAhead) facts.goAhead = goAhead.type;
	if (restriction) facts.restriction = restriction.type;
	const mine = cooldowns?.find(([id]) => id.toNumber() === paraId);
	if (mine) facts.cooldownUntil = mine[1].toNumber();
	if (facts.futureCodeHash && paras.pvfActiveVoteMap) {
		const vote = await some(paras.pvfActiveVoteMap(facts.futureCodeHash));
		if (vote)
			facts.pvfVotes = {
				accept: popcount(vote.votesAccept.toU8a(true)),
				reject: popcount(vote.votesReject.toU8a(true)),
				age: vote.age.toNumber(),
				createdAt: vote.createdAt.toNumber(),
			};
	}
	if (!paras.heads) {
		facts.simulatedBecause = 'the relay has no paras.heads to show whether it includes the para';
	} else if (!head) {
		facts.simulatedBecause = `the relay holds no head for para ${paraId} (paras.heads is empty): it does not include the para's blocks, so it never sees its upgrade`;
	} else if (paraApi) {
		const follows = await headFollowsPara(paraApi, head.toU8a(true));
		facts.simulated = follows.ok;
		facts.simulatedBecause = follows.text;
	} else {
		facts.simulated = true;
		facts.simulatedBecause = `the relay holds a head for para ${paraId} (paras.heads): it includes the para's blocks`;
	}
	return facts;
}

export interface CodeSizeGate {
	status: 'pass' | 'warn' | 'fail';
	/** e.g. "the code is 590,123 bytes, 18.8% of the relay's maxCodeSize 3,145,728 (warn from 80%, fail from 95%)" */
	text: string;
}

/** The Fellowship's thresholds for a runtime's size against the relay's `max_code_size`. */
export const CODE_SIZE_WARN_PERCENT = 80;
export const CODE_SIZE_FAIL_PERCENT = 95;

/**
 * Does a parachain code of `codeLen` bytes (compressed, as the para submits it: both the para's
 * `schedule_code_upgrade` and the relay compare that length with `max_code_size`) fit the relay?
 * Warn from 80% of `maxCodeSize`, fail from 95% (the Fellowship's thresholds). A relay that says
 * nothing (`maxCodeSize` 0) fails: nothing could be checked.
 */
export function codeSizeGate(codeLen: number, maxCodeSize: number): CodeSizeGate {
	const n = (x: number) => x.toLocaleString('en-US');
	if (!(maxCodeSize > 0))
		return { status: 'fail', text: `the relay gives no maxCodeSize: the code's ${n(codeLen)} bytes cannot be checked` };
	const percent = (codeLen / maxCodeSize) * 100;
	const shown = percent >= 99.95 && codeLen < maxCodeSize ? '99.9' : percent.toFixed(1);
	const text = `the code is ${n(codeLen)} bytes, ${shown}% of the relay's maxCodeSize ${n(maxCodeSize)} (warn from ${CODE_SIZE_WARN_PERCENT}%, fail from ${CODE_SIZE_FAIL_PERCENT}%)`;
	// Integer comparisons: exactly 80% warns, exactly 95% fails.
	if (codeLen * 100 >= maxCodeSize * CODE_SIZE_FAIL_PERCENT) {
		const over = codeLen > maxCodeSize ? `; it is over the limit by ${n(codeLen - maxCodeSize)} bytes, the relay would refuse it` : '';
		return { status: 'fail', text: `${text}${over}` };
	}
	if (codeLen * 100 >= maxCodeSize * CODE_SIZE_WARN_PERCENT) return { status: 'warn', text };
	return { status: 'pass', text };
}
