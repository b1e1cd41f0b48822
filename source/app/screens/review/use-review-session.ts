import path from 'node:path';
import { useEffect, useRef } from 'react';
import type { Connection } from '../../../chain/connect.js';
import type { Environment } from '../../../domain/types.js';
import type { VoteOutcome, VoteSigner } from '../../../review/vote.js';
import { DRY_RUN_BLOCKS } from '../../../review/types.js';
import { ReviewInputError, parseBalance, parseTargetText } from '../../../review/target.js';
import type { TextInputStateHook } from '../../components/text-input/index.js';
import { trackCleanup } from '../../cleanup.js';
import type { ReviewScreenStateHook } from './use-review-state.js';

export interface ReviewFields {
	target: TextInputStateHook;
	wasm: TextInputStateHook;
	signer: TextInputStateHook;
	amount: TextInputStateHook;
}

export interface ReviewSession {
	/** Review the form's target on the chosen environment (`dryRun`: and dry-run what it enacts on a fork). */
	review: (dryRun?: boolean) => Promise<void>;
	/** The signer field was submitted: resolve the key, then ask for the amount or prepare the vote. */
	applySigner: () => Promise<void>;
	/** Read the vote again and build the signer prompt. */
	prepare: () => Promise<void>;
	/** Sign and submit the prepared vote (never when the prompt shows refusals). */
	submit: () => Promise<void>;
	/** A signer was given in this screen already (the next vote asks for no key). */
	hasSigner: () => boolean;
}

/**
 * The review screen's chain work: one connection per environment (closed when the screen goes),
 * the review, and the vote through `review/vote` (its prompt, then `chain/submit`).
 */
