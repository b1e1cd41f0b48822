/**
 * Release notes, pure: pull request numbers, conventional-commit types and
 * grouping by path, the notes digest, and rendering.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { canonicalJson } from './manifest.js';
import type { NoteCommit, NoteGroup, ReleaseNotes } from './alignment-types.js';

export const NOTE_GROUPS: readonly NoteGroup[] = ['runtime', 'pallets', 'node', 'other'];
export const NOTE_GROUP_TITLES: Record<NoteGroup, string> = { runtime: 'Runtime', pallets: 'Pallets', node: 'Node', other: 'Other' };

const MERGE_PR = /^Merge pull request #(\d+)\b/;
const SUFFIX_PR = /\(#(\d+)\)\s*$/;
const CONVENTIONAL = /^(\w+)(?:\(([^)]*)\))?(!)?:\s*(.+)$/;

/** The pull request a first-parent commit came from: "Merge pull request #123 from …" or a "… (#123)" suffix. */
export function prNumber(subject: string): number | undefined {
	const m = MERGE_PR.exec(subject) ?? SUFFIX_PR.exec(subject);
	return m ? Number(m[1]) : undefined;
}

export function conventional(subject: string): { type: string; scope?: string; breaking: boolean } | undefined {
	const m = CONVENTIONAL.exec(subject);
	if (!m) return undefined;
	return { type: m[1]!.toLowerCase(), ...(m[2] ? { scope: m[2] } : {}), breaking: m[3] === '!' };
}

/**
 * Which group a commit belongs to: its conventional scope when it names one
 * (runtime, pallet(s), node), else the paths it touches (runtime/, pallets/ or
 * frame/, node/ or client/), else other. The first matching group in the order
 * runtime, pallets, node wins.
 */
export function groupOf(subject: string, files: readonly string[] = []): NoteGroup {
	const scope = conventional(subject)?.scope?.toLowerCase();
	if (scope) {
		if (/^runtimes?\b/.test(scope)) return 'runtime';
		if (/^pallets?\b|^frame\b/.test(scope)) return 'pallets';
		if (/^node\b|^client\b|^cli\b/.test(scope)) return 'node';
	}
	const has = (re: RegExp) => files.some((f) => re.test(f));
	if (has(/(^|\/)runtimes?\//)) return 'runtime';
	if (has(/(^|\/)(pallets|frame)\//)) return 'pallets';
	if (has(/(^|\/)(node|client)\//)) return 'node';
	return 'other';
}

/** The human title of a commit: merge commits use their body's first line when there is one. */
export function noteCommit(sha: string, subject: string, body: string, files: readonly string[]): NoteCommit {
	const pr = prNumber(subject);
	const title = MERGE_PR.test(subject) && body.trim() ? body.trim().split('\n')[0]!.trim() : subject;
	const cc = conventional(title);
	const commit: NoteCommit = { sha, subject: title, group: groupOf(title, files) };
	if (pr !== undefined) commit.pr = pr;
	if (cc) {
		commit.type = cc.type;
		if (cc.scope) commit.scope = cc.scope;
		if (cc.breaking) commit.breaking = true;
	}
	if (files.length) commit.files = [...files];
	return commit;
}

/** blake2-256 of what the notes say (not when or where they were collected). */
export function notesDigest(notes: Pick<ReleaseNotes, 'fromCommit' | 'releaseCommit' | 'commits'>): string {
	return blake2AsHex(
		canonicalJson({
			fromCommit: notes.fromCommit,
			releaseCommit: notes.releaseCommit,
			commits: notes.commits.map((c) => ({ sha: c.sha, subject: c.subject, pr: c.pr ?? null, group: c.group })),
		}),
		256,
	);
}

export function groupedCommits(notes: Pick<ReleaseNotes, 'commits'>): Array<{ group: NoteGroup; commits: NoteCommit[] }> {
	return NOTE_GROUPS.map((group) => ({ group, commits: notes.commits.filter((c) => c.group === group) })).filter(
		(g) => g.commits.length > 0,
	);
}

export function prLink(notes: Pick<ReleaseNotes, 'github'>, pr: number): string {
	return notes.github ? `[#${pr}](https://github.com/${notes.github}/pull/${pr})` : `#${pr}`;
}

/** Markdown: one section per group, each commit with its PR. */
export function notesMarkdown(notes: ReleaseNotes): string {
	const lines: string[] = [];
	for (const { group, commits } of groupedCommits(notes)) {
		lines.push(`### ${NOTE_GROUP_TITLES[group]}`, '');
		for (const c of commits) {
			const pr = c.pr !== undefined ? notes.pullRequests?.[String(c.pr)] : undefined;
			const title = pr && pr.title && pr.title !== c.subject.replace(SUFFIX_PR, '').trim() ? ` — ${pr.title}` : '';
			lines.push(
				`- ${c.breaking ? '**breaking** ' : ''}${c.subject.replace(SUFFIX_PR, '').trim()}${c.pr !== undefined ? ` (${prLink(notes, c.pr)}${title})` : ''} \`${c.sha.slice(0, 10)}\``,
			);
		}
		lines.push('');
	}
	if (lines.length === 0) lines.push('_no commits between the two releases_', '');
	if (notes.releaseChecks) {
		const c = notes.releaseChecks;
		lines.push(
			`Checks of the release commit on GitHub: **${c.state}** (${c.total} checks${c.failing.length ? `; failing: ${c.failing.join(', ')}` : ''}${c.pending.length ? `; pending: ${c.pending.join(', ')}` : ''})`,
			'',
		);
	}
	return lines.join('\n');
}
