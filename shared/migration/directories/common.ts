import { sendOptions } from '../../aws/deadline.js';
import { attributeProblem, isE164, type LegacyUser } from '../legacyUser.js';

/** The one secret of a directory (service-account password, DB password, API secret), resolved by CloudFormation from Secrets Manager. */
export const SECRET_VARIABLE = 'LEGACY_DIRECTORY_SECRET';

/** The directory did not answer, or not in time: migration fails closed (TemporaryFailureError in migrate.ts). */
export class DirectoryUnavailableError extends Error {
  override name = 'DirectoryUnavailableError';
}

/**
 * Runs one call to a directory, given up when the invocation's deadline (shared/aws/deadline.ts) or the
 * directory's own ceiling passes, whichever comes first. `work` gets the signal to stop its own I/O.
 */
export function withinDeadline<T>(what: string, ceilingMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = sendOptions().abortSignal;
  const signal = deadline === undefined ? AbortSignal.timeout(ceilingMs) : AbortSignal.any([AbortSignal.timeout(ceilingMs), deadline]);
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DirectoryUnavailableError(`${what} gave no answer within ${Date.now() - started} ms (deadline or ${ceilingMs} ms ceiling)`));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work(signal).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A profile as a password-checking or SQL directory reads it, before it becomes a LegacyUser. */
export interface Profile extends Omit<LegacyUser, 'passwordHash'> {
  legacyId: string | undefined;
  /** Empty for directories that check the password themselves. */
  passwordHash?: string;
}

/** Directories hold phone numbers as "+1 (555) 555-0100": keep the digits of one that starts with +. */
export function phoneOf(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const compact = value.trim().replace(/[\s().-]/g, '');
  return isE164(compact) ? compact : value.trim();
}

/** The LegacyUser a profile stands for; the legacy id goes into `legacyIdAttribute` (e.g. custom:legacy_id) when set. */
export function toLegacyUser(profile: Profile, legacyIdAttribute: string | undefined): LegacyUser {
  const attributes = { ...profile.attributes };
  if (legacyIdAttribute !== undefined && profile.legacyId !== undefined && profile.legacyId !== '') attributes[legacyIdAttribute] = profile.legacyId;
  return {
    username: profile.username,
    passwordHash: profile.passwordHash ?? '',
    email: profile.email === '' ? undefined : profile.email,
    emailVerified: profile.emailVerified,
    phoneNumber: phoneOf(profile.phoneNumber),
    phoneNumberVerified: profile.phoneNumberVerified,
    attributes,
    disabled: profile.disabled,
  };
}

/** True when `name` may be given to Cognito as a further attribute (standard or custom:), false for email/phone. */
export function isMappableAttribute(name: string): boolean {
  return attributeProblem(name, '') === undefined;
}
