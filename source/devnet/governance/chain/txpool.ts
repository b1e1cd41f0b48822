/**
 * The transaction pool: validated transactions in submission order, with
 * ready/future status by nonce, duplicate handling (1013 Already Imported,
 * 1014 Priority is too low) and status watchers.
 */
import type { GenericCall } from '@polkadot/types';
import { hexToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Runtime } from '../runtime.js';
import type { Hex } from '../storage.js';
import { invalidTx, NodeRpcError, type TxStatus } from './types.js';
import type { Checked } from './validate.js';

export interface PoolTx {
	hash: Hex;
	hex: Hex;
	sender?: string;
	nonce?: number;
	watchers: Set<(s: TxStatus) => void>;
}

export interface PoolEnv {
	/** A read-only runtime context over the best block, for the next block. */
	readContext(): Runtime;
	validate(bytes: Uint8Array, rt: Runtime): Promise<Checked>;
	unmodelledCalls(call: GenericCall): string[];
	/** After the first status is reported to the watchers. */
	onSubmitted(tx: PoolTx): void;
}

export class TxPool {
	private readonly txs: PoolTx[] = [];

	constructor(private readonly env: PoolEnv) {}

	/** The pooled transactions in submission order (a live view: the block builder sees arrivals). */
	get pending(): readonly PoolTx[] {
		return this.txs;
	}

	/** author_submitExtrinsic / author_submitAndWatchExtrinsic. */
	async submit(hex: Hex, watcher?: (s: TxStatus) => void): Promise<Hex> {
		const bytes = hexToU8a(hex);
		const hash = blake2AsHex(bytes, 256) as Hex;
		if (this.txs.some((t) => t.hash === hash)) throw new NodeRpcError(1013, 'Transaction Already Imported');
		const rt = this.env.readContext();
		const checked = await this.env.validate(bytes, rt);
		const unmodelled = this.env.unmodelledCalls(checked.call);
		if (unmodelled.length) {
			throw invalidTx(`Call not modelled by the governance devnet (simulation): ${unmodelled.join(', ')}`);
		}
		let future = checked.future;
		if (checked.signer !== undefined) {
			const same = this.txs.filter((t) => t.sender === checked.signer);
			if (same.some((t) => t.nonce === checked.nonce))
				throw new NodeRpcError(
					1014,
					'Priority is too low: (0 vs 0)',
					'The transaction has too low priority to replace another transaction already in the pool.',
				);
			// ready if every nonce between the account's and this one is already pooled
			const accountNonce = rt.account(checked.signer).nonce;
			future = false;
			for (let n = accountNonce; n < checked.nonce!; n++) if (!same.some((t) => t.nonce === n)) future = true;
		}
		const tx: PoolTx = { hash, hex, sender: checked.signer, nonce: checked.nonce, watchers: new Set(watcher ? [watcher] : []) };
		this.txs.push(tx);
		setImmediate(() => {
			for (const w of tx.watchers) w(future ? 'future' : 'ready');
			this.env.onSubmitted(tx);
		});
		return hash;
	}

	remove(txs: Iterable<PoolTx>): void {
		for (const tx of txs) {
			const i = this.txs.indexOf(tx);
			if (i >= 0) this.txs.splice(i, 1);
		}
	}

	/** system_accountNextIndex: the account's nonce, past its pooled transactions. */
	nextIndex(who: string, accountNonce: number): number {
		let n = accountNonce;
		while (this.txs.some((t) => t.sender === who && t.nonce === n)) n++;
		return n;
	}
}
