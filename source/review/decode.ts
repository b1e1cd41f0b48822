/**
 * Walking a decoded call down to the runtime upgrade inside it. Pure: it
 * takes a call already decoded by the chain's registry and says what it
 * finds — upgrade calls, nested calls, and references to other calls by hash
 * (Lookup / Legacy bounded calls, fast-track and whitelist hashes) that the
 * chain side (fetch.ts) must resolve. It never reads the chain.
 */
import type { Call } from '@polkadot/types/interfaces';
import { blake2AsHex } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { callOneLine } from '../chain/call-text.js';
import { destinationParaId } from '../chain/pallets/xcm.js';
import { boundedParts, isBounded, type BoundedLike, type BoundedParts } from '../chain/pallets/common.js';
import type { Hex } from '../domain/types.js';
import type { ReviewProblem, UpgradeFinding, UpgradeKind } from './types.js';
import { finding } from './findings.js';

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
	/** The chain this call runs on when it is not the reviewed one: carried by an XCM Transact, e.g. "para 1000". */
	destination?: string;
	/** Problems this call shows by itself (an upgrade in a Transact whose origin is not Superuser, a non-atomic batch). */
	lints: ReviewProblem[];
	/** For xcmPallet/polkadotXcm.send: the destination and the message's version (the chain side checks the destination supports it). */
	xcm?: { paraId?: number; version?: number };
}

/** A VersionedXcm's version and its instructions, from the chain's JSON ({ v3: [...] }). */
function versionedXcm(message: unknown): { version?: number; instructions: unknown[] } {
	if (!message || typeof message !== 'object') return { instructions: [] };
	const [key, value] = Object.entries(message as Record<string, unknown>)[0] ?? [];
	const m = /^v(\d+)$/i.exec(key ?? '');
	return { ...(m ? { version: Number(m[1]) } : {}), instructions: Array.isArray(value) ? value : [] };
}

/**
 * From v3 a system parachain's barrier lets the relay's message through only when it says it is unpaid:
 * a v3+ message (the chain's JSON, `{ v3: [...] }`) carrying an upgrade must start with UnpaidExecution.
 */
export function unpaidExecutionLint(message: unknown, where: string, callName: string): ReviewProblem | undefined {
	const { version, instructions } = versionedXcm(message);
	if ((version ?? 0) < 3 || instructionName(instructions[0]) === 'unpaidexecution') return undefined;
	return finding(
		'unpaid-execution',
		`the v${version} message to ${where} carrying ${callName} starts with ${instructionName(instructions[0]) || 'nothing'}, not UnpaidExecution: a barrier that allows only explicit unpaid execution from the relay (AllowExplicitUnpaidExecutionFrom) rejects it`,
	);
}

const instructionName = (i: unknown): string => (i && typeof i === 'object' ? (Object.keys(i)[0] ?? '') : String(i)).toLowerCase();

/**
 * Decodes the call an XCM `Transact` carries with the destination chain's metadata (an environment
 * for that chain); undefined when there is none: the bytes are then shown opaque, with their hash.
 */
export type RemoteDecoder = (paraId: number, bytes: Uint8Array) => Call | undefined;

export interface WalkOptions {
	decodeRemote?: RemoteDecoder;
	/** Set on everything below an XCM Transact. */
	destination?: string;
}

/** The Transact instructions of a sent XCM message, as the chain's JSON gives them (any version). */
function transactsOf(message: unknown): Array<{ originKind: string; call: Hex }> {
	const out: Array<{ originKind: string; call: Hex }> = [];
	const visit = (v: unknown): void => {
		if (Array.isArray(v)) return v.forEach(visit);
		if (!v || typeof v !== 'object') return;
		for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
			if (key.toLowerCase() === 'transact' && value && typeof value === 'object') {
				const t = value as Record<string, unknown>;
				const origin = String(t.originKind ?? t.originType ?? t.origin_kind ?? t.origin_type ?? '?');
				const call = t.call as { encoded?: string } | string | undefined;
				const hex = typeof call === 'string' ? call : call?.encoded;
				if (hex) out.push({ originKind: origin.charAt(0).toUpperCase() + origin.slice(1), call: hex as Hex });
			} else visit(value);
		}
	};
	visit(message);
	return out;
}

