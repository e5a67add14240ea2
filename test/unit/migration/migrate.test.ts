import { hashSync } from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TemporaryFailureError, TriggerError } from '../../../shared/errors.js';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import { LegacyUserError } from '../../../shared/migration/legacyUser.js';
import { createMigrationService, type MigrationRequest, MigrationRefusedError } from '../../../shared/migration/migrate.js';
import { verifyAgainstDummy, verifyPassword } from '../../../shared/passwords/index.js';
import { captureAllLogs, entries, failingDirectory, fakeDirectory, legacyUser } from './helpers.js';

vi.mock('../../../shared/passwords/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/passwords/index.js')>();
  return { ...actual, verifyAgainstDummy: vi.fn(actual.verifyAgainstDummy), verifyPassword: vi.fn(actual.verifyPassword) };
});

// Distinctive secrets, so any leak into a log line or an error message is found by a plain search.
const RIGHT = 'Right-Pw-Migr8-ZK2q!xQ';
const WRONG = 'Wrong-Pw-Migr8-VV7n#yR';
const HASH = hashSync(RIGHT, 4);
const PLAINTEXT_STORED = 'Plaintext-Stored-Pw-8Hh3';
const SECRETS = [RIGHT, WRONG, HASH, HASH.slice(7), PLAINTEXT_STORED];

const DUMMY_COST = 4;
const config = { legacyUsersTable: 'legacy-users', dummyHashCost: DUMMY_COST };

const users = [
  legacyUser({
    username: 'jo@example.com',
    passwordHash: HASH,
    email: 'jo@example.com',
    emailVerified: true,
    phoneNumber: '+15555550100',
    phoneNumberVerified: false,
    attributes: { given_name: 'Jo', 'custom:tenant_id': 't-42' },
  }),
  legacyUser({ username: 'sam', passwordHash: HASH, email: 'sam@example.com', emailVerified: false, phoneNumber: '+15555550101', phoneNumberVerified: true }),
  legacyUser({ username: 'unverified', passwordHash: HASH, email: 'u@example.com', emailVerified: false, phoneNumber: '+15555550102', phoneNumberVerified: false }),
  legacyUser({ username: 'nocontact', passwordHash: HASH, email: undefined, phoneNumber: undefined }),
  legacyUser({ username: 'off', passwordHash: HASH, disabled: true }),
  legacyUser({ username: 'badphone', passwordHash: HASH, phoneNumber: '555-0100', phoneNumberVerified: true }),
  legacyUser({ username: 'reserved', passwordHash: HASH, attributes: { 'cognito:groups': 'admins' } }),
  legacyUser({ username: 'plaintext', passwordHash: PLAINTEXT_STORED }),
];

let logs: ReturnType<typeof captureAllLogs>;
beforeEach(() => {
  logs = captureAllLogs();
  vi.mocked(verifyAgainstDummy).mockClear();
  vi.mocked(verifyPassword).mockClear();
});
afterEach(() => {
  logs.restore();
  // Whatever the scenario, no password or hash reaches any log line (ours or the passwords module's).
  const text = logs.text();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
});

function service(directory: LegacyDirectory = fakeDirectory(users)) {
  return createMigrationService({ config, directory, logger: logs.logger });
}

const signIn = (userName: string, password: string): MigrationRequest => ({ triggerSource: 'UserMigration_Authentication', userName, password });
const forgot = (userName: string): MigrationRequest => ({ triggerSource: 'UserMigration_ForgotPassword', userName, password: undefined });

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(MigrationRefusedError);
  expect(error).toBeInstanceOf(TriggerError);
  expect(error.message).toBe('Incorrect username or password.');
  for (const secret of SECRETS) expect(error.message).not.toContain(secret);
  return error;
}

function decided(): unknown[] {
  return entries(logs.lines)
    .filter((e) => e.message === 'Migration decided')
    .map((e) => e.outcome);
}

