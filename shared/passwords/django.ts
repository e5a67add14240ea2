import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeBase64, equalBytes, integerInRange } from './encoding.js';
import { COST_MODELS, costRefusal, type CostModel } from './limits.js';
import { checked, malformed, type HashFormat, type PasswordScheme } from './types.js';

/** The most iterations parsed at all; the cap at the function's memory is usually lower (limits.ts). */
export const PBKDF2_MAX_ITERATIONS = (COST_MODELS['django-pbkdf2-sha256'] as CostModel).max;

const pbkdf2Async = promisify(pbkdf2);

/** Django's `<algorithm>$<iterations>$<salt>$<base64 of the derived key>`, key length = digest length. */
function djangoPbkdf2(
  algorithm: string,
  format: HashFormat,
  digest: 'sha256' | 'sha1',
  keyLength: number,
): PasswordScheme {
  return {
    format,
    claims: (hash) => hash.startsWith(`${algorithm}$`),
    async check(password, hash) {
      const [, iterationsText = '', salt = '', digestText = '', ...rest] = hash.split('$');
      if (rest.length > 0) return malformed('too many fields');
      const iterations = integerInRange(iterationsText, 1, PBKDF2_MAX_ITERATIONS);
      if (iterations === undefined) return malformed('iterations out of range');
      if (salt === '') return malformed('empty salt');
      const expected = decodeBase64(digestText, true);
      if (expected?.length !== keyLength) return malformed('derived key is not base64 of the digest length');
      const refusal = costRefusal(format, iterations);
      if (refusal) return refusal;
      const derived = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, keyLength, digest);
      return checked(equalBytes(derived, expected));
    },
  };
}

export const djangoPbkdf2Sha256Scheme = djangoPbkdf2('pbkdf2_sha256', 'django-pbkdf2-sha256', 'sha256', 32);
export const djangoPbkdf2Sha1Scheme = djangoPbkdf2('pbkdf2_sha1', 'django-pbkdf2-sha1', 'sha1', 20);
