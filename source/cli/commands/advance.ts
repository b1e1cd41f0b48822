/**
 * `advance ID --env NAME [--signer S] [--yes]`: do every step this signer can
 * do now, and stop with a clear reason where the release must wait.
 */
import { EXIT, UsageError, findReleaseEnvironment, resolveCommandEngineSigner, type CommandContext } from './context.js';
import type { EngineSigner, StepResult } from '../../engine/context.js';
import type { StageId } from '../../domain/types.js';
import { embeddedResolver, fastForward, openSession, runUntilBlocked } from '../../engine/session.js';
import { describeRelease, statusJson } from './status.js';
import { formatPrompt } from '../../engine/prompt-text.js';
import { kindOf } from '../../errors.js';

/** What `advance` reports: a step's result, or (without --yes) a prompt that needs confirmation. */
type AdvanceResult = StepResult | { kind: 'wait'; stage: StageId; message: string; waitingFor: 'confirmation' };

export interface AdvanceFlags {
	env?: string;
	signer?: string;
	yes?: boolean;
	follow?: boolean;
	timeout?: number;
	/** The signature an outside signer made of the payload printed before. */
	signature?: string;
	/** Act for this account through a proxy. */
	as?: string;
	/** Local rehearsal: the signer (the chain's sudo key) acts for this member through sudo.sudoAs. */
	sudoAs?: string;
	mortality?: number;
}

export async function runAdvance(ctx: CommandContext, id: string | undefined, flags: AdvanceFlags): Promise<number> {
	if (!id)
		throw new UsageError(
			'missing release id',
			'usage: release-console advance ID --env NAME [--signer //Alice|env:VAR|keystore.json] [--yes]',
		);
	const { release, env } = findReleaseEnvironment(ctx.store, id, flags.env);
	const log: string[] = [];
	const say = (line: string) => {
		log.push(line);
		if (!ctx.json) ctx.io.stdout(line);
	};

	if (!flags.signer && (flags.signature || flags.as || flags.sudoAs))
		throw new UsageError(
			`${flags.signature ? '--signature' : flags.as ? '--as' : '--sudo-as'} needs --signer`,
			flags.signature
				? 'pass --signer external:ADDRESS, the address that signed the payload'
				: flags.as
					? 'pass --signer S, the proxy that acts for --as'
					: "pass --signer S, the chain's sudo key, which acts for --sudo-as",
		);
	if (flags.as && flags.sudoAs)
		throw new UsageError(
			'--as and --sudo-as both name an account to act for',
			'pass one: --as for a proxy, --sudo-as for the sudo key',
		);
	if (flags.mortality !== undefined && !flags.signer?.trim().startsWith('external:'))
		throw new UsageError('--mortality is for a payload signed elsewhere', 'pass it with --signer external:ADDRESS, or drop it');
	if (flags.mortality !== undefined && (!Number.isInteger(flags.mortality) || flags.mortality < 4 || flags.mortality > 65536))
		throw new UsageError(
			`--mortality ${flags.mortality} is not a number of blocks from 4 to 65536`,
			'e.g. --mortality 256 (rounded to a power of two)',
		);
	let signer: EngineSigner | undefined;
	if (flags.signer) {
		try {
			signer = await resolveCommandEngineSigner(
				{
					spec: flags.signer,
					...(flags.as ? { as: flags.as } : {}),
					...(flags.sudoAs ? { sudoAs: flags.sudoAs } : {}),
					...(flags.signature ? { signature: flags.signature } : {}),
					...(flags.mortality ? { mortality: flags.mortality } : {}),
				},
				env,
			);
		} catch (error) {
			// Bad input (a signature image that is not one) is the person's to fix: exit 2 with its hint.
			if (kindOf(error) === 'user') throw error;
			return finish(ctx, release.id, { kind: 'refused', stage: 'upgrade', message: (error as Error).message }, log, EXIT.failed);
		}
	}
	// A signature already sent is never sent again: say so, and go on without it.
	const given = signer?.external?.signature;
	if (signer?.external && given) {
		const { sameSignature } = await import('../../chain/external.js');
		const used = release.progress[env.name]?.intents.find((i) => i.signature && sameSignature(i.signature, given));
		if (used) {
			const what = used.outcome
				? `${used.outcome.status}${used.outcome.blockNumber !== undefined ? ` in block #${used.outcome.blockNumber}` : ''}`
				: 'sent, its outcome not known yet';
			say(`the signature given was already used: extrinsic ${used.extrinsicHash} (${used.call}) was ${what}; nothing is sent again`);
			const { signature: _used, ...rest } = signer.external;
			signer = { ...signer, external: rest };
		}
	}

	const opened = await openSession({
		store: ctx.store,
		releaseId: release.id,
		envName: env.name,
		resolveEmbedded: embeddedResolver(ctx.home, (_chain, line) => say(line)),
		say,
		timeoutMs: 10_000,
	});
	if (!opened.ok) return finish(ctx, release.id, opened.result, log, EXIT.failed);
	const { session } = opened;
	const { connection } = session;
	try {
		const deadline = Date.now() + (flags.timeout ?? 600) * 1000;
		let refusal: StepResult | undefined;
		for (;;) {
			let result: StepResult;
			try {
				result = await runUntilBlocked(session, {
					...(signer ? { signer } : {}),
					onTx: (s, detail) => say(`  ${s}${detail ? ` ${detail}` : ''}`),
					onProgress: (message) => say(`✔ ${message}`),
					onConfirm: (prompt) => {
						say(formatPrompt(prompt.prompt).join('\n'));
						if (prompt.prompt.refusals.length > 0) {
							refusal = {
								kind: 'refused',
								stage: prompt.stage,
								message: prompt.prompt.refusals.join('; '),
								...(prompt.prompt.refusalHint ? { hint: prompt.prompt.refusalHint } : {}),
							};
							return 'stop';
						}
						// A signature that came back from the outside signer is the confirmation.
						return flags.yes || prompt.signed ? 'submit' : 'stop';
					},
				});
			} catch (error) {
				// Following through a soak, a dropped connection is waited out (the provider reconnects);
				// the next step re-reads everything, and intents are reconciled first.
				if (!flags.follow || connection.api.isConnected || Date.now() >= deadline) throw error;
				say(`connection lost (${(error as Error).message}); waiting for the endpoint to come back`);
				await waitForReconnect(connection.api, deadline);
				continue;
			}
			if (result.kind === 'confirm') {
				if (refusal) return finish(ctx, release.id, refusal, log, EXIT.failed);
				return finish(
					ctx,
					release.id,
					{
						kind: 'wait',
						stage: result.stage,
						waitingFor: 'confirmation',
						message:
							'needs confirmation: nothing was signed; review the signer prompt above and run again with --yes to sign and submit',
					},
					log,
					EXIT.ok,
				);
			}
			if (result.kind === 'wait' && flags.follow && Date.now() < deadline) {
				// An embedded chain paced by the person builds no block by itself: following it means asking for them.
				if (session.pace.paced && (result.waitingFor === 'blocks' || result.waitingFor === 'time')) {
					const forwarded = await fastForward(session, result.until);
					say(forwarded.message);
					if (forwarded.ok) continue;
				} else if (!session.pace.paced || result.waitingFor === 'inclusion') {
					await waitForNextBlock(connection.api);
					continue;
				}
			}
			const code = result.kind === 'failed' || result.kind === 'refused' ? EXIT.failed : EXIT.ok;
			return finish(ctx, release.id, result, log, code);
		}
	} finally {
		await session.disconnect();
	}
}

