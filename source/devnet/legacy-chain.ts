/**
 * What chopsticks-core 1.1.0 needs to build blocks on runtimes older than it
 * expects (the genesis Kusama 1020 and Polkadot 0 of ./genesis-chains.ts, and a
 * fork of either: ./fork.ts), all in user code, nothing patched in
 * node_modules. Each part leaves a current runtime alone:
 *  - a `Blockchain` whose registry reads metadata before v11 with extrinsic
 *    version 4 (source/chain/legacy-registry.ts; otherwise "Unsupported
 *    unsigned extrinsic version 0"), and which calls
 *    `TaggedTransactionQueue_validate_transaction` with the arguments of the
 *    API version the runtime declares: v1 `(tx)`, v2 `(source, tx)`, v3+
 *    `(source, tx, block_hash)` (what chopsticks always sends);
 *  - inherent providers: an empty `parachains.setHeads` where that call exists
 *    (the v0 Parachains pallet panics "Parachain heads must be updated once in
 *    the block" without it), and chopsticks' timestamp inherent only where a
 *    Timestamp pallet exists (its other providers already check their call).
 */
import type { HexString } from '@polkadot/util/types';
import { applyLegacyExtrinsicVersion } from '../chain/legacy-registry.js';

type Core = typeof import('@acala-network/chopsticks-core');
type Block = import('@acala-network/chopsticks-core').Block;
type Chopsticks = import('@acala-network/chopsticks-core').Blockchain;
type RuntimeVersion = Parameters<Chopsticks['buildRegistry']>[1];
type TransactionValidity = Awaited<ReturnType<Chopsticks['validateExtrinsic']>>;
type InherentProvider = Core['inherentProviders'][number];

/** `TaggedTransactionQueue` runtime API id (blake2_64 of its name). */
const TAGGED_TRANSACTION_QUEUE = '0xd2bc9897eed08f15';

export interface LegacyChainParts {
	Blockchain: Core['Blockchain'];
	inherentProviders: InherentProvider[];
}

export async function legacyChainParts(core: Core): Promise<LegacyChainParts> {
	const { GenericExtrinsic } = await import('@polkadot/types');
	const { u8aConcat, u8aToHex } = await import('@polkadot/util');

	class LegacyBlockchain extends core.Blockchain {
		override async buildRegistry(metadata: HexString, version: RuntimeVersion) {
			const registry = await super.buildRegistry(metadata, version);
			applyLegacyExtrinsicVersion(registry);
			return registry;
		}

		override async validateExtrinsic(extrinsic: HexString, source: '0x00' | '0x01' | '0x02' = '0x02') {
			const runtime = await this.head.runtimeVersion;
			const api = runtime.apis.find(([id]) => id === TAGGED_TRANSACTION_QUEUE);
			const apiVersion = api ? Number(api[1]) : 3;
			if (apiVersion >= 3) return super.validateExtrinsic(extrinsic, source);
			const args = apiVersion === 1 ? extrinsic : u8aToHex(u8aConcat(source, extrinsic));
			const res = await this.head.call('TaggedTransactionQueue_validate_transaction', [args]);
			const registry = await this.head.registry;
			return registry.createType('TransactionValidity', res.result) as TransactionValidity;
		}
	}

	/** The v0 Parachains pallet needs its heads set once in every block (none here). */
	const setParachainHeads = {
		async createInherents(newBlock: Block): Promise<HexString[]> {
			const parent = await newBlock.parentBlock;
			if (!parent) throw new Error('parent block not found');
			const meta = await parent.meta;
			if (!meta.tx.parachains?.setHeads) return [];
			return [new GenericExtrinsic(meta.registry, meta.tx.parachains.setHeads([])).toHex()];
		},
	};
	/** chopsticks' timestamp inherent (the same extrinsic), only where a Timestamp pallet exists. */
	const setTimestamp = {
		async createInherents(newBlock: Block): Promise<HexString[]> {
			const parent = await newBlock.parentBlock;
			if (!parent) throw new Error('parent block not found');
			const meta = await parent.meta;
			if (!meta.tx.timestamp?.set) return [];
			const now = (await core.getCurrentTimestamp(parent)) + BigInt(await core.getSlotDuration(newBlock));
			return [new GenericExtrinsic(meta.registry, meta.tx.timestamp.set(now)).toHex()];
		},
	};
	// chopsticks' other providers check that their call exists; its SetTimestamp does not (replaced above).
	const others = core.inherentProviders.filter((provider) => provider.constructor.name !== 'SetTimestamp');
	if (others.length !== core.inherentProviders.length - 1)
		throw new Error('chopsticks-core changed its inherent providers: the embedded legacy chains need a look');
	return {
		Blockchain: LegacyBlockchain,
		inherentProviders: [setTimestamp as InherentProvider, ...others, setParachainHeads as InherentProvider],
	};
}
