/**
 * The verdict: one line that says whether what is on chain is what the
 * reviewer can reproduce, and exactly what differs when it is not. Pure.
 *
 *   blocked     a blocking problem on chain (missing preimage, length mismatch, …): no vote
 *   mismatch    the chain installs something else than the reviewer's wasm / release record
 *   match       the chain installs exactly the reviewer's wasm (and record, if given)
 *   unverified  the chain side is consistent, but there was nothing to compare against
 */
import { shortHash } from '../domain/hash-text.js';
import type { ChainFindings, RecordFacts, UpgradeFinding, UpgradeRow, VerdictResult, WasmFacts } from './types.js';

const int = (n: number) => n.toLocaleString('en-US');

function specOf(u: UpgradeFinding, wasm?: WasmFacts): string | undefined {
	if (u.specName && u.specVersion !== undefined) return `${u.specName} spec ${u.specVersion}`;
	if (wasm && wasm.codeHash === u.codeHash) return `${wasm.specName} spec ${wasm.specVersion}`;
	return undefined;
}

/** "installs node spec 269, code hash 0x1234…abcd" */
export function describeUpgrade(u: UpgradeFinding, wasm?: WasmFacts): string {
	const spec = specOf(u, wasm);
	const verb = u.carriesCode ? 'installs' : 'authorizes';
	return `${verb}${spec ? ` ${spec},` : ''} code hash ${shortHash(u.codeHash)}${u.codeLength !== undefined ? ` (${int(u.codeLength)} bytes)` : ''}`;
}

function compatTail(wasm: WasmFacts | undefined): string {
	if (!wasm?.compat) return '';
	if (wasm.compat.status === 'pass') return '; forward compatible';
	if (wasm.compat.status === 'fail')
		return `; NOT forward compatible (${wasm.compat.summary.replace(/^not forward compatible with [^:]*:\s*/, '')})`;
	return `; forward compatibility not checked (${wasm.compat.summary})`;
}

export function differencesOf(u: UpgradeFinding, wasm: WasmFacts): string[] {
	const out: string[] = [];
	if (u.codeHash !== wasm.codeHash) out.push(`code hash ${u.codeHash} on chain vs ${wasm.codeHash} in your wasm`);
	if (u.specName && u.specName !== wasm.specName) out.push(`spec name ${u.specName} on chain vs ${wasm.specName} in your wasm`);
	if (u.specVersion !== undefined && u.specVersion !== wasm.specVersion)
		out.push(`spec version ${u.specVersion} on chain vs ${wasm.specVersion} in your wasm`);
	if (u.codeLength !== undefined && u.codeLength !== wasm.size)
		out.push(`code length ${int(u.codeLength)} bytes on chain vs ${int(wasm.size)} bytes in your wasm`);
	return out;
}

/** The table of upgrades: each with its chain, and whether it is what the reviewer holds for that chain. */
export function upgradeRows(
	findings: ChainFindings,
	wasm?: WasmFacts,
	record?: RecordFacts,
	remoteWasms: Record<string, WasmFacts> = {},
): UpgradeRow[] {
	return findings.upgrades.map((u) => {
		const row = { chain: u.destination ?? 'this chain', call: u.kind, codeHash: u.codeHash };
		if (u.destination) {
			const theirs = remoteWasms[u.destination];
			return { ...row, verdict: !theirs ? 'not compared' : differencesOf(u, theirs).length === 0 ? 'match' : 'differs' };
		}
		if (!wasm && !record?.codeHash) return { ...row, verdict: 'not compared' };
		const differs = (wasm && differencesOf(u, wasm).length > 0) || (record?.codeHash !== undefined && record.codeHash !== u.codeHash);
		return { ...row, verdict: differs ? 'differs' : 'match' };
	});
}

/** The verdict with the table of upgrades; a match with other calls riding along is not a MATCH. */
export function computeVerdict(
	findings: ChainFindings,
	wasm?: WasmFacts,
	record?: RecordFacts,
	/** Runtimes of the other chains the proposal upgrades (through XCM), by destination ("para 1000"). */
	remoteWasms: Record<string, WasmFacts> = {},
): VerdictResult {
	const result = verdictOf(findings, wasm, record, remoteWasms);
	const upgrades = upgradeRows(findings, wasm, record, remoteWasms);
	const also = findings.alsoDoes;
	if (result.verdict === 'match' && also.length > 0)
		return {
			...result,
			verdict: 'unverified',
			line: `${result.line.replace(/^MATCH: /, 'NOT ONLY AN UPGRADE: ')}; but it also does: ${also.join('; ')} (read those calls before you vote)`,
			upgrades,
		};
	if (result.verdict !== 'blocked' && also.length > 0 && findings.upgrades.length > 0)
		return { ...result, line: `${result.line}; it also does: ${also.join('; ')}`, upgrades };
	return { ...result, upgrades };
}

