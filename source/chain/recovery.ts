/**
 * The recovery plan (KIRA's rollback, in Substrate terms): before an upgrade,
 * record the runtime it replaces, read from the chain, and what node operators
 * would need if the new runtime stops block production — the chain-spec
 * `codeSubstitutes` entry for the previous code, and for a parachain the
 * relay-chain call that forces the old code back.
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { RecoveryPlan } from '../domain/alignment-types.js';
import type { Hex } from '../domain/types.js';
import { storageBytes } from './live.js';
import { CODE_KEY } from '../domain/primitives.js';
import { palletQuery, type NumberCodec } from './pallets/common.js';

/** Read the runtime the chain runs now (at the best block) and make the plan. */
export async function captureRecoveryPlan(api: ApiPromise, env: string, at = new Date().toISOString()): Promise<RecoveryPlan> {
	const header = await api.rpc.chain.getHeader();
	const blockHash = header.hash.toHex() as Hex;
	const blockNumber = header.number.toNumber();
	const code = storageBytes(await api.rpc.state.getStorage(CODE_KEY, blockHash));
	if (!code) throw new Error(`${env}: the chain returned no :code at block #${blockNumber}`);
	const version = await api.rpc.state.getRuntimeVersion(blockHash);
	const codeHash = blake2AsHex(code, 256) as Hex;
	const plan: RecoveryPlan = {
		env,
		capturedAt: at,
		blockNumber,
		blockHash,
		previousCodeHash: codeHash,
		previousSpecName: version.specName.toString(),
		previousSpecVersion: version.specVersion.toNumber(),
		previousCodeSize: code.length,
		codeSubstitute: {
			blockNumber,
			blockHash,
			codeHash,
			codeSource: `state_getStorage(":code", ${blockHash}) on an archive node, or \`release-console recovery ID --env ${env} --out FILE\``,
		},
		steps: [
			'confirm the halt: no block for several block times after the upgrade, on more than one node',
			`get the previous code (hash ${codeHash}): \`release-console recovery ID --env ${env} --out codeSubstitutes.json\``,
			'add the codeSubstitutes entry to the chain spec of every validator/collator, keyed by the first block built on the new runtime, and restart',
			'once blocks flow again, ship a fixed runtime through governance; then drop the substitute',
		],
	};
	const paraInfo = palletQuery<{ parachainId?: () => Promise<NumberCodec> }>(api, 'parachainInfo')?.parachainId;
	if (paraInfo) {
		const paraId = (await paraInfo()).toNumber();
		plan.parachain = {
			paraId,
			relayCall: `paras.forceSetCurrentCode(${paraId}, <previous code ${codeHash}>) with Root on the relay chain`,
		};
		plan.steps.splice(
			2,
			0,
			`parachain ${paraId}: ask the relay chain's governance (Root) for paras.forceSetCurrentCode(${paraId}, previous code)`,
		);
	}
	return plan;
}

/**
 * The chain-spec fragment operators add when the new runtime halts the chain:
 * from the first block after the upgrade, nodes execute the previous code instead.
 * Needs the state at the plan's block (an archive node, or a recent block).
 */
export async function codeSubstitutesFragment(
	api: ApiPromise,
	plan: RecoveryPlan,
	upgradeBlock?: number,
): Promise<{ json: string; codeHash: Hex }> {
	const code = storageBytes(await api.rpc.state.getStorage(CODE_KEY, plan.blockHash));
	if (!code) throw new Error(`the node has no state for block #${plan.blockNumber} (${plan.blockHash}); ask an archive node`);
	const codeHash = blake2AsHex(code, 256) as Hex;
	if (codeHash !== plan.previousCodeHash)
		throw new Error(`the code at block #${plan.blockNumber} hashes to ${codeHash}, not the recorded ${plan.previousCodeHash}`);
	// The substitute applies from the block whose execution failed: the first block built on the new runtime.
	const from = upgradeBlock !== undefined ? upgradeBlock + 1 : plan.blockNumber + 1;
	return { json: JSON.stringify({ codeSubstitutes: { [String(from)]: u8aToHex(code) } }), codeHash };
}

export { recoveryLines } from '../domain/recovery.js';
