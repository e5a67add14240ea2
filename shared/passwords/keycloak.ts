import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { PBKDF2_MAX_ITERATIONS } from './django.js';
import { decodeBase64, equalBytes, integerInRange } from './encoding.js';
import { costRefusal } from './limits.js';
import { checked, malformed, type HashFormat, type PasswordScheme } from './types.js';

const pbkdf2Async = promisify(pbkdf2);

/**
 * Keycloak's PBKDF2 credentials, written by the import from a realm export's `credentialData`
 * (algorithm, hashIterations) and `secretData` (salt, value) as
 * `$keycloak$<algorithm>$<iterations>$<salt base64>$<value base64>`. Keycloak derives as many
 * bytes as the stored value holds, from the UTF-8 password.
 */
function keycloakPbkdf2(algorithm: string, format: HashFormat, digest: 'sha1' | 'sha256' | 'sha512', digestBytes: number): PasswordScheme {
  const prefix = `$keycloak$${algorithm}$`;
  return {
    format,
    claims: (hash) => hash.startsWith(prefix),
    async check(password, hash) {
      const [iterationsText = '', saltText = '', valueText = '', ...rest] = hash.slice(prefix.length).split('$');
      if (rest.length > 0) return malformed('too many fields');
      const iterations = integerInRange(iterationsText, 1, PBKDF2_MAX_ITERATIONS);
      if (iterations === undefined) return malformed('iterations out of range');
      const salt = decodeBase64(saltText, true);
      if (!salt || salt.length === 0) return malformed('salt is not padded base64');
      // Keycloak derives 512 bits by default (256 in some configurations). Only those lengths are
      // accepted: PBKDF2's shorter output is a prefix of the longer, so a truncated value would match.
      const expected = decodeBase64(valueText, true);
      if (expected?.length !== 32 && expected?.length !== 64) return malformed('value is not base64 of 32 or 64 bytes');
      // PBKDF2 runs all its iterations once per digest-sized block of output.
      const refusal = costRefusal(format, iterations * Math.ceil(expected.length / digestBytes));
      if (refusal) return refusal;
      const actual = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, expected.length, digest);
      return checked(equalBytes(actual, expected));
    },
  };
}

export const keycloakPbkdf2Sha256Scheme = keycloakPbkdf2('pbkdf2-sha256', 'keycloak-pbkdf2-sha256', 'sha256', 32);
export const keycloakPbkdf2Sha512Scheme = keycloakPbkdf2('pbkdf2-sha512', 'keycloak-pbkdf2-sha512', 'sha512', 64);
/** The deprecated `pbkdf2` provider: PBKDF2WithHmacSHA1. */
export const keycloakPbkdf2Sha1Scheme = keycloakPbkdf2('pbkdf2', 'keycloak-pbkdf2', 'sha1', 20);
