import { describe, expect, it } from 'vitest';
import { rowFromRecord } from '../../../local/import/dialects.js';
import { firebaseEnvLines } from '../../../local/import/firebaseParameters.js';
import { importedHashProblem } from '../../../local/import/hashStrings.js';
import { legacyUserFromRow } from '../../../local/import/rows.js';
import { LegacyUserError } from '../../../shared/migration/legacyUser.js';

const b64 = (length: number, fill = 7) => Buffer.alloc(length, fill).toString('base64');
const webSafe = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function reasonFor(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LegacyUserError) return error.message;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('a Firebase auth:export user', () => {
  // The shape `firebase auth:export users.json --format=json` writes.
  const user = {
    localId: 'Yx3tq9',
    email: 'Ada@Example.com',
    emailVerified: true,
    passwordHash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
    salt: '42xEC+ixf3L2lw==',
    displayName: 'Ada L.',
    createdAt: '1700000000000',
    providerUserInfo: [{ providerId: 'password', email: 'Ada@Example.com' }],
  };

  it('becomes a directory row under its lowercased email with a $firebase-scrypt$ hash', () => {
    const row = rowFromRecord({ kind: 'firebase' }, user);
    expect(row).toMatchObject({
      username: 'ada@example.com',
      passwordHash: `$firebase-scrypt$${user.salt}$${user.passwordHash}`,
      email: 'Ada@Example.com',
      emailVerified: true,
      disabled: false,
      attributes: { name: 'Ada L.' },
    });
    expect(legacyUserFromRow(row).passwordHash).toBe(row.passwordHash);
  });

  it('accepts web-safe unpadded base64 and writes it standard and padded', () => {
    const row = rowFromRecord({ kind: 'firebase' }, { ...user, salt: webSafe(user.salt), passwordHash: webSafe(user.passwordHash) });
    expect(row.passwordHash).toBe(`$firebase-scrypt$${user.salt}$${user.passwordHash}`);
  });

  it('is rejected with its reason when it has no password or no email', () => {
    expect(reasonFor(() => rowFromRecord({ kind: 'firebase' }, { localId: 'p', phoneNumber: '+15555550100' }))).toMatch(/email is missing/);
    expect(reasonFor(() => rowFromRecord({ kind: 'firebase' }, { email: 'g@example.com', providerUserInfo: [{ providerId: 'google.com' }] }))).toMatch(
      /no Firebase password/,
    );
    expect(reasonFor(() => rowFromRecord({ kind: 'firebase' }, { ...user, salt: 'not base64!' }))).toBe('salt is not base64');
  });
});

