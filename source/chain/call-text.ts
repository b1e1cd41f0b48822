/**
 * A call as people read it: one line with large byte arguments summarised,
 * or one line per argument with nested calls indented.
 */
import type { Call } from '@polkadot/types/interfaces';

/** A call's arguments: each with its name, and the nested call when it is one. */
function callArgs(call: Call): Array<{ name: string; call?: Call; text: string }> {
	return call.args.map((arg, i) => {
		const name = call.meta.args[i]?.name.toString() ?? `arg${i}`;
		const maybeCall = arg as unknown as Partial<Call>;
		if (typeof maybeCall.section === 'string' && typeof maybeCall.method === 'string' && Array.isArray(maybeCall.args)) {
			return { name, call: arg as unknown as Call, text: '' };
		}
		const u8a = arg.toU8a(true);
		return { name, text: u8a.length > 64 ? `<${u8a.length.toLocaleString('en-US')} bytes>` : arg.toString() };
	});
}

/** One line for a call, with large byte arguments summarised. */
export function callOneLine(call: Call): string {
	const args = callArgs(call).map((a) => `${a.name}: ${a.call ? callOneLine(a.call) : a.text}`);
	return `${call.section}.${call.method}(${args.join(', ')})`;
}

/**
 * The call as the signer prompt shows it: one line when it fits, otherwise
 * one line per argument, nested calls indented.
 */
export function describeCall(call: Call, depth = 0, width = 60): string[] {
	const pad = '  '.repeat(depth);
	const one = callOneLine(call);
	if (pad.length + one.length <= width) return [`${pad}${one}`];
	const lines = [`${pad}${call.section}.${call.method}(`];
	for (const arg of callArgs(call)) {
		if (!arg.call) {
			lines.push(`${pad}  ${arg.name}: ${arg.text}`);
			continue;
		}
		const inner = describeCall(arg.call, depth + 1, width);
		if (inner.length === 1) lines.push(`${pad}  ${arg.name}: ${inner[0]!.trimStart()}`);
		else lines.push(`${pad}  ${arg.name}:`, ...describeCall(arg.call, depth + 2, width));
	}
	lines[lines.length - 1] += ')';
	return lines;
}
