/**
 * The sudo route, as a step function shared by the TUI and `advance`:
 * each call reads the chain and the stored release, does at most one thing,
 * records it, and says what happened or what it waits for.
 *
 * Order of business on every call: reconcile intents without an outcome
 * (the console may have been killed between sending and inclusion), then the
 * current stage.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Environment, Hex, PayloadKind, Release, ReleaseAction, StageId } from '../domain/types.js';
import type { SignerPromptModel } from '../chain/types.js';
import type { Connection } from '../chain/connect.js';
import { chainRunsCode, onChainCodeHash } from '../chain/live.js';
import { eventsAt, reconcileIntent, signAndTrack, type TxStep } from '../chain/extrinsic.js';
import { buildSignerPrompt, buildSudoSetCode, hasSudo, sudoAuthority } from '../chain/sudo.js';
import { currentStage } from '../domain/release.js';
import { integrityGate, soakGate, specNameGate, specVersionGate, updateSoak, evaluateSoak, formatDuration } from '../domain/gates.js';
import { readArtifact } from '../artifact/read.js';

export interface ReleaseAccess {
	get: () => Release;
	/** Apply actions atomically to the stored release (re-read, reduce, write) and return the new release. */
	apply: (...actions: ReleaseAction[]) => Release;
}

export interface EngineSigner {
	pair: KeyringPair;
	address: string;
	label: string;
}

export interface EngineContext {
	release: ReleaseAccess;
	env: Environment;
	connection: Connection;
	signer?: EngineSigner;
	onTx?: (step: TxStep, detail?: string) => void;
	now?: () => number;
}

export type StepResult =
	| { kind: 'progressed'; stage: StageId; message: string }
	| { kind: 'complete'; message: string }
	| { kind: 'wait'; stage: StageId; message: string; waitingFor: 'blocks' | 'time' | 'inclusion' | 'someone-else' }
	| { kind: 'needs-signer'; stage: StageId; message: string }
	| { kind: 'confirm'; stage: StageId; prompt: SignerPromptModel; submit: () => Promise<StepResult> }
	| { kind: 'refused'; stage: StageId; message: string; hint?: string }
	| { kind: 'failed'; stage: StageId; message: string; hint?: string };

const iso = (ctx: EngineContext) => new Date(ctx.now?.() ?? Date.now()).toISOString();

export async function step(ctx: EngineContext): Promise<StepResult> {
	const { env, connection } = ctx;
	const api = connection.api;
	let release = ctx.release.get();
	const progress = release.progress[env.name];
	if (!progress) {
		return { kind: 'refused', stage: 'artifact', message: `release ${release.id} does not travel environment ${env.name}`, hint: `its environments are: ${release.environments.join(', ')}` };
	}
	// 1. Reconcile what was sent before a stop.
	for (const intent of progress.intents.filter((i) => !i.outcome)) {
		const result = await reconcileIntent(api, intent);
		if (result.kind === 'pending') return { kind: 'wait', stage: intent.stage, message: result.reason, waitingFor: 'inclusion' };
		release = ctx.release.apply({ type: 'intent/outcome', env: env.name, intentId: intent.id, outcome: result.outcome, at: iso(ctx) });
		if (result.kind === 'included' && intent.stage === 'upgrade' && payloadOf(env) === 'set-code') {
			return recordUpgradeOutcome(ctx, result.outcome.blockNumber!, result.outcome.blockHash!, intent.extrinsicHash!, result.events, result.outcome.error);
		}
		if (result.kind === 'included') {
			// Governance steps and the authorize payload re-read the chain: it says what the extrinsic achieved.
			const failed = result.outcome.status === 'failed' ? ` but failed: ${result.outcome.error}` : '';
			return { kind: 'progressed', stage: intent.stage, message: `earlier extrinsic ${intent.call} (${intent.extrinsicHash}) was included in block #${result.outcome.blockNumber}${failed}` };
		}
		return { kind: 'progressed', stage: intent.stage, message: `earlier extrinsic ${intent.extrinsicHash} was dropped (${result.outcome.error}); it can be sent again` };
	}

	const stage = currentStage(release, env.name)?.id;
	if (!stage) return { kind: 'complete', message: `${env.name}: upgraded to ${release.artifact.specName} ${release.artifact.specVersion}, verified and soaked` };

	switch (stage) {
		case 'artifact':
			return artifactStage(ctx, api);
		case 'upgrade':
			return upgradeStage(ctx, api);
		case 'verify':
			return verifyStage(ctx, api);
		case 'soak':
			return soakStage(ctx, api);
		default: {
			const { governanceStage } = await import('./governance-route.js');
			return governanceStage(ctx, api, stage);
		}
	}
}

