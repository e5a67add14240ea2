import { expect } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import type { Env } from '../../../shared/env.js';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import { openDirectory } from '../../../shared/migration/directories/open.js';
import { loadDirectorySettings } from '../../../shared/migration/directories/settings.js';
import { captureAllLogs, entries, migrationEvent } from '../../unit/migration/helpers.js';

/** What one migration attempt came to: Cognito's user attributes, or the error text Cognito would show. */
export type Attempt = { ok: true; attributes: Record<string, string>; finalUserStatus: unknown } | { ok: false; errorName: string; message: string };

export type Logs = ReturnType<typeof captureAllLogs>;

/** A directory from environment variables, exactly as the function's cold start builds it. */
export async function directoryFrom(env: Env, logs: Logs): Promise<LegacyDirectory> {
  return openDirectory(loadDirectorySettings(env), logs.logger);
}

export function migrator(directory: LegacyDirectory, logs: Logs) {
  const handler = makeUserMigrationHandler({ config: { legacyUsersTable: '', dummyHashCost: 4 }, directory, logger: logs.logger });
  const run = async (event: ReturnType<typeof migrationEvent>): Promise<Attempt> => {
    try {
      const result = await handler(event);
      return { ok: true, attributes: result.response.userAttributes, finalUserStatus: result.response.finalUserStatus };
    } catch (error) {
      return { ok: false, errorName: (error as Error).name, message: (error as Error).message };
    }
  };
  return {
    signIn: (userName: string, password: string) => run(migrationEvent('UserMigration_Authentication', userName, password)),
    forgotPassword: (userName: string) => run(migrationEvent('UserMigration_ForgotPassword', userName)),
  };
}

export const REFUSED = { ok: false, errorName: 'MigrationRefusedError', message: 'Incorrect username or password.' } as const;
export const UNAVAILABLE = { ok: false, errorName: 'TemporaryFailureError', message: 'Sign-in is temporarily unavailable. Please try again later.' } as const;

/** The outcomes the migration logged ("Migration decided"), in order. */
export function outcomes(logs: Logs): unknown[] {
  return entries(logs.lines)
    .filter((e) => e.message === 'Migration decided')
    .map((e) => e.outcome);
}

export function expectNoSecretIn(logs: Logs, secrets: readonly string[]): void {
  const text = logs.text();
  for (const secret of secrets) expect(text).not.toContain(secret);
}

export { captureAllLogs, entries };
