/**
 * The artifact hygiene gates metadata-versions and check-metadata-hash, pure: fed the facts the artifact
 * stage and `inspect --against` read (the versions each runtime offers, each side's signed extensions).
 */
import { describe, expect, it } from 'vitest';
import { UNSTABLE_METADATA_VERSION, checkMetadataHashGate, metadataVersionsGate } from '../../source/domain/gates.js';

const AT = '2026-12-02T00:00:00.000Z';
// A relay chain's signed extensions with CheckMetadataHash, and the same list without it.
const WITH_HASH = [
	'CheckNonZeroSender',
	'CheckSpecVersion',
	'CheckTxVersion',
	'CheckGenesis',
	'CheckMortality',
	'CheckNonce',
	'CheckWeight',
	'ChargeTransactionPayment',
	'PrevalidateAttests',
	'CheckMetadataHash',
];
const WITHOUT_HASH = WITH_HASH.filter((e) => e !== 'CheckMetadataHash');

describe('metadataVersionsGate: the metadata versions the live runtime offers are kept', () => {
	it('fails on testnet when the artifact drops v15 the live runtime offers; advice on local', () => {
		const g = metadataVersionsGate('westend', 'testnet', [14], [14, 15], AT);
		expect(g).toMatchObject({ id: 'metadata-versions', env: 'westend', status: 'fail', checkedAt: AT });
		expect(g.summary).toBe('the artifact drops metadata v15, which the live runtime offers (artifact: v14; live runtime: v14, v15)');
		expect(g.evidence).toEqual({ artifact: [14], live: [14, 15], dropped: [15] });
		const local = metadataVersionsGate('devnet', 'local', [14], [14, 15], AT);
		expect(local.status).toBe('pass');
		expect(local.summary).toMatch(/^advice: the artifact drops metadata v15/);
	});

	it('fails when the artifact offers no v14 or later (ancient metadata), whatever the live runtime offers', () => {
		const g = metadataVersionsGate('x', 'production', [13], [13], AT);
		expect(g.status).toBe('fail');
		expect(g.summary).toBe('the artifact offers no metadata v14 or later (v13): it has no portable type registry');
	});

	it('passes when every version the live runtime offers is there (Rococo 9130 → 9140: v14 only on both sides)', () => {
		const same = metadataVersionsGate('rococo', 'production', [14], [14], AT);
		expect(same.status).toBe('pass');
		expect(same.summary).toBe('metadata versions: none dropped (artifact: v14; live runtime: v14)');
		expect(same.evidence).toEqual({ artifact: [14], live: [14], dropped: [] });
		// Adding v15 is fine; the unstable version is shown, never required.
		const more = metadataVersionsGate('rococo', 'production', [14, 15], [14, UNSTABLE_METADATA_VERSION], AT);
		expect(more.status).toBe('pass');
		expect(more.summary).toBe('metadata versions: none dropped (artifact: v14, v15; live runtime: v14, unstable)');
	});
});

describe('checkMetadataHashGate: CheckMetadataHash is kept where the chain uses it', () => {
	it('fails on production when the live chain uses it and the artifact drops it; advice on local', () => {
		const g = checkMetadataHashGate('polkadot', 'production', WITHOUT_HASH, WITH_HASH, AT);
		expect(g).toMatchObject({ id: 'check-metadata-hash', env: 'polkadot', status: 'fail' });
		expect(g.summary).toBe(
			`the live chain's signed extensions include CheckMetadataHash and the artifact's do not (${WITHOUT_HASH.join(', ')})`,
		);
		expect(g.evidence).toMatchObject({ live: true, artifact: false });
		expect(checkMetadataHashGate('devnet', 'local', WITHOUT_HASH, WITH_HASH, AT)).toMatchObject({
			status: 'pass',
			summary: expect.stringMatching(/^advice: the live chain's signed extensions include CheckMetadataHash/),
		});
	});

	it('passes when the artifact keeps it, and says so when the chain does not use it', () => {
		expect(checkMetadataHashGate('polkadot', 'production', WITH_HASH, WITH_HASH, AT)).toMatchObject({
			status: 'pass',
			summary: 'CheckMetadataHash: the live chain uses it and the artifact keeps it',
		});
		const unused = checkMetadataHashGate('rococo', 'production', WITHOUT_HASH, WITHOUT_HASH, AT);
		expect(unused).toMatchObject({ status: 'pass', summary: 'CheckMetadataHash: not used by this chain' });
		expect(unused.evidence).toMatchObject({ live: false, artifact: false });
		expect(checkMetadataHashGate('rococo', 'production', WITH_HASH, WITHOUT_HASH, AT).summary).toBe(
			'CheckMetadataHash: not used by this chain (the artifact adds it)',
		);
	});
});
