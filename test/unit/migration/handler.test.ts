import { hashSync } from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { InvalidEventError, TemporaryFailureError } from '../../../shared/errors.js';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import { MigrationRefusedError } from '../../../shared/migration/migrate.js';
import { captureAllLogs, entries, failingDirectory, fakeDirectory, legacyUser, migrationEvent } from './helpers.js';

const RIGHT = 'Handler-Right-Pw-3Jd9$k';
const WRONG = 'Handler-Wrong-Pw-8Lp2%m';
const HASH = hashSync(RIGHT, 4);
const users = [legacyUser({ username: 'jo@example.com', passwordHash: HASH, attributes: { given_name: 'Jo' } })];

let logs: ReturnType<typeof captureAllLogs>;
beforeEach(() => {
  logs = captureAllLogs();
});
afterEach(() => {
  logs.restore();
  for (const secret of [RIGHT, WRONG, HASH]) expect(logs.text()).not.toContain(secret);
});

function handler(directory: LegacyDirectory = fakeDirectory(users)) {
  return makeUserMigrationHandler({ config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4 }, directory, logger: logs.logger });
}

describe('the user migration handler', () => {
  it('answers a matching sign-in with the same event, its response only what the suite decided', async () => {
    const event = migrationEvent('UserMigration_Authentication', 'jo@example.com', RIGHT);
    const result = await handler()(structuredClone(event));
    expect(result).toEqual({
      ...event,
      response: {
        userAttributes: { given_name: 'Jo', email: 'jo@example.com', email_verified: 'true' },
        finalUserStatus: 'CONFIRMED',
        messageAction: 'SUPPRESS',
      },
    });
  });

  it('answers forgot-password without a finalUserStatus', async () => {
    const result = await handler()(migrationEvent('UserMigration_ForgotPassword', 'jo@example.com'));
    expect(result.response.messageAction).toBe('SUPPRESS');
    expect(result.response.finalUserStatus).toBeUndefined();
    expect(result.response.userAttributes.email_verified).toBe('true');
  });

  it('passes the generic refusal on to Cognito and logs it without the password', async () => {
    const error = await handler()(migrationEvent('UserMigration_Authentication', 'jo@example.com', WRONG)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationRefusedError);
    const warning = entries(logs.lines).find((e) => e.message === 'Trigger refused the request');
    expect(warning).toMatchObject({ errorName: 'MigrationRefusedError', errorMessage: 'Incorrect username or password.' });
    expect(warning?.userRef).toMatch(/^[0-9a-f]{16}$/);
  });

  it('when the directory fails, passes TemporaryFailureError on', async () => {
    const call = handler(failingDirectory(new Error('down')))(migrationEvent('UserMigration_Authentication', 'jo@example.com', RIGHT));
    await expect(call).rejects.toBeInstanceOf(TemporaryFailureError);
  });

  it('when the event has no password at sign-in, throws InvalidEventError naming request.password', async () => {
    const event = migrationEvent('UserMigration_Authentication', 'jo@example.com');
    const error = (await handler()(event).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain('request.password');
  });
});
