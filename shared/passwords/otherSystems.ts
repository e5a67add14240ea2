import { aspnetIdentityScheme, aspnetMembershipScheme } from './aspnet.js';
import { md5CryptScheme, sha256CryptScheme, sha512CryptScheme } from './crypt.js';
import { djangoArgon2idScheme, djangoBcryptSha256Scheme } from './djangoModern.js';
import { drupal7Scheme } from './drupal.js';
import { firebaseScryptScheme } from './firebase.js';
import { keycloakPbkdf2Sha1Scheme, keycloakPbkdf2Sha256Scheme, keycloakPbkdf2Sha512Scheme } from './keycloak.js';
import { ldapCryptScheme, ldapMd5Scheme, ldapShaScheme, ldapSmd5Scheme } from './ldapLegacy.js';
import { passlibScryptScheme } from './scrypt.js';
import type { PasswordScheme } from './types.js';
import { werkzeugPbkdf2Sha256Scheme, werkzeugScryptScheme } from './werkzeug.js';
import { wordpressBcryptScheme } from './wordpress.js';

/**
 * Hashes other systems write (issue 13), each claimed by its own marker. ASP.NET Identity has
 * no marker (bare base64 of a versioned layout) and comes last, after every prefixed format.
 */
export const OTHER_SYSTEMS_SCHEMES: readonly PasswordScheme[] = [
  sha512CryptScheme,
  sha256CryptScheme,
  md5CryptScheme,
  ldapCryptScheme,
  ldapShaScheme,
  ldapMd5Scheme,
  ldapSmd5Scheme,
  drupal7Scheme,
  wordpressBcryptScheme,
  djangoBcryptSha256Scheme,
  djangoArgon2idScheme,
  werkzeugPbkdf2Sha256Scheme,
  werkzeugScryptScheme,
  passlibScryptScheme,
  firebaseScryptScheme,
  keycloakPbkdf2Sha256Scheme,
  keycloakPbkdf2Sha512Scheme,
  keycloakPbkdf2Sha1Scheme,
  aspnetMembershipScheme,
  aspnetIdentityScheme,
];
