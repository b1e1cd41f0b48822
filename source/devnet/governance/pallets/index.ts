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

export function installPallets(chain: GovernanceChain): void {
	const all: Array<Record<string, Handler>> = [
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
	for (const table of all) for (const [k, h] of Object.entries(table)) chain.handlers.set(k, h);
	chain.hooks.install.push((rt) => {
		rt.preimageHooks = preimageHooks;
		rt.schedulerHooks = schedulerHooks;
	});
	// on_initialize in construct_runtime order: Democracy (13), Scheduler (32), then Referenda servicing.
	chain.hooks.onInitialize.push(democracyHooks.onInitialize, schedulerHooks.serviceAgenda, referendaHooks.onInitialize);
}
