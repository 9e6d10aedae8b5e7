import { defineConfig } from 'vitest/config';

// The SDK warns once per process that its 2027 releases need Node 22; the lockfile pins releases
// that support Node 20, so in tests the warning is noise (the CLI still shows it to people).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
