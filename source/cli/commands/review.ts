/**
 * `review --env NAME (--motion X | --referendum X | --preimage HASH) [--wasm PATH] [--record RECORD.json] [--json]
 *        [--vote aye|nay --signer S [--conviction Locked1x] [--balance N] [--yes]]`
 *
 * A council member or voter checks a proposed upgrade against what they can
 * reproduce, then (and only then) votes. Exit codes: 0 match (or nothing to
 * compare and nothing wrong), 1 mismatch, blocking problem, refused or failed vote, 2 bad input.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError, findEnvironment, findRelease, resolveCommandSigner, type CommandContext } from './context.js';
import { artifactFor } from '../../domain/release.js';
import { embeddedResolver } from '../../engine/session.js';
import { connectEnvironment, type Connection } from '../../chain/connect.js';
import { formatPrompt } from '../../engine/prompt-text.js';
import type { Environment } from '../../domain/types.js';
import { ReviewInputError, parseBalance, parseConviction, parseTargetFlags, parseVoteFlag, TARGET_USAGE } from '../../review/target.js';
import { EXIT_FOR_VERDICT } from '../../review/verdict.js';
import { DRY_RUN_BLOCKS, type ReviewTarget } from '../../review/types.js';
import type { ParaEndpoint } from '../../review/review.js';

export interface ReviewFlags {
	env?: string;
	motion?: string;
	referendum?: string;
	preimage?: string;
	call?: string;
	multisig?: string;
	/** `[ENV=]PATH`, repeatable: the reviewed chain's runtime, and one per parachain environment (ENV). */
	wasm?: string[];
	record?: string;
	/** A release ID: every runtime it ships for this chain and its parachains is what the proposal is compared with. */
	release?: string;
	vote?: string;
	signer?: string;
	yes?: boolean;
	conviction?: string;
	balance?: string;
	/** Dispatch what the proposal enacts, with its origin, on a fork of the chain; `blocks` after it (default 3). */
	dryRun?: boolean;
	blocks?: number;
	noCache?: boolean;
}

export const REVIEW_USAGE = `usage: release-console review --env NAME (${TARGET_USAGE}) [--wasm [ENV=]PATH … | --release ID | --record RECORD.json] [--dry-run [--blocks 3] [--no-cache]] [--json] [--vote aye|nay --signer S --yes [--conviction Locked1x] [--balance N]]`;

/**
 * `--release ID`: the runtime the release ships for the reviewed chain and for each of its parachain environments,
 * each file checked against the code hash the release recorded (a file changed since is not what was released).
 */
async function releaseRuntimes(
	ctx: CommandContext,
	id: string,
	env: Environment,
): Promise<{ own?: string; remote: Record<string, string> }> {
	const release = findRelease(ctx.store, id);
	const { readArtifact } = await import('../../artifact/read.js');
	const out: { own?: string; remote: Record<string, string> } = { remote: {} };
	const checked = async (name: string) => {
		const artifact = artifactFor(release, name);
		let codeHash: string;
		try {
			codeHash = (await readArtifact(artifact.path)).codeHash;
		} catch (error) {
			throw new UsageError(
				`release ${release.id}'s runtime for ${name} cannot be read at ${artifact.path}: ${(error as Error).message}`,
				'put the wasm the release was made from back at that path, or review with --wasm [ENV=]PATH',
			);
		}
		if (codeHash !== artifact.codeHash)
			throw new UsageError(
				`${artifact.path} is not release ${release.id}'s runtime for ${name} any more: code hash ${codeHash}, the release recorded ${artifact.codeHash}`,
				'restore the file the release was made from, or review with --wasm PATH to compare that file instead',
			);
		return artifact.path;
	};
	if (release.environments.includes(env.name)) out.own = await checked(env.name);
	for (const name of release.environments) {
		const other = ctx.store.getEnvironment(name);
		if (other?.parachain?.relay === env.name) out.remote[`para ${other.parachain.paraId}`] = await checked(name);
	}
	if (!out.own && Object.keys(out.remote).length === 0)
		throw new UsageError(
			`release ${release.id} ships no runtime for ${env.name} or a parachain of it (its environments: ${release.environments.join(', ')})`,
			'review against the release that targets this chain, or pass --wasm PATH',
		);
	return out;
}

