export const HASH_FORMATS = [
  'bcrypt',
  'django-pbkdf2-sha256',
  'django-pbkdf2-sha1',
  'ldap-ssha',
  'ldap-ssha256',
  'ldap-ssha512',
  'phpass',
  'argon2id',
] as const;

export type HashFormat = (typeof HASH_FORMATS)[number];

/**
 * Outcome of checking a password against a stored legacy hash.
 * `unknown`: no supported scheme claims the hash. `malformed`: a scheme claims it
 * (`claimed`) but the hash is truncated, badly encoded or has out-of-range parameters.
 */
export type PasswordCheck =
  | { ok: boolean; format: HashFormat }
  | { ok: false; format: 'unknown' }
  | { ok: false; format: 'malformed'; claimed: HashFormat };

/** A scheme's answer: a real comparison, or a reason the hash cannot be used (never hash text). */
export type Verdict = { kind: 'checked'; ok: boolean } | { kind: 'malformed'; reason: string };

export interface PasswordScheme {
  readonly format: HashFormat;
  /** True when the hash carries this scheme's prefix, whether or not the rest is well formed. */
  claims(storedHash: string): boolean;
  check(password: string, storedHash: string): Promise<Verdict>;
}

export const checked = (ok: boolean): Verdict => ({ kind: 'checked', ok });
export const malformed = (reason: string): Verdict => ({ kind: 'malformed', reason });
