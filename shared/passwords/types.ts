export const HASH_FORMATS = [
  'bcrypt',
  'django-pbkdf2-sha256',
  'django-pbkdf2-sha1',
  'ldap-ssha',
  'ldap-ssha256',
  'ldap-ssha512',
  'phpass',
  'argon2id',
  // issue 13: formats other systems write (one file per family, see index.ts)
  'aspnet-identity',
  'aspnet-membership',
  'firebase-scrypt',
  'passlib-scrypt',
  'werkzeug-scrypt',
  'werkzeug-pbkdf2-sha256',
  'sha512-crypt',
  'sha256-crypt',
  'md5-crypt',
  'ldap-crypt',
  'ldap-sha',
  'ldap-md5',
  'ldap-smd5',
  'drupal7',
  'wordpress-bcrypt',
  'django-bcrypt-sha256',
  'django-argon2id',
  'keycloak-pbkdf2-sha256',
  'keycloak-pbkdf2-sha512',
  'keycloak-pbkdf2',
] as const;

export type HashFormat = (typeof HASH_FORMATS)[number];

/**
 * Outcome of checking a password against a stored legacy hash.
 * `unknown`: no supported scheme claims the hash. `malformed`: a scheme claims it
 * (`claimed`) but the hash is truncated, badly encoded or has out-of-range parameters.
 * `over-cap`: a well-formed hash whose cost is more than this function can spend in its time (limits.ts).
 * `too-long`: the password is longer than Cognito allows. None of these four hashed anything.
 */
export type PasswordCheck =
  | { ok: boolean; format: HashFormat }
  | { ok: false; format: 'unknown' }
  | { ok: false; format: 'malformed' | 'over-cap'; claimed: HashFormat }
  | { ok: false; format: 'too-long' };

/** True when the check compared the password with the hash, i.e. paid the hash's cost. */
export function hashWasChecked(check: PasswordCheck): boolean {
  return check.format !== 'unknown' && check.format !== 'malformed' && check.format !== 'over-cap' && check.format !== 'too-long';
}

/** A scheme's answer: a real comparison, or a reason the hash cannot be used (never hash text). */
export type Verdict = { kind: 'checked'; ok: boolean } | { kind: 'malformed' | 'over-cap'; reason: string };

export interface PasswordScheme {
  readonly format: HashFormat;
  /** True when the hash carries this scheme's prefix, whether or not the rest is well formed. */
  claims(storedHash: string): boolean;
  check(password: string, storedHash: string, settings: VerifierSettings): Promise<Verdict>;
}

/** Parameters some formats keep outside the per-user hash, parsed once at cold start. */
export interface VerifierSettings {
  /** Firebase's project-wide hash parameters (MIGRATION_FIREBASE_*); absent if not configured. */
  readonly firebaseScrypt?: FirebaseScryptParameters | undefined;
}

export interface FirebaseScryptParameters {
  readonly signerKey: Buffer;
  readonly saltSeparator: Buffer;
  readonly rounds: number;
  readonly memCost: number;
}

export const checked = (ok: boolean): Verdict => ({ kind: 'checked', ok });
export const malformed = (reason: string): Verdict => ({ kind: 'malformed', reason });
