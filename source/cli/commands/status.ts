import { EXIT, findRelease, type CommandContext } from './context.js';
import { artifactFor, chainDifferences, currentStage, isReleaseComplete } from '../../domain/release.js';
import { STAGE_INFO } from '../../domain/stages.js';
import type { Release } from '../../domain/types.js';

const SYMBOL: Record<string, string> = { done: '✔', active: '▶', waiting: '…', failed: '✖', pending: '○' };

export function describeRelease(release: Release): string[] {
	const lines = [
		`${release.id}  ${release.name}`,
		...(release.runtimes ? [] : [`  ${release.artifact.specName} ${release.artifact.specVersion}  code ${release.artifact.codeHash}`]),
	];
	for (const env of release.environments) {
		const p = release.progress[env];
		if (!p) continue;
		const current = currentStage(release, env)?.id;
		const differences = chainDifferences(release, env);
		const check = p.chain?.lastCheck;
		if (release.runtimes) {
			const a = artifactFor(release, env);
			lines.push(`  ${env}: ${a.specName} ${a.specVersion}  code ${a.codeHash}`);
		}
		lines.push(
			`  ${env}: ${current ? `at ${STAGE_INFO[current].title}` : differences.length > 0 ? 'the chain does not show it' : 'complete'}` +
				(check ? ` (chain last read ${check.at}, head #${check.head})` : ''),
		);
		for (const d of differences) lines.push(`    ✖ ${d.message}`);
		for (const s of p.superseded ?? [])
			lines.push(`    earlier progress superseded ${s.at}: ${s.differences.map((d) => d.message).join('; ')}`);
		for (const s of p.stages) lines.push(`    ${SYMBOL[s.status] ?? '?'} ${STAGE_INFO[s.id].title}${s.detail ? ` — ${s.detail}` : ''}`);
		if (p.upgrade)
			lines.push(
				`    upgrade: block #${p.upgrade.blockNumber} ${p.upgrade.blockHash}${p.upgrade.extrinsicHash !== '0x' ? `, extrinsic ${p.upgrade.extrinsicHash}` : ''}`,
			);
	}
	return lines;
}

export function statusJson(release: Release) {
	return {
		id: release.id,
		name: release.name,
		artifact: release.artifact,
		...(release.runtimes ? { runtimes: release.runtimes } : {}),
		complete: isReleaseComplete(release),
		environments: release.environments.map((name) => {
			const p = release.progress[name];
			return {
				name,
				artifact: artifactFor(release, name),
				currentStage: currentStage(release, name)?.id ?? null,
				complete: currentStage(release, name) === undefined && chainDifferences(release, name).length === 0,
				chain: p?.chain ?? null,
				superseded: p?.superseded ?? [],
				stages: p?.stages ?? [],
				upgrade: p?.upgrade ?? null,
				verified: p?.verified ?? null,
				specVersion: p?.verified?.specVersion ?? null,
				soak: p?.soak ?? null,
				gov: p?.gov ?? null,
				intents: p?.intents ?? [],
			};
		}),
		gates: release.gates,
		audit: release.audit,
		updatedAt: release.updatedAt,
	};
}

export async function runStatus(ctx: CommandContext, id?: string): Promise<number> {
	if (id) {
		const release = findRelease(ctx.store, id);
		ctx.io.stdout(ctx.json ? JSON.stringify(statusJson(release)) : describeRelease(release).join('\n'));
		return EXIT.ok;
	}
	const releases = ctx.store.listReleases();
	if (ctx.json) {
		ctx.io.stdout(
			JSON.stringify({ releases: releases.map(statusJson), environments: ctx.store.listEnvironments(), store: ctx.store.path }),
		);
	} else if (releases.length === 0) {
		ctx.io.stdout(
			'no releases yet; create one with `release-console new --name NAME --wasm PATH`, or run `release-console` to open the sample',
		);
	} else {
		for (const release of releases) ctx.io.stdout(describeRelease(release).join('\n'));
	}
	return EXIT.ok;
}
