/** `RELEASE_CONSOLE_DEBUG=/path/to/file` appends a trace of engine steps (never secrets). */
import { appendFileSync } from 'node:fs';

export function debug(line: string): void {
	const file = process.env.RELEASE_CONSOLE_DEBUG;
	if (!file) return;
	try {
		appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
	} catch {
		// tracing must never break the console
	}
}
