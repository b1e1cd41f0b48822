/**
 * What a rehearsal writes into a fork's scheduler agenda, encoded with a
 * current runtime's own types (Bounded calls, OriginCaller, RequestStatus):
 * the governance devnet serves the Substrate kitchensink metadata over
 * JSON-RPC, so the writes are built exactly as on a fork of a live chain and
 * decoded back with the same metadata. (Polkadot 0's older item, the call
 * itself and no origin, is dispatched for real in rehearse-fork-genesis.)
 */
import type { ApiPromise } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGovernanceDevnet, type GovernanceDevnet } from '../../source/devnet/governance/index.js';
import { agendaInjection, ENACTMENT_PRIORITY } from '../../source/chain/pallets/scheduler.js';
import { connect } from '../helpers/governance.js';

let devnet: GovernanceDevnet;
let api: ApiPromise;
beforeAll(async () => {
	devnet = await startGovernanceDevnet({ blockTime: 'instant' });
	api = await connect(devnet.endpoint);
}, 60_000);
afterAll(async () => {
	await api?.disconnect();
	await devnet?.close();
});

const noRawMetadata = async (): Promise<string> => {
	throw new Error('metadata v14 needs no raw text');
};

function valueType(entry: unknown): string {
	const e = entry as { creator: { meta: { type: { asMap: { value: unknown } } } } };
	return api.registry.createLookupType(e.creator.meta.type.asMap.value as never);
}

describe('an agenda item written for Root, in the runtime’s own types', () => {
	it('a short call: Bounded::Inline, priority 63, origin system Root, for the next block', async () => {
		const call = api.tx.system.remark('0x0102').method.toU8a();
		const head = (await api.rpc.chain.getHeader()).number.toNumber();
		const injection = await agendaInjection(api, call, noRawMetadata);
		expect(injection.when).toBeGreaterThan(head);
		expect(injection.index).toBe(0);
		expect(injection.holds).toBe(`Bounded::Inline (${call.length} bytes)`);
		expect(injection.writes).toHaveLength(1);
		const [key, value] = injection.writes[0]!;
		expect(key).toBe(api.query.scheduler.agenda.key(injection.when));
		const items = api.createType(valueType(api.query.scheduler.agenda) as never, value) as unknown as Array<{
			isSome: boolean;
			unwrap(): {
				priority: { toNumber(): number };
				call: { isInline: boolean; asInline: { toHex(): string } };
				origin: { toJSON(): unknown };
				maybeId: { isNone: boolean };
			};
		}>;
		expect(items).toHaveLength(1);
		const item = items[0]!.unwrap();
		expect(item.priority.toNumber()).toBe(ENACTMENT_PRIORITY);
		expect(item.call.isInline).toBe(true);
		expect(item.call.asInline.toHex()).toBe(u8aToHex(call));
		expect(item.origin.toJSON()).toEqual({ system: { root: null } });
		expect(item.maybeId.isNone).toBe(true);
	});

	it('a call over 128 bytes: Bounded::Lookup, its preimage written to PreimageFor and requested once', async () => {
		const call = api.tx.system.setCode(u8aToHex(new Uint8Array(300).fill(7))).method.toU8a();
		const hash = blake2AsHex(call, 256);
		const injection = await agendaInjection(api, call, noRawMetadata);
		expect(injection.holds).toBe(
			`Bounded::Lookup(${hash}, ${call.length} bytes), its preimage written to Preimage.PreimageFor (requested)`,
		);
		const writes = new Map(injection.writes);
		const preimage = writes.get(api.query.preimage.preimageFor.key([hash, call.length]) as `0x${string}`);
		expect(preimage).toBe(api.createType('Bytes', call).toHex());
		const status = writes.get(api.query.preimage.requestStatusFor.key(hash) as `0x${string}`);
		expect(status).toBeDefined();
		const decoded = api.createType(valueType(api.query.preimage.requestStatusFor) as never, status) as unknown as {
			isRequested: boolean;
			asRequested: {
				count: { toNumber(): number };
				maybeLen: { unwrap(): { toNumber(): number } };
				maybeTicket: { isNone: boolean };
			};
		};
		expect(decoded.isRequested).toBe(true);
		expect(decoded.asRequested.count.toNumber()).toBe(1);
		expect(decoded.asRequested.maybeLen.unwrap().toNumber()).toBe(call.length);
		expect(decoded.asRequested.maybeTicket.isNone).toBe(true);
		const agenda = writes.get(api.query.scheduler.agenda.key(injection.when) as `0x${string}`);
		const items = api.createType(valueType(api.query.scheduler.agenda) as never, agenda) as unknown as Array<{
			unwrap(): { call: { isLookup: boolean; asLookup: { hash_: { toHex(): string }; len: { toNumber(): number } } } };
		}>;
		const held = items[0]!.unwrap().call;
		expect(held.isLookup).toBe(true);
		expect(held.asLookup.hash_.toHex()).toBe(hash);
		expect(held.asLookup.len.toNumber()).toBe(call.length);
	});
});
