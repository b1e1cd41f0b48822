/**
 * A review as text lines (headless output and the review screen's details)
 * and as JSON. Pure. The verdict line always comes first.
 */
import { formatBalance } from '../domain/amount.js';
import { shortHash } from '../domain/hash-text.js';
import { COLLECTIVE_TITLE } from '../chain/pallets/collective.js';
import { rehearsalText } from '../engine/rehearsal-text.js';
import type { DryRunFacts, ReviewReport, VoteState } from './types.js';

export interface Token {
	decimals: number;
	symbol: string;
}

const int = (n: number) => n.toLocaleString('en-US');

export function detailLines(report: ReviewReport): string[] {
	const f = report.findings;
	const lines: string[] = [];
	lines.push(`environment: ${report.env.name} (${report.env.kind}) at ${report.env.endpoint}, block #${f.atBlock}`);
	lines.push(`proposal:    ${f.label}`);
	if (f.proposal.hash)
		lines.push(
			`  call hash (proposal): ${f.proposal.hash}${f.proposal.length !== undefined ? `, ${int(f.proposal.length)} bytes` : ''} [${f.proposal.via}]`,
		);
	if (f.proposal.call) lines.push(`  call: ${f.proposal.call}`);
	for (const p of f.preimages) {
		const len = p.expectedLength !== undefined ? `noted len in proposal ${int(p.expectedLength)}` : 'no length in proposal';
		const noted =
			p.status === 'inline'
				? 'inline'
				: p.notedLength !== undefined
					? `preimage pallet length ${int(p.notedLength)}`
					: `preimage pallet: ${p.status}`;
		lines.push(
			`  preimage ${p.hash} (${p.via}): ${p.present ? 'present' : 'MISSING'}; ${len}; ${noted}${p.lengthMatches === false ? ' — LENGTHS DIFFER' : p.lengthMatches ? ' — lengths match' : ''}`,
		);
	}
	const rows = report.verdict.upgrades ?? [];
	if (rows.length > 0) {
		lines.push(`upgrades (${rows.length}):  chain       call                             code hash          yours`);
		for (const r of rows)
			lines.push(
				`  ${r.chain.padEnd(11)} ${r.call.padEnd(32)} ${shortHash(r.codeHash).padEnd(18)} ${r.verdict === 'differs' ? 'DIFFERS' : r.verdict}`,
			);
	}
	for (const a of f.alsoDoes) lines.push(`also does:   ${a}`);
	if (f.upgrades.length === 0) lines.push('upgrade:     none found in the proposal');
	for (const u of f.upgrades) {
		lines.push(`upgrade:     ${u.kind}${u.checkVersion !== undefined ? ` (check_version ${u.checkVersion})` : ''}`);
		lines.push(`  code hash (blake2-256 of the wasm): ${u.codeHash}`);
		lines.push(
			`  code length: ${u.codeLength !== undefined ? `${int(u.codeLength)} bytes` : `not on chain (${u.kind} carries only the hash)`}`,
		);
		if (u.specName) lines.push(`  runtime: ${u.specName} spec ${u.specVersion}`);
		else if (u.versionError) lines.push(`  runtime: version unreadable (${u.versionError})`);
		lines.push(`  call hash (blake2-256 of this ${u.kind} call): ${u.callHash}`);
		lines.push(`  path: ${u.path.join(' → ')}`);
	}
	if (report.wasm) {
		const w = report.wasm;
		lines.push(`your wasm:   ${w.path}`);
		lines.push(
			`  code hash: ${w.codeHash}, ${int(w.size)} bytes, ${w.specName} spec ${w.specVersion} (transaction version ${w.transactionVersion})`,
		);
		if (w.live) lines.push(`  live runtime: ${w.live.specName} spec ${w.live.specVersion}`);
		if (w.compat)
			lines.push(
				`  forward compatibility: ${w.compat.status === 'pass' ? 'yes' : w.compat.status === 'fail' ? 'NO' : 'not checked'} — ${w.compat.summary}`,
			);
	}
	if (report.record) {
		const r = report.record;
		lines.push(`release record: ${r.path}`);
		lines.push(
			`  ${r.ok ? 'verifies' : 'DOES NOT VERIFY'}: digest ${r.digestOk ? 'ok' : 'BAD'}, code hash ${r.codeHash ?? '—'}${r.specVersion !== undefined ? `, ${r.specName} spec ${r.specVersion}` : ''}`,
		);
		for (const s of r.signoffs)
			lines.push(`  sign-off ${s.group}: ${s.signer} ${s.decision} ${s.valid ? '✔ valid' : s.stale ? '✖ stale' : '✖ invalid'}`);
		for (const g of r.groups ?? [])
			lines.push(`  group ${g.group} (${g.env}): ${g.approvals}/${g.threshold} approvals${g.met ? '' : ' — threshold not met'}`);
		for (const p of r.problems) lines.push(`  ✖ ${p}`);
	}
	for (const p of f.problems) {
		lines.push(`${p.severity === 'blocking' ? '✖ BLOCKING' : '⚠ warning'}${p.id ? ` [${p.id}]` : ''}: ${p.message}`);
		if (p.todo) lines.push(`  what to do: ${p.todo}`);
	}
	for (const n of f.notes) lines.push(`note: ${n}`);
	return lines;
}

