import type { Logger } from '@aws-lambda-powertools/logger';
import { errorSummary, TemporaryFailureError, TriggerError } from '../errors.js';
import { verifyAgainstDummy, verifyPassword } from '../passwords/index.js';
import type { LegacyDirectory } from './directory.js';
import { hasVerifiedContact, type LegacyUser, LegacyUserError, toCognitoAttributes } from './legacyUser.js';
import type { MigrationConfig } from './config.js';
import { METRICS, type MetricsSink, noMetrics } from '../metrics.js';

/** The one answer for an unknown user, a wrong password or a disabled account. */
export class MigrationRefusedError extends TriggerError {
  override name = 'MigrationRefusedError';
  constructor() {
    super('Incorrect username or password.');
  }
}

export interface MigrationDependencies {
  config: MigrationConfig;
  directory: LegacyDirectory;
  logger: Logger;
  metrics?: MetricsSink;
}

export interface MigrationRequest {
  triggerSource: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';
  userName: string;
  /** Absent for forgot-password. */
  password: string | undefined;
}

export interface MigrationResponse {
  userAttributes: Record<string, string>;
  finalUserStatus?: 'CONFIRMED';
  messageAction: 'SUPPRESS';
}

export type MigrationOutcome = 'migrated' | 'unknown-user' | 'wrong-password' | 'disabled' | 'unusable-entry' | 'no-verified-contact';

export function createMigrationService(deps: MigrationDependencies) {
  const { config, directory, logger } = deps;

  async function lookUp(userName: string): Promise<LegacyUser | undefined | 'unusable'> {
    return ask(() => directory.findUser(userName));
  }

  async function ask<T>(call: () => Promise<T>): Promise<T | 'unusable'> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof LegacyUserError) {
        logger.error('Legacy directory entry cannot be read', { problem: error.message });
        return 'unusable';
      }
      logger.error('Legacy directory look-up failed', { error: errorSummary(error) });
      throw new TemporaryFailureError({ cause: error });
    }
  }

  function attributesOf(user: LegacyUser): Record<string, string> | undefined {
    try {
      return toCognitoAttributes(user);
    } catch (error) {
      logger.error('Legacy user cannot be mapped to Cognito attributes', { problem: (error as Error).message });
      return undefined;
    }
  }

  /** LDAP, a login API, another Cognito pool: the directory checks the password; an empty one is never sent. */
  async function authenticateByDirectory(
    check: NonNullable<LegacyDirectory['authenticate']>,
    userName: string,
    password: string,
  ): Promise<{ outcome: MigrationOutcome; response?: MigrationResponse }> {
    if (password === '') return { outcome: 'wrong-password' };
    const verdict = await ask(() => check(userName, password));
    if (verdict === 'unusable') return { outcome: 'unusable-entry' };
    if (verdict.outcome !== 'accepted') return { outcome: verdict.outcome };
    const userAttributes = attributesOf(verdict.user);
    if (userAttributes === undefined) return { outcome: 'unusable-entry' };
    return { outcome: 'migrated', response: { userAttributes, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } };
  }

  async function authenticate(userName: string, password: string): Promise<{ outcome: MigrationOutcome; response?: MigrationResponse }> {
    if (directory.authenticate !== undefined) return authenticateByDirectory(directory.authenticate.bind(directory), userName, password);
    const user = await lookUp(userName);
    if (user === undefined || user === 'unusable') {
      // The same work as checking a real hash, so timing does not tell who exists.
      await verifyAgainstDummy(password, config.dummyHashCost);
      return { outcome: user === undefined ? 'unknown-user' : 'unusable-entry' };
    }
    const check = await verifyPassword(password, user.passwordHash);
    // An unusable hash fails at once; spend the dummy check so it looks like any other refusal.
    if (check.format === 'unknown' || check.format === 'malformed') await verifyAgainstDummy(password, config.dummyHashCost);
    if (!check.ok) return { outcome: 'wrong-password' };
    if (user.disabled) return { outcome: 'disabled' };
    const userAttributes = attributesOf(user);
    if (userAttributes === undefined) return { outcome: 'unusable-entry' };
    return { outcome: 'migrated', response: { userAttributes, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } };
  }

  async function forgotPassword(userName: string): Promise<{ outcome: MigrationOutcome; response?: MigrationResponse }> {
    const user = await lookUp(userName);
    if (user === undefined) return { outcome: 'unknown-user' };
    if (user === 'unusable') return { outcome: 'unusable-entry' };
    if (user.disabled) return { outcome: 'disabled' };
    // Cognito sends the reset code to a verified address; without one the user cannot be served.
    if (!hasVerifiedContact(user)) return { outcome: 'no-verified-contact' };
    const userAttributes = attributesOf(user);
    if (userAttributes === undefined) return { outcome: 'unusable-entry' };
    return { outcome: 'migrated', response: { userAttributes, messageAction: 'SUPPRESS' } };
  }

  return async function migrate(request: MigrationRequest): Promise<MigrationResponse> {
    const result =
      request.triggerSource === 'UserMigration_Authentication'
        ? await authenticate(request.userName, request.password ?? '')
        : await forgotPassword(request.userName);
    logger.info('Migration decided', { outcome: result.outcome, triggerSource: request.triggerSource });
    (deps.metrics ?? noMetrics).count(result.response === undefined ? METRICS.migrationsFailed : METRICS.migrationsSucceeded);
    if (result.response === undefined) throw new MigrationRefusedError();
    return result.response;
  };
}
