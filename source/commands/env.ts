import { EXIT, UsageError, type CommandContext } from './context.js';
import { validateEnvironment, defaultSoakPolicy } from '../release/environments.js';
import type { EnvironmentKind } from '../release/types.js';

export interface EnvFlags {
	endpoint?: string[];
	kind?: string;
	route?: string;
	soakBlocks?: number;
	soakMinutes?: number;
	maxStall?: number;
}

export async function runEnv(ctx: CommandContext, sub: string | undefined, name: string | undefined, flags: EnvFlags): Promise<number> {
	switch (sub ?? 'list') {
		case 'list': {
			const envs = ctx.store.listEnvironments();
			if (ctx.json) ctx.io.stdout(JSON.stringify({ environments: envs }));
			else
				for (const e of envs)
					ctx.io.stdout(`${e.name}  ${e.kind}  route ${e.route}  ${e.endpoints.join(', ')}${e.genesisHash ? `  genesis ${e.genesisHash}` : ''}  soak ${e.soak.minBlocks} blocks / ${e.soak.minSeconds}s`);
			return EXIT.ok;
		}
		case 'add': {
			if (!name) throw new UsageError('missing environment name', 'usage: release-console env add NAME --endpoint URL --kind local|testnet|production --route sudo');
			const kind = (flags.kind ?? 'local') as EnvironmentKind;
			const defaults = ['local', 'testnet', 'production'].includes(kind) ? defaultSoakPolicy(kind) : defaultSoakPolicy('local');
			const input = {
				name,
				endpoints: flags.endpoint ?? [],
				kind,
				route: flags.route ?? 'sudo',
				soak: {
					minBlocks: flags.soakBlocks ?? defaults.minBlocks,
					minSeconds: flags.soakMinutes !== undefined ? flags.soakMinutes * 60 : defaults.minSeconds,
					maxStallSeconds: flags.maxStall ?? defaults.maxStallSeconds,
				},
			};
			const result = validateEnvironment(input);
			if (!result.ok) throw new UsageError(`environment ${name} is not valid:\n  ${result.errors.join('\n  ')}`);
			ctx.store.saveEnvironment(result.env);
			ctx.io.stdout(ctx.json ? JSON.stringify({ environment: result.env }) : `saved environment ${name} (${kind}, route ${result.env.route}, ${result.env.endpoints.join(', ')})`);
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
