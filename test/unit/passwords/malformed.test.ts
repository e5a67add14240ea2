import { describe, expect, it } from 'vitest';
import { type HashFormat, verifyPassword } from '../../../shared/passwords/index.js';
import { captureLogs, vectorFrom } from './helpers.js';

const b64 = (bytes: number): string => Buffer.alloc(bytes, 7).toString('base64');
const phc = (bytes: number): string => b64(bytes).replace(/=+$/, '');

const django256 = vectorFrom('django-pbkdf2-sha256', 'django');
const [, , djangoSalt = '', djangoDigest = ''] = django256.hash.split('$');
const phpass = vectorFrom('phpass', 'WordPress');
const argon = vectorFrom('argon2id', 'php');
const [, , , , argonSalt = '', argonHash = ''] = argon.hash.split('$');
const ssha = vectorFrom('ldap-ssha', 'slappasswd');

const cases: [HashFormat, string, string][] = [
  ['django-pbkdf2-sha256', 'zero iterations', `pbkdf2_sha256$0$${djangoSalt}$${djangoDigest}`],
  ['django-pbkdf2-sha256', 'over 10 million iterations', `pbkdf2_sha256$10000001$${djangoSalt}$${djangoDigest}`],
  ['django-pbkdf2-sha256', 'iterations that are not a number', `pbkdf2_sha256$1e5$${djangoSalt}$${djangoDigest}`],
  ['django-pbkdf2-sha256', 'no digest field', django256.hash.slice(0, django256.hash.lastIndexOf('$'))],
  ['django-pbkdf2-sha256', 'a truncated digest', django256.hash.slice(0, -3)],
  ['django-pbkdf2-sha256', 'an empty salt', `pbkdf2_sha256$1000$$${djangoDigest}`],
  ['django-pbkdf2-sha256', 'a digest that is not base64', `pbkdf2_sha256$1000$${djangoSalt}$${'!'.repeat(44)}`],
  ['django-pbkdf2-sha256', 'a digest of the wrong length', `pbkdf2_sha256$1000$${djangoSalt}$${b64(20)}`],
  ['django-pbkdf2-sha256', 'an extra field', `${django256.hash}$x`],
  ['django-pbkdf2-sha1', 'a sha256-sized digest', `pbkdf2_sha1$1000$${djangoSalt}$${djangoDigest}`],
  ['django-pbkdf2-sha1', 'only the prefix', 'pbkdf2_sha1$'],
  ['ldap-ssha', 'a truncated body', ssha.hash.slice(0, -2)],
  ['ldap-ssha', 'a body that is not base64', '{SSHA}abc$def'],
  ['ldap-ssha', 'a digest and no salt', `{SSHA}${b64(20)}`],
  ['ldap-ssha', 'a salt shorter than 4 bytes', `{SSHA}${b64(23)}`],
  ['ldap-ssha256', 'a body shorter than the digest', `{SSHA256}${b64(30)}`],
  ['ldap-ssha512', 'a salt longer than 64 bytes', `{SSHA512}${b64(64 + 65)}`],
  ['ldap-ssha512', 'an empty body', '{SSHA512}'],
  ['phpass', 'fewer than 2^7 rounds', `$P$4${phpass.hash.slice(4)}`],
  ['phpass', 'more than 2^20 rounds', `$P$J${phpass.hash.slice(4)}`],
  ['phpass', 'a truncated hash', phpass.hash.slice(0, -1)],
  ['phpass', 'a character outside itoa64', `${phpass.hash.slice(0, -1)}+`],
  ['argon2id', 'memory over 256 MiB', `$argon2id$v=19$m=262145,t=1,p=1$${argonSalt}$${argonHash}`],
  ['argon2id', 'more than 10 passes', `$argon2id$v=19$m=1024,t=11,p=1$${argonSalt}$${argonHash}`],
  ['argon2id', 'zero passes', `$argon2id$v=19$m=1024,t=0,p=1$${argonSalt}$${argonHash}`],
  ['argon2id', 'zero lanes', `$argon2id$v=19$m=1024,t=1,p=0$${argonSalt}$${argonHash}`],
  ['argon2id', 'more than 16 lanes', `$argon2id$v=19$m=4096,t=1,p=17$${argonSalt}$${argonHash}`],
  ['argon2id', 'less memory than 8 KiB per lane', `$argon2id$v=19$m=31,t=1,p=4$${argonSalt}$${argonHash}`],
  ['argon2id', 'version 16', `$argon2id$v=16$m=1024,t=1,p=1$${argonSalt}$${argonHash}`],
  ['argon2id', 'no version', `$argon2id$m=1024,t=1,p=1$${argonSalt}$${argonHash}`],
  ['argon2id', 'parameters out of order', `$argon2id$v=19$t=1,m=1024,p=1$${argonSalt}$${argonHash}`],
  ['argon2id', 'a salt shorter than 8 bytes', `$argon2id$v=19$m=1024,t=1,p=1$${phc(7)}$${argonHash}`],
  ['argon2id', 'padded base64', `$argon2id$v=19$m=1024,t=1,p=1$${b64(16)}$${argonHash}`],
  ['argon2id', 'a hash body cut to an impossible base64 length (41 characters)', `$argon2id$v=19$m=1024,t=1,p=1$${argonSalt}$${argonHash.slice(0, 41)}`],
  ['argon2id', 'a hash shorter than 12 bytes', `$argon2id$v=19$m=1024,t=1,p=1$${argonSalt}$${phc(8)}`],
  ['argon2id', 'parameters cut short', argon.hash.slice(0, 25)],
];

describe('malformed hashes', () => {
  it.each(cases)('when a %s hash has %s, verification fails as malformed, logs a warning and does not throw', async (format, _, bad) => {
    const password = 'correct horse battery staple';
    const logs = captureLogs();
    try {
      expect(await verifyPassword(password, bad)).toEqual({ ok: false, format: 'malformed', claimed: format });
    } finally {
      logs.restore();
    }
    expect(logs.entries()).toEqual([expect.objectContaining({ level: 'WARN', hashFormat: format, reason: expect.any(String) })]);
    expect(logs.text()).not.toContain(password);
    expect(logs.text()).not.toContain(bad);
  });
});
