/**
 * The one session runner, used by `advance` and by the console: pick the
 * environment a release is on, connect to it, pin its genesis on first
 * connect (and refuse a different chain behind it afterwards), resolve the
 * signer, and run steps until the release must wait for something: blocks,
 * time, inclusion, someone else, a signer, or a person reading a prompt.
 */
import type { ChainDifference, Environment, Release, ReleaseAction } from '../domain/types.js';
import { applyActions } from '../domain/reducer.js';
import { checkGenesis } from '../domain/environments.js';
import type { ConnectionState } from '../chain/types.js';
import type { Connection } from '../chain/connect.js';
import type { TxStep } from '../chain/submit.js';
import type { ResolvedSigner } from '../signer/signer.js';
import type { EngineSigner, LinkedChain, Pace, ReleaseAccess, StepResult } from './context.js';
import { step } from './step.js';
import { UserError } from '../errors.js';

/** What the session needs of the store (store/store.ts implements it). */
export interface SessionStore {
	getRelease: (id: string) => Release | undefined;
	getEnvironment: (name: string) => Environment | undefined;
	saveEnvironment: (env: Environment) => void;
	updateRelease: (id: string, fn: (release: Release) => Release) => Release;
}

export type ConfirmResult = Extract<StepResult, { kind: 'confirm' }>;

export function releaseAccess(store: Pick<SessionStore, 'getRelease' | 'updateRelease'>, id: string): ReleaseAccess {
	return {
		get: () => {
			const release = store.getRelease(id);
			if (!release) throw new Error(`release ${id} disappeared from the store`);
			return release;
		},
		apply: (...actions: ReleaseAction[]) => store.updateRelease(id, (release: Release) => applyActions(release, actions)),
	};
}

/** Embedded endpoints (`embedded:rococo`) resolved to a running embedded chain, started in the background if needed. */
export function embeddedResolver(home: string, onStarted?: (chain: string, line: string) => void) {
	return async (endpoint: string): Promise<string> => {
		const chain = endpoint.slice('embedded:'.length);
		const { ensureEmbeddedEndpoint } = await import('../devnet/daemon.js');
		// A network's parachain (embedded:asset-hub-rococo) is served by its network's process (rococo-network).
		const { state, started, endpoint: resolved, process: served } = await ensureEmbeddedEndpoint(home, chain);
		if (started) {
			const where = state.endpoints
				? Object.entries(state.endpoints)
						.map(([name, url]) => `${name} at ${url}`)
						.join(', ')
				: `at ${state.endpoint}`;
			onStarted?.(
				chain,
				`started the embedded ${served} ${state.endpoints ? `network (${where})` : `chain ${where}`} (pid ${state.pid}); stop it with \`release-console devnet stop\``,
			);
		}
		return resolved;
	};
}

/** A signer for an environment (dev URIs only off production; env:VAR; a keystore with its password). */
export async function resolveEngineSigner(
	spec: string,
	env: Pick<Environment, 'name' | 'kind'>,
	password?: string,
): Promise<ResolvedSigner> {
	const { resolveSigner } = await import('../signer/signer.js');
	return resolveSigner({ spec, envKind: env.kind, envName: env.name, password });
}

/** How the person chose to sign: a key spec or `external:ADDRESS`, maybe acting for another account through a proxy. */
export interface SignerChoice {
	spec: string;
	/** Keystore password (never a flag: RELEASE_CONSOLE_PASSWORD or a prompt). */
	password?: string;
	/** Act for this account through pallet_proxy (`--as`): the signer is its delegate. */
	as?: string;
	/** Local rehearsal (`--sudo-as`): the signer is the chain's sudo key and acts for this member through sudo.sudoAs. */
	sudoAs?: string;
	/** The signature an outside signer gave back for the payload handed out (`--signature`). */
	signature?: string;
	/** Blocks a payload handed out stays valid. */
	mortality?: number;
}

/** `external:ADDRESS`: the signature is made elsewhere. */
export function externalAddressOf(spec: string): string | undefined {
	const s = spec.trim();
	return s.startsWith('external:') ? s.slice('external:'.length).trim() : undefined;
}

