/** A user as the legacy directory holds them, and the checks that turn one into Cognito attributes. */

export interface LegacyUser {
  username: string;
  passwordHash: string;
  email: string | undefined;
  emailVerified: boolean;
  phoneNumber: string | undefined;
  phoneNumberVerified: boolean;
  /** Further Cognito attributes, e.g. `given_name` or `custom:tenant_id`. */
  attributes: Record<string, string>;
  disabled: boolean;
}

/** Why a directory entry cannot become a Cognito user; names the field, never its value. */
export class LegacyUserError extends Error {
  override name = 'LegacyUserError';
}

export const STANDARD_ATTRIBUTES = [
  'address', 'birthdate', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'picture', 'preferred_username', 'profile', 'updated_at', 'website', 'zoneinfo',
] as const;

/** Attributes set from dedicated fields, or that Cognito owns. */
const MANAGED_ATTRIBUTES = new Set(['email', 'email_verified', 'phone_number', 'phone_number_verified', 'sub', 'identities', 'username']);

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CUSTOM_ATTRIBUTE = /^custom:[A-Za-z0-9_]{1,20}$/;
const MAX_ATTRIBUTE_LENGTH = 2048;

export function isE164(value: string): boolean {
  return E164.test(value);
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Checks one further attribute's name and value; returns the problem, or undefined when it is fine. */
export function attributeProblem(name: string, value: string): string | undefined {
  if (MANAGED_ATTRIBUTES.has(name) || name.startsWith('cognito:') || name.startsWith('dev:')) {
    return `attribute ${name} cannot be migrated through "attributes"`;
  }
  if (!(STANDARD_ATTRIBUTES as readonly string[]).includes(name) && !CUSTOM_ATTRIBUTE.test(name)) {
    return `attribute ${name} is neither a standard attribute nor custom:<name of 1-20 letters, digits or _>`;
  }
  if (value.length > MAX_ATTRIBUTE_LENGTH) return `attribute ${name} is longer than ${MAX_ATTRIBUTE_LENGTH} characters`;
  return undefined;
}

/** The user attributes Cognito is given for a migrated user; throws LegacyUserError for anything Cognito would reject. */
export function toCognitoAttributes(user: LegacyUser): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    const problem = attributeProblem(name, value);
    if (problem !== undefined) throw new LegacyUserError(problem);
    attributes[name] = value;
  }
  if (user.email !== undefined) {
    if (!isEmail(user.email)) throw new LegacyUserError('email is not a valid address');
    attributes.email = user.email;
    attributes.email_verified = String(user.emailVerified);
  }
  if (user.phoneNumber !== undefined) {
    if (!isE164(user.phoneNumber)) throw new LegacyUserError('phoneNumber is not in E.164 format (+ and 7-15 digits)');
    attributes.phone_number = user.phoneNumber;
    attributes.phone_number_verified = String(user.phoneNumberVerified);
  }
  return attributes;
}

export function hasVerifiedContact(user: LegacyUser): boolean {
  return (user.email !== undefined && user.emailVerified) || (user.phoneNumber !== undefined && user.phoneNumberVerified);
}
