/**
 * The registry of the devnet runtime's pallets (one file per FRAME pallet), in
 * construct_runtime order: their call handlers, their on_initialize hooks (run
 * in that order, as frame_executive does) and the services they offer the other
 * pallets through the Runtime (Preimage's QueryPreimage, Scheduler's ScheduleNamed).
 */
import { type Handler, NO_SERVICES, type Pallet, type Runtime, type RuntimeServices } from '../runtime.js';
import { balances } from './balances.js';
import { council, technicalCommittee } from './collective.js';
import { convictionVoting } from './conviction-voting.js';
import { democracy } from './democracy.js';
import { multisig } from './multisig.js';
import { preimage } from './preimage.js';
import { proxy } from './proxy.js';
import { referenda } from './referenda.js';
import { scheduler } from './scheduler.js';
import { sudo } from './sudo.js';
import { system } from './system.js';
import { timestamp } from './timestamp.js';
import { utility } from './utility.js';
import { whitelist } from './whitelist.js';

/** construct_runtime order (the kitchensink's pallet indices). */
export const PALLETS: readonly Pallet[] = [
	system, // 0
	utility, // 1
	timestamp, // 3
	balances, // 6
	democracy, // 13
	council, // 14
	technicalCommittee, // 15
	sudo, // 22
	scheduler, // 32
	preimage, // 34
	proxy, // 35
	multisig, // 36
	referenda, // 55
	convictionVoting, // 58
	whitelist, // 59
];

/** What the chain runs blocks with: every modelled call, the on_initialize hooks in order, the services. */
export interface InstalledPallets {
	calls: ReadonlyMap<string, Handler>;
	onInitialize: ReadonlyArray<(rt: Runtime) => Promise<void> | void>;
	services: RuntimeServices;
}

export function installPallets(pallets: readonly Pallet[] = PALLETS): InstalledPallets {
	const calls = new Map<string, Handler>();
	const onInitialize: Array<(rt: Runtime) => Promise<void> | void> = [];
	const services: RuntimeServices = { ...NO_SERVICES };
	for (const p of pallets) {
		for (const [k, h] of Object.entries(p.calls ?? {})) calls.set(k, h);
		if (p.onInitialize) onInitialize.push(p.onInitialize);
		Object.assign(services, p.services);
	}
	return { calls, onInitialize, services };
}

/** `section.method` of every call the devnet models (everything else is refused). */
export function modelledCalls(): string[] {
	return [...installPallets().calls.keys()].sort();
}
