import { createHash } from 'node:crypto';
import { equalBytes } from './encoding.js';
import { costRefusal } from './limits.js';
import { ITOA64 } from './phpass.js';
import { checked, malformed, type HashFormat, type PasswordScheme } from './types.js';

// Drepper's SHA-crypt allows 1,000 to 999,999,999 rounds (default 5,000; passlib writes 535,000
// ($5$) and 656,000 ($6$)); the cap at the function's memory is in limits.ts.
const SHA_CRYPT_DEFAULT_ROUNDS = 5000;

type Digest = 'sha256' | 'sha512' | 'md5';
const hashOf = (digest: Digest, ...parts: Uint8Array[]): Buffer => {
  const h = createHash(digest);
  for (const part of parts) h.update(part);
  return h.digest();
};

/** crypt(3)'s 6-bit encoding of byte triples [high, middle, low], lowest bits first. */
function encodeTriples(bytes: Uint8Array, triples: readonly (readonly number[])[]): string {
  let out = '';
  for (const triple of triples) {
    const [a = -1, b = -1, c = -1] = triple;
    const value = ((bytes[a] ?? 0) << 16) | ((bytes[b] ?? 0) << 8) | (bytes[c] ?? 0);
    const chars = triple.filter((i) => i >= 0).length + 1;
    for (let n = 0; n < chars; n++) out += ITOA64[(value >> (6 * n)) & 0x3f];
  }
  return out;
}

/** Byte order of the final encoding, from the SHA-crypt specification (−1 = a zero byte). */
const SHA512_ORDER = [
  ...Array.from({ length: 21 }, (_, j) => {
    const t = [j, j + 21, j + 42];
    return j % 3 === 0 ? t : j % 3 === 1 ? [t[1]!, t[2]!, t[0]!] : [t[2]!, t[0]!, t[1]!];
  }),
  [-1, -1, 63],
];
const SHA256_ORDER = [
  ...Array.from({ length: 10 }, (_, j) => {
    const t = [j, j + 10, j + 20];
    return j % 3 === 0 ? t : j % 3 === 1 ? [t[2]!, t[0]!, t[1]!] : [t[1]!, t[2]!, t[0]!];
  }),
  [-1, 31, 30],
];
const MD5_ORDER = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [-1, -1, 11]];

/** `length` bytes of `block` repeated. */
function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

/** The checksum part of Drepper's SHA-256/512-crypt (https://www.akkadia.org/drepper/SHA-crypt.txt). */
export function shaCryptChecksum(digest: 'sha256' | 'sha512', password: Buffer, salt: Buffer, rounds: number): string {
  const size = digest === 'sha512' ? 64 : 32;
  const b = hashOf(digest, password, salt, password);
  const a = createHash(digest).update(password).update(salt);
  a.update(repeatTo(b, password.length));
  for (let n = password.length; n > 0; n >>= 1) a.update(n & 1 ? b : password);
  let c = a.digest();

  const dp = createHash(digest);
  for (let i = 0; i < password.length; i++) dp.update(password);
  const p = repeatTo(dp.digest(), password.length);
  const ds = createHash(digest);
  for (let i = 0; i < 16 + (c[0] ?? 0); i++) ds.update(salt);
  const s = ds.digest().subarray(0, salt.length);

  for (let i = 0; i < rounds; i++) {
    const h = createHash(digest);
    h.update(i & 1 ? p : c);
    if (i % 3) h.update(s);
    if (i % 7) h.update(p);
    h.update(i & 1 ? c : p);
    c = h.digest();
  }
  return encodeTriples(c, size === 64 ? SHA512_ORDER : SHA256_ORDER);
}

/** The checksum part of Poul-Henning Kamp's MD5-crypt (fixed 1,000 rounds). */
export function md5CryptChecksum(password: Buffer, salt: Buffer): string {
  const alternate = hashOf('md5', password, salt, password);
  const ctx = createHash('md5').update(password).update('$1$').update(salt);
  ctx.update(repeatTo(alternate, password.length));
  for (let n = password.length; n > 0; n >>= 1) ctx.update(n & 1 ? Buffer.alloc(1) : password.subarray(0, 1));
  let c = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const h = createHash('md5');
    h.update(i & 1 ? password : c);
    if (i % 3) h.update(salt);
    if (i % 7) h.update(password);
    h.update(i & 1 ? c : password);
    c = h.digest();
  }
  return encodeTriples(c, MD5_ORDER);
}

const SALT_CHARS = /^[^$:\n]*$/;
const SHA_CRYPT = /^\$([56])\$(?:rounds=([0-9]{1,10})\$)?([^$]*)\$([./0-9A-Za-z]*)$/;
const MD5_CRYPT = /^\$1\$([^$]*)\$([./0-9A-Za-z]*)$/;

function shaCrypt(id: '5' | '6', format: HashFormat): PasswordScheme {
  const digest = id === '6' ? 'sha512' : 'sha256';
  const checksumLength = id === '6' ? 86 : 43;
  return {
    format,
    claims: (hash) => hash.startsWith(`$${id}$`),
    check: async (password, hash) => {
      const match = SHA_CRYPT.exec(hash);
      if (!match) return malformed('not $N$[rounds=R$]salt$checksum');
      const [, , roundsText, saltText = '', checksum = ''] = match;
      if (checksum.length !== checksumLength) return malformed('checksum is not 43 (SHA-256) or 86 (SHA-512) characters');
      // Implementations truncate longer salts to 16 characters when hashing, so such a hash never exists.
      if (saltText.length > 16 || !SALT_CHARS.test(saltText)) return malformed('salt longer than 16 characters');
      // The specification clamps rounds=1..999 up to 1,000 when hashing and writes 1000, so below is malformed.
      const rounds = roundsText === undefined ? SHA_CRYPT_DEFAULT_ROUNDS : Number(roundsText);
      const refusal = costRefusal(format, rounds);
      if (refusal) return refusal;
      const actual = shaCryptChecksum(digest, Buffer.from(password, 'utf8'), Buffer.from(saltText, 'utf8'), rounds);
      return checked(equalBytes(Buffer.from(actual, 'latin1'), Buffer.from(checksum, 'latin1')));
    },
  };
}

export const sha512CryptScheme = shaCrypt('6', 'sha512-crypt');
export const sha256CryptScheme = shaCrypt('5', 'sha256-crypt');

export const md5CryptScheme: PasswordScheme = {
  format: 'md5-crypt',
  claims: (hash) => hash.startsWith('$1$'),
  check: async (password, hash) => {
    const match = MD5_CRYPT.exec(hash);
    if (!match) return malformed('not $1$salt$checksum');
    const [, saltText = '', checksum = ''] = match;
    if (checksum.length !== 22) return malformed('checksum is not 22 characters');
    if (saltText.length > 8) return malformed('salt longer than 8 characters');
    const actual = md5CryptChecksum(Buffer.from(password, 'utf8'), Buffer.from(saltText, 'utf8'));
    return checked(equalBytes(Buffer.from(actual, 'latin1'), Buffer.from(checksum, 'latin1')));
  },
};

/** The crypt(3) schemes `{CRYPT}` may wrap, told apart by their `$id$`. */
export const CRYPT_SCHEMES: readonly PasswordScheme[] = [sha512CryptScheme, sha256CryptScheme, md5CryptScheme];
