import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { hash as bcryptHash } from 'bcryptjs';
import { argon2id } from 'hash-wasm';
import { encode64, ITOA64 } from '../../../shared/passwords/phpass.js';

/**
 * Hashes made here at any cost, for tests that need a cost the committed vectors do not have
 * (a format's cap, a mixed directory). The vectors from the reference tools pin the formats themselves.
 */
export const makeHash = {
  bcrypt: (password: string, cost: number): Promise<string> => bcryptHash(password, cost),

  pbkdf2Sha256(password: string, iterations: number): string {
    const salt = randomBytes(12).toString('base64url').slice(0, 16);
    return `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;
  },

  pbkdf2Sha1(password: string, iterations: number): string {
    const salt = randomBytes(12).toString('base64url').slice(0, 16);
    return `pbkdf2_sha1$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 20, 'sha1').toString('base64')}`;
  },

  ssha(password: string): string {
    const salt = randomBytes(4);
    return `{SSHA}${Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64')}`;
  },

  phpass(password: string, log2: number): string {
    const salt = Array.from(randomBytes(8), (b) => ITOA64[b & 0x3f]).join('');
    const pw = Buffer.from(password, 'utf8');
    let digest = createHash('md5').update(salt).update(pw).digest();
    for (let round = 2 ** log2; round > 0; round--) digest = createHash('md5').update(digest).update(pw).digest();
    return `$P$${ITOA64[log2]}${salt}${encode64(digest)}`;
  },

  argon2id: (password: string, memorySize: number, iterations: number, parallelism = 1): Promise<string> =>
    argon2id({ password, salt: randomBytes(16), iterations, parallelism, memorySize, hashLength: 32, outputType: 'encoded' }),
};
