/** Wait until the last frame satisfies a predicate (screens update asynchronously). */
export async function waitForFrame(lastFrame: () => string | undefined, predicate: (frame: string) => boolean, timeoutMs = 60_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let frame = '';
	while (Date.now() < deadline) {
		frame = lastFrame() ?? '';
		if (predicate(frame)) return frame;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`timed out waiting for a frame; last frame:\n${frame}`);
}

export const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
