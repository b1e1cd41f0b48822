/** The runtime API answers (state_call) the devnet serves; anything else fails as a node would. */
import type { TypeRegistry } from '@polkadot/types';
import type { GenericCall } from '@polkadot/types';
import { compactAddLength, compactFromU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { Runtime, type RuntimeMeta, TRANSACTION_BYTE_FEE } from '../runtime.js';
import type { Hex } from '../storage.js';
import { type BlockData, NodeRpcError } from './types.js';
import { decodeExtrinsic, transactionFee } from './validate.js';

export interface RuntimeApiEnv {
	registry: TypeRegistry;
	meta: RuntimeMeta;
	/** A read-only runtime context over the block's state. */
	readContext(at: BlockData): Runtime;
	/** The pool's validation of a transaction against a runtime context (chain/validate.ts); throws the node's RPC errors. */
	validate?(bytes: Uint8Array, rt: Runtime): Promise<unknown>;
}

/** The pool's refusal texts (sp_runtime's `InvalidTransaction` Display strings) and the variants they are. */
const INVALID_OF: Record<string, string> = {
	'Transaction has a bad signature': 'BadProof',
	'Transaction is outdated': 'Stale',
	'Transaction will be valid in the future': 'Future',
	'Inability to pay some fees (e.g. account balance too low)': 'Payment',
	'Transaction has an ancient birth block': 'AncientBirthBlock',
	'Invalid signing address': 'BadSigner',
	'Transaction call is not expected': 'Call',
	'Transaction dispatch is mandatory; transactions must not be validated.': 'MandatoryValidation',
};

/**
 * TaggedTransactionQueue_validate_transaction (v3: source, extrinsic, block hash):
 * the pool's own validation, answered as the runtime answers it, a
 * `TransactionValidity` (Ok, or the InvalidTransaction / UnknownTransaction variant).
 */
async function validateTransactionCall(env: RuntimeApiEnv, input: Uint8Array, b: BlockData): Promise<Hex> {
	const { registry } = env;
	if (!env.validate)
		throw new NodeRpcError(-32000, 'Client error: Execution failed: TaggedTransactionQueue_validate_transaction is not served here');
	const rest = input.subarray(1);
	const [offset, length] = compactFromU8a(rest);
	const bytes = rest.subarray(0, offset + length.toNumber());
	try {
		await env.validate(bytes, env.readContext(b));
	} catch (error) {
		if (!(error instanceof NodeRpcError) || (error.code !== 1010 && error.code !== 1011)) throw error;
		const data = String(error.data ?? '');
		const err =
			error.code === 1010
				? { Invalid: INVALID_OF[data] ?? 'Call' }
				: { Unknown: /unsigned validator/i.test(data) ? 'NoUnsignedValidator' : 'CannotLookup' };
		return registry.createType('TransactionValidity', { Err: err }).toHex() as Hex;
	}
	const ok = { priority: 0, requires: [], provides: [u8aToHex(bytes.subarray(0, 32))], longevity: 64, propagate: true };
	return registry.createType('TransactionValidity', { Ok: ok }).toHex() as Hex;
}

/** state_call of `method` with SCALE `data` at block `b`. */
export async function stateCall(env: RuntimeApiEnv, method: string, data: Hex, b: BlockData): Promise<Hex> {
	const { registry, meta } = env;
	const input = hexToU8a(data);
	switch (method) {
		case 'Core_version':
			return b.runtime.versionHex;
		case 'Metadata_metadata':
			return u8aToHex(compactAddLength(hexToU8a(b.runtime.metadataHex))) as Hex;
		case 'Metadata_metadata_versions':
			return registry.createType('Vec<u32>', [14]).toHex() as Hex;
		case 'Metadata_metadata_at_version': {
			const v = registry.createType('u32', input).toNumber();
			if (v !== 14) return '0x00';
			return u8aToHex(u8aConcat(Uint8Array.from([1]), compactAddLength(hexToU8a(b.runtime.metadataHex)))) as Hex;
		}
		case 'TaggedTransactionQueue_validate_transaction':
			return validateTransactionCall(env, input, b);
		case 'AccountNonceApi_account_nonce': {
			const who = registry.createType('AccountId', input.subarray(0, 32)).toString();
			const rt = env.readContext(b);
			return u8aToHex(registry.createType('u32', rt.account(who).nonce).toU8a()) as Hex;
		}
		case 'TransactionPaymentApi_query_info':
		case 'TransactionPaymentApi_query_fee_details': {
			const [offset, l] = compactFromU8a(input);
			const extBytes = input.subarray(0, offset + l.toNumber());
			const len = registry.createType('u32', input.subarray(offset + l.toNumber())).toNumber();
			const ext = decodeExtrinsic(registry, extBytes);
			const call = ext.method as unknown as GenericCall;
			const weight = Runtime.callWeight(call);
			const cls = Runtime.dispatchClass(call);
			if (method === 'TransactionPaymentApi_query_info') {
				const partialFee = ext.isSigned ? transactionFee(meta, len, weight) : 0n;
				return registry.createType('RuntimeDispatchInfoV2', { weight, class: cls, partialFee }).toHex() as Hex;
			}
			const inclusion = ext.isSigned
				? { baseFee: meta.baseExtrinsicRefTime, lenFee: BigInt(len) * TRANSACTION_BYTE_FEE, adjustedWeightFee: weight.refTime }
				: null;
			return registry.createType('FeeDetails', { inclusionFee: inclusion, tip: 0 }).toHex() as Hex;
		}
		default:
			throw new NodeRpcError(
				-32000,
				'Client error: Execution failed: Other: Exported method ' + method + ' is not found',
				`The governance devnet (simulation) does not serve ${method}`,
			);
	}
}
