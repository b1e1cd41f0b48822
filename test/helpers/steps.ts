/**
 * A scenario told as a sequence of `it`s, each building on the state the ones
 * before it leave (a release advanced stage by stage). Each step first runs
 * the steps before it that have not run yet, once each, in order: the whole
 * file runs every step once, and any one `it` runs alone with `-t` (its
 * prerequisites run inside it, assertions included). A step whose
 * prerequisite failed fails with that error.
 *
 *   const s = scenario();
 *   it('creates the release', s.step(async () => { ... }), 60_000);
 *   it('advances it', s.step(async () => { ... }), s.timeout(60_000));
 *
 * `timeout(ms)` is the step's own budget plus those of the steps before it
 * (what it needs when it runs alone).
 */
export interface Scenario {
	step: (fn: () => Promise<void>) => () => Promise<void>;
	/** Timeout for the next step registered: its own `ms` plus every earlier step's. */
	timeout: (ms: number) => number;
}

export function scenario(): Scenario {
	const steps: Array<() => Promise<void>> = [];
	let budget = 0;
	return {
		step(fn) {
			const index = steps.length;
			let run: Promise<void> | undefined;
			const once = () => {
				run ??= (async () => {
					for (let i = 0; i < index; i++) await steps[i]!();
					await fn();
				})();
				return run;
			};
			steps.push(once);
			return once;
		},
		timeout(ms) {
			budget += ms;
			return budget;
		},
	};
}
