/**
 * The flags of every command, in one place: what meow parses (`FLAG_TYPES`) and
 * which flags each command accepts (`COMMAND_FLAGS`). `checkFlags` runs before a
 * command does any work: a flag the command does not take (a typo like `--yse`,
 * or a flag of another command) is a usage error (exit 2) naming the closest
 * valid flag, never ignored.
 *
 * Imports nothing heavy: `status --json` stays fast.
 */
import type { Result } from 'meow';
import { existsSync } from 'node:fs';
import { UserError as UsageError } from '../errors.js';
import { inlineSecretKind, isPathLikeSignerSpec, keystoreFilePath } from '../signer/spec.js';

type FlagType = { type: 'string' | 'number' | 'boolean'; isMultiple?: boolean; default?: boolean };

/** Every flag meow parses (camelCase here, kebab-case on the command line). */
export const FLAG_TYPES = {
	configDir: { type: 'string' },
	json: { type: 'boolean', default: false },
	demo: { type: 'boolean', default: false },
	release: { type: 'string' },
	multisig: { type: 'string' },
	name: { type: 'string' },
	/** Repeatable for `review` (`--wasm [ENV=]PATH`: one runtime per chain); once elsewhere. */
	wasm: { type: 'string', isMultiple: true },
	runtime: { type: 'string', isMultiple: true },
	relay: { type: 'string' },
	/** `devnet fork --para URL`: a parachain of the forked relay, forked too and joined to it. */
	para: { type: 'string', isMultiple: true },
	paraId: { type: 'number' },
	env: { type: 'string', isMultiple: true },
	signer: { type: 'string' },
	yes: { type: 'boolean', default: false },
	follow: { type: 'boolean', default: false },
	timeout: { type: 'number' },
	endpoint: { type: 'string', isMultiple: true },
	kind: { type: 'string' },
	route: { type: 'string' },
	soakBlocks: { type: 'number' },
	soakMinutes: { type: 'number' },
	maxStall: { type: 'number' },
	payload: { type: 'string' },
	external: { type: 'string' },
	track: { type: 'string' },
	signatory: { type: 'string', isMultiple: true },
	threshold: { type: 'number' },
	fastTrackPeriod: { type: 'number' },
	fastTrackDelay: { type: 'number' },
	enactmentDelay: { type: 'number' },
	conviction: { type: 'string' },
	votePercent: { type: 'number' },
	at: { type: 'string' },
	window: { type: 'boolean', default: false },
	block: { type: 'number' },
	chain: { type: 'string' },
	port: { type: 'number' },
	blockTime: { type: 'string' },
	stateFile: { type: 'string' },
	dataDir: { type: 'string' },
	against: { type: 'string' },
	srtool: { type: 'string' },
	gate: { type: 'string' },
	reason: { type: 'string' },
	group: { type: 'string' },
	member: { type: 'string', isMultiple: true },
	owns: { type: 'string', isMultiple: true },
	require: { type: 'string', isMultiple: true },
	reject: { type: 'boolean', default: false },
	reference: { type: 'string' },
	by: { type: 'string' },
	keyType: { type: 'string' },
	repo: { type: 'string' },
	from: { type: 'string' },
	to: { type: 'string' },
	branch: { type: 'string' },
	format: { type: 'string' },
	out: { type: 'string' },
	motion: { type: 'string' },
	referendum: { type: 'string' },
	preimage: { type: 'string' },
	call: { type: 'string' },
	record: { type: 'string' },
	vote: { type: 'string' },
	balance: { type: 'string' },
	signature: { type: 'string' },
	as: { type: 'string' },
	sudoAs: { type: 'string' },
	mortality: { type: 'number' },
	blocks: { type: 'number' },
	noCache: { type: 'boolean', default: false },
	dryRun: { type: 'boolean', default: false },
} as const satisfies Record<string, FlagType>;

export type FlagName = keyof typeof FLAG_TYPES;

/** The flags as meow gives them for an empty command line: booleans at their default, repeatable flags empty, the rest absent. */
export function defaultFlags(): Result<typeof FLAG_TYPES>['flags'] {
	const flags: Record<string, unknown> = {};
	for (const [name, spec] of Object.entries(FLAG_TYPES) as [string, { default?: unknown; isMultiple?: boolean }][]) {
		if (spec.default !== undefined) flags[name] = spec.default;
		else if (spec.isMultiple) flags[name] = [];
	}
	return flags as Result<typeof FLAG_TYPES>['flags'];
}

/** Accepted by every command: where the store is, and JSON output (errors too). `--help` and `--version` are meow's. */
export const GLOBAL_FLAGS: readonly FlagName[] = ['configDir', 'json'];

