/** The artifact stage: integrity, spec name and version, forward compatibility against the live runtime, the recovery plan. */
import type { ApiPromise } from '@polkadot/api';
import type { Environment, Hex, ReleaseAction } from '../../domain/types.js';
import { readArtifact } from '../../artifact/read.js';
import { onChainCodeHash } from '../../chain/live.js';
import {
	checkMetadataHashGate,
	forkRehearsalGate,
	integrityGate,
	metadataVersionsGate,
	runtimeApisGate,
	specNameGate,
	specVersionGate,
	type ForkRehearsalEvidence,
} from '../../domain/gates.js';
import { artifactOf, type EngineContext, type StepResult, iso } from '../context.js';
import { findUpgradeBlock } from '../upgrade-record.js';
import { artifactFor } from '../../domain/release.js';
import { linkedParas, linkedRelay, parachainGates } from '../routes/parachain.js';
import { codeSizeGate, relayMaxCodeSize } from '../../chain/pallets/paras.js';

export async function artifactStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const at = iso(ctx);
	let current: Hex;
	let codeLen = 0;
	try {
		const read = await readArtifact(artifactOf(ctx).path);
		current = read.codeHash as Hex;
		codeLen = read.bytes.length;
	} catch (error) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'artifact', status: 'failed', detail: (error as Error).message, at });
		return {
			kind: 'failed',
			stage: 'artifact',
			message: (error as Error).message,
			hint: 'restore the wasm file the release was created from',
		};
	}
	const integrity = integrityGate(env.name, artifactOf(ctx).codeHash, current);
	const version = await api.rpc.state.getRuntimeVersion();
	const chainCode = await onChainCodeHash(api);
	const alreadyUpgraded = chainCode === artifactOf(ctx).codeHash;
	const nameGate = specNameGate(env.name, artifactOf(ctx).specName, version.specName.toString());
	let versionGate = specVersionGate(env.name, artifactOf(ctx).specVersion, version.specVersion.toNumber());
	if (alreadyUpgraded) {
		// Resuming after the upgrade (ours or someone else's) is fine; a chain
		// that has run this code all along has nothing to upgrade.
		const upgradedAt = release.progress[env.name]?.upgrade ?? (await findUpgradeBlock(api, artifactOf(ctx).codeHash));
		versionGate = upgradedAt
			? {
					...specVersionGate(env.name, artifactOf(ctx).specVersion, artifactOf(ctx).specVersion - 1),
					summary: `the chain already runs this artifact since block #${upgradedAt.blockNumber}`,
				}
			: {
					...versionGate,
					status: 'fail',
					summary: `the chain already runs this exact runtime (spec version ${version.specVersion.toNumber()}): the spec version does not increase and there is nothing to upgrade`,
				};
	}
	// A rehearsal of a parachain's mechanics may re-apply the same spec with other bytes (no newer code exists
	// offline): on a local environment that is advice, said plainly; anywhere else the version must increase.
	const sameSpecOtherCode =
		!alreadyUpgraded && versionGate.status === 'fail' && artifactOf(ctx).specVersion === version.specVersion.toNumber();
	if (sameSpecOtherCode && env.kind === 'local')
		versionGate = {
			...versionGate,
			summary: `spec version did not increase (${version.specVersion.toNumber()} → ${artifactOf(ctx).specVersion}): other code with the same version, a rehearsal of the upgrade's mechanics only (advice on local; testnet and production need a higher spec_version)`,
		};
	const gates = [integrity, nameGate, versionGate];
	const notes: string[] = [];
	// A parachain against its relay; a relay against the parachains its upgrade authorizes (checked before anything is signed).
	if (env.route === 'parachain' && !alreadyUpgraded) {
		const para = await parachainGates(env, api, linkedRelay(ctx), codeLen, at);
		gates.push(...(para.gates as (typeof integrity)[]));
		notes.push(...para.notes);
	}
	// A relay's own runtime against its own maxCodeSize (the Fellowship checks every runtime so, relay ones too).
	if (env.route !== 'parachain' && !alreadyUpgraded) {
		const max = await relayMaxCodeSize(api);
		if (max !== undefined) {
			const size = codeSizeGate(codeLen, max);
			gates.push({
				...integrity,
				id: 'code-size',
				status: size.status === 'fail' ? 'fail' : 'pass',
				summary: `${size.status === 'warn' ? 'warning: ' : ''}${size.text.replace("the relay's maxCodeSize", "this relay's own maxCodeSize")}`,
				evidence: { codeLen, maxCodeSize: max, level: size.status },
			} as typeof integrity);
		}
	}
	for (const para of alreadyUpgraded ? [] : linkedParas(ctx)) {
		const paraArt = artifactFor(release, para.env.name);
		let len = 0;
		try {
			len = (await readArtifact(paraArt.path)).bytes.length;
		} catch {
			// its own artifact stage says what is wrong with the file
		}
		const checked = await parachainGates(para.env, para.connection.api, { env, connection: ctx.connection }, len, at);
		gates.push(...(checked.gates as (typeof integrity)[]));
		notes.push(...checked.notes.map((n) => `${para.env.name}: ${n}`));
	}
	// Forward compatibility of the artifact against what the chain runs now
	// (skipped once the chain already runs it: there is nothing left to compare).
	let compared: Awaited<ReturnType<typeof compareWithLive>> | undefined;
	if (!alreadyUpgraded && nameGate.status === 'pass') {
		compared = await compareWithLive(api, env, artifactOf(ctx).path);
		const compat = compared.gate;
		const existing = release.gates.find((g) => g.id === 'forward-compatible' && g.env === env.name);
		if (!(
			existing?.status === 'waived' &&
			compat.status === 'fail' &&
			(existing.evidence as { to?: unknown } | undefined)?.to === (compat.evidence as { to?: unknown }).to
		))
			gates.push(compat as typeof integrity);
	}
	// Hygiene gates: advice on local, blocking elsewhere. A waiver in writing stands while the same gate fails
	// (it is dropped once the gate passes).
	const pushUnlessWaived = (gate: (typeof gates)[number]) => {
		const waived = release.gates.find((g) => g.id === gate.id && g.env === env.name)?.status === 'waived';
		if (!(waived && gate.status === 'fail')) gates.push(gate);
	};
	// The runtime APIs the node calls are there, and no dev-only ones (a try-runtime or benchmarking build).
	if (!alreadyUpgraded) {
		try {
			const [{ inspectArtifact }, { runtimeApiName }] = await Promise.all([
				import('../../artifact/inspect.js'),
				import('../../artifact/version.js'),
			]);
			const inspection = compared?.inspection ?? (await inspectArtifact(artifactOf(ctx).path));
			const names = inspection.version.apis.map((a) => a.name ?? a.id);
			const chainApis = version.apis.map(([id]) => runtimeApiName(id.toHex()) ?? id.toHex());
			pushUnlessWaived(runtimeApisGate(env.name, env.kind, names, chainApis, at) as typeof integrity);
		} catch (error) {
			notes.push(`runtime APIs not checked: ${(error as Error).message}`);
		}
	}
	// The metadata versions the live runtime offers are kept (and v14+ is there); CheckMetadataHash is kept where the chain uses it.
	if (!alreadyUpgraded) {
		try {
			const [{ inspectArtifact }, { buildModel, toModel }, { liveRuntime }] = await Promise.all([
				import('../../artifact/inspect.js'),
				import('../../artifact/model.js'),
				import('../../chain/runtime.js'),
			]);
			const inspection = compared?.inspection ?? (await inspectArtifact(artifactOf(ctx).path));
			const live = compared?.live ?? (await liveRuntime(api, env.name));
			pushUnlessWaived(
				metadataVersionsGate(env.name, env.kind, inspection.metadataVersions, live.metadataVersions, at) as typeof integrity,
			);
			const extensions = (model: ReturnType<typeof buildModel>) => model.extrinsic.extensions.map((e) => e.identifier);
			pushUnlessWaived(
				checkMetadataHashGate(
					env.name,
					env.kind,
					extensions(buildModel(inspection.metadata)),
					extensions(toModel(live.metadata)),
					at,
				) as typeof integrity,
			);
		} catch (error) {
			notes.push(`metadata versions and CheckMetadataHash not checked: ${(error as Error).message}`);
		}
	}
	// Production: the upgrade must have been dry-run on a fork of this chain (`rehearse`), or waived in writing.
	if (env.kind === 'production' && !alreadyUpgraded) {
		const existing = release.gates.find((g) => g.id === 'fork-rehearsal' && g.env === env.name);
		const evidence = existing?.evidence as ForkRehearsalEvidence | undefined;
		const waived =
			existing?.status === 'waived' &&
			(existing.evidence as { codeHash?: unknown } | undefined)?.codeHash === artifactOf(ctx).codeHash;
		if (!waived)
			gates.push(
				forkRehearsalGate(env.name, artifactOf(ctx).codeHash, evidence?.digest ? evidence : undefined, at) as typeof integrity,
			);
	}
	const actions: ReleaseAction[] = gates.map((gate) => ({ type: 'gate/set', gate, at }) as ReleaseAction);
	// On local environments the compatibility gate is advice (recorded, shown);
	// on testnet and production it blocks until it passes or is waived in writing.
	const advice = (g: (typeof gates)[number]) =>
		(g.id === 'forward-compatible' && env.kind === 'local') || (g.id === 'spec-version' && sameSpecOtherCode && env.kind === 'local');
	const failed = gates.filter((g) => g.status === 'fail' && !advice(g));
	if (failed.length > 0) {
		const detail = failed.map((g) => g.summary).join('; ');
		ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'artifact', status: 'failed', detail, at });
		// What to do about each failing gate: a compatibility waiver or a rehearsal can clear theirs; anything else needs another runtime.
		const hints: string[] = [];
		if (failed.some((g) => g.id === 'forward-compatible'))
			hints.push(
				`review the breaking changes (\`release-console inspect ${artifactOf(ctx).path} --against ${env.name}\`); fix the runtime, or waive with a written reason: \`release-console waive ${release.id} --env ${env.name} --gate forward-compatible --reason "…"\``,
			);
		if (failed.some((g) => g.id === 'fork-rehearsal'))
			hints.push(
				`dry-run the upgrade on a fork of this chain first: \`release-console rehearse ${release.id} --env ${env.name}\`; or waive it with a written reason: \`release-console waive ${release.id} --env ${env.name} --gate fork-rehearsal --reason "…"\``,
			);
		if (failed.some((g) => g.id === 'code-size'))
			hints.push(
				"shrink the parachain's runtime (compressed code) under 95% of the relay's maxCodeSize, or raise maxCodeSize on the relay first",
			);
		if (failed.some((g) => g.id === 'parachain'))
			hints.push(
				'check the parachain environment: its endpoint, --para-id and --relay (release-console env add NAME --route parachain --relay ENV --para-id N)',
			);
		if (failed.some((g) => g.id === 'runtime-apis'))
			hints.push(
				`build the production runtime (no try-runtime or runtime-benchmarks feature) with every runtime API the chain's runtime has, or waive with a written reason: \`release-console waive ${release.id} --env ${env.name} --gate runtime-apis --reason "…"\``,
			);
		if (failed.some((g) => g.id === 'metadata-versions'))
			hints.push(
				`build the runtime with every metadata version the chain's runtime offers (v14 and later), or waive with a written reason: \`release-console waive ${release.id} --env ${env.name} --gate metadata-versions --reason "…"\``,
			);
		if (failed.some((g) => g.id === 'check-metadata-hash'))
			hints.push(
				`keep frame_metadata_hash_extension::CheckMetadataHash in the runtime's signed extensions (the chain uses it), or waive with a written reason: \`release-console waive ${release.id} --env ${env.name} --gate check-metadata-hash --reason "…"\``,
			);
		const ownHint = [
			'forward-compatible',
			'fork-rehearsal',
			'code-size',
			'parachain',
			'runtime-apis',
			'metadata-versions',
			'check-metadata-hash',
		];
		if (failed.some((g) => !ownHint.includes(g.id)))
			hints.push('build a runtime for this chain with a higher spec_version, then create a new release with it');
		return { kind: 'refused', stage: 'artifact', message: detail, hint: hints.join('; ') };
	}
	const advisory = gates.find((g) => g.id === 'forward-compatible' && g.status === 'fail');
	// The recovery plan: the runtime this upgrade replaces, read from the chain before anything changes.
	if (!alreadyUpgraded && !release.alignment?.recovery?.[env.name]) {
		try {
			const { captureRecoveryPlan } = await import('../../chain/recovery.js');
			actions.push({ type: 'alignment/recovery', plan: await captureRecoveryPlan(api, env.name, at), at } as ReleaseAction);
		} catch (error) {
			actions.push({
				type: 'audit',
				entry: { at, env: env.name, action: 'recovery', detail: `could not record the recovery plan: ${(error as Error).message}` },
			});
		}
	}
	ctx.release.apply(...actions, {
		type: 'stage/set',
		env: env.name,
		stage: 'artifact',
		status: 'done',
		detail: `${artifactOf(ctx).specName} ${version.specVersion.toNumber()} → ${artifactOf(ctx).specVersion}, code hash checked${advisory ? '; NOT forward compatible (advisory on local)' : ''}${sameSpecOtherCode ? '; spec version did not increase (advice on local)' : ''}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
		at,
	});
	return {
		kind: 'progressed',
		stage: 'artifact',
		message: `artifact checked: spec name ${artifactOf(ctx).specName}, spec version ${version.specVersion.toNumber()} → ${artifactOf(ctx).specVersion}`,
	};
}

/** Diff the artifact's metadata against the chain's live runtime and turn it into the gate. */
export async function compatibilityGate(api: ApiPromise, env: Environment, wasmPath: string) {
	return (await compareWithLive(api, env, wasmPath)).gate;
}

/** The compatibility gate, with the inspection and the live runtime it was made from (the hygiene gates read them too). */
async function compareWithLive(api: ApiPromise, env: Environment, wasmPath: string) {
	const [{ inspectArtifact }, { diffMetadata }, { forwardCompatGate }, { liveRuntime }] = await Promise.all([
		import('../../artifact/inspect.js'),
		import('../../artifact/diff.js'),
		import('../../artifact/gate.js'),
		import('../../chain/runtime.js'),
	]);
	const live = await liveRuntime(api, env.name);
	const inspection = await inspectArtifact(wasmPath, { targetMetadata: live.metadata, targetLabel: live.label });
	const report = diffMetadata(live.metadata, inspection.metadata, live.version, inspection.version);
	const gate = forwardCompatGate(env.name, report);
	// Keep every change (not only the breaking ones) for the compatibility screen.
	const changes = report.changes
		.slice(0, 2000)
		.map((c) => ({ pallet: c.pallet, kind: c.kind, action: c.action, item: c.item, severity: c.severity, detail: c.detail }));
	return {
		gate: {
			...gate,
			evidence: {
				...gate.evidence,
				verdicts: report.verdicts,
				counts: { total: report.counts.total, breaking: report.counts.breaking, additive: report.counts.additive },
				changes,
			},
		},
		inspection,
		live,
	};
}
