import { EXIT, UsageError, type CommandContext } from './context.js';
import { validateEnvironment, defaultSoakPolicy } from '../../domain/environments.js';
import type { EnvironmentKind } from '../../domain/types.js';

export interface EnvFlags {
	endpoint?: string[];
	kind?: string;
	route?: string;
	soakBlocks?: number;
	soakMinutes?: number;
	maxStall?: number;
	payload?: string;
	external?: string;
	track?: string;
	signatory?: string[];
	threshold?: number;
	fastTrackPeriod?: number;
	fastTrackDelay?: number;
	enactmentDelay?: number;
	conviction?: string;
	votePercent?: number;
	relay?: string;
	paraId?: number;
}

/** Route options from flags; only the flags given (validation says what is wrong). */
function routeOptionsFrom(flags: EnvFlags): Record<string, unknown> | undefined {
	const out: Record<string, unknown> = {};
	if (flags.payload !== undefined) out.payload = flags.payload;
	if (flags.external !== undefined) out.external = flags.external;
	if (flags.track !== undefined) out.track = flags.track;
	if (flags.signatory?.length || flags.threshold !== undefined)
		out.multisig = { signatories: flags.signatory ?? [], threshold: flags.threshold };
	if (flags.fastTrackPeriod !== undefined) out.fastTrackVotingPeriod = flags.fastTrackPeriod;
	if (flags.fastTrackDelay !== undefined) out.fastTrackDelay = flags.fastTrackDelay;
	if (flags.enactmentDelay !== undefined) out.enactmentDelay = flags.enactmentDelay;
	if (flags.conviction !== undefined) out.conviction = flags.conviction;
	if (flags.votePercent !== undefined) out.votePercent = flags.votePercent;
	return Object.keys(out).length > 0 ? out : undefined;
}

export async function runEnv(ctx: CommandContext, sub: string | undefined, name: string | undefined, flags: EnvFlags): Promise<number> {
	switch (sub ?? 'list') {
		case 'list': {
			const envs = ctx.store.listEnvironments();
			if (ctx.json) ctx.io.stdout(JSON.stringify({ environments: envs }));
			else
				for (const e of envs)
					ctx.io.stdout(
						`${e.name}  ${e.kind}  route ${e.route}${e.routeOptions?.payload ? ` (${e.routeOptions.payload})` : ''}  ${e.endpoints.join(', ')}${e.genesisHash ? `  genesis ${e.genesisHash}` : ''}  soak ${e.soak.minBlocks} blocks / ${e.soak.minSeconds}s`,
					);
			return EXIT.ok;
		}
		case 'add': {
			if (!name)
				throw new UsageError(
					'missing environment name',
					'usage: release-console env add NAME --endpoint URL --kind local|testnet|production --route sudo|multisig-sudo|council-democracy|opengov|parachain [--payload set-code|authorize] [--relay ENV --para-id N]',
				);
			const kind = (flags.kind ?? 'local') as EnvironmentKind;
			const defaults = ['local', 'testnet', 'production'].includes(kind) ? defaultSoakPolicy(kind) : defaultSoakPolicy('local');
			const input = {
				name,
				endpoints: flags.endpoint ?? [],
				kind,
				route: flags.route ?? 'sudo',
				routeOptions: routeOptionsFrom(flags),
				...(flags.relay !== undefined || flags.paraId !== undefined
					? { parachain: { relay: flags.relay, paraId: flags.paraId } }
					: {}),
				soak: {
					minBlocks: flags.soakBlocks ?? defaults.minBlocks,
					minSeconds: flags.soakMinutes !== undefined ? flags.soakMinutes * 60 : defaults.minSeconds,
					maxStallSeconds: flags.maxStall ?? defaults.maxStallSeconds,
				},
			};
			const result = validateEnvironment(input);
			if (!result.ok) throw new UsageError(`environment ${name} is not valid:\n  ${result.errors.join('\n  ')}`);
			const relayName = result.env.parachain?.relay;
			if (relayName && !ctx.store.getEnvironment(relayName))
				throw new UsageError(
					`environment ${name} names relay environment ${relayName}, which is not configured`,
					`add the relay first: release-console env add ${relayName} --endpoint URL --kind ${kind} --route sudo`,
				);
			ctx.store.saveEnvironment(result.env);
			ctx.io.stdout(
				ctx.json
					? JSON.stringify({ environment: result.env })
					: `saved environment ${name} (${kind}, route ${result.env.route}${result.env.parachain ? `, para ${result.env.parachain.paraId} of ${result.env.parachain.relay}` : ''}, ${result.env.endpoints.join(', ')})`,
			);
			return EXIT.ok;
		}
		case 'remove': {
			if (!name) throw new UsageError('missing environment name', 'usage: release-console env remove NAME');
			ctx.store.removeEnvironment(name);
			ctx.io.stdout(ctx.json ? JSON.stringify({ removed: name }) : `removed environment ${name}`);
			return EXIT.ok;
		}
		default:
			throw new UsageError(`unknown env command "${sub}"`, 'use: env list | env add NAME … | env remove NAME');
	}
}