/**
 * The signer a step uses: a key held here (dev URI, env:VAR, keystore), or an
 * address whose key is elsewhere (`external:ADDRESS`: the payload is handed out,
 * the signature comes back); with `as`, acting for that account as its proxy.
 */
export async function engineSignerFor(choice: SignerChoice, env: Pick<Environment, 'name' | 'kind'>): Promise<EngineSigner> {
	const { decodeAddress, encodeAddress } = await import('@polkadot/util-crypto');
	const address = (text: string, what: string): string => {
		try {
			return encodeAddress(decodeAddress(text), 42);
		} catch {
			throw new UserError(
				`${what} "${text}" is not an SS58 address or a 0x public key`,
				'pass the account as polkadot-js shows it, e.g. 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
			);
		}
	};
	const outside = externalAddressOf(choice.spec);
	let signer: EngineSigner;
	if (outside !== undefined) {
		const who = address(outside, 'external:');
		signer = {
			address: who,
			label: 'key held elsewhere (external:)',
			external: {
				...(choice.signature ? { signature: choice.signature } : {}),
				...(choice.mortality ? { mortality: choice.mortality } : {}),
			},
		};
	} else {
		if (choice.signature)
			throw new UserError(
				'--signature is for a payload signed elsewhere; this signer signs here',
				'pass --signer external:ADDRESS with --signature, or drop --signature',
			);
		const resolved = await resolveEngineSigner(choice.spec, env, choice.password);
		signer = { pair: resolved.pair, address: resolved.address, label: resolved.label };
	}
	if (choice.sudoAs !== undefined) {
		if (env.kind !== 'local')
			throw new UserError(
				`--sudo-as is a rehearsal path for local environments; ${env.name} is ${env.kind}`,
				"on a testnet or production chain the member signs: pass the member's own key as --signer",
			);
		if (!signer.pair)
			throw new UserError(
				'--sudo-as needs the sudo key here, not signed elsewhere',
				"pass the chain's sudo key as --signer (a dev URI on local)",
			);
		const member = await memberAddress(choice.sudoAs, address);
		return {
			...signer,
			address: member,
			label: `${signer.label} (sudo) for ${member.slice(0, 6)}…${member.slice(-4)}`,
			sudoAs: { sudoKey: signer.address, sudoKeyLabel: signer.label },
		};
	}
	if (choice.as === undefined) return signer;
	const real = address(choice.as, '--as');
	if (real === signer.address)
		throw new UserError(
			`--as names the signer itself (${real})`,
			'drop --as to sign as this account, or name the account it is a proxy of',
		);
	return {
		...signer,
		address: real,
		label: `${signer.label} for ${real}`,
		proxy: { delegate: signer.address, delegateLabel: signer.label },
	};
}

/** The member `--sudo-as` names: an address, or a dev URI (`//Bob`: a well-known test key, named, not held). */
async function memberAddress(text: string, address: (text: string, what: string) => string): Promise<string> {
	const t = text.trim();
	if (!/^\/\/[A-Za-z]+$/.test(t)) return address(t, '--sudo-as');
	const { Keyring } = await import('@polkadot/keyring');
	const { cryptoWaitReady } = await import('@polkadot/util-crypto');
	await cryptoWaitReady();
	return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(t).address;
}

export interface Session {
	env: Environment;
	connection: Connection;
	release: ReleaseAccess;
	disconnect: () => Promise<void>;
	/** The chain did not show what the release recorded when the session opened (and what was done about it). */
	disagreement?: Disagreement;
	/** How blocks come here (a paced embedded chain builds them only when someone acts or asks). */
	pace: Pace;
	/** Every endpoint is an embedded chain: blocks may be built on request (fastForward). */
	embedded: boolean;
	/** The other chains of the release this one works with: a parachain's relay, a relay's parachains. */
	linked: Record<string, LinkedChain>;
}

