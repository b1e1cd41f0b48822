/**
 * A simple advisory lock: `store.lock` created with O_EXCL ("wx") holding the
 * owner's pid. A lock whose pid is no longer alive (on this host) is stale
 * and taken over. Locks are re-entrant within a process.
 */
import fs from 'node:fs';
import os from 'node:os';
import { StoreError } from './errors.js';

export interface LockInfo {
	pid: number;
	hostname: string;
	at: string;
}

export interface LockOptions {
	/** How long to wait for a held lock before giving up (default 2000 ms). */
	waitMs?: number;
	/** What the lock protects, for messages (e.g. the store file path). */
	label?: string;
}

/** Lock files this process holds, with their re-entry depth. */
const held = new Map<string, number>();

/** An unreadable lock younger than this is assumed to be mid-creation. */
const UNREADABLE_GRACE_MS = 5_000;

export function isPidAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function readLock(lockPath: string): LockInfo | undefined {
	try {
		const parsed = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<LockInfo>;
		if (typeof parsed.pid !== 'number') return undefined;
		return { pid: parsed.pid, hostname: String(parsed.hostname ?? ''), at: String(parsed.at ?? '') };
	} catch {
		return undefined;
	}
}

function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

type LockState = { kind: 'gone' } | { kind: 'stale'; raw: string } | { kind: 'held'; info?: LockInfo };

function inspect(lockPath: string): LockState {
	let raw: string;
	let mtimeMs: number;
	try {
		raw = fs.readFileSync(lockPath, 'utf8');
		mtimeMs = fs.statSync(lockPath).mtimeMs;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
		throw error;
	}
	const info = readLock(lockPath);
	if (!info) {
		return Date.now() - mtimeMs > UNREADABLE_GRACE_MS ? { kind: 'stale', raw } : { kind: 'held' };
	}
	if (info.hostname && info.hostname !== os.hostname()) return { kind: 'held', info };
	if (info.pid === process.pid) {
		// Ours but not in `held`: a leftover of this very process.
		return held.has(lockPath) ? { kind: 'held', info } : { kind: 'stale', raw };
	}
	return isPidAlive(info.pid) ? { kind: 'held', info } : { kind: 'stale', raw };
}

/** Move a stale lock aside; if it turns out a fresh lock was grabbed instead, put that one back. */
function breakStale(lockPath: string, raw: string): void {
	const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
	try {
		fs.renameSync(lockPath, aside);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	try {
		if (fs.readFileSync(aside, 'utf8') !== raw) {
			try {
				fs.linkSync(aside, lockPath);
			} catch {
				// Someone holds the lock again; theirs wins.
			}
		}
	} finally {
		fs.rmSync(aside, { force: true });
	}
}

function lockedError(lockPath: string, info: LockInfo | undefined, label: string): StoreError {
	const who = info
		? `pid ${info.pid}${info.hostname && info.hostname !== os.hostname() ? ` on ${info.hostname}` : ''}${info.at ? `, since ${info.at}` : ''}`
		: 'pid unknown';
	return new StoreError(
		'locked',
		`another release-console (${who}) is writing ${label}; wait for it to finish and try again`,
		`if no other release-console is running, delete ${lockPath}`,
	);
}

/** Take the lock; returns the function that releases it. */
export function acquireLock(lockPath: string, options: LockOptions = {}): () => void {
	const depth = held.get(lockPath);
	if (depth !== undefined) {
		held.set(lockPath, depth + 1);
		return once(() => release(lockPath));
	}
	const label = options.label ?? lockPath;
	const deadline = Date.now() + (options.waitMs ?? 2_000);
	for (;;) {
		const info: LockInfo = { pid: process.pid, hostname: os.hostname(), at: new Date().toISOString() };
		try {
			const fd = fs.openSync(lockPath, 'wx', 0o600);
			try {
				fs.writeSync(fd, JSON.stringify(info));
			} finally {
				fs.closeSync(fd);
			}
			held.set(lockPath, 1);
			return once(() => release(lockPath));
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'EEXIST') {
				throw new StoreError(
					'io',
					`cannot create lock file ${lockPath}: ${(error as Error).message}`,
					'check that the directory exists and is writable',
				);
			}
		}
		const state = inspect(lockPath);
		if (state.kind === 'gone') continue;
		if (state.kind === 'stale') {
			breakStale(lockPath, state.raw);
			continue;
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw lockedError(lockPath, state.info, label);
		sleepSync(Math.min(50, remaining));
	}
}

function once(fn: () => void): () => void {
	let done = false;
	return () => {
		if (done) return;
		done = true;
		fn();
	};
}

function release(lockPath: string): void {
	const depth = held.get(lockPath) ?? 0;
	if (depth > 1) {
		held.set(lockPath, depth - 1);
		return;
	}
	held.delete(lockPath);
	const info = readLock(lockPath);
	if (info && info.pid === process.pid) fs.rmSync(lockPath, { force: true });
}

export function withLock<T>(lockPath: string, options: LockOptions, fn: () => T): T {
	const unlock = acquireLock(lockPath, options);
	try {
		return fn();
	} finally {
		unlock();
	}
}
