/**
 * `advance ID --env NAME [--signer S] [--yes]`: do every step this signer can
 * do now, and stop with a clear reason where the release must wait.
 */
import { EXIT, UsageError, findEnvironment, findRelease, releaseAccess, resolveCommandSigner, resolveEmbeddedFor, type CommandContext } from './context.js';
import { connectEnvironment, ConnectError } from '../../chain/connect.js';
import { step, type EngineSigner, type StepResult } from '../../engine/sudo-route.js';
import { checkGenesis } from '../../domain/environments.js';
import { describeRelease, statusJson } from './status.js';
import { formatPrompt } from '../../engine/prompt-text.js';

export interface AdvanceFlags {
	env?: string;
	signer?: string;
	yes?: boolean;
	follow?: boolean;
	timeout?: number;
}

export async function runAdvance(ctx: CommandContext, id: string | undefined, flags: AdvanceFlags): Promise<number> {
	if (!id) throw new UsageError('missing release id', 'usage: release-console advance ID --env NAME [--signer //Alice|env:VAR|keystore.json] [--yes]');
	const release = findRelease(ctx.store, id);
	const envName = flags.env ?? release.environments.find((name) => release.progress[name]?.stages.some((s) => s.status !== 'done')) ?? release.environments[0]!;
	if (!release.environments.includes(envName)) throw new UsageError(`release ${release.id} does not travel environment ${envName}`, `its environments: ${release.environments.join(', ')}`);
	const env = findEnvironment(ctx.store, envName);
	const log: string[] = [];
	const say = (line: string) => {
		log.push(line);
		if (!ctx.json) ctx.io.stdout(line);
	};

	let signer: EngineSigner | undefined;
	if (flags.signer) {
		try {
			const resolved = await resolveCommandSigner(flags.signer, env);
			signer = { pair: resolved.pair, address: resolved.address, label: resolved.label };
		} catch (error) {
			return finish(ctx, release.id, { kind: 'refused', stage: 'upgrade', message: (error as Error).message }, log, EXIT.failed);
		}
	}

	let connection;
	try {
		connection = await connectEnvironment(env, { resolveEmbedded: resolveEmbeddedFor(ctx.home, say), timeoutMs: 10_000 });
	} catch (error) {
		const e = error as ConnectError;
		return finish(ctx, release.id, { kind: 'failed', stage: 'artifact', message: e.message, hint: e.hint }, log, EXIT.failed);
	}
	try {
		const genesis = checkGenesis(env, connection.genesisHash, connection.endpoint);
		if (!genesis.ok) {
			return finish(ctx, release.id, { kind: 'refused', stage: 'artifact', message: genesis.error }, log, EXIT.failed);
		}
		if (genesis.pin && !env.endpoints.every((e) => e.startsWith('embedded:'))) {
			ctx.store.saveEnvironment({ ...env, genesisHash: genesis.pin });
			say(`pinned ${env.name} to genesis ${genesis.pin}`);
		}
		const access = releaseAccess(ctx.store, release.id);
		const deadline = Date.now() + (flags.timeout ?? 600) * 1000;
		for (;;) {
			let result: StepResult;
			try {
				result = await step({ release: access, env, connection, signer, onTx: (s, detail) => say(`  ${s}${detail ? ` ${detail}` : ''}`) });
			} catch (error) {
				// Following through a soak, a dropped connection is waited out (the provider reconnects);
				// the next step re-reads everything, and intents are reconciled first.
				if (!flags.follow || connection.api.isConnected || Date.now() >= deadline) throw error;
				say(`connection lost (${(error as Error).message}); waiting for the endpoint to come back`);
				await waitForReconnect(connection.api, deadline);
				continue;
			}
			if (result.kind === 'progressed') {
				say(`✔ ${result.message}`);
				continue;
			}
			if (result.kind === 'confirm') {
				say(formatPrompt(result.prompt).join('\n'));
				if (result.prompt.refusals.length > 0) {
					return finish(ctx, release.id, { kind: 'refused', stage: result.stage, message: result.prompt.refusals.join('; ') }, log, EXIT.failed);
				}
				if (!flags.yes) {
					return finish(ctx, release.id, { kind: 'wait', stage: result.stage, waitingFor: 'someone-else', message: 'not signed: review the prompt above and run again with --yes to sign and submit' }, log, EXIT.ok);
				}
				const after = await result.submit();
				if (after.kind === 'progressed') {
					say(`✔ ${after.message}`);
					continue;
				}
				// The chain moved under us (someone else acted first): prepare the step again.
				if (after.kind === 'confirm') continue;
				return finish(ctx, release.id, after, log, after.kind === 'failed' || after.kind === 'refused' ? EXIT.failed : EXIT.ok);
			}
			if (result.kind === 'wait' && flags.follow && Date.now() < deadline) {
				await waitForNextBlock(connection.api);
				continue;
			}
			const code = result.kind === 'failed' || result.kind === 'refused' ? EXIT.failed : EXIT.ok;
			return finish(ctx, release.id, result, log, code);
		}
	} finally {
		await connection.disconnect();
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

function finish(ctx: CommandContext, id: string, result: StepResult, log: string[], code: number): number {
	const release = ctx.store.getRelease(id)!;
	if (ctx.json) {
		const { submit: _submit, ...plain } = result as StepResult & { submit?: unknown };
		ctx.io.stdout(JSON.stringify({ result: plain, log, release: statusJson(release) }));
		return code;
	}
	switch (result.kind) {
		case 'complete':
			ctx.io.stdout(`done: ${result.message}`);
			break;
		case 'wait':
			ctx.io.stdout(`waiting (${result.waitingFor}): ${result.message}`);
			break;
		case 'needs-signer':
			ctx.io.stdout(`waiting for a signer: ${result.message}\n  run again with --signer (a dev URI like //Alice on local/testnet, env:VAR holding a mnemonic, or a keystore JSON path)`);
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
