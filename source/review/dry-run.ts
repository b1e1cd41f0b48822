/**
 * `review --dry-run`: which call the reviewed proposal will enact, and with
 * which origin, so that it can be dispatched on a fork of the chain
 * (engine/rehearsal.ts) before anyone votes. Root for what a referendum
 * enacts (a democracy referendum, an external proposal, a Root-track OpenGov
 * referendum, a preimage or call data reviewed on its own); the multisig
 * account for a multisig operation. An origin no key can stand for on a fork
 * (a collective's, an OpenGov track's custom origin) is said, not guessed.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Hex } from '../domain/types.js';
import type { ForkCall } from '../engine/rehearsal.js';
import { pendingMultisigs } from '../chain/pallets/multisig.js';
import type { ChainReview } from './fetch.js';
import type { ChainFindings } from './types.js';

export type Enacted = { plan: ForkCall; what: string } | { reason: string };

/** The code the proposal installs on this chain, when it carries exactly one (setCode): what the fork must then run. */
function expectedCode(findings: ChainFindings): ForkCall['expect'] {
	const own = findings.upgrades.filter((u) => u.carriesCode && !u.destination);
	const codes = new Set(own.map((u) => u.codeHash));
	if (codes.size !== 1) return undefined;
	const u = own[0]!;
	return { codeHash: u.codeHash, ...(u.specVersion !== undefined ? { specVersion: u.specVersion } : {}) };
}

/** Where else the call reaches: the parachains its XCM goes to (forked and followed where they have an environment). */
function scope(findings: ChainFindings): string {
	const away = [...new Set(findings.upgrades.filter((u) => u.destination).map((u) => u.destination!))];
	return away.length ? `; it sends XCM to ${away.join(', ')}, followed on a fork of each that has an environment` : '';
}

export async function enactedCall(api: ApiPromise, env: string, review: ChainReview): Promise<Enacted> {
	const { resolved, findings, calls } = review;
	const top = resolved.top;
	const expect = expectedCode(findings);
	const root = (call: Uint8Array, what: string): Enacted => ({
		plan: { env, call, origin: { kind: 'root' }, ...(expect ? { expect } : {}) },
		what: `${what}${scope(findings)}`,
	});
	const byRef = (hash: Hex | undefined, what: string): Enacted => {
		const bytes = hash ? calls.get(hash) : undefined;
		if (!bytes)
			return {
				reason: `the call it enacts${hash ? ` (${hash})` : ''} cannot be read on chain: without its preimage there is nothing to dispatch`,
			};
		return root(bytes, what);
	};
	if (top.kind === 'none') return { reason: top.reason };
	switch (resolved.target.kind) {
		case 'call':
			return top.kind === 'call'
				? root(top.call.toU8a(), 'the call data, dispatched as Root (as a Root referendum or sudo enacts it)')
				: { reason: 'no call' };
		case 'preimage':
			return byRef(resolved.target.hash, 'the preimage, dispatched as Root (as a Root referendum enacts it)');
		case 'external':
			return byRef(
				top.kind === 'ref' ? top.ref.hash : undefined,
				'the external proposal, dispatched as Root (as its referendum enacts it once tabled and passed)',
			);
		case 'referendum': {
			const hash = top.kind === 'ref' ? top.ref.hash : undefined;
			if (resolved.vote.kind === 'opengov' && resolved.vote.track !== 0)
				return {
					reason: `referendum on OpenGov track ${resolved.vote.track ?? '?'} enacts with that track's origin, which no key holds: the console reproduces only Root on a fork`,
				};
			return byRef(hash, `the referendum's proposal, dispatched as Root (as the referendum enacts it)`);
		}
		case 'motion': {
			if (top.kind !== 'call') return { reason: 'no call' };
			if (top.call.section === 'democracy')
				return byRef(
					findings.preimages[0]?.hash,
					`the external proposal this motion puts up (${top.call.section}.${top.call.method}), dispatched as Root (as its referendum enacts it)`,
				);
			return {
				reason: `the motion's call (${top.call.section}.${top.call.method}) is dispatched with the collective's origin, which no key holds: the console cannot reproduce it on a fork`,
			};
		}
		case 'multisig': {
			if (top.kind !== 'call') return { reason: 'no call' };
			const pending = await pendingMultisigs(api, top.hash);
			const accounts = [...new Set(pending.map((p) => p.address))];
			if (accounts.length !== 1)
				return {
					reason:
						accounts.length === 0
							? `no pending multisig operation dispatches ${top.hash}: which account it runs as is not on chain`
							: `${accounts.length} multisig accounts have an operation for ${top.hash} (${accounts.join(', ')}): which one to dry-run is not clear`,
				};
			return {
				plan: {
					env,
					call: top.call.toU8a(),
					origin: { kind: 'signed', address: accounts[0]!, who: 'the multisig account' },
					...(expect ? { expect } : {}),
				},
				what: `the call, dispatched by the multisig account ${accounts[0]} (as the last approval does)${scope(findings)}`,
			};
		}
	}
}
