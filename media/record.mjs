#!/usr/bin/env node
/**
 * `npm run media`: record a real session — `release-console --demo` taking the
 * sample release 9130 → 9140 on the embedded chain — under a pseudo-terminal
 * (util-linux `script`), turn it into an asciicast v2, and render it with
 * svg-term into an animated SVG plus still screenshots.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const media = path.join(root, 'media');
const work = mkdtempSync(path.join(os.tmpdir(), 'rc-media-'));
const out = path.join(work, 'session.log');
const timing = path.join(work, 'timing.log');
const cols = 80;
const rows = 24;

console.log('recording `release-console --demo` (takes about a minute)…');
const command = `stty cols ${cols} rows ${rows}; node ${path.join(root, 'dist/cli.js')} --demo`;
// stdin stays open (an EOF would end the pseudo-terminal session); the demo plays by itself.
const status = await new Promise((resolve) => {
	const child = spawn('script', ['-q', '-e', '--log-out', out, '--log-timing', timing, '-c', command], {
		env: { ...process.env, RELEASE_CONSOLE_HOME: path.join(work, 'home'), RELEASE_CONSOLE_DEVNET_BLOCK_TIME: '2000', TERM: 'xterm-256color', FORCE_COLOR: '1' },
		stdio: ['pipe', 'ignore', 'inherit'],
	});
	const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
	child.on('exit', (code) => {
		clearTimeout(timer);
		resolve(code);
	});
});
if (status !== 0) throw new Error(`recording failed (exit ${status})`);

// util-linux timing: "<seconds since previous> <bytes>" per chunk (classic), or
// "<type> <seconds> <bytes>" (advanced); the log opens with a "Script started" line.
const bytes = readFileSync(out);
let offset = bytes.subarray(0, 15).toString() === 'Script started ' ? bytes.indexOf(10) + 1 : 0;
let time = 0;
const events = [];
for (const line of readFileSync(timing, 'utf8').split('\n')) {
	const fields = line.trim().split(/\s+/);
	if (fields.length < 2) continue;
	const [type, delay, size] = fields.length === 2 ? ['O', fields[0], fields[1]] : fields;
	if (type !== 'O') continue;
	time += Number(delay);
	const n = Number(size);
	events.push([Number(time.toFixed(6)), 'o', bytes.subarray(offset, offset + n).toString('utf8')]);
	offset += n;
}
const header = { version: 2, width: cols, height: rows, timestamp: Math.floor(Date.now() / 1000), title: 'release-console: Rococo 9130 → 9140 on the embedded chain', env: { TERM: 'xterm-256color' } };
const cast = path.join(media, 'demo.cast');
writeFileSync(cast, [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))].join('\n') + '\n');
console.log(`asciicast: ${cast} (${events.length} events, ${time.toFixed(1)} s)`);

const svgTerm = path.join(media, 'tools/node_modules/.bin/svg-term');
execFileSync(svgTerm, ['--in', cast, '--out', path.join(media, 'demo.svg'), '--window', '--width', String(cols), '--height', String(rows)], { stdio: 'inherit' });
console.log('animated SVG: media/demo.svg');

// Stills at the moments worth a look: find them by what is on screen.
const firstAt = (needle) => {
	let acc = '';
	for (const [t, , data] of events) {
		acc += data;
		if (acc.includes(needle)) return Math.round(t * 1000) + 600;
	}
	return undefined;
};
const stills = [
	['screen-artifact.svg', 'Artifact'],
	['screen-signer-prompt.svg', 'you are about to sign'],
	['screen-soak.svg', 'Soaking:'],
	['screen-complete.svg', 'Release complete'],
];
for (const [file, needle] of stills) {
	const at = firstAt(needle);
	if (at === undefined) {
		console.log(`no frame with "${needle}"; ${file} not made`);
		continue;
	}
	execFileSync(svgTerm, ['--in', cast, '--out', path.join(media, file), '--window', '--width', String(cols), '--height', String(rows), '--at', String(at)], { stdio: 'inherit' });
	console.log(`screenshot: media/${file} (at ${at} ms)`);
}
rmSync(work, { recursive: true, force: true });
