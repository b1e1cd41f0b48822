/**
 * Everything that can be wrong with a runtime artifact, as one error type with
 * a stable `code` and a message that says what to do about it. Nothing in
 * `source/artifact` lets a raw exception (fs, zstd, executor, SCALE) escape for
 * bad input: it is wrapped into an ArtifactError.
 */
import { UserError } from '../errors.js';

export type ArtifactErrorCode =
	/** No file at the path. */
	| 'not-found'
	/** The path exists but cannot be read as a file (directory, permissions, …). */
	| 'unreadable'
	/** Zero bytes. */
	| 'empty'
	/** The file ends before its own structure says it should (wasm sections or zstd blocks). */
	| 'truncated'
	/** Neither a wasm module nor a zstd-compressed blob with the Substrate prefix. */
	| 'not-wasm'
	/** Has the Substrate compression prefix but the payload is not valid zstd. */
	| 'bad-compression'
	/** Decompresses (or declares it decompresses) past the size limit. */
	| 'size-bomb'
	/** A valid wasm module that is not a Substrate runtime (no Core_version / Metadata_metadata export). */
	| 'no-runtime-exports'
	/** The executor could not run a runtime API of the module. */
	| 'execution-failed'
	/** Core_version / the runtime_version section did not decode. */
	| 'bad-version'
	/** The metadata returned by the runtime did not decode. */
	| 'bad-metadata'
	/** Metadata passed in by the caller (e.g. the target chain's) did not decode. */
	| 'bad-input-metadata'
	/** The srtool report could not be read or has no compressed-runtime digest. */
	| 'bad-srtool-report';

/** Kind `user` (exit 2): the file passed in is the problem. */
export class ArtifactError extends UserError {
	override readonly name = 'ArtifactError';

	constructor(
		readonly code: ArtifactErrorCode,
		message: string,
		/** What the user can do about it; already part of `message`, kept separately for UIs. */
		hint?: string,
		readonly path?: string,
		options?: { cause?: unknown },
	) {
		super(hint ? `${message}. ${hint}` : message, hint, options);
	}
}

export function isArtifactError(error: unknown): error is ArtifactError {
	return error instanceof ArtifactError;
}

/** A short description of anything thrown, for wrapping. */
export function describeError(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}
