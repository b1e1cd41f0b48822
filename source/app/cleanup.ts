/**
 * Work that must finish before the process leaves: closing the @polkadot/api
 * connection (or the process hangs) and stopping a chain this console started.
 */
const pending = new Set<Promise<unknown>>();

export function trackCleanup(work: Promise<unknown>): void {
	const p = work.catch(() => {}).finally(() => pending.delete(p));
	pending.add(p);
}

export async function runCleanups(): Promise<void> {
	while (pending.size > 0) await Promise.all([...pending]);
}
