import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { type StandIn, startDynamo } from '../../../local/standins.js';
import { TemporaryFailureError } from '../../../shared/errors.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { MigrationRefusedError } from '../../../shared/migration/migrate.js';
import { HASH_FORMATS, type HashFormat } from '../../../shared/passwords/index.js';
import { captureAllLogs, entries, migrationEvent } from '../../unit/migration/helpers.js';
import { createLegacyTable, dynamoClient, type LegacyRow, putItems, toItem, directoryClient } from './legacyTable.js';

interface Vector {
  format: HashFormat;
  password: string;
  hash: string;
  generator: string;
}
const fixture = (name: string) => JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/passwords', name), 'utf8')) as Vector[];
const vectors = [...fixture('vectors.json'), ...fixture('other-systems.json')];

/** One vector per supported format, from a real legacy tool (PHP, Django, OpenLDAP, WordPress). */
const picks: Record<HashFormat, string> = {
  bcrypt: 'php 8.2.36 password_hash(PASSWORD_BCRYPT, cost 5)',
  'django-pbkdf2-sha256': 'django 3.2.25 PBKDF2PasswordHasher, 10000 iterations',
  'django-pbkdf2-sha1': 'django 3.2.25 PBKDF2SHA1PasswordHasher',
  'ldap-ssha': 'OpenLDAP slappasswd',
  'ldap-ssha256': 'OpenLDAP slappasswd',
  'ldap-ssha512': 'OpenLDAP slappasswd',
  phpass: 'WordPress',
  argon2id: 'password_hash(PASSWORD_ARGON2ID, m=1024',
  // issue 13, as the import (or the directory's owner) stores them
  'aspnet-identity': 'HashPassword_Version3',
  'aspnet-membership': 'hmacsha256',
  'firebase-scrypt': 'firebase/scrypt README',
  'passlib-scrypt': 'ln=10',
  'werkzeug-scrypt': 'scrypt:4096:8:2',
  'werkzeug-pbkdf2-sha256': "method='pbkdf2:sha256:20000'",
  'sha512-crypt': 'mkpasswd -m sha512crypt (',
  'sha256-crypt': 'mkpasswd -m sha256crypt -R',
  'md5-crypt': 'openssl',
  'ldap-crypt': 'slappasswd -h {CRYPT} -c $6$',
  'ldap-sha': 'slappasswd',
  'ldap-md5': 'slappasswd',
  'ldap-smd5': 'slappasswd',
  drupal7: 'hashcat',
  'wordpress-bcrypt': 'cost 5',
  'django-bcrypt-sha256': 'django',
  'django-argon2id': 'm=1024, t=2',
  'keycloak-pbkdf2-sha256': 'pbkdf2_hmac',
  'keycloak-pbkdf2-sha512': '30000 iterations',
  'keycloak-pbkdf2': 'pbkdf2_hmac',
};
// The Firebase vector above is the firebase/scrypt README example, made with this project's parameters.
const firebaseProject = {
  signerKey: Buffer.from('jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==', 'base64'),
  saltSeparator: Buffer.from('Bw==', 'base64'),
  rounds: 8,
  memCost: 14,
};
const chosen = HASH_FORMATS.map((format) => {
  const vector = vectors.find((v) => v.format === format && v.generator.includes(picks[format]));
  if (vector === undefined) throw new Error(`no ${format} vector from ${picks[format]}`);
  return vector;
});
const bcrypt = chosen[0]!;
const phpass = chosen.find((v) => v.format === 'phpass')!;
const MALFORMED_PHPASS = phpass.hash.slice(0, -1);
const WRONG = 'Dir-Wrong-Pw-Xc4!qQ';

const rows: LegacyRow[] = [
  { username: 'Exact.User', passwordHash: bcrypt.hash, email: 'exact@example.com', emailVerified: true },
  {
    username: 'jo@example.com',
    passwordHash: bcrypt.hash,
    email: 'jo@example.com',
    emailVerified: true,
    phoneNumber: '+15555550100',
    phoneNumberVerified: false,
    attributes: { given_name: 'Jo', family_name: 'Example', 'custom:tenant_id': 't-42' },
  },
  // Both an exact and a lowercase entry: the exact one wins.
  { username: 'Kim', passwordHash: bcrypt.hash, email: 'kim.exact@example.com', emailVerified: true },
  { username: 'kim', passwordHash: bcrypt.hash, email: 'kim.lower@example.com', emailVerified: true },
  { username: 'off', passwordHash: bcrypt.hash, email: 'off@example.com', emailVerified: true, disabled: true },
  { username: 'broken-hash', passwordHash: MALFORMED_PHPASS, email: 'bh@example.com', emailVerified: true },
  ...chosen.map((v) => ({ username: `fmt-${v.format}`, passwordHash: v.hash, email: `${v.format}@example.com`, emailVerified: true })),
];
const SECRETS = [WRONG, MALFORMED_PHPASS, ...chosen.flatMap((v) => [v.password, v.hash])];

let dynamo: StandIn;
let handler: ReturnType<typeof makeUserMigrationHandler>;
let logs: ReturnType<typeof captureAllLogs>;