export function payloadOf(env: Environment): PayloadKind {
	return env.routeOptions?.payload ?? 'set-code';
}

async function artifactStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const at = iso(ctx);
	let current: Hex;
	try {
		current = (await readArtifact(release.artifact.path)).codeHash as Hex;
	} catch (error) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'artifact', status: 'failed', detail: (error as Error).message, at });
		return { kind: 'failed', stage: 'artifact', message: (error as Error).message, hint: 'restore the wasm file the release was created from' };
	}
	const integrity = integrityGate(env.name, release.artifact.codeHash, current);
	const version = await api.rpc.state.getRuntimeVersion();
	const chainCode = await onChainCodeHash(api);
	const alreadyUpgraded = chainCode === release.artifact.codeHash;
	const nameGate = specNameGate(env.name, release.artifact.specName, version.specName.toString());
	let versionGate = specVersionGate(env.name, release.artifact.specVersion, version.specVersion.toNumber());
	if (alreadyUpgraded) {
		// Resuming after the upgrade (ours or someone else's) is fine; a chain
		// that has run this code all along has nothing to upgrade.
		const upgradedAt = release.progress[env.name]?.upgrade ?? (await findUpgradeBlock(api, release.artifact.codeHash));
		versionGate = upgradedAt
			? { ...specVersionGate(env.name, release.artifact.specVersion, release.artifact.specVersion - 1), summary: `the chain already runs this artifact since block #${upgradedAt.blockNumber}` }
			: { ...versionGate, status: 'fail', summary: `the chain already runs this exact runtime (spec version ${version.specVersion.toNumber()}): the spec version does not increase and there is nothing to upgrade` };
	}
	const gates = [integrity, nameGate, versionGate];
	// Forward compatibility of the artifact against what the chain runs now
	// (skipped once the chain already runs it: there is nothing left to compare).
	if (!alreadyUpgraded && nameGate.status === 'pass') {
		const compat = await compatibilityGate(api, env, release.artifact.path);
		const existing = release.gates.find((g) => g.id === 'forward-compatible' && g.env === env.name);
		if (!(existing?.status === 'waived' && compat.status === 'fail' && (existing.evidence as { to?: unknown } | undefined)?.to === (compat.evidence as { to?: unknown }).to)) gates.push(compat as typeof integrity);
	}
	const actions: ReleaseAction[] = gates.map((gate) => ({ type: 'gate/set', gate, at }) as ReleaseAction);
	// On local environments the compatibility gate is advice (recorded, shown);
	// on testnet and production it blocks until it passes or is waived in writing.
	const failed = gates.filter((g) => g.status === 'fail' && !(g.id === 'forward-compatible' && env.kind === 'local'));
	if (failed.length > 0) {
		const detail = failed.map((g) => g.summary).join('; ');
		ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'artifact', status: 'failed', detail, at });
		const compatOnly = failed.every((g) => g.id === 'forward-compatible');
		return {
			kind: 'refused',
			stage: 'artifact',
			message: detail,
			hint: compatOnly
				? `review the breaking changes (\`release-console inspect ${release.artifact.path} --against ${env.name}\`); fix the runtime, or waive with a written reason: \`release-console waive ${release.id} --env ${env.name} --gate forward-compatible --reason "…"\``
				: 'build a runtime for this chain with a higher spec_version, then create a new release with it',
		};
	}
	const advisory = gates.find((g) => g.id === 'forward-compatible' && g.status === 'fail');
	// The recovery plan: the runtime this upgrade replaces, read from the chain before anything changes.
	if (!alreadyUpgraded && !release.alignment?.recovery?.[env.name]) {
		try {
			const { captureRecoveryPlan } = await import('../chain/recovery.js');
			actions.push({ type: 'alignment/recovery', plan: await captureRecoveryPlan(api, env.name, at), at } as ReleaseAction);
		} catch (error) {
			actions.push({ type: 'audit', entry: { at, env: env.name, action: 'recovery', detail: `could not record the recovery plan: ${(error as Error).message}` } });
		}
	}
	ctx.release.apply(...actions, {
		type: 'stage/set',
		env: env.name,
		stage: 'artifact',
		status: 'done',
		detail: `${release.artifact.specName} ${version.specVersion.toNumber()} → ${release.artifact.specVersion}, code hash checked${advisory ? '; NOT forward compatible (advisory on local)' : ''}`,
		at,
	});
	return { kind: 'progressed', stage: 'artifact', message: `artifact checked: spec name ${release.artifact.specName}, spec version ${version.specVersion.toNumber()} → ${release.artifact.specVersion}` };
}

