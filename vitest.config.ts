import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One local cloud started through the CLI for everyone (test/support/global-cloud.ts);
    // files that move the clock or inject faults start their own, on a free port, in parallel.
    globalSetup: ['test/support/global-cloud.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
