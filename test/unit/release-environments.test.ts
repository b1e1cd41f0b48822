import { describe, expect, it } from 'vitest';
import {
	builtinDevnetEnvironment,
	checkGenesis,
	defaultSoakPolicy,
	PRODUCTION_SUDO_REFUSAL,
	validateEnvironment,
} from '../../source/domain/environments.js';
import { ALL_STAGES, routeSupport, STAGE_INFO, stagesFor, SUPPORTED_ROUTES } from '../../source/domain/stages.js';
import type { Environment, Hex } from '../../source/domain/types.js';

const H = (c: string): Hex => `0x${c.repeat(64)}` as Hex;

const valid = {
	name: 'westend-2',
	endpoints: ['wss://westend-rpc.example.org', 'ws://127.0.0.1:9944'],
	kind: 'testnet',
	route: 'sudo',
	soak: { minBlocks: 100, minSeconds: 600, maxStallSeconds: 30 },
};

function errorsOf(input: unknown): string[] {
	const result = validateEnvironment(input);
	if (result.ok) throw new Error(`expected errors for ${JSON.stringify(input)}`);
	return result.errors;
}

describe('validateEnvironment', () => {
	it('accepts a valid environment and drops unknown fields', () => {
		const result = validateEnvironment({ ...valid, extra: 1 });
		expect(result).toEqual({ ok: true, env: valid });
	});

	it('fills a missing soak from the kind default and lower-cases the genesis pin', () => {
		const result = validateEnvironment({ ...valid, soak: undefined, genesisHash: H('A') });
		expect(result.ok && result.env.soak).toEqual(defaultSoakPolicy('testnet'));
		expect(result.ok && result.env.genesisHash).toBe(H('a'));
	});

	it('refuses non-objects', () => {
		expect(errorsOf(null)).toEqual(['environment must be an object']);
		expect(errorsOf([])).toEqual(['environment must be an object']);
	});

	it('checks the name', () => {
		expect(errorsOf({ ...valid, name: '' })).toEqual(['name is required']);
		expect(errorsOf({ ...valid, name: 'West End' })[0]).toMatch(/may only contain lowercase letters, digits and dashes/);
		expect(errorsOf({ ...valid, name: 'a_b' })).toHaveLength(1);
	});

	it('checks endpoints', () => {
		expect(errorsOf({ ...valid, endpoints: [] })[0]).toMatch(/non-empty list/);
		expect(errorsOf({ ...valid, endpoints: 'wss://x' })[0]).toMatch(/non-empty list/);
		expect(errorsOf({ ...valid, endpoints: ['https://rpc.example.org'] })[0]).toMatch(/uses https; only ws:\/\/ and wss:\/\//);
		expect(errorsOf({ ...valid, endpoints: ['rpc.example.org'] })[0]).toMatch(/is not a URL/);
		expect(errorsOf({ ...valid, endpoints: [''] })[0]).toMatch(/non-empty string/);
		expect(errorsOf({ ...valid, endpoints: ['wss://a', 'wss://a'] })[0]).toMatch(/listed twice/);
		expect(errorsOf({ ...valid, endpoints: [' wss://a'] })[0]).toMatch(/spaces/);
	});

	it('allows embedded:rococo only for kind local', () => {
		expect(validateEnvironment({ ...valid, kind: 'local', endpoints: ['embedded:rococo'] }).ok).toBe(true);
		expect(errorsOf({ ...valid, endpoints: ['embedded:rococo'] })).toEqual([
			'embedded:rococo is only allowed for kind local (this environment is testnet)',
		]);
	});

	it('checks kind and route', () => {
		expect(errorsOf({ ...valid, kind: 'staging' })[0]).toMatch(/kind must be one of local, testnet, production \(got "staging"\)/);
		expect(errorsOf({ ...valid, route: 'root' })[0]).toMatch(/route must be one of sudo, multisig-sudo, council-democracy, opengov/);
		expect(errorsOf({ ...valid, kind: undefined })[0]).toBe('kind must be one of local, testnet, production');
	});

	it('refuses production with the sudo route', () => {
		const errors = errorsOf({ ...valid, kind: 'production', route: 'sudo' });
		expect(errors).toEqual([PRODUCTION_SUDO_REFUSAL]);
		expect(PRODUCTION_SUDO_REFUSAL).toBe(
			'an upgrade on production cannot hang on a single signature; use multisig-sudo, council-democracy or opengov',
		);
		for (const route of ['council-democracy', 'opengov']) {
			expect(validateEnvironment({ ...valid, kind: 'production', route }).ok).toBe(true);
		}
		// multisig-sudo needs its multisig
		expect(errorsOf({ ...valid, kind: 'production', route: 'multisig-sudo' })[0]).toMatch(/needs the multisig: --signatory/);
		const multisig = {
			signatories: ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'],
			threshold: 2,
		};
		const ok = validateEnvironment({ ...valid, kind: 'production', route: 'multisig-sudo', routeOptions: { multisig } });
		expect(ok.ok && ok.env.routeOptions?.multisig).toEqual(multisig);
	});

	it('checks soak numbers', () => {
		expect(errorsOf({ ...valid, soak: { minBlocks: -1, minSeconds: 1, maxStallSeconds: 1 } })).toEqual([
			'soak.minBlocks must be >= 0 (got -1)',
		]);
		expect(errorsOf({ ...valid, soak: { minBlocks: 1.5, minSeconds: 1, maxStallSeconds: 1 } })[0]).toMatch(/whole number/);
		expect(errorsOf({ ...valid, soak: { minBlocks: 1, minSeconds: 'x', maxStallSeconds: 1 } })).toEqual([
			'soak.minSeconds must be a number',
		]);
		expect(errorsOf({ ...valid, soak: { minBlocks: 1, minSeconds: 1 } })).toEqual(['soak.maxStallSeconds must be a number']);
		expect(errorsOf({ ...valid, soak: { minBlocks: 1, minSeconds: 1, maxStallSeconds: 0 } })[0]).toMatch(/must be > 0/);
		expect(errorsOf({ ...valid, soak: 5 })[0]).toMatch(/soak must be an object/);
		expect(validateEnvironment({ ...valid, soak: { minBlocks: 0, minSeconds: 0, maxStallSeconds: 1 } }).ok).toBe(true);
	});

	it('checks the genesis hash format', () => {
		expect(errorsOf({ ...valid, genesisHash: '0x1234' })).toEqual(['genesisHash must be 0x followed by 64 hex digits']);
	});

	it('reports all problems at once', () => {
		expect(errorsOf({ name: 'X', endpoints: [], kind: 'production', route: 'sudo' }).length).toBe(3);
	});
});

describe('defaults and the built-in devnet', () => {
	it('has per-kind soak defaults', () => {
		expect(defaultSoakPolicy('local')).toEqual({ minBlocks: 10, minSeconds: 60, maxStallSeconds: 60 });
		expect(defaultSoakPolicy('testnet')).toEqual({ minBlocks: 3000, minSeconds: 21600, maxStallSeconds: 60 });
		expect(defaultSoakPolicy('production')).toEqual({ minBlocks: 600, minSeconds: 3600, maxStallSeconds: 60 });
	});

	it('builtinDevnetEnvironment is valid and fresh each time', () => {
		const env = builtinDevnetEnvironment();
		expect(env).toEqual({
			name: 'devnet',
			endpoints: ['embedded:rococo'],
			kind: 'local',
			route: 'sudo',
			soak: { minBlocks: 5, minSeconds: 30, maxStallSeconds: 30 },
		});
		expect(validateEnvironment(env)).toEqual({ ok: true, env });
		env.endpoints.push('ws://x');
		expect(builtinDevnetEnvironment().endpoints).toEqual(['embedded:rococo']);
	});
});

describe('checkGenesis', () => {
	const env: Environment = { ...(valid as Environment) };

	it('asks to pin when nothing is pinned', () => {
		expect(checkGenesis(env, H('B'))).toEqual({ ok: true, pin: H('b') });
	});

	it('is ok when equal (case-insensitive)', () => {
		expect(checkGenesis({ ...env, genesisHash: H('b') }, H('B'))).toEqual({ ok: true });
	});

	it('refuses a different genesis, naming endpoint, environment and both hashes', () => {
		const result = checkGenesis({ ...env, genesisHash: H('b') }, H('c'), 'wss://other.example.org');
		expect(result).toEqual({
			ok: false,
			error: `endpoint wss://other.example.org has genesis ${H('c')} but environment westend-2 is pinned to ${H('b')}; if the chain was really reset, remove and re-add the environment`,
		});
	});

	it('refuses a malformed genesis hash', () => {
		const result = checkGenesis(env, '0x12' as Hex);
		expect(result.ok).toBe(false);
	});
});

describe('stages', () => {
	it('each route and payload has its stages, in travel order', () => {
		expect(stagesFor('sudo')).toEqual(['artifact', 'upgrade', 'verify', 'soak']);
		expect(stagesFor('sudo', { payload: 'authorize' })).toEqual(['artifact', 'upgrade', 'apply', 'verify', 'soak']);
		expect(stagesFor('multisig-sudo')).toEqual(['artifact', 'multisig', 'verify', 'soak']);
		expect(stagesFor('council-democracy')).toEqual([
			'artifact',
			'preimage',
			'council',
			'fast-track',
			'referendum',
			'enactment',
			'verify',
			'soak',
		]);
		expect(stagesFor('opengov', { payload: 'authorize' })).toEqual([
			'artifact',
			'preimage',
			'referendum',
			'enactment',
			'apply',
			'verify',
			'soak',
		]);
		expect(stagesFor('opengov', { track: 'whitelisted' })).toEqual([
			'artifact',
			'preimage',
			'whitelist',
			'referendum',
			'enactment',
			'verify',
			'soak',
		]);
		const a = stagesFor('sudo');
		a.pop();
		expect(stagesFor('sudo')).toHaveLength(4);
	});

	it('every route is supported', () => {
		expect(SUPPORTED_ROUTES).toEqual(['sudo', 'multisig-sudo', 'council-democracy', 'opengov', 'parachain']);
		expect(stagesFor('parachain')).toEqual(['artifact', 'authorize', 'apply', 'pending', 'verify', 'soak']);
		expect(routeSupport('opengov')).toEqual({ supported: true, message: 'route opengov is supported' });
	});

	it('route options are checked, with what to write instead', () => {
		const bad = (routeOptions: unknown, route = 'opengov') => errorsOf({ ...valid, route, routeOptions });
		expect(bad({ payload: 'wasm' })[0]).toMatch(/payload must be set-code or authorize/);
		expect(bad({ track: 'fellowship' })[0]).toMatch(/track must be root or whitelisted/);
		expect(bad({ track: 'root' }, 'council-democracy')).toContain('track only applies to route opengov');
		expect(bad({ enactmentDelay: 0 })[0]).toMatch(/enactmentDelay must be a whole number of blocks >= 1/);
		expect(bad({ conviction: 'Locked9x' })[0]).toMatch(/conviction must be one of None, Locked1x/);
		expect(bad({ votePercent: 0 })[0]).toMatch(/votePercent/);
		expect(
			bad({ multisig: { signatories: ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'], threshold: 1 } }, 'multisig-sudo')[0],
		).toMatch(/two or more/);
		expect(
			bad(
				{
					multisig: {
						signatories: [
							'5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
							'5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
						],
						threshold: 3,
					},
				},
				'multisig-sudo',
			)[0],
		).toMatch(/threshold must be a whole number from 1 to 2/);
	});

	it('has a title and description for every stage', () => {
		for (const id of ALL_STAGES) {
			expect(STAGE_INFO[id].title).toBeTruthy();
			expect(STAGE_INFO[id].description.length).toBeGreaterThan(20);
		}
	});
});

describe('a parachain environment', () => {
	const para = { ...valid, kind: 'local', route: 'parachain', parachain: { relay: 'rococo', paraId: 1000 } };

	it('names its relay environment and para id', () => {
		const result = validateEnvironment(para);
		expect(result.ok && result.env.parachain).toEqual({ relay: 'rococo', paraId: 1000 });
	});

	it('says what is missing or wrong, and refuses the set-code payload', () => {
		expect(errorsOf({ ...para, parachain: undefined })).toContain(
			'route parachain needs its relay environment and para id: --relay ENV --para-id N (e.g. --relay rococo --para-id 1000)',
		);
		expect(errorsOf({ ...para, parachain: { relay: 'westend-2', paraId: 1000 } })).toContain(
			'a parachain cannot be its own relay: --relay names the relay chain environment',
		);
		expect(errorsOf({ ...para, parachain: { relay: 'rococo', paraId: -1 } })[0]).toMatch(/para id must be a whole number/);
		expect(errorsOf({ ...para, routeOptions: { payload: 'set-code' } })[0]).toMatch(
			/route parachain carries the authorize payload only/,
		);
		expect(errorsOf({ ...valid, parachain: { relay: 'rococo', paraId: 1000 } })).toContain(
			'--relay and --para-id only apply to route parachain',
		);
	});
});
