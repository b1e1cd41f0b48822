/** The kept blocks: the state window and the block window of a pruning node. */
import type { BlockData } from './types.js';

export class BlockStore {
	/** The kept blocks, oldest first: `blocks[i]` is block number `firstKept + i`. */
	private readonly blocks: BlockData[] = [];
	private firstKept = 0;
	private readonly byHash = new Map<string, BlockData>();

	constructor(
		readonly stateWindow: number,
		readonly blockWindow: number,
	) {}

	get best(): BlockData {
		return this.blocks[this.blocks.length - 1]!;
	}

	/** A kept block by number or hash (blocks older than the block window are forgotten). */
	blockAt(hashOrNumber?: string | number | null): BlockData | undefined {
		if (hashOrNumber === undefined || hashOrNumber === null) return this.best;
		if (typeof hashOrNumber === 'number')
			return hashOrNumber >= this.firstKept ? this.blocks[hashOrNumber - this.firstKept] : undefined;
		return this.byHash.get(hashOrNumber.toLowerCase());
	}

	/** The oldest block number still kept (header and body), and the oldest with its state. */
	get kept(): { firstBlock: number; firstState: number } {
		return { firstBlock: this.firstKept, firstState: Math.max(this.firstKept, this.best.number - this.stateWindow + 1) };
	}

	/** Every kept block, oldest first (a snapshot's window). */
	list(): readonly BlockData[] {
		return this.blocks;
	}

	/** Replace the kept blocks with a restored window: consecutive numbers, oldest first. */
	restore(blocks: BlockData[]): void {
		if (blocks.length === 0) throw new Error('a restored window has no block');
		this.blocks.length = 0;
		this.byHash.clear();
		this.firstKept = blocks[0]!.number;
		for (const b of blocks) {
			if (b.number !== this.firstKept + this.blocks.length)
				throw new Error(`a restored window skips from #${this.best.number} to #${b.number}`);
			this.blocks.push(b);
			this.byHash.set(b.hash, b);
		}
	}

	/** Append a block, then drop the state and the blocks that left the windows. */
	keep(block: BlockData): void {
		this.blocks.push(block);
		this.byHash.set(block.hash, block);
		const stale = block.number - this.stateWindow;
		const old = stale >= this.firstKept ? this.blocks[stale - this.firstKept] : undefined;
		if (old && !old.statePruned) {
			old.state = new Map();
			old.statePruned = true;
		}
		// Forget in batches, so the array is not shifted on every block.
		const excess = this.blocks.length - this.blockWindow;
		if (excess >= 256) {
			for (const b of this.blocks.splice(0, excess)) this.byHash.delete(b.hash);
			this.firstKept += excess;
		}
	}
}
