/**
 * Reading what the reviewer typed: a target (motion, referendum, external,
 * preimage), a vote, a conviction, a balance. Pure; bad input throws
 * ReviewInputError with what to type instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hexToU8a } from '@polkadot/util';
import type { Hex } from '../domain/types.js';
import { UserError } from '../errors.js';
import { COLLECTIVE_TITLE } from '../chain/pallets/collective.js';
import { CONVICTIONS, type Collective, type Conviction, type ReferendumPallet, type ReviewTarget } from './types.js';

export class ReviewInputError extends UserError {
	constructor(message: string, hint?: string) {
		super(message, hint);
		this.name = 'ReviewInputError';
	}
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const INDEX = /^\d{1,9}$/;

const COLLECTIVES: Record<string, Collective> = {
	council: 'council',
	technicalcommittee: 'technicalCommittee',
	tc: 'technicalCommittee',
	'technical-committee': 'technicalCommittee',
	collective: 'collective',
};

const PALLETS: Record<string, ReferendumPallet> = {
	democracy: 'democracy',
	gov1: 'democracy',
	referenda: 'referenda',
	opengov: 'referenda',
};

export const TARGET_USAGE =
	'--motion HASH|INDEX (or council:INDEX, tc:INDEX, collective:INDEX), --referendum INDEX (or democracy:INDEX, opengov:INDEX, external), --preimage HASH, --multisig CALLHASH, or --call FILE|0xHEX';

/**
 * `--call`: call data as 0x-hex, or a file holding it as 0x-hex text (the `.call` files proposal
 * builders write) or as raw bytes.
 */
export function parseCall(value: string): ReviewTarget {
	const v = value.trim();
	const hex = (text: string, from: string): Uint8Array => {
		const t = text.trim();
		if (!/^0x([0-9a-fA-F]{2})+$/.test(t))
			throw new ReviewInputError(`${from} is not 0x-hex call data`, 'pass the call as 0x followed by an even number of hex digits');
		return hexToU8a(t);
	};
	if (v.startsWith('0x'))
		return { kind: 'call', bytes: hex(v, '--call'), source: `call data ${v.length > 22 ? `${v.slice(0, 12)}…${v.slice(-6)}` : v}` };
	if (!existsSync(v))
		throw new ReviewInputError(
			`--call ${v}: no such file, and not 0x-hex`,
			'pass a file with the call (0x-hex text or raw bytes) or the call as 0x…',
		);
	const raw = readFileSync(v);
	const text = raw.toString('utf8').trim();
	const bytes = /^0x[0-9a-fA-F]*$/.test(text) ? hex(text, v) : new Uint8Array(raw);
	if (bytes.length === 0) throw new ReviewInputError(`${v} is empty`, 'pass the file that holds the call data');
	return { kind: 'call', bytes, source: `call data from ${v}` };
}

function splitPrefix(value: string): [string | undefined, string] {
	const at = value.indexOf(':');
	if (at < 0 || value.startsWith('0x')) return [undefined, value];
	return [value.slice(0, at).toLowerCase(), value.slice(at + 1)];
}

export function parseMotion(value: string): ReviewTarget {
	const [prefix, rest] = splitPrefix(value.trim());
	let collective: Collective | undefined;
	if (prefix !== undefined) {
		collective = COLLECTIVES[prefix];
		if (!collective)
			throw new ReviewInputError(
				`unknown collective "${prefix}" in --motion ${value}`,
				'use council:INDEX or tc:INDEX (technical committee), or a motion hash',
			);
	}
	if (HASH.test(rest)) return { kind: 'motion', ...(collective ? { collective } : {}), hash: rest.toLowerCase() as Hex };
	if (INDEX.test(rest)) return { kind: 'motion', ...(collective ? { collective } : {}), index: Number(rest) };
	throw new ReviewInputError(
		`--motion ${value} is neither a motion hash (0x + 64 hex digits) nor a motion index`,
		'e.g. --motion 0x1f2e…(64 hex digits), --motion 3, or --motion tc:0',
	);
}

export function parseReferendum(value: string): ReviewTarget {
	const v = value.trim();
	if (v.toLowerCase() === 'external' || v.toLowerCase() === 'democracy:external') return { kind: 'external' };
	const [prefix, rest] = splitPrefix(v);
	let pallet: ReferendumPallet | undefined;
	if (prefix !== undefined) {
		pallet = PALLETS[prefix];
		if (!pallet)
			throw new ReviewInputError(
				`unknown referendum kind "${prefix}" in --referendum ${value}`,
				'use democracy:INDEX (gov v1) or opengov:INDEX (Referenda pallet)',
			);
	}
	if (!INDEX.test(rest))
		throw new ReviewInputError(
			`--referendum ${value} is not a referendum index`,
			'e.g. --referendum 12, --referendum opengov:12, or --referendum external (democracy NextExternal)',
		);
	return { kind: 'referendum', ...(pallet ? { pallet } : {}), index: Number(rest) };
}

export function parseMultisig(value: string): ReviewTarget {
	const v = value.trim();
	if (!HASH.test(v))
		throw new ReviewInputError(
			`--multisig ${value} is not a call hash`,
			'a multisig operation is named by the blake2-256 of the call it dispatches: 0x followed by 64 hex digits',
		);
	return { kind: 'multisig', hash: v.toLowerCase() as Hex };
}

export function parsePreimage(value: string): ReviewTarget {
	const v = value.trim();
	if (!HASH.test(v))
		throw new ReviewInputError(
			`--preimage ${value} is not a call hash`,
			'a preimage hash is 0x followed by 64 hex digits (blake2-256 of the encoded call)',
		);
	return { kind: 'preimage', hash: v.toLowerCase() as Hex };
}