describe('sign-in (UserMigration_Authentication)', () => {
  it('when the password matches, returns the directory attributes, CONFIRMED and SUPPRESS', async () => {
    const response = await service()(signIn('jo@example.com', RIGHT));
    expect(response).toEqual({
      userAttributes: {
        given_name: 'Jo',
        'custom:tenant_id': 't-42',
        email: 'jo@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
      },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
    });
    expect(decided()).toEqual(['migrated']);
  });

  it('copies the verified flags as the directory says (unverified email, verified phone)', async () => {
    const response = await service()(signIn('sam', RIGHT));
    expect(response.userAttributes).toEqual({
      email: 'sam@example.com',
      email_verified: 'false',
      phone_number: '+15555550101',
      phone_number_verified: 'true',
    });
  });

  it('finds a user typed with capitals under the lowercase name', async () => {
    const directory = fakeDirectory(users);
    const response = await service(directory)(signIn('Jo@Example.COM', RIGHT));
    expect(response.userAttributes.email).toBe('jo@example.com');
    expect(directory.lookups).toEqual(['Jo@Example.COM']);
  });

  it('when the password is wrong, refuses with the generic message', async () => {
    await refusal(service()(signIn('jo@example.com', WRONG)));
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(decided()).toEqual(['wrong-password']);
  });

  it('when the password is empty, refuses with the generic message', async () => {
    await refusal(service()(signIn('jo@example.com', '')));
  });

  it('when the user is unknown, refuses with the same message and still does the dummy check at the configured cost', async () => {
    await refusal(service()(signIn('nobody@example.com', WRONG)));
    expect(verifyAgainstDummy).toHaveBeenCalledTimes(1);
    expect(verifyAgainstDummy).toHaveBeenCalledWith(WRONG, DUMMY_COST);
    expect(verifyPassword).not.toHaveBeenCalled();
    expect(decided()).toEqual(['unknown-user']);
  });

  it('when the account is disabled, refuses even the right password, after the same password check', async () => {
    await refusal(service()(signIn('off', RIGHT)));
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(verifyAgainstDummy).not.toHaveBeenCalled();
    expect(decided()).toEqual(['disabled']);
  });

  it('when the account is disabled and the password wrong, refuses the same way', async () => {
    await refusal(service()(signIn('off', WRONG)));
  });

  it('unknown user, wrong password and disabled account are indistinguishable to the caller', async () => {
    const migrate = service();
    const errors = await Promise.all([
      refusal(migrate(signIn('nobody', WRONG))),
      refusal(migrate(signIn('jo@example.com', WRONG))),
      refusal(migrate(signIn('off', RIGHT))),
    ]);
    const shapes = errors.map((e) => ({ name: e.name, message: e.message, cls: e.constructor, cause: e.cause }));
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });

  it('when the entry cannot be mapped (bad phone), refuses and logs the problem, naming the field only', async () => {
    await refusal(service()(signIn('badphone', RIGHT)));
    const line = entries(logs.lines).find((e) => e.message === 'Legacy user cannot be mapped to Cognito attributes');
    expect(line).toMatchObject({ level: 'ERROR', problem: 'phoneNumber is not in E.164 format (+ and 7-15 digits)' });
    expect(logs.text()).not.toContain('555-0100');
    expect(decided()).toEqual(['unusable-entry']);
  });

  it('when "attributes" holds a reserved name, refuses and logs which attribute', async () => {
    await refusal(service()(signIn('reserved', RIGHT)));
    const line = entries(logs.lines).find((e) => e.message === 'Legacy user cannot be mapped to Cognito attributes');
    expect(line?.problem).toBe('attribute cognito:groups cannot be migrated through "attributes"');
  });

  it('when the directory entry cannot be read, refuses, logs the problem and still does the dummy check', async () => {
    const directory = failingDirectory(new LegacyUserError('passwordHash must be a string'));
    await refusal(service(directory)(signIn('jo@example.com', WRONG)));
    expect(verifyAgainstDummy).toHaveBeenCalledWith(WRONG, DUMMY_COST);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory entry cannot be read')).toMatchObject({
      level: 'ERROR',
      problem: 'passwordHash must be a string',
    });
  });

  it('when the stored "hash" is in no known format (e.g. plaintext), refuses and warns with the format only', async () => {
    await refusal(service()(signIn('plaintext', PLAINTEXT_STORED)));
    const warning = entries(logs.lines).find((e) => e.message === 'Stored password hash has an unknown format; treating as a failed check');
    expect(warning).toMatchObject({ level: 'WARN', hashFormat: 'unknown' });
  });

  it('when the stored "hash" is in no known format, the dummy check is still spent, at the configured cost', async () => {
    await refusal(service()(signIn('plaintext', WRONG)));
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(verifyAgainstDummy).toHaveBeenCalledTimes(1);
    expect(verifyAgainstDummy).toHaveBeenCalledWith(WRONG, DUMMY_COST);
    expect(decided()).toEqual(['wrong-password']);
  });

  it('when the stored hash costs more than the function can afford at its memory, refuses after the dummy check instead', async () => {
    const costly = legacyUser({ username: 'costly', passwordHash: `$2b$15$${HASH.slice(7)}` });
    const migrate = createMigrationService({ config: { ...config, memoryMb: 1769 }, directory: fakeDirectory([costly]), logger: logs.logger });
    await refusal(migrate(signIn('costly', RIGHT)));
    await expect(vi.mocked(verifyPassword).mock.results[0]?.value).resolves.toEqual({ ok: false, format: 'over-cap', claimed: 'bcrypt' });
    expect(verifyAgainstDummy).toHaveBeenCalledWith(RIGHT, DUMMY_COST);
  });

  it('when the password is longer than the 256 characters Cognito allows, refuses before looking anyone up or hashing', async () => {
    const directory = fakeDirectory(users);
    await refusal(service(directory)(signIn('jo@example.com', RIGHT + 'x'.repeat(257 - RIGHT.length))));
    expect(directory.lookups).toEqual([]);
    expect(verifyPassword).not.toHaveBeenCalled();
    expect(verifyAgainstDummy).not.toHaveBeenCalled();
    expect(decided()).toEqual(['password-too-long']);
  });

  it('a password of exactly 256 characters (astral ones counted once) is checked as usual', async () => {
    const long = '\u{1F511}'.repeat(256);
    const user = legacyUser({ username: 'long', passwordHash: hashSync(long, 4) });
    const migrate = createMigrationService({ config, directory: fakeDirectory([user]), logger: logs.logger });
    expect((await migrate(signIn('long', long))).finalUserStatus).toBe('CONFIRMED');
  });

  it('when the directory fails, throws TemporaryFailureError (cause kept) and logs the failure', async () => {
    const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'TimeoutError' });
    const error = (await service(failingDirectory(failure))(signIn('jo@example.com', RIGHT)).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(TemporaryFailureError);
    expect(error.message).toBe('Sign-in is temporarily unavailable. Please try again later.');
    expect(error.cause).toBe(failure);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed')).toMatchObject({
      level: 'ERROR',
      error: { name: 'TimeoutError', message: 'connect ECONNREFUSED 127.0.0.1:8000' },
    });
    expect(verifyPassword).not.toHaveBeenCalled();
  });

  it('when the directory throws a non-Error, still throws TemporaryFailureError', async () => {
    await expect(service(failingDirectory('boom'))(signIn('jo@example.com', RIGHT))).rejects.toBeInstanceOf(TemporaryFailureError);
  });
});