/**
 * The environments an environment's steps also read: for a parachain its relay; for a relay the
 * parachain environments of the release that name it (its upgrade carries their authorizations).
 */
export function linkedEnvironmentNames(release: Release, env: Environment, lookup: (name: string) => Environment | undefined): string[] {
	if (env.route === 'parachain') return env.parachain ? [env.parachain.relay] : [];
	return release.environments.filter((name) => {
		const other = name === env.name ? undefined : lookup(name);
		return other?.route === 'parachain' && other.parachain?.relay === env.name;
	});
}

/**
 * How blocks come on the connected chain: an embedded chain says its mode; the
 * time per block is measured from the chain. Only an environment whose
 * endpoints are all embedded is paced by the person (its blocks are theirs to
 * ask for); a dev chain behind a ws:// endpoint gets its blocks from whoever
 * runs it.
 */
async function readPace(connection: Connection, embedded: boolean): Promise<Pace> {
	const [{ readBlockMode }, { chainBlockTime }] = await Promise.all([import('../chain/embedded.js'), import('../chain/block-time.js')]);
	const [mode, time] = await Promise.all([readBlockMode(connection.api), chainBlockTime(connection.api).catch(() => undefined)]);
	const { expectedBlockTimeMs } = await import('../chain/block-time.js');
	return {
		mode: mode ?? 'node',
		paced: embedded && (mode === 'instant' || mode === 'manual'),
		blockMs: time?.ms ?? expectedBlockTimeMs(connection.api),
		how: time?.how ?? 'expected',
	};
}

/**
 * Build blocks on an embedded chain up to the next block where something can
 * happen (`until`, from the wait), or one block. Refused on any other chain: a
 * real chain makes its own blocks.
 */
export async function fastForward(
	session: Session,
	until?: number,
): Promise<{ ok: true; best: number; message: string } | { ok: false; message: string }> {
	if (!session.embedded)
		return {
			ok: false,
			message: `${session.env.name} is not an embedded chain: its blocks come from its own nodes, nothing can fast-forward them`,
		};
	const { buildBlocksTo } = await import('../chain/embedded.js');
	const before = (await session.connection.api.rpc.chain.getHeader()).number.toNumber();
	const target = until !== undefined && until > before ? until : before + 1;
	const best = await buildBlocksTo(session.connection.api, target);
	return { ok: true, best, message: `fast-forwarded ${best - before} block${best - before === 1 ? '' : 's'}: #${before} → #${best}` };
}

export interface Disagreement {
	differences: ChainDifference[];
	/** An embedded chain: the environment was started again from the chain. */
	rederived: boolean;
	/** What to tell the person, one line each. */
	lines: string[];
}

export interface OpenSessionOptions {
	store: SessionStore;
	releaseId: string;
	envName: string;
	resolveEmbedded: (endpoint: string) => Promise<string>;
	onState?: (state: ConnectionState) => void;
	/** Lines worth telling the person (a pinned genesis). */
	say?: (line: string) => void;
	timeoutMs?: number;
}

/**
 * Connect to the release's environment. On the first connection to a real
 * endpoint the environment is pinned to the genesis it reports; afterwards a
 * chain with another genesis is refused before any step runs.
 */
