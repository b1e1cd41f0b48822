/**
 * What every step works with (the release, the environment, the connection, the signer)
 * and what it answers; small helpers that record a stage's state.
 */
import type { ArtifactInfo, Environment, GovProgress, Hex, PayloadKind, Release, ReleaseAction, StageId } from '../domain/types.js';
import { artifactFor } from '../domain/release.js';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SignerPromptModel } from '../chain/types.js';
import type { Connection } from '../chain/connect.js';
import type { TxStep } from '../chain/submit.js';
import { expectedBlockTimeMs } from '../chain/block-time.js';
import type { BlockMode } from '../chain/embedded.js';

export interface ReleaseAccess {
	get: () => Release;
	/** Apply actions atomically to the stored release (re-read, reduce, write) and return the new release. */
	apply: (...actions: ReleaseAction[]) => Release;
}

export interface EngineSigner {
	/** The account whose authority the step uses: the real account when acting through a proxy. */
	address: string;
	label: string;
	/** The key that signs here; absent when the signature is made elsewhere (`external`). */
	pair?: KeyringPair;
	/** Signed elsewhere (polkadot-js-signer on an air-gapped machine, Polkadot Vault): no secret here. */
	external?: {
		/** The signature that came back for the payload handed out (hex, with or without its type byte). */
		signature?: string;
		/** Blocks a payload handed out stays valid (default chain/external.ts EXTERNAL_MORTAL_PERIOD). */
		mortality?: number;
	};
	/** Acting for `address` through pallet_proxy: this account signs and pays, `proxy.proxy(address, type, call)`. */
	proxy?: { delegate: string; delegateLabel: string };
	/**
	 * Rehearsal only (local environments): the chain's sudo key signs `sudo.sudoAs(address, call)`, so the call is
	 * dispatched with `address`'s signed origin without passing the call filter of a signed extrinsic (how Polkadot's
	 * governance ran at launch).
	 */
	sudoAs?: { sudoKey: string; sudoKeyLabel: string };
}

/** The account that signs and pays the fee: the delegate of a proxy, the sudo key acting for a member, or the signer itself. */
export function senderOf(signer: EngineSigner): string {
	return signer.proxy?.delegate ?? signer.sudoAs?.sudoKey ?? signer.address;
}

/** A payload handed to an outside signer, as shown to the person and printed by `advance` (`signingPayload` in JSON). */
export interface SigningHandout {
	env: string;
	intentId: string;
	/** The address that must sign. */
	address: string;
	/** Exactly the bytes to sign (the payload, or its blake2-256 when longer than 256 bytes). */
	signingPayload: Hex;
	/** The extrinsic payload itself, `toU8a({ method: true })` (what Polkadot Vault decodes and shows). */
	extrinsicPayload: Hex;
	/** The call alone (the payload's `method`): Vault's UOS carries it with its length prefix. */
	call: Hex;
	hashed: boolean;
	genesisHash: Hex;
	nonce: number;
	/** The block from which a signature of it is refused (its era ends). */
	expiresAt: number;
	bestBlock: number;
	/** The key type, for Vault's UOS header. */
	crypto: 'sr25519' | 'ed25519' | 'ecdsa';
}

/**
 * How blocks come on this chain: `node` (a real node's own production), or an
 * embedded chain's mode; `paced` when blocks come only when someone acts or
 * asks (instant/manual), so a wait is in blocks, never in minutes.
 */
export interface Pace {
	mode: BlockMode | 'node';
	paced: boolean;
	/** Wall time per block, as measured from the chain (or what the runtime expects). */
	blockMs: number;
	how: 'measured' | 'expected';
}

/** Another environment of the release this one works with, connected: a parachain's relay, or a relay's parachains. */
export interface LinkedChain {
	env: Environment;
	connection: Connection;
}

export interface EngineContext {
	release: ReleaseAccess;
	env: Environment;
	connection: Connection;
	/**
	 * The chains of the release this environment's steps read or build for, by environment name: for a
	 * parachain its relay; for a relay the parachains whose upgrade authorization its route carries.
	 */
	linked?: Record<string, LinkedChain>;
	signer?: EngineSigner;
	onTx?: (step: TxStep, detail?: string) => void;
	now?: () => number;
	pace?: Pace;
}

