import { scrypt, type ScryptOptions } from 'node:crypto';
import { decodeBase64, equalBytes, integerInRange } from './encoding.js';
import { costRefusal, memoryRefusal } from './limits.js';
import { checked, malformed, type HashFormat, type PasswordScheme, type Verdict } from './types.js';

// scrypt's time grows with N·r·p and its memory with 128·N·r. passlib writes N=2^16, r=8, p=1
// (64 MiB), Werkzeug 3 N=2^15, r=8, p=1, Firebase N=2^14, r=8, p=1. These are the most the schemes
// parse; the caps at the function's memory (limits.ts) are usually lower.
export const SCRYPT_MAX_MEMORY_BYTES = 256 * 1024 * 1024;
export const SCRYPT_MAX_PARALLELISM = 16;

/** A verdict refusing these parameters (malformed, or over the caps at this memory), else undefined. */
export function scryptRefusal(format: HashFormat, n: number, r: number, p: number): Verdict | undefined {
  if (!Number.isInteger(Math.log2(n)) || n < 2) return malformed('N is not a power of two');
  if (r < 1 || p < 1 || p > SCRYPT_MAX_PARALLELISM) return malformed('r or p out of range');
  if (128 * n * r > SCRYPT_MAX_MEMORY_BYTES) return malformed('memory over 256 MiB');
  return memoryRefusal((128 * n * r) / 1024) ?? costRefusal(format, n * r * p);
}

/** node:crypto scrypt, with maxmem raised to what these (already capped) parameters need. */
export function deriveScrypt(password: Uint8Array, salt: Uint8Array, keyLength: number, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: 128 * n * r + 128 * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const PASSLIB = /^\$scrypt\$ln=([0-9]{1,2}),r=([0-9]{1,3}),p=([0-9]{1,3})\$([^$]*)\$([^$]*)$/;

/** passlib's `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>`, unpadded standard base64. */
export const passlibScryptScheme: PasswordScheme = {
  format: 'passlib-scrypt',
  claims: (hash) => hash.startsWith('$scrypt$'),
  async check(password, hash) {
    const match = PASSLIB.exec(hash);
    if (!match) return malformed('not $scrypt$ln=…,r=…,p=…$salt$key');
    const [, lnText = '', rText = '', pText = '', saltText = '', keyText = ''] = match;
    const ln = integerInRange(lnText, 1, 31);
    const r = integerInRange(rText, 1, 255);
    const p = integerInRange(pText, 1, 255);
    if (ln === undefined || r === undefined || p === undefined) return malformed('parameters out of range');
    const refusal = scryptRefusal('passlib-scrypt', 2 ** ln, r, p);
    if (refusal) return refusal;
    const salt = decodeBase64(saltText, false);
    if (!salt || salt.length === 0) return malformed('salt is not unpadded base64');
    // passlib always derives 32 bytes. A fixed length matters: scrypt's output for a shorter
    // length is a prefix of the longer one, so a truncated key would still match.
    const expected = decodeBase64(keyText, false);
    if (expected?.length !== 32) return malformed('key is not unpadded base64 of 32 bytes');
    const actual = await deriveScrypt(Buffer.from(password, 'utf8'), salt, expected.length, 2 ** ln, r, p);
    return checked(equalBytes(actual, expected));
  },
};
