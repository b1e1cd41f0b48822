/**
 * The well-known dev accounts (sr25519 `//Alice` … `//Ferdie`), by public key,
 * so a list of members reads "//Bob (5FHneW46…)" instead of an address a person
 * has to look up. Compared by public key: the same account under any SS58 prefix.
 */
import { decodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';

const DEV_PUBLIC_KEYS: Record<string, string> = {
	'0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d': '//Alice',
	'0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48': '//Bob',
	'0x90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22': '//Charlie',
	'0x306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20': '//Dave',
	'0xe659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e': '//Eve',
	'0x1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c': '//Ferdie',
};

/** `//Bob` for Bob's dev account, undefined for any other (or an unreadable address). */
export function devAccountName(address: string): string | undefined {
	try {
		return DEV_PUBLIC_KEYS[u8aToHex(decodeAddress(address))];
	} catch {
		return undefined;
	}
}

/** An address as a person reads it: "//Bob (5FHneW46…694ty)" for a dev account, else the address whole. */
export function accountText(address: string): string {
	const name = devAccountName(address);
	return name ? `${name} (${address.slice(0, 8)}…${address.slice(-5)})` : address;
}
