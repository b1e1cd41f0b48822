/**
 * The release reducer: pure and immutable. Every state change of a release
 * goes through here, and every change except an explicit `audit` action
 * appends an audit entry describing it. Refusals throw ReleaseError.
 */
import { ReleaseError } from './errors.js';
import { stagesFor } from './stages.js';
import { alignmentReducer, isAlignmentAction } from './alignment-reducer.js';
import type {
	AuditEntry,
	EnvProgress,
	GateResult,
	Hex,
	Intent,
	IntentOutcome,
	Release,
	ReleaseAction,
	RouteKind,
	SoakProgress,
	StageProgress,
} from './types.js';

/** Minimum length of a trimmed waiver reason. */
export const MIN_WAIVER_REASON = 10;

export function releaseReducer(release: Release, action: ReleaseAction): Release {
	// alignment (issue 6): notes, stakeholders, sign-offs, recovery plan
	if (isAlignmentAction(action)) return alignmentReducer(release, action);
	switch (action.type) {
		case 'stage/set':
			return setStage(release, action);
		case 'intent/record':
			return recordIntent(release, action.intent, action.at);
		case 'intent/outcome':
			return recordOutcome(release, action.env, action.intentId, action.outcome, action.at);
		case 'intent/signed':
			return recordSignature(release, action.env, action.intentId, action.signature, action.extrinsicHash, action.at);
		case 'upgrade/included': {
			const { env, record, at } = action;
			const progress = requireProgress(release, env);
			const previous = progress.upgrade;
			// Replaying the same inclusion changes nothing.
			if (previous && sameJson(previous, record)) return release;
			const moved = previous && (previous.blockHash !== record.blockHash || previous.extrinsicHash !== record.extrinsicHash);
			return commit(
				release,
				at,
				{ ...progress, upgrade: { ...record } },
				{
					env,
					action: action.type,
					detail:
						`upgrade included in block #${record.blockNumber}: spec ${record.fromSpecVersion} → ${record.toSpecVersion}` +
						(moved ? ` (previously recorded in block #${previous.blockNumber} ${previous.blockHash})` : ''),
					blockNumber: record.blockNumber,
					blockHash: record.blockHash,
					extrinsicHash: record.extrinsicHash,
				},
			);
		}
		case 'verify/done': {
			const { env, specVersion, codeHash, blockNumber, at } = action;
			const progress = requireProgress(release, env);
			return commit(
				release,
				at,
				{ ...progress, verified: { specVersion, codeHash, blockNumber, at } },
				{
					env,
					action: action.type,
					detail: `verified spec version ${specVersion} and code hash ${codeHash} at block #${blockNumber}`,
					blockNumber,
				},
			);
		}
		case 'soak/update':
			return updateSoakProgress(release, action.env, action.soak, action.at);
		case 'gov/record': {
			const { env, patch, detail, at } = action;
			const progress = requireProgress(release, env);
			const gov = { ...(progress.gov ?? {}), ...patch };
			// Re-recording what is already known (a resumed console re-reading the chain) is not news.
			if (progress.gov && JSON.stringify(gov) === JSON.stringify(progress.gov)) return release;
			return commit(release, at, { ...progress, gov }, { env, action: action.type, detail });
		}
		case 'gate/set':
			return setGate(release, action.gate, action.at);
		case 'gate/waive':
			return waiveGate(release, action.env, action.gate, action.reason, action.at);
		case 'audit':
			return { ...release, updatedAt: action.entry.at, audit: [...release.audit, { ...action.entry }] };
		case 'chain/checked':
			return chainChecked(release, action);
		case 'chain/rederive':
			return chainRederive(release, action);
		default: {
			const unknown: never = action;
			throw new ReleaseError(
				'unknown-action',
				`unknown release action ${JSON.stringify((unknown as { type?: unknown }).type)}`,
				'this is a bug in release-console',
			);
		}
	}
}

/** Apply several actions in order (convenience for tests and replays). */
export function applyActions(release: Release, actions: readonly ReleaseAction[]): Release {
	return actions.reduce(releaseReducer, release);
}

// --- helpers -----------------------------------------------------------------

