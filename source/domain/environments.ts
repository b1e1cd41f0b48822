import {
	EMBEDDED_ENDPOINTS,
	EMBEDDED_ROCOCO,
	type RouteOptions,
	type Environment,
	type EnvironmentKind,
	type Hex,
	type RouteKind,
	type SoakPolicy,
} from './types.js';
import { ALL_ROUTES } from './stages.js';

export const ENVIRONMENT_KINDS: readonly EnvironmentKind[] = ['local', 'testnet', 'production'];
export const BUILTIN_DEVNET_NAME = 'devnet';
export const ENV_NAME_PATTERN = /^[a-z0-9-]+$/;
const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/;

export const PRODUCTION_SUDO_REFUSAL =
	'an upgrade on production cannot hang on a single signature; use multisig-sudo, council-democracy or opengov';

export type ValidateEnvironmentResult = { ok: true; env: Environment } | { ok: false; errors: string[] };

export function defaultSoakPolicy(kind: EnvironmentKind): SoakPolicy {
	switch (kind) {
		case 'local':
			return { minBlocks: 10, minSeconds: 60, maxStallSeconds: 60 };
		case 'testnet':
			return { minBlocks: 3000, minSeconds: 6 * 3600, maxStallSeconds: 60 };
		case 'production':
			return { minBlocks: 600, minSeconds: 3600, maxStallSeconds: 60 };
	}
}

/** The embedded Rococo devnet that is always available. */
export function builtinDevnetEnvironment(): Environment {
	return {
		name: BUILTIN_DEVNET_NAME,
		endpoints: [EMBEDDED_ROCOCO],
		kind: 'local',
		route: 'sudo',
		soak: { minBlocks: 5, minSeconds: 30, maxStallSeconds: 30 },
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function endpointProblem(endpoint: unknown, index: number): string | undefined {
	const label = `endpoints[${index}]`;
	if (typeof endpoint !== 'string' || endpoint.trim() === '') {
		return `${label} must be a non-empty string`;
	}
	if (EMBEDDED_ENDPOINTS.includes(endpoint)) return undefined;
	if (endpoint !== endpoint.trim()) return `${label} "${endpoint}" has leading or trailing spaces`;
	if (endpoint.startsWith('embedded:'))
		return `${label} "${endpoint}" is no embedded chain; the embedded endpoints are ${EMBEDDED_ENDPOINTS.join(', ')}`;
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return `${label} "${endpoint}" is not a URL; use ws://host:port, wss://host or ${EMBEDDED_ROCOCO}`;
	}
	if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
		return `${label} "${endpoint}" uses ${url.protocol.replace(/:$/, '')}; only ws:// and wss:// endpoints (or ${EMBEDDED_ROCOCO}) are supported`;
	}
	if (!url.hostname) return `${label} "${endpoint}" has no host`;
	return undefined;
}

/**
 * Validate user input (e.g. from `env add` or the store) into an Environment.
 * Unknown fields are dropped; a missing `soak` is filled from `defaultSoakPolicy(kind)`.
 */
