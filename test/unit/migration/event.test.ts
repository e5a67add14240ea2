import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/errors.js';
import { parseMigrationEvent } from '../../../shared/migration/event.js';
import { migrationEvent, thrown } from './helpers.js';

const PASSWORD = 'Event-Pw-never-echoed-4u7T';

describe('parseMigrationEvent', () => {
  it('reads a sign-in event: trigger source, user name and password', () => {
    expect(parseMigrationEvent(migrationEvent('UserMigration_Authentication', 'Jo@Example.com', PASSWORD))).toEqual({
      triggerSource: 'UserMigration_Authentication',
      userName: 'Jo@Example.com',
      password: PASSWORD,
    });
  });

  it('reads a forgot-password event, which has no password', () => {
    expect(parseMigrationEvent(migrationEvent('UserMigration_ForgotPassword', 'jo@example.com'))).toEqual({
      triggerSource: 'UserMigration_ForgotPassword',
      userName: 'jo@example.com',
      password: undefined,
    });
  });

  it('accepts an empty password at sign-in (the check, not the parser, refuses it)', () => {
    expect(parseMigrationEvent(migrationEvent('UserMigration_Authentication', 'jo', '')).password).toBe('');
  });

  const auth = () => migrationEvent('UserMigration_Authentication', 'jo@example.com', PASSWORD) as unknown as Record<string, unknown>;
  const cases: [string, () => unknown, string][] = [
    ['null', () => null, 'expected a Cognito trigger event object'],
    ['an array', () => [auth()], 'expected a Cognito trigger event object'],
    ['a string', () => 'event', 'expected a Cognito trigger event object'],
    ['another trigger source', () => ({ ...auth(), triggerSource: 'PreSignUp_SignUp' }), 'triggerSource must be one of UserMigration_Authentication, UserMigration_ForgotPassword'],
    ['no trigger source', () => ({ ...auth(), triggerSource: undefined }), 'triggerSource must be one of'],
    ['no user name', () => ({ ...auth(), userName: undefined }), 'userName must be a non-empty string'],
    ['an empty user name', () => ({ ...auth(), userName: '' }), 'userName must be a non-empty string'],
    ['a numeric user name', () => ({ ...auth(), userName: 42 }), 'userName must be a non-empty string'],
    ['a user name of 129 characters', () => ({ ...auth(), userName: 'u'.repeat(129) }), 'userName is longer than 128 characters'],
    ['no request', () => ({ ...auth(), request: undefined }), 'request must be an object'],
    ['a null request', () => ({ ...auth(), request: null }), 'request must be an object'],
    ['no response', () => ({ ...auth(), response: undefined }), 'response must be an object'],
    ['a sign-in without a password', () => ({ ...auth(), request: {} }), 'request.password must be a string for UserMigration_Authentication'],
    ['a sign-in with a numeric password', () => ({ ...auth(), request: { password: 12345678 } }), 'request.password must be a string'],
  ];
  it.each(cases)('with %s, throws InvalidEventError naming the field', (_, build, message) => {
    const error = thrown(() => parseMigrationEvent(build()));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('accepts a user name of exactly 128 characters', () => {
    expect(parseMigrationEvent({ ...auth(), userName: 'u'.repeat(128) }).userName).toHaveLength(128);
  });
});