function requireEnv(release: Release, env: string): void {
	if (!release.environments.includes(env)) {
		throw new ReleaseError(
			'unknown-env',
			`environment ${env} is not part of release ${release.id} (it travels ${release.environments.join(', ') || 'no environments'})`,
			"use one of the release's environments, or create a new release that includes it",
		);
	}
}

function emptyProgress(env: string, route: RouteKind): EnvProgress {
	return {
		env,
		route,
		stages: stagesFor(route).map((id) => ({ id, status: 'pending' as const })),
		intents: [],
	};
}

/** Progress for env; created from the route's stage list when missing. */
function progressFor(release: Release, env: string, route?: RouteKind): EnvProgress {
	requireEnv(release, env);
	const progress = release.progress[env];
	if (!progress) return emptyProgress(env, route ?? 'sudo');
	return progress.env === env ? progress : { ...progress, env };
}

function requireProgress(release: Release, env: string): EnvProgress {
	return progressFor(release, env);
}

function commit(
	release: Release,
	at: string,
	progress: EnvProgress | undefined,
	entry: Omit<AuditEntry, 'at'> | undefined,
	gates?: GateResult[],
): Release {
	const next: Release = { ...release, updatedAt: at };
	if (progress) next.progress = { ...release.progress, [progress.env]: progress };
	if (gates) next.gates = gates;
	if (entry) next.audit = [...release.audit, stripUndefined({ at, ...entry })];
	return next;
}

function sameJson(a: object, b: object): boolean {
	const keys = (o: object) =>
		Object.keys(o)
			.filter((k) => (o as Record<string, unknown>)[k] !== undefined)
			.sort();
	const ka = keys(a);
	const kb = keys(b);
	return (
		ka.length === kb.length &&
		ka.every((k, i) => k === kb[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k])
	);
}

function stripUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// --- chain/checked, chain/rederive ---------------------------------------------------

function chainChecked(release: Release, action: Extract<ReleaseAction, { type: 'chain/checked' }>): Release {
	const { env, instance, head, differences, at } = action;
	const progress = requireProgress(release, env);
	const agrees = differences.length === 0;
	const before = progress.chain?.lastCheck;
	const chain = { ...progress.chain, ...(instance ? { instance: progress.chain?.instance ?? instance } : {}) };
	chain.lastCheck = { at, agrees, head, differences: differences.map((d) => ({ ...d })) };
	// A check that finds what the last one found is not news: the audit log records changes only.
	const same = before && before.agrees === agrees && JSON.stringify(before.differences) === JSON.stringify(chain.lastCheck.differences);
	const entry = same
		? undefined
		: {
				env,
				action: action.type,
				detail: agrees
					? `the chain (head #${head}) shows what this release recorded`
					: `the chain (head #${head}) does not show what this release recorded: ${differences.map((d) => d.message).join('; ')}`,
			};
	return commit(release, at, { ...progress, chain }, entry);
}

function chainRederive(release: Release, action: Extract<ReleaseAction, { type: 'chain/rederive' }>): Release {
	const { env, differences, at } = action;
	const progress = requireProgress(release, env);
	const { superseded = [], ...kept } = progress;
	const fresh: EnvProgress = {
		...emptyProgress(env, progress.route ?? 'sudo'),
		superseded: [...superseded, { at, differences: differences.map((d) => ({ ...d })), progress: kept }],
	};
	// Gates measured on the old chain are measured again; a person's waiver stays.
	const gates = release.gates.filter((g) => g.env !== env || g.status === 'waived');
	const upgrade = progress.upgrade ? `; its upgrade was in block #${progress.upgrade.blockNumber} ${progress.upgrade.blockHash}` : '';
	return commit(
		release,
		at,
		fresh,
		{
			env,
			action: action.type,
			detail:
				`${env} starts again: the chain no longer shows this release's progress (${differences.map((d) => d.message).join('; ')})` +
				`${upgrade}; the earlier record (${progress.intents.length} extrinsic${progress.intents.length === 1 ? '' : 's'}) is kept under superseded`,
		},
		gates,
	);
}

// --- stage/set -----------------------------------------------------------------

