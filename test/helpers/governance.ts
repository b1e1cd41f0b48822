/** Helpers for driving the governance devnet through @polkadot/api only. */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export async function connect(endpoint: string): Promise<ApiPromise> {
	return ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true });
}

/** Call a devnet RPC method that @polkadot/api does not decorate (dev_*, devnet_*). */
export async function rawRpc<T = unknown>(api: ApiPromise, method: string, params: unknown[] = []): Promise<T> {
	return (api as any)._rpcCore.provider.send(method, params) as Promise<T>;
}

export function findEvent(events: EventRecord[], name: string): EventRecord | undefined {
	return events.find((e) => `${e.event.section}.${e.event.method}` === name);
}

export async function devKeys(): Promise<Record<'alice' | 'bob' | 'charlie' | 'dave' | 'eve' | 'ferdie', KeyringPair>> {
	await cryptoWaitReady();
	const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
	return {
		alice: k.addFromUri('//Alice'),
		bob: k.addFromUri('//Bob'),
		charlie: k.addFromUri('//Charlie'),
		dave: k.addFromUri('//Dave'),
		eve: k.addFromUri('//Eve'),
		ferdie: k.addFromUri('//Ferdie'),
	};
}

export interface Included {
	blockHash: string;
	events: EventRecord[];
	/** `section.method` of each event of the extrinsic. */
	names: string[];
	/** Decoded dispatch error (`Section.Name` for module errors), if the extrinsic failed. */
	error?: string;
}

export function describeDispatchError(api: ApiPromise, err: any): string {
	if (err.isModule) {
		const m = api.registry.findMetaError(err.asModule);
		return `${m.section[0]!.toUpperCase()}${m.section.slice(1)}.${m.name}`;
	}
	if (err.isToken) return `Token.${err.asToken.type}`;
	return err.type;
}

/** Sign, submit and wait for inclusion (the devnet must produce blocks: 'instant' mode). */
export function send(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair): Promise<Included> {
	return new Promise((resolve, reject) => {
		let unsub: (() => void) | undefined;
		tx.signAndSend(signer, (r) => {
			if (r.status.isInBlock || r.status.isFinalized) {
				unsub?.();
				const events = r.events as unknown as EventRecord[];
				const failed = events.find((e) => e.event.section === 'system' && e.event.method === 'ExtrinsicFailed');
				resolve({
					blockHash: (r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized).toHex(),
					events,
					names: events.map((e) => `${e.event.section}.${e.event.method}`),
					error: failed ? describeDispatchError(api, (failed.event.data as any)[0]) : undefined,
				});
			} else if (r.status.isInvalid || r.status.isDropped) {
				unsub?.();
				reject(new Error(`transaction ${r.status.type}`));
			}
		})
			.then((u) => {
				unsub = u;
			})
			.catch(reject);
	});
}

/** Events of the block at `hash` (or the best block). */
export async function blockEvents(api: ApiPromise, hash?: string): Promise<EventRecord[]> {
	const at = hash ? await api.at(hash) : api;
	return (await at.query.system.events()) as unknown as EventRecord[];
}

export function eventNames(events: EventRecord[]): string[] {
	return events.map((e) => `${e.event.section}.${e.event.method}`);
}

/** Produce `n` blocks through the devnet's dev RPC. */
export async function newBlocks(api: ApiPromise, n = 1): Promise<void> {
	await rawRpc(api, 'dev_newBlock', [{ count: n }]);
}

export function dispatchResultError(api: ApiPromise, result: any): string | undefined {
	return result.isErr ? describeDispatchError(api, result.asErr) : undefined;
}
