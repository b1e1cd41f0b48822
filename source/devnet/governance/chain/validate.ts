/**
 * Transaction validation, as TaggedTransactionQueue::validate_transaction and
 * the signed extensions do: format, signature over call ++ extra ++ additional
 * signed, CheckGenesis / CheckSpecVersion / CheckTxVersion / CheckMortality /
 * CheckNonce, and the fee check. Errors are the node's RPC errors.
 */
import type { GenericCall, GenericExtrinsic, GenericExtrinsicEra, TypeRegistry, u32 } from '@polkadot/types';
import { compactFromU8a, hexToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';
import type { RuntimeVersionJson } from '../metadata.js';
import { type Handler, Runtime, type RuntimeMeta, TRANSACTION_BYTE_FEE, type Weight } from '../runtime.js';
import type { Hex } from '../storage.js';
import { u32ToU8a } from '../util.js';
import { invalidTx, NodeRpcError } from './types.js';

/** A transaction that passed validation, with what applying it needs. */
export interface Checked {
	ext: GenericExtrinsic;
	call: GenericCall;
	len: number;
	signer?: string;
	nonce?: number;
	tip: bigint;
	weight: Weight;
	fee: bigint;
	future: boolean;
}

/** The chain facts validation depends on. */
export interface ValidationEnv {
	registry: TypeRegistry;
	meta: RuntimeMeta;
	genesisHash: Hex;
	/** The hash of a kept block. */
	blockHashAt(number: number): Hex | undefined;
	/** The runtime version of a kept block (the best block's if it is not kept). */
	versionAt(number: number): RuntimeVersionJson;
}

/** The fee: base extrinsic weight + 10 millicents per byte + the call's ref time (IdentityFee, multiplier 1). */
export function transactionFee(meta: RuntimeMeta, len: number, weight: Weight): bigint {
	return meta.baseExtrinsicRefTime + BigInt(len) * TRANSACTION_BYTE_FEE + weight.refTime;
}

export function blockHashCount(meta: RuntimeMeta): number {
	return meta.constant<u32>('System', 'BlockHashCount').toNumber();
}

/** Decode an extrinsic's bytes; errors are the node's RPC errors. */
export function decodeExtrinsic(registry: TypeRegistry, bytes: Uint8Array): GenericExtrinsic {
	let len: number;
	let offset: number;
	try {
		const [o, l] = compactFromU8a(bytes);
		offset = o;
		len = l.toNumber();
	} catch (e) {
		throw new NodeRpcError(1001, `Extrinsic has invalid format: ${(e as Error).message}`);
	}
	if (offset + len > bytes.length) throw new NodeRpcError(1001, 'Extrinsic has invalid format: Not enough data to fill buffer');
	const runtimeDecodeError = (why: string) =>
		new NodeRpcError(
			1002,
			'Verification Error: Runtime error: Execution failed: Execution aborted due to trap: wasm trap: wasm `unreachable` instruction executed',
			`RuntimeApi("Execution failed: Bad input data provided to validate_transaction: ${why}")`,
		);
	try {
		const ext = registry.createType('Extrinsic', bytes.subarray(0, offset + len)) as unknown as GenericExtrinsic;
		if (ext.encodedLength !== offset + len) throw new Error('Input buffer has still data left after decoding!');
		// force the call's arguments to decode fully
		ext.method.toU8a();
		return ext;
	} catch (e) {
		throw runtimeDecodeError((e as Error).message.split('\n')[0]!);
	}
}

/** Names of calls in the call tree (nested calls included) that the devnet does not model. */
export function unmodelledCalls(calls: ReadonlyMap<string, Handler>, call: GenericCall): string[] {
	const found: string[] = [];
	const visit = (c: GenericCall) => {
		const key = `${c.section}.${c.method}`;
		if (!calls.has(key)) found.push(key);
		for (const a of c.args) visitArg(a);
	};
	const visitArg = (a: unknown) => {
		if (!a) return;
		const c = a as Partial<GenericCall>;
		if (c.section !== undefined && c.method !== undefined && c.args !== undefined) visit(a as GenericCall);
		else if (Array.isArray(a)) a.forEach(visitArg);
	};
	visit(call);
	return found;
}

/** Validate a transaction against `rt`'s state, as TaggedTransactionQueue::validate_transaction would. */
export async function validateTransaction(env: ValidationEnv, bytes: Uint8Array, rt: Runtime, mode: 'pool' | 'apply'): Promise<Checked> {
	const { registry } = env;
	const ext = decodeExtrinsic(registry, bytes);
	const call = ext.method as unknown as GenericCall;
	const len = bytes.length;
	const weight = Runtime.callWeight(call);
	if (!ext.isSigned) {
		const key = `${call.section}.${call.method}`;
		if (key === 'timestamp.set') throw invalidTx('Transaction dispatch is mandatory; transactions must not be validated.');
		if (key === 'system.applyAuthorizedUpgrade') {
			const auth = rt.store.get('System', 'AuthorizedUpgrade') as any;
			const code = (call.args[0] as any).toU8a(true) as Uint8Array;
			if (!auth || auth.codeHash.toHex() !== Runtime.hashOf(code)) throw invalidTx('Transaction call is not expected');
			return { ext, call, len, tip: 0n, weight, fee: 0n, future: false };
		}
		throw new NodeRpcError(1011, 'Unknown Transaction Validity', 'Could not find an unsigned validator for the unsigned transaction');
	}
	// Raw layout: [0x84][MultiAddress][MultiSignature][extensions][call]
	const body = bytes.subarray(compactFromU8a(bytes)[0]);
	if (body[1] !== 0)
		throw new NodeRpcError(1011, 'Unknown Transaction Validity', 'Could not lookup information required to validate the transaction');
	const signerBytes = body.subarray(2, 34);
	const signer = registry.createType('AccountId', signerBytes).toString();
	const sigType = body[34]!;
	if (sigType > 2) throw invalidTx('Transaction has a bad signature');
	const sigBytes = body.subarray(34, 35 + (sigType === 2 ? 65 : 64));
	const extraStart = 34 + sigBytes.length;
	const extra = body.subarray(extraStart, body.length - call.encodedLength);
	let o = 0;
	const eraLen = extra[0] === 0 ? 1 : 2;
	const era = registry.createType('ExtrinsicEra', extra.subarray(0, eraLen)) as GenericExtrinsicEra;
	o += eraLen;
	const [nl, nonceBn] = compactFromU8a(extra.subarray(o));
	o += nl;
	const [tl, tipBn] = compactFromU8a(extra.subarray(o));
	o += tl;
	const assetId = extra[o] === 1 ? u32ToU8a(0) : undefined;
	o += extra[o] === 1 ? 5 : 1;
	const metadataHashMode = extra[o] ?? 0;
	const nonce = nonceBn.toNumber();
	const tip = BigInt(tipBn.toString());
	if (assetId) throw invalidTx('Inability to pay some fees (e.g. account balance too low)');
	// CheckMortality additional signed: the hash of the birth block.
	const current = rt.number;
	let birthHash: Hex | undefined;
	if (era.isImmortalEra) birthHash = env.genesisHash;
	else {
		const birth = Number(era.asMortalEra.birth(current));
		if (birth < current && current - birth <= blockHashCount(env.meta) + 1) birthHash = env.blockHashAt(birth);
		if (!birthHash) throw invalidTx('Transaction has an ancient birth block');
	}
	const version = env.versionAt(current - 1);
	const additional = u8aConcat(
		u32ToU8a(version.specVersion),
		u32ToU8a(version.transactionVersion),
		hexToU8a(env.genesisHash),
		hexToU8a(birthHash),
		// CheckMetadataHash: None unless mode is Enabled (the devnet does not compute the RFC-78 hash)
		metadataHashMode === 1 ? Uint8Array.from([1, ...new Uint8Array(32)]) : Uint8Array.from([0]),
	);
	const payload = u8aConcat(call.toU8a(), extra, additional);
	const message = payload.length > 256 ? blake2AsU8a(payload, 256) : payload;
	let valid = false;
	try {
		valid = signatureVerify(message, sigBytes, signer).isValid;
	} catch {
		valid = false;
	}
	if (!valid) throw invalidTx('Transaction has a bad signature');
	if (signerBytes.every((x) => x === 0)) throw invalidTx('Invalid signing address');
	const account = rt.account(signer);
	if (nonce < account.nonce) throw invalidTx('Transaction is outdated');
	const future = nonce > account.nonce;
	if (future && mode === 'apply') throw invalidTx('Transaction will be valid in the future');
	const fee = transactionFee(env.meta, len, weight);
	if (account.providers === 0 || rt.reducible(signer, true) < fee + tip)
		throw invalidTx('Inability to pay some fees (e.g. account balance too low)');
	return { ext, call, len, signer, nonce, tip, weight, fee, future };
}
