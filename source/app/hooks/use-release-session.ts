/**
 * The side effects of the release screen: connect to the environment, watch
 * the chain, run engine steps, hold the signer for this session only.
 * Components render what this returns; they never talk to the chain.
 */
import path from 'node:path';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Environment, Release } from '../../domain/types.js';
import type { ChainState, SignerPromptModel } from '../../chain/types.js';
import type { EngineSigner, SigningHandout, StepResult } from '../../engine/context.js';
import type { ConfirmResult, RunOptions, Session } from '../../engine/session.js';
import type { Store } from '../../store/store.js';
import { nextEnvironment, pickEnvironment } from '../../domain/release.js';
import { isUnsigned } from '../../domain/reducer.js';
import { trackCleanup } from '../cleanup.js';
import { debug } from '../../debug.js';

export type Phase =
	| 'connecting'
	| 'ready'
	| 'working'
	| 'confirm'
	| 'signer-input'
	/** A payload was handed out to sign elsewhere: the screen shows it and takes the signature back. */
	| 'signature-input'
	| 'submitting'
	| 'waiting'
	| 'done'
	| 'error';

/**
 * What the signer field takes: a key spec (dev URI, env:VAR, keystore path) or
 * `external:ADDRESS` (signed elsewhere), optionally followed by `as ADDRESS` to act
 * for that account through a proxy (`//Bob as 5Grw…`), or on a local chain by
 * `sudo-as MEMBER`: the sudo key acts for the member through sudo.sudoAs
 * (`//Alice sudo-as //Bob`). No mnemonic word is `as` or `sudo-as`.
 */
export function parseSignerChoice(text: string): { spec: string; as?: string; sudoAs?: string } {
	const trimmed = text.trim();
	const sudo = /^(.*\S)\s+sudo-as\s+(\S+)$/u.exec(trimmed);
	if (sudo) return { spec: sudo[1]!, sudoAs: sudo[2]! };
	const proxied = /^(.*\S)\s+as\s+(\S+)$/u.exec(trimmed);
	return proxied ? { spec: proxied[1]!, as: proxied[2]! } : { spec: trimmed };
}

export interface TxStepView {
	label: string;
	status: 'pending' | 'active' | 'done' | 'failed';
	detail?: string;
}

export interface SessionState {
	phase: Phase;
	chain: ChainState;
	release?: Release;
	envName?: string;
	prompt?: SignerPromptModel;
	/** The payload handed out to sign elsewhere (phase `signature-input`). */
	signing?: SigningHandout;
	txSteps: TxStepView[];
	message?: { kind: 'info' | 'warn' | 'error' | 'success'; title: string; lines: string[] };
	/** What is in flight while connecting / working / submitting ("checking the signer", "submitting …"). */
	activity?: string;
	/** How far a long piece of work is (a rehearsal's blocks), for a progress bar beside the activity. */
	progress?: { value: number; max: number; unit: string };
	signer?: { address: string; label: string };
	log: string[];
	/** The chain did not show what the release recorded when it was opened (engine/agreement.ts): stays on screen. */
	chainNotice?: string[];
	/** How blocks come: an embedded chain can be fast-forwarded; a paced one builds blocks only when someone acts or asks. */
	pace?: { embedded: boolean; paced: boolean };
	/** The block the current wait ends at (fast-forward's target), when the step said. */
	waitUntil?: number;
	/** The last rehearsal of this session, every chain's whole report (the report view, `o`). */
	rehearsal?: { passed: boolean; at: string; lines: string[] };
}

type Action =
	| { type: 'chain'; patch: Partial<ChainState> }
	| { type: 'release'; release: Release }
	| { type: 'phase'; phase: Phase; message?: SessionState['message']; activity?: string; progress?: SessionState['progress'] }
	| { type: 'prompt'; prompt?: SignerPromptModel }
	| { type: 'signing'; signing?: SigningHandout }
	| { type: 'tx'; steps: TxStepView[] }
	| { type: 'signer'; signer?: SessionState['signer'] }
	| { type: 'notice'; lines: string[] }
	| { type: 'pace'; pace: NonNullable<SessionState['pace']> }
	| { type: 'until'; until?: number }
	| { type: 'rehearsal'; rehearsal: NonNullable<SessionState['rehearsal']> }
	| { type: 'log'; line: string };