function setStage(release: Release, action: Extract<ReleaseAction, { type: 'stage/set' }>): Release {
	const { env, stage, status, detail, at } = action;
	const progress = progressFor(release, env, action.route);
	const index = progress.stages.findIndex((s) => s.id === stage);
	if (index === -1) {
		throw new ReleaseError(
			'unknown-stage',
			`stage ${stage} is not part of ${env}'s route (stages: ${progress.stages.map((s) => s.id).join(', ')})`,
		);
	}
	const current = progress.stages[index];
	if (status === 'done') {
		const notDone = progress.stages.slice(0, index).filter((s) => s.status !== 'done');
		if (notDone.length > 0) {
			throw new ReleaseError(
				'stage-order',
				`cannot mark ${stage} done on ${env}: earlier stage${notDone.length > 1 ? 's' : ''} ${notDone
					.map((s) => `${s.id} (${s.status})`)
					.join(', ')} ${notDone.length > 1 ? 'are' : 'is'} not done`,
				`finish ${notDone[0].id} first`,
			);
		}
	} else if (current.status === 'done') {
		const laterDone = progress.stages.slice(index + 1).filter((s) => s.status === 'done');
		if (laterDone.length > 0) {
			throw new ReleaseError(
				'stage-order',
				`cannot move ${stage} on ${env} back to ${status}: later stage ${laterDone[0].id} is already done`,
				'a finished stage stays finished once later stages build on it; record the problem as a failed gate instead',
			);
		}
	}
	const updated: StageProgress = { id: stage, status, updatedAt: at };
	if (detail !== undefined) updated.detail = detail;
	const stages = progress.stages.map((s, i) => (i === index ? updated : s));
	// The audit log records transitions, not ticks: a waiting stage whose countdown moved is not an entry.
	if (current.status === status) {
		if (current.detail === updated.detail) return release;
		return commit(release, at, { ...progress, stages }, undefined);
	}
	return commit(
		release,
		at,
		{ ...progress, stages },
		{
			env,
			action: action.type,
			detail: `${stage}: ${current.status} → ${status}${detail ? ` — ${detail}` : ''}`,
		},
	);
}

// --- intents ---------------------------------------------------------------

function recordIntent(release: Release, intent: Intent, at: string): Release {
	const progress = progressFor(release, intent.env);
	if (!progress.stages.some((s) => s.id === intent.stage)) {
		throw new ReleaseError(
			'unknown-stage',
			`stage ${intent.stage} is not part of ${intent.env}'s route (stages: ${progress.stages.map((s) => s.id).join(', ')})`,
		);
	}
	for (const p of Object.values(release.progress)) {
		if (p.intents.some((i) => i.id === intent.id)) {
			throw new ReleaseError(
				'duplicate-intent',
				`intent ${intent.id} is already recorded (on ${p.env})`,
				'each extrinsic gets a fresh intent id',
			);
		}
	}
	// A payload handed out to another signer and never signed was not sent: it blocks only that signer's next one.
	const open = progress.intents.find((i) => i.stage === intent.stage && !i.outcome && (!isUnsigned(i) || i.signer === intent.signer));
	if (open) {
		throw new ReleaseError(
			'intent-pending',
			`refusing to send again: ${intent.env} ${intent.stage} already has intent ${open.id} (${open.call}, nonce ${open.nonce}` +
				`${open.extrinsicHash ? `, extrinsic ${open.extrinsicHash}` : ''}) with no known outcome`,
			'find out what happened to it first (look for the extrinsic on chain, or wait for its nonce to be used) and record its outcome',
		);
	}
	const included = progress.intents.find(
		// The same call from another signer is another act (each council member votes with the same call).
		(i) => i.stage === intent.stage && i.callHash === intent.callHash && i.signer === intent.signer && i.outcome?.status === 'included',
	);
	if (included) {
		throw new ReleaseError(
			'intent-included',
			`refusing to send again: the same call (${included.callHash}) for ${intent.env} ${intent.stage} was already included` +
				`${included.outcome?.blockNumber !== undefined ? ` in block #${included.outcome.blockNumber}` : ''} (intent ${included.id})`,
			'the call is on chain already; continue with the next stage',
		);
	}
	return commit(
		release,
		at,
		{ ...progress, intents: [...progress.intents, { ...intent }] },
		{
			env: intent.env,
			action: 'intent/record',
			detail: `about to send ${intent.call} (call ${intent.callHash}) from ${intent.signer} with nonce ${intent.nonce}; intent ${intent.id}`,
			extrinsicHash: intent.extrinsicHash,
		},
	);
}

