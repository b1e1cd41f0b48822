/**
 * The forward-compatibility gate, from a metadata diff. Pure: same inputs,
 * same result (pass `at` to fix `checkedAt`).
 *
 * Fails when the new runtime has breaking changes, when transaction_version
 * is not bumped although existing calls changed (or decreases), or when the
 * spec name differs (then the comparison itself is meaningless). A spec
 * version that does not increase is listed in the evidence but left to the
 * `spec-version` gate.
 */
import type { Environment, GateResult } from '../domain/types.js';
import type { DiffReport, MetadataChange, ProblemCode } from './diff.js';

export const MAX_GATE_BREAKING = 200;

const FAILING: ProblemCode[] = ['breaking-changes', 'tx-version-not-bumped', 'tx-version-decreased', 'spec-name-changed'];

export interface GateBreakingChange {
	pallet: string;
	kind: MetadataChange['kind'];
	action: MetadataChange['action'];
	item?: string;
	detail: string;
	requiresTxVersionBump: boolean;
}

export function forwardCompatGate(env: string | Pick<Environment, 'name'>, report: DiffReport, at?: string): Omit<GateResult, 'waiver'> {
	const breaking = report.changes.filter((c) => c.severity === 'breaking');
	const failing = report.problems.filter((p) => FAILING.includes(p.code));
	const from = `${report.old.specName} ${report.old.specVersion}`;
	const to = `${report.new.specName} ${report.new.specVersion}`;
	let summary: string;
	if (failing.length === 0) {
		summary = `forward compatible with ${from}: ${report.counts.additive} additive change${report.counts.additive === 1 ? '' : 's'}, none breaking`;
	} else {
		const parts: string[] = [];
		if (breaking.length) {
			const kinds = new Map<string, number>();
			for (const c of breaking) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
			parts.push(
				`${breaking.length} breaking change${breaking.length === 1 ? '' : 's'} (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`,
			);
		}
		for (const p of failing) if (p.code !== 'breaking-changes') parts.push(p.message.split(':')[0]!);
		summary = `not forward compatible with ${from}: ${parts.join('; ')}`;
	}
	const listed: GateBreakingChange[] = breaking.slice(0, MAX_GATE_BREAKING).map((c) => ({
		pallet: c.pallet,
		kind: c.kind,
		action: c.action,
		...(c.item === undefined ? {} : { item: c.item }),
		detail: c.detail,
		requiresTxVersionBump: c.requiresTxVersionBump,
	}));
	return {
		id: 'forward-compatible',
		env: typeof env === 'string' ? env : env.name,
		status: failing.length === 0 ? 'pass' : 'fail',
		summary,
		evidence: {
			from,
			to,
			transactionVersion: { old: report.old.transactionVersion, new: report.new.transactionVersion },
			verdicts: { ...report.verdicts },
			problems: report.problems.map((p) => ({ ...p })),
			counts: {
				total: report.counts.total,
				breaking: report.counts.breaking,
				additive: report.counts.additive,
				requiringTxVersionBump: report.counts.requiringTxVersionBump,
				byKind: report.counts.byKind,
			},
			breaking: listed,
			breakingTruncated: breaking.length > listed.length,
		},
		checkedAt: at ?? new Date().toISOString(),
	};
}
