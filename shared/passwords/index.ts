import { logger } from '../logger.js';
import { argon2idScheme } from './argon2.js';
import { bcryptScheme } from './bcrypt.js';
import { djangoPbkdf2Sha1Scheme, djangoPbkdf2Sha256Scheme } from './django.js';
import { ldapSsha256Scheme, ldapSsha512Scheme, ldapSshaScheme } from './ldap.js';
import { phpassScheme } from './phpass.js';
import { MAX_PASSWORD_CHARACTERS, passwordTooLong } from './limits.js';
import type { HashFormat, PasswordCheck, PasswordScheme, VerifierSettings } from './types.js';
import { OTHER_SYSTEMS_SCHEMES } from './otherSystems.js';

export { HASH_FORMATS, hashWasChecked, type FirebaseScryptParameters, type HashFormat, type PasswordCheck, type VerifierSettings } from './types.js';
export { loadFirebaseScryptParameters } from './firebase.js';
export {
  costCap,
  expectedCheckMs,
  currentHashBudget,
  hashBudget,
  MAX_PASSWORD_CHARACTERS,
  memorySizeFrom,
  passwordTooLong,
  useMemorySize,
  type HashBudget,
} from './limits.js';
export { DEFAULT_DUMMY_COST, verifyAgainstDummy } from './dummy.js';
export { BCRYPT_MAX_COST } from './bcrypt.js';
export { PBKDF2_MAX_ITERATIONS } from './django.js';
export { PHPASS_MAX_LOG2_ROUNDS } from './phpass.js';
export { ARGON2_MAX_ITERATIONS, ARGON2_MAX_MEMORY_KIB, ARGON2_MAX_PARALLELISM } from './argon2.js';

const SCHEMES: readonly PasswordScheme[] = [
  bcryptScheme,
  argon2idScheme,
  phpassScheme,
  djangoPbkdf2Sha256Scheme,
  djangoPbkdf2Sha1Scheme,
  ldapSshaScheme,
  ldapSsha256Scheme,
  ldapSsha512Scheme,
  ...OTHER_SYSTEMS_SCHEMES,
];

/** The format a hash claims by its prefix (whether or not the rest is well formed). */
export function hashFormatOf(storedHash: string): HashFormat | undefined {
  return SCHEMES.find((scheme) => scheme.claims(storedHash))?.format;
}

/**
 * Checks a password against a legacy hash, recognising the format by the hash's own prefix.
 * Never throws: an unknown or unusable hash is a failed check plus a warning that names the
 * format only (the hash may be a plaintext password in a badly kept legacy store).
 * The password is used as typed, with no normalisation, encoded as each legacy system did (UTF-8 unless its scheme says otherwise).
 * `settings` carries what some formats keep outside the hash (Firebase's project parameters).
 */
export async function verifyPassword(password: string, storedHash: string, settings: VerifierSettings = {}): Promise<PasswordCheck> {
  const scheme = typeof storedHash === 'string' ? SCHEMES.find((s) => s.claims(storedHash)) : undefined;
  if (!scheme) {
    logger.warn('Stored password hash has an unknown format; treating as a failed check', { hashFormat: 'unknown' });
    return { ok: false, format: 'unknown' };
  }
  if (typeof password !== 'string') {
    logger.warn('Password to verify is not a string; treating as a failed check', { hashFormat: scheme.format });
    return { ok: false, format: scheme.format };
  }
  if (passwordTooLong(password)) {
    logger.warn('Password is longer than Cognito allows; treating as a failed check without hashing', {
      hashFormat: scheme.format,
      maxCharacters: MAX_PASSWORD_CHARACTERS,
    });
    return { ok: false, format: 'too-long' };
  }
  try {
    const verdict = await scheme.check(password, storedHash, settings);
    if (verdict.kind === 'checked') return { ok: verdict.ok, format: scheme.format };
    logger.warn(
      verdict.kind === 'over-cap'
        ? 'Stored password hash costs more than this function can spend in its time (raise its memory); treating as a failed check'
        : 'Stored password hash is malformed; treating as a failed check',
      { hashFormat: scheme.format, reason: verdict.reason },
    );
    return { ok: false, format: verdict.kind, claimed: scheme.format };
  } catch (error) {
    // Library messages can quote parts of the hash, so only the error's name is logged.
    logger.error('Password verifier failed; treating as a failed check', {
      hashFormat: scheme.format,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return { ok: false, format: scheme.format };
  }
}
