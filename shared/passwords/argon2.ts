import { argon2id } from 'hash-wasm';
import { decodeBase64, equalBytes, integerInRange } from './encoding.js';
import { costRefusal, memoryRefusal } from './limits.js';
import { checked, malformed, type PasswordScheme } from './types.js';

// The most the scheme parses; the caps at the function's memory (limits.ts) are usually lower.
export const ARGON2_MAX_MEMORY_KIB = 256 * 1024;
export const ARGON2_MAX_ITERATIONS = 10;
export const ARGON2_MAX_PARALLELISM = 16;

// Only version 19 (0x13), the one every current library writes, and the m,t,p order they all use.
const PHC = /^\$argon2id\$v=19\$m=([0-9]+),t=([0-9]+),p=([0-9]+)\$([^$]*)\$([^$]*)$/;

/** PHC string `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`, unpadded base64. */
export const argon2idScheme: PasswordScheme = {
  format: 'argon2id',
  claims: (hash) => hash.startsWith('$argon2id$'),
  async check(password, hash) {
    const match = PHC.exec(hash);
    if (!match) return malformed('not a version 19 PHC string with m, t and p');
    const [, mText = '', tText = '', pText = '', saltText = '', hashText = ''] = match;
    const parallelism = integerInRange(pText, 1, ARGON2_MAX_PARALLELISM);
    if (parallelism === undefined) return malformed('parallelism out of range');
    const memorySize = integerInRange(mText, 8 * parallelism, ARGON2_MAX_MEMORY_KIB);
    if (memorySize === undefined) return malformed('memory out of range');
    const iterations = integerInRange(tText, 1, ARGON2_MAX_ITERATIONS);
    if (iterations === undefined) return malformed('iterations out of range');
    const salt = decodeBase64(saltText, false);
    if (!salt || salt.length < 8 || salt.length > 64) return malformed('salt is not base64 of 8 to 64 bytes');
    const expected = decodeBase64(hashText, false);
    if (!expected || expected.length < 12 || expected.length > 128) return malformed('hash is not base64 of 12 to 128 bytes');
    // hash-wasm runs the lanes one after another, so the work is memory × passes whatever p says.
    const refusal = memoryRefusal(memorySize) ?? costRefusal('argon2id', memorySize * iterations);
    if (refusal) return refusal;

    // hash-wasm refuses an empty password; Cognito never sends one, so call it a mismatch.
    if (password.length === 0) return checked(false);
    const actual = await argon2id({
      password: Buffer.from(password, 'utf8'),
      salt,
      iterations,
      parallelism,
      memorySize,
      hashLength: expected.length,
      outputType: 'binary',
    });
    return checked(equalBytes(actual, expected));
  },
};
