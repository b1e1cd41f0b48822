/**
 * The one error type of the release domain. Every refusal carries a stable
 * `code` (for tests and `--json` output) and a `hint` telling the engineer
 * what to do next. Store and signer errors extend it so the UI can show any
 * of them the same way.
 */
export class ReleaseError extends Error {
	readonly code: string;
	readonly hint?: string;

	constructor(code: string, message: string, hint?: string) {
		super(message);
		this.name = 'ReleaseError';
		this.code = code;
		if (hint !== undefined) this.hint = hint;
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
