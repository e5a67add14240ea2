import { createHash } from 'node:crypto';
import { CRYPT_SCHEMES } from './crypt.js';
import { decodeBase64, equalBytes } from './encoding.js';
import { saltedDigest } from './ldap.js';
import { checked, malformed, type HashFormat, type PasswordScheme } from './types.js';

/** Scheme tags are case-insensitive (RFC 2307). */
const hasTag = (hash: string, tag: string): boolean => hash.slice(0, tag.length).toUpperCase() === tag;

/** RFC 2307 unsalted `{TAG}base64(digest(password))`. */
function plainDigest(tag: string, format: HashFormat, digest: 'md5' | 'sha1', digestLength: number): PasswordScheme {
  return {
    format,
    claims: (hash) => hasTag(hash, tag),
    async check(password, hash) {
      const expected = decodeBase64(hash.slice(tag.length), true);
      if (expected?.length !== digestLength) return malformed('not padded base64 of the digest length');
      return checked(equalBytes(createHash(digest).update(Buffer.from(password, 'utf8')).digest(), expected));
    },
  };
}

export const ldapShaScheme = plainDigest('{SHA}', 'ldap-sha', 'sha1', 20);
export const ldapMd5Scheme = plainDigest('{MD5}', 'ldap-md5', 'md5', 16);
export const ldapSmd5Scheme = saltedDigest('{SMD5}', 'ldap-smd5', 'md5', 16);

/** `{CRYPT}` followed by a crypt(3) string: checked by the SHA-512/SHA-256/MD5-crypt schemes. */
export const ldapCryptScheme: PasswordScheme = {
  format: 'ldap-crypt',
  claims: (hash) => hasTag(hash, '{CRYPT}'),
  async check(password, hash, settings) {
    const inner = hash.slice('{CRYPT}'.length);
    const scheme = CRYPT_SCHEMES.find((s) => s.claims(inner));
    // DES, bcrypt and yescrypt crypt(3) strings are not accepted behind {CRYPT}.
    if (!scheme) return malformed('not a $1$, $5$ or $6$ crypt string');
    return scheme.check(password, inner, settings);
  },
};
