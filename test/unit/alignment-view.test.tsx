import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { AlignmentView } from '../../source/app/components/alignment-view/index.js';
import { attestationGate, currentManifest } from '../../source/domain/alignment.js';
import { createSignoff } from '../../source/domain/signoff.js';
import type { Release } from '../../source/domain/types.js';
import { apply, at, ENVS, keys, makeRelease, productionGroups } from '../helpers/alignment.js';

beforeAll(async () => {
	await cryptoWaitReady();
});
afterEach(() => cleanup());

function frame(release: Release, width = 80): string {
	const { lastFrame } = render(
		<Box width={width}>
			<AlignmentView release={release} env="production" envs={ENVS} at={at(30)} />
		</Box>,
	);
	return lastFrame() ?? '';
}

function sign(release: Release, role: keyof ReturnType<typeof keys>, group: string): Release {
	const { manifest, digest } = currentManifest(release, 'production');
	return apply(release, {
		type: 'alignment/signoff',
		signoff: createSignoff({ manifest, digest, group, pair: keys()[role], decision: 'approve', signedAt: at(5) }),
		at: at(5),
	});
}

describe('AlignmentView', () => {
	it('shows gates with evidence, the notes summary, sign-offs and what blocks promotion', () => {
		let release = apply(
			makeRelease(),
			{ type: 'alignment/configure', env: 'production', config: { groups: productionGroups() }, at: at(1) },
			{
				type: 'alignment/notes',
				notes: {
					repo: '/r',
					branch: 'main',
					branchRef: 'refs/heads/main',
					fromCommit: 'a'.repeat(40),
					releaseCommit: 'b'.repeat(40),
					onBranch: true,
					commits: [
						{ sha: 'c'.repeat(40), subject: 'feat(runtime): x (#1)', pr: 1, group: 'runtime' },
						{ sha: 'b'.repeat(40), subject: 'fix: y (#2)', pr: 2, group: 'other' },
					],
					digest: '0x01',
					collectedAt: at(2),
				},
				at: at(2),
			},
			{
				type: 'gate/set',
				gate: attestationGate('production', 'audits', 'https://example.org/audit-269', 'security', at(3)),
				at: at(3),
			},
		);
		release = sign(sign(release, 'engineer', 'release-engineers'), 'qa', 'qa');
		const f = frame(release);
		expect(f).toContain('Alignment — production');
		expect(f).toMatch(/✔ pass\s+audits of the pallets included \(attested\)/);
		expect(f).toContain('attested: audits of the included pallets — https://example.org/audit-269');
		expect(f).toContain('2 commits aaaaaaaaaa..bbbbbbbbbb, on refs/heads/main');
		expect(f).toContain('Runtime 1 · Other 1');
		expect(f).toMatch(/release-engineers 1\/1\n\s+5GrwvaEF…utQY approved/);
		expect(f).toMatch(/security 0\/1/);
		expect(f).toContain('Promotion to production: blocked by');
		expect(f).toMatch(/testnet-soak: pending/);
		expect(f).toMatch(/signoffs: pending/);
		expect(Math.max(...f.split('\n').map((l) => stringWidth(l)))).toBeLessThanOrEqual(80);

		// The manifest changes (a new gate state): the sign-offs show as stale.
		const changed = apply(release, {
			type: 'gate/set',
			gate: attestationGate('production', 'pause', 'https://example.org/pause-269', undefined, at(6)),
			at: at(6),
		});
		const g = frame(changed);
		expect(g.replace(/\s+/g, ' ')).toContain(': sign-offs are stale: the manifest changed since they were given');
		expect(g).toMatch(/5GrwvaEF…utQY stale/);
	});
});

describe('AlignmentView on a local environment', () => {
	it('a failing gate that promotion does not require says it is advice, beside "allowed"', () => {
		const release = apply(makeRelease(), {
			type: 'gate/set',
			gate: { id: 'forward-compatible', env: 'devnet', status: 'fail', summary: '2 breaking changes', checkedAt: at(3) },
			at: at(3),
		});
		const { lastFrame } = render(
			<Box width={80}>
				<AlignmentView release={release} env="devnet" envs={ENVS} at={at(30)} />
			</Box>,
		);
		const f = lastFrame() ?? '';
		expect(f).toContain('Promotion to devnet: allowed');
		expect(f.replace(/\s+/g, ' ')).toContain(
			'2 breaking changes — advice only: promotion to devnet (local) does not require this gate',
		);
		expect(f).toContain('no stakeholder groups are configured');
		expect(f).not.toMatch(/: no-groups/);
	});
});
