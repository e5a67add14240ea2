import { defineConfig } from 'vitest/config';
import full from './vitest.mutate.config.mjs';

/**
 * npm run mutate -- --focused: the unit tests and the integration tests that hold the code store,
 * the lockout, whole sign-ins, request counts and enumeration; no property tests, no abuse/fault
 * files. Its score is a lower bound on the full run's, in minutes instead of hours on a shared machine.
 */
export default defineConfig({
  test: {
    ...full.test,
    // MUTATE_TESTS (npm run mutate -- --focused --tests a,b): narrower still, e.g. one module's own tests.
    include: process.env.MUTATE_TESTS?.split(',') ?? [
      'test/unit/**/*.test.ts',
      'test/integration/{codeStore,lockout,passwordless-flow,requests,enumeration}.test.ts',
    ],
  },
});
