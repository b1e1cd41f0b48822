import type { RouteKind, StageId } from './types.js';

/** Every stage, in travel order. */
export const ALL_STAGES: readonly StageId[] = ['artifact', 'upgrade', 'verify', 'soak'];

export const ALL_ROUTES: readonly RouteKind[] = ['sudo', 'multisig-sudo', 'council-democracy', 'opengov'];

/** Routes the console can actually drive today. */
export const SUPPORTED_ROUTES: readonly RouteKind[] = ['sudo'];

export const STAGE_INFO: Readonly<Record<StageId, { title: string; description: string }>> = {
	artifact: {
		title: 'Artifact',
		description: 'Read the wasm, record its code hash and runtime version, and check it against the chain.',
	},
	upgrade: {
		title: 'Upgrade',
		description: 'Sign and submit the setCode call, and wait until it is included in a block.',
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
 * The stages an environment goes through for a route. Only `sudo` is built;
 * the other routes get the same list for now (see `routeSupport`).
 * Returns a fresh array each call.
 */
export function stagesFor(route: RouteKind): StageId[] {
	switch (route) {
		case 'sudo':
		case 'multisig-sudo':
		case 'council-democracy':
		case 'opengov':
			return [...ALL_STAGES];
		default:
			return [...ALL_STAGES];
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