/** An intent handed to an outside signer whose signature has not come back: nothing was sent. */
export function isUnsigned(intent: Intent): boolean {
	return Boolean(intent.awaiting) && !intent.signature && !intent.extrinsicHash;
}

/** The signature of a payload handed out came back, and the extrinsic it makes is about to be sent. */
function recordSignature(release: Release, env: string, intentId: string, signature: Hex, extrinsicHash: Hex, at: string): Release {
	const progress = progressFor(release, env);
	const intent = progress.intents.find((i) => i.id === intentId);
	if (!intent) throw new ReleaseError('unknown-intent', `no intent ${intentId} on ${env}`, 'record the intent before its signature');
	if (!intent.awaiting)
		throw new ReleaseError('not-awaiting', `intent ${intentId} on ${env} was signed here; it takes no outside signature`);
	if (intent.signature) {
		if (intent.signature === signature && intent.extrinsicHash === extrinsicHash) return release;
		throw new ReleaseError(
			'already-signed',
			`intent ${intentId} on ${env} already has a signature (extrinsic ${intent.extrinsicHash ?? 'unknown'})`,
			'a payload is signed once; run advance again to learn what became of that extrinsic',
		);
	}
	if (intent.outcome)
		throw new ReleaseError(
			'outcome-recorded',
			`intent ${intentId} on ${env} already has outcome ${intent.outcome.status}; its signature is not needed any more`,
			'run advance again without --signature for a new payload',
		);
	const intents = progress.intents.map((i) => (i.id === intentId ? { ...i, signature, extrinsicHash } : i));
	return commit(
		release,
		at,
		{ ...progress, intents },
		{
			env,
			action: 'intent/signed',
			detail: `the signature of ${intent.signer} for ${intent.call} (intent ${intentId}) came back; about to send extrinsic ${extrinsicHash}`,
			extrinsicHash,
		},
	);
}

function sameOutcome(a: IntentOutcome, b: IntentOutcome): boolean {
	return (
		a.status === b.status &&
		a.blockNumber === b.blockNumber &&
		a.blockHash === b.blockHash &&
		a.extrinsicHash === b.extrinsicHash &&
		a.error === b.error
	);
}

