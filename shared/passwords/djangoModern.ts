import { createHash } from 'node:crypto';
import { argon2idScheme } from './argon2.js';
import { bcryptScheme } from './bcrypt.js';
import type { PasswordScheme } from './types.js';

/** Django's BCryptSHA256PasswordHasher: `bcrypt_sha256$` + bcrypt over the hex SHA-256 of the password. */
export const djangoBcryptSha256Scheme: PasswordScheme = {
  format: 'django-bcrypt-sha256',
  claims: (hash) => hash.startsWith('bcrypt_sha256$'),
  check(password, hash, settings) {
    const prehash = createHash('sha256').update(password, 'utf8').digest('hex');
    return bcryptScheme.check(prehash, hash.slice('bcrypt_sha256$'.length), settings);
  },
};

/** Django's Argon2PasswordHasher: `argon2` + the PHC string (argon2id since Django 3.2), same caps as argon2id. */
export const djangoArgon2idScheme: PasswordScheme = {
  format: 'django-argon2id',
  claims: (hash) => hash.startsWith('argon2$argon2id$'),
  check(password, hash, settings) {
    return argon2idScheme.check(password, hash.slice('argon2'.length), settings);
  },
};
