/**
 * Release notes from a local git checkout: the first-parent commits between
 * the previous release's commit and this release's commit, each with its pull
 * request, and whether the release commit is reachable from the protected
 * branch (local or remote-tracking). `git` runs as a child process (execFile,
 * no shell). With GITHUB_TOKEN set, pull request titles and the release
 * commit's checks are added from GitHub (github.ts); without it, git alone.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ReleaseError } from '../domain/errors.js';
import type { NoteCommit, ReleaseNotes } from '../domain/alignment-types.js';
import { noteCommit, notesDigest } from '../domain/notes.js';

const run = promisify(execFile);

export interface CollectNotesOptions {
	repo: string;
	/** The previous release's commit (or any ref naming it). */
	from: string;
	/** This release's commit (or any ref naming it). */
	to: string;
	/** Protected branch (default main). */
	branch?: string;
	at?: string;
	env?: Record<string, string | undefined>;
}

/** Kind `refused` (from ReleaseError): git or the repository said no; exit 1. */
export class NotesError extends ReleaseError {
	constructor(code: string, message: string, hint?: string) {
		super(code, message, hint);
		this.name = 'NotesError';
	}
}

async function git(repo: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string; code: number }> {
	try {
		const { stdout, stderr } = await run('git', ['-C', repo, ...args], {
			maxBuffer: 64 * 1024 * 1024,
			env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
		});
		return { ok: true, stdout, stderr, code: 0 };
	} catch (error) {
		const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
		if (e.code === 'ENOENT')
			throw new NotesError(
				'git-missing',
				'git is not installed (or not on PATH)',
				'install git; the notes are read from a local checkout',
			);
		return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message, code: typeof e.code === 'number' ? e.code : 1 };
	}
}

async function resolveCommit(repo: string, ref: string, what: string): Promise<string> {
	if (!ref || ref.startsWith('-'))
		throw new NotesError('unknown-ref', `${what} "${ref}" is not a commit`, 'pass a commit SHA, tag or branch name');
	const r = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
	if (!r.ok || !r.stdout.trim()) {
		throw new NotesError(
			'unknown-ref',
			`${what} "${ref}" is not a commit in ${repo}`,
			'check the SHA (git log), or fetch the history that contains it (git fetch)',
		);
	}
	return r.stdout.trim();
}

/** GitHub "owner/name" of the origin remote, if it is on GitHub (credentials in the URL are never kept). */
export function githubSlug(url: string): string | undefined {
	const m = /github\.com[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
	return m ? `${m[1]}/${m[2]}` : undefined;
}

export async function collectNotes(options: CollectNotesOptions): Promise<ReleaseNotes> {
	const repo = path.resolve(options.repo);
	const branch = options.branch ?? 'main';
	const inside = await git(repo, ['rev-parse', '--is-inside-work-tree']);
	if (!inside.ok || inside.stdout.trim() !== 'true') {
		throw new NotesError(
			'not-a-repo',
			`${repo} is not a git repository`,
			"pass --repo the path of a local checkout of the runtime's repository",
		);
	}
	const dirty = await git(repo, ['status', '--porcelain', '--untracked-files=no']);
	if (!dirty.ok) throw new NotesError('git-failed', `git status failed in ${repo}: ${dirty.stderr.trim()}`);
	if (dirty.stdout.trim()) {
		// Porcelain lines are "XY path": do not trim the leading status column.
		const files = dirty.stdout
			.split('\n')
			.filter((l) => l.trim())
			.map((l) => l.slice(3));
		throw new NotesError(
			'dirty-tree',
			`the checkout ${repo} has uncommitted changes (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''})`,
			'release notes come from committed history only: commit or discard the changes, or use a clean checkout',
		);
	}
	const from = await resolveCommit(repo, options.from, 'previous release commit');
	const to = await resolveCommit(repo, options.to, 'release commit');
	const ancestor = await git(repo, ['merge-base', '--is-ancestor', from, to]);
	if (!ancestor.ok) {
		throw new NotesError(
			'not-ancestor',
			`the previous release commit ${from.slice(0, 12)} is not in the history of ${to.slice(0, 12)}`,
			"the history was rewritten (force-pushed?) or the commits are swapped; pass the previous release's commit as --from and this release's as --to",
		);
	}

	// Reachability from the protected branch, local or remote-tracking.
	const refs = await git(repo, ['for-each-ref', '--format=%(refname)', `refs/heads/${branch}`, `refs/remotes/*/${branch}`]);
	const candidates = refs.stdout
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	if (candidates.length === 0) {
		throw new NotesError(
			'unknown-branch',
			`no branch "${branch}" in ${repo} (neither local nor remote-tracking)`,
			'pass --branch with the protected branch, or fetch it (git fetch origin)',
		);
	}
	let branchRef: string | undefined;
	for (const ref of candidates) {
		if ((await git(repo, ['merge-base', '--is-ancestor', to, ref])).ok) {
			branchRef = ref;
			break;
		}
	}

	const log = await git(repo, [
		'log',
		'--first-parent',
		'--diff-merges=first-parent',
		'--name-only',
		'--format=%x1e%H%x1f%s%x1f%b%x1f',
		`${from}..${to}`,
	]);
	if (!log.ok) throw new NotesError('git-failed', `git log failed in ${repo}: ${log.stderr.trim()}`);
	const commits: NoteCommit[] = [];
	for (const chunk of log.stdout.split('\x1e').slice(1)) {
		const [sha, subject, body, rest] = chunk.split('\x1f');
		const files = (rest ?? '')
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean);
		commits.push(noteCommit(sha!.trim(), (subject ?? '').trim(), body ?? '', files));
	}
	commits.reverse(); // oldest first

	const remarks: string[] = [];
	const origin = await git(repo, ['remote', 'get-url', 'origin']);
	const github = origin.ok ? githubSlug(origin.stdout) : undefined;
	const env = options.env ?? process.env;

	const notes: ReleaseNotes = {
		repo,
		branch,
		fromCommit: from,
		releaseCommit: to,
		onBranch: branchRef !== undefined,
		commits,
		digest: '',
		collectedAt: options.at ?? new Date().toISOString(),
	};
	if (github) notes.github = github;
	if (branchRef) notes.branchRef = branchRef;
	if (remarks.length) notes.remarks = remarks;
	notes.digest = notesDigest(notes);
	if (env.GITHUB_TOKEN) {
		const { enrichFromGitHub } = await import('./github.js');
		return enrichFromGitHub(notes, { token: env.GITHUB_TOKEN, apiUrl: env.GITHUB_API_URL });
	}
	return notes;
}
