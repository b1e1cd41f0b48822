import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { canonicalJson, manifestChanges, manifestDigest, releaseManifest } from '../../source/domain/manifest.js';
import { createSignoff, verifySignoff } from '../../source/domain/signoff.js';
import { verifyRecord } from '../../source/domain/record-verify.js';
import { buildRecord } from '../../source/domain/record.js';
import { notesDigest } from '../../source/domain/notes.js';
import { currentManifest } from '../../source/domain/alignment.js';
import type { Signoff } from '../../source/domain/alignment-types.js';
import type { Release } from '../../source/domain/types.js';
import { apply, at, ENVS, keys, makeRelease, productionGroups } from '../helpers/alignment.js';

beforeAll(async () => {
	await cryptoWaitReady();
});

function configured(): Release {
	return apply(
		makeRelease(),
		{ type: 'alignment/configure', env: 'production', config: { groups: productionGroups() }, at: at(1) },
		{ type: 'gate/set', gate: { id: 'soak', env: 'testnet', status: 'pass', summary: '5/5 blocks', checkedAt: at(2) }, at: at(2) },
		{ type: 'gate/set', gate: { id: 'audits', env: 'production', status: 'pass', summary: 'attested', checkedAt: at(3) }, at: at(3) },
		{
			type: 'gate/set',
			gate: { id: 'spec-version', env: 'production', status: 'pass', summary: '268 → 269', checkedAt: at(3) },
			at: at(3),
		},
	);
}

function signAll(release: Release): Release {
	const k = keys();
	const { manifest, digest } = currentManifest(release, 'production');
	const sign = (group: string, pair: (typeof k)['qa']) =>
		createSignoff({ manifest, digest, group, pair, decision: 'approve', signedAt: at(5) });
	return apply(
		release,
		{ type: 'alignment/signoff', signoff: sign('release-engineers', k.engineer), at: at(5) },
		{ type: 'alignment/signoff', signoff: sign('qa', k.qa), at: at(5) },
		{ type: 'alignment/signoff', signoff: sign('security', k.security), at: at(5) },
	);
}

describe('canonical manifest', () => {
	it('canonical JSON sorts keys at every level, so key order does not change the digest', () => {
		expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'x' }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":"x","z":1}]},"b":1}');
		const m = releaseManifest(configured(), 'production');
		const shuffled = Object.fromEntries(Object.entries(m).reverse());
		expect(manifestDigest(shuffled)).toBe(manifestDigest(m));
		expect(manifestDigest(m)).toMatch(/^0x[0-9a-f]{64}$/);
		expect(() => canonicalJson({ x: Number.NaN })).toThrow(/no JSON form/);
	});

	it("holds the artifact, the groups, earlier environments' gates and the attested gates of the target — not its later stages or the sign-off gate", () => {
		const release = apply(configured(), {
			type: 'gate/set',
			gate: { id: 'signoffs', env: 'production', status: 'pending', summary: 'waiting', checkedAt: at(4) },
			at: at(4),
		});
		const m = releaseManifest(release, 'production');
		expect(m).toMatchObject({
			format: 'release-console/manifest@1',
			releaseId: 'node-269',
			env: 'production',
			codeHash: `0x${'ab'.repeat(32)}`,
			specName: 'node',
			specVersion: 269,
			transactionVersion: 2,
		});
		expect(m.gates).toEqual([
			{ id: 'soak', env: 'testnet', status: 'pass' },
			{ id: 'audits', env: 'production', status: 'pass' },
		]);
		expect(m.groups.map((g) => g.name)).toEqual(['qa', 'release-engineers', 'security']);
		expect(m.groups.find((g) => g.name === 'security')!.members).toHaveLength(2);
	});

	it('says what changed between two manifests', () => {
		const before = releaseManifest(configured(), 'production');
		const after = releaseManifest(
			apply(configured(), {
				type: 'gate/set',
				gate: { id: 'soak', env: 'testnet', status: 'fail', summary: 'stalled', checkedAt: at(9) },
				at: at(9),
			}),
			'production',
		);
		expect(manifestChanges(before as never, after as never)).toEqual(['gate testnet/soak: pass → fail']);
	});
});

