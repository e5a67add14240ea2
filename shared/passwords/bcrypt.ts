import { compare } from 'bcryptjs';
import { COST_MODELS, costRefusal, type CostModel } from './limits.js';
import { checked, malformed, type PasswordScheme } from './types.js';

const MODEL = COST_MODELS.bcrypt as CostModel;
export const BCRYPT_MIN_COST = MODEL.min;
/** The most bcryptjs is ever asked for; the cap at the function's memory is usually lower (limits.ts). */
export const BCRYPT_MAX_COST = MODEL.max;

const BCRYPT = /^\$2[aby]\$([0-9]{2})\$[./A-Za-z0-9]{53}$/;

/**
 * bcrypt reads only the first 72 bytes of the UTF-8 password. PHP password_verify,
 * htpasswd, passlib and Python `bcrypt` < 5 silently ignore the rest; Python `bcrypt` 5
 * raises instead. We follow the former, so a user whose old system accepted a long
 * password can still sign in; the ignored bytes never influenced the stored hash anyway.
 * bcryptjs 3 already behaves this way (its key schedule consumes exactly 72 key bytes,
 * cutting a multi-byte character if need be, as crypt_blowfish does), so the full
 * password is passed through unchanged; test vectors from PHP, htpasswd and passlib pin this.
 */
export const bcryptScheme: PasswordScheme = {
  format: 'bcrypt',
  claims: (hash) => /^\$2[aby]\$/.test(hash),
  async check(password, hash) {
    const match = BCRYPT.exec(hash);
    if (!match?.[1]) return malformed('not $2x$NN$ followed by 53 bcrypt-base64 characters');
    const refusal = costRefusal('bcrypt', Number(match[1]));
    if (refusal) return refusal;
    // bcryptjs compares the recomputed hash with a constant-time string comparison.
    return checked(await compare(password, hash));
  },
};
