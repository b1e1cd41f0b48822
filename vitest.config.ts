import { defineConfig } from 'vitest/config';

// Hermetic: no GitHub enrichment from a token the CI happens to have.
const env = { LOG_LEVEL: 'error', NO_COLOR: '1', FORCE_COLOR: '0', GITHUB_TOKEN: '' };

export default defineConfig({
	test: {
		// Chain tests run real runtimes in wasm: keep parallelism modest on 2-core machines. (One figure for
		// both projects: vitest runs projects with different maxWorkers one after the other.)
		maxWorkers: 2,
		projects: [
			{
				test: {
					name: 'unit',
					include: ['test/unit/**/*.test.{ts,tsx}'],
					// Pure and component tests: no chain, no child process.
					testTimeout: 10_000,
					hookTimeout: 10_000,
					env,
				},
			},
			{
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.{ts,tsx}'],
					// Chains and processes. Each test sets the timeout that fits it (the third argument of `it`);
					// this default bounds the short ones (a few child processes against a chain). Hooks start chains (real runtimes in wasm).
					testTimeout: 120_000,
					hookTimeout: 120_000,
					env,
				},
			},
		],
	},
});
