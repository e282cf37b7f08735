import { defineConfig } from 'vitest/config';

/** The tests Stryker runs against each mutant (stryker.config.mjs): Node only, no simulator, no QuickJS. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/web/sample.test.ts', 'test/web/live-model.test.ts', 'test/web/live-model-rules.test.ts', 'test/web/history.test.ts', 'test/web/polling.test.ts'],
    exclude: ['node_modules/**', 'build/**'],
    testTimeout: 20000,
    pool: 'forks',
  },
});
