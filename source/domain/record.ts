/**
 * The release record: everything a good release page holds, as JSON that
 * anyone can verify with public keys only (`verifyRecord`), and as markdown.
 * Pure: built from a release (and its environments) without I/O.
 */
import type { ReleaseNotes, RecoveryPlan, Signoff } from './alignment-types.js';
import { currentManifest, GATE_TITLES, promotionBlockers, signoffSummary } from './alignment.js';
import type { AuditEntry, Environment, GateResult, GovProgress, Release, SoakProgress, UpgradeRecord } from './types.js';
import type { ReleaseManifest } from './manifest.js';
import { groupedCommits, NOTE_GROUP_TITLES, prLink } from './notes.js';

export const RECORD_FORMAT = 'release-console/record@1';

export interface RecordEnvironment {
	env: string;
	kind?: string;
	route?: string;
	upgrade?: UpgradeRecord;
	verified?: { specVersion: number; codeHash: string; blockNumber: number; at: string };
	soak?: SoakProgress;
	gov?: GovProgress;
	extrinsics: Array<{ call: string; signer: string; extrinsicHash?: string; status?: string; blockNumber?: number; blockHash?: string }>;
	/** Promotion blockers at export time (empty when it could be promoted). */
	blockers: Array<{ gate: string; env: string; status: string; summary: string }>;
}

export interface ReleaseRecord {
	format: typeof RECORD_FORMAT;
	exportedAt: string;
	release: {
		id: string;
		name: string;
		createdAt: string;
		environments: string[];
		artifact: {
			codeHash: string;
			specName: string;
			specVersion: number;
			transactionVersion: number;
			implName?: string;
			size: number;
			uncompressedSize: number;
			compressed: boolean;
		};
		srtoolDigest?: string;
	};
	/** One manifest per environment: what its stakeholders sign. */
	manifests: Array<{ env: string; digest: string; manifest: ReleaseManifest }>;
	signoffs: Signoff[];
	gates: GateResult[];
	notes?: ReleaseNotes;
	environments: RecordEnvironment[];
	recovery?: Record<string, RecoveryPlan>;
	audit: AuditEntry[];
}

export function buildRecord(release: Release, envs: Environment[], at = new Date().toISOString()): ReleaseRecord {
	const a = release.artifact;
	const record: ReleaseRecord = {
		format: RECORD_FORMAT,
		exportedAt: at,
		release: {
			id: release.id,
			name: release.name,
			createdAt: release.createdAt,
			environments: [...release.environments],
			artifact: {
				codeHash: a.codeHash,
				specName: a.specName,
				specVersion: a.specVersion,
				transactionVersion: a.transactionVersion,
				...(a.implName ? { implName: a.implName } : {}),
				size: a.size,
				uncompressedSize: a.uncompressedSize,
				compressed: a.compressed,
			},
			...(release.alignment?.srtoolDigest ? { srtoolDigest: release.alignment.srtoolDigest } : {}),
		},
		manifests: release.environments.map((env) => {
			const { manifest, digest } = currentManifest(release, env);
			return { env, digest, manifest };
		}),
		signoffs: (release.alignment?.signoffs ?? []).map((s) => ({ ...s })),
		gates: release.gates.map((g) => ({ ...g })),
		environments: release.environments.map((name) => {
			const p = release.progress[name];
			const env = envs.find((e) => e.name === name);
			return {
				env: name,
				...(env ? { kind: env.kind } : {}),
				...((p?.route ?? env?.route) ? { route: p?.route ?? env?.route } : {}),
				...(p?.upgrade ? { upgrade: p.upgrade } : {}),
				...(p?.verified ? { verified: p.verified } : {}),
				...(p?.soak ? { soak: p.soak } : {}),
				...(p?.gov ? { gov: p.gov } : {}),
				extrinsics: (p?.intents ?? []).map((i) => ({
					call: i.call,
					signer: i.signer,
					...((i.outcome?.extrinsicHash ?? i.extrinsicHash)
						? { extrinsicHash: i.outcome?.extrinsicHash ?? i.extrinsicHash }
						: {}),
					...(i.outcome ? { status: i.outcome.status } : {}),
					...(i.outcome?.blockNumber !== undefined ? { blockNumber: i.outcome.blockNumber } : {}),
					...(i.outcome?.blockHash ? { blockHash: i.outcome.blockHash } : {}),
				})),
				blockers: env ? promotionBlockers(release, name, envs, at) : [],
			};
		}),
		audit: release.audit.map((e) => ({ ...e })),
	};
	if (release.alignment?.notes) record.notes = release.alignment.notes;
	if (release.alignment?.recovery) record.recovery = release.alignment.recovery;
	return record;
}

