import { ConsoleError, type ErrorKind } from '../errors.js';

/**
 * The one error type of the release domain. Every refusal carries a stable
 * `code` (for tests and `--json` output) and a `hint` telling the engineer
 * what to do next. Store, signer and notes errors extend it so the UI can show
 * any of them the same way.
 *
 * Its kind is `refused` (the release's state says no; exit 1); StoreError
 * overrides it with `user` (exit 2).
 */
export class ReleaseError extends ConsoleError {
	readonly code: string;

	constructor(code: string, message: string, hint?: string) {
		super(message, hint);
		this.name = 'ReleaseError';
		this.code = code;
	}

	get kind(): ErrorKind {
		return 'refused';
	}
}

export function isReleaseError(error: unknown): error is ReleaseError {
	return error instanceof ReleaseError;
}

/** "message (hint)" on one line, for logs and plain CLI output. */
export function formatReleaseError(error: unknown): string {
	if (error instanceof ReleaseError) {
		return error.hint ? `${error.message}\n  → ${error.hint}` : error.message;
	}
	return error instanceof Error ? error.message : String(error);
}