async function upgradeStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const at = iso(ctx);
	const chainCode = await onChainCodeHash(api);
	if (chainCode === release.artifact.codeHash) {
		// Already on chain: never send again. Find the block for the record.
		const found = await findUpgradeBlock(api, release.artifact.codeHash);
		if (found) {
			return recordUpgradeOutcome(ctx, found.blockNumber, found.blockHash, found.extrinsicHash ?? ('0x' as Hex), ['system.CodeUpdated'], undefined, 'the chain already runs this code');
		}
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'upgrade', status: 'done', detail: 'the chain already runs this code (upgrade block not found)', at });
		return { kind: 'progressed', stage: 'upgrade', message: 'the chain already runs this code; nothing sent' };
	}
	if (env.kind === 'production' || env.route !== 'sudo') {
		return { kind: 'refused', stage: 'upgrade', message: `the sudo route is refused on ${env.kind} environment ${env.name}`, hint: 'an upgrade on production cannot hang on a single signature' };
	}
	if (payloadOf(env) === 'authorize') {
		const { sudoAuthorizeStage } = await import('./governance-route.js');
		return sudoAuthorizeStage(ctx, api);
	}
	if (!hasSudo(api)) {
		return { kind: 'refused', stage: 'upgrade', message: `${env.name} has no Sudo pallet`, hint: 'configure a governance route for this environment' };
	}
	if (!ctx.signer) {
		const key = await api.query.sudo.key();
		return { kind: 'needs-signer', stage: 'upgrade', message: `the upgrade must be signed by the sudo key (${key.toString()})` };
	}
	const signer = ctx.signer;
	const artifact = await readArtifact(release.artifact.path);
	if (artifact.codeHash !== release.artifact.codeHash) {
		return { kind: 'refused', stage: 'upgrade', message: `the wasm at ${release.artifact.path} changed since the release was created`, hint: 'restore the file or create a new release' };
	}
	const plan = buildSudoSetCode(api, artifact.bytes);
	const authority = await sudoAuthority(api, signer.address);
	const prompt = await buildSignerPrompt(api, env, plan, signer.address, authority);
	if (prompt.refusals.length === 0) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'upgrade', status: 'active', detail: `awaiting confirmation by ${signer.label}`, at });
	}
	return {
		kind: 'confirm',
		stage: 'upgrade',
		prompt,
		submit: async () => {
			if (prompt.refusals.length > 0) {
				return { kind: 'refused', stage: 'upgrade', message: prompt.refusals.join('; '), hint: 'sign with the sudo key, from a funded account' };
			}
			// Re-check right before sending: someone may have upgraded meanwhile.
			if (await chainRunsCode(api, release.artifact.codeHash, release.artifact.specVersion)) return upgradeStage(ctx, api);
			const pendingOrOpen = ctx.release.get().progress[env.name]?.intents.some((i) => i.stage === 'upgrade' && !i.outcome);
			if (pendingOrOpen) return { kind: 'wait', stage: 'upgrade', message: 'an earlier upgrade extrinsic has no outcome yet', waitingFor: 'inclusion' };
			const intentId = `${env.name}-upgrade-${Date.now().toString(36)}`;
			let result;
			try {
				result = await signAndTrack(api, plan.tx, signer.pair, prompt.nonce, { env: env.name, stage: 'upgrade', call: plan.call, callHash: plan.callHash, intentId }, {
					onIntent: async (intent) => {
						ctx.release.apply({ type: 'intent/record', intent, at: iso(ctx) });
					},
					onStatus: ctx.onTx,
					onOutcome: async (outcome) => {
						ctx.release.apply({ type: 'intent/outcome', env: env.name, intentId, outcome, at: iso(ctx) });
					},
				});
			} catch (error) {
				const message = (error as Error).message;
				const open = ctx.release.get().progress[env.name]?.intents.find((i) => i.id === intentId && !i.outcome);
				if (open && /1010|1012|Invalid Transaction|priority|dropped|invalid/i.test(message)) {
					// The node refused it: nothing can be included. Record that, so it can be re-sent.
					ctx.release.apply({ type: 'intent/outcome', env: env.name, intentId, outcome: { status: 'dropped', error: message, at: iso(ctx) }, at: iso(ctx) });
				}
				ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'upgrade', status: 'failed', detail: message, at: iso(ctx) });
				return { kind: 'failed', stage: 'upgrade', message };
			}
			const { outcome, events } = result;
			return recordUpgradeOutcome(ctx, outcome.blockNumber!, outcome.blockHash!, outcome.extrinsicHash!, events, outcome.error);
		},
	};
}