function kib(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KiB`;
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A release page in markdown (modelled on a good release template). Sign-off validity needs cryptoWaitReady(). */
export function recordMarkdown(release: Release, envs: Environment[], at = new Date().toISOString()): string {
	const record = buildRecord(release, envs, at);
	const a = record.release.artifact;
	const out: string[] = [];
	out.push(`# ${release.name}`, '');
	out.push(`Release \`${release.id}\`, exported ${at}.`, '');
	out.push('| | |', '| --- | --- |');
	out.push(
		`| runtime | ${a.specName} spec ${a.specVersion}, transaction version ${a.transactionVersion}${a.implName ? ` (${a.implName})` : ''} |`,
	);
	out.push(`| code hash (blake2-256) | \`${a.codeHash}\` |`);
	out.push(`| size | ${kib(a.size)}${a.compressed ? ` compressed, ${kib(a.uncompressedSize)} uncompressed` : ''} |`);
	out.push(`| srtool digest | ${record.release.srtoolDigest ? `\`${record.release.srtoolDigest}\`` : '—'} |`);
	if (record.notes)
		out.push(
			`| release commit | \`${record.notes.releaseCommit}\` (${record.notes.onBranch ? `on ${record.notes.branchRef ?? record.notes.branch}` : `**not on ${record.notes.branch}**`}) |`,
		);
	out.push(`| environments | ${release.environments.join(' → ')} |`, '');

	const compat = release.gates.filter((g) => g.id === 'forward-compatible');
	if (compat.length) {
		out.push('## Forward compatibility', '');
		for (const g of compat) out.push(`- ${g.env}: ${g.status} — ${g.summary}`);
		out.push('');
	}

	out.push('## Changes', '');
	if (record.notes) {
		const n = record.notes;
		out.push(
			`${n.commits.length} commit${n.commits.length === 1 ? '' : 's'} from \`${n.fromCommit.slice(0, 12)}\` to \`${n.releaseCommit.slice(0, 12)}\` (first parent of ${n.branch}).`,
			'',
		);
		for (const { group, commits } of groupedCommits(n)) {
			out.push(`### ${NOTE_GROUP_TITLES[group]}`, '');
			for (const c of commits)
				out.push(
					`- ${c.breaking ? '**breaking** ' : ''}${c.subject.replace(/\s*\(#\d+\)\s*$/, '')}${c.pr !== undefined ? ` (${prLink(n, c.pr)})` : ''} \`${c.sha.slice(0, 10)}\``,
				);
			out.push('');
		}
		for (const r of n.remarks ?? []) out.push(`_${r}_`, '');
	} else {
		out.push('_no release notes collected_', '');
	}

	out.push('## Gates', '', '| environment | gate | state | evidence |', '| --- | --- | --- | --- |');
	for (const g of release.gates) {
		const waiver = g.waiver ? ` — waived: ${g.waiver.reason}` : '';
		out.push(`| ${g.env} | ${GATE_TITLES[g.id] ?? g.id} | ${g.status} | ${cell(g.summary + waiver)} |`);
	}
	out.push('');

	out.push('## Sign-offs', '');
	for (const m of record.manifests) {
		const summary = signoffSummary(release, m.env);
		if (summary.groups.length === 0 && summary.strays.length === 0) continue;
		out.push(`### ${m.env} (manifest \`${m.digest}\`): ${summary.state}`, '');
		out.push('| group | signer | decision | signature | state |', '| --- | --- | --- | --- | --- |');
		for (const g of summary.groups) {
			if (g.signoffs.length === 0) out.push(`| ${g.group.name} (${g.approvals}/${g.group.threshold}) | — | — | — | missing |`);
			for (const s of g.signoffs) {
				out.push(
					`| ${g.group.name} (${g.approvals}/${g.group.threshold}) | \`${s.signoff.signer}\` | ${s.signoff.decision}${s.signoff.reason ? `: ${cell(s.signoff.reason)}` : ''} | \`${s.signoff.signature.slice(0, 18)}…\` (${s.signoff.cryptoType}) | ${s.verdict}${s.member ? '' : ', not a member'} |`,
				);
			}
		}
		out.push('');
	}

	out.push('## On chain', '');
	for (const e of record.environments) {
		out.push(`### ${e.env}${e.kind ? ` (${e.kind}, ${e.route ?? '?'})` : ''}`, '');
		const gov = e.gov;
		if (gov?.preimage)
			out.push(
				`- preimage \`${gov.preimage.hash}\` (${gov.preimage.len} bytes)${gov.preimage.notedAt !== undefined ? ` noted at #${gov.preimage.notedAt}` : ''}`,
			);
		if (gov?.council) out.push(`- council motion ${gov.council.index} \`${gov.council.hash}\``);
		if (gov?.fastTrack) out.push(`- technical committee motion ${gov.fastTrack.index} \`${gov.fastTrack.hash}\``);
		if (gov?.referendum)
			out.push(
				`- referendum ${gov.referendum.index} (${gov.referendum.kind})${gov.referendum.approvedAt !== undefined ? ` approved at #${gov.referendum.approvedAt}` : ''}`,
			);
		if (gov?.enactment?.blockNumber !== undefined) out.push(`- enactment block #${gov.enactment.blockNumber}`);
		for (const x of e.extrinsics)
			out.push(
				`- ${x.call} by \`${x.signer}\`: ${x.status ?? 'sent'}${x.blockNumber !== undefined ? ` in #${x.blockNumber}` : ''}${x.extrinsicHash ? ` \`${x.extrinsicHash}\`` : ''}`,
			);
		if (e.upgrade)
			out.push(
				`- upgraded in block #${e.upgrade.blockNumber} \`${e.upgrade.blockHash}\`: spec ${e.upgrade.fromSpecVersion} → ${e.upgrade.toSpecVersion}`,
			);
		if (e.verified)
			out.push(`- verified spec ${e.verified.specVersion}, code \`${e.verified.codeHash}\` at #${e.verified.blockNumber}`);
		if (e.soak)
			out.push(`- soak: #${e.soak.startBlock} → #${e.soak.lastBlock}, longest gap ${Math.round(e.soak.longestStallSeconds)} s`);
		const plan = record.recovery?.[e.env];
		if (plan) {
			out.push(
				`- recovery: previous runtime ${plan.previousSpecName} ${plan.previousSpecVersion} \`${plan.previousCodeHash}\` (read at #${plan.blockNumber})`,
			);
			for (const step of plan.steps) out.push(`  - ${step}`);
		}
		if (e.blockers.length) out.push(`- promotion blocked by: ${e.blockers.map((b) => `${b.gate} (${b.status})`).join(', ')}`);
		out.push('');
	}
	out.push(`Verify this release's JSON record with \`release-console verify RECORD.json [--wasm PATH]\`.`, '');
	return out.join('\n');
}
