import type { Logger } from '@aws-lambda-powertools/logger';
import type { Channel } from '../auth/config.js';
import { errorSummary } from '../errors.js';
import { maskEmail, maskPhone } from '../otp/mask.js';
import { phoneLibrary } from '../otp/phoneLibrary.js';
import type { PendingSignUp, PendingSignUpStore } from './pendingStore.js';
import { addressHash } from './policy.js';
import type { UserPoolAdmin } from './userPoolAdmin.js';

/**
 * The one case in which a code goes to an unverified address: the first sign-in of an account that
 * passwordless sign-up created, to the very address it signed up with (its keyed hash was recorded
 * by preSignUp), while that address is still unverified. A changed address never matches the hash;
 * an account made any other way has no record. The first right code proves the address.
 */

export type ProvableAttribute = 'email' | 'phone_number';

export interface ProvingDestination {
  channel: Channel;
  address: string;
  masked: string;
  /** The attribute the code proves when answered. */
  proves: ProvableAttribute;
}

/** Pure: the unverified sign-up address the pending record names, if the user still has it and may receive codes there. */
export function provingDestination(
  attributes: Record<string, string>,
  pending: PendingSignUp | undefined,
  secret: Buffer,
  channels: readonly Channel[],
  smsAllowedCountries: ReadonlySet<string>,
): ProvingDestination | undefined {
  if (pending === undefined || !channels.includes(pending.channel)) return undefined;
  const attribute: ProvableAttribute = pending.channel === 'EMAIL' ? 'email' : 'phone_number';
  const address = attributes[attribute];
  if (address === undefined || address === '' || attributes[`${attribute}_verified`] === 'true') return undefined;
  if (addressHash(secret, pending.channel, address) !== pending.addressHash) return undefined;
  if (pending.channel === 'EMAIL') return { channel: 'EMAIL', address, masked: maskEmail(address), proves: attribute };
  const phone = phoneLibrary().parsePhone(address);
  if (phone?.country === undefined || !smsAllowedCountries.has(phone.country)) return undefined;
  return { channel: 'SMS', address: phone.e164, masked: maskPhone(phone.e164), proves: attribute };
}

export interface FirstSignIn {
  /** For Create: where the code of a first passwordless sign-in goes, or undefined (then the usual rules apply). */
  destination(userName: string, attributes: Record<string, string>, now: number): Promise<ProvingDestination | undefined>;
  /**
   * For Verify, after a right code that went to the sign-up address: claims the account and closes the
   * record. Never throws: a failure is logged and the record stays open, so the next sign-in tries again.
   */
  proven(userPoolId: string, userName: string, attribute: ProvableAttribute, address: string | undefined, now: number): Promise<boolean>;
}

export interface FirstSignInDependencies {
  pending: PendingSignUpStore;
  /** Needed by Verify only. */
  admin?: UserPoolAdmin;
  secret: Buffer;
  /** Needed by Create only: the channels and SMS countries codes may go to. */
  channels?: readonly Channel[];
  smsAllowedCountries?: ReadonlySet<string>;
  logger: Logger;
}

export function createFirstSignIn(deps: FirstSignInDependencies): FirstSignIn {
  const { logger } = deps;
  return {
    async destination(userName, attributes, now) {
      // Only a user with nothing verified can be in a first sign-in; everyone else skips the read.
      const hasVerified = attributes.email_verified === 'true' || attributes.phone_number_verified === 'true';
      if (hasVerified) return undefined;
      const pending = await deps.pending.read(userName, now);
      return provingDestination(attributes, pending, deps.secret, deps.channels ?? [], deps.smsAllowedCountries ?? new Set());
    },
    async proven(userPoolId, userName, attribute, address, now) {
      if (deps.admin === undefined || userPoolId === '' || address === undefined || address === '') {
        logger.error('Cannot mark the sign-up address verified: no user-pool admin client, pool id or address; tried again at the next sign-in');
        return false;
      }
      try {
        await deps.admin.claimAccount(userPoolId, userName, attribute, address);
      } catch (error) {
        logger.error('Marking the sign-up address verified failed; tried again at the next sign-in', { attribute, error: errorSummary(error) });
        return false;
      }
      try {
        await deps.pending.close(userName, now);
      } catch (error) {
        // The address is verified now, so the record is never consulted again (Create reads it only with nothing verified).
        logger.warn('Closing the pending sign-up record failed; it expires on its own', { error: errorSummary(error) });
      }
      logger.info('First code proved the sign-up address: marked verified, password replaced, other sessions signed out', { attribute });
      return true;
    },
  };
}
