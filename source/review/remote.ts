/**
 * The parachains a reviewed relay sends to: each parachain environment of the
 * relay is connected, so a call an XCM `Transact` carries to it is decoded with
 * that chain's own metadata (review/decode.ts). One that cannot be reached is
 * named, and its calls stay opaque (with their hash).
 */
import type { Call } from '@polkadot/types/interfaces';
import type { Environment } from '../domain/types.js';
import type { Connection } from '../chain/connect.js';
import type { RemoteDecoder } from './decode.js';
import type { ParaEndpoint } from './review.js';

export interface ParaDecoders {
	decodeRemote: RemoteDecoder;
	/** The parachains that could be reached, with their endpoints: a dry-run forks the ones the proposal's XCM goes to. */
	endpoints: ParaEndpoint[];
	/** The parachains that could not be reached, one line each. */
	warnings: string[];
	close: () => Promise<void>;
}

export async function openParaDecoders(
	relay: Environment,
	environments: readonly Environment[],
	connect: (env: Environment) => Promise<Connection>,
): Promise<ParaDecoders> {
	const paras: Array<{ paraId: number; env: string; connection: Connection }> = [];
	const warnings: string[] = [];
	for (const other of environments.filter((e) => e.parachain?.relay === relay.name)) {
		try {
			paras.push({ paraId: other.parachain!.paraId, env: other.name, connection: await connect(other) });
		} catch (error) {
			warnings.push(
				`${other.name} (para ${other.parachain!.paraId}) cannot be reached: ${(error as Error).message}; calls sent to it are shown undecoded`,
			);
		}
	}
	return {
		decodeRemote: (paraId: number, bytes: Uint8Array) => {
			const para = paras.find((p) => p.paraId === paraId);
			if (!para) return undefined;
			try {
				return para.connection.api.registry.createType('Call', bytes) as unknown as Call;
			} catch {
				return undefined;
			}
		},
		endpoints: paras.map((p) => ({ paraId: p.paraId, env: p.env, endpoint: p.connection.endpoint })),
		warnings,
		close: async () => {
			for (const p of paras) await p.connection.disconnect().catch(() => {});
		},
	};
}