function verdictOf(
	findings: ChainFindings,
	wasm: WasmFacts | undefined,
	record: RecordFacts | undefined,
	remoteWasms: Record<string, WasmFacts>,
): VerdictResult {
	const label = findings.label;
	const blocking = findings.problems.filter((p) => p.severity === 'blocking');
	if (blocking.length > 0) {
		const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more blocking problem${blocking.length > 2 ? 's' : ''})` : '';
		return { verdict: 'blocked', line: `BLOCKED: ${label}: ${blocking[0]!.message}${more}; no vote is offered`, differences: [] };
	}
	const compared = Boolean(wasm || record || Object.keys(remoteWasms).length > 0);
	const upgrades = findings.upgrades;
	if (upgrades.length === 0) {
		const what = findings.proposal.call ? ` (it runs ${findings.proposal.call})` : '';
		if (!compared) return { verdict: 'unverified', line: `NO UPGRADE: ${label} holds no runtime upgrade${what}`, differences: [] };
		const theirs = wasm
			? `your wasm (code hash ${shortHash(wasm.codeHash)})`
			: `the release record (code hash ${shortHash(record?.codeHash)})`;
		return {
			verdict: 'mismatch',
			line: `MISMATCH: ${label} installs no runtime${what}, not ${theirs}`,
			differences: [`no runtime upgrade on chain; ${theirs}`],
		};
	}
	// Upgrades of other chains (through an XCM Transact) are not compared with a wasm for this chain.
	const remote = upgrades.filter((x) => x.destination);
	const local = upgrades.filter((x) => !x.destination);
	const differences: string[] = [];
	for (const u of local) {
		if (wasm) differences.push(...differencesOf(u, wasm));
		if (record?.codeHash && record.codeHash !== u.codeHash)
			differences.push(`code hash ${u.codeHash} on chain vs ${record.codeHash} in the release record`);
		if (record?.specVersion !== undefined && u.specVersion !== undefined && record.specVersion !== u.specVersion)
			differences.push(`spec version ${u.specVersion} on chain vs ${record.specVersion} in the release record`);
		if (record?.size !== undefined && u.codeLength !== undefined && record.size !== u.codeLength)
			differences.push(`code length ${int(u.codeLength)} bytes on chain vs ${int(record.size)} bytes in the release record`);
	}
	if (record && !record.ok) differences.push(`the release record does not verify: ${record.problems.join('; ') || 'invalid'}`);
	if (record && record.ok && !record.codeHash) differences.push('the release record carries no code hash');
	const u = local[local.length - 1] ?? upgrades[upgrades.length - 1]!;
	const chainSide = `${label} ${describeUpgrade(u, wasm)}${remote.length > 0 ? ` and ${remote.map((r) => `on ${r.destination} ${describeUpgrade(r)}`).join(', ')}` : ''}`;
	for (const r of remote) {
		const theirs = remoteWasms[r.destination!];
		if (theirs) differences.push(...differencesOf(r, theirs).map((d) => `${r.destination}: ${d}`));
	}
	const notCompared = [
		...(wasm || record ? [] : local.map((l) => `this chain: ${describeUpgrade(l)}`)),
		...remote.filter((r) => !remoteWasms[r.destination!]).map((r) => `${r.destination}: ${describeUpgrade(r)}`),
	];
	if (!compared) {
		return {
			verdict: 'unverified',
			line: `CHAIN ONLY: ${chainSide}; pass --wasm or --record to compare it with what you built`,
			differences,
		};
	}
	const remoteNames = Object.keys(remoteWasms).filter((d) => remote.some((r) => r.destination === d));
	const against =
		[wasm ? 'your wasm' : '', record ? 'the release record' : '', ...remoteNames.map((d) => `your wasm for ${d}`)]
			.filter(Boolean)
			.join(' and ') || 'nothing you hold';
	if (differences.length === 0 && notCompared.length > 0)
		return {
			verdict: 'unverified',
			line: `NOT ALL COMPARED: ${label}: ${wasm || record ? (local.length > 0 ? `this chain's upgrade is the same as ${against}` : 'no upgrade of this chain') : `the same as ${against}`}; not compared with anything you hold: ${notCompared.join('; ')} (review it against that chain's wasm)`,
			differences,
		};
	if (differences.length === 0) {
		return { verdict: 'match', line: `MATCH: ${chainSide}, same as ${against}${compatTail(wasm)}`, differences };
	}
	const theirs = wasm
		? `your wasm is ${wasm.specName} spec ${wasm.specVersion}, code hash ${shortHash(wasm.codeHash)} (${int(wasm.size)} bytes)`
		: record
			? `the release record says code hash ${shortHash(record.codeHash)}`
			: `your wasm for ${remoteNames.join(' and ')} differs`;
	return {
		verdict: 'mismatch',
		line: `MISMATCH: ${chainSide}, but ${theirs}: ${differences.map(shortenDifference).join('; ')}`,
		differences,
	};
}

/** Differences carry full hashes; the one-line verdict shows them short. */
function shortenDifference(d: string): string {
	return d.replace(/0x[0-9a-f]{64}/g, (h) => shortHash(h));
}

export const EXIT_FOR_VERDICT = { match: 0, unverified: 0, mismatch: 1, blocked: 1 } as const;
