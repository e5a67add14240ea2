import { describe, expect, it } from 'vitest';
import { HASH_FORMATS, verifyPassword } from '../../../shared/passwords/index.js';
import { captureLogs, settingsOf, vectorFrom, vectors } from './helpers.js';

describe('verifyPassword', () => {
  it('lists the formats it verifies', () => {
    expect([...HASH_FORMATS].sort()).toEqual(
      [
        'argon2id', 'bcrypt', 'django-pbkdf2-sha1', 'django-pbkdf2-sha256', 'ldap-ssha', 'ldap-ssha256', 'ldap-ssha512', 'phpass',
        // issue 13
        'aspnet-identity', 'aspnet-membership', 'firebase-scrypt', 'passlib-scrypt', 'werkzeug-scrypt', 'werkzeug-pbkdf2-sha256',
        'sha512-crypt', 'sha256-crypt', 'md5-crypt', 'ldap-crypt', 'ldap-sha', 'ldap-md5', 'ldap-smd5', 'drupal7', 'wordpress-bcrypt',
        'django-bcrypt-sha256', 'django-argon2id', 'keycloak-pbkdf2-sha256', 'keycloak-pbkdf2-sha512', 'keycloak-pbkdf2',
      ].sort(),
    );
  });

  it.each([
    ['an empty hash', ''],
    ['a plaintext password', 'hunter2-plaintext'],
    // sha512-crypt and unsalted LDAP {SHA} are supported since issue 13; these neighbours are not.
    ['yescrypt', '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7'],
    ['unsalted LDAP SHA-256', '{SHA256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg='],
    ['DES crypt', 'ab01FAX.bQRSU'],
    ['argon2i', '$argon2i$v=19$m=1024,t=2,p=1$c29tZXNhbHQxMjM0$tVIPZ667xyhAoJJYrrmNz2nUkjNBLNuKpA2K5pyIxsA'],
    ['Django bcrypt', 'bcrypt$$2b$05$7OoS1SYU/aBkmlZR8qy8oeqKX1CO1SH7AHjBZuWN1VnQFZCbfE0G6'],
    ['plain MD5', '5f4dcc3b5aa765d61d8327deb882cf99'],
  ])('when the hash is %s, verification fails as unknown and logs a warning without the hash', async (_, hash) => {
    const password = 'hunter2-plaintext';
    const logs = captureLogs();
    try {
      expect(await verifyPassword(password, hash)).toEqual({ ok: false, format: 'unknown' });
    } finally {
      logs.restore();
    }
    expect(logs.entries()).toEqual([expect.objectContaining({ level: 'WARN', hashFormat: 'unknown' })]);
    if (hash !== '') expect(logs.text()).not.toContain(hash);
    expect(logs.text()).not.toContain(password);
  });

  it('when a check succeeds or fails normally, nothing is logged', async () => {
    const v = vectorFrom('ldap-ssha', 'slappasswd');
    const logs = captureLogs();
    try {
      await verifyPassword(v.password, v.hash);
      await verifyPassword('wrong', v.hash);
    } finally {
      logs.restore();
    }
    expect(logs.text()).toBe('');
  });

  it('when the stored hash is not a string, verification fails as unknown without throwing', async () => {
    const logs = captureLogs();
    try {
      for (const hash of [undefined, null, 42, {}]) {
        expect(await verifyPassword('pw', hash as unknown as string)).toEqual({ ok: false, format: 'unknown' });
      }
    } finally {
      logs.restore();
    }
  });

  it('when the password is not a string, verification fails for that format without throwing', async () => {
    const v = vectorFrom('bcrypt', 'php');
    const logs = captureLogs();
    try {
      expect(await verifyPassword(undefined as unknown as string, v.hash)).toEqual({ ok: false, format: 'bcrypt' });
    } finally {
      logs.restore();
    }
    expect(logs.entries()).toEqual([expect.objectContaining({ level: 'WARN', hashFormat: 'bcrypt' })]);
  });

  it.each(HASH_FORMATS)('when the password is empty, a %s check fails without throwing', async (format) => {
    const v = vectors.find((x) => x.format === format);
    expect(await verifyPassword('', v?.hash ?? '', settingsOf(v ?? {}))).toEqual({ ok: false, format });
  });

  it('recognises LDAP scheme tags in any case, as RFC 2307 allows', async () => {
    const v = vectorFrom('ldap-ssha256', 'slappasswd');
    expect(await verifyPassword(v.password, v.hash.replace('{SSHA256}', '{ssha256}'))).toEqual({ ok: true, format: 'ldap-ssha256' });
  });

  it('a $H$ (phpBB) hash verifies like a $P$ (WordPress) one', async () => {
    const v = vectorFrom('phpass', 'ident H');
    expect(v.hash.startsWith('$H$')).toBe(true);
    expect(await verifyPassword(v.password, v.hash)).toEqual({ ok: true, format: 'phpass' });
  });

  it('a Django default-iteration hash verifies', async () => {
    const v = vectorFrom('django-pbkdf2-sha256', 'Django default');
    expect(await verifyPassword(v.password, v.hash)).toEqual({ ok: true, format: 'django-pbkdf2-sha256' });
  });
});
