// Mutation testing of the modules that hold the security decisions (npm run mutate; not part of npm test).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.mts' },
  coverageAnalysis: 'perTest',
  mutate: ['shared/auth/**/*.ts', 'shared/store/**/*.ts', 'shared/otp/**/*.ts', 'shared/migration/**/*.ts', 'shared/passwords/**/*.ts'],
  // The machine is shared: one test process at a time, generous timeouts for the dynalite-backed tests.
  concurrency: 1,
  timeoutMS: 60_000,
  timeoutFactor: 3,
  // Module-level constants would rerun every test for each mutant; they are listed as ignored instead.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