export type StepResult =
	| { kind: 'progressed'; stage: StageId; message: string }
	| { kind: 'complete'; message: string }
	| {
			kind: 'wait';
			stage: StageId;
			message: string;
			waitingFor: 'blocks' | 'time' | 'inclusion' | 'someone-else';
			/** The next block where something can happen (an end of period, an enactment, the end of the soak): fast-forward's target. */
			until?: number;
	  }
	| { kind: 'needs-signer'; stage: StageId; message: string }
	/** A payload was handed out to sign elsewhere; the step goes on when its signature comes back. Nothing was sent. */
	| { kind: 'needs-signature'; stage: StageId; message: string; prompt: SignerPromptModel; signing: SigningHandout }
	| {
			kind: 'confirm';
			stage: StageId;
			prompt: SignerPromptModel;
			submit: () => Promise<StepResult>;
			/** The signature came back from an outside signer: signing it was the confirmation, nothing more to ask. */
			signed?: true;
	  }
	| { kind: 'refused'; stage: StageId; message: string; hint?: string }
	| { kind: 'failed'; stage: StageId; message: string; hint?: string };

/** Run the current stage again from a fresh read of the chain (after it moved under a prompt). */
export type Again = () => Promise<StepResult>;

/** The runtime this environment upgrades to (its own in a release of several chains). */
export function artifactOf(ctx: Pick<EngineContext, 'release' | 'env'>): ArtifactInfo {
	return artifactFor(ctx.release.get(), ctx.env.name);
}

export const iso = (ctx: EngineContext) => new Date(ctx.now?.() ?? Date.now()).toISOString();

export function payloadOf(env: Environment): PayloadKind {
	return env.routeOptions?.payload ?? 'set-code';
}

export const short = (hex: string) => (hex.length > 20 ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : hex);

/** "1 block" / "12 blocks". */
export function blocks(n: number): string {
	return `${n} block${n === 1 ? '' : 's'}`;
}

/**
 * Blocks from now, with the time they take at this chain's measured pace:
 * "12 blocks, ≈ 1 min"; on a chain paced by the person, "12 blocks (built when
 * asked: f fast-forwards)".
 */
export function blocksAway(ctx: EngineContext, n: number): string {
	const count = Math.max(0, n);
	const pace = ctx.pace;
	if (pace?.paced) return `${blocks(count)}; this chain builds blocks when asked: f in the console, or advance --follow`;
	const ms = (pace?.blockMs ?? expectedBlockTimeMs(ctx.connection.api)) * count;
	const s = Math.round(ms / 1000);
	const time = s < 90 ? `≈ ${s} s` : s < 5400 ? `≈ ${Math.round(s / 60)} min` : `≈ ${(s / 3600).toFixed(1)} h`;
	return `${blocks(count)}, ${time}`;
}

export function gov(ctx: EngineContext): GovProgress {
	return ctx.release.get().progress[ctx.env.name]?.gov ?? {};
}

export function record(ctx: EngineContext, patch: Partial<GovProgress>, detail: string): void {
	ctx.release.apply({ type: 'gov/record', env: ctx.env.name, patch, detail, at: iso(ctx) });
}

export function done(ctx: EngineContext, stage: StageId, detail: string): StepResult {
	ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage, status: 'done', detail, at: iso(ctx) });
	return { kind: 'progressed', stage, message: `${stage}: ${detail}` };
}

export function waiting(
	ctx: EngineContext,
	stage: StageId,
	detail: string,
	waitingFor: 'blocks' | 'someone-else' | 'time' = 'blocks',
	until?: number,
): StepResult {
	const current = ctx.release.get().progress[ctx.env.name]?.stages.find((s) => s.id === stage);
	if (current?.status !== 'waiting' || current.detail !== detail) {
		ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage, status: 'waiting', detail, at: iso(ctx) });
	}
	return { kind: 'wait', stage, message: detail, waitingFor, ...(until !== undefined ? { until } : {}) };
}

export function failed(ctx: EngineContext, stage: StageId, message: string, hint?: string): StepResult {
	ctx.release.apply({ type: 'stage/set', env: ctx.env.name, stage, status: 'failed', detail: message, at: iso(ctx) });
	return { kind: 'failed', stage, message, ...(hint ? { hint } : {}) };
}