describe('the Firebase project parameters', () => {
  const valid = { signerKey: b64(64), saltSeparator: 'Bw==', rounds: '8', memCost: '14' };

  it('are checked like the migration function checks MIGRATION_FIREBASE_*, and printed as its settings', () => {
    expect(firebaseEnvLines(valid)).toEqual([
      `MIGRATION_FIREBASE_SIGNER_KEY=${valid.signerKey}`,
      'MIGRATION_FIREBASE_SALT_SEPARATOR=Bw==',
      'MIGRATION_FIREBASE_ROUNDS=8',
      'MIGRATION_FIREBASE_MEM_COST=14',
    ]);
  });

  it('are refused out of range or not base64, never quoting the signer key', () => {
    expect(() => firebaseEnvLines({ ...valid, rounds: '9' })).toThrow('--firebase-rounds (MIGRATION_FIREBASE_ROUNDS) must be a whole number from 1 to 8');
    expect(() => firebaseEnvLines({ ...valid, memCost: '0' })).toThrow('--firebase-mem-cost (MIGRATION_FIREBASE_MEM_COST) must be a whole number from 1 to 14');
    expect(() => firebaseEnvLines({ ...valid, saltSeparator: undefined })).toThrow("--from firebase needs the project's password hash parameters: --firebase-salt-separator");
    const secret = 'c2VjcmV0IQ';
    expect(() => firebaseEnvLines({ ...valid, signerKey: secret })).toThrow(/--firebase-signer-key \(MIGRATION_FIREBASE_SIGNER_KEY\) must be padded standard base64/);
    try {
      firebaseEnvLines({ ...valid, signerKey: secret });
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });
});

describe('a Keycloak realm export user', () => {
  const salt = b64(16, 1);
  const value = b64(64, 2);
  const user = {
    id: 'b0f1',
    username: 'ada',
    email: 'ada@example.com',
    emailVerified: true,
    enabled: true,
    firstName: 'Ada',
    lastName: 'Lovelace',
    credentials: [
      { type: 'otp', secretData: '{}', credentialData: '{}' },
      {
        type: 'password',
        secretData: JSON.stringify({ value, salt, additionalParameters: {} }),
        credentialData: JSON.stringify({ hashIterations: 27500, algorithm: 'pbkdf2-sha256', additionalParameters: {} }),
      },
    ],
  };

  it('becomes a row with $keycloak$<algorithm>$<iterations>$<salt>$<value> from credentialData and secretData', () => {
    expect(rowFromRecord({ kind: 'keycloak' }, user)).toMatchObject({
      username: 'ada',
      passwordHash: `$keycloak$pbkdf2-sha256$27500$${salt}$${value}`,
      email: 'ada@example.com',
      emailVerified: true,
      disabled: false,
      attributes: { given_name: 'Ada', family_name: 'Lovelace' },
    });
  });

  it('reads the flat credential fields of exports before Keycloak 12, and a disabled user stays disabled', () => {
    const old = { username: 'bo', enabled: false, credentials: [{ type: 'password', hashedSaltedValue: value, salt, hashIterations: 20000, algorithm: 'pbkdf2' }] };
    expect(rowFromRecord({ kind: 'keycloak' }, old)).toMatchObject({ passwordHash: `$keycloak$pbkdf2$20000$${salt}$${value}`, disabled: true });
  });

  it('is rejected with its reason for argon2, no password, a service account or a value of the wrong length', () => {
    const withCredential = (credentialData: object, secret = { value, salt }) => ({
      ...user,
      credentials: [{ type: 'password', secretData: JSON.stringify(secret), credentialData: JSON.stringify(credentialData) }],
    });
    expect(reasonFor(() => rowFromRecord({ kind: 'keycloak' }, withCredential({ algorithm: 'argon2', hashIterations: 5 })))).toMatch(
      /credential algorithm argon2 is not supported/,
    );
    expect(reasonFor(() => rowFromRecord({ kind: 'keycloak' }, { ...user, credentials: [] }))).toMatch(/has no password/);
    expect(reasonFor(() => rowFromRecord({ kind: 'keycloak' }, { ...user, serviceAccountClientId: 'api' }))).toMatch(/service account/);
    expect(reasonFor(() => rowFromRecord({ kind: 'keycloak' }, withCredential({ algorithm: 'pbkdf2-sha512', hashIterations: 210000 }, { value: b64(20), salt })))).toBe(
      'value is 20 bytes, expected 32 or 64',
    );
    expect(reasonFor(() => rowFromRecord({ kind: 'keycloak' }, withCredential({ algorithm: 'pbkdf2-sha512', hashIterations: 0 })))).toMatch(/hashIterations/);
    expect(reasonFor(() => rowFromRecord({ kind: 'keycloak' }, { ...user, credentials: [{ type: 'password', secretData: '{not json', credentialData: '{}' }] }))).toBe(
      'secretData is not a JSON object',
    );
  });
});

describe('an ASP.NET Membership row', () => {
  const salt = b64(16, 3);
  const row = { UserName: 'Ada', Email: 'ada@example.com', Password: b64(20, 4), PasswordFormat: '1', PasswordSalt: salt, IsApproved: 'True' };

  it('becomes a row with $aspnet-membership$<algorithm>$<salt>$<hash>, under the lowercased user name', () => {
    expect(rowFromRecord({ kind: 'aspnet-membership', algorithm: 'sha1' }, row)).toMatchObject({
      username: 'ada',
      passwordHash: `$aspnet-membership$sha1$${salt}$${row.Password}`,
      email: 'ada@example.com',
      disabled: false,
    });
    const hmac = { ...row, password: b64(32, 5), Password: undefined, IsApproved: undefined, isapproved: 'false' };
    expect(rowFromRecord({ kind: 'aspnet-membership', algorithm: 'hmacsha256' }, hmac)).toMatchObject({
      passwordHash: `$aspnet-membership$hmacsha256$${salt}$${hmac.password}`,
      disabled: true,
    });
  });

  it('is rejected for clear (0) and encrypted (2) passwords, and for a hash of the wrong length for the algorithm', () => {
    const sha1 = { kind: 'aspnet-membership', algorithm: 'sha1' } as const;
    expect(reasonFor(() => rowFromRecord(sha1, { ...row, PasswordFormat: '0' }))).toMatch(/^PasswordFormat 0 \(clear text\) is not imported/);
    expect(reasonFor(() => rowFromRecord(sha1, { ...row, PasswordFormat: '2' }))).toMatch(/^PasswordFormat 2 \(encrypted/);
    expect(reasonFor(() => rowFromRecord(sha1, { ...row, PasswordFormat: '' }))).toBe('PasswordFormat must be 1 (hashed)');
    expect(reasonFor(() => rowFromRecord({ kind: 'aspnet-membership', algorithm: 'hmacsha256' }, row))).toBe('Password is 20 bytes, expected 32');
  });
});

describe('the hash strings the import writes', () => {
  it('have the shape the directory row check accepts; near misses are named by their form', () => {
    const salt = b64(16);
    expect(importedHashProblem(`$firebase-scrypt$${salt}$${b64(64)}`)).toBeUndefined();
    expect(importedHashProblem(`$keycloak$pbkdf2-sha512$210000$${salt}$${b64(64)}`)).toBeUndefined();
    expect(importedHashProblem(`$aspnet-membership$hmacsha256$${salt}$${b64(32)}`)).toBeUndefined();
    expect(importedHashProblem(`$keycloak$argon2$3$${salt}$${b64(32)}`)).toBe('passwordHash is not a well-formed keycloak hash');
    expect(importedHashProblem(`$aspnet-membership$md5$${salt}$${b64(16)}`)).toBe('passwordHash is not a well-formed aspnet-membership hash');
    expect(importedHashProblem(`$firebase-scrypt$${webSafe(salt)}$${b64(64)}`)).toBe('passwordHash is not a well-formed firebase-scrypt hash');
  });

  it('in a directory export, a hash claiming one of these forms but not of its shape is rejected naming the form', () => {
    const row = (passwordHash: string) => ({ username: 'ada', passwordHash });
    expect(reasonFor(() => legacyUserFromRow(row(`$keycloak$pbkdf2-sha256$27500$${webSafe(b64(16))}$${b64(64)}`)))).toBe(
      'passwordHash is not a well-formed keycloak hash',
    );
    expect(importedHashProblem(`$aspnet-membership$sha1$${b64(16)}$${b64(20)}`)).toBeUndefined();
    expect(importedHashProblem('$2b$10$pAZf1urBLwAiyu24dxY7LOYTkgq1jyBm75ldWh.PPophCTRATrhye')).toBeUndefined();
  });
});