export async function recordUpgradeOutcome(
	ctx: EngineContext,
	blockNumber: number,
	blockHash: Hex,
	extrinsicHash: Hex,
	events: string[],
	error?: string,
	note?: string,
	stage: StageId = 'upgrade',
): Promise<StepResult> {
	const { env } = ctx;
	const api = ctx.connection.api;
	const release = ctx.release.get();
	const at = iso(ctx);
	if (error || !events.includes('system.CodeUpdated')) {
		const why = error ?? `no system.CodeUpdated in block #${blockNumber} (events: ${events.join(', ') || 'none'}); the call ran but the upgrade did not`;
		ctx.release.apply({ type: 'stage/set', env: env.name, stage, status: 'failed', detail: why, at });
		return { kind: 'failed', stage, message: `upgrade extrinsic ${extrinsicHash} in block #${blockNumber} failed: ${why}`, hint: 'read the error, fix the cause, then advance again to send a new extrinsic' };
	}
	const parent = await api.rpc.chain.getHeader(blockHash);
	const fromVersion = (await api.rpc.state.getRuntimeVersion(parent.parentHash)).specVersion.toNumber();
	const timestamp = await blockTimestamp(api, blockHash);
	ctx.release.apply(
		{
			type: 'upgrade/included',
			env: env.name,
			record: { blockNumber, blockHash, extrinsicHash, at: new Date(timestamp ?? Date.now()).toISOString(), fromSpecVersion: fromVersion, toSpecVersion: release.artifact.specVersion },
			at,
		},
		{ type: 'stage/set', env: env.name, stage, status: 'done', detail: `${note ? `${note}; ` : ''}in block #${blockNumber}${extrinsicHash !== '0x' ? `, extrinsic ${extrinsicHash}` : ''}`, at },
	);
	return { kind: 'progressed', stage, message: `upgrade in block #${blockNumber} (${blockHash})${extrinsicHash !== '0x' ? `, extrinsic ${extrinsicHash}` : ''}` };
}

