import { defineConfig } from 'vitest/config';

/**
 * One config for every tier; `make test` runs them in order (see mk/20-test.mk).
 * Tests that start the simulator or Chromium get long timeouts; the fuzz tier
 * reads FUZZ_RUNS.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The platform tier (real OpenWrt daemons in namespaces, needs root) runs on its own: make test-platform.
    exclude: ['node_modules/**', 'test/kernel/**', 'build/**', ...(process.env.PLATFORM_TIER ? [] : ['test/platform/**'])],
    testTimeout: 60000,
    hookTimeout: 120000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