export function voteStateLines(state: VoteState, token: Token): string[] {
	const bal = (v: string) => formatBalance(v, token.decimals, token.symbol);
	switch (state.kind) {
		case 'none':
			return [`vote: ${state.reason}`];
		case 'motion': {
			const left = state.end === undefined ? undefined : state.end - state.best;
			const ends =
				state.end === undefined || left === undefined
					? 'no voting period (the vote that reaches the threshold runs it)'
					: `ends at block #${state.end} (${left >= 0 ? `${left} blocks left` : `${-left} blocks ago: can be closed`})`;
			return [
				`vote (${COLLECTIVE_TITLE[state.collective]} motion ${state.index}): ${state.ayes.length} aye, ${state.nays.length} nay of ${state.members.length} members; threshold ${state.threshold}; ${ends}`,
				...state.members.map(
					(m) =>
						`  ${state.ayes.includes(m) ? 'aye ' : state.nays.includes(m) ? 'nay ' : '—   '} ${m}${state.prime === m ? ' (prime)' : ''}`,
				),
			];
		}
		case 'democracy':
			if (state.status === 'finished')
				return [
					`vote (democracy referendum ${state.index}): finished, ${state.approved ? 'approved' : 'not approved'} at block #${state.end}`,
				];
			return [
				`vote (democracy referendum ${state.index}): ends at block #${state.end} (${state.end - state.best} blocks left), threshold ${state.threshold}, enactment delay ${state.delay} blocks`,
				`  tally: aye ${bal(state.tally!.ayes)}, nay ${bal(state.tally!.nays)}, turnout ${bal(state.tally!.turnout)}${state.totalIssuance ? ` of ${bal(state.totalIssuance)} issued` : ''}`,
			];
		case 'opengov':
			if (state.status !== 'ongoing') return [`vote (OpenGov referendum ${state.index}): ${state.status}`];
			return [
				`vote (OpenGov referendum ${state.index}, track ${state.trackName ?? state.track}): ${state.phase}${state.phase === 'confirming' ? ` until block #${state.confirmingUntil}` : ''}; submitted at #${state.submitted}${state.decidingSince !== undefined ? `, deciding since #${state.decidingSince}` : ''}${state.decisionEnds !== undefined ? `, ${state.phase === 'preparing' ? 'prepare period ends' : 'decision period ends'} at #${state.decisionEnds}` : ''} (now #${state.best})`,
				...(state.periods
					? [
							`  periods: prepare ${state.periods.prepare}, decision ${state.periods.decision}, confirm ${state.periods.confirm}, min enactment ${state.periods.minEnactment} blocks`,
						]
					: []),
				`  tally: aye ${bal(state.tally!.ayes)}, nay ${bal(state.tally!.nays)}, support ${bal(state.tally!.support)}`,
			];
	}
}

export function reportLines(report: ReviewReport, token: Token): string[] {
	return [
		report.verdict.line,
		...report.verdict.differences.map((d) => `  differs: ${d}`),
		'',
		...detailLines(report),
		'',
		...voteStateLines(report.voteState, token),
		...(report.role ? [`you: ${report.role.address} — ${report.role.summary}`] : []),
		...dryRunLines(report.dryRun),
		'',
		'steps:',
		...report.findings.steps.map((s) => `  ${s}`),
	];
}

/** `--dry-run`: what was dispatched on the fork and what the fork showed. */
export function dryRunLines(dryRun: DryRunFacts | undefined): string[] {
	if (!dryRun) return [];
	const lines = ['', 'dry-run on a fork of the chain:'];
	if (dryRun.what) lines.push(`  ${dryRun.what}`);
	if (dryRun.report) lines.push(...rehearsalText(dryRun.report).map((l) => `  ${l}`));
	else if (dryRun.notRun) lines.push(`  ✖ not run: ${dryRun.notRun}`);
	for (const para of dryRun.paras ?? []) lines.push(...rehearsalText(para).map((l) => `  ${l}`));
	for (const line of dryRun.unfollowed ?? []) lines.push(`  not followed: ${line}`);
	if (dryRun.cache) lines.push(`  fork cache: ${dryRun.cache}`);
	return lines;
}

/** The JSON form: `{ verdict, line, differences, … }`. */
export function reportJson(report: ReviewReport): Record<string, unknown> {
	return {
		verdict: report.verdict.verdict,
		line: report.verdict.line,
		differences: report.verdict.differences,
		env: report.env,
		target:
			report.findings.target.kind === 'call'
				? {
						kind: 'call',
						source: report.findings.target.source,
						length: report.findings.target.bytes.length,
						hash: report.findings.proposal.hash,
					}
				: report.findings.target,
		label: report.findings.label,
		proposal: report.findings.proposal,
		preimages: report.findings.preimages,
		// Each upgrade with its verdict against what the reviewer holds for its chain (the table of upgrades).
		upgrades: report.findings.upgrades.map((u, i) => ({ ...u, verdict: report.verdict.upgrades?.[i]?.verdict ?? 'not compared' })),
		alsoDoes: report.findings.alsoDoes,
		...(report.wasm ? { wasm: report.wasm } : {}),
		...(report.record ? { record: report.record } : {}),
		problems: report.findings.problems,
		notes: report.findings.notes,
		steps: report.findings.steps,
		voteState: report.voteState,
		...(report.role ? { role: report.role } : {}),
		...(report.dryRun ? { dryRun: report.dryRun } : {}),
		atBlock: report.findings.atBlock,
	};
}
