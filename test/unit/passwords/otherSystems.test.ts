import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { loadMigrationConfig } from '../../../shared/migration/config.js';
import { type HashFormat, hashFormatOf, loadFirebaseScryptParameters, useMemorySize, verifyPassword } from '../../../shared/passwords/index.js';
import { captureLogs, settingsOf, vectorFrom, vectors } from './helpers.js';

const PASSWORD = 'correct horse battery staple';
const b64 = (bytes: number, fill = 7): string => Buffer.alloc(bytes, fill).toString('base64');
/** Replaces the last `$`-separated field. */
const withLast = (hash: string, last: string): string => `${hash.slice(0, hash.lastIndexOf('$') + 1)}${last}`;

const sha512 = vectorFrom('sha512-crypt', 'mkpasswd -m sha512crypt (');
const sha256 = vectorFrom('sha256-crypt', 'mkpasswd -m sha256crypt (');
const md5 = vectorFrom('md5-crypt', 'mkpasswd');
const sha512Salt = sha512.hash.split('$')[2] ?? '';
const sha512Checksum = sha512.hash.split('$')[3] ?? '';
const drupal = vectorFrom('drupal7', 'hashcat');
const wordpress = vectorFrom('wordpress-bcrypt', 'cost 5');
const djangoBcrypt = vectorFrom('django-bcrypt-sha256', 'django');
const djangoArgon = vectorFrom('django-argon2id', 'm=1024');
const werkzeugPbkdf2 = vectorFrom('werkzeug-pbkdf2-sha256', '20000');
const werkzeugScrypt = vectorFrom('werkzeug-scrypt', '4096');
const passlibScrypt = vectorFrom('passlib-scrypt', 'ln=10');
const firebase = vectorFrom('firebase-scrypt', 'README');
const keycloak = vectorFrom('keycloak-pbkdf2-sha256', 'Keycloak');
const membership = vectorFrom('aspnet-membership', 'hmacsha256');
const identityV3 = vectorFrom('aspnet-identity', 'HashPassword_Version3');
const [, , , kcSalt = '', kcValue = ''] = keycloak.hash.slice(1).split('$');
const kcSha1 = vectorFrom('keycloak-pbkdf2', 'Keycloak');

/** ASP.NET Identity v3 bytes: header, then salt and subkey (base64). */
function identityV3Hash(prf: number, iterations: number, saltLength: number, subkeyLength: number): string {
  const header = Buffer.alloc(13);
  header[0] = 1;
  header.writeUInt32BE(prf, 1);
  header.writeUInt32BE(iterations, 5);
  header.writeUInt32BE(saltLength, 9);
  return Buffer.concat([header, Buffer.alloc(saltLength + subkeyLength, 9)]).toString('base64');
}

