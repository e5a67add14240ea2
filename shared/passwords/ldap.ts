import { createHash } from 'node:crypto';
import { decodeBase64, equalBytes } from './encoding.js';
import { checked, malformed, type HashFormat, type PasswordScheme } from './types.js';

// slappasswd writes 4-byte ({SSHA}) or 8-byte (pw-sha2) salts, passlib 4 to 16 bytes.
const MIN_SALT_BYTES = 4;
const MAX_SALT_BYTES = 64;

/** RFC 2307 style `{TAG}base64(digest(password || salt) || salt)`; scheme tags are case-insensitive. */
export function saltedDigest(tag: string, format: HashFormat, digest: 'md5' | 'sha1' | 'sha256' | 'sha512', digestLength: number): PasswordScheme {
  return {
    format,
    claims: (hash) => hash.slice(0, tag.length).toUpperCase() === tag,
    async check(password, hash) {
      const decoded = decodeBase64(hash.slice(tag.length), true);
      if (!decoded) return malformed('not padded base64');
      const saltLength = decoded.length - digestLength;
      if (saltLength < MIN_SALT_BYTES || saltLength > MAX_SALT_BYTES) return malformed('salt length out of range');
      const expected = decoded.subarray(0, digestLength);
      const salt = decoded.subarray(digestLength);
      const actual = createHash(digest).update(Buffer.from(password, 'utf8')).update(salt).digest();
      return checked(equalBytes(actual, expected));
    },
  };
}

export const ldapSshaScheme = saltedDigest('{SSHA}', 'ldap-ssha', 'sha1', 20);
export const ldapSsha256Scheme = saltedDigest('{SSHA256}', 'ldap-ssha256', 'sha256', 32);
export const ldapSsha512Scheme = saltedDigest('{SSHA512}', 'ldap-ssha512', 'sha512', 64);
