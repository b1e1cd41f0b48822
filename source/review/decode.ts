/**
 * Walking a decoded call down to the runtime upgrade inside it. Pure: it
 * takes a call already decoded by the chain's registry and says what it
 * finds — upgrade calls, nested calls, and references to other calls by hash
 * (Lookup / Legacy bounded calls, fast-track and whitelist hashes) that the
 * chain side (fetch.ts) must resolve. It never reads the chain.
 */
import type { Call } from '@polkadot/types/interfaces';
import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { callOneLine } from '../chain/call-text.js';
import { boundedParts, isBounded, type BoundedLike, type BoundedParts } from '../chain/pallets/common.js';
import type { Hex } from '../domain/types.js';
import type { UpgradeFinding, UpgradeKind } from './types.js';

/** A reference to a call held elsewhere (preimage pallet, NextExternal). */
export type CallRef =
	/** A `Bounded` call: Lookup { hash, len }, Legacy { hash } or Inline(bytes). */
	| ({ kind: 'bounded'; from: string } & BoundedParts)
	/** democracy.fastTrack(proposal_hash): the external proposal with this hash. */
	| { kind: 'external-hash'; hash: Hex; from: string }
	/** A call hash with maybe a length (whitelist calls): looked up in the preimage pallet. */
	| { kind: 'preimage-hash'; hash: Hex; len?: number; from: string };

export interface WalkedCall {
	/** "section.method" */
	name: string;
	/** One line with large byte arguments summarised. */
	line: string;
	callHash: Hex;
	encodedLength: number;
	upgrade?: Omit<UpgradeFinding, 'path'>;
	children: WalkedCall[];
	refs: CallRef[];
	/** Things worth telling the reviewer about this call (e.g. a whitelisted call to check). */
	notes: string[];
	/** For dispatchWhitelistedCallWithPreimage: the inner call's hash, to check Whitelist.WhitelistedCall. */
	whitelistCheck?: Hex;
}

interface CodecLike {
	toU8a: (bare?: boolean) => Uint8Array;
	toString: () => string;
	toHex?: () => string;
}

function isCall(value: unknown): value is Call {
	const v = value as Partial<Call> | undefined;
	return Boolean(v && typeof v.section === 'string' && typeof v.method === 'string' && Array.isArray(v.args));
}

/** A Bounded call as a reference to resolve. */
export function boundedRef(value: BoundedLike, from: string): CallRef {
	return partsRef(boundedParts(value), from);
}

/** A Bounded call already read (e.g. by chain/pallets) as a reference to resolve. */
export function partsRef(parts: BoundedParts, from: string): CallRef {
	return { kind: 'bounded', ...parts, from };
}

const UPGRADES: Record<string, UpgradeKind> = {
	'system.setCode': 'system.setCode',
	'system.setCodeWithoutChecks': 'system.setCodeWithoutChecks',
	'system.applyAuthorizedUpgrade': 'system.applyAuthorizedUpgrade',
	'system.authorizeUpgrade': 'system.authorizeUpgrade',
	'system.authorizeUpgradeWithoutChecks': 'system.authorizeUpgradeWithoutChecks',
	'parachainSystem.authorizeUpgrade': 'parachainSystem.authorizeUpgrade',
	'parachainSystem.enactAuthorizedUpgrade': 'parachainSystem.enactAuthorizedUpgrade',
};

function argNamed(call: Call, name: string): unknown {
	const i = call.meta.args.findIndex(
		(a) => a.name.toString() === name || a.name.toString() === name.replace(/([A-Z])/g, '_$1').toLowerCase(),
	);
	return i >= 0 ? call.args[i] : undefined;
}

function upgradeOf(call: Call, name: string): Omit<UpgradeFinding, 'path'> | undefined {
	const kind = UPGRADES[name];
	if (!kind) return undefined;
	const callHash = blake2AsHex(call.toU8a(), 256) as Hex;
	const first = call.args[0] as unknown as CodecLike;
	if (
		kind === 'system.authorizeUpgrade' ||
		kind === 'system.authorizeUpgradeWithoutChecks' ||
		kind === 'parachainSystem.authorizeUpgrade'
	) {
		const checkVersion =
			kind === 'parachainSystem.authorizeUpgrade'
				? (call.args[1] as unknown as { isTrue?: boolean; valueOf: () => unknown })?.valueOf() === true
				: undefined;
		return {
			kind,
			carriesCode: false,
			codeHash: u8aToHex(first.toU8a(true)) as Hex,
			callHash,
			...(checkVersion === undefined ? {} : { checkVersion }),
		};
	}
	// setCode, setCodeWithoutChecks, applyAuthorizedUpgrade, enactAuthorizedUpgrade: Bytes of the code.
	const code = first.toU8a(true);
	return { kind, carriesCode: true, codeHash: blake2AsHex(code, 256) as Hex, codeLength: code.length, callHash };
}

/** The code bytes of a setCode-like call (for reading its version). */
export function codeOf(call: Call): Uint8Array | undefined {
	const name = `${call.section}.${call.method}`;
	const kind = UPGRADES[name];
	if (!kind || kind.includes('uthorizeUpgrade')) return undefined;
	return (call.args[0] as unknown as CodecLike).toU8a(true);
}

/** Walk one call and everything inline below it. */
export function walkCall(call: Call, depth = 0): WalkedCall {
	const name = `${call.section}.${call.method}`;
	const u8a = call.toU8a();
	const node: WalkedCall = {
		name,
		line: callOneLine(call),
		callHash: blake2AsHex(u8a, 256) as Hex,
		encodedLength: u8a.length,
		children: [],
		refs: [],
		notes: [],
	};
	const upgrade = upgradeOf(call, name);
	if (upgrade) node.upgrade = upgrade;
	if (depth > 16) {
		node.notes.push('nested too deep to follow');
		return node;
	}
	// Calls that name another call by hash only.
	if (name === 'democracy.fastTrack') {
		node.refs.push({ kind: 'external-hash', hash: u8aToHex((call.args[0] as unknown as CodecLike).toU8a(true)) as Hex, from: name });
	} else if (name === 'whitelist.whitelistCall') {
		node.refs.push({ kind: 'preimage-hash', hash: u8aToHex((call.args[0] as unknown as CodecLike).toU8a(true)) as Hex, from: name });
	} else if (name === 'whitelist.dispatchWhitelistedCall') {
		const len = (argNamed(call, 'callEncodedLen') ?? call.args[1]) as unknown as { toNumber: () => number };
		node.refs.push({
			kind: 'preimage-hash',
			hash: u8aToHex((call.args[0] as unknown as CodecLike).toU8a(true)) as Hex,
			len: len.toNumber(),
			from: name,
		});
	}
	for (const arg of call.args) {
		if (isCall(arg)) {
			node.children.push(walkCall(arg, depth + 1));
		} else if (Array.isArray(arg) && arg.length > 0 && isCall(arg[0])) {
			for (const inner of arg as unknown as Call[]) node.children.push(walkCall(inner, depth + 1));
		} else if (isBounded(arg)) {
			node.refs.push(boundedRef(arg, name));
		}
	}
	if (name === 'whitelist.dispatchWhitelistedCallWithPreimage' && node.children[0]) {
		node.whitelistCheck = node.children[0].callHash;
	}
	return node;
}
