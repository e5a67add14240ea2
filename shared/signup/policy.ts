import { createHmac } from 'node:crypto';
import type { Channel } from '../auth/config.js';
import { phoneLibrary } from '../otp/phoneLibrary.js';

/**
 * Pure sign-up decisions: who may sign up, with which address, and what a passwordless sign-up must prove.
 * Phone numbers go through the phone library, which the wiring loads (shared/otp/phoneLibrary.ts); an email
 * address never needs it, so Create's email-only cold start still does not evaluate it.
 */

/** The key a client puts in SignUp's ClientMetadata (or ValidationData) to mark a passwordless sign-up. */
export const PASSWORDLESS_SIGN_UP_KEY = 'passwordlessSignUp';

export function isPasswordlessSignUp(clientMetadata: Record<string, string>, validationData: Record<string, string>): boolean {
  return clientMetadata[PASSWORDLESS_SIGN_UP_KEY] === 'true' || validationData[PASSWORDLESS_SIGN_UP_KEY] === 'true';
}

/** The domain of an email address, lower case, without a trailing dot; undefined when it has none. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  return email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
}

/** A listed domain covers itself and its subdomains. */
function covers(listed: readonly string[], domain: string): boolean {
  return listed.some((entry) => domain === entry || domain.endsWith(`.${entry}`));
}

export function emailDomainAllowed(email: string, allowed: readonly string[], blocked: readonly string[]): boolean {
  const domain = emailDomain(email);
  if (domain === undefined) return false;
  if (covers(blocked, domain)) return false;
  return allowed.length === 0 || covers(allowed, domain);
}

/** A phone number given at sign-up must be one codes may be texted to: a mobile number in an allowed country. */
export function signUpPhoneAllowed(phone: string, smsAllowedCountries: ReadonlySet<string>): boolean {
  const parsed = phoneLibrary().parsePhone(phone);
  return parsed !== undefined && parsed.country !== undefined && smsAllowedCountries.has(parsed.country);
}

export interface SignUpAddress {
  channel: Channel;
  /** The Cognito attribute the first code proves. */
  attribute: 'email' | 'phone_number';
  address: string;
}

/** The address a passwordless sign-up's first code goes to: the email on EMAIL, else the phone on SMS. */
export function signUpAddress(attributes: Record<string, string>, channels: readonly Channel[]): SignUpAddress | undefined {
  for (const channel of channels) {
    if (channel === 'EMAIL' && attributes.email) return { channel, attribute: 'email', address: attributes.email };
    if (channel === 'SMS' && attributes.phone_number) return { channel, attribute: 'phone_number', address: attributes.phone_number };
  }
  return undefined;
}

/** A keyed hash of an address, so the stored record names it without holding it; case and phone format do not matter. */
export function addressHash(secret: Buffer, channel: Channel, address: string): string {
  const normalised = channel === 'SMS' ? (phoneLibrary().parsePhone(address)?.e164 ?? address.trim()) : address.trim().toLowerCase();
  return createHmac('sha256', secret).update(`signup\n${channel}\n${normalised}`).digest('base64url');
}

/** The names a legacy user could be found under: the user name, the email and the phone number, each once. */
export function legacyLookupNames(userName: string, attributes: Record<string, string>): string[] {
  const names = [userName, attributes.email, attributes.phone_number, attributes.preferred_username];
  const phone = attributes.phone_number === undefined ? undefined : phoneLibrary().parsePhone(attributes.phone_number)?.e164;
  if (phone !== undefined) names.push(phone);
  return [...new Set(names.filter((name): name is string => name !== undefined && name.trim() !== ''))];
}
