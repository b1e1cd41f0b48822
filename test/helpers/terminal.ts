/**
 * Render the console into a terminal of a given size (ink-testing-library's stdout is
 * 100 columns with no rows): frames are kept, and the terminal can be resized.
 */
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render as inkRender } from 'ink';
import stringWidth from 'string-width';

class Stdout extends EventEmitter {
	frames: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
	};
	lastFrame = () => this.frames.at(-1);
}

class Stdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const { data } = this;
		this.data = null;
		return data;
	};
}

export function renderAt(tree: ReactElement, size: { columns: number; rows: number }) {
	const stdout = new Stdout(size.columns, size.rows);
	const stdin = new Stdin();
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new Stdout(size.columns, size.rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {
		stdin,
		frames: stdout.frames,
		lastFrame: stdout.lastFrame,
		unmount: instance.unmount,
		resize(columns: number, rows: number) {
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
		},
	};
}

/** Frames that do not fit: more lines than `rows`, or a line wider than `columns`. */
export function framesThatDoNotFit(frames: string[], size: { columns: number; rows: number }): string[] {
	return frames.filter((frame) => {
		const lines = frame.split('\n');
		return lines.length > size.rows || lines.some((line) => stringWidth(line) > size.columns);
	});
}