describe('forgot password (UserMigration_ForgotPassword)', () => {
  it('for a known, enabled user with a verified email, returns the attributes and SUPPRESS but no finalUserStatus', async () => {
    const response = await service()(forgot('jo@example.com'));
    expect(response).toStrictEqual({
      userAttributes: {
        given_name: 'Jo',
        'custom:tenant_id': 't-42',
        email: 'jo@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
      },
      messageAction: 'SUPPRESS',
    });
    expect('finalUserStatus' in response).toBe(false);
    expect(verifyPassword).not.toHaveBeenCalled();
  });

  it('for a user with only a verified phone, migrates as well', async () => {
    const response = await service()(forgot('sam'));
    expect(response.userAttributes.phone_number_verified).toBe('true');
    expect(response.messageAction).toBe('SUPPRESS');
  });

  it.each([
    ['an unknown user', 'nobody@example.com', 'unknown-user'],
    ['a disabled user', 'off', 'disabled'],
    ['a user whose contacts are all unverified', 'unverified', 'no-verified-contact'],
    ['a user with no contact at all', 'nocontact', 'no-verified-contact'],
    ['a user whose entry cannot be mapped', 'badphone', 'unusable-entry'],
  ])('for %s, refuses with the generic message', async (_, userName, outcome) => {
    await refusal(service()(forgot(userName)));
    expect(decided()).toEqual([outcome]);
  });

  it('when the directory fails, throws TemporaryFailureError', async () => {
    await expect(service(failingDirectory(new Error('down')))(forgot('jo@example.com'))).rejects.toBeInstanceOf(TemporaryFailureError);
  });
});
