/** Fixtures for the alignment tests: a release travelling devnet → testnet → production, and stakeholder keys. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { createRelease } from '../../source/domain/release.js';
import { releaseReducer } from '../../source/domain/reducer.js';
import type { StakeholderGroup } from '../../source/domain/alignment-types.js';
import type { ArtifactInfo, Environment, Hex, Release, ReleaseAction } from '../../source/domain/types.js';

export const T0 = '2025-03-10T07:00:00.000Z';
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const artifact: ArtifactInfo = {
	path: '/tmp/runtime.wasm',
	size: 1000,
	uncompressedSize: 4000,
	compressed: true,
	codeHash: `0x${'ab'.repeat(32)}` as Hex,
	specName: 'node',
	specVersion: 269,
	transactionVersion: 2,
};

const soak = { minBlocks: 5, minSeconds: 30, maxStallSeconds: 30 };
export const ENVS: Environment[] = [
	{ name: 'devnet', endpoints: ['embedded:rococo'], kind: 'local', route: 'sudo', soak },
	{ name: 'testnet', endpoints: ['wss://testnet.example'], kind: 'testnet', route: 'sudo', soak },
	{ name: 'production', endpoints: ['wss://rpc.example'], kind: 'production', route: 'opengov', soak },
];

export function makeRelease(): Release {
	return createRelease({ id: 'node-269', name: 'node 269', artifact, environments: ENVS, at: T0 });
}

/** Stakeholder keys (dev keys: roles, not people). */
export function keys(): Record<'engineer' | 'qa' | 'security' | 'integrations' | 'outsider', KeyringPair> {
	const sr = new Keyring({ type: 'sr25519', ss58Format: 42 });
	const ed = new Keyring({ type: 'ed25519', ss58Format: 42 });
	return {
		engineer: sr.addFromUri('//Alice'),
		qa: ed.addFromUri('//Bob'),
		security: sr.addFromUri('//Charlie'),
		integrations: sr.addFromUri('//Dave'),
		outsider: sr.addFromUri('//Eve'),
	};
}

export function member(pair: KeyringPair, role?: string) {
	return { address: pair.address, publicKey: u8aToHex(pair.publicKey), ...(role ? { role } : {}) };
}

/** Three groups on production: release engineers, QA, security (one approval each). */
export function productionGroups(k = keys()): StakeholderGroup[] {
	return [
		{ name: 'release-engineers', members: [member(k.engineer, 'release engineer')], threshold: 1 },
		{ name: 'qa', members: [member(k.qa, 'QA')], threshold: 1, owns: ['soak', 'testnet-soak'] },
		{
			name: 'security',
			members: [member(k.security, 'security'), member(k.integrations, 'integrations')],
			threshold: 1,
			owns: ['audits'],
		},
	];
}

export function apply(release: Release, ...actions: ReleaseAction[]): Release {
	return actions.reduce(releaseReducer, release);
}

/** A real git repository driven with `git` (author: a role, not a person). */
export function gitRepo(dir: string) {
	const git = (...args: string[]) =>
		execFileSync('git', ['-C', dir, ...args], {
			encoding: 'utf8',
			env: {
				...process.env,
				GIT_AUTHOR_NAME: 'release engineer',
				GIT_AUTHOR_EMAIL: 're@example.org',
				GIT_COMMITTER_NAME: 'release engineer',
				GIT_COMMITTER_EMAIL: 're@example.org',
			},
		}).trim();
	const write = (file: string, text: string) => {
		mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		writeFileSync(path.join(dir, file), text);
	};
	const commit = (file: string, message: string) => {
		write(file, `${message}\n${Math.random()}\n`);
		git('add', '-A');
		git('commit', '-q', '-m', message);
		return git('rev-parse', 'HEAD');
	};
	return { git, write, commit };
}
