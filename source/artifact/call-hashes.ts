/**
 * The hashes a proposer needs to put a runtime upgrade on chain: the call
 * hashes of `system.setCode(code)`, `system.authorizeUpgrade(hash)` and, on a
 * parachain, `parachainSystem.authorizeUpgrade(hash, true)`.
 *
 * They are computed from the metadata of the chain the calls will be submitted
 * to (pallet and call indices, argument types), never from fixed indices: a
 * call that chain does not have is reported as not available, with why.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import type { Hex } from '../domain/types.js';
import type { MetadataInput } from './metadata.js';
import { renderType, toModel, variantsOf, type MetadataModel } from './model.js';

export interface CallHashEntry {
	/** e.g. `system.setCode(code)` */
	call: string;
	available: boolean;
	/** blake2-256 of the encoded call. */
	hash?: Hex;
	/** Pallet index and call index, as two bytes. */
	callIndex?: Hex;
	encodedLength?: number;
	/** Why it is not available. */
	reason?: string;
}

export interface CallHashes {
	/** blake2-256 of the code as it goes into `:code` (the argument of authorizeUpgrade). */
	codeHash: Hex;
	/** Which metadata the indices came from (e.g. "production (rococo 9130)"). */
	basis: string;
	setCode: CallHashEntry;
	authorizeUpgrade: CallHashEntry;
	parachainAuthorizeUpgrade: CallHashEntry;
}

type ArgValue = { bytes: Uint8Array } | { hash: Uint8Array } | { bool: boolean };

/** Encode one argument according to the target's type, or explain why it cannot be. */
function encodeArg(model: MetadataModel, typeId: number, value: ArgValue): Uint8Array | string {
	let id = typeId;
	for (let guard = 0; guard < 8; guard++) {
		const t = model.types.get(id);
		if (!t) return `type ${id} missing from the metadata`;
		const def = t.def;
		if (def.kind === 'composite' && def.fields.length === 1) {
			id = def.fields[0]!.type; // newtype (H256, BoundedVec, …)
			continue;
		}
		const isU8 = (inner: number) => {
			const d = model.types.get(inner)?.def;
			return d?.kind === 'primitive' && d.name === 'u8';
		};
		if ('bytes' in value && def.kind === 'sequence' && isU8(def.type)) return u8aConcat(compactToU8a(value.bytes.length), value.bytes);
		if ('hash' in value && def.kind === 'array' && def.len === value.hash.length && isU8(def.type)) return value.hash;
		if ('bool' in value && def.kind === 'primitive' && def.name === 'bool') return Uint8Array.of(value.bool ? 1 : 0);
		break;
	}
	const expected = 'bytes' in value ? 'Vec<u8>' : 'hash' in value ? `[u8; ${value.hash.length}]` : 'bool';
	return `has type ${renderType(model, typeId)}, expected ${expected}`;
}

function entry(
	model: MetadataModel,
	palletName: string,
	callName: string,
	label: string,
	args: ArgValue[],
	optionalTail = 0,
): CallHashEntry {
	const pallet = model.pallets.find((p) => p.name === palletName);
	if (!pallet) return { call: label, available: false, reason: `the target runtime has no ${palletName} pallet` };
	const call = variantsOf(model, pallet.calls).find((v) => v.name === callName);
	if (!call) return { call: label, available: false, reason: `the target runtime's ${palletName} pallet has no ${callName} call` };
	// Older versions of a call may lack trailing arguments (e.g. check_version).
	const used =
		call.fields.length < args.length && args.length - call.fields.length <= optionalTail ? args.slice(0, call.fields.length) : args;
	if (call.fields.length !== used.length) {
		return {
			call: label,
			available: false,
			reason: `${palletName}.${callName} takes ${call.fields.length} arguments in the target runtime, expected ${args.length}`,
		};
	}
	const parts: Uint8Array[] = [Uint8Array.of(pallet.index, call.index)];
	for (let i = 0; i < used.length; i++) {
		const encoded = encodeArg(model, call.fields[i]!.type, used[i]!);
		if (typeof encoded === 'string') {
			return {
				call: label,
				available: false,
				reason: `argument ${call.fields[i]!.name ?? i} of ${palletName}.${callName} ${encoded}`,
			};
		}
		parts.push(encoded);
	}
	const encodedCall = u8aConcat(...parts);
	return {
		call: used.length < args.length ? label.replace(/, true\)$/, ')') : label,
		available: true,
		hash: blake2AsHex(encodedCall, 256) as Hex,
		callIndex: u8aToHex(parts[0]) as Hex,
		encodedLength: encodedCall.length,
	};
}

/**
 * Call hashes for upgrading to `code` (the file bytes as they go into `:code`)
 * on the chain whose metadata is `target`.
 */
export function callHashes(
	target: MetadataInput | MetadataModel,
	code: Uint8Array,
	options: { codeHash?: Hex; basis?: string } = {},
): CallHashes {
	const model = toModel(target);
	const codeHash = options.codeHash ?? (blake2AsHex(code, 256) as Hex);
	const hash = hexToU8a(codeHash);
	return {
		codeHash,
		basis: options.basis ?? 'target metadata',
		setCode: entry(model, 'System', 'set_code', 'system.setCode(code)', [{ bytes: code }]),
		authorizeUpgrade: entry(model, 'System', 'authorize_upgrade', 'system.authorizeUpgrade(codeHash)', [{ hash }]),
		parachainAuthorizeUpgrade: entry(
			model,
			'ParachainSystem',
			'authorize_upgrade',
			'parachainSystem.authorizeUpgrade(codeHash, true)',
			[{ hash }, { bool: true }],
			1,
		),
	};
}
