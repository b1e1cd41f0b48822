import type { RouteKind, RouteOptions, StageId } from './types.js';

/** Every stage, in travel order. */
export const ALL_STAGES: readonly StageId[] = [
	'artifact',
	'authorize',
	'preimage',
	'upgrade',
	'multisig',
	'council',
	'fast-track',
	'whitelist',
	'referendum',
	'enactment',
	'apply',
	'pending',
	'verify',
	'soak',
];

export const ALL_ROUTES: readonly RouteKind[] = ['sudo', 'multisig-sudo', 'council-democracy', 'opengov', 'parachain'];

/** Routes the console can actually drive today. */
export const SUPPORTED_ROUTES: readonly RouteKind[] = ['sudo', 'multisig-sudo', 'council-democracy', 'opengov', 'parachain'];

export const STAGE_INFO: Readonly<Record<StageId, { title: string; description: string }>> = {
	artifact: {
		title: 'Artifact',
		description: 'Read the wasm, record its code hash and runtime version, and check it against the chain.',
	},
	authorize: {
		title: 'Authorize',
		description:
			"The relay chain's Root authorizes the parachain's code hash: an XCM Transact (Superuser) of authorizeUpgrade(code_hash), sent by the relay's route; the parachain shows UpgradeAuthorized.",
	},
	preimage: {
		title: 'Preimage',
		description:
			'Note the call the governance decides on (setCode with the wasm, or authorizeUpgrade with its hash); record its hash and length.',
	},
	upgrade: {
		title: 'Upgrade',
		description: 'Sign and submit the sudo call, and wait until it is included in a block.',
	},
	multisig: {
		title: 'Multisig',
		description: 'The sudo key is a multisig: each signatory approves the call hash; the last one submits the call.',
	},
	council: {
		title: 'Council',
		description: 'A council motion for the external proposal; members vote; close once the threshold is met.',
	},
	'fast-track': {
		title: 'Fast-track',
		description: 'A technical committee motion for democracy.fastTrack; members vote; close.',
	},
	whitelist: {
		title: 'Whitelist',
		description: 'The call hash is whitelisted (whitelist.whitelistCall) before the public referendum dispatches it.',
	},
	referendum: {
		title: 'Referendum',
		description: 'The referendum on the proposal: live tally and periods, votes with conviction.',
	},
	enactment: {
		title: 'Enactment',
		description:
			'The scheduler dispatches the approved call at its block: CodeUpdated, or UpgradeAuthorized for the hash-first payload.',
	},
	apply: {
		title: 'Apply',
		description:
			'The chain holds the authorized code hash: submit the code (system.applyAuthorizedUpgrade); the chain checks the hash.',
	},
	pending: {
		title: 'Pending',
		description:
			'The parachain holds the code (ValidationFunctionStored) until the relay chain gives the go-ahead; then ValidationFunctionApplied and CodeUpdated.',
	},
	verify: {
		title: 'Verify',
		description: 'Confirm the chain now runs the new spec version and that :code matches the artifact hash.',
	},
	soak: {
		title: 'Soak',
		description: 'Watch the chain keep producing blocks on the new runtime for the soak period.',
	},
};

/**
 * The stages an environment goes through for a route and payload.
 * Returns a fresh array each call.
 */
export function stagesFor(route: RouteKind, options: RouteOptions = {}): StageId[] {
	const apply: StageId[] = options.payload === 'authorize' ? ['apply'] : [];
	switch (route) {
		case 'multisig-sudo':
			return ['artifact', 'multisig', ...apply, 'verify', 'soak'];
		case 'council-democracy':
			return ['artifact', 'preimage', 'council', 'fast-track', 'referendum', 'enactment', ...apply, 'verify', 'soak'];
		case 'opengov':
			return [
				'artifact',
				'preimage',
				...(options.track === 'whitelisted' ? (['whitelist'] as StageId[]) : []),
				'referendum',
				'enactment',
				...apply,
				'verify',
				'soak',
			];
		case 'parachain':
			return ['artifact', 'authorize', 'apply', 'pending', 'verify', 'soak'];
		case 'sudo':
		default:
			return ['artifact', 'upgrade', ...apply, 'verify', 'soak'];
	}
}

export function isRouteSupported(route: RouteKind): boolean {
	return SUPPORTED_ROUTES.includes(route);
}

export function routeSupport(route: RouteKind): { supported: boolean; message: string } {
	const list = SUPPORTED_ROUTES.join(', ');
	if (isRouteSupported(route)) {
		return { supported: true, message: `route ${route} is supported` };
	}
	return {
		supported: false,
		message: `route ${route} is not supported yet; supported routes: ${list}`,
	};
}

export function stageTitle(stage: StageId): string {
	return STAGE_INFO[stage]?.title ?? stage;
}
