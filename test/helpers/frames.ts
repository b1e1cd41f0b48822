/**
 * Waiting on the console's frames (screens update asynchronously). Modelled on
 * Shopify cli-kit's ink test helpers (`waitForChange`, `waitForContent`,
 * `sendInputAndWaitForContent`): every wait is for a frame, never a fixed
 * sleep; the timeout is only an upper bound.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/** What ink-testing-library's `render` returns, as far as these helpers need it. */
export interface Rendered {
	lastFrame: () => string | undefined;
	stdin: { write: (data: string) => void };
}

const POLL_MS = 10;

/**
 * Let React finish what the last commit scheduled. Ink renders a frame at commit;
 * the effects that subscribe the shown screen's `useInput` handlers run after it,
 * from React's scheduler (setImmediate in Node): a key written before them is lost.
 * Two turns of the check phase run the scheduler's pending task (and one it yields to).
 */
export async function settled(): Promise<void> {
	await immediate();
	await immediate();
}

/** Wait until the last frame satisfies a predicate; resolves once React has settled after that frame. */
export async function waitForFrame(
	lastFrame: () => string | undefined,
	predicate: (frame: string) => boolean,
	timeoutMs = 60_000,
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let frame = lastFrame() ?? '';
	while (!predicate(frame)) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for a frame; last frame:\n${frame}`);
		await new Promise((r) => setTimeout(r, POLL_MS));
		frame = lastFrame() ?? '';
	}
	await settled();
	return lastFrame() ?? frame;
}

/** Wait until the frame contains `content`. */
export function waitForContent(ui: Rendered, content: string, timeoutMs = 60_000): Promise<string> {
	return waitForFrame(ui.lastFrame, (f) => f.includes(content), timeoutMs);
}

/** Run `action` and wait until the frame differs from the one before it. */
export async function waitForChange(ui: Rendered, action: () => void | Promise<void>, timeoutMs = 60_000): Promise<string> {
	const before = ui.lastFrame() ?? '';
	await action();
	return waitForFrame(ui.lastFrame, (f) => f !== before, timeoutMs);
}

/** Write each input, then wait until the frame contains `content`. */
export function sendInputAndWaitForContent(ui: Rendered, content: string, ...inputs: string[]): Promise<string> {
	for (const input of inputs) ui.stdin.write(input);
	return waitForContent(ui, content);
}

/** Write each input and wait for the frame to change after it (a key the screen shows, e.g. a typed character). */
export async function sendInputAndWaitForChange(ui: Rendered, ...inputs: string[]): Promise<string> {
	let frame = ui.lastFrame() ?? '';
	for (const input of inputs) frame = await waitForChange(ui, () => ui.stdin.write(input));
	return frame;
}

/**
 * Type text one key at a time, as a person does: each key is handled (and the field re-rendered) before
 * the next one is written; then wait for the frame to show the change. (Per key, the frame need not
 * change: a trailing space is not visible.)
 */
export async function typeText(ui: Rendered, text: string): Promise<string> {
	const before = ui.lastFrame() ?? '';
	for (const ch of text) {
		ui.stdin.write(ch);
		await settled();
	}
	return waitForFrame(ui.lastFrame, (f) => f !== before);
}

/** Poll an asynchronous condition (a chain or store state) until it holds; the timeout is an upper bound. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, pollMs = 25): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, pollMs));
	}
}

/**
 * Write each input and let the screen handle it before the next: Ink handles a key
 * synchronously (its legacy root renders and commits inside the write) and React
 * subscribes the next handlers from the effects `settled()` waits for. For keys
 * that need not change the frame (moving the focus, an ignored key).
 */
export async function sendInput(ui: Rendered, ...inputs: string[]): Promise<void> {
	for (const input of inputs) {
		ui.stdin.write(input);
		await settled();
	}
}

/**
 * From the home screen: `r` opens review mode, ↑ to the environment field, → until `label` (e.g. "staging (testnet)")
 * is the one chosen, ↓ back to the target field. Resolves with the form's frame.
 */
export async function openReviewFormOn(ui: Rendered, label: string): Promise<string> {
	await waitForFrame(ui.lastFrame, (f) => f.includes('r review a proposal'));
	ui.stdin.write('r');
	let frame = await waitForFrame(ui.lastFrame, (f) => f.includes('check a proposed upgrade'));
	// The form opens on the target field: ↑ to the environment, → until it is the one asked for.
	await sendInput(ui, '\u001B[A');
	for (let i = 0; i < 4 && !frame.includes(`‹ ${label} ›`); i++) {
		const before = frame;
		await sendInput(ui, '\u001B[C');
		frame = await waitForFrame(ui.lastFrame, (f) => f !== before);
	}
	if (!frame.includes(`‹ ${label} ›`)) throw new Error(`the review form never chose ${label}; last frame:\n${frame}`);
	await sendInput(ui, '\u001B[B');
	return frame;
}
