import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { PBKDF2_MAX_ITERATIONS } from './django.js';
import { equalBytes, integerInRange } from './encoding.js';
import { costRefusal } from './limits.js';
import { deriveScrypt, scryptRefusal } from './scrypt.js';
import { checked, malformed, type PasswordScheme } from './types.js';

const pbkdf2Async = promisify(pbkdf2);
const HEX = /^(?:[0-9a-f]{2})+$/;

/** Werkzeug's `<method>$<salt>$<hex key>`; the salt is used as its UTF-8 text, as Werkzeug does. */
function splitWerkzeug(hash: string): { method: string; salt: string; key: Buffer } | string {
  const parts = hash.split('$');
  if (parts.length !== 3) return 'not <method>$<salt>$<hex key>';
  const [method = '', salt = '', keyHex = ''] = parts;
  if (salt === '') return 'empty salt';
  if (!HEX.test(keyHex)) return 'key is not lowercase hex';
  return { method, salt, key: Buffer.from(keyHex, 'hex') };
}

/** Werkzeug / Flask `pbkdf2:sha256:<iterations>$<salt>$<hex>` (generate_password_hash's default before 3.0). */
export const werkzeugPbkdf2Sha256Scheme: PasswordScheme = {
  format: 'werkzeug-pbkdf2-sha256',
  claims: (hash) => hash.startsWith('pbkdf2:sha256'),
  async check(password, hash) {
    const parts = splitWerkzeug(hash);
    if (typeof parts === 'string') return malformed(parts);
    const iterations = integerInRange(parts.method.slice('pbkdf2:sha256:'.length), 1, PBKDF2_MAX_ITERATIONS);
    if (iterations === undefined) return malformed('iterations out of range');
    if (parts.key.length !== 32) return malformed('key is not 32 bytes');
    const refusal = costRefusal('werkzeug-pbkdf2-sha256', iterations);
    if (refusal) return refusal;
    const actual = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(parts.salt, 'utf8'), iterations, 32, 'sha256');
    return checked(equalBytes(actual, parts.key));
  },
};

const SCRYPT_METHOD = /^scrypt:([0-9]{1,10}):([0-9]{1,3}):([0-9]{1,3})$/;

/** Werkzeug 3 `scrypt:<N>:<r>:<p>$<salt>$<hex>`, a 64-byte key (hashlib.scrypt's default). */
export const werkzeugScryptScheme: PasswordScheme = {
  format: 'werkzeug-scrypt',
  claims: (hash) => /^scrypt[:$]/.test(hash),
  async check(password, hash) {
    const parts = splitWerkzeug(hash);
    if (typeof parts === 'string') return malformed(parts);
    const match = SCRYPT_METHOD.exec(parts.method);
    if (!match) return malformed('not scrypt:N:r:p');
    const [n, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (parts.key.length !== 64) return malformed('key is not 64 bytes');
    const refusal = scryptRefusal('werkzeug-scrypt', n, r, p);
    if (refusal) return refusal;
    const actual = await deriveScrypt(Buffer.from(password, 'utf8'), Buffer.from(parts.salt, 'utf8'), 64, n, r, p);
    return checked(equalBytes(actual, parts.key));
  },
};
