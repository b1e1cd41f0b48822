/** Helpers for the multisig-sudo end-to-end tests (governance devnet and embedded Rococo). */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { createKeyMulti, encodeAddress } from '@polkadot/util-crypto';
import { expect } from 'vitest';
import { blockEvents, send, type devKeys } from './governance.js';

export type Keys = Awaited<ReturnType<typeof devKeys>>;

export const stageOf = (out: any, id: string) => out.release.environments[0].stages.find((s: any) => s.id === id);
export const intentsOf = (out: any) => out.release.environments[0].intents as any[];

export function multisigOf(keys: Keys): { address: string; signatories: string[] } {
	const signatories = [keys.alice.address, keys.bob.address, keys.charlie.address];
	return { address: encodeAddress(createKeyMulti(signatories, 2), 42), signatories };
}

export function envAddArgs(
	name: string,
	endpoint: string,
	signatories: string[],
	payload: 'set-code' | 'authorize',
	soakBlocks: number,
): string[] {
	return [
		'env',
		'add',
		name,
		'--endpoint',
		endpoint,
		'--kind',
		'local',
		'--route',
		'multisig-sudo',
		...signatories.flatMap((s) => ['--signatory', s]),
		'--threshold',
		'2',
		'--payload',
		payload,
		'--soak-blocks',
		String(soakBlocks),
		'--soak-minutes',
		'0',
		'--max-stall',
		'600',
	];
}

export async function sudoKey(api: ApiPromise): Promise<string> {
	const raw = (await api.query.sudo.key()) as any;
	return raw.isSome === undefined ? raw.toString() : raw.unwrap().toString();
}

export async function setSudoKey(api: ApiPromise, sudo: KeyringPair, to: string): Promise<void> {
	const r = await send(api, api.tx.sudo.setKey(to), sudo);
	expect(r.error).toBeUndefined();
	expect(await sudoKey(api)).toBe(to);
}

export async function multisigEntry(api: ApiPromise, address: string, callHash: string): Promise<{ approvals: string[] } | undefined> {
	const v = (await api.query.multisig.multisigs(address, callHash)) as any;
	return v.isNone ? undefined : { approvals: v.unwrap().approvals.map((a: any) => a.toString()) };
}

/** The Sudid / MultisigExecuted results of a block: `Ok` or the error. */
export async function dispatchResults(api: ApiPromise, blockHash: string): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const { event } of await blockEvents(api, blockHash)) {
		const name = `${event.section}.${event.method}`;
		if (name === 'sudo.Sudid') out[name] = (event.data[0] as any).isOk ? 'Ok' : 'Err';
		if (name === 'multisig.MultisigExecuted') out[name] = (event.data[4] as any).isOk ? 'Ok' : 'Err';
	}
	return out;
}
