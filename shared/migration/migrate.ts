import type { Logger } from '@aws-lambda-powertools/logger';
import { errorSummary, TemporaryFailureError, TriggerError } from '../errors.js';
import { timeLeftMs } from '../aws/deadline.js';
import { expectedCheckMs, hashWasChecked, passwordTooLong, useMemorySize, verifyAgainstDummy, verifyPassword } from '../passwords/index.js';
import { isLookAlike, type LegacyDirectory } from './directory.js';
import { createRefusalFloor } from './refusalFloor.js';
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
  /** Time source and wait for the refusal floor; real time unless a test injects its own. */
  clock?: { now(): number; pause(ms: number): Promise<void> };
}

const realClock = {
  now: () => performance.now(),
  pause: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

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

export type MigrationOutcome =
  | 'migrated'
  | 'unknown-user'
  | 'look-alike-name'
  | 'wrong-password'
  | 'password-too-long'
  | 'disabled'
  | 'unusable-entry'
  | 'no-verified-contact';

export function createMigrationService(deps: MigrationDependencies) {
  const { config, directory, logger } = deps;
  const clock = deps.clock ?? realClock;
  // Caps (shared/passwords/limits.ts) follow the memory the configuration read at cold start.
  if (config.memoryMb !== undefined) useMemorySize(config.memoryMb);
  const refusalFloor = createRefusalFloor({
    configuredMs: config.refusalFloorMs ?? 0,
    dummyCheckMs: expectedCheckMs('bcrypt', config.dummyHashCost, 0),
  });

  async function lookUp(userName: string): Promise<LegacyUser | undefined | 'unusable'> {
    try {
      return await directory.findUser(userName);
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

  async function authenticate(userName: string, password: string): Promise<{ outcome: MigrationOutcome; response?: MigrationResponse }> {
    if (passwordTooLong(password)) return { outcome: 'password-too-long' }; // Cognito never sends one; nothing is hashed
    const user = await lookUp(userName);
    if (user === undefined || user === 'unusable' || isLookAlike(userName, user)) {
      // The same work as checking a real hash, so timing does not tell who exists.
      await verifyAgainstDummy(password, config.dummyHashCost);
      return { outcome: user === undefined ? 'unknown-user' : user === 'unusable' ? 'unusable-entry' : 'look-alike-name' };
    }
    const check = await verifyPassword(password, user.passwordHash, { firebaseScrypt: config.firebaseScrypt });
    // An unusable hash fails at once; spend the dummy check so it looks like any other refusal.
    if (!hashWasChecked(check)) await verifyAgainstDummy(password, config.dummyHashCost);
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
    if (isLookAlike(userName, user)) return { outcome: 'look-alike-name' };
    if (user.disabled) return { outcome: 'disabled' };
    // Cognito sends the reset code to a verified address; without one the user cannot be served.
    if (!hasVerifiedContact(user)) return { outcome: 'no-verified-contact' };
    const userAttributes = attributesOf(user);
    if (userAttributes === undefined) return { outcome: 'unusable-entry' };
    return { outcome: 'migrated', response: { userAttributes, messageAction: 'SUPPRESS' } };
  }

  /**
   * Every refused sign-in lasts as long as the refusal floor (refusalFloor.ts), whatever work it did, but
   * never past the invocation's deadline; a successful one answers at once.
   */
  async function authenticateEvenly(userName: string, password: string): Promise<{ outcome: MigrationOutcome; response?: MigrationResponse }> {
    const started = clock.now();
    const result = await authenticate(userName, password);
    const finished = clock.now();
    refusalFloor.record(finished - started);
    if (result.response === undefined) {
      const wait = Math.min(started + refusalFloor.floorMs() - finished, timeLeftMs() ?? Number.POSITIVE_INFINITY);
      if (wait > 0) await clock.pause(wait);
    }
    return result;
  }

  return async function migrate(request: MigrationRequest): Promise<MigrationResponse> {
    const result =
      request.triggerSource === 'UserMigration_Authentication'
        ? await authenticateEvenly(request.userName, request.password ?? '')
        : await forgotPassword(request.userName);
    logger.info('Migration decided', { outcome: result.outcome, triggerSource: request.triggerSource });
    (deps.metrics ?? noMetrics).count(result.response === undefined ? METRICS.migrationsFailed : METRICS.migrationsSucceeded);
    if (result.response === undefined) throw new MigrationRefusedError();
    return result.response;
  };
}
