/**
 * Ask the chain whether it would take a signed extrinsic, before it is sent:
 * `TaggedTransactionQueue_validate_transaction` on the best block, the check a
 * node's pool makes on submission. An invalid transaction is never submitted;
 * its reason is said in words, with what to do.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { messageOf } from './connect.js';

export type Validity =
	| { ok: true; checked: true }
	/** The runtime has no TaggedTransactionQueue API the client knows: nothing could be checked (said, not hidden). */
	| { ok: true; checked: false; note: string }
	| { ok: false; reason: string; hint: string; code: string };

interface ValidityErrorCodec {
	isInvalid: boolean;
	isUnknown: boolean;
	asInvalid: { type: string; isCustom: boolean; asCustom: { toNumber(): number } };
	asUnknown: { type: string; isCustom: boolean; asCustom: { toNumber(): number } };
	toString(): string;
}

interface ValidityCodec {
	isErr: boolean;
	asErr: ValidityErrorCodec;
}

type ValidateFn = ((...args: unknown[]) => Promise<ValidityCodec>) & { meta: { params: unknown[] } };

/**
 * `InvalidTransaction::Custom(n)` codes a runtime documents, by spec name. Polkadot
 * and Kusama take theirs from the claims pallet's `ValidityError`; at Polkadot's
 * launch its `OnlyStakingAndClaims` signed extension refused every other call with
 * `NoPermission`.
 */
const CUSTOM_CODES: Record<string, Record<number, string>> = {
	polkadot: {
		0: 'InvalidEthereumSignature: the claim signature is not valid',
		1: 'SignerHasNoClaim: the Ethereum address has no claim',
		2: 'NoPermission: this runtime does not let a signed extrinsic make this call (at Polkadot launch only staking, session, claims, sudo and a few others could be called)',
		3: 'InvalidStatement: the statement signed for the claim is not the one required',
	},
	kusama: {
		0: 'InvalidEthereumSignature: the claim signature is not valid',
		1: 'SignerHasNoClaim: the Ethereum address has no claim',
		2: 'NoPermission: this runtime does not let this account make this call',
		3: 'InvalidStatement: the statement signed for the claim is not the one required',
	},
};

function invalidText(api: ApiPromise, type: string, custom: number | undefined): { reason: string; hint: string } {
	switch (type) {
		case 'Call':
			return {
				reason: 'the chain refuses this call from a signed extrinsic (InvalidTransaction::Call: its call filter)',
				hint: 'this call cannot be made by this origin here; use the route the chain allows (a governance origin, or sudo)',
			};
		case 'Payment':
			return {
				reason: "the signer's account cannot pay the fee (InvalidTransaction::Payment)",
				hint: 'fund the account that signs, then advance again',
			};
		case 'Future':
			return {
				reason: "the nonce is ahead of the account's next one (InvalidTransaction::Future): an earlier extrinsic of this account is not on chain",
				hint: 'advance again: a new payload takes the nonce the chain expects',
			};
		case 'Stale':
			return {
				reason: 'the nonce was already used (InvalidTransaction::Stale): another extrinsic of this account came first',
				hint: 'advance again: a new payload takes the next nonce',
			};
		case 'BadProof':
			return {
				reason: 'the signature does not verify on this chain (InvalidTransaction::BadProof): it was made for another payload, chain, runtime version or era',
				hint: 'sign exactly the payload printed for this extrinsic, with the key of the address it names',
			};
		case 'AncientBirthBlock':
			return {
				reason: 'the era begins at a block the chain no longer keeps (InvalidTransaction::AncientBirthBlock)',
				hint: 'advance again for a new payload, and sign it before it expires',
			};
		case 'ExhaustsResources':
			return {
				reason: 'the extrinsic does not fit in a block (InvalidTransaction::ExhaustsResources)',
				hint: 'wait for emptier blocks, or split the call',
			};
		case 'BadSigner':
			return { reason: 'the chain refuses this signer (InvalidTransaction::BadSigner)', hint: 'sign with another account' };
		case 'Custom': {
			const spec = api.runtimeVersion.specName.toString();
			const documented = custom === undefined ? undefined : CUSTOM_CODES[spec]?.[custom];
			return {
				reason: `the runtime refuses it: InvalidTransaction::Custom(${custom ?? '?'})${documented ? ` — ${spec}'s ${documented}` : ' (a code the runtime defines; its source documents it)'}`,
				hint: documented
					? 'this chain does not accept this call from a signed extrinsic; use a route it allows'
					: 'look the code up in the runtime that this chain runs',
			};
		}
		default:
			return {
				reason: `the chain refuses it (InvalidTransaction::${type})`,
				hint: 'read the reason; advance again once it is fixed',
			};
	}
}

/**
 * Validate a signed extrinsic against the chain's best block. `ok: false` means
 * the node would refuse it: it must not be sent. An unsigned one is validated the
 * same way (the runtime's `ValidateUnsigned` answers, with source External).
 */
export async function validateSigned(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>): Promise<Validity> {
	const queue = (api.call as unknown as Record<string, Record<string, ValidateFn> | undefined>).taggedTransactionQueue;
	const validate = queue?.validateTransaction;
	if (!validate)
		return {
			ok: true,
			checked: false,
			note: 'this runtime has no TaggedTransactionQueue API the client knows: not validated before sending',
		};
	const best = await api.rpc.chain.getHeader();
	// v1 takes the extrinsic alone, v2 its source too, v3 also the block it is checked on.
	const args: unknown[] =
		validate.meta.params.length >= 3 ? ['External', tx, best.hash] : validate.meta.params.length === 2 ? ['External', tx] : [tx];
	let result: ValidityCodec;
	try {
		result = await validate(...args);
	} catch (error) {
		const message = messageOf(error);
		// A runtime that cannot decode it at all is a refusal too (chopsticks and the devnet answer so for a bad extrinsic).
		return {
			ok: false,
			code: 'undecodable',
			reason: `the runtime could not check it: ${message}`,
			hint: 'the extrinsic does not fit this runtime; advance again for a new payload',
		};
	}
	if (!result.isErr) return { ok: true, checked: true };
	const err = result.asErr;
	if (err.isInvalid) {
		const inv = err.asInvalid;
		const custom = inv.isCustom ? inv.asCustom.toNumber() : undefined;
		return { ok: false, code: inv.type === 'Custom' ? `Custom(${custom})` : inv.type, ...invalidText(api, inv.type, custom) };
	}
	const unknown = err.asUnknown;
	if (unknown.type === 'CannotLookup')
		return {
			ok: false,
			code: 'CannotLookup',
			reason: 'the chain cannot look up the signer (UnknownTransaction::CannotLookup)',
			hint: 'check the address; the account may not exist on this chain',
		};
	return {
		ok: false,
		code: unknown.type,
		reason: `the chain cannot tell whether it is valid (UnknownTransaction::${unknown.type}${unknown.isCustom ? `(${unknown.asCustom.toNumber()})` : ''})`,
		hint: 'read the reason; advance again once it is fixed',
	};
}