export function sessionReducer(state: SessionState, action: Action): SessionState {
	switch (action.type) {
		case 'chain':
			return { ...state, chain: { ...state.chain, ...action.patch } };
		case 'release':
			return { ...state, release: action.release };
		case 'phase':
			return { ...state, phase: action.phase, message: action.message, activity: action.activity, progress: action.progress };
		case 'prompt':
			return { ...state, prompt: action.prompt };
		case 'signing':
			return { ...state, signing: action.signing };
		case 'tx':
			return { ...state, txSteps: action.steps };
		case 'signer':
			return { ...state, signer: action.signer };
		case 'notice':
			return { ...state, chainNotice: action.lines };
		case 'pace':
			return { ...state, pace: action.pace };
		case 'until':
			return { ...state, waitUntil: action.until };
		case 'rehearsal':
			return { ...state, rehearsal: action.rehearsal };
		case 'log':
			return { ...state, log: [...state.log.slice(-20), action.line] };
	}
}

/** Blocks the console's rehearsal builds after the first under the new runtime (`rehearse` defaults to 10). */
const REHEARSAL_BLOCKS = 3;

const TX_LABELS = ['signed', 'ready', 'in block', 'finalized'] as const;
const TX_INDEX: Record<string, number> = { signed: 0, ready: 1, inBlock: 2, finalized: 3 };

export interface SessionOptions {
	store: Store;
	home: string;
	releaseId: string;
	/** Demo: sign with //Alice and confirm by itself after a pause. */
	demo?: boolean;
	demoPauseMs?: number;
}