export function validateEnvironment(input: unknown): ValidateEnvironmentResult {
	if (!isRecord(input)) {
		return { ok: false, errors: ['environment must be an object'] };
	}
	const errors: string[] = [];

	const { name, endpoints, kind, route, genesisHash, soak } = input;

	if (typeof name !== 'string' || name === '') {
		errors.push('name is required');
	} else if (!ENV_NAME_PATTERN.test(name)) {
		errors.push(`name "${name}" may only contain lowercase letters, digits and dashes (a-z, 0-9, -)`);
	}

	const kindOk = typeof kind === 'string' && (ENVIRONMENT_KINDS as readonly string[]).includes(kind);
	if (!kindOk) {
		errors.push(`kind must be one of ${ENVIRONMENT_KINDS.join(', ')}${kind === undefined ? '' : ` (got ${JSON.stringify(kind)})`}`);
	}
	const routeOk = typeof route === 'string' && (ALL_ROUTES as readonly string[]).includes(route);
	if (!routeOk) {
		errors.push(`route must be one of ${ALL_ROUTES.join(', ')}${route === undefined ? '' : ` (got ${JSON.stringify(route)})`}`);
	}

	if (!Array.isArray(endpoints) || endpoints.length === 0) {
		errors.push(`endpoints must be a non-empty list (ws://, wss:// or ${EMBEDDED_ROCOCO})`);
	} else {
		endpoints.forEach((endpoint, index) => {
			const problem = endpointProblem(endpoint, index);
			if (problem) errors.push(problem);
		});
		const seen = new Set<unknown>();
		for (const endpoint of endpoints) {
			if (seen.has(endpoint)) errors.push(`endpoint "${String(endpoint)}" is listed twice`);
			seen.add(endpoint);
		}
		const embedded = (endpoints as unknown[]).find((e) => EMBEDDED_ENDPOINTS.includes(e as string));
		if (kindOk && kind !== 'local' && embedded) {
			errors.push(`${String(embedded)} is only allowed for kind local (this environment is ${String(kind)})`);
		}
	}

	if (kind === 'production' && route === 'sudo') {
		errors.push(PRODUCTION_SUDO_REFUSAL);
	}

	const routeOptions = validateRouteOptions(input.routeOptions, route, errors);
	const parachain = validateParachain(input.parachain, route, name, errors);
	if (route === 'parachain' && routeOptions?.payload === 'set-code')
		errors.push(
			'route parachain carries the authorize payload only: the relay authorizes the code hash and the code is applied on the parachain (drop --payload set-code)',
		);

	if (genesisHash !== undefined && (typeof genesisHash !== 'string' || !HASH_PATTERN.test(genesisHash))) {
		errors.push('genesisHash must be 0x followed by 64 hex digits');
	}

	let soakPolicy: SoakPolicy | undefined;
	if (soak === undefined) {
		soakPolicy = kindOk ? defaultSoakPolicy(kind as EnvironmentKind) : undefined;
	} else if (!isRecord(soak)) {
		errors.push('soak must be an object {minBlocks, minSeconds, maxStallSeconds}');
	} else {
		const numbers: Array<[keyof SoakPolicy, boolean]> = [
			['minBlocks', true],
			['minSeconds', false],
			['maxStallSeconds', false],
		];
		for (const [field, integer] of numbers) {
			const value = soak[field];
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				errors.push(`soak.${field} must be a number`);
			} else if (value < 0) {
				errors.push(`soak.${field} must be >= 0 (got ${value})`);
			} else if (integer && !Number.isInteger(value)) {
				errors.push(`soak.${field} must be a whole number of blocks (got ${value})`);
			}
		}
		if (typeof soak.maxStallSeconds === 'number' && soak.maxStallSeconds === 0) {
			errors.push('soak.maxStallSeconds must be > 0 (0 would count every block gap as a stall)');
		}
		soakPolicy = {
			minBlocks: soak.minBlocks as number,
			minSeconds: soak.minSeconds as number,
			maxStallSeconds: soak.maxStallSeconds as number,
		};
	}

	if (errors.length > 0 || !soakPolicy) {
		return { ok: false, errors };
	}

	const env: Environment = {
		name: name as string,
		endpoints: [...(endpoints as string[])],
		kind: kind as EnvironmentKind,
		route: route as RouteKind,
		soak: soakPolicy,
	};
	if (genesisHash !== undefined) env.genesisHash = (genesisHash as string).toLowerCase() as Hex;
	if (routeOptions && Object.keys(routeOptions).length > 0) env.routeOptions = routeOptions;
	if (parachain) env.parachain = parachain;
	return { ok: true, env };
}

/** A parachain environment names its relay environment and its para id there; no other route has them. */
function validateParachain(input: unknown, route: unknown, name: unknown, errors: string[]): Environment['parachain'] {
	if (input === undefined) {
		if (route === 'parachain')
			errors.push(
				'route parachain needs its relay environment and para id: --relay ENV --para-id N (e.g. --relay rococo --para-id 1000)',
			);
		return undefined;
	}
	if (route !== 'parachain') {
		errors.push('--relay and --para-id only apply to route parachain');
		return undefined;
	}
	if (!isRecord(input)) {
		errors.push('parachain must be an object {relay, paraId}');
		return undefined;
	}
	const { relay, paraId } = input;
	let ok = true;
	if (typeof relay !== 'string' || !ENV_NAME_PATTERN.test(relay)) {
		errors.push(`the relay must be an environment name (got ${JSON.stringify(relay)})`);
		ok = false;
	} else if (relay === name) {
		errors.push('a parachain cannot be its own relay: --relay names the relay chain environment');
		ok = false;
	}
	if (typeof paraId !== 'number' || !Number.isInteger(paraId) || paraId < 0 || paraId > 0xffffffff) {
		errors.push(`the para id must be a whole number from 0 to 4294967295 (got ${JSON.stringify(paraId)})`);
		ok = false;
	}
	return ok ? { relay: relay as string, paraId: paraId as number } : undefined;
}

const CONVICTIONS = ['None', 'Locked1x', 'Locked2x', 'Locked3x', 'Locked4x', 'Locked5x', 'Locked6x'] as const;
const SS58_PATTERN = /^[1-9A-HJ-NP-Za-km-z]{40,60}$|^0x[0-9a-fA-F]{64}$/;

