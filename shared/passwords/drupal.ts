import { createHash } from 'node:crypto';
import { equalBytes } from './encoding.js';
import { costRefusal } from './limits.js';
import { encode64, ITOA64 } from './phpass.js';
import { checked, malformed, type PasswordScheme } from './types.js';

// Drupal 7 accepts 2^7..2^30 rounds and writes 2^15 (DRUPAL_HASH_COUNT); the cap is in limits.ts.
// Drupal 7 refuses to hash longer passwords (DRUPAL_MAX_PASSWORD_LENGTH), so none can match.
const DRUPAL_MAX_PASSWORD_BYTES = 512;

// '$S$', the rounds character, 8 salt characters, and the first 43 characters of the encoded SHA-512 (55 in all).
const DRUPAL7 = /^\$S\$([./0-9A-Za-z])([./0-9A-Za-z]{8})([./0-9A-Za-z]{43})$/;

/** Drupal 7's `$S$` (includes/password.inc `_password_crypt('sha512', …)`): phpass's loop with SHA-512. */
export const drupal7Scheme: PasswordScheme = {
  format: 'drupal7',
  claims: (hash) => hash.startsWith('$S$'),
  async check(password, hash) {
    const match = DRUPAL7.exec(hash);
    if (!match?.[1] || !match[2] || !match[3]) return malformed('not $S$ followed by 52 itoa64 characters');
    const refusal = costRefusal('drupal7', ITOA64.indexOf(match[1]));
    if (refusal) return refusal;
    const log2 = ITOA64.indexOf(match[1]);
    const pw = Buffer.from(password, 'utf8');
    if (pw.length > DRUPAL_MAX_PASSWORD_BYTES) return checked(false);
    let digest = createHash('sha512').update(match[2]).update(pw).digest();
    for (let round = 2 ** log2; round > 0; round--) digest = createHash('sha512').update(digest).update(pw).digest();
    const actual = encode64(digest).slice(0, 43);
    return checked(equalBytes(Buffer.from(actual, 'latin1'), Buffer.from(match[3], 'latin1')));
  },
};
