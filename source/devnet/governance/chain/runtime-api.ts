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
