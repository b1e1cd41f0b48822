/** Wires the modelled pallets into the chain: call handlers and block hooks. */
import type { GovernanceChain } from '../chain.js';
import type { Handler } from '../runtime.js';
import { balancesHandlers, sudoHandlers, systemHandlers, utilityHandlers } from './core.js';
import {
	councilHandlers,
	democracyHandlers,
	democracyHooks,
	preimageHandlers,
	preimageHooks,
	schedulerHandlers,
	schedulerHooks,
	technicalCommitteeHandlers,
} from './gov1.js';
import { multisigHandlers } from './multisig.js';
import { opengovHandlers, referendaHooks } from './opengov.js';

const TABLES = (): Array<Record<string, Handler>> => [
	systemHandlers,
	balancesHandlers,
	sudoHandlers,
	utilityHandlers,
	preimageHandlers,
	schedulerHandlers,
	councilHandlers,
	technicalCommitteeHandlers,
	democracyHandlers,
	multisigHandlers,
	opengovHandlers,
];

/** `section.method` of every call the devnet models (everything else is refused). */
export function modelledCalls(): string[] {
	return TABLES().flatMap((t) => Object.keys(t)).sort();
}

export function installPallets(chain: GovernanceChain): void {
	const all = TABLES();
	for (const table of all) for (const [k, h] of Object.entries(table)) chain.handlers.set(k, h);
	chain.hooks.install.push((rt) => {
		rt.preimageHooks = preimageHooks;
		rt.schedulerHooks = schedulerHooks;
	});
	// on_initialize in construct_runtime order: Democracy (13), Scheduler (32), then Referenda servicing.
	chain.hooks.onInitialize.push(democracyHooks.onInitialize, schedulerHooks.serviceAgenda, referendaHooks.onInitialize);
}