const ROUTE_OPTIONS: readonly FlagName[] = [
	'payload',
	'external',
	'track',
	'signatory',
	'threshold',
	'fastTrackPeriod',
	'fastTrackDelay',
	'enactmentDelay',
	'conviction',
	'votePercent',
];

/**
 * The flags each command takes besides the global ones. The key is the command,
 * or "command subcommand" where a subcommand takes other flags; `''` is the console.
 */
export const COMMAND_FLAGS: Readonly<Record<string, readonly FlagName[]>> = {
	'': ['demo', 'release'],
	new: ['name', 'wasm', 'env', 'runtime'],
	status: [],
	advance: ['env', 'signer', 'yes', 'follow', 'timeout', 'signature', 'as', 'sudoAs', 'mortality'],
	rehearse: ['env', 'block', 'blocks', 'noCache'],
	env: [],
	'env list': [],
	'env add': ['endpoint', 'kind', 'route', 'soakBlocks', 'soakMinutes', 'maxStall', 'relay', 'paraId', ...ROUTE_OPTIONS],
	'env remove': [],
	waive: ['env', 'gate', 'reason'],
	inspect: ['against', 'srtool'],
	'sample-wasm': ['out'],
	devnet: ['chain', 'port', 'blockTime', 'stateFile', 'dataDir'],
	'devnet stop': ['chain'],
	'devnet fork': ['endpoint', 'para', 'block', 'dataDir'],
	'devnet reset': ['chain'],
	recovery: ['env', 'out'],
	schedule: ['env', 'at', 'window', 'block'],
	review: [
		'env',
		'motion',
		'referendum',
		'preimage',
		'call',
		'multisig',
		'wasm',
		'record',
		'release',
		'vote',
		'signer',
		'yes',
		'conviction',
		'balance',
		'dryRun',
		'blocks',
		'noCache',
	],
	stakeholders: ['env', 'group', 'member', 'threshold', 'owns', 'require'],
	notes: ['repo', 'from', 'to', 'branch'],
	attest: ['gate', 'reference', 'env', 'by'],
	gates: ['env', 'srtool'],
	manifest: ['env'],
	signoff: ['group', 'signer', 'reject', 'reason', 'keyType'],
	'signoff import': [],
	export: ['format', 'out'],
	verify: ['wasm'],
};

/** The commands, for "did you mean" on an unknown one. */
export const COMMANDS: readonly string[] = [...new Set(Object.keys(COMMAND_FLAGS).map((k) => k.split(' ')[0]!))].filter(Boolean);

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The table entry for a command line: "env add" if it has one, else "env"; `''` for the console. */
export function tableKey(command: string | undefined, sub: string | undefined): string {
	if (!command) return '';
	if (sub !== undefined && COMMAND_FLAGS[`${command} ${sub}`]) return `${command} ${sub}`;
	return command;
}

/** The flags a command line accepts (global ones included). */
export function acceptedFlags(key: string): readonly FlagName[] {
	return [...(COMMAND_FLAGS[key] ?? []), ...GLOBAL_FLAGS];
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours (`yse` → `yes` is 1). */
export function editDistance(a: string, b: string): number {
	const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
	for (let j = 1; j <= b.length; j++) d[0]![j] = j;
	for (let i = 1; i <= a.length; i++)
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
		}
	return d[a.length]![b.length]!;
}

/** The closest of `candidates` to `word`, if it is close enough to be a typo of it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: { name: string; distance: number } | undefined;
	for (const name of candidates) {
		const distance = editDistance(word.toLowerCase(), name.toLowerCase());
		if (!best || distance < best.distance) best = { name, distance };
	}
	if (!best) return undefined;
	const limit = Math.max(1, Math.min(3, Math.floor(best.name.length / 3)));
	// A prefix is a typo too (`--fol` for `--follow`).
	return best.distance <= limit || (word.length >= 3 && best.name.startsWith(word)) ? best.name : undefined;
}

/** A flag as written on the command line: its name (without dashes) and whether it carried `=value`. */
interface GivenFlag {
	written: string;
	name: string;
	inline: boolean;
}

/** The flags written in `argv` (process.argv after node and the script), up to a `--`. */
export function givenFlags(argv: readonly string[]): GivenFlag[] {
	const out: GivenFlag[] = [];
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		if (token === '--') break;
		if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) continue;
		const body = token.replace(/^--?/, '');
		const inline = body.includes('=');
		const written = body.split('=')[0]!;
		let name = camel(written);
		// `--no-follow` is the negation of a boolean flag
		if (name.startsWith('no') && !(name in FLAG_TYPES)) {
			const negated = name.slice(2, 3).toLowerCase() + name.slice(3);
			if ((FLAG_TYPES as Record<string, FlagType>)[negated]?.type === 'boolean') name = negated;
		}
		out.push({ written: token.split('=')[0]!, name, inline });
		const type = (FLAG_TYPES as Record<string, FlagType>)[name]?.type;
		// a value in the next word (as meow reads it): skip it
		if (!inline && type && type !== 'boolean' && i + 1 < argv.length && (!argv[i + 1]!.startsWith('-') || /^-\d/.test(argv[i + 1]!)))
			i++;
	}
	return out;
}

