import { decodeBase64 } from '../../shared/passwords/encoding.js';

/**
 * The Firebase project's password hash parameters (console: Authentication → Users → ⋮ → Password
 * hash parameters), given to the import on the command line. They are not stored per user: the
 * migration function reads them from MIGRATION_FIREBASE_*, so the import checks them and can print
 * the lines to set. Messages never quote the signer key.
 */
export interface FirebaseParameters {
  signerKey: string;
  saltSeparator: string;
  rounds: number;
  memCost: number;
}

export class ParameterError extends Error {
  override name = 'ParameterError';
}

function base64(value: string | undefined, option: string, minBytes: number): string {
  const bytes = decodeBase64(value?.trim() ?? '', true);
  if (value === undefined || bytes === undefined || bytes.length < minBytes) {
    throw new ParameterError(`${option} must be padded standard base64 of at least ${minBytes} byte(s), as the Firebase console shows it`);
  }
  return value.trim();
}

function whole(value: string | undefined, option: string, min: number, max: number): number {
  const parsed = /^[0-9]{1,2}$/.test(value?.trim() ?? '') ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max)) throw new ParameterError(`${option} must be a whole number from ${min} to ${max}`);
  return parsed;
}

/** Same bounds as `firebase auth:import` and the migration function (rounds 1–8, mem cost 1–14). */
export function firebaseParameters(values: {
  signerKey?: string | undefined;
  saltSeparator?: string | undefined;
  rounds?: string | undefined;
  memCost?: string | undefined;
}): FirebaseParameters {
  return {
    signerKey: base64(values.signerKey, '--firebase-signer-key', 16),
    saltSeparator: base64(values.saltSeparator, '--firebase-salt-separator', 0),
    rounds: whole(values.rounds, '--firebase-rounds', 1, 8),
    memCost: whole(values.memCost, '--firebase-mem-cost', 1, 14),
  };
}

/** The migration function's settings for these parameters, as `NAME=value` lines. */
export function firebaseEnvLines(parameters: FirebaseParameters): string[] {
  return [
    `MIGRATION_FIREBASE_SIGNER_KEY=${parameters.signerKey}`,
    `MIGRATION_FIREBASE_SALT_SEPARATOR=${parameters.saltSeparator}`,
    `MIGRATION_FIREBASE_ROUNDS=${parameters.rounds}`,
    `MIGRATION_FIREBASE_MEM_COST=${parameters.memCost}`,
  ];
}
