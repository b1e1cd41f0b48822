/** Release notes from a real git repository built in the test with `git`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { collectNotes } from '../../source/notes/git.js';
import { notesMarkdown, prNumber } from '../../source/domain/notes.js';
import { tempHome } from '../helpers/cli.js';
import { gitRepo } from '../helpers/alignment.js';

let dir: string;
let repo: ReturnType<typeof gitRepo>;
let previous: string;
let release: string;
let offBranch: string;

beforeAll(() => {
	dir = tempHome('rc-notes-');
	mkdirSync(dir, { recursive: true });
	execFileSync('git', ['init', '-q', '-b', 'main', dir]);
	repo = gitRepo(dir);
	previous = repo.commit('README.md', 'chore: release 268');
	// A pull request merged with a merge commit.
	repo.git('checkout', '-q', '-b', 'feature/staking');
	repo.commit('pallets/staking/src/lib.rs', 'feat(staking): faster payouts');
	repo.commit('pallets/staking/src/tests.rs', 'test: payouts');
	repo.git('checkout', '-q', 'main');
	repo.git(
		'merge',
		'-q',
		'--no-ff',
		'feature/staking',
		'-m',
		'Merge pull request #101 from org/feature/staking\n\nfeat(pallets): faster staking payouts',
	);
	// Squash-merged pull requests with "(#123)" suffixes.
	repo.commit('runtime/src/lib.rs', 'feat(runtime)!: bump spec version to 269 (#102)');
	repo.commit('node/src/service.rs', 'fix: node service startup (#103)');
	repo.commit('docs/notes.md', 'docs: release notes (#104)');
	release = repo.git('rev-parse', 'HEAD');
	// A commit that never reached main.
	repo.git('checkout', '-q', '-b', 'experiment');
	offBranch = repo.commit('runtime/src/lib.rs', 'wip: experiment');
	repo.git('checkout', '-q', 'main');
});

describe('release notes from git', () => {
	it('first-parent commits between the two releases, each with its pull request, grouped', async () => {
		const notes = await collectNotes({ repo: dir, from: previous, to: release, branch: 'main', at: '2025-03-10T07:00:00.000Z' });
		expect(notes.onBranch).toBe(true);
		expect(notes.branchRef).toBe('refs/heads/main');
		expect(notes.releaseCommit).toBe(release);
		// The branch's own commits ("test: payouts") are not listed: first parent only.
		expect(notes.commits.map((c) => [c.subject, c.pr, c.group])).toEqual([
			['feat(pallets): faster staking payouts', 101, 'pallets'],
			['feat(runtime)!: bump spec version to 269 (#102)', 102, 'runtime'],
			['fix: node service startup (#103)', 103, 'node'],
			['docs: release notes (#104)', 104, 'other'],
		]);
		expect(notes.commits[1]).toMatchObject({ type: 'feat', scope: 'runtime', breaking: true });
		expect(notes.digest).toMatch(/^0x[0-9a-f]{64}$/);
		const md = notesMarkdown(notes);
		expect(md).toMatch(/### Runtime\n\n- \*\*breaking\*\* feat\(runtime\)!: bump spec version to 269 \(#102\)/);
		expect(md.indexOf('### Runtime')).toBeLessThan(md.indexOf('### Pallets'));
	});

	it('the same history gives the same digest; another range another', async () => {
		const a = await collectNotes({ repo: dir, from: previous, to: release });
		const b = await collectNotes({ repo: dir, from: previous, to: release, at: '2030-01-01T00:00:00.000Z' });
		const c = await collectNotes({ repo: dir, from: previous, to: `${release}~1` });
		expect(a.digest).toBe(b.digest);
		expect(c.digest).not.toBe(a.digest);
	});

	it('a release commit that is not on the protected branch fails the gate; a remote-tracking ref counts', async () => {
		const notes = await collectNotes({ repo: dir, from: previous, to: offBranch, branch: 'main' });
		expect(notes.onBranch).toBe(false);
		// Published on origin/release (remote-tracking only): reachable.
		repo.git('update-ref', 'refs/remotes/origin/release', offBranch);
		const remote = await collectNotes({ repo: dir, from: previous, to: offBranch, branch: 'release' });
		expect(remote).toMatchObject({ onBranch: true, branchRef: 'refs/remotes/origin/release' });
	});

	it('bad input: not a repository, unknown ref, unknown branch, swapped or rewritten history, dirty tree', async () => {
		const empty = tempHome('rc-not-git-');
		await expect(collectNotes({ repo: empty, from: 'a', to: 'b' })).rejects.toThrow(/is not a git repository/);
		await expect(collectNotes({ repo: dir, from: previous, to: 'deadbeef' })).rejects.toThrow(
			/release commit "deadbeef" is not a commit in/,
		);
		await expect(collectNotes({ repo: dir, from: previous, to: release, branch: 'protected' })).rejects.toThrow(
			/no branch "protected"/,
		);
		await expect(collectNotes({ repo: dir, from: release, to: previous })).rejects.toMatchObject({
			message: expect.stringMatching(/is not in the history of/),
			hint: expect.stringMatching(/force-pushed/),
		});
		repo.write('runtime/src/lib.rs', 'uncommitted\n');
		try {
			await expect(collectNotes({ repo: dir, from: previous, to: release })).rejects.toThrow(
				/has uncommitted changes \(runtime\/src\/lib.rs\)/,
			);
		} finally {
			repo.git('checkout', '-q', '--', 'runtime/src/lib.rs');
		}
	});

	it('without GITHUB_TOKEN the notes come from git alone; github remotes give PR links', async () => {
		repo.git('remote', 'add', 'origin', 'https://github.com/example-org/example-chain.git');
		const notes = await collectNotes({ repo: dir, from: previous, to: release, env: {} });
		expect(notes.github).toBe('example-org/example-chain');
		expect(notes.pullRequests).toBeUndefined();
		expect(notesMarkdown(notes)).toContain('[#101](https://github.com/example-org/example-chain/pull/101)');
		expect(prNumber('Merge pull request #7 from a/b')).toBe(7);
		expect(prNumber('no pr here')).toBeUndefined();
	});
});

describe('GitHub enrichment (GITHUB_TOKEN set), against a local server speaking the GitHub REST API', () => {
	it("adds pull request titles and the release commit's checks; a bad token leaves the notes from git with a remark", async () => {
		const { createServer } = await import('node:http');
		const seen: string[] = [];
		const server = createServer((req, res) => {
			seen.push(`${req.url} ${req.headers.authorization}`);
			if (req.headers.authorization !== 'Bearer good-token') {
				res.writeHead(401).end('{"message":"Bad credentials"}');
				return;
			}
			const pr = /^\/repos\/org\/runtime\/pulls\/(\d+)$/.exec(req.url ?? '');
			res.setHeader('content-type', 'application/json');
			if (pr)
				return res.end(
					JSON.stringify({
						title: `PR title ${pr[1]}`,
						state: 'closed',
						merged_at: '2025-03-01T00:00:00Z',
						html_url: `https://github.com/org/runtime/pull/${pr[1]}`,
					}),
				);
			if (req.url === `/repos/org/runtime/commits/${release}/check-runs?per_page=100`)
				return res.end(
					JSON.stringify({
						check_runs: [
							{ name: 'tests', status: 'completed', conclusion: 'success' },
							{ name: 'try-runtime', status: 'completed', conclusion: 'failure' },
						],
					}),
				);
			if (req.url === `/repos/org/runtime/commits/${release}/status`)
				return res.end(JSON.stringify({ statuses: [{ context: 'srtool', state: 'success' }] }));
			res.writeHead(404).end('{}');
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		repo.git('remote', 'set-url', 'origin', 'https://github.com/org/runtime.git');
		try {
			const plain = await collectNotes({ repo: dir, from: previous, to: release, env: {} });
			const notes = await collectNotes({
				repo: dir,
				from: previous,
				to: release,
				env: { GITHUB_TOKEN: 'good-token', GITHUB_API_URL: apiUrl },
			});
			expect(notes.github).toBe('org/runtime');
			expect(notes.pullRequests?.['102']).toEqual({
				title: 'PR title 102',
				state: 'closed',
				merged: true,
				url: 'https://github.com/org/runtime/pull/102',
			});
			expect(Object.keys(notes.pullRequests ?? {}).sort()).toEqual(['101', '102', '103', '104']);
			expect(notes.releaseChecks).toEqual({ state: 'failure', total: 3, failing: ['try-runtime'], pending: [] });
			expect(notes.remarks).toBeUndefined();
			// Titles describe; they do not change what was signed off.
			expect(notes.digest).toBe(plain.digest);
			const md = notesMarkdown(notes);
			expect(md).toContain('([#102](https://github.com/org/runtime/pull/102) — PR title 102)');
			expect(md).toContain('Checks of the release commit on GitHub: **failure** (3 checks; failing: try-runtime)');

			const denied = await collectNotes({
				repo: dir,
				from: previous,
				to: release,
				env: { GITHUB_TOKEN: 'expired', GITHUB_API_URL: apiUrl },
			});
			expect(denied.pullRequests).toEqual({});
			expect(denied.releaseChecks).toBeUndefined();
			expect(denied.remarks?.join('\n')).toMatch(
				/4 of 4 pull requests could not be fetched from GitHub \(GitHub answered 401 .*the token is not valid/,
			);
			expect(denied.commits).toEqual(plain.commits);
			// The token only ever travels in the Authorization header.
			expect(seen.every((line) => !line.split(' ')[0]!.includes('token'))).toBe(true);
		} finally {
			repo.git('remote', 'set-url', 'origin', 'https://github.com/example-org/example-chain.git');
			server.close();
		}
	});
});
