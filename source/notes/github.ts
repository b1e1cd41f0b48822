/**
 * Optional GitHub enrichment of release notes, when GITHUB_TOKEN is set and
 * the origin remote is on GitHub: each pull request's title, state and link,
 * and the check runs and combined status of the release commit. Never
 * required: any failure (no network, a bad token, rate limits) leaves the
 * notes as git made them, with a remark saying what was not fetched.
 *
 * The API base is GITHUB_API_URL (as in GitHub Actions), default
 * https://api.github.com (GitHub Enterprise servers set their own).
 */
import type { ReleaseNotes } from '../domain/alignment-types.js';

export interface GitHubOptions {
	token: string;
	apiUrl?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
}

export interface PullRequestInfo {
	title: string;
	state: string;
	merged: boolean;
	url: string;
}

export interface CommitChecks {
	/** success | failure | pending | none */
	state: 'success' | 'failure' | 'pending' | 'none';
	total: number;
	failing: string[];
	pending: string[];
}

async function getJson(opts: GitHubOptions, route: string): Promise<unknown> {
	const base = (opts.apiUrl ?? 'https://api.github.com').replace(/\/$/, '');
	const response = await (opts.fetch ?? fetch)(`${base}${route}`, {
		headers: {
			authorization: `Bearer ${opts.token}`,
			accept: 'application/vnd.github+json',
			'x-github-api-version': '2022-11-28',
			'user-agent': 'release-console',
		},
		signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
	});
	if (!response.ok)
		throw new Error(
			`GitHub answered ${response.status} for ${route}${response.status === 401 ? ' (the token is not valid)' : response.status === 403 ? ' (rate limit or missing scope)' : ''}`,
		);
	return response.json();
}

/** Pull request titles and the release commit's checks; returns the notes with what could be fetched, and remarks for the rest. */
export async function enrichFromGitHub(notes: ReleaseNotes, opts: GitHubOptions): Promise<ReleaseNotes> {
	if (!notes.github)
		return {
			...notes,
			remarks: [
				...(notes.remarks ?? []),
				'GITHUB_TOKEN is set, but the origin remote is not on GitHub: the notes come from git alone',
			],
		};
	const slug = notes.github;
	const remarks = [...(notes.remarks ?? [])];
	const pullRequests: Record<string, PullRequestInfo> = {};
	const numbers = [...new Set(notes.commits.map((c) => c.pr).filter((n): n is number => n !== undefined))];
	let failedPrs = 0;
	let firstError: string | undefined;
	for (const n of numbers) {
		try {
			const pr = (await getJson(opts, `/repos/${slug}/pulls/${n}`)) as {
				title?: string;
				state?: string;
				merged_at?: string | null;
				html_url?: string;
			};
			pullRequests[String(n)] = {
				title: String(pr.title ?? ''),
				state: String(pr.state ?? 'unknown'),
				merged: Boolean(pr.merged_at),
				url: String(pr.html_url ?? `https://github.com/${slug}/pull/${n}`),
			};
		} catch (error) {
			failedPrs++;
			firstError ??= (error as Error).message;
		}
	}
	if (failedPrs > 0) remarks.push(`${failedPrs} of ${numbers.length} pull requests could not be fetched from GitHub (${firstError})`);
	let checks: CommitChecks | undefined;
	try {
		const runs = (await getJson(opts, `/repos/${slug}/commits/${notes.releaseCommit}/check-runs?per_page=100`)) as {
			check_runs?: Array<{ name: string; status: string; conclusion: string | null }>;
		};
		const status = (await getJson(opts, `/repos/${slug}/commits/${notes.releaseCommit}/status`)) as {
			statuses?: Array<{ context: string; state: string }>;
		};
		const all = [
			...(runs.check_runs ?? []).map((r) => ({
				name: r.name,
				state:
					r.status !== 'completed'
						? 'pending'
						: ['success', 'neutral', 'skipped'].includes(r.conclusion ?? '')
							? 'success'
							: 'failure',
			})),
			...(status.statuses ?? []).map((s) => ({
				name: s.context,
				state: s.state === 'success' ? 'success' : s.state === 'pending' ? 'pending' : 'failure',
			})),
		];
		const failing = all.filter((c) => c.state === 'failure').map((c) => c.name);
		const pending = all.filter((c) => c.state === 'pending').map((c) => c.name);
		checks = {
			state: all.length === 0 ? 'none' : failing.length ? 'failure' : pending.length ? 'pending' : 'success',
			total: all.length,
			failing,
			pending,
		};
	} catch (error) {
		remarks.push(`the release commit's checks could not be fetched from GitHub (${(error as Error).message})`);
	}
	const out: ReleaseNotes = { ...notes, pullRequests };
	if (checks) out.releaseChecks = checks;
	if (remarks.length) out.remarks = remarks;
	else delete out.remarks;
	return out;
}