function recordOutcome(release: Release, env: string, intentId: string, outcome: IntentOutcome, at: string): Release {
	const progress = progressFor(release, env);
	const index = progress.intents.findIndex((i) => i.id === intentId);
	if (index === -1) {
		throw new ReleaseError('unknown-intent', `no intent ${intentId} on ${env}`, 'record the intent before its outcome');
	}
	const intent = progress.intents[index];
	if (intent.outcome) {
		// Replaying the same outcome is harmless and changes nothing.
		if (sameOutcome(intent.outcome, outcome)) return release;
		throw new ReleaseError(
			'outcome-conflict',
			`intent ${intentId} on ${env} already has outcome ${intent.outcome.status}` +
				`${intent.outcome.blockNumber !== undefined ? ` (block #${intent.outcome.blockNumber})` : ''}; refusing to change it to ${outcome.status}`,
			'an outcome is recorded once; if the first one was wrong, add an audit note explaining it',
		);
	}
	const updated: Intent = { ...intent, outcome: { ...outcome } };
	const intents = progress.intents.map((i, n) => (n === index ? updated : i));
	const where = outcome.blockNumber !== undefined ? ` in block #${outcome.blockNumber}` : '';
	return commit(
		release,
		at,
		{ ...progress, intents },
		{
			env,
			action: 'intent/outcome',
			detail: `${intent.call} (intent ${intentId}) ${outcome.status}${where}${outcome.error ? `: ${outcome.error}` : ''}`,
			blockNumber: outcome.blockNumber,
			blockHash: outcome.blockHash,
			extrinsicHash: outcome.extrinsicHash ?? intent.extrinsicHash,
		},
	);
}

// --- soak --------------------------------------------------------------------

/**
 * Soak progress ticks once per block, so it is not audited on every tick:
 * only when the soak starts (or restarts from another block) and when the
 * longest stall grows.
 */
function updateSoakProgress(release: Release, env: string, soak: SoakProgress, at: string): Release {
	const progress = progressFor(release, env);
	const prev = progress.soak;
	let entry: Omit<AuditEntry, 'at'> | undefined;
	if (!prev || prev.startBlock !== soak.startBlock) {
		entry = { env, action: 'soak/update', detail: `soak started at block #${soak.startBlock}`, blockNumber: soak.startBlock };
	} else if (soak.longestStallSeconds > prev.longestStallSeconds) {
		entry = {
			env,
			action: 'soak/update',
			detail: `longest gap between blocks is now ${Math.round(soak.longestStallSeconds)}s (at block #${soak.lastBlock})`,
			blockNumber: soak.lastBlock,
		};
	}
	return commit(release, at, { ...progress, soak: { ...soak } }, entry);
}

// --- gates -------------------------------------------------------------------

function setGate(release: Release, gate: Omit<GateResult, 'waiver'>, at: string): Release {
	requireEnv(release, gate.env);
	const index = release.gates.findIndex((g) => g.id === gate.id && g.env === gate.env);
	const existing = index === -1 ? undefined : release.gates[index];
	// Strip any waiver smuggled in at runtime: waivers only come from gate/waive.
	const { waiver: _ignored, ...clean } = gate as GateResult;
	let next: GateResult = { ...clean };
	let kept = false;
	if (existing?.waiver && gate.status === 'fail') {
		next = { ...clean, status: 'waived', waiver: existing.waiver };
		kept = true;
	} else if (gate.status === 'waived') {
		throw new ReleaseError(
			'gate-waive',
			`gate ${gate.id} on ${gate.env} cannot be set to waived directly`,
			'use gate/waive with a reason',
		);
	}
	const gates = index === -1 ? [...release.gates, next] : release.gates.map((g, i) => (i === index ? next : g));
	const dropped = existing?.waiver && !kept ? ' (waiver dropped: the gate no longer fails)' : '';
	return commit(
		release,
		at,
		undefined,
		{
			env: gate.env,
			action: 'gate/set',
			detail: `gate ${gate.id}: ${next.status}${kept ? ' (still failing, waiver kept)' : ''} — ${gate.summary}${dropped}`,
		},
		gates,
	);
}

function waiveGate(release: Release, env: string, gateId: GateResult['id'], reason: string, at: string): Release {
	requireEnv(release, env);
	const trimmed = typeof reason === 'string' ? reason.trim() : '';
	if (trimmed.length < MIN_WAIVER_REASON) {
		throw new ReleaseError(
			'waiver-reason',
			`a waiver for ${gateId} on ${env} needs a reason of at least ${MIN_WAIVER_REASON} characters (got ${trimmed.length})`,
			'say why it is safe to go on despite the failing gate; it goes into the audit log',
		);
	}
	const index = release.gates.findIndex((g) => g.id === gateId && g.env === env);
	if (index === -1) {
		throw new ReleaseError('unknown-gate', `gate ${gateId} has not been checked on ${env}`, 'only a failing gate can be waived');
	}
	const gate = release.gates[index];
	if (gate.status !== 'fail') {
		throw new ReleaseError(
			'gate-not-failing',
			`gate ${gateId} on ${env} is ${gate.status}, not fail; only a failing gate can be waived`,
			gate.status === 'waived' ? 'it is already waived' : undefined,
		);
	}
	const next: GateResult = { ...gate, status: 'waived', waiver: { reason: trimmed, at } };
	const gates = release.gates.map((g, i) => (i === index ? next : g));
	return commit(
		release,
		at,
		undefined,
		{
			env,
			action: 'gate/waive',
			detail: `gate ${gateId} waived (${gate.summary}): ${trimmed}`,
		},
		gates,
	);
}
