/**
 * The one error base of release-console. Every error the program means to
 * show carries a `hint` (what to do next) and a `kind`, and the front ends
 * classify errors by that kind (`instanceof`), never by their name or text:
 *
 *   user     bad input (a flag, a file, a name): exit 2
 *   refused  the chain, the release's state or the outside world said no: exit 1
 *   bug      an invariant broke: exit 1, and the CLI adds "this is a bug"
 *
 * Anything thrown that is not a ConsoleError (a library's Error, a
 * SyntaxError, …) keeps the CLI's fallback: exit 1 with its message.
 *
 * This module imports nothing: every layer, the domain included, may extend it.
 */

export type ErrorKind = 'user' | 'refused' | 'bug';

/** The process exit code of each kind (0 is success; see EXIT in cli/commands/context.ts). */
export const EXIT_CODE_OF_KIND: Readonly<Record<ErrorKind, 1 | 2>> = { user: 2, refused: 1, bug: 1 };

/** The exit code for anything thrown that is not a ConsoleError. */
export const EXIT_CODE_UNCLASSIFIED = 1;

/** The line the CLI adds under a `bug` error. */
export const BUG_LINE = 'this is a bug in release-console; please report it with the command you ran and the output above';

export abstract class ConsoleError extends Error {
	/** What the user can do about it (shown under the message); undefined when there is nothing to add. */
	readonly hint?: string;

	constructor(message: string, hint?: string, options?: ErrorOptions) {
		super(message, options);
		this.hint = hint;
	}

	/** How the front ends treat the error: a getter on the class, so it is not an own (serialised) property. */
	abstract get kind(): ErrorKind;
}

/** Bad input: the user can fix it by changing what they typed or passed. */
export class UserError extends ConsoleError {
	get kind(): ErrorKind {
		return 'user';
	}
}

/** The chain, the release's state or another system refused; the input itself was well-formed. */
export class RefusedError extends ConsoleError {
	get kind(): ErrorKind {
		return 'refused';
	}
}

/** Something that must not happen did: an invariant of release-console itself broke. */
export class BugError extends ConsoleError {
	get kind(): ErrorKind {
		return 'bug';
	}
}

export function isConsoleError(error: unknown): error is ConsoleError {
	return error instanceof ConsoleError;
}

/** The kind of a ConsoleError; undefined for anything else. */
export function kindOf(error: unknown): ErrorKind | undefined {
	return error instanceof ConsoleError ? error.kind : undefined;
}

/** The process exit code for an error that ends a command. */
export function exitCodeOf(error: unknown): 1 | 2 {
	return error instanceof ConsoleError ? EXIT_CODE_OF_KIND[error.kind] : EXIT_CODE_UNCLASSIFIED;
}