interface CodecLike {
	toU8a: (bare?: boolean) => Uint8Array;
	toString: () => string;
	toHex?: () => string;
}

/** The call inside a WrapperKeepOpaque<Call> (pallet-multisig's OpaqueCall), when it decodes; undefined for anything else. */
function keptOpaqueCall(value: unknown): Call | undefined {
	const v = value as { isDecoded?: boolean; unwrap?: () => unknown } | undefined;
	if (!v || typeof v.unwrap !== 'function' || typeof v.isDecoded !== 'boolean' || !v.isDecoded) return undefined;
	try {
		const inner = v.unwrap();
		return isCall(inner) ? inner : undefined;
	} catch {
		return undefined;
	}
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

/** Walk one call and everything inline below it (into an XCM Transact too, where `options.decodeRemote` can decode it). */
export function walkCall(call: Call, depth = 0, options: WalkOptions = {}): WalkedCall {
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
		lints: [],
		...(options.destination ? { destination: options.destination } : {}),
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
	if (call.method === 'send' && (call.section === 'xcmPallet' || call.section === 'polkadotXcm')) {
		const json = (a: unknown) => (a as { toJSON?: () => unknown })?.toJSON?.() ?? a;
		const paraId = destinationParaId(json(call.args[0]));
		const where = paraId === undefined ? 'the destination' : `para ${paraId}`;
		const message = versionedXcm(json(call.args[1]));
		node.xcm = { ...(paraId === undefined ? {} : { paraId }), ...(message.version === undefined ? {} : { version: message.version }) };
		for (const t of transactsOf(json(call.args[1]))) {
			const bytes = hexToU8a(t.call);
			const inner = paraId === undefined ? undefined : options.decodeRemote?.(paraId, bytes);
			if (inner) {
				const child = walkCall(inner, depth + 1, { ...options, destination: where });
				child.line = `Transact(${t.originKind}) on ${where}: ${child.line}`;
				if (child.upgrade && t.originKind !== 'Superuser')
					child.lints.push(
						finding(
							'transact-origin',
							`the Transact carrying ${child.name} on ${where} has origin kind ${t.originKind}, not Superuser: the upgrade call needs Root there and will fail`,
						),
					);
				const unpaid = child.upgrade ? unpaidExecutionLint(json(call.args[1]), where, child.name) : undefined;
				if (unpaid) child.lints.push(unpaid);
				node.children.push(child);
			} else {
				node.notes.push(
					`a Transact(${t.originKind}) to ${where} carries ${bytes.length} bytes of call (blake2-256 ${blake2AsHex(bytes, 256)}) that could not be decoded: add an environment for ${where} (env add NAME --route parachain --relay THIS_ENV --para-id ${paraId ?? 'N'}) to decode it with that chain's metadata`,
				);
			}
		}
	}
	const inBatch = (n: WalkedCall): boolean => Boolean(n.upgrade) || n.children.some(inBatch);
	for (const raw of call.args) {
		// multisig.asMulti's call on older pallets is a WrapperKeepOpaque<Call>: length-prefixed bytes, decoded on demand.
		const arg = keptOpaqueCall(raw) ?? raw;
		if (isCall(arg)) {
			node.children.push(walkCall(arg, depth + 1, options));
		} else if (Array.isArray(arg) && arg.length > 0 && isCall(arg[0])) {
			for (const inner of arg as unknown as Call[]) node.children.push(walkCall(inner, depth + 1, options));
			if (name === 'utility.batch' && node.children.some(inBatch))
				node.lints.push(
					finding(
						'batch-not-atomic',
						'utility.batch stops at the first failing call and still succeeds: an upgrade in it can fail unseen; batchAll (all or nothing) or forceBatch (failures reported) was meant',
					),
				);
		} else if (isBounded(arg)) {
			node.refs.push(boundedRef(arg, name));
		}
	}
	if (name === 'whitelist.dispatchWhitelistedCallWithPreimage' && node.children[0]) {
		node.whitelistCheck = node.children[0].callHash;
	}
	return node;
}
