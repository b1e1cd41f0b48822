/**
 * Which chains a rehearsal covers (a parachain goes with its relay, a relay with the release's parachains on it),
 * and how the console's progress bar counts the blocks of a rehearsal.
 */
import { describe, expect, it } from 'vitest';
import { createRelease } from '../../source/domain/release.js';
import type { ArtifactInfo, Environment, Hex } from '../../source/domain/types.js';
import { rehearsalEnvironments } from '../../source/engine/rehearsal.js';
import { isBlockLine, rehearsalBlocksExpected } from '../../source/engine/rehearsal-text.js';
import { UserError } from '../../source/errors.js';

const artifact: ArtifactInfo = {
	path: '/tmp/runtime.wasm',
	size: 100,
	uncompressedSize: 100,
	compressed: false,
	codeHash: `0x${'a'.repeat(64)}` as Hex,
	specName: 'rococo',
	specVersion: 9140,
	transactionVersion: 1,
};
const soak = { minBlocks: 1, minSeconds: 0, maxStallSeconds: 60 };
const relay: Environment = { name: 'relay', endpoints: ['ws://127.0.0.1:1'], kind: 'local', route: 'sudo', soak };
const hub: Environment = {
	name: 'hub',
	endpoints: ['ws://127.0.0.1:2'],
	kind: 'local',
	route: 'parachain',
	parachain: { relay: 'relay', paraId: 1000 },
	soak,
};
const other: Environment = { ...hub, name: 'other-hub', parachain: { relay: 'elsewhere', paraId: 2000 } };
const envs = new Map([relay, hub, other].map((e) => [e.name, e]));
const lookup = (name: string) => envs.get(name);
const at = '2026-01-01T00:00:00.000Z';

describe('rehearsalEnvironments', () => {
	const release = createRelease({ id: 'r', name: 'relay + hub', artifact, environments: [relay, hub], at });

	it('a relay is rehearsed with the release parachains whose relay it is', () => {
		const { relay: r, paras } = rehearsalEnvironments(release, relay, lookup);
		expect(r.name).toBe('relay');
		expect(paras.map((p) => p.name)).toEqual(['hub']);
	});

	it('a parachain is rehearsed through its relay', () => {
		const { relay: r, paras } = rehearsalEnvironments(release, hub, lookup);
		expect(r.name).toBe('relay');
		expect(paras.map((p) => p.name)).toEqual(['hub']);
	});

	it('a chain without parachains in the release is rehearsed alone', () => {
		const alone = createRelease({ id: 'a', name: 'relay alone', artifact, environments: [relay], at });
		expect(rehearsalEnvironments(alone, relay, lookup)).toEqual({ relay, paras: [] });
	});

	it('a parachain whose relay the release does not ship: a user error that says what to do', () => {
		const orphan = { ...release, environments: ['other-hub'] };
		let error: unknown;
		try {
			rehearsalEnvironments(orphan, other, lookup);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).message).toContain('whose Root comes from its relay elsewhere, which this release does not ship');
		expect((error as UserError).hint).toContain('--env elsewhere --env other-hub');
	});
});

describe('the console progress bar of a rehearsal', () => {
	it('counts the blocks each chain builds', () => {
		expect(rehearsalBlocksExpected(3, 0)).toBe(5);
		expect(rehearsalBlocksExpected(3, 1)).toBe(12);
		expect(rehearsalBlocksExpected(0, 2)).toBe(10);
	});
	it('knows a block line from the other progress lines', () => {
		expect(isBlockLine('#4 (958 ms)')).toBe(true);
		expect(isBlockLine('#2 upgrade block: system.CodeUpdated (2051 ms)')).toBe(true);
		expect(isBlockLine('asset-hub: #3 (1594 ms): parachainSystem.enactAuthorizedUpgrade(<code 0x5c4c…6701>) Ok')).toBe(true);
		expect(isBlockLine('forked at #1; Root through sudo.sudoUncheckedWeight')).toBe(false);
		expect(isBlockLine('para 1000 forked at #1 (fork cache: off)')).toBe(false);
		expect(isBlockLine('fork cache: off')).toBe(false);
	});
});