/** Where else a flag is accepted (for "--port is a flag of devnet"). */
function commandsTaking(name: string): string[] {
	return Object.entries(COMMAND_FLAGS)
		.filter(([, names]) => (names as readonly string[]).includes(name))
		.map(([key]) => key || 'the console (no command)');
}

/**
 * Refuse, before any work, a command line with a flag its command does not take,
 * a flag without its value, or a number flag given something else.
 */
export function checkFlags(
	argv: readonly string[],
	command: string | undefined,
	sub: string | undefined,
	parsed: Record<string, unknown>,
): void {
	if (command && !COMMANDS.includes(command)) {
		const guess = closest(command, COMMANDS);
		throw new UsageError(
			`unknown command "${command}"${guess ? `; did you mean ${guess}?` : ''}`,
			`commands: ${COMMANDS.join(', ')}; run \`release-console --help\``,
		);
	}
	const key = tableKey(command, sub);
	const accepted = acceptedFlags(key) as readonly string[];
	const where = key ? `\`${key}\`` : 'the console';
	const list = `flags of ${where}: ${accepted.map((n) => `--${kebab(n)}`).join(', ')}`;
	for (const flag of givenFlags(argv)) {
		if (flag.name === 'help' || flag.name === 'version') continue;
		if (!accepted.includes(flag.name)) {
			const guess = closest(flag.name, accepted) ?? closest(kebab(flag.name), accepted.map(kebab));
			const known = flag.name in FLAG_TYPES;
			const elsewhere = known ? commandsTaking(flag.name) : [];
			throw new UsageError(
				`unknown flag ${flag.written} for ${where}${guess ? `; did you mean --${kebab(camel(guess))}?` : ''}`,
				`${elsewhere.length > 0 ? `${flag.written} is a flag of ${elsewhere.map((c) => `\`${c}\``).join(', ')}; ` : ''}${list}; see \`release-console --help\``,
			);
		}
		const type = (FLAG_TYPES as Record<string, FlagType>)[flag.name]!.type;
		const raw = parsed[flag.name];
		const values = Array.isArray(raw) ? raw : [raw];
		if (type === 'string' && values.some((v) => v === '' || v === undefined))
			throw new UsageError(`${flag.written} needs a value`, `e.g. ${flag.written} VALUE (or ${flag.written}=VALUE); ${list}`);
		if (type === 'number' && values.some((v) => typeof v !== 'number' || Number.isNaN(v)))
			throw new UsageError(`${flag.written} needs a number`, `e.g. ${flag.written} 10`);
	}
}

/**
 * A `--signer` value is checked before anything else runs: a mnemonic or a raw seed
 * written on the command line is refused (it lands in `ps`, the shell history and CI
 * logs), and a keystore file that does not exist is named before any password prompt.
 */
export function checkSignerFlag(spec: string | undefined, cwd = process.cwd()): void {
	if (spec === undefined) return;
	const secret = inlineSecretKind(spec);
	if (secret)
		throw new UsageError(
			`--signer was given ${secret === 'mnemonic' ? 'a mnemonic (or secret URI)' : 'a raw seed'} on the command line; refused: it would be visible in \`ps\` and kept in the shell history`,
			'keep the secret out of the command line: put it in an environment variable and pass --signer env:VAR (e.g. env:RELEASE_CONSOLE_SURI), pass a keystore JSON file (--signer ./key.json; its password from RELEASE_CONSOLE_PASSWORD or a prompt), or type it at the console’s signer prompt; dev URIs like //Alice are fine on local and testnet environments',
		);
	if (isPathLikeSignerSpec(spec.trim())) {
		const file = keystoreFilePath(spec, cwd);
		if (!existsSync(file))
			throw new UsageError(
				`keystore file ${file} does not exist`,
				'pass the path of a polkadot-js keystore JSON (exported from polkadot-js, Talisman or subkey), or use --signer env:VAR',
			);
	}
}

/** A flag given at most once (a repeatable one, like --wasm, on a command that takes one): its value. */
export function single(values: readonly string[] | undefined, flag: string, command: string): string | undefined {
	if (!values || values.length === 0) return undefined;
	if (values.length > 1)
		throw new UsageError(`${command} takes --${flag} once (got ${values.length})`, `pass the one ${flag} file ${command} is about`);
	return values[0];
}
