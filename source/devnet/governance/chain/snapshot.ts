/**
 * The governance devnet's kept window as a file, so a restart continues the
 * same chain (the way a node keeps its base path).
 *
 * What is kept: every block of the block window (header, extrinsics, hash,
 * which code it ran), the state of the blocks of the state window (the oldest
 * in full, each later one as its changes from the block before), the runtime
 * codes those blocks ran (each once, by hash), the next block's timestamp, the
 * governance periods the chain was created with (its served metadata repeats
 * them, so a resumed chain keeps them) and the instance identity.
 * What is not: transactions still in the pool (a client sees them dropped),
 * devnet_unmodelledCalls notes and build-failure counts of the previous run.
 *
 * Written atomically (a temporary file renamed over the old one), after a
 * block or a dev_setStorage (at most one write at a time; a write that was
 * asked for meanwhile follows it) and on stop. A file that cannot be read is
 * refused with what to do (`devnet reset`), never silently replaced.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { GovernancePeriods } from '../metadata.js';
import { CODE_KEY, type Hex } from '../storage.js';
import { type BlockData, type ChainSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './types.js';

export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type ChainSnapshot };

/** A state as [key, value] pairs; a `:code` value is written as CODE_REF + its hash. */
type Pairs = ChainSnapshot['state'];

const CODE_REF = 'code:';

/** What the chain hands over to be written (its kept blocks and the rest). */
export interface SnapshotSource<I> {
	instance: I;
	genesis: Hex;
	periods: GovernancePeriods;
	nextTimestamp: bigint;
	blocks: readonly BlockData[];
	/** The code with a given hash (every code a kept block ran). */
	codeOf: (codeHash: Hex) => Hex | undefined;
}

export function encodeSnapshot<I>(src: SnapshotSource<I>): ChainSnapshot<I> {
	const codes: Record<string, Hex> = {};
	const refCode = (value: string): string => {
		const known = Object.entries(codes).find(([, code]) => code === value);
		if (known) return `${CODE_REF}${known[0]}`;
		return value;
	};
	for (const b of src.blocks) {
		if (codes[b.runtime.codeHash]) continue;
		const code = src.codeOf(b.runtime.codeHash) ?? (b.statePruned ? undefined : (b.state.get(CODE_KEY) as Hex | undefined));
		if (!code) throw new Error(`block #${b.number} ran code ${b.runtime.codeHash}, which the devnet no longer has`);
		codes[b.runtime.codeHash] = code;
	}
	const withState = src.blocks.filter((b) => !b.statePruned);
	const first = withState[0]!;
	const pairs = (m: Iterable<[string, string]>): Pairs => [...m].map(([k, v]) => [k, k === CODE_KEY ? refCode(v) : v]);
	const changes: ChainSnapshot['changes'] = [];
	for (let i = 1; i < withState.length; i++) {
		const before = withState[i - 1]!.state;
		const after = withState[i]!.state;
		const set: Pairs = [];
		const deleted: string[] = [];
		for (const [k, v] of after) if (before.get(k) !== v) set.push([k, k === CODE_KEY ? refCode(v) : v]);
		for (const k of before.keys()) if (!after.has(k)) deleted.push(k);
		changes.push({ set, deleted });
	}
	return {
		format: SNAPSHOT_FORMAT,
		version: SNAPSHOT_VERSION,
		savedAt: new Date().toISOString(),
		instance: src.instance,
		genesis: src.genesis,
		periods: src.periods,
		nextTimestamp: src.nextTimestamp.toString(),
		codes,
		blocks: src.blocks.map((b) => ({
			number: b.number,
			hash: b.hash,
			parentHash: b.parentHash,
			header: b.header,
			extrinsics: b.extrinsics,
			codeHash: b.runtime.codeHash,
		})),
		stateFrom: first.number,
		state: pairs(first.state),
		changes,
	};
}

/** The kept blocks' states, by block number, rebuilt from a snapshot. */
export function decodeStates(s: ChainSnapshot): Map<number, Map<string, string>> {
	const deref = (k: string, v: string): string => {
		if (k !== CODE_KEY || !v.startsWith(CODE_REF)) return v;
		const code = s.codes[v.slice(CODE_REF.length)];
		if (!code) throw new Error(`the snapshot has no code ${v.slice(CODE_REF.length)}`);
		return code;
	};
	const states = new Map<number, Map<string, string>>();
	let state = new Map(s.state.map(([k, v]) => [k, deref(k, v)] as [string, string]));
	states.set(s.stateFrom, state);
	s.changes.forEach((c, i) => {
		state = new Map(state);
		for (const [k, v] of c.set) state.set(k, deref(k, v));
		for (const k of c.deleted) state.delete(k);
		states.set(s.stateFrom + i + 1, state);
	});
	return states;
}

/** The snapshot in `file`, or undefined when there is none; a file that is not one is an error saying what to do. */
export function readSnapshotFile<I>(file: string): ChainSnapshot<I> | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	const fail = (why: string) =>
		new Error(
			`${file} is not a governance devnet snapshot this version can resume (${why}); start the chain afresh with \`release-console devnet reset --chain governance\``,
		);
	let parsed: ChainSnapshot<I>;
	try {
		parsed = JSON.parse(text) as ChainSnapshot<I>;
	} catch {
		throw fail('it is not valid JSON');
	}
	if (parsed?.format !== SNAPSHOT_FORMAT) throw fail('unknown format');
	if (parsed.version !== SNAPSHOT_VERSION) throw fail(`version ${String(parsed.version)}`);
	if (!Array.isArray(parsed.blocks) || parsed.blocks.length === 0) throw fail('no blocks');
	return parsed;
}

/** Write `snapshot` to `file` atomically: a temporary file beside it, renamed over it. */
export async function writeSnapshotFile(file: string, snapshot: ChainSnapshot): Promise<void> {
	const tmp = `${file}.${process.pid}.tmp`;
	await writeFile(tmp, JSON.stringify(snapshot));
	await rename(tmp, file);
}
