import { createHash, createHmac, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { PBKDF2_MAX_ITERATIONS } from './django.js';
import { decodeBase64, equalBytes } from './encoding.js';
import { costRefusal } from './limits.js';
import { checked, malformed, type PasswordScheme } from './types.js';

const pbkdf2Async = promisify(pbkdf2);

// v3's PRF byte (KeyDerivationPrf): 0 = HMAC-SHA1, 1 = HMAC-SHA256, 2 = HMAC-SHA512.
const V3_PRFS = ['sha1', 'sha256', 'sha512'] as const;
const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;
const V3_HEADER_BYTES = 13;
const MIN_BYTES = 16; // ASP.NET itself refuses salts and subkeys under 128 bits.
const V3_SUBKEY_BYTES = [16, 32, 64];

/**
 * ASP.NET Identity's PasswordHash column has no text marker: it is padded base64 whose first
 * byte is the version, 0x00 (v2) or 0x01 (v3), so it starts with 'A' and a second character
 * below 'g'. We claim only such strings of at least 60 characters, the shortest v3 hash
 * (13-byte header, 16-byte salt, 16-byte subkey); hex digests, Django, crypt and LDAP strings
 * never look like that. Only the exact v2 / v3 layouts are then accepted.
 */
const IDENTITY = /^A[A-Za-f][A-Za-z0-9+/]{58,}={0,2}$/;

export const aspnetIdentityScheme: PasswordScheme = {
  format: 'aspnet-identity',
  claims: (hash) => IDENTITY.test(hash),
  async check(password, hash) {
    const bytes = decodeBase64(hash, true);
    if (!bytes) return malformed('not padded base64');
    const pw = Buffer.from(password, 'utf8');
    if (bytes[0] === 0x00) {
      // v2: 0x00, 16-byte salt, 32-byte PBKDF2-HMAC-SHA1 subkey, 1,000 iterations.
      if (bytes.length !== 1 + 16 + 32) return malformed('v2 hash is not 49 bytes');
      const refusal = costRefusal('aspnet-identity', 1000 * 2);
      if (refusal) return refusal;
      const actual = await pbkdf2Async(pw, bytes.subarray(1, 17), 1000, 32, 'sha1');
      return checked(equalBytes(actual, bytes.subarray(17)));
    }
    if (bytes[0] !== 0x01 || bytes.length < V3_HEADER_BYTES) return malformed('not a v2 or v3 header');
    // v3: 0x01, then big-endian PRF, iteration count and salt length, the salt, the subkey.
    const digest = V3_PRFS[bytes.readUInt32BE(1)];
    const iterations = bytes.readUInt32BE(5);
    const saltLength = bytes.readUInt32BE(9);
    if (!digest) return malformed('unknown v3 PRF');
    if (iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return malformed('iterations out of range');
    if (saltLength < MIN_BYTES || saltLength > bytes.length - V3_HEADER_BYTES) return malformed('salt shorter than 16 bytes or past the end');
    // PasswordHasher writes a 32-byte subkey; ASP.NET's own tests also use 16 and 64. Other lengths are
    // refused: PBKDF2's shorter output is a prefix of the longer, so a truncated hash would still match.
    if (!V3_SUBKEY_BYTES.includes(bytes.length - V3_HEADER_BYTES - saltLength)) return malformed('subkey is not 16, 32 or 64 bytes');
    const salt = bytes.subarray(V3_HEADER_BYTES, V3_HEADER_BYTES + saltLength);
    const expected = bytes.subarray(V3_HEADER_BYTES + saltLength);
    const refusal = costRefusal('aspnet-identity', iterations * Math.ceil(expected.length / DIGEST_BYTES[digest]));
    if (refusal) return refusal;
    const actual = await pbkdf2Async(pw, salt, iterations, expected.length, digest);
    return checked(equalBytes(actual, expected));
  },
};

/** HMACSHA256's default key is 64 bytes; Membership fits the salt to it by repeating or cutting. */
function membershipHmacKey(salt: Buffer): Buffer {
  const key = Buffer.alloc(64);
  for (let i = 0; i < key.length; i += salt.length) salt.copy(key, i, 0, Math.min(salt.length, key.length - i));
  return key;
}

const MEMBERSHIP = /^\$aspnet-membership\$(sha1|hmacsha256)\$([^$]*)\$([^$]*)$/;

/**
 * ASP.NET Membership (SqlMembershipProvider) "Hashed" passwords, from aspnet_Membership's
 * Password and PasswordSalt columns, as `$aspnet-membership$<sha1|hmacsha256>$<salt b64>$<hash b64>`.
 * SHA1: SHA-1(salt ‖ UTF-16LE password). HMACSHA256: HMAC-SHA256 keyed with the salt fitted to
 * 64 bytes, over the UTF-16LE password (EncodePassword in System.Web.Security).
 */
export const aspnetMembershipScheme: PasswordScheme = {
  format: 'aspnet-membership',
  claims: (hash) => hash.startsWith('$aspnet-membership$'),
  async check(password, hash) {
    const match = MEMBERSHIP.exec(hash);
    if (!match) return malformed('not $aspnet-membership$<sha1|hmacsha256>$salt$hash');
    const [, algorithm, saltText = '', hashText = ''] = match;
    const salt = decodeBase64(saltText, true);
    if (!salt || salt.length === 0 || salt.length > 64) return malformed('salt is not base64 of 1 to 64 bytes');
    const expected = decodeBase64(hashText, true);
    const pw = Buffer.from(password, 'utf16le');
    if (algorithm === 'sha1') {
      if (expected?.length !== 20) return malformed('hash is not base64 of 20 bytes');
      return checked(equalBytes(createHash('sha1').update(salt).update(pw).digest(), expected));
    }
    if (expected?.length !== 32) return malformed('hash is not base64 of 32 bytes');
    return checked(equalBytes(createHmac('sha256', membershipHmacKey(salt)).update(pw).digest(), expected));
  },
};