const truncatedAndMalformed: [HashFormat, string, string][] = [
  ['sha512-crypt', 'a truncated checksum', sha512.hash.slice(0, -1)],
  ['sha512-crypt', 'no checksum', `$6$${sha512Salt}`],
  ['sha512-crypt', 'a character outside the crypt alphabet', `${sha512.hash.slice(0, -1)}+`],
  ['sha512-crypt', 'a salt over 16 characters', `$6$${'s'.repeat(17)}$${sha512Checksum}`],
  ['sha512-crypt', 'rounds below 1000', `$6$rounds=999$${sha512Salt}$${sha512Checksum}`],
  ['sha512-crypt', 'rounds that are not a number', `$6$rounds=5e3$${sha512Salt}$${sha512Checksum}`],
  ['sha256-crypt', 'a SHA-512-sized checksum', `$5$${sha512Salt}$${sha512Checksum}`],
  ['sha256-crypt', 'a truncated checksum', sha256.hash.slice(0, -2)],
  ['md5-crypt', 'a truncated checksum', md5.hash.slice(0, -1)],
  ['md5-crypt', 'a salt over 8 characters', `$1$123456789$${md5.hash.split('$')[3] ?? ''}`],
  ['ldap-crypt', 'a DES crypt string (not supported)', '{CRYPT}ab01FAX.bQRSU'],
  ['ldap-crypt', 'a bcrypt crypt string (not supported)', '{CRYPT}$2y$05$1JQtq.q6RxIWMheF79sOvu/ncZcEz/Eey.ANcQJoB73LFDxt7FO3m'],
  ['ldap-crypt', 'a truncated SHA-512-crypt string', `{CRYPT}${sha512.hash.slice(0, -3)}`],
  ['ldap-sha', 'a truncated digest', '{SHA}q/eq1kOINtvlJqojGr3i0O73TU='],
  ['ldap-sha', 'a digest that is not base64', '{SHA}q/eq1kOINtvlJqoj$r3i0O73TUI='],
  ['ldap-md5', 'a SHA-1-sized digest', `{MD5}${b64(20)}`],
  ['ldap-smd5', 'a digest and no salt', `{SMD5}${b64(16)}`],
  ['drupal7', 'a truncated hash', drupal.hash.slice(0, -1)],
  ['drupal7', 'the full 86-character encoding instead of 43', `${drupal.hash}${'a'.repeat(43)}`],
  ['drupal7', 'fewer than 2^7 rounds', `$S$4${drupal.hash.slice(4)}`],
  ['wordpress-bcrypt', 'a truncated bcrypt part', wordpress.hash.slice(0, -1)],
  ['wordpress-bcrypt', 'no bcrypt part', '$wp$'],
  ['django-bcrypt-sha256', 'a truncated bcrypt part', djangoBcrypt.hash.slice(0, -1)],
  ['django-argon2id', 'a truncated hash', djangoArgon.hash.slice(0, 40)],
  ['werkzeug-pbkdf2-sha256', 'no iteration count', werkzeugPbkdf2.hash.replace(/^pbkdf2:sha256:[0-9]+/, 'pbkdf2:sha256')],
  ['werkzeug-pbkdf2-sha256', 'a truncated key', werkzeugPbkdf2.hash.slice(0, -2)],
  ['werkzeug-pbkdf2-sha256', 'an uppercase hex key', werkzeugPbkdf2.hash.toUpperCase().replace('PBKDF2:SHA256', 'pbkdf2:sha256')],
  ['werkzeug-pbkdf2-sha256', 'no salt', werkzeugPbkdf2.hash.replace(/\$[^$]*\$/, '$$')],
  ['werkzeug-scrypt', 'N that is not a power of two', werkzeugScrypt.hash.replace('scrypt:4096:', 'scrypt:4095:')],
  ['werkzeug-scrypt', 'a truncated key', werkzeugScrypt.hash.slice(0, -2)],
  ['werkzeug-scrypt', 'parameters missing', werkzeugScrypt.hash.replace('scrypt:4096:8:2', 'scrypt')],
  ['passlib-scrypt', 'a truncated key', passlibScrypt.hash.slice(0, -3)],
  ['passlib-scrypt', 'padded base64', withLast(passlibScrypt.hash, b64(32))],
  ['passlib-scrypt', 'parameters out of order', passlibScrypt.hash.replace('ln=10,r=8', 'r=8,ln=10')],
  ['firebase-scrypt', 'a truncated hash', firebase.hash.slice(0, -4)],
  ['firebase-scrypt', 'no salt', `$firebase-scrypt$$${firebase.hash.split('$')[3] ?? ''}`],
  ['firebase-scrypt', 'an extra field', `${firebase.hash}$AAAA`],
  ['keycloak-pbkdf2-sha256', 'a truncated value', keycloak.hash.slice(0, -4)],
  ['keycloak-pbkdf2-sha256', 'no iteration count', `$keycloak$pbkdf2-sha256$$${kcSalt}$${kcValue}`],
  ['keycloak-pbkdf2-sha256', 'a value under 16 bytes', `$keycloak$pbkdf2-sha256$1000$${kcSalt}$${b64(8)}`],
  ['keycloak-pbkdf2-sha512', 'an empty salt', `$keycloak$pbkdf2-sha512$1000$$${kcValue}`],
  ['keycloak-pbkdf2', 'an extra field', `$keycloak$pbkdf2$1000$${kcSalt}$${kcValue}$x`],
  ['aspnet-membership', 'a truncated hash', membership.hash.slice(0, -4)],
  ['aspnet-membership', 'a SHA-1-sized hash for HMACSHA256', withLast(membership.hash, b64(20))],
  ['aspnet-membership', 'an unknown algorithm', membership.hash.replace('hmacsha256', 'md5')],
  ['aspnet-membership', 'no salt', membership.hash.replace(/hmacsha256\$[^$]*\$/, 'hmacsha256$$')],
  // Published in dotnet/aspnetcore PasswordHasherTest.cs as failure cases ("too short", "extra data at end").
  ['aspnet-identity', 'a v2 payload that is too short', 'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1u'],
  ['aspnet-identity', 'a v2 payload with extra data at the end', 'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJgAAAAAAAAAAAAA='],
  ['aspnet-identity', 'a v3 payload truncated', identityV3.hash.slice(0, 64)],
  ['aspnet-identity', 'an unknown v3 PRF', identityV3Hash(3, 1000, 16, 32)],
  ['aspnet-identity', 'a v3 salt under 16 bytes', identityV3Hash(1, 1000, 8, 40)],
  ['aspnet-identity', 'a v3 salt length past the end', Buffer.concat([Buffer.from(identityV3Hash(1, 1000, 200, 32), 'base64').subarray(0, 13), Buffer.alloc(48, 9)]).toString('base64')],
  ['aspnet-identity', 'a v3 subkey of an odd length', identityV3Hash(1, 1000, 16, 31)],
  ['aspnet-identity', 'zero v3 iterations', identityV3Hash(1, 0, 16, 32)],
];