export async function openSession(o: OpenSessionOptions): Promise<{ ok: true; session: Session } | { ok: false; result: StepResult }> {
	const env = o.store.getEnvironment(o.envName);
	if (!env) {
		return {
			ok: false,
			result: {
				kind: 'refused',
				stage: 'artifact',
				message: `environment ${o.envName} is not configured`,
				hint: 'add it with `release-console env add`',
			},
		};
	}
	const { connectEnvironment, ConnectError, GenesisMismatchError } = await import('../chain/connect.js');
	let connection: Connection;
	try {
		connection = await connectEnvironment(env, {
			resolveEmbedded: o.resolveEmbedded,
			...(o.onState ? { onState: o.onState } : {}),
			...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
		});
	} catch (error) {
		const hint = error instanceof ConnectError ? error.hint : undefined;
		// Another chain behind a pinned environment's endpoint is a refusal, not a fault.
		const kind = error instanceof GenesisMismatchError ? 'refused' : 'failed';
		return { ok: false, result: { kind, stage: 'artifact', message: (error as Error).message, ...(hint ? { hint } : {}) } };
	}
	const genesis = checkGenesis(env, connection.genesisHash, connection.endpoint);
	if (!genesis.ok) {
		await connection.disconnect();
		return { ok: false, result: { kind: 'refused', stage: 'artifact', message: genesis.error } };
	}
	let pinned = env;
	// Embedded chains all report frame-system's placeholder genesis: their identity is their instance id (agreement.ts).
	const embedded = env.endpoints.every((e) => e.startsWith('embedded:'));
	if (genesis.pin && !embedded) {
		pinned = { ...env, genesisHash: genesis.pin };
		o.store.saveEnvironment(pinned);
		o.say?.(`pinned ${env.name} to genesis ${genesis.pin}`);
	}
	const release = releaseAccess(o.store, o.releaseId);
	// The chains this one works with, each checked like the main one (a pinned genesis is kept to).
	const linked: Record<string, LinkedChain> = {};
	const closeAll = async () => {
		await Promise.all([connection.disconnect(), ...Object.values(linked).map((l) => l.connection.disconnect().catch(() => {}))]);
	};
	const stored = o.store.getRelease(o.releaseId);
	for (const name of stored ? linkedEnvironmentNames(stored, pinned, (n) => o.store.getEnvironment(n)) : []) {
		const other = o.store.getEnvironment(name);
		if (!other) {
			await closeAll();
			return {
				ok: false,
				result: {
					kind: 'refused',
					stage: 'artifact',
					message: `${env.name} works with environment ${name}, which is not configured`,
					hint: `add it with \`release-console env add ${name} --endpoint URL --kind KIND --route ROUTE\``,
				},
			};
		}
		try {
			const c = await connectEnvironment(other, {
				resolveEmbedded: o.resolveEmbedded,
				...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
			});
			linked[name] = { env: other, connection: c };
			const check = checkGenesis(other, c.genesisHash, c.endpoint);
			if (!check.ok) {
				await closeAll();
				return { ok: false, result: { kind: 'refused', stage: 'artifact', message: check.error } };
			}
			if (check.pin && !other.endpoints.every((e) => e.startsWith('embedded:'))) {
				const pinnedOther = { ...other, genesisHash: check.pin };
				o.store.saveEnvironment(pinnedOther);
				linked[name] = { env: pinnedOther, connection: c };
				o.say?.(`pinned ${name} to genesis ${check.pin}`);
			}
		} catch (error) {
			await closeAll();
			const hint = error instanceof ConnectError ? error.hint : undefined;
			return {
				ok: false,
				result: {
					kind: 'failed',
					stage: 'artifact',
					message: `${env.name} works with ${name}, which cannot be reached: ${(error as Error).message}`,
					...(hint ? { hint } : {}),
				},
			};
		}
	}
	const [agreed, pace] = await Promise.all([
		agreeWithChain(connection, pinned, release, embedded, o.say),
		readPace(connection, embedded),
	]);
	if (!agreed.ok) {
		await closeAll();
		return { ok: false, result: agreed.result };
	}
	return {
		ok: true,
		session: {
			env: pinned,
			connection,
			release,
			pace,
			embedded,
			linked,
			disconnect: closeAll,
			...(agreed.disagreement ? { disagreement: agreed.disagreement } : {}),
		},
	};
}

/**
 * Read the chain against what the release recorded on this environment. On an
 * embedded chain that no longer shows it (reset, replaced) the environment
 * starts again, keeping the old record; on any other chain nothing is changed
 * and the session is refused: a re-org, a node that is behind, or another chain
 * is for a person to look at.
 */
