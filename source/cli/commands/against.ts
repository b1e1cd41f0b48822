/** `inspect --against ENV`: the runtime an environment's chain runs now; AgainstUnreachable when it cannot be read. */
import { findEnvironment, type CommandContext } from './context.js';
import { embeddedResolver } from '../../engine/session.js';
import { AgainstUnreachable, type AgainstRuntime } from './inspect.js';

export async function resolveAgainstEnvironment(ctx: CommandContext, name: string): Promise<AgainstRuntime | undefined> {
	if (!ctx.store.getEnvironment(name)) return undefined;
	const env = findEnvironment(ctx.store, name);
	const { connectEnvironment } = await import('../../chain/connect.js');
	const { liveRuntime } = await import('../../chain/runtime.js');
	let connection: Awaited<ReturnType<typeof connectEnvironment>>;
	try {
		connection = await connectEnvironment(env, { resolveEmbedded: embeddedResolver(ctx.home), timeoutMs: 10_000 });
	} catch (error) {
		// No endpoint answered (or another chain did): no verdict on the runtime, a distinct exit (3).
		const e = error as { message?: string; hint?: string };
		throw new AgainstUnreachable(name, e.message ?? String(error), e.hint);
	}
	try {
		return await liveRuntime(connection.api, env.name);
	} finally {
		await connection.disconnect();
	}
}
