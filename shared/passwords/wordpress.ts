import { createHmac } from 'node:crypto';
import { bcryptScheme } from './bcrypt.js';
import type { PasswordScheme } from './types.js';

/** PHP's trim(): spaces, tabs, newlines, carriage returns, NUL and vertical tabs at either end. */
const phpTrim = (text: string): string => text.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');

/**
 * WordPress 6.8+ `$wp$2y$…`: bcrypt over base64(HMAC-SHA384(password, key 'wp-sha384')), so
 * passwords past 72 bytes still count. wp_authenticate() trims the typed password before
 * wp_check_password(), and wp_hash_password() trims it before hashing, so we trim too.
 */
export const wordpressBcryptScheme: PasswordScheme = {
  format: 'wordpress-bcrypt',
  claims: (hash) => hash.startsWith('$wp$'),
  check(password, hash, settings) {
    const prehash = createHmac('sha384', 'wp-sha384').update(phpTrim(password), 'utf8').digest('base64');
    // The bcrypt scheme validates the rest (shape, cost range) and compares in constant time.
    return bcryptScheme.check(prehash, hash.slice('$wp'.length), settings);
  },
};
