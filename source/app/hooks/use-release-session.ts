/**
 * The side effects of the release screen: connect to the environment, watch
 * the chain, run engine steps, hold the signer for this session only.
 * Components render what this returns; they never talk to the chain.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Release } from '../../domain/types.js';
import type { ChainState, SignerPromptModel } from '../../chain/types.js';
import type { Connection } from '../../chain/connect.js';
import type { EngineSigner, StepResult } from '../../engine/sudo-route.js';
import type { Store } from '../../store/store.js';
import { currentStage } from '../../domain/release.js';
import { trackCleanup } from '../cleanup.js';
import { debug } from '../../debug.js';

export type Phase = 'connecting' | 'ready' | 'working' | 'confirm' | 'signer-input' | 'submitting' | 'waiting' | 'done' | 'error';

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
	txSteps: TxStepView[];
	message?: { kind: 'info' | 'warn' | 'error' | 'success'; title: string; lines: string[] };
	signer?: { address: string; label: string };
	log: string[];
}

type Action =
	| { type: 'chain'; patch: Partial<ChainState> }
	| { type: 'release'; release: Release }
	| { type: 'phase'; phase: Phase; message?: SessionState['message'] }
	| { type: 'prompt'; prompt?: SignerPromptModel }
	| { type: 'tx'; steps: TxStepView[] }
	| { type: 'signer'; signer?: SessionState['signer'] }
	| { type: 'log'; line: string };

export function sessionReducer(state: SessionState, action: Action): SessionState {
	switch (action.type) {
		case 'chain':
			return { ...state, chain: { ...state.chain, ...action.patch } };
		case 'release':
			return { ...state, release: action.release };
		case 'phase':
			return { ...state, phase: action.phase, message: action.message };
		case 'prompt':
			return { ...state, prompt: action.prompt };
		case 'tx':
			return { ...state, txSteps: action.steps };
		case 'signer':
			return { ...state, signer: action.signer };
		case 'log':
			return { ...state, log: [...state.log.slice(-20), action.line] };
	}
}

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
	const initialRelease = store.getRelease(releaseId);
	const envName = initialRelease
		? (initialRelease.environments.find((e) => currentStage(initialRelease, e)) ?? initialRelease.environments[0])
		: undefined;
	const [state, dispatch] = useReducer(sessionReducer, {
		phase: 'connecting',
		chain: { connection: { status: 'idle' } },
		release: initialRelease,
		envName,
		txSteps: [],
		log: [],
	});
	const connectionRef = useRef<Connection | undefined>(undefined);
	const signerRef = useRef<EngineSigner | undefined>(undefined);
	const pendingConfirm = useRef<(() => Promise<StepResult>) | undefined>(undefined);
	const busy = useRef(false);
	const phaseRef = useRef<Phase>('connecting');
	const mounted = useRef(true);
	phaseRef.current = state.phase;

	const refreshRelease = useCallback(() => {
		const r = store.getRelease(releaseId);
		if (r && mounted.current) dispatch({ type: 'release', release: r });
	}, [store, releaseId]);

	const handle = useCallback(
		async (result: StepResult): Promise<void> => {
			debug(`step ${result.kind} ${'message' in result ? result.message : ''}`);
			refreshRelease();
			switch (result.kind) {
				case 'progressed':
					dispatch({ type: 'log', line: `✔ ${result.message}` });
					// keep going: the next stage may not need anyone
					return runStep();
				case 'complete':
					dispatch({ type: 'phase', phase: 'done', message: { kind: 'success', title: 'Release complete on this environment', lines: [result.message] } });
					return;
				case 'wait':
					dispatch({
						type: 'phase',
						phase: 'waiting',
						message: { kind: 'info', title: result.waitingFor === 'someone-else' ? 'Waiting for someone else to act' : `Waiting for ${result.waitingFor}`, lines: [result.message] },
					});
					return;
				case 'needs-signer':
					if (demo) return setSigner('//Alice');
					dispatch({ type: 'phase', phase: 'signer-input', message: { kind: 'info', title: 'A signer is needed', lines: [result.message] } });
					return;
				case 'confirm':
					pendingConfirm.current = result.submit;
					dispatch({ type: 'prompt', prompt: result.prompt });
					dispatch({ type: 'phase', phase: 'confirm' });
					if (demo && result.prompt.refusals.length === 0) {
						setTimeout(() => {
							if (mounted.current) void confirm();
						}, demoPauseMs);
					}
					return;
				case 'refused':
				case 'failed':
					dispatch({
						type: 'phase',
						phase: 'error',
						message: { kind: 'error', title: result.kind === 'refused' ? 'Refused' : 'Failed', lines: [result.message, ...(result.hint ? [`What to do: ${result.hint}`] : [])] },
					});
					return;
			}
		},
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[refreshRelease, demo],
	);

	const onTx = useCallback((stepName: string, detail?: string) => {
		const index = TX_INDEX[stepName] ?? 0;
		dispatch({
			type: 'tx',
			steps: TX_LABELS.map((label, i) => ({ label, status: i <= index ? 'done' : i === index + 1 ? 'active' : 'pending', ...(i === index && detail ? { detail } : {}) })),
		});
	}, []);

	const runStep = useCallback(async (): Promise<void> => {
		const connection = connectionRef.current;
		if (!connection || !envName || busy.current) return;
		busy.current = true;
		dispatch({ type: 'phase', phase: 'working' });
		try {
			const env = store.getEnvironment(envName)!;
			const { step } = await import('../../engine/sudo-route.js');
			const { releaseAccess } = await import('../../cli/commands/context.js');
			const result = await step({ release: releaseAccess(store, releaseId), env, connection, signer: signerRef.current, onTx });
			busy.current = false;
			await handle(result);
		} catch (error) {
			busy.current = false;
			dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Failed', lines: [(error as Error).message] } });
		}
	}, [envName, store, releaseId, handle, onTx]);

	const confirm = useCallback(async () => {
		const submit = pendingConfirm.current;
		if (!submit || busy.current) return;
		pendingConfirm.current = undefined;
		busy.current = true;
		dispatch({ type: 'phase', phase: 'submitting' });
		dispatch({ type: 'tx', steps: TX_LABELS.map((label) => ({ label, status: 'pending' })) });
		try {
			const result = await submit();
			busy.current = false;
			dispatch({ type: 'prompt', prompt: undefined });
			await handle(result);
		} catch (error) {
			busy.current = false;
			debug(`confirm failed: ${(error as Error).stack}`);
			dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Failed', lines: [(error as Error).message] } });
		}
	}, [handle]);

	const cancel = useCallback(() => {
		pendingConfirm.current = undefined;
		dispatch({ type: 'prompt', prompt: undefined });
		dispatch({ type: 'phase', phase: 'ready', message: { kind: 'warn', title: 'Not signed', lines: ['Nothing was sent. Press a to prepare the step again.'] } });
	}, []);

	const setSigner = useCallback(
		async (spec: string) => {
			const env = envName ? store.getEnvironment(envName) : undefined;
			if (!env) return;
			try {
				const { resolveSigner } = await import('../../signer/signer.js');
				const resolved = await resolveSigner({ spec, envKind: env.kind, envName: env.name, password: process.env.RELEASE_CONSOLE_PASSWORD });
				signerRef.current = { pair: resolved.pair, address: resolved.address, label: resolved.label };
				dispatch({ type: 'signer', signer: { address: resolved.address, label: resolved.label } });
				await runStep();
			} catch (error) {
				dispatch({ type: 'phase', phase: 'signer-input', message: { kind: 'error', title: 'Signer refused', lines: [(error as Error).message] } });
			}
		},
		[envName, store, runStep],
	);

	// Connect, watch, and run the first step.
	useEffect(() => {
		mounted.current = true;
		if (!envName) {
			dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Unknown release', lines: [`no release ${releaseId}`] } });
			return;
		}
		const env = store.getEnvironment(envName);
		if (!env) {
			dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Unknown environment', lines: [`environment ${envName} is not configured`, 'add it with `release-console env add`'] } });
			return;
		}
		let stopWatch: (() => void) | undefined;
		let startedChain: string | undefined;
		let lastBest = -1;
		(async () => {
			const { connectEnvironment } = await import('../../chain/connect.js');
			const { watchChain } = await import('../../chain/live.js');
			const { ensureEmbeddedChain } = await import('../../devnet/daemon.js');
			const connection = await connectEnvironment(env, {
				onState: (connectionState) => mounted.current && dispatch({ type: 'chain', patch: { connection: connectionState } }),
				resolveEmbedded: async (endpoint) => {
					const chainName = endpoint.slice('embedded:'.length);
					const { state: daemon, started } = await ensureEmbeddedChain(home, chainName);
					if (started) startedChain = chainName;
					return daemon.endpoint;
				},
			});
			if (!mounted.current) {
				await connection.disconnect();
				return;
			}
			connectionRef.current = connection;
			stopWatch = await watchChain(connection.api, (patch) => {
				if (!mounted.current) return;
				dispatch({ type: 'chain', patch });
				if (patch.bestNumber !== undefined && patch.bestNumber !== lastBest) {
					lastBest = patch.bestNumber;
					if (phaseRef.current === 'waiting') void runStep();
				}
			});
			dispatch({ type: 'phase', phase: 'ready' });
			await runStep();
		})().catch((error: Error & { hint?: string }) => {
			if (mounted.current)
				dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Cannot connect', lines: [error.message, ...(error.hint ? [`What to do: ${error.hint}`] : [])] } });
		});
		return () => {
			mounted.current = false;
			stopWatch?.();
			const connection = connectionRef.current;
			connectionRef.current = undefined;
			trackCleanup((async () => {
				await connection?.disconnect();
				if (startedChain) {
					const { stopEmbeddedChain } = await import('../../devnet/daemon.js');
					await stopEmbeddedChain(home, startedChain);
				}
			})());
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [envName, releaseId]);

	/** Rehearsals: act as another signer (the current one is dropped from memory). */
	const switchSigner = useCallback(() => {
		signerRef.current = undefined;
		dispatch({ type: 'signer', signer: undefined });
		dispatch({ type: 'phase', phase: 'signer-input', message: { kind: 'info', title: 'Another signer', lines: ['Type the next signer: a dev URI (local/testnet), env:VAR or a keystore path.'] } });
	}, []);

	const waive = useCallback(
		async (gate: string, reason: string) => {
			if (!envName) return;
			try {
				const { releaseAccess } = await import('../../cli/commands/context.js');
				releaseAccess(store, releaseId).apply({ type: 'gate/waive', env: envName, gate: gate as never, reason, at: new Date().toISOString() });
				refreshRelease();
				dispatch({ type: 'phase', phase: 'ready', message: { kind: 'warn', title: `Gate ${gate} waived`, lines: [`Reason recorded in the audit log: ${reason}`, 'Press a to continue.'] } });
			} catch (error) {
				dispatch({ type: 'phase', phase: 'error', message: { kind: 'error', title: 'Waiver refused', lines: [(error as Error).message] } });
			}
		},
		[envName, store, releaseId, refreshRelease],
	);

	return {
		state,
		waive,
		switchSigner,
		advance: runStep,
		confirm,
		cancel,
		setSigner,
		onTx,
	};
}