export function useReleaseSession({ store, home, releaseId, demo, demoPauseMs = 2500 }: SessionOptions) {
	const [initial] = useState(() => {
		const release = store.getRelease(releaseId);
		return { release, envName: release ? pickEnvironment(release) : undefined };
	});
	const { envName } = initial;
	const [state, dispatch] = useReducer(sessionReducer, {
		phase: 'connecting',
		chain: { connection: { status: 'idle' } },
		release: initial.release,
		envName,
		txSteps: [],
		log: [],
	});
	const sessionRef = useRef<Session | undefined>(undefined);
	const signerRef = useRef<EngineSigner | undefined>(undefined);
	const pendingConfirm = useRef<ConfirmResult | undefined>(undefined);
	const busy = useRef(false);
	const forwardNote = useRef<string | undefined>(undefined);
	// A signature that came back is being checked: a refusal shows the payload again (the same, or a new one) with why.
	const signatureAttempt = useRef(false);
	/** The payload last handed out (to say whether a refusal led to a new one). */
	const handedOut = useRef<string | undefined>(undefined);
	const signatureRefusal = useRef<{ message: string; hint?: string; payload?: string } | undefined>(undefined);
	/** A signature is for one payload: once a step has used it (or refused it), the signer holds none. */
	const dropSignature = () => {
		const signer = signerRef.current;
		if (!signer?.external?.signature) return;
		const { signature: _used, ...external } = signer.external;
		signerRef.current = { ...signer, external };
	};
	// The phase as the keys must see it: set at once where an action starts (keys arrive faster than renders).
	const phaseRef = useRef<Phase>('connecting');
	const mounted = useRef(true);
	phaseRef.current = state.phase;

	/** In a release of several chains, where it goes next once this environment is complete. */
	const nextLine = useCallback((): string[] => {
		const r = store.getRelease(releaseId);
		const next = r ? nextEnvironment(r) : undefined;
		return next && next !== envName ? [`next: ${next} — press a to go on there`] : [];
	}, [store, releaseId, envName]);

	const refreshRelease = useCallback(() => {
		const r = store.getRelease(releaseId);
		if (r && mounted.current) dispatch({ type: 'release', release: r });
	}, [store, releaseId]);

	const onTx = useCallback((stepName: string, detail?: string) => {
		const index = TX_INDEX[stepName] ?? 0;
		dispatch({
			type: 'tx',
			steps: TX_LABELS.map((label, i) => ({
				label,
				status: i <= index ? 'done' : i === index + 1 ? 'active' : 'pending',
				...(i === index && detail ? { detail } : {}),
			})),
		});
	}, []);

	const runOptions = useCallback(
		(): RunOptions => ({
			...(signerRef.current ? { signer: signerRef.current } : {}),
			onTx,
			onProgress: (message) => {
				refreshRelease();
				dispatch({ type: 'log', line: `✔ ${message}` });
			},
			// The console never signs without the person: every prompt is shown.
			onConfirm: () => 'stop',
		}),
		[onTx, refreshRelease],
	);

	// The session's actions call each other (a step needs a signer, a signer runs the step, a
	// demo confirms the prompt): each reads the latest of the others through this ref.
	const actions = useRef<{
		runStep: (activity?: string) => Promise<void>;
		confirm: () => Promise<void>;
		setSigner: (spec: string) => Promise<void>;
	}>(undefined as never);

	const handle = useCallback(
		(result: StepResult): void => {
			debug(`step ${result.kind} ${'message' in result ? result.message : ''}`);
			// What the last fast-forward did stays in view with the wait it led to (and only that one).
			const forwarded = forwardNote.current;
			forwardNote.current = undefined;
			refreshRelease();
			const signedConfirm = result.kind === 'confirm' && result.signed === true;
			const attempted = signatureAttempt.current;
			if (!signedConfirm) signatureAttempt.current = false;
			// The signature given was refused (it does not verify, its era ended, the chain would not take it):
			// read the step again without it, which shows the payload to sign now, with why.
			if (attempted && result.kind === 'refused') {
				signatureRefusal.current = {
					message: result.message,
					...(result.hint ? { hint: result.hint } : {}),
					...(handedOut.current ? { payload: handedOut.current } : {}),
				};
				void actions.current.runStep('reading the chain again');
				return;
			}
			if (result.kind !== 'needs-signature') dispatch({ type: 'signing', signing: undefined });
			switch (result.kind) {
				case 'progressed':
					dispatch({ type: 'log', line: `✔ ${result.message}` });
					return;
				case 'complete':
					dispatch({
						type: 'phase',
						phase: 'done',
						message: {
							kind: 'success',
							title: 'Release complete on this environment',
							lines: [result.message, ...nextLine()],
						},
					});
					return;
				case 'wait': {
					dispatch({ type: 'until', until: result.until });
					dispatch({
						type: 'phase',
						phase: 'waiting',
						message: {
							kind: 'info',
							title:
								result.waitingFor === 'someone-else'
									? 'Waiting for someone else to act'
									: `Waiting for ${result.waitingFor}`,
							lines: [...(forwarded ? [forwarded] : []), result.message],
						},
					});
					return;
				}
				case 'needs-signer': {
					if (demo) {
						void actions.current.setSigner('//Alice');
						return;
					}
					// A payload handed out earlier (before a quit) still awaits its signature: say how to see it again.
					const awaiting = envName
						? store.getRelease(releaseId)?.progress[envName]?.intents.find((i) => isUnsigned(i) && !i.outcome)
						: undefined;
					dispatch({
						type: 'phase',
						phase: 'signer-input',
						message: {
							kind: 'info',
							title: 'A signer is needed',
							lines: [
								...(awaiting
									? [
											`A payload for ${awaiting.stage} awaits its signature: give external:${awaiting.signer}${awaiting.call.startsWith('proxy.') ? ' as ADDRESS (the account it acts for)' : ''} to see it again.`,
										]
									: []),
								result.message,
							],
						},
					});
					return;
				}
				case 'needs-signature': {
					const refusal = signatureRefusal.current;
					signatureRefusal.current = undefined;
					const h = result.signing;
					handedOut.current = h.signingPayload;
					dispatch({ type: 'signing', signing: h });
					dispatch({ type: 'prompt', prompt: result.prompt });
					const ask = `Sign the payload below with ${h.address}${h.hashed ? ' (the blake2-256 of the extrinsic payload)' : ''} before block #${h.expiresAt} (the chain is at #${h.bestBlock}), then paste the signature here. Nothing was sent.`;
					phaseRef.current = 'signature-input';
					dispatch({
						type: 'phase',
						phase: 'signature-input',
						message: refusal
							? {
									kind: 'error',
									title: 'Signature refused: nothing was sent',
									lines: [
										refusal.message,
										...(refusal.hint ? [`What to do: ${refusal.hint}`] : []),
										refusal.payload && refusal.payload !== h.signingPayload
											? `A new payload was handed out (the one signed can no longer be sent): sign this one, until block #${h.expiresAt}.`
											: `The payload is unchanged: sign it with ${h.address} and paste that signature.`,
									],
								}
							: { kind: 'info', title: 'Sign elsewhere', lines: [ask] },
					});
					return;
				}
				case 'confirm':
					pendingConfirm.current = result;
					dispatch({ type: 'prompt', prompt: result.prompt });
					// The signature that came back was the confirmation: the person signed it after reading the prompt.
					if (signedConfirm) {
						void actions.current.confirm();
						return;
					}
					dispatch({ type: 'phase', phase: 'confirm' });
					if (demo && result.prompt.refusals.length === 0) {
						setTimeout(() => {
							if (mounted.current) void actions.current.confirm();
						}, demoPauseMs);
					}
					return;
				case 'refused':
				case 'failed':
					dispatch({
						type: 'phase',
						phase: 'error',
						message: {
							kind: 'error',
							title: result.kind === 'refused' ? 'Refused' : 'Failed',
							lines: [result.message, ...(result.hint ? [`What to do: ${result.hint}`] : [])],
						},
					});
					return;
			}
		},
		[refreshRelease, demo, demoPauseMs, envName, store, releaseId, nextLine],
	);

	const runStep = useCallback(
		async (activity = 'reading the chain'): Promise<void> => {
			const session = sessionRef.current;
			if (!session || busy.current) return;
			busy.current = true;
			phaseRef.current = 'working';
			dispatch({ type: 'phase', phase: 'working', activity });
			try {
				const { runUntilBlocked } = await import('../../engine/session.js');
				const result = await runUntilBlocked(session, runOptions());
				// A signed prompt holds its signature in its submit; the signer keeps none for the next step.
				dropSignature();
				busy.current = false;
				handle(result);
			} catch (error) {
				dropSignature();
				signatureAttempt.current = false;
				busy.current = false;
				dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Failed', lines: [(error as Error).message] } });
			}
		},
		[handle, runOptions],
	);

	const confirm = useCallback(async () => {
		const pending = pendingConfirm.current;
		const session = sessionRef.current;
		if (!pending || !session || busy.current) return;
		pendingConfirm.current = undefined;
		if (pending.signed) dropSignature();
		busy.current = true;
		phaseRef.current = 'submitting';
		dispatch({ type: 'phase', phase: 'submitting', activity: `submitting ${pending.prompt.purpose ?? 'the extrinsic'}` });
		dispatch({ type: 'tx', steps: TX_LABELS.map((label) => ({ label, status: 'pending' })) });
		try {
			const { confirmAndContinue } = await import('../../engine/session.js');
			const result = await confirmAndContinue(session, pending, runOptions());
			busy.current = false;
			dispatch({ type: 'prompt', prompt: undefined });
			handle(result);
		} catch (error) {
			busy.current = false;
			signatureAttempt.current = false;
			debug(`confirm failed: ${(error as Error).stack}`);
			dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Failed', lines: [(error as Error).message] } });
		}
	}, [handle, runOptions]);

	const cancel = useCallback(() => {
		pendingConfirm.current = undefined;
		dispatch({ type: 'prompt', prompt: undefined });
		phaseRef.current = 'ready';
		dispatch({
			type: 'phase',
			phase: 'ready',
			message: { kind: 'warn', title: 'Not signed', lines: ['Nothing was sent. Press a to prepare the step again.'] },
		});
	}, []);

	const setSigner = useCallback(
		async (spec: string) => {
			const env = envName ? store.getEnvironment(envName) : undefined;
			if (!env) return;
			phaseRef.current = 'working';
			dispatch({ type: 'phase', phase: 'working', activity: 'checking the signer' });
			try {
				const { engineSignerFor } = await import('../../engine/session.js');
				const choice = parseSignerChoice(spec);
				const signer = await engineSignerFor(
					{
						spec: choice.spec,
						...(choice.as ? { as: choice.as } : {}),
						...(choice.sudoAs ? { sudoAs: choice.sudoAs } : {}),
						...(process.env.RELEASE_CONSOLE_PASSWORD ? { password: process.env.RELEASE_CONSOLE_PASSWORD } : {}),
					},
					env,
				);
				signerRef.current = signer;
				dispatch({ type: 'signer', signer: { address: signer.address, label: signer.label } });
				await runStep();
			} catch (error) {
				dispatch({
					type: 'phase',
					phase: 'signer-input',
					message: { kind: 'error', title: 'Signer refused', lines: [(error as Error).message] },
				});
			}
		},
		[envName, store, runStep],
	);

	/**
	 * The signature that came back for the payload handed out: a `Signature: 0x…` line
	 * (polkadot-js-signer), bare hex, or the path of a PNG of Vault's signature QR code.
	 * What cannot be read as a signature is refused here ('unreadable', the field keeps it);
	 * otherwise the step runs with it: the engine checks it against the payload and the
	 * address, and sends it ('checking'; a refusal comes back with the payload to sign).
	 */
	const submitSignature = useCallback(
		async (text: string): Promise<'checking' | 'unreadable' | 'not-now'> => {
			const signer = signerRef.current;
			if (!signer?.external || busy.current || phaseRef.current !== 'signature-input') return 'not-now';
			phaseRef.current = 'working';
			dispatch({ type: 'phase', phase: 'working', activity: 'reading the signature' });
			let signature: string;
			try {
				const { readSignature } = await import('../../signer/vault.js');
				const read = readSignature(text.trim().replace(/^Signature:\s*/iu, ''), { cwd: process.cwd() });
				if (read.from === 'image') dispatch({ type: 'log', line: `read the signature from the QR code in ${read.file}` });
				signature = read.signature;
			} catch (error) {
				const hint = (error as { hint?: string }).hint;
				phaseRef.current = 'signature-input';
				dispatch({
					type: 'phase',
					phase: 'signature-input',
					message: {
						kind: 'error',
						title: 'Not a signature: nothing was sent',
						lines: [(error as Error).message, ...(hint ? [`What to do: ${hint}`] : [])],
					},
				});
				return 'unreadable';
			}
			signerRef.current = { ...signer, external: { ...signer.external, signature } };
			signatureAttempt.current = true;
			void runStep('checking the signature');
			return 'checking';
		},
		[runStep],
	);
	actions.current = { runStep, confirm, setSigner };

	// Open the session (connect, pin or check the genesis), watch the chain, and run the first step.
	useEffect(() => {
		mounted.current = true;
		if (!envName) {
			dispatch({
				type: 'phase',
				phase: 'error',
				message: { kind: 'error', title: 'Unknown release', lines: [`no release ${releaseId}`] },
			});
			return;
		}
		if (!store.getEnvironment(envName)) {
			dispatch({
				type: 'phase',
				phase: 'error',
				message: {
					kind: 'error',
					title: 'Unknown environment',
					lines: [`environment ${envName} is not configured`, 'add it with `release-console env add`'],
				},
			});
			return;
		}
		let stopWatch: (() => void) | undefined;
		let startedChain: string | undefined;
		let lastBest = -1;
		(async () => {
			const { embeddedResolver, openSession } = await import('../../engine/session.js');
			const { watchChain } = await import('../../chain/live.js');
			const opened = await openSession({
				store,
				releaseId,
				envName,
				onState: (connectionState) => mounted.current && dispatch({ type: 'chain', patch: { connection: connectionState } }),
				resolveEmbedded: embeddedResolver(home, (chain) => {
					startedChain = chain;
				}),
				say: (line) => mounted.current && dispatch({ type: 'log', line }),
			});
			if (!opened.ok && mounted.current && opened.result.kind === 'refused') refreshRelease();
			if (!opened.ok) {
				if (mounted.current) handle(opened.result);
				return;
			}
			const { session } = opened;
			if (!mounted.current) {
				await session.disconnect();
				return;
			}
			sessionRef.current = session;
			dispatch({ type: 'pace', pace: { embedded: session.embedded, paced: session.pace.paced } });
			if (session.disagreement) {
				dispatch({ type: 'notice', lines: session.disagreement.lines });
				refreshRelease();
			}
			stopWatch = await watchChain(session.connection.api, (patch) => {
				if (!mounted.current) return;
				dispatch({ type: 'chain', patch });
				if (patch.bestNumber !== undefined && patch.bestNumber !== lastBest) {
					lastBest = patch.bestNumber;
					if (phaseRef.current === 'waiting') void actions.current.runStep();
				}
			});
			dispatch({ type: 'phase', phase: 'ready' });
			await actions.current.runStep();
		})().catch((error: Error & { hint?: string }) => {
			if (mounted.current)
				dispatch({
					type: 'phase',
					phase: 'error',
					message: {
						kind: 'error',
						title: 'Cannot connect',
						lines: [error.message, ...(error.hint ? [`What to do: ${error.hint}`] : [])],
					},
				});
		});
		return () => {
			mounted.current = false;
			stopWatch?.();
			const session = sessionRef.current;
			sessionRef.current = undefined;
			trackCleanup(
				(async () => {
					await session?.disconnect();
					// The embedded network runs on (a release goes on to its next chain on it) until `devnet stop`.
					const { outlivesTheConsole } = await import('../../devnet/instance.js');
					if (startedChain && !outlivesTheConsole(startedChain)) {
						const { stopEmbeddedChain } = await import('../../devnet/daemon.js');
						await stopEmbeddedChain(home, startedChain);
					}
				})(),
			);
		};
	}, [envName, releaseId, store, home, handle, refreshRelease]);

	/** Rehearsals: act as another signer (the current one is dropped from memory). */
	const switchSigner = useCallback(() => {
		signerRef.current = undefined;
		dispatch({ type: 'signer', signer: undefined });
		phaseRef.current = 'signer-input';
		dispatch({
			type: 'phase',
			phase: 'signer-input',
			message: {
				kind: 'info',
				title: 'Another signer',
				lines: [
					'Type the next signer: a dev URI (local/testnet), env:VAR, a keystore path, or external:ADDRESS to sign elsewhere; add "as ADDRESS" to act for that account as its proxy, or on a local chain "sudo-as MEMBER" for the sudo key to act for a member.',
				],
			},
		});
	}, []);

	const waive = useCallback(
		async (gate: string, reason: string) => {
			if (!envName) return;
			try {
				const { releaseAccess } = await import('../../engine/session.js');
				releaseAccess(store, releaseId).apply({
					type: 'gate/waive',
					env: envName,
					gate: gate as never,
					reason,
					at: new Date().toISOString(),
				});
				refreshRelease();
				dispatch({
					type: 'phase',
					phase: 'ready',
					message: {
						kind: 'warn',
						title: `Gate ${gate} waived`,
						lines: [`Reason recorded in the audit log: ${reason}`, 'Press a to continue.'],
					},
				});
			} catch (error) {
				dispatch({
					type: 'phase',
					phase: 'error',
					message: { kind: 'error', title: 'Waiver refused', lines: [(error as Error).message] },
				});
			}
		},
		[envName, store, releaseId, refreshRelease],
	);

	/**
	 * Embedded chains: build blocks up to where the current wait ends (or one
	 * block), then read the chain again. Only while the release waits: never
	 * under an open prompt or a submission.
	 */
	const fastForward = useCallback(async () => {
		const session = sessionRef.current;
		if (!session || busy.current || phaseRef.current !== 'waiting') return;
		busy.current = true;
		phaseRef.current = 'working';
		dispatch({ type: 'phase', phase: 'working', activity: 'building blocks on the embedded chain' });
		try {
			const engine = await import('../../engine/session.js');
			const forwarded = await engine.fastForward(session, state.waitUntil);
			dispatch({ type: 'log', line: forwarded.ok ? `⏩ ${forwarded.message}` : forwarded.message });
			if (forwarded.ok) forwardNote.current = `⏩ ${forwarded.message}`;
			busy.current = false;
			if (!forwarded.ok) {
				dispatch({
					type: 'phase',
					phase: 'waiting',
					message: { kind: 'warn', title: 'Cannot fast-forward', lines: [forwarded.message] },
				});
				return;
			}
			await actions.current.runStep();
		} catch (error) {
			busy.current = false;
			dispatch({
				type: 'phase',
				phase: 'error',
				message: { kind: 'error', title: 'Fast-forward failed', lines: [(error as Error).message] },
			});
		}
	}, [state.waitUntil]);

	/**
	 * Dry-run the upgrade on a fork of this environment's chain (engine/rehearsal.ts, as
	 * `rehearse` does): progress in the log, the report in the message, the verdict kept
	 * on the release (gate and audit). Nothing is sent to the chain itself.
	 */
	const rehearse = useCallback(async () => {
		const session = sessionRef.current;
		// From the signer field too (ctrl+r): the step waits for a signer either way, and the field comes back after.
		if (!session || busy.current || !['ready', 'waiting', 'error', 'done', 'signer-input'].includes(phaseRef.current)) return;
		const back = phaseRef.current === 'error' ? 'ready' : phaseRef.current;
		busy.current = true;
		phaseRef.current = 'working';
		dispatch({ type: 'phase', phase: 'working', activity: 'rehearsing the upgrade on a fork of this chain (nothing is sent to it)' });
		try {
			const [
				{ rehearseEnvironment, rehearsalActions, rehearsalEnvironments, rehearsalPassed },
				{ rehearsalText, rehearsalBlocksExpected, isBlockLine },
			] = await Promise.all([import('../../engine/rehearsal.js'), import('../../engine/rehearsal-text.js')]);
			// A parachain is rehearsed with its relay, a relay with the release's parachains on it (as `rehearse` does).
			const { relay, paras } = rehearsalEnvironments(session.release.get(), session.env, (name) => store.getEnvironment(name));
			const endpointOf = (env: Environment): string => {
				const connection = env.name === session.env.name ? session.connection : session.linked[env.name]?.connection;
				if (!connection) throw new Error(`${env.name} is not connected in this session: rehearse it with \`rehearse\``);
				return connection.endpoint;
			};
			let built = 0;
			const expected = rehearsalBlocksExpected(REHEARSAL_BLOCKS, paras.length);
			dispatch({
				type: 'phase',
				phase: 'working',
				activity: `forking ${[relay, ...paras].map((e) => e.name).join(' and ')} and fetching state`,
				progress: { value: 0, max: expected, unit: 'blocks' },
			});
			const outcome = await rehearseEnvironment({
				endpoint: endpointOf(relay),
				release: session.release.get(),
				env: relay,
				paras: paras.map((p) => ({ env: p, endpoint: endpointOf(p) })),
				cacheDir: path.join(path.dirname(store.path), 'fork-cache'),
				blocks: REHEARSAL_BLOCKS,
				onProgress: (line) => {
					if (!mounted.current) return;
					if (isBlockLine(line)) built++;
					dispatch({ type: 'log', line: `fork: ${line}` });
					dispatch({
						type: 'phase',
						phase: 'working',
						activity: `rehearsing on a fork: ${line.slice(0, 60)}`,
						progress: { value: built, max: expected, unit: 'blocks' },
					});
				},
			});
			const at = new Date().toISOString();
			session.release.apply(...(await rehearsalActions(session.release.get(), relay, outcome.report, at)));
			for (const [i, p] of outcome.paras.entries())
				session.release.apply(...(await rehearsalActions(session.release.get(), paras[i]!, p, at)));
			refreshRelease();
			busy.current = false;
			phaseRef.current = back;
			const passed = rehearsalPassed(outcome);
			const reports = [outcome.report, ...outcome.paras];
			// Each chain's verdict first, then what the reports say (without the event lists).
			const texts = reports.map((r) => rehearsalText(r));
			// The whole report, each chain's in turn, for the report view (the message below keeps the verdicts and the gist).
			dispatch({
				type: 'rehearsal',
				rehearsal: { passed, at, lines: texts.flatMap((lines, i) => (i > 0 ? ['', ...lines] : lines)) },
			});
			dispatch({
				type: 'phase',
				phase: back,
				message: {
					kind: passed ? 'success' : 'error',
					title: passed ? 'Rehearsal on a fork: passed' : 'Rehearsal on a fork: failed',
					lines: [
						...texts.map((lines, i) => (reports.length > 1 ? `${reports[i]!.env}: ${lines.at(-1)!}` : lines.at(-1)!)),
						...texts.flatMap((lines) => lines.slice(0, -1).filter((l) => !l.includes('events system.'))),
					],
				},
			});
		} catch (error) {
			busy.current = false;
			phaseRef.current = back;
			dispatch({
				type: 'phase',
				phase: back,
				message: { kind: 'error', title: 'Rehearsal could not start', lines: [(error as Error).message] },
			});
		}
	}, [store, refreshRelease]);

	return {
		state,
		/** The phase now (set as soon as an action starts, before the next render). */
		phaseRef,
		fastForward,
		rehearse,
		waive,
		switchSigner,
		advance: runStep,
		confirm,
		cancel,
		setSigner,
		submitSignature,
		onTx,
	};
}
