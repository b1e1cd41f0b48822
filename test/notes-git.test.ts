/** Release notes from a real git repository built in the test with `git`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { collectNotes } from '../source/notes/git.js';
import { notesMarkdown, prNumber } from '../source/notes/notes.js';
import { tempHome } from './helpers/cli.js';
import { gitRepo } from './helpers/alignment.js';

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
	repo.git('merge', '-q', '--no-ff', 'feature/staking', '-m', 'Merge pull request #101 from org/feature/staking\n\nfeat(pallets): faster staking payouts');
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
		await expect(collectNotes({ repo: dir, from: previous, to: 'deadbeef' })).rejects.toThrow(/release commit "deadbeef" is not a commit in/);
		await expect(collectNotes({ repo: dir, from: previous, to: release, branch: 'protected' })).rejects.toThrow(/no branch "protected"/);
		await expect(collectNotes({ repo: dir, from: release, to: previous })).rejects.toMatchObject({
			message: expect.stringMatching(/is not in the history of/),
			hint: expect.stringMatching(/force-pushed/),
		});
		repo.write('runtime/src/lib.rs', 'uncommitted\n');
		try {
			await expect(collectNotes({ repo: dir, from: previous, to: release })).rejects.toThrow(/has uncommitted changes \(runtime\/src\/lib.rs\)/);
		} finally {
			repo.git('checkout', '-q', '--', 'runtime/src/lib.rs');
		}
	});

	it('GITHUB_TOKEN: the notes say enrichment was not done; github remotes give PR links', async () => {
		repo.git('remote', 'add', 'origin', 'https://github.com/example-org/example-chain.git');
		const notes = await collectNotes({ repo: dir, from: previous, to: release, env: { GITHUB_TOKEN: 'x' } });
		expect(notes.github).toBe('example-org/example-chain');
		expect(notes.remarks?.[0]).toMatch(/not fetched/);
		expect(notesMarkdown(notes)).toContain('[#101](https://github.com/example-org/example-chain/pull/101)');
		expect(prNumber('Merge pull request #7 from a/b')).toBe(7);
		expect(prNumber('no pr here')).toBeUndefined();
	});
});