export function useReviewSession({
	envs,
	home,
	ui,
	fields,
}: {
	envs: Environment[];
	home: string;
	ui: ReviewScreenStateHook;
	fields: ReviewFields;
}): ReviewSession {
	const { dispatch } = ui;
	const connection = useRef<{ env: string; connection: Connection } | undefined>(undefined);
	const signer = useRef<VoteSigner | undefined>(undefined);
	useEffect(
		() => () => {
			if (connection.current) trackCleanup(connection.current.connection.disconnect());
			connection.current = undefined;
		},
		[],
	);
	const env = (): Environment | undefined => envs[ui.current().envIndex];
	const fail = (error: unknown, hintPrefix = '') => {
		const err = error as Error & { hint?: string };
		dispatch({ type: 'message', message: { kind: 'error', title: err.message, lines: err.hint ? [`${hintPrefix}${err.hint}`] : [] } });
	};

	async function connect(e: Environment): Promise<Connection> {
		if (connection.current?.env === e.name) return connection.current.connection;
		if (connection.current) trackCleanup(connection.current.connection.disconnect());
		connection.current = undefined;
		const [{ connectEnvironment }, { embeddedResolver }] = await Promise.all([
			import('../../../chain/connect.js'),
			import('../../../engine/session.js'),
		]);
		const c = await connectEnvironment(e, { resolveEmbedded: embeddedResolver(home), timeoutMs: 10_000 });
		connection.current = { env: e.name, connection: c };
		return c;
	}

	async function review(dryRun = false): Promise<void> {
		const e = env();
		if (!e) {
			dispatch({
				type: 'message',
				message: {
					kind: 'error',
					title: 'No environment',
					lines: ['add one first: release-console env add NAME --endpoint ws://… --kind local|testnet|production --route …'],
				},
			});
			return;
		}
		let t;
		try {
			t = parseTargetText(fields.target.current());
		} catch (error) {
			fail(error as ReviewInputError);
			dispatch({ type: 'field', field: 'target' });
			return;
		}
		if (dryRun && e.endpoints.some((x) => x === 'embedded:governance'))
			return dispatch({
				type: 'message',
				message: {
					kind: 'error',
					title: `${e.name} is the governance devnet, a simulation without an executable runtime: it cannot be forked`,
					lines: ['dry-run on an environment whose chain runs a real runtime (embedded:rococo, or a live endpoint)'],
				},
			});
		dispatch({ type: 'loading', progress: `connecting to ${e.name}…` });
		try {
			const c = await connect(e);
			const [{ runReview }, { openParaDecoders }, { connectEnvironment }, { embeddedResolver }] = await Promise.all([
				import('../../../review/review.js'),
				import('../../../review/remote.js'),
				import('../../../chain/connect.js'),
				import('../../../engine/session.js'),
			]);
			// The relay's parachain environments decode what its XCM Transacts carry to them.
			const paras = await openParaDecoders(e, envs, (other) =>
				connectEnvironment(other, { resolveEmbedded: embeddedResolver(home), timeoutMs: 10_000 }),
			);
			let result;
			try {
				result = await runReview(c.api, e, c.endpoint, t, {
					wasmPath: fields.wasm.current().trim() || undefined,
					reviewer: signer.current?.address,
					onProgress: (progress) => dispatch({ type: 'progress', progress }),
					decodeRemote: paras.decodeRemote,
					...(dryRun
						? { dryRun: { cacheDir: path.join(home, 'fork-cache'), blocks: DRY_RUN_BLOCKS, paras: paras.endpoints } }
						: {}),
				});
			} finally {
				trackCleanup(paras.close());
			}
			for (const w of paras.warnings) result.report.findings.notes.push(w);
			dispatch({
				type: 'reviewed',
				run: result,
				token: { decimals: c.api.registry.chainDecimals[0] ?? 12, symbol: c.api.registry.chainTokens[0] ?? 'UNIT' },
			});
		} catch (error) {
			fail(error, 'what to do: ');
			dispatch({ type: 'phase', phase: 'form' });
		}
	}

	async function applySigner(): Promise<void> {
		const e = env()!;
		const spec = fields.signer.current().trim();
		if (!spec) return;
		try {
			const { resolveSigner } = await import('../../../signer/signer.js');
			const resolved = await resolveSigner({
				spec,
				envKind: e.kind,
				envName: e.name,
				password: process.env.RELEASE_CONSOLE_PASSWORD,
			});
			signer.current = { pair: resolved.pair, address: resolved.address, label: resolved.label };
			dispatch({ type: 'message', message: undefined });
			const state = ui.current().run?.report.voteState;
			if (state?.kind === 'democracy' || state?.kind === 'opengov') dispatch({ type: 'phase', phase: 'amount' });
			else await prepare();
		} catch (error) {
			fail(error);
		}
	}

	async function prepare(): Promise<void> {
		const e = env()!;
		const now = ui.current();
		const r = now.run!;
		let balance: bigint | undefined;
		if (now.phase === 'amount') {
			try {
				balance = parseBalance(fields.amount.current(), now.token.decimals, now.token.symbol);
			} catch (error) {
				fail(error as ReviewInputError);
				return;
			}
		}
		dispatch({ type: 'phase', phase: 'preparing' });
		try {
			const c = await connect(e);
			const { prepareVote } = await import('../../../review/vote.js');
			const p = await prepareVote(c.api, e, r.report, r.chain.resolved, signer.current!, {
				aye: ui.current().aye,
				conviction: ui.current().conviction,
				...(balance !== undefined ? { balance } : {}),
			});
			dispatch({ type: 'prepared', prepared: p });
		} catch (error) {
			dispatch({
				type: 'message',
				message: { kind: 'error', title: `could not prepare the vote: ${(error as Error).message}`, lines: [] },
			});
			dispatch({ type: 'phase', phase: 'report' });
		}
	}

	async function submit(): Promise<void> {
		const p = ui.current().prepared;
		if (!p || p.prompt.refusals.length > 0) return;
		dispatch({ type: 'submitting' });
		const result = await p
			.submit((step, detail) => dispatch({ type: 'tx-step', step: `${step}${detail ? ` ${detail}` : ''}` }))
			.catch((error: unknown): VoteOutcome => ({ status: 'failed', error: (error as Error).message }));
		dispatch({ type: 'voted', outcome: result });
	}

	return { review, applySigner, prepare, submit, hasSigner: () => signer.current !== undefined };
}