async function verifyStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const upgrade = release.progress[env.name]?.upgrade;
	const at = iso(ctx);
	if (!upgrade) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'verify', status: 'failed', detail: 'no upgrade block recorded', at });
		return { kind: 'failed', stage: 'verify', message: 'no upgrade block recorded for this environment' };
	}
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	if (best <= upgrade.blockNumber) {
		return { kind: 'wait', stage: 'verify', message: `the new runtime takes effect in the block after #${upgrade.blockNumber}; waiting for it`, waitingFor: 'blocks' };
	}
	const canonical = await api.rpc.chain.getBlockHash(upgrade.blockNumber);
	if (canonical.toHex() !== upgrade.blockHash) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'verify', status: 'failed', detail: `block #${upgrade.blockNumber} is no longer ${upgrade.blockHash}: the chain was reset or reorganised`, at });
		return { kind: 'failed', stage: 'verify', message: `the recorded upgrade block #${upgrade.blockNumber} ${upgrade.blockHash} is not on this chain any more (the chain was reset or re-organised)`, hint: 'if this is the embedded chain it was restarted from genesis; start a new release to rehearse again' };
	}
	const events = await eventsAt(api, upgrade.blockHash);
	const codeUpdated = events.some((e) => e.event.section === 'system' && e.event.method === 'CodeUpdated');
	const version = await api.rpc.state.getRuntimeVersion();
	const codeHash = await onChainCodeHash(api);
	const problems: string[] = [];
	if (!codeUpdated) problems.push(`no system.CodeUpdated event in block #${upgrade.blockNumber}`);
	if (version.specVersion.toNumber() !== release.artifact.specVersion) problems.push(`runtime reports spec ${version.specVersion.toNumber()}, expected ${release.artifact.specVersion}`);
	if (version.specName.toString() !== release.artifact.specName) problems.push(`runtime reports spec name ${version.specName.toString()}, expected ${release.artifact.specName}`);
	if (codeHash !== release.artifact.codeHash) problems.push(`on-chain code hash ${codeHash}, expected ${release.artifact.codeHash}`);
	if (problems.length > 0) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'verify', status: 'failed', detail: problems.join('; '), at });
		return { kind: 'failed', stage: 'verify', message: problems.join('; ') };
	}
	ctx.release.apply(
		{ type: 'verify/done', env: env.name, specVersion: version.specVersion.toNumber(), codeHash: codeHash!, blockNumber: best, at },
		{ type: 'stage/set', env: env.name, stage: 'verify', status: 'done', detail: `CodeUpdated in #${upgrade.blockNumber}; runtime ${version.specName.toString()} ${version.specVersion.toNumber()}; code hash matches`, at },
	);
	return { kind: 'progressed', stage: 'verify', message: `verified: CodeUpdated in #${upgrade.blockNumber}, runtime ${version.specName.toString()}/${version.specVersion.toNumber()}, code hash ${codeHash}` };
}

