/** `waive ID --env NAME --gate GATE --reason "…"`: accept a failing gate in writing; the audit log keeps the reason. */
import { EXIT, UsageError, findRelease, type CommandContext } from './context.js';
import { releaseAccess } from '../../engine/session.js';
import type { GateId } from '../../domain/types.js';
import { MIN_WAIVER_REASON } from '../../domain/reducer.js';

export async function runWaive(
	ctx: CommandContext,
	id: string | undefined,
	flags: { env?: string; gate?: string; reason?: string },
): Promise<number> {
	if (!id)
		throw new UsageError(
			'missing release id',
			'usage: release-console waive ID --env NAME --gate GATE --reason "why this is acceptable"',
		);
	const release = findRelease(ctx.store, id);
	const env = flags.env ?? release.environments[0]!;
	const gate = release.gates.find((g) => g.env === env && g.id === flags.gate);
	if (!flags.gate || !gate) {
		const failing = release.gates.filter((g) => g.env === env && g.status === 'fail').map((g) => g.id);
		throw new UsageError(
			`no gate "${flags.gate ?? ''}" on ${env} to waive`,
			failing.length ? `failing gates on ${env}: ${failing.join(', ')}` : `no gate fails on ${env}`,
		);
	}
	if (gate.status !== 'fail') throw new UsageError(`gate ${gate.id} on ${env} is ${gate.status}, not failing: nothing to waive`);
	const reason = (flags.reason ?? '').trim();
	if (reason.length < MIN_WAIVER_REASON)
		throw new UsageError(
			`a waiver needs a written reason of at least ${MIN_WAIVER_REASON} characters`,
			'say why shipping with this gate failing is acceptable; it is recorded in the audit log',
		);
	const updated = releaseAccess(ctx.store, release.id).apply({
		type: 'gate/waive',
		env,
		gate: gate.id as GateId,
		reason,
		at: new Date().toISOString(),
	});
	const waived = updated.gates.find((g) => g.env === env && g.id === gate.id)!;
	ctx.io.stdout(ctx.json ? JSON.stringify({ gate: waived }) : `waived ${gate.id} on ${env}: ${reason}`);
	return EXIT.ok;
}