async function waitForReconnect(api: import('@polkadot/api').ApiPromise, deadline: number): Promise<void> {
	while (!api.isConnected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
	// Give the api a moment to re-subscribe after the socket reopens.
	await new Promise((r) => setTimeout(r, 500));
}

async function waitForNextBlock(api: import('@polkadot/api').ApiPromise): Promise<void> {
	await new Promise<void>((resolve) => {
		let unsub: (() => void) | undefined;
		let first = true;
		// A referenced timer: while the connection is down the subscription may neither
		// answer nor fail, and nothing else may keep the process alive until it is back.
		const timer = setTimeout(() => done(), api.isConnected ? 30_000 : 2_000);
		const done = () => {
			clearTimeout(timer);
			unsub?.();
			resolve();
		};
		api.rpc.chain
			.subscribeNewHeads(() => {
				if (first) {
					first = false;
					return;
				}
				done();
			})
			.then((u) => {
				unsub = u;
			})
			.catch(() => done());
	});
}

function finish(ctx: CommandContext, id: string, result: AdvanceResult, log: string[], code: number): number {
	const release = ctx.store.getRelease(id)!;
	if (ctx.json) {
		const { submit: _submit, ...plain } = result as AdvanceResult & { submit?: unknown };
		const signing = result.kind === 'needs-signature' ? { signingPayload: result.signing.signingPayload, signing: result.signing } : {};
		ctx.io.stdout(JSON.stringify({ result: plain, ...signing, log, release: statusJson(release) }));
		return code;
	}
	switch (result.kind) {
		case 'complete':
			ctx.io.stdout(`done: ${result.message}`);
			break;
		case 'wait':
			// Without --yes the message says what it needs (confirmation), not what it waits for.
			ctx.io.stdout(result.waitingFor === 'confirmation' ? result.message : `waiting (${result.waitingFor}): ${result.message}`);
			break;
		case 'needs-signature': {
			const h = result.signing;
			ctx.io.stdout(
				[
					formatPrompt(result.prompt).join('\n'),
					'',
					`needs a signature (nothing was sent): sign this payload with ${h.address}, before block #${h.expiresAt} (the chain is at #${h.bestBlock})`,
					h.hashed
						? '  (the blake2-256 of the extrinsic payload: the payload is longer than 256 bytes, so that is what the chain verifies)'
						: '',
					`  payload: ${h.signingPayload}`,
					`  on the signing machine: polkadot-js-signer sign --account ${h.address} --type ${h.crypto} --seed <its secret, on that machine only> ${h.signingPayload}`,
					`  then: release-console advance ${id} --env ${h.env} --signer external:${h.address} --signature 0x…`,
				]
					.filter(Boolean)
					.join('\n'),
			);
			break;
		}
		case 'needs-signer':
			ctx.io.stdout(
				`waiting for a signer: ${result.message}\n  run again with --signer (a dev URI like //Alice on local/testnet, env:VAR holding a mnemonic, or a keystore JSON path)`,
			);
			break;
		case 'refused':
		case 'failed':
			ctx.io.stderr(`${result.kind}: ${result.message}${result.hint ? `\n  what to do: ${result.hint}` : ''}`);
			break;
		default:
			break;
	}
	ctx.io.stdout(describeRelease(release).join('\n'));
	return code;
}