/** Within the format's own range, but more than a check may cost at one vCPU (limits.ts; tests run at 1769 MB). */
const overTheCap: [HashFormat, string, string][] = [
  ['sha512-crypt', 'over 1,000,000 rounds', `$6$rounds=1000001$${sha512Salt}$${sha512Checksum}`],
  ['sha256-crypt', '999,999,999 rounds (the specification’s maximum)', `$5$rounds=999999999$${sha512Salt}$${sha256.hash.split('$')[3] ?? ''}`],
  ['ldap-crypt', 'a wrapped SHA-512-crypt of 1,000,001 rounds', `{CRYPT}$6$rounds=1000001$${sha512Salt}$${sha512Checksum}`],
  ['drupal7', '2^21 rounds', `$S$J${drupal.hash.slice(4)}`],
  ['drupal7', '2^30 rounds (Drupal 7’s maximum)', `$S$S${drupal.hash.slice(4)}`],
  ['werkzeug-scrypt', 'work N·r·p of 2^23', werkzeugScrypt.hash.replace('scrypt:4096:8:2', 'scrypt:65536:8:16')],
  ['keycloak-pbkdf2', '10 million iterations of 4 SHA-1 blocks', kcSha1.hash.replace('$20000$', '$10000000$')],
];

/** Beyond what the format itself allows: malformed, whatever the memory. */
const beyondTheFormat: [HashFormat, string, string][] = [
  ['sha512-crypt', 'over 999,999,999 rounds', `$6$rounds=1000000000$${sha512Salt}$${sha512Checksum}`],
  ['drupal7', 'over 2^30 rounds', `$S$T${drupal.hash.slice(4)}`],
  ['wordpress-bcrypt', 'bcrypt cost over 15', wordpress.hash.replace('$2y$05$', '$2y$16$')],
  ['django-bcrypt-sha256', 'bcrypt cost over 15', djangoBcrypt.hash.replace('$2b$05$', '$2b$16$')],
  ['django-argon2id', 'memory over 256 MiB', djangoArgon.hash.replace('m=1024', 'm=262145')],
  ['werkzeug-pbkdf2-sha256', 'over 10 million iterations', werkzeugPbkdf2.hash.replace(':20000$', ':10000001$')],
  ['werkzeug-scrypt', 'memory over 256 MiB (N = 2^20, r = 8)', werkzeugScrypt.hash.replace('scrypt:4096:8:2', 'scrypt:1048576:8:1')],
  ['passlib-scrypt', 'memory over 256 MiB (ln=20)', passlibScrypt.hash.replace('ln=10', 'ln=20')],
  ['passlib-scrypt', 'more than 16 lanes', passlibScrypt.hash.replace('p=1', 'p=17')],
  ['keycloak-pbkdf2-sha256', 'over 10 million iterations', keycloak.hash.replace('$27500$', '$10000001$')],
  ['aspnet-identity', 'v3 over 10 million iterations', identityV3Hash(2, 10_000_001, 16, 32)],
];

/**
 * Tried with every password the format's vectors were made from, so a truncated hash that would
 * still match its own password (PBKDF2 and scrypt outputs are prefixes of longer ones) is caught.
 */
function expectMalformedQuietly(format: HashFormat, bad: string, settings = {}, kind: 'malformed' | 'over-cap' = 'malformed') {
  return async () => {
    const passwords = new Set([PASSWORD, ...vectors.filter((v) => v.format === format).map((v) => v.password)]);
    for (const password of passwords) {
      const logs = captureLogs();
      try {
        expect(await verifyPassword(password, bad, settings)).toEqual({ ok: false, format: kind, claimed: format });
      } finally {
        logs.restore();
      }
      expect(logs.entries()).toEqual([expect.objectContaining({ level: 'WARN', hashFormat: format, reason: expect.any(String) })]);
      expect(logs.text()).not.toContain(password);
      expect(logs.text()).not.toContain(bad);
    }
  };
}

