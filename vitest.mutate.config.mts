import { defineConfig } from 'vitest/config';

/** The tests Stryker runs against each mutant (npm run mutate): unit, integration and property; not load, deploy or commands. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/property/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each mutant reruns the tests that cover it: fewer property runs and race trials, the same checks.
    env: { PROPERTY_RUNS_SCALE: '0.2', LOCKOUT_RACE_TRIALS: '5' },
  },
});
