import { loadCreateConfig, loadDefineConfig, loadVerifyConfig } from '../../shared/auth/config.js';
import type { Env } from '../../shared/env.js';
import { loadMigrationConfig } from '../../shared/migration/config.js';
import { loadPreTokenConfig } from '../../shared/pretoken/config.js';
import { loadSignUpConfig } from '../../shared/signup/config.js';

/**
 * Each function's own cold-start configuration loader, by its name in serverless.yml. The deploy checks
 * (scripts/serverless/deployChecks.cjs) run them against the environment serverless resolved, so a setting
 * the function would refuse in AWS fails `serverless package` instead. A function added to serverless.yml
 * must be added here: packaging refuses a function it cannot check.
 */
export const CONFIG_VALIDATORS: Readonly<Record<string, (env: Env) => unknown>> = {
  defineAuthChallenge: loadDefineConfig,
  createAuthChallenge: loadCreateConfig,
  verifyAuthChallenge: loadVerifyConfig,
  preTokenGeneration: loadPreTokenConfig,
  userMigration: loadMigrationConfig,
  preSignUp: loadSignUpConfig,
};