describe('hashes other systems write', () => {
  it.each(truncatedAndMalformed)('when a %s hash has %s, verification fails as malformed with a warning naming only the format', (format, _, bad) =>
    expectMalformedQuietly(format, bad, settingsOf(firebase))(),
  );

  it.each(beyondTheFormat)('when a %s hash asks for %s, it fails as malformed before any work is spent', (format, _, bad) =>
    expectMalformedQuietly(format, bad, settingsOf(firebase))(),
  );

  it.each(overTheCap)('when a %s hash asks for %s, it is refused as over the cap before any work is spent', (format, _, bad) =>
    expectMalformedQuietly(format, bad, settingsOf(firebase), 'over-cap')(),
  );

  describe('at 128 MB (32 MiB for hashing, a 7% CPU share)', () => {
    beforeEach(() => useMemorySize(128));
    afterEach(() => useMemorySize(undefined));
    it.each([
      ['django-argon2id', 'Django’s default memory (100 MiB)', vectorFrom('django-argon2id', 'defaults').hash],
      ['passlib-scrypt', 'passlib’s default memory (64 MiB)', vectorFrom('passlib-scrypt', 'defaults').hash],
    ] as const)('a %s hash of %s is refused as over the cap', (format, _, hash) => expectMalformedQuietly(format, hash, {}, 'over-cap')());

    it('a Firebase hash of a real project’s parameters (16 MiB) is still checked', async () => {
      expect(await verifyPassword(firebase.password, firebase.hash, settingsOf(firebase))).toEqual({ ok: true, format: 'firebase-scrypt' });
    });
  });

  const withChecks = vectors.filter((v) => v.checks && !['bcrypt'].includes(v.format));
  it.each(withChecks.flatMap((v) => (v.checks ?? []).map((c) => [v.generator, JSON.stringify(c.password), c.ok, c.password, v.hash] as const)))(
    'we give the same verdict as %s for %s (accepts: %s)',
    async (_, __, expected, password, hash) => {
      expect((await verifyPassword(password, hash)).ok).toBe(expected);
    },
  );

  it('a WordPress 6.8 hash counts every byte of a long password, unlike plain bcrypt', async () => {
    const long = vectors.find((v) => v.format === 'wordpress-bcrypt' && Buffer.byteLength(v.password) > 72);
    expect(long?.checks?.every((c) => !c.ok)).toBe(true);
    expect(await verifyPassword(long?.password ?? '', long?.hash ?? '')).toEqual({ ok: true, format: 'wordpress-bcrypt' });
  });

  it('a WordPress 6.8 password is trimmed as wp_authenticate trims it', async () => {
    const spaced = vectors.find((v) => v.format === 'wordpress-bcrypt' && v.password.startsWith('  spaced'));
    expect(spaced?.checks).toContainEqual({ password: 'spaced password', ok: true });
    expect(await verifyPassword('\n spaced password \0', spaced?.hash ?? '')).toEqual({ ok: true, format: 'wordpress-bcrypt' });
  });

  it('recognises {CRYPT}, {SHA}, {MD5} and {SMD5} in any case, as RFC 2307 allows', async () => {
    for (const format of ['ldap-crypt', 'ldap-sha', 'ldap-md5', 'ldap-smd5'] as const) {
      const v = vectorFrom(format, 'slappasswd');
      const lower = v.hash.replace(/^\{[A-Z0-9]+\}/, (tag) => tag.toLowerCase());
      expect(await verifyPassword(v.password, lower)).toEqual({ ok: true, format });
    }
  });

  it('an ASP.NET Membership password is UTF-16LE, so characters outside the BMP count as surrogate pairs', async () => {
    const astral = vectors.filter((v) => v.format === 'aspnet-membership' && /[\u{10000}-\u{10FFFF}]/u.test(v.password));
    expect(astral.length).toBeGreaterThanOrEqual(2);
    for (const v of astral) expect(await verifyPassword(v.password, v.hash)).toEqual({ ok: true, format: 'aspnet-membership' });
  });

  it('an ASP.NET Identity payload published as "incorrect password" fails as a wrong password', async () => {
    for (const hash of ['AAABAgMEBQYHCAkKCwwNDg+uAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALtH1uJg==', 'AQAAAAAAAAD6AAAAEAhftMyfTJyAAAAAAAAAAAAAAAAAAAih5WsjXaR3PA9M']) {
      expect(await verifyPassword('my password', hash)).toEqual({ ok: false, format: 'aspnet-identity' });
    }
  });
});

