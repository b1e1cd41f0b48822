/** A rehearsal's report as lines for a terminal (`rehearse`, the console, `review --dry-run`). Pure. */
import { storageDiffText } from '../chain/storage-diff.js';
import type { RehearsalReport } from './rehearsal.js';

const n = (digits: string): string => BigInt(digits).toLocaleString('en-US');

/** The report as lines for a terminal. */
export function rehearsalText(r: RehearsalReport): string[] {
	const upgraded = r.upgrade?.codeUpdated ?? Boolean(r.codeHash);
	const lines = [
		r.followed
			? `the relay's XCM ${r.notRun ? 'to' : 'followed on a fork of'} ${r.env}${r.notRun ? ', not followed (its fork' : ''} at #${r.forkedAt.number} (${r.forkedAt.hash})${r.notRun ? ')' : ''}${r.codeHash ? `: it authorizes ${r.codeHash}` : ''}`
			: `rehearsal of ${r.codeHash ?? r.call ?? 'the call'} on a fork of ${r.env} at #${r.forkedAt.number} (${r.forkedAt.hash})`,
		`  origin: ${r.origin || 'not reproduced'}`,
		...(r.call && r.codeHash ? [`  call:   ${r.call}`] : []),
		`  before: ${r.before.specName} ${r.before.specVersion}`,
		...(r.steps ?? []).map((step) => `  ${step}`),
	];
	if (r.upgrade) {
		lines.push(
			`  #${r.upgrade.number} ${upgraded ? 'upgrade block' : 'block with the call'} (${r.upgrade.ms} ms): ${r.upgrade.shownBy ?? (r.upgrade.codeUpdated ? 'system.CodeUpdated' : 'no CodeUpdated')}; dispatch ${r.upgrade.dispatch}; events ${r.upgrade.events.join(', ')}`,
		);
		const w = r.upgrade.weight;
		if (w)
			lines.push(
				`    weight: ${w.percent}% of the block's limit (refTime ${n(w.refTime)} of ${n(w.maxRefTime)}${w.maxProofSize !== '0' ? `, proofSize ${n(w.proofSize)} of ${n(w.maxProofSize)}` : ''})${w.percent > 100 ? ': over BlockWeights.maxBlock' : ''}`,
			);
	}
	if (r.firstUnderNew)
		lines.push(
			`  #${r.firstUnderNew.number} ${upgraded ? 'first block under the new runtime' : 'the block after'} (${r.firstUnderNew.ms} ms): events ${r.firstUnderNew.events.join(', ') || 'none'}`,
		);
	if (r.after)
		lines.push(
			`  after: ${r.after.specName} ${r.after.specVersion}, code ${r.after.codeHash}${r.after.lastRuntimeUpgrade ? `, LastRuntimeUpgrade ${r.after.lastRuntimeUpgrade}` : ''}`,
		);
	if (r.tryRuntime) lines.push(`  try-runtime: ${r.tryRuntime.note}`);
	if (r.blocks.length > 0) {
		const times = r.blocks.map((b) => b.ms);
		lines.push(
			r.blocks.length === 1
				? `  1 more block built (#${r.blocks[0]!.number}), ${times[0]} ms`
				: `  ${r.blocks.length} more blocks built (#${r.blocks[0]!.number}–#${r.blocks.at(-1)!.number}), ${Math.min(...times)}–${Math.max(...times)} ms each`,
		);
	}
	if (r.storage) {
		const none = '(nothing else)';
		lines.push(
			`  storage changed by the ${upgraded ? 'upgrade block' : 'block with the call'}: ${r.storage.upgrade.length ? '' : none}`,
		);
		for (const line of storageDiffText(r.storage.upgrade)) lines.push(`    ${line}`);
		lines.push(`  storage changed by the block after it: ${r.storage.firstUnderNew.length ? '' : none}`);
		for (const line of storageDiffText(r.storage.firstUnderNew)) lines.push(`    ${line}`);
		lines.push(`    (${r.storage.note})`);
	}
	lines.push(
		r.verdict !== 'passed'
			? `✖ ${r.notRun ? 'not run' : 'failed'}: ${r.failure}`
			: r.followed
				? `✔ passed: the para executed the relay's message${r.codeHash ? " and holds the authorization; the code itself is handed over later (review … --dry-run --wasm ENV=PATH with this chain's wasm rehearses that too)" : ''}`
				: `✔ passed: the chain kept producing blocks ${upgraded ? 'under the new runtime' : 'after the call'}`,
	);
	return lines.map((l) => l.trimEnd());
}

/**
 * Blocks a rehearsal builds when all goes well: on the chain, the upgrade block, the first under the new runtime
 * and `blocks` more; on each parachain, the block that takes in the relay's message, the one that stores the code,
 * the one that applies it, the first under it and `blocks` more. For a progress bar: a para that needs another block
 * for a step goes past it, and the bar stays full.
 */
export function rehearsalBlocksExpected(blocks: number, paras: number): number {
	return 2 + blocks + paras * (4 + blocks);
}

/** Whether a rehearsal's progress line reports a block built (`#5 (640 ms)`, `hub: #3 …`). */
export function isBlockLine(line: string): boolean {
	return /^(\S+: )?#\d+ /.test(line);
}