function asUsage<T>(fn: () => T): T {
	try {
		return fn();
	} catch (error) {
		if (error instanceof ReviewInputError) throw new UsageError(error.message, error.hint);
		throw error;
	}
}

export async function runReviewCommand(ctx: CommandContext, flags: ReviewFlags): Promise<number> {
	if (!flags.env)
		throw new UsageError(
			'missing --env',
			`${REVIEW_USAGE}\n  environments: ${
				ctx.store
					.listEnvironments()
					.map((e) => e.name)
					.join(', ') || 'none (add one with `release-console env add`)'
			}`,
		);
	const env = findEnvironment(ctx.store, flags.env);
	// --wasm [ENV=]PATH: a bare path is the reviewed chain's runtime; ENV=PATH another chain's (a parachain of this relay).
	let ownWasm: string | undefined;
	const remoteWasms: Record<string, string> = {};
	for (const value of flags.wasm ?? []) {
		const at = value.indexOf('=');
		const name = at > 0 ? value.slice(0, at) : undefined;
		const other = name ? ctx.store.getEnvironment(name) : undefined;
		if (!name || !other) {
			if (name && !existsSync(value))
				throw new UsageError(
					`--wasm ${value}: no environment ${name}, and no file ${value}`,
					'pass --wasm PATH for this chain, or --wasm ENV=PATH for a parachain environment of it',
				);
			if (ownWasm)
				throw new UsageError('--wasm names this chain twice', 'give one PATH for this chain; ENV=PATH for each other chain');
			ownWasm = value;
		} else if (other.name === env.name) {
			if (ownWasm)
				throw new UsageError('--wasm names this chain twice', 'give one PATH for this chain; ENV=PATH for each other chain');
			ownWasm = value.slice(at + 1);
		} else {
			if (!other.parachain || other.parachain.relay !== env.name)
				throw new UsageError(
					`--wasm ${value}: ${other.name} is not a parachain of ${env.name}`,
					`only the parachains of the reviewed relay take ENV=PATH (env add ${other.name} --route parachain --relay ${env.name} --para-id N)`,
				);
			remoteWasms[`para ${other.parachain.paraId}`] = path.resolve(value.slice(at + 1));
		}
	}
	if (flags.release) {
		if (flags.wasm?.length)
			throw new UsageError(
				'--release and --wasm both say what to compare with',
				'give one: --release ID (its runtimes) or --wasm [ENV=]PATH',
			);
		const runtimes = await releaseRuntimes(ctx, flags.release, env);
		ownWasm = runtimes.own;
		Object.assign(remoteWasms, runtimes.remote);
	}
	const target: ReviewTarget = asUsage(() => parseTargetFlags(flags));
	if ((flags.blocks !== undefined || flags.noCache) && !flags.dryRun)
		throw new UsageError('--blocks and --no-cache go with --dry-run', REVIEW_USAGE);
	if (flags.blocks !== undefined && (!Number.isInteger(flags.blocks) || flags.blocks < 0 || flags.blocks > 500))
		throw new UsageError(`--blocks ${flags.blocks} is not a number of blocks from 0 to 500`, 'e.g. --blocks 3');
	if (flags.dryRun && env.endpoints.some((e) => e === 'embedded:governance'))
		throw new UsageError(
			`${env.name} is the governance devnet, a simulation without an executable runtime: it cannot be forked, so nothing can be dry-run on it`,
			'review without --dry-run, or dry-run on an environment whose chain runs a real runtime (embedded:rococo, or a live endpoint)',
		);
	const aye = asUsage(() => parseVoteFlag(flags.vote));
	const conviction = asUsage(() => parseConviction(flags.conviction));
	if (aye !== undefined && !flags.signer)
		throw new UsageError(
			'--vote needs --signer',
			'the key to vote with: env:RELEASE_CONSOLE_SURI (a mnemonic in that variable), a keystore JSON path, or //Name on local/testnet',
		);
	if (aye === undefined && (flags.yes || flags.conviction || flags.balance))
		throw new UsageError('--yes, --conviction and --balance go with --vote aye|nay', REVIEW_USAGE);

	const out: Record<string, unknown> = {};
	const say = (line: string) => {
		if (!ctx.json) ctx.io.stdout(line);
	};
	const finish = (code: number) => {
		if (ctx.json) ctx.io.stdout(JSON.stringify(out));
		return code;
	};

	// The signer first (a bad key is bad input, found before any chain work); its address shows the reviewer's role.
	let signer: { pair: import('@polkadot/keyring/types').KeyringPair; address: string; label: string } | undefined;
	if (flags.signer?.trim().startsWith('external:'))
		throw new UsageError(
			'review votes are signed here, with a key this process holds; external: signers are not taken by review',
			"to vote from a key held elsewhere, vote through the release's route: `release-console advance ID --env NAME --signer external:ADDRESS` hands out the vote's payload to sign",
		);
	if (flags.signer) {
		const { SignerError } = await import('../../signer/signer.js');
		try {
			const resolved = await resolveCommandSigner(flags.signer, env);
			signer = { pair: resolved.pair, address: resolved.address, label: resolved.label };
			for (const w of resolved.warnings) ctx.io.stderr(`warning: ${w}`);
		} catch (error) {
			const e = error as Error & { hint?: string };
			if (error instanceof SignerError && error.code === 'dev-key-refused') {
				out.error = e.message;
				out.hint = e.hint;
				if (!ctx.json) ctx.io.stderr(`refused: ${e.message}${e.hint ? `\n  what to do: ${e.hint}` : ''}`);
				return finish(EXIT.failed);
			}
			throw new UsageError(e.message, e.hint);
		}
	}

	let connection: Connection;
	try {
		connection = await connectEnvironment(env, {
			resolveEmbedded: embeddedResolver(ctx.home, (_chain, line) => ctx.io.stderr(line)),
			timeoutMs: 10_000,
		});
	} catch (error) {
		const e = error as Error & { hint?: string };
		out.error = e.message;
		out.hint = e.hint;
		if (!ctx.json) ctx.io.stderr(`error: ${e.message}${e.hint ? `\n  what to do: ${e.hint}` : ''}`);
		return finish(EXIT.failed);
	}
	// The parachains of this relay that have an environment: a call an XCM Transact carries to one is
	// decoded with that chain's metadata (else shown opaque, with its hash).
	const { openParaDecoders } = await import('../../review/remote.js');
	const paras = await openParaDecoders(env, ctx.store.listEnvironments(), (other) =>
		connectEnvironment(other, { resolveEmbedded: embeddedResolver(ctx.home), timeoutMs: 10_000 }),
	);
	for (const w of paras.warnings) ctx.io.stderr(`warning: ${w}`);
	const decodeRemote = paras.decodeRemote;
	try {
		return await reviewConnected(env, connection, target, flags, { aye, conviction, signer }, out, say, finish, decodeRemote, {
			own: ownWasm,
			remote: remoteWasms,
			home: ctx.home,
			paras: paras.endpoints,
		});
	} finally {
		await connection.disconnect();
		await paras.close();
	}
}

