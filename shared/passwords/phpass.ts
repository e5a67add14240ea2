import { createMD5, type IHasher } from 'hash-wasm';
import { equalBytes } from './encoding.js';
import { COST_MODELS, costRefusal, type CostModel } from './limits.js';
import { checked, malformed, type PasswordScheme } from './types.js';

export const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PHPASS = /^\$[PH]\$([./0-9A-Za-z])([./0-9A-Za-z]{8})([./0-9A-Za-z]{22})$/;

// phpass itself accepts 2^7..2^30 rounds. WordPress writes 2^13 ('B'), phpBB 2^11,
// passlib 2^19 by default (~0.2 s here); 2^20 is the most we parse, and the cap at the
// function's memory (limits.ts) is usually lower.
export const PHPASS_MIN_LOG2_ROUNDS = (COST_MODELS.phpass as CostModel).min;
export const PHPASS_MAX_LOG2_ROUNDS = (COST_MODELS.phpass as CostModel).max;

let md5: Promise<IHasher> | undefined;

/** phpass's little-endian 6-bit encoding (not base64's bit order). */
export function encode64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = Math.min(3, bytes.length - i);
    const value = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16);
    for (let c = 0; c <= n; c++) out += ITOA64[(value >> (6 * c)) & 0x3f];
  }
  return out;
}

/** WordPress / phpBB "portable" hashes: `$P$` or `$H$`, rounds char, 8 salt chars, 22 hash chars. */
export const phpassScheme: PasswordScheme = {
  format: 'phpass',
  claims: (hash) => /^\$[PH]\$/.test(hash),
  async check(password, hash) {
    const match = PHPASS.exec(hash);
    if (!match?.[1] || !match[2] || !match[3]) return malformed('not $P$ followed by 31 itoa64 characters');
    const log2 = ITOA64.indexOf(match[1]);
    const refusal = costRefusal('phpass', log2);
    if (refusal) return refusal;

    // hash-wasm's MD5 is ~3x faster than node:crypto here because it avoids a new object per round.
    md5 ??= createMD5().catch((error: unknown) => {
      md5 = undefined;
      throw error;
    });
    const hasher = await md5;
    const pw = Buffer.from(password, 'utf8');
    const block = new Uint8Array(16 + pw.length);
    block.set(pw, 16);
    hasher.init();
    hasher.update(match[2]);
    hasher.update(pw);
    let digest = hasher.digest('binary');
    for (let round = 2 ** log2; round > 0; round--) {
      block.set(digest, 0);
      hasher.init();
      hasher.update(block);
      digest = hasher.digest('binary');
    }
    return checked(equalBytes(Buffer.from(encode64(digest), 'latin1'), Buffer.from(match[3], 'latin1')));
  },
};
