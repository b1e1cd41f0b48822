/** The recovery plan as text (pure: the console's screens import it before any chain library loads). */
import type { RecoveryPlan } from './alignment-types.js';

/** Lines for the enactment screen and the release record. */
export function recoveryLines(plan: RecoveryPlan, upgradeBlock?: number): string[] {
	const from = upgradeBlock !== undefined ? upgradeBlock + 1 : undefined;
	return [
		`replaces ${plan.previousSpecName} ${plan.previousSpecVersion}, code ${plan.previousCodeHash} (${plan.previousCodeSize.toLocaleString('en-US')} bytes), read at #${plan.blockNumber}`,
		`if blocks stop: node operators add to the chain spec "codeSubstitutes": { "${from ?? '<first block after the upgrade>'}": "<previous code>" } and restart`,
		`previous code: ${plan.codeSubstitute.codeSource}`,
		...(plan.parachain ? [`parachain ${plan.parachain.paraId}: ${plan.parachain.relayCall}`] : []),
	];
}