describe('telling ASP.NET Identity hashes (bare base64, no marker) from other text', () => {
  it.each([
    ['a v2 hash', 'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==', 'aspnet-identity'],
    ['a v3 hash', identityV3.hash, 'aspnet-identity'],
    ['a hex SHA-256 digest', 'a'.repeat(64), undefined],
    ['a hex MD5 digest', '5f4dcc3b5aa765d61d8327deb882cf99', undefined],
    ['a short base64 string starting with A', 'AAAAAAAAAAAA', undefined],
    ['base64 whose first byte is 0x02', Buffer.concat([Buffer.from([2]), Buffer.alloc(60, 1)]).toString('base64'), undefined],
    ['a long plaintext password with a space', `A${'a'.repeat(70)} b`, undefined],
  ])('%s is %s', (_, hash, expected) => {
    expect(hashFormatOf(hash)).toBe(expected);
  });
});

describe('Firebase project hash parameters', () => {
  const env = {
    MIGRATION_FIREBASE_SIGNER_KEY: firebase.firebaseScrypt?.signerKey,
    MIGRATION_FIREBASE_SALT_SEPARATOR: 'Bw==',
    MIGRATION_FIREBASE_ROUNDS: '8',
    MIGRATION_FIREBASE_MEM_COST: '14',
  };

  it('are read once from the environment into the migration config', async () => {
    const config = loadMigrationConfig({ LEGACY_USERS_TABLE: 't', ...env });
    expect(config.firebaseScrypt).toEqual(settingsOf(firebase).firebaseScrypt);
    expect(await verifyPassword(firebase.password, firebase.hash, { firebaseScrypt: config.firebaseScrypt })).toEqual({ ok: true, format: 'firebase-scrypt' });
  });

  it('are optional: with none of the variables set there are none', () => {
    expect(loadFirebaseScryptParameters({})).toBeUndefined();
    expect(loadMigrationConfig({ LEGACY_USERS_TABLE: 't' }).firebaseScrypt).toBeUndefined();
  });

  it.each([
    ['only some variables are set', { ...env, MIGRATION_FIREBASE_ROUNDS: undefined }, /MIGRATION_FIREBASE_ROUNDS must be set too/],
    ['the signer key is not base64', { ...env, MIGRATION_FIREBASE_SIGNER_KEY: 'not base64!' }, /MIGRATION_FIREBASE_SIGNER_KEY must be padded standard base64/],
    ['the separator is not base64', { ...env, MIGRATION_FIREBASE_SALT_SEPARATOR: 'Bw' }, /MIGRATION_FIREBASE_SALT_SEPARATOR/],
    ['rounds are over 8', { ...env, MIGRATION_FIREBASE_ROUNDS: '9' }, /MIGRATION_FIREBASE_ROUNDS must be a whole number from 1 to 8/],
    ['rounds are 0', { ...env, MIGRATION_FIREBASE_ROUNDS: '0' }, /MIGRATION_FIREBASE_ROUNDS/],
    ['the memory cost is over 14', { ...env, MIGRATION_FIREBASE_MEM_COST: '15' }, /MIGRATION_FIREBASE_MEM_COST must be a whole number from 1 to 14/],
  ])('fail the cold start with a message naming the variable when %s', (_, bad, message) => {
    expect(() => loadMigrationConfig({ LEGACY_USERS_TABLE: 't', ...bad })).toThrow(ConfigError);
    expect(() => loadMigrationConfig({ LEGACY_USERS_TABLE: 't', ...bad })).toThrow(message);
  });

  it('a bad signer key is never quoted in the error', () => {
    const secretish = 'c2VjcmV0LWJ1dC10b28tc2hvcnQ'; // unpadded, so refused
    expect(() => loadFirebaseScryptParameters({ ...env, MIGRATION_FIREBASE_SIGNER_KEY: secretish })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secretish) }),
    );
  });

  it('when they are not configured, a Firebase hash fails as unusable with a warning naming the format', () =>
    expectMalformedQuietly('firebase-scrypt', firebase.hash, {})(),
  );

  it("when they are another project's, the right password fails", async () => {
    const other = vectors.find((v) => v.format === 'firebase-scrypt' && v.firebaseScrypt?.signerKey !== firebase.firebaseScrypt?.signerKey);
    expect(other).toBeDefined();
    expect(await verifyPassword(other?.password ?? '', other?.hash ?? '', settingsOf(firebase))).toEqual({ ok: false, format: 'firebase-scrypt' });
  });
});