beforeAll(async () => {
  dynamo = await startDynamo();
  const client = dynamoClient(dynamo.endpoint);
  await createLegacyTable(client);
  await putItems(client, [
    ...rows.map(toItem),
    // A wrongly typed flag: the entry cannot be read.
    { ...toItem({ username: 'typo', passwordHash: bcrypt.hash, email: 'typo@example.com' }), emailVerified: { S: 'yes' } },
  ]);
  client.destroy();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(() => {
  logs = captureAllLogs();
  handler = makeUserMigrationHandler({
    config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4, firebaseScrypt: firebaseProject },
    directory: createDynamoDirectory(directoryClient(dynamo.endpoint), 'legacy-users'),
    logger: logs.logger,
  });
});
afterEach(() => {
  logs.restore();
  const text = logs.text();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
});

const signIn = (userName: string, password: string) => handler(migrationEvent('UserMigration_Authentication', userName, password));

describe('user migration against the legacy table in DynamoDB (dynalite)', () => {
  it('finds a user stored under the exact name typed, capitals included', async () => {
    const result = await signIn('Exact.User', bcrypt.password);
    expect(result.response).toMatchObject({
      userAttributes: { email: 'exact@example.com', email_verified: 'true' },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
    });
  });

  it('finds "Jo@Example.com" stored as "jo@example.com", with all attributes from the item', async () => {
    const result = await signIn('Jo@Example.com', bcrypt.password);
    expect(result.response.userAttributes).toEqual({
      given_name: 'Jo',
      family_name: 'Example',
      'custom:tenant_id': 't-42',
      email: 'jo@example.com',
      email_verified: 'true',
      phone_number: '+15555550100',
      phone_number_verified: 'false',
    });
    expect(result.userName).toBe('Jo@Example.com');
  });

  it('prefers the exact entry when both the exact and the lowercase name exist', async () => {
    expect((await signIn('Kim', bcrypt.password)).response.userAttributes.email).toBe('kim.exact@example.com');
    expect((await signIn('KIM', bcrypt.password)).response.userAttributes.email).toBe('kim.lower@example.com');
  });

  it.each([
    ['the KELVIN SIGN (U+212A), which Unicode lowercases to "k"', '\u212Aim'],
    ['a capital KELVIN SIGN name in full', '\u212AIM'],
    ['a dotless ı (U+0131), which Unicode uppercases to "I"', 'k\u0131m'],
    ['fullwidth letters (U+FF2B…), which NFKC maps to "KIM"', '\uFF2B\uFF29\uFF2D'],
  ])("refuses a look-alike of kim's name with kim's password: %s", async (_, lookAlike) => {
    await expect(signIn(lookAlike, bcrypt.password)).rejects.toBeInstanceOf(MigrationRefusedError);
    await expect(handler(migrationEvent('UserMigration_ForgotPassword', lookAlike))).rejects.toBeInstanceOf(MigrationRefusedError);
    expect(entries(logs.lines).filter((e) => e.message === 'Migration decided').map((e) => e.outcome)).toEqual(['unknown-user', 'unknown-user']);
  });

  it.each(chosen.map((v) => [v.format, v.generator, v] as const))('migrates a %s hash (%s) with its password', async (format, _, v) => {
    const result = await signIn(`fmt-${format}`, v.password);
    expect(result.response.finalUserStatus).toBe('CONFIRMED');
    expect(result.response.userAttributes.email).toBe(`${format}@example.com`);
  });

  it.each(chosen.map((v) => [v.format, v] as const))('refuses a wrong password against a %s hash', async (format) => {
    await expect(signIn(`fmt-${format}`, WRONG)).rejects.toBeInstanceOf(MigrationRefusedError);
  });

  it('refuses an unknown user and a disabled one with the same error', async () => {
    const unknown = (await signIn('nobody@example.com', bcrypt.password).catch((e: unknown) => e)) as Error;
    const disabled = (await signIn('off', bcrypt.password).catch((e: unknown) => e)) as Error;
    expect(unknown).toBeInstanceOf(MigrationRefusedError);
    expect(disabled).toBeInstanceOf(MigrationRefusedError);
    expect(disabled.message).toBe(unknown.message);
  });

  it('refuses a malformed hash and warns naming the format only, never the hash', async () => {
    await expect(signIn('broken-hash', phpass.password)).rejects.toBeInstanceOf(MigrationRefusedError);
    const warning = entries(logs.lines).find((e) => e.message === 'Stored password hash is malformed; treating as a failed check');
    expect(warning).toMatchObject({ level: 'WARN', hashFormat: 'phpass' });
    expect(JSON.stringify(warning)).not.toContain(MALFORMED_PHPASS.slice(4));
  });

  it('refuses an entry with a wrongly typed field and logs which field', async () => {
    await expect(signIn('typo', bcrypt.password)).rejects.toBeInstanceOf(MigrationRefusedError);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory entry cannot be read')?.problem).toBe('emailVerified must be a boolean');
  });

  it('answers forgot-password for a known user with a verified email, without a finalUserStatus', async () => {
    const result = await handler(migrationEvent('UserMigration_ForgotPassword', 'Jo@Example.com'));
    expect(result.response.messageAction).toBe('SUPPRESS');
    expect(result.response.finalUserStatus).toBeUndefined();
    expect(result.response.userAttributes.email_verified).toBe('true');
  });
});

describe('when DynamoDB is unreachable', () => {
  it('sign-in fails with TemporaryFailureError and the failure is logged', async () => {
    const gone = await startDynamo();
    const client = dynamoClient(gone.endpoint);
    await createLegacyTable(client);
    await gone.close();
    const down = makeUserMigrationHandler({
      config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4 },
      directory: createDynamoDirectory(directoryClient(gone.endpoint), 'legacy-users'),
      logger: logs.logger,
    });
    const error = (await down(migrationEvent('UserMigration_Authentication', 'jo@example.com', bcrypt.password)).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(TemporaryFailureError);
    expect(error.message).toBe('Sign-in is temporarily unavailable. Please try again later.');
    const line = entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed');
    expect(line).toMatchObject({ level: 'ERROR', error: { name: expect.any(String), message: expect.any(String) } });
    client.destroy();
  });
});
