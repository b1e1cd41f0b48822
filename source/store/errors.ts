import { ReleaseError } from '../domain/errors.js';
import type { ErrorKind } from '../errors.js';

export type StoreErrorCode =
	| 'corrupt'
	| 'newer-schema'
	| 'migration-failed'
	| 'locked'
	| 'io'
	| 'not-found'
	| 'ambiguous-id'
	| 'stale-release'
	| 'invalid-release'
	| 'invalid-environment'
	| 'genesis-pinned'
	| 'builtin-environment'
	| 'environment-in-use'
	| 'secret-in-store';

export class StoreError extends ReleaseError {
	declare readonly code: StoreErrorCode;
	/** Extra lines (validation errors, conflicting ids, secret field paths). */
	readonly details: string[];

	constructor(code: StoreErrorCode, message: string, hint?: string, details: string[] = []) {
		super(code, message, hint);
		this.name = 'StoreError';
		this.details = details;
	}

	/** Every store refusal is answered by the user (a name, a file, a lock to release): exit 2. */
	override get kind(): ErrorKind {
		return 'user';
	}
}
