/**
 * The alignment part of the release reducer (actions `alignment/*`): pure and
 * immutable, every change audited. Signature checks are done before dispatch
 * (alignment.ts `checkSignoffForImport`); the reducer refuses what it can see
 * without crypto: unknown environments and groups, non-members, duplicates.
 */
import { ReleaseError } from './errors.js';
import type { AlignmentAction, EnvAlignmentConfig, ReleaseAlignment, Signoff, StakeholderGroup } from './alignment-types.js';
import type { AuditEntry, Release } from './types.js';

export function isAlignmentAction(action: { type: string }): action is AlignmentAction {
	return typeof action.type === 'string' && action.type.startsWith('alignment/');
}

export function alignmentReducer(release: Release, action: AlignmentAction): Release {
	switch (action.type) {
		case 'alignment/configure': {
			requireEnv(release, action.env);
			validateConfig(action.env, action.config);
			const envs = { ...(release.alignment?.envs ?? {}), [action.env]: clone(action.config) };
			const groups = action.config.groups ?? [];
			return commit(
				release,
				action.at,
				{ envs },
				{
					env: action.env,
					action: action.type,
					detail:
						`stakeholders for ${action.env}: ${groups.map((g) => `${g.name} (${g.threshold} of ${g.members.length})`).join(', ') || 'none'}` +
						(action.config.requires ? `; requires ${action.config.requires.join(', ') || 'nothing'}` : ''),
				},
			);
		}
		case 'alignment/signoff': {
			const s = action.signoff;
			requireEnv(release, s.env);
			const group = release.alignment?.envs?.[s.env]?.groups?.find((g) => g.name === s.group);
			if (!group) {
				const names = (release.alignment?.envs?.[s.env]?.groups ?? []).map((g) => g.name);
				throw new ReleaseError(
					'unknown-group',
					`no stakeholder group "${s.group}" on ${s.env}`,
					names.length
						? `groups on ${s.env}: ${names.join(', ')}`
						: `configure the groups of ${s.env} first (release-console stakeholders)`,
				);
			}
			if (!group.members.some((m) => m.publicKey.toLowerCase() === s.publicKey.toLowerCase())) {
				throw new ReleaseError(
					'not-a-member',
					`${s.signer} is not a member of group ${s.group} on ${s.env}; refusing its sign-off`,
					`members: ${group.members.map((m) => m.address).join(', ')}`,
				);
			}
			const others = (release.alignment?.signoffs ?? []).filter(
				(o) => !(o.env === s.env && o.group === s.group && o.publicKey.toLowerCase() === s.publicKey.toLowerCase()),
			);
			const replaced = others.length !== (release.alignment?.signoffs ?? []).length;
			return commit(
				release,
				action.at,
				{ signoffs: [...others, { ...s }] },
				{
					env: s.env,
					action: action.type,
					detail:
						`${s.group}: ${s.signer} ${s.decision === 'approve' ? 'approved' : 'rejected'} manifest ${s.digest}` +
						(s.reason ? ` — ${s.reason}` : '') +
						(replaced ? ' (replaces its earlier sign-off)' : ''),
				},
			);
		}
		case 'alignment/notes': {
			const n = action.notes;
			return commit(
				release,
				action.at,
				{ notes: clone(n) },
				{
					action: action.type,
					detail:
						`release notes: ${n.commits.length} commit${n.commits.length === 1 ? '' : 's'} ${n.fromCommit.slice(0, 12)}..${n.releaseCommit.slice(0, 12)}, ` +
						`${n.onBranch ? `on ${n.branchRef ?? n.branch}` : `NOT on ${n.branch}`}; digest ${n.digest}`,
				},
			);
		}
		case 'alignment/srtool':
			return commit(
				release,
				action.at,
				{ srtoolDigest: action.digest },
				{ action: action.type, detail: `srtool digest recorded: ${action.digest}` },
			);
		case 'alignment/recovery': {
			const p = action.plan;
			requireEnv(release, p.env);
			const recovery = { ...(release.alignment?.recovery ?? {}), [p.env]: clone(p) };
			return commit(
				release,
				action.at,
				{ recovery },
				{
					env: p.env,
					action: action.type,
					detail: `recovery plan: replaces ${p.previousSpecName} ${p.previousSpecVersion} (code ${p.previousCodeHash}) read at block #${p.blockNumber}`,
					blockNumber: p.blockNumber,
					blockHash: p.blockHash,
				},
			);
		}
		default: {
			const unknown: never = action;
			throw new ReleaseError(
				'unknown-action',
				`unknown alignment action ${JSON.stringify((unknown as { type?: unknown }).type)}`,
				'this is a bug in release-console',
			);
		}
	}
}

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function requireEnv(release: Release, env: string): void {
	if (!release.environments.includes(env)) {
		throw new ReleaseError(
			'unknown-env',
			`environment ${env} is not part of release ${release.id} (it travels ${release.environments.join(', ')})`,
		);
	}
}

function validateConfig(env: string, config: EnvAlignmentConfig): void {
	const names = new Set<string>();
	for (const g of config.groups ?? []) validateGroup(env, g, names);
}

function validateGroup(env: string, g: StakeholderGroup, names: Set<string>): void {
	if (!g.name || !/^[a-z0-9][a-z0-9-]*$/.test(g.name)) {
		throw new ReleaseError('invalid-group', `group name "${g.name}" on ${env} may only contain lowercase letters, digits and dashes`);
	}
	if (names.has(g.name)) throw new ReleaseError('invalid-group', `group ${g.name} is listed twice on ${env}`);
	names.add(g.name);
	if (g.members.length === 0)
		throw new ReleaseError('invalid-group', `group ${g.name} on ${env} has no members`, 'add at least one member address');
	const keys = g.members.map((m) => m.publicKey.toLowerCase());
	if (new Set(keys).size !== keys.length) throw new ReleaseError('invalid-group', `group ${g.name} on ${env} lists a member twice`);
	if (!Number.isInteger(g.threshold) || g.threshold < 1 || g.threshold > g.members.length) {
		throw new ReleaseError(
			'invalid-group',
			`group ${g.name} on ${env}: threshold ${g.threshold} must be between 1 and its ${g.members.length} member${g.members.length === 1 ? '' : 's'}`,
		);
	}
}

function commit(release: Release, at: string, patch: Partial<ReleaseAlignment>, entry: Omit<AuditEntry, 'at'>): Release {
	const clean = Object.fromEntries(Object.entries({ at, ...entry }).filter(([, v]) => v !== undefined)) as unknown as AuditEntry;
	return {
		...release,
		updatedAt: at,
		alignment: { ...(release.alignment ?? {}), ...patch },
		audit: [...release.audit, clean],
	};
}

export type { Signoff };
