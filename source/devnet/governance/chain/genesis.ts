/** The genesis state: the devnet's code, the endowed dev accounts, sudo, council and committee. */
import { u8aToHex } from '@polkadot/util';
import type { RuntimeVersionJson } from '../metadata.js';
import { NEW_LOGIC_FLAG } from '../runtime.js';
import { CODE_KEY, Overlay, type TypedStore } from '../storage.js';
import { ENDOWMENT } from './types.js';

/**
 * @param accounts the dev accounts, in DEV_ACCOUNTS order (Alice first).
 */
export function genesisState(store: TypedStore, code: Uint8Array, version: RuntimeVersionJson, accounts: string[]): Map<string, string> {
	const state = new Map<string, string>();
	const s = store.over(new Overlay(state));
	state.set(CODE_KEY, u8aToHex(code));
	for (const who of accounts) {
		s.put('System', 'Account', [who], {
			nonce: 0,
			consumers: 0,
			providers: 1,
			sufficients: 0,
			data: { free: ENDOWMENT, reserved: 0, frozen: 0, flags: NEW_LOGIC_FLAG },
		});
	}
	s.put('Balances', 'TotalIssuance', [], ENDOWMENT * BigInt(accounts.length));
	s.put('Sudo', 'Key', [], accounts[0]);
	s.put('Council', 'Members', [], [accounts[0], accounts[1], accounts[2]]);
	s.put('Council', 'Prime', [], accounts[0]);
	s.put('TechnicalCommittee', 'Members', [], [accounts[0], accounts[1], accounts[3]]);
	s.put('System', 'BlockHash', [0], `0x${'45'.repeat(32)}`);
	s.put('System', 'ParentHash', [], `0x${'45'.repeat(32)}`);
	s.put('System', 'UpgradedToU32RefCount', [], true);
	s.put('System', 'UpgradedToTripleRefCount', [], true);
	s.put('System', 'LastRuntimeUpgrade', [], { specVersion: version.specVersion, specName: version.specName });
	s.put('TransactionPayment', 'NextFeeMultiplier', [], 1_000_000_000_000_000_000n);
	s.put('TransactionPayment', 'StorageVersion', [], 'V2');
	return state;
}
