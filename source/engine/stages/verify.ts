/** The verify stage: the upgrade block still canonical, CodeUpdated in it, the runtime and code hash the artifact's. */
import type { ApiPromise } from '@polkadot/api';
import { onChainCodeHash } from '../../chain/live.js';
import { eventsAt } from '../../chain/submit.js';
import { codeChangeShownBy } from '../../chain/pallets/system.js';
import type { Hex } from '../../domain/types.js';
import { artifactOf, type EngineContext, type StepResult, iso } from '../context.js';

const shownText = (shown: string) => shown.replace(/^system\.|^parachainSystem\./, '');

export async function verifyStage(ctx: EngineContext, api: ApiPromise): Promise<StepResult> {
	const { env } = ctx;
	const release = ctx.release.get();
	const upgrade = release.progress[env.name]?.upgrade;
	const at = iso(ctx);
	if (!upgrade) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'verify', status: 'failed', detail: 'no upgrade block recorded', at });
		return { kind: 'failed', stage: 'verify', message: 'no upgrade block recorded for this environment' };
	}
	const best = (await api.rpc.chain.getHeader()).number.toNumber();
	if (best <= upgrade.blockNumber) {
		return {
			kind: 'wait',
			stage: 'verify',
			message: `the new runtime takes effect in the block after #${upgrade.blockNumber}; waiting for it`,
			waitingFor: 'blocks',
			until: upgrade.blockNumber + 1,
		};
	}
	const canonical = await api.rpc.chain.getBlockHash(upgrade.blockNumber);
	if (canonical.toHex() !== upgrade.blockHash) {
		ctx.release.apply({
			type: 'stage/set',
			env: env.name,
			stage: 'verify',
			status: 'failed',
			detail: `block #${upgrade.blockNumber} is no longer ${upgrade.blockHash}: the chain was reset or reorganised`,
			at,
		});
		return {
			kind: 'failed',
			stage: 'verify',
			message: `the recorded upgrade block #${upgrade.blockNumber} ${upgrade.blockHash} is not on this chain any more (the chain was reset or re-organised)`,
			hint: 'if this is the embedded chain it was restarted from genesis; start a new release to rehearse again',
		};
	}
	const events = (await eventsAt(api, upgrade.blockHash)).map((e) => `${e.event.section}.${e.event.method}`);
	// A parachain applies its pending code with ParachainSystem.ValidationFunctionApplied (older cumulus without
	// CodeUpdated); frame-system before 2020 has no CodeUpdated: the block's :code shows it.
	const shown = await codeChangeShownBy(api, upgrade.blockHash as Hex, events, artifactOf(ctx).codeHash);
	const codeUpdated = shown !== undefined;
	const version = await api.rpc.state.getRuntimeVersion();
	const codeHash = await onChainCodeHash(api);
	const problems: string[] = [];
	if (!codeUpdated)
		problems.push(
			`no system.CodeUpdated${env.route === 'parachain' ? ' or parachainSystem.ValidationFunctionApplied' : ''} event in block #${upgrade.blockNumber}`,
		);
	if (version.specVersion.toNumber() !== artifactOf(ctx).specVersion)
		problems.push(`runtime reports spec ${version.specVersion.toNumber()}, expected ${artifactOf(ctx).specVersion}`);
	if (version.specName.toString() !== artifactOf(ctx).specName)
		problems.push(`runtime reports spec name ${version.specName.toString()}, expected ${artifactOf(ctx).specName}`);
	if (codeHash !== artifactOf(ctx).codeHash) problems.push(`on-chain code hash ${codeHash}, expected ${artifactOf(ctx).codeHash}`);
	if (problems.length > 0) {
		ctx.release.apply({ type: 'stage/set', env: env.name, stage: 'verify', status: 'failed', detail: problems.join('; '), at });
		return { kind: 'failed', stage: 'verify', message: problems.join('; ') };
	}
	ctx.release.apply(
		{ type: 'verify/done', env: env.name, specVersion: version.specVersion.toNumber(), codeHash: codeHash!, blockNumber: best, at },
		{
			type: 'stage/set',
			env: env.name,
			stage: 'verify',
			status: 'done',
			detail: `${shownText(shown!)} in #${upgrade.blockNumber}; runtime ${version.specName.toString()} ${version.specVersion.toNumber()}; code hash matches`,
			at,
		},
	);
	return {
		kind: 'progressed',
		stage: 'verify',
		message: `verified: ${shownText(shown!)} in #${upgrade.blockNumber}, runtime ${version.specName.toString()}/${version.specVersion.toNumber()}, code hash ${codeHash}`,
	};
}
