import { loadFirebaseScryptParameters } from '../../shared/passwords/index.js';

/**
 * The Firebase project's password hash parameters (console: Authentication → Users → ⋮ → Password
 * hash parameters), given to the import on the command line. They are not stored per user: the
 * migration function reads them from MIGRATION_FIREBASE_*, so the import checks them with the
 * function's own loader and can print the lines to set. Messages never quote the signer key.
 */
export interface FirebaseParameterOptions {
  signerKey?: string | undefined;
  saltSeparator?: string | undefined;
  rounds?: string | undefined;
  memCost?: string | undefined;
}

export class ParameterError extends Error {
  override name = 'ParameterError';
}

const OPTIONS = {
  MIGRATION_FIREBASE_SIGNER_KEY: ['--firebase-signer-key', 'signerKey'],
  MIGRATION_FIREBASE_SALT_SEPARATOR: ['--firebase-salt-separator', 'saltSeparator'],
  MIGRATION_FIREBASE_ROUNDS: ['--firebase-rounds', 'rounds'],
  MIGRATION_FIREBASE_MEM_COST: ['--firebase-mem-cost', 'memCost'],
} as const;

/** The `NAME=value` lines for the migration function, once the values pass its own checks. */
export function firebaseEnvLines(options: FirebaseParameterOptions): string[] {
  const env = Object.fromEntries(Object.entries(OPTIONS).map(([name, [, key]]) => [name, options[key]?.trim()]));
  const missing = Object.values(OPTIONS).filter(([, key]) => !options[key]?.trim());
  if (missing.length > 0) {
    throw new ParameterError(`--from firebase needs the project's password hash parameters: ${missing.map(([option]) => option).join(', ')}`);
  }
  try {
    loadFirebaseScryptParameters(env);
  } catch (error) {
    // The loader names the variables; on the command line they are options.
    const message = (error as Error).message;
    throw new ParameterError(Object.entries(OPTIONS).reduce((text, [name, [option]]) => text.replaceAll(name, `${option} (${name})`), message));
  }
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}
