import { describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { accountText, devAccountName } from '../../source/chain/dev-accounts.js';

describe('dev accounts by name', () => {
	it('names each dev account under any SS58 prefix, and leaves other addresses whole', async () => {
		await cryptoWaitReady();
		const keyring = new Keyring({ type: 'sr25519' });
		for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
			const pair = keyring.addFromUri(`//${name}`);
			expect(devAccountName(pair.address)).toBe(`//${name}`);
			expect(devAccountName(encodeAddress(pair.publicKey, 2))).toBe(`//${name}`);
		}
		expect(accountText('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty')).toBe('//Bob (5FHneW46…694ty)');
		const other = keyring.addFromUri('//Alice//stash').address;
		expect(accountText(other)).toBe(other);
		expect(devAccountName('not an address')).toBeUndefined();
	});
});
