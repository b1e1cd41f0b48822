/** `inspect --against ENV`: the runtime an environment's chain runs now. */
import { findEnvironment, type CommandContext } from './context.js';
import { embeddedResolver } from '../../engine/session.js';
import type { AgainstRuntime } from './inspect.js';

export async function resolveAgainstEnvironment(ctx: CommandContext, name: string): Promise<AgainstRuntime | undefined> {
	if (!ctx.store.getEnvironment(name)) return undefined;
	const env = findEnvironment(ctx.store, name);
	const { connectEnvironment } = await import('../../chain/connect.js');
	const { liveRuntime } = await import('../../chain/runtime.js');
	const connection = await connectEnvironment(env, { resolveEmbedded: embeddedResolver(ctx.home), timeoutMs: 10_000 });
	try {
		return await liveRuntime(connection.api, env.name);
	} finally {
		await connection.disconnect();
	}
}
