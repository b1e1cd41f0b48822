/**
 * Work that must finish before the process leaves: closing the @polkadot/api
 * connections (or the process hangs), then stopping every embedded chain this
 * console started, whatever screen started it (a release, review mode). A chain
 * that was running before (a headless command's, another console's) keeps
 * running. Stopping loses nothing: the chains keep their state in the store
 * directory and resume at their next start.
 */
const pending = new Set<Promise<unknown>>();

export function trackCleanup(work: Promise<unknown>): void {
	const p = work.catch(() => {}).finally(() => pending.delete(p));
	pending.add(p);
}

export async function runCleanups(): Promise<void> {
	while (pending.size > 0) await Promise.all([...pending]);
	const { stopChainsStartedHere } = await import('../devnet/daemon.js');
	await stopChainsStartedHere();
}
