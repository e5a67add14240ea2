import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A test's console output (the functions' log lines among it: test/support/quietLogs.ts) only when it fails.
    silent: 'passed-only',
  },
});
