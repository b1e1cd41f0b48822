import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    // Chain tests run real runtimes in wasm: keep parallelism modest on 2-core machines.
    maxWorkers: 2,
    // Hermetic: no GitHub enrichment from a token the CI happens to have.
    env: { LOG_LEVEL: 'error', NO_COLOR: '1', FORCE_COLOR: '0', GITHUB_TOKEN: '' },
  },
});