async function soakStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const progress = release.progress[env.name]!;
	const upgrade = progress.upgrade!;
	const at = iso(ctx);
	const header = await api.rpc.chain.getHeader();
	const best = header.number.toNumber();
	const bestAt = (await blockTimestamp(api, header.hash.toHex() as Hex)) ?? Date.now();
	const upgradeAt = Date.parse(upgrade.at);
	const start = progress.soak ?? { startBlock: upgrade.blockNumber, startedAt: upgrade.at, lastBlock: upgrade.blockNumber, lastBlockAt: upgrade.at, longestStallSeconds: 0 };
	const soak = updateSoak(start, best, bestAt);
	const evaluation = evaluateSoak(env.soak, soak, bestAt);
	const gate = soakGate(env.name, env.soak, soak, bestAt);
	const wallStall = (Date.now() - bestAt) / 1000;
	const actions: ReleaseAction[] = [{ type: 'soak/update', env: env.name, soak, at }, { type: 'gate/set', gate, at }];
	if (gate.status === 'fail' || evaluation.stalled) {
		ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'soak', status: 'failed', detail: gate.summary, at });
		return { kind: 'failed', stage: 'soak', message: `soak failed: ${gate.summary}`, hint: 'a stall after an upgrade needs investigation before promotion' };
	}
	if (evaluation.met) {
		ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'soak', status: 'done', detail: gate.summary, at });
		return { kind: 'progressed', stage: 'soak', message: `soak passed: ${gate.summary}` };
	}
	ctx.release.apply(...actions, { type: 'stage/set', env: env.name, stage: 'soak', status: 'waiting', detail: gate.summary, at });
	const waitingFor = evaluation.remainingBlocks > 0 ? 'blocks' : 'time';
	const since = formatDuration(Math.max(0, Math.round((bestAt - upgradeAt) / 1000)));
	return {
		kind: 'wait',
		stage: 'soak',
		waitingFor,
		message: `soaking since block #${upgrade.blockNumber} (${since} of chain time): ${gate.summary}; ${evaluation.remainingBlocks} more blocks and ${formatDuration(evaluation.remainingSeconds)} to go${wallStall > env.soak.maxStallSeconds ? `; no block for ${Math.round(wallStall)}s` : ''}`,
	};
}

/** Diff the artifact's metadata against the chain's live runtime and turn it into the gate. */
export async function compatibilityGate(api: ApiPromise, env: Environment, wasmPath: string) {
	const [{ inspectArtifact }, { diffMetadata }, { forwardCompatGate }, { liveRuntime }] = await Promise.all([
		import('../artifact/inspect.js'),
		import('../artifact/diff.js'),
		import('../artifact/gate.js'),
		import('../chain/runtime.js'),
	]);
	const live = await liveRuntime(api, env.name);
	const inspection = await inspectArtifact(wasmPath, { targetMetadata: live.metadata, targetLabel: live.label });
	const report = diffMetadata(live.metadata, inspection.metadata, live.version, inspection.version);
	const gate = forwardCompatGate(env.name, report);
	// Keep every change (not only the breaking ones) for the compatibility screen.
	const changes = report.changes.slice(0, 2000).map((c) => ({ pallet: c.pallet, kind: c.kind, action: c.action, item: c.item, severity: c.severity, detail: c.detail }));
	return { ...gate, evidence: { ...gate.evidence, verdicts: report.verdicts, counts: { total: report.counts.total, breaking: report.counts.breaking, additive: report.counts.additive }, changes } };
}

export async function blockTimestamp(api: ApiPromise, blockHash: Hex): Promise<number | undefined> {
	try {
		const at = await api.at(blockHash);
		const now = await at.query.timestamp.now();
		return (now as unknown as { toNumber: () => number }).toNumber();
	} catch {
		return undefined;
	}
}

/** The first block whose state holds this code, by binary search over recent blocks. */
export async function findUpgradeBlock(
	api: ApiPromise,
	codeHash: Hex,
	read: (api: ApiPromise, at: string) => Promise<Hex | undefined> = onChainCodeHash,
): Promise<{ blockNumber: number; blockHash: Hex; extrinsicHash?: Hex } | undefined> {
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	let lo = Math.max(0, best - 2000);
	let hi = best;
	const hashAt = async (n: number) => {
		try {
			return await read(api, (await api.rpc.chain.getBlockHash(n)).toHex());
		} catch {
			return undefined;
		}
	};
	if ((await hashAt(hi)) !== codeHash) return undefined;
	if ((await hashAt(lo)) === codeHash) return undefined;
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if ((await hashAt(mid)) === codeHash) hi = mid;
		else lo = mid;
	}
	const blockHash = (await api.rpc.chain.getBlockHash(hi)).toHex() as Hex;
	return { blockNumber: hi, blockHash };
}