describe('sign-offs', () => {
	it('a signature verifies with the public key alone; sr25519 and ed25519', () => {
		const k = keys();
		const { manifest, digest } = currentManifest(configured(), 'production');
		for (const pair of [k.engineer, k.qa]) {
			const s = createSignoff({ manifest, digest, group: 'qa', pair, decision: 'approve', signedAt: at(5) });
			expect(s.cryptoType).toBe(pair.type);
			expect(s.signer).toBe(pair.address);
			expect(verifySignoff(JSON.parse(JSON.stringify(s)) as Signoff, digest).verdict).toBe('valid');
		}
	});

	it('a manifest changed after signing makes the sign-off stale', () => {
		const k = keys();
		const release = configured();
		const { manifest, digest } = currentManifest(release, 'production');
		const s = createSignoff({ manifest, digest, group: 'qa', pair: k.qa, decision: 'approve', signedAt: at(5) });
		const newWasm: Release = { ...release, artifact: { ...release.artifact, codeHash: `0x${'ab'.repeat(31)}ac` } };
		const check = verifySignoff(s, currentManifest(newWasm, 'production').digest);
		expect(check.verdict).toBe('stale');
		expect(check.detail).toMatch(/signed manifest 0x.* but the manifest is now 0x/);
	});

	it('a changed decision, group, reason, or another key makes the signature invalid', () => {
		const k = keys();
		const { manifest, digest } = currentManifest(configured(), 'production');
		const s = createSignoff({
			manifest,
			digest,
			group: 'qa',
			pair: k.qa,
			decision: 'reject',
			reason: 'the soak on testnet stalled twice',
			signedAt: at(5),
		});
		expect(verifySignoff(s, digest).verdict).toBe('valid');
		expect(verifySignoff({ ...s, decision: 'approve' }, digest).verdict).toBe('invalid-signature');
		expect(verifySignoff({ ...s, group: 'security' }, digest).verdict).toBe('invalid-signature');
		expect(verifySignoff({ ...s, reason: 'looks fine after all, ship it' }, digest).verdict).toBe('invalid-signature');
		// Claiming the signature is someone else's: address and key of another account.
		const other = createSignoff({ manifest, digest, group: 'qa', pair: k.outsider, decision: 'approve', signedAt: at(5) });
		expect(verifySignoff({ ...s, signer: other.signer, publicKey: other.publicKey, cryptoType: 'sr25519' }, digest).verdict).toBe(
			'invalid-signature',
		);
		// An address that is not the public key's.
		expect(verifySignoff({ ...s, signer: other.signer }, digest).detail).toMatch(/is not the address of public key/);
	});

	it('a rejection needs a reason', () => {
		const k = keys();
		const { manifest, digest } = currentManifest(configured(), 'production');
		expect(() => createSignoff({ manifest, digest, group: 'qa', pair: k.qa, decision: 'reject', signedAt: at(5) })).toThrow(
			/reason of at least 10/,
		);
	});
});

describe('verifyRecord', () => {
	it('accepts an exported record signed by three groups', () => {
		const record = JSON.parse(JSON.stringify(buildRecord(signAll(configured()), ENVS, at(6))));
		const result = verifyRecord(record);
		expect(result.problems).toEqual([]);
		expect(result.ok).toBe(true);
		expect(result.digestOk).toBe(true);
		expect(result.codeHash).toBe(`0x${'ab'.repeat(32)}`);
		expect(result.signoffs.map((s) => [s.group, s.valid, s.stale])).toEqual([
			['release-engineers', true, false],
			['qa', true, false],
			['security', true, false],
		]);
		expect(result.groups.filter((g) => g.env === 'production').every((g) => g.met)).toBe(true);
	});

	it('one byte changed in the manifest: digest fails and every sign-off turns stale', () => {
		const record = JSON.parse(JSON.stringify(buildRecord(signAll(configured()), ENVS, at(6))));
		const entry = record.manifests.find((m: { env: string }) => m.env === 'production');
		entry.manifest.specVersion = 270;
		const result = verifyRecord(record);
		expect(result.ok).toBe(false);
		expect(result.digestOk).toBe(false);
		expect(result.signoffs.every((s) => s.stale && !s.valid)).toBe(true);
		expect(result.problems.join('\n')).toMatch(/the manifest was changed/);
	});

	it('a forged signature and a signer outside the group are reported', () => {
		const k = keys();
		const release = signAll(configured());
		const record = JSON.parse(JSON.stringify(buildRecord(release, ENVS, at(6))));
		record.signoffs[0].signature = record.signoffs[0].signature.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'));
		const { manifest, digest } = currentManifest(release, 'production');
		record.signoffs.push(createSignoff({ manifest, digest, group: 'qa', pair: k.outsider, decision: 'approve', signedAt: at(7) }));
		const result = verifyRecord(record);
		expect(result.ok).toBe(false);
		expect(result.digestOk).toBe(true);
		expect(result.signoffs[0]).toMatchObject({ valid: false, stale: false });
		expect(result.signoffs[3]).toMatchObject({ valid: false, detail: expect.stringMatching(/not a member of qa/) });
	});

	it('changed notes no longer match the signed notes digest', () => {
		const release = apply(configured(), {
			type: 'alignment/notes',
			notes: {
				repo: '/r',
				branch: 'main',
				fromCommit: 'a'.repeat(40),
				releaseCommit: 'b'.repeat(40),
				onBranch: true,
				commits: [{ sha: 'b'.repeat(40), subject: 'fix: x (#7)', pr: 7, group: 'other' }],
				digest: '',
				collectedAt: at(4),
			},
			at: at(4),
		});
		// The reducer keeps the digest it is given; compute it as collectNotes does.
		release.alignment!.notes!.digest = notesDigest(release.alignment!.notes!);
		const record = JSON.parse(JSON.stringify(buildRecord(signAll(release), ENVS, at(6))));
		expect(verifyRecord(record).ok).toBe(true);
		record.notes.commits[0].subject = 'fix: something else (#7)';
		const result = verifyRecord(record);
		expect(result.ok).toBe(false);
		expect(result.problems.join('\n')).toMatch(/notes were changed/);
	});

	it('bad input is reported, not thrown', () => {
		expect(verifyRecord(null)).toMatchObject({ ok: false, problems: [expect.stringMatching(/not a release record/)] });
		expect(verifyRecord({ format: 'something-else' }).problems[0]).toMatch(/format/);
	});
});
