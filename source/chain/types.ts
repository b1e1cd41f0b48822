import type { Hex } from '../domain/types.js';

export type ConnectionState =
	| { status: 'idle' }
	| { status: 'starting-embedded'; chain: string }
	| { status: 'connecting'; endpoint: string }
	/** `skipped`: earlier endpoints of the environment that did not answer; `reconnects`: attempts it took after a loss. */
	| { status: 'connected'; endpoint: string; skipped?: string[]; reconnects?: number }
	/** `endpoint`: the one the next attempt tries; `nextAttemptAt`: wall time (ms) of that attempt. */
	| { status: 'reconnecting'; endpoint: string; attempt: number; backoffMs: number; nextAttemptAt?: number }
	| { status: 'error'; endpoint: string; message: string };

/** What the live chain panel shows; filled from subscriptions, never from polling. */
export interface ChainState {
	connection: ConnectionState;
	chainName?: string;
	/** True when the node says it is a simulation (e.g. the governance devnet). */
	simulated?: boolean;
	/** True when the node says it runs a chain's real genesis runtime with its governance members replaced (embedded Kusama 1020, Polkadot 0). */
	rehearsalGenesis?: boolean;
	genesisHash?: Hex;
	bestNumber?: number;
	finalizedNumber?: number;
	/** Local wall time (ms since epoch) when the latest best head arrived. */
	lastBlockAt?: number;
	specName?: string;
	specVersion?: number;
	transactionVersion?: number;
	/** blake2-256 of the on-chain `:code`. */
	codeHash?: Hex;
}

/** What a signer prompt shows before anything is signed. */
export interface SignerPromptModel {
	env: string;
	envKind: string;
	signerAddress: string;
	/** The signer as the person knows it: "dev account //Alice", "keystore ./k.json (name)", "secret from $VAR". */
	signerLabel?: string;
	/** e.g. "is the sudo key (Sudo.Key)" */
	authority: string;
	/** Whether this signer has the role the step needs (the authority text says why, or why not). */
	authorityOk?: boolean;
	/** The role the step needs, e.g. "the sudo key", "a member of the Council". */
	role?: string;
	/** Human-readable decoded call, one line per nesting level. */
	callLines: string[];
	callHash: Hex;
	encodedLength: number;
	fee?: string;
	nonce: number;
	/** Problems that forbid signing; when non-empty, confirming is refused. */
	refusals: string[];
	/** What to do instead, when it is refused (e.g. the rehearsal path a local chain allows). */
	refusalHint?: string;
	/** What this step does in the route, e.g. "vote aye on council motion #0 (2 of 3 ayes needed)". */
	purpose?: string;
	/** Facts the signer should check: preimage hash and length, code hash, threshold, deposit. */
	facts?: Array<{ label: string; value: string }>;
}
