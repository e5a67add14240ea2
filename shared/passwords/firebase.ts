import { createCipheriv } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { decodeBase64, equalBytes } from './encoding.js';
import { deriveScrypt, scryptRefusal } from './scrypt.js';
import { checked, malformed, type FirebaseScryptParameters, type PasswordScheme } from './types.js';

// Firebase projects use rounds 8 and mem_cost 14 (N = 2^14, r = 8: 16 MiB, ~35 ms here);
// `firebase auth:import` accepts rounds 1–8 and mem cost 1–14, so those bounds are also the cost cap.
export const FIREBASE_MAX_ROUNDS = 8;
export const FIREBASE_MAX_MEM_COST = 14;

const VARIABLES = {
  signerKey: 'MIGRATION_FIREBASE_SIGNER_KEY',
  saltSeparator: 'MIGRATION_FIREBASE_SALT_SEPARATOR',
  rounds: 'MIGRATION_FIREBASE_ROUNDS',
  memCost: 'MIGRATION_FIREBASE_MEM_COST',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function base64Variable(env: Env, name: string, minBytes: number): Buffer {
  const decoded = decodeBase64(env[name]?.trim() ?? '', true);
  if (!decoded || decoded.length < minBytes) {
    throw new ConfigError(`${name} must be padded standard base64 of at least ${minBytes} byte(s), as the Firebase console shows it.`);
  }
  return decoded;
}

function integerVariable(env: Env, name: string, min: number, max: number): number {
  const raw = env[name]?.trim() ?? '';
  const value = /^[0-9]{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  return value;
}

/**
 * The Firebase project's password hash parameters (console: Authentication → Users → Password hash
 * parameters). Undefined when none of the four variables is set; all four or none, else a ConfigError.
 * The error messages never quote the signer key.
 */
export function loadFirebaseScryptParameters(env: Env): FirebaseScryptParameters | undefined {
  const names = Object.values(VARIABLES);
  const set = names.filter((name) => (env[name]?.trim() ?? '') !== '');
  if (set.length === 0) return undefined;
  if (set.length < names.length) {
    throw new ConfigError(`${names.filter((n) => !set.includes(n)).join(', ')} must be set too: Firebase scrypt needs all of ${names.join(', ')}.`);
  }
  return {
    signerKey: base64Variable(env, VARIABLES.signerKey, 16),
    saltSeparator: base64Variable(env, VARIABLES.saltSeparator, 0),
    rounds: integerVariable(env, VARIABLES.rounds, 1, FIREBASE_MAX_ROUNDS),
    memCost: integerVariable(env, VARIABLES.memCost, 1, FIREBASE_MAX_MEM_COST),
  };
}

/**
 * Firebase Authentication's modified scrypt (github.com/firebase/scrypt): the key is
 * scrypt(password, salt ‖ separator, N = 2^mem_cost, r = rounds, p = 1), and the stored hash is
 * the project's signer key encrypted with AES-256-CTR under its first 32 bytes (zero IV).
 * Stored here as `$firebase-scrypt$<salt base64>$<hash base64>`.
 */
export const firebaseScryptScheme: PasswordScheme = {
  format: 'firebase-scrypt',
  claims: (hash) => hash.startsWith('$firebase-scrypt$'),
  async check(password, hash, settings) {
    const project = settings.firebaseScrypt;
    if (!project) return malformed(`project hash parameters are not configured (${VARIABLES.signerKey} and the rest)`);
    const [salt, expected, ...rest] = hash.slice('$firebase-scrypt$'.length).split('$').map((part) => decodeBase64(part, true));
    if (rest.length > 0 || !salt || salt.length === 0) return malformed('salt is not padded base64');
    if (expected?.length !== project.signerKey.length) return malformed('hash is not base64 of the signer key length');
    const refusal = scryptRefusal('firebase-scrypt', 2 ** project.memCost, project.rounds, 1);
    if (refusal) return refusal;
    const key = await deriveScrypt(
      Buffer.from(password, 'utf8'),
      Buffer.concat([salt, project.saltSeparator]),
      32,
      2 ** project.memCost,
      project.rounds,
      1,
    );
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const actual = Buffer.concat([cipher.update(project.signerKey), cipher.final()]);
    return checked(equalBytes(actual, expected));
  },
};