/** Exactly one of the three flags. */
export function parseTargetFlags(flags: {
	motion?: string;
	referendum?: string;
	preimage?: string;
	call?: string;
	multisig?: string;
}): ReviewTarget {
	const given = (['motion', 'referendum', 'preimage', 'call', 'multisig'] as const).filter(
		(k) => flags[k] !== undefined && flags[k] !== '',
	);
	if (given.length === 0) throw new ReviewInputError('nothing to review', `pass one of ${TARGET_USAGE}`);
	if (given.length > 1)
		throw new ReviewInputError(`review one thing at a time (got --${given.join(' and --')})`, `pass one of ${TARGET_USAGE}`);
	if (flags.motion) return parseMotion(flags.motion);
	if (flags.referendum) return parseReferendum(flags.referendum);
	if (flags.call) return parseCall(flags.call);
	if (flags.multisig) return parseMultisig(flags.multisig);
	return parsePreimage(flags.preimage!);
}

/**
 * The TUI's one-line form: "motion 3", "motion tc:0", "referendum 2",
 * "opengov 1", "democracy 0", "external", "preimage 0x…", or a bare hash
 * (a motion hash or preimage hash is found by looking).
 */
export function parseTargetText(text: string): ReviewTarget {
	const words = text.trim().split(/\s+/).filter(Boolean);
	if (words.length === 0)
		throw new ReviewInputError(
			'type what to review',
			'e.g. "referendum 0", "opengov 1", "motion 3", "motion tc:0", "preimage 0x…", "external"',
		);
	const [head, ...rest] = words;
	const arg = rest.join('');
	switch (head!.toLowerCase()) {
		case 'motion':
		case 'm':
			return parseMotion(arg);
		case 'council':
		case 'tc':
			return parseMotion(`${head}:${arg}`);
		case 'referendum':
		case 'ref':
		case 'r':
			return parseReferendum(arg);
		case 'democracy':
		case 'opengov':
		case 'referenda':
			return parseReferendum(`${head}:${arg}`);
		case 'external':
			return { kind: 'external' };
		case 'preimage':
		case 'p':
			return parsePreimage(arg);
		case 'call':
			return parseCall(rest.join(' '));
		case 'multisig':
			return parseMultisig(arg);
	}
	if (words.length === 1 && HASH.test(head!)) return parsePreimage(head!);
	throw new ReviewInputError(
		`cannot read "${text}" as a target`,
		'e.g. "referendum 0", "opengov 1", "motion 3", "motion tc:0", "preimage 0x…", "external", "multisig 0x…", "call FILE|0x…"',
	);
}

export function describeTarget(target: ReviewTarget): string {
	switch (target.kind) {
		case 'motion': {
			const who = target.collective ? `${COLLECTIVE_TITLE[target.collective].toLowerCase()} motion` : 'motion';
			return target.hash ? `${who} ${target.hash}` : `${who} ${target.index}`;
		}
		case 'referendum':
			return `referendum ${target.index}${target.pallet === 'referenda' ? ' (OpenGov)' : target.pallet === 'democracy' ? ' (democracy)' : ''}`;
		case 'external':
			return 'the external proposal (democracy NextExternal)';
		case 'preimage':
			return `preimage ${target.hash}`;
		case 'call':
			return target.source;
		case 'multisig':
			return `multisig operation ${target.hash}`;
	}
}

export function parseVoteFlag(value: string | undefined): boolean | undefined {
	if (value === undefined || value === '') return undefined;
	const v = value.trim().toLowerCase();
	if (v === 'aye' || v === 'yes') return true;
	if (v === 'nay' || v === 'no') return false;
	throw new ReviewInputError(`--vote ${value} is not a vote`, 'use --vote aye or --vote nay');
}

export function parseConviction(value: string | undefined): Conviction {
	if (value === undefined || value === '') return 'Locked1x';
	const v = value.trim().toLowerCase();
	const found = CONVICTIONS.find(
		(c) => c.toLowerCase() === v || c.toLowerCase() === `locked${v}` || (v === '0' || v === '0.1x' ? c === 'None' : false),
	);
	if (!found)
		throw new ReviewInputError(`--conviction ${value} is not a conviction`, `use one of ${CONVICTIONS.join(', ')} (or 1x … 6x)`);
	return found;
}

/**
 * A balance in whole tokens ("1000", "0.5", "1000 DEV") into planck, with the
 * chain's decimals. Refuses more decimals than the chain has.
 */
export function parseBalance(value: string | undefined, decimals: number, symbol?: string): bigint {
	if (value === undefined || value.trim() === '')
		throw new ReviewInputError(
			'a referendum vote needs an amount (--balance)',
			`the amount of ${symbol ?? 'tokens'} to vote with, in whole tokens, e.g. --balance 100`,
		);
	let v = value.trim().replace(/_/g, '').replace(/,/g, '');
	if (symbol && v.toLowerCase().endsWith(symbol.toLowerCase())) v = v.slice(0, -symbol.length).trim();
	const m = /^(\d+)(?:\.(\d+))?$/.exec(v);
	if (!m) throw new ReviewInputError(`--balance ${value} is not an amount`, `an amount in whole ${symbol ?? 'tokens'}, e.g. 100 or 0.5`);
	const frac = m[2] ?? '';
	if (frac.length > decimals)
		throw new ReviewInputError(`--balance ${value} has more than ${decimals} decimals`, `the chain's token has ${decimals} decimals`);
	const planck = BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt((frac + '0'.repeat(decimals)).slice(0, decimals) || '0');
	if (planck === 0n) throw new ReviewInputError('a vote of 0 counts for nothing', 'vote with a positive amount');
	return planck;
}

/** planck → "1,000.5 DEV" (trailing zeros dropped). */
export function isHash(value: string): value is Hex {
	return HASH.test(value);
}