/** Route options: each field checked; errors pushed with what to write instead. */
export function validateRouteOptions(input: unknown, route: unknown, errors: string[]): RouteOptions | undefined {
	if (input === undefined) {
		if (route === 'multisig-sudo')
			errors.push('route multisig-sudo needs the multisig: --signatory ADDRESS (two or more) and --threshold N');
		return undefined;
	}
	if (!isRecord(input)) {
		errors.push('routeOptions must be an object');
		return undefined;
	}
	const out: RouteOptions = {};
	const { payload, external, fastTrackVotingPeriod, fastTrackDelay, track, enactmentDelay, multisig, conviction, votePercent } = input;
	if (payload !== undefined) {
		if (payload === 'set-code' || payload === 'authorize') out.payload = payload;
		else errors.push(`payload must be set-code or authorize (got ${JSON.stringify(payload)})`);
	}
	if (external !== undefined) {
		if (external === 'majority' || external === 'default' || external === 'plain') out.external = external;
		else errors.push(`external must be majority, default or plain (got ${JSON.stringify(external)})`);
	}
	if (track !== undefined) {
		if (track === 'root' || track === 'whitelisted') out.track = track;
		else errors.push(`track must be root or whitelisted (got ${JSON.stringify(track)})`);
	}
	const blocks = (name: string, value: unknown, min: number): number | undefined => {
		if (value === undefined) return undefined;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
			errors.push(`${name} must be a whole number of blocks >= ${min} (got ${JSON.stringify(value)})`);
			return undefined;
		}
		return value;
	};
	const ftp = blocks('fastTrackVotingPeriod', fastTrackVotingPeriod, 1);
	if (ftp !== undefined) out.fastTrackVotingPeriod = ftp;
	const ftd = blocks('fastTrackDelay', fastTrackDelay, 0);
	if (ftd !== undefined) out.fastTrackDelay = ftd;
	const ed = blocks('enactmentDelay', enactmentDelay, 1);
	if (ed !== undefined) out.enactmentDelay = ed;
	if (conviction !== undefined) {
		if ((CONVICTIONS as readonly unknown[]).includes(conviction)) out.conviction = conviction as RouteOptions['conviction'];
		else errors.push(`conviction must be one of ${CONVICTIONS.join(', ')} (got ${JSON.stringify(conviction)})`);
	}
	if (votePercent !== undefined) {
		if (typeof votePercent === 'number' && votePercent > 0 && votePercent <= 100) out.votePercent = votePercent;
		else errors.push(`votePercent must be a number in (0, 100] (got ${JSON.stringify(votePercent)})`);
	}
	if (multisig !== undefined) {
		const m = isRecord(multisig) ? multisig : undefined;
		const signatories = Array.isArray(m?.signatories) ? (m!.signatories as unknown[]) : undefined;
		const threshold = m?.threshold;
		if (!signatories || signatories.length < 2 || signatories.some((s) => typeof s !== 'string' || !SS58_PATTERN.test(s))) {
			errors.push('multisig.signatories must be two or more SS58 addresses (or 0x public keys)');
		} else if (new Set(signatories).size !== signatories.length) {
			errors.push('multisig.signatories lists an address twice');
		} else if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1 || threshold > signatories.length) {
			errors.push(`multisig.threshold must be a whole number from 1 to ${signatories.length} (got ${JSON.stringify(threshold)})`);
		} else {
			out.multisig = { signatories: signatories as string[], threshold };
		}
	} else if (route === 'multisig-sudo') {
		errors.push('route multisig-sudo needs the multisig: --signatory ADDRESS (two or more) and --threshold N');
	}
	if (route !== 'opengov' && out.track) errors.push('track only applies to route opengov');
	return out;
}

export type GenesisCheck =
	{ ok: true; /** Present when the environment had no pin: the caller should save it. */ pin?: Hex } | { ok: false; error: string };

/**
 * Compare the genesis hash an endpoint reports with the environment's pin.
 * No pin yet → `{ok: true, pin}` (persist it); equal → `{ok: true}`; different → refusal.
 */
export function checkGenesis(env: Environment, genesisHash: Hex, endpoint?: string): GenesisCheck {
	const where = endpoint ?? env.endpoints[0] ?? env.name;
	if (typeof genesisHash !== 'string' || !HASH_PATTERN.test(genesisHash)) {
		return { ok: false, error: `endpoint ${where} reported an invalid genesis hash ${JSON.stringify(genesisHash)}` };
	}
	const reported = genesisHash.toLowerCase() as Hex;
	if (!env.genesisHash) return { ok: true, pin: reported };
	if (env.genesisHash.toLowerCase() === reported) return { ok: true };
	return {
		ok: false,
		error:
			`endpoint ${where} has genesis ${reported} but environment ${env.name} is pinned to ${env.genesisHash.toLowerCase()}; ` +
			'if the chain was really reset, remove and re-add the environment',
	};
}