async function reviewConnected(
	env: Environment,
	connection: Connection,
	target: ReviewTarget,
	flags: ReviewFlags,
	vote: {
		aye?: boolean;
		conviction: ReturnType<typeof parseConviction>;
		signer?: { pair: import('@polkadot/keyring/types').KeyringPair; address: string; label: string };
	},
	out: Record<string, unknown>,
	say: (line: string) => void,
	finish: (code: number) => number,
	decodeRemote: import('../../review/decode.js').RemoteDecoder | undefined,
	wasms: { own?: string; remote: Record<string, string>; home: string; paras: ParaEndpoint[] },
): Promise<number> {
	const { home } = wasms;
	const ownWasm = wasms.own;
	const remoteWasms = wasms.remote;
	const api = connection.api;
	const [{ runReview }, { reportJson, reportLines }] = await Promise.all([
		import('../../review/review.js'),
		import('../../review/format.js'),
	]);
	const token = { decimals: api.registry.chainDecimals[0] ?? 12, symbol: api.registry.chainTokens[0] ?? 'UNIT' };
	// Parse the amount with the chain's decimals before anything is read.
	const balance =
		vote.aye !== undefined && target.kind !== 'motion' && flags.balance !== undefined
			? asUsage(() => parseBalance(flags.balance, token.decimals, token.symbol))
			: undefined;
	let run;
	try {
		run = await runReview(api, env, connection.endpoint, target, {
			...(ownWasm ? { wasmPath: ownWasm } : {}),
			...(Object.keys(remoteWasms).length > 0 ? { remoteWasms } : {}),
			recordPath: flags.record,
			reviewer: vote.signer?.address,
			...(decodeRemote ? { decodeRemote } : {}),
			...(flags.dryRun
				? {
						dryRun: {
							cacheDir: path.join(home, 'fork-cache'),
							blocks: flags.blocks ?? DRY_RUN_BLOCKS,
							...(flags.noCache ? { noCache: true } : {}),
							paras: wasms.paras,
						},
						// The fork's progress, as it goes, before the report.
						onProgress: (line: string) => {
							// The report says the rest (the cache too); these lines only show the fork is working.
							if (!/^(reading|following|inspecting)|^ *fork cache:/.test(line)) say(line);
						},
					}
				: {}),
		});
	} catch (error) {
		if (error instanceof ReviewInputError) throw new UsageError(error.message, error.hint);
		throw error;
	}
	const { report } = run;
	Object.assign(out, reportJson(report));
	for (const line of reportLines(report, token)) say(line);
	let code: number = EXIT_FOR_VERDICT[report.verdict.verdict];
	if (vote.aye === undefined) return finish(code);

	// Then, and only then, the vote.
	if (report.verdict.verdict === 'blocked') {
		out.vote = { status: 'not-offered', reason: 'the review found a blocking problem' };
		say('');
		say('no vote is offered: fix the blocking problem above first');
		return finish(EXIT.failed);
	}
	const state = report.voteState;
	if ((state.kind === 'democracy' || state.kind === 'opengov') && balance === undefined) {
		throw new UsageError(
			'a referendum vote needs an amount (--balance)',
			`the amount of ${token.symbol} to vote with, in whole tokens, e.g. --balance 100`,
		);
	}
	const { prepareVote } = await import('../../review/vote.js');
	const prepared = await prepareVote(api, env, report, run.chain.resolved, vote.signer!, {
		aye: vote.aye,
		conviction: vote.conviction,
		...(balance !== undefined ? { balance } : {}),
	});
	say('');
	say(prepared.context);
	say(formatPrompt(prepared.prompt).join('\n'));
	out.vote = { prompt: prepared.prompt, intended: prepared.intended };
	if (prepared.prompt.refusals.length > 0) {
		out.vote = { ...(out.vote as object), status: 'refused', reason: prepared.prompt.refusals.join('; ') };
		return finish(EXIT.failed);
	}
	if (!flags.yes) {
		out.vote = { ...(out.vote as object), status: 'not-sent', reason: 'not signed: run again with --yes to sign and submit' };
		say('not signed: review the prompt above and run again with --yes to sign and submit');
		return finish(code);
	}
	const outcome = await prepared.submit((step, detail) => say(`  ${step}${detail ? ` ${detail}` : ''}`));
	out.vote = { ...(out.vote as object), ...outcome };
	if (outcome.status === 'included') {
		say(
			`✔ vote ${vote.aye ? 'aye' : 'nay'} included in block #${outcome.blockNumber} (${outcome.blockHash}), extrinsic ${outcome.extrinsicHash}${outcome.confirmed ? '; the chain now shows it' : '; WARNING: the chain does not show the vote'}`,
		);
		if (!outcome.confirmed) code = EXIT.failed;
	} else if (outcome.status === 'failed') {
		say(
			`✖ vote failed: ${outcome.error}${outcome.extrinsicHash ? ` (extrinsic ${outcome.extrinsicHash}${outcome.blockNumber !== undefined ? `, block #${outcome.blockNumber}` : ''})` : ''}`,
		);
		code = EXIT.failed;
	} else {
		say(`nothing sent: ${outcome.reason}`);
	}
	return finish(code);
}