async function agreeWithChain(
	connection: Connection,
	env: Environment,
	release: ReleaseAccess,
	embedded: boolean,
	say: ((line: string) => void) | undefined,
): Promise<{ ok: true; disagreement?: Disagreement } | { ok: false; result: StepResult }> {
	const current = release.get();
	if (!current.progress[env.name]) return { ok: true };
	const { checkAgreement, disagreementText } = await import('./agreement.js');
	const agreement = await checkAgreement(connection.api, current, env.name);
	const at = new Date().toISOString();
	release.apply({
		type: 'chain/checked',
		env: env.name,
		...(agreement.instance ? { instance: agreement.instance.id } : {}),
		head: agreement.head,
		differences: agreement.differences,
		at,
	});
	for (const note of agreement.notes) say?.(note);
	if (agreement.differences.length === 0) return { ok: true };
	if (embedded) {
		release.apply({ type: 'chain/rederive', env: env.name, differences: agreement.differences, at });
		// The new instance is the one the rehearsal now runs on.
		release.apply({
			type: 'chain/checked',
			env: env.name,
			...(agreement.instance ? { instance: agreement.instance.id } : {}),
			head: agreement.head,
			differences: [],
			at,
		});
		const lines = disagreementText(env.name, agreement.differences, true);
		for (const line of lines) say?.(line);
		return { ok: true, disagreement: { differences: agreement.differences, rederived: true, lines } };
	}
	const lines = disagreementText(env.name, agreement.differences, false);
	return {
		ok: false,
		result: {
			kind: 'refused',
			stage: 'artifact',
			message: lines.join('\n'),
			hint: agreement.differences.some((d) => d.kind === 'block' && d.message.includes('does not exist'))
				? `the node at ${connection.endpoint} may be behind (head #${agreement.head}): wait for it to sync or add another endpoint; if the chain was replaced, the release's record of it is history`
				: `a re-org or another chain behind ${connection.endpoint}: compare with a block explorer or another node before going on`,
		},
	};
}

export interface RunOptions {
	signer?: EngineSigner;
	onTx?: (step: TxStep, detail?: string) => void;
	/** A step made progress (its message), or an earlier submission did. */
	onProgress?: (message: string) => void;
	/**
	 * A signer prompt came up: `submit` signs and submits it now (headless
	 * `--yes`), `stop` hands it back to the caller (the console shows it).
	 */
	onConfirm?: (result: ConfirmResult) => 'submit' | 'stop';
}

/** Run steps until the release waits for something; a prompt is handed back unless `onConfirm` says submit. */
export async function runUntilBlocked(session: Session, options: RunOptions = {}): Promise<StepResult> {
	for (;;) {
		const result = await step({
			release: session.release,
			env: session.env,
			connection: session.connection,
			pace: session.pace,
			linked: session.linked,
			...(options.signer ? { signer: options.signer } : {}),
			...(options.onTx ? { onTx: options.onTx } : {}),
		});
		if (result.kind === 'progressed') {
			options.onProgress?.(result.message);
			continue;
		}
		if (result.kind !== 'confirm') return result;
		if ((options.onConfirm?.(result) ?? 'stop') === 'stop') return result;
		const after = await submitPrompt(result, options);
		if (after !== 'again') return after;
	}
}

/** Sign and submit a prompt the person confirmed, then carry on until the release waits again. */
export async function confirmAndContinue(session: Session, prompt: ConfirmResult, options: RunOptions = {}): Promise<StepResult> {
	const after = await submitPrompt(prompt, options);
	return after === 'again' ? runUntilBlocked(session, options) : after;
}

async function submitPrompt(prompt: ConfirmResult, options: RunOptions): Promise<StepResult | 'again'> {
	const after = await prompt.submit();
	// A signature that came back is for one payload: the steps after it hand out their own.
	if (prompt.signed && options.signer?.external?.signature) {
		const { signature: _used, ...external } = options.signer.external;
		options.signer = { ...options.signer, external };
	}
	if (after.kind === 'progressed') {
		options.onProgress?.(after.message);
		return 'again';
	}
	// The chain moved under the prompt (someone else acted first): prepare the step again.
	if (after.kind === 'confirm') return 'again';
	return after;
}
