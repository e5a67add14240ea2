import type { Logger } from '@aws-lambda-powertools/logger';
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { logger as globalLogger } from '../../../shared/logger.js';
import { foldAsciiCase, type LegacyDirectory } from '../../../shared/migration/directory.js';
import type { LegacyUser } from '../../../shared/migration/legacyUser.js';
import { capturingLogger } from '../../support/logs.js';

/**
 * Captures the lines of the injected test logger AND of the container-wide logger that
 * shared/passwords writes its warnings to, so a test can assert across everything logged.
 * Call `restore()` (e.g. in afterEach) to give the global logger its console back.
 */
export function captureAllLogs(): { logger: Logger; lines: string[]; text: () => string; restore: () => void } {
  const captured = capturingLogger();
  const sink = (...args: unknown[]) => {
    captured.lines.push(args.map(String).join(' '));
  };
  const target = globalLogger as unknown as { console: unknown };
  const original = target.console;
  target.console = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink };
  return {
    logger: captured.logger,
    lines: captured.lines,
    text: captured.text,
    restore: () => {
      target.console = original;
    },
  };
}

/** Parsed JSON log lines (powertools writes one JSON object per line). */
export function entries(lines: readonly string[]): Record<string, unknown>[] {
  return lines.filter((line) => line.trim().startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function legacyUser(overrides: Partial<LegacyUser> = {}): LegacyUser {
  return {
    username: 'jo@example.com',
    passwordHash: '',
    email: 'jo@example.com',
    emailVerified: true,
    phoneNumber: undefined,
    phoneNumberVerified: false,
    attributes: {},
    disabled: false,
    ...overrides,
  };
}

/**
 * An in-memory directory with the DynamoDB directory's look-up rule: exact name, else A–Z lowercased.
 * `fold` replaces that rule, e.g. with Unicode lowercasing to stand for a careless directory.
 */
export function fakeDirectory(
  users: readonly LegacyUser[],
  fold: (userName: string) => string = foldAsciiCase,
): LegacyDirectory & { lookups: string[] } {
  const byName = new Map(users.map((u) => [u.username, u]));
  const lookups: string[] = [];
  return {
    lookups,
    async findUser(userName) {
      lookups.push(userName);
      return byName.get(userName) ?? byName.get(fold(userName));
    },
  };
}

/** A directory whose every look-up fails with `error`. */
export function failingDirectory(error: unknown): LegacyDirectory {
  return {
    async findUser() {
      throw error;
    },
  };
}

/** A User Migration event as Cognito sends it (password present only for sign-in). */
export function migrationEvent(
  triggerSource: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword',
  userName: string,
  password?: string,
): UserMigrationTriggerEvent {
  return {
    version: '1',
    triggerSource,
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
    request: {
      ...(password === undefined ? {} : { password }),
      validationData: { ip: '192.0.2.10' },
    },
    response: { userAttributes: {}, desiredDeliveryMediums: [] },
  } as unknown as UserMigrationTriggerEvent;
}

/** The error `call` throws; fails the test when it returns normally. */
export function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}
