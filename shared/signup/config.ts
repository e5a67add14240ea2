import { ConfigError } from '../errors.js';
import { CHANNELS, type Channel, loadSmsAllowedCountries, parseSecret } from '../auth/config.js';
import { type Env, integerInRange, listOf, optionalValue, requiredString } from '../env.js';

/** Configuration of the preSignUp trigger, read once at cold start. */
export interface SignUpConfig {
  /** OTP_CHANNELS: a passwordless sign-up needs an address on one of them. */
  channels: Channel[];
  /** SMS_ALLOWED_COUNTRIES: a phone number given at sign-up must be a mobile number in one of these. */
  smsAllowedCountries: ReadonlySet<string>;
  /** SIGNUP_ALLOWED_EMAIL_DOMAINS: when non-empty, only these domains (and their subdomains). */
  allowedEmailDomains: readonly string[];
  /** SIGNUP_BLOCKED_EMAIL_DOMAINS: never these domains (or their subdomains). */
  blockedEmailDomains: readonly string[];
  /** SIGNUP_LINK_PROVIDERS: identity providers whose first sign-in is linked to the native user with that verified email. */
  linkProviders: readonly string[];
  /** LEGACY_USERS_TABLE: when set, a sign-up using a legacy user's email, phone or user name is refused. */
  legacyUsersTable: string | undefined;
  /** Where the pending first sign-in of a passwordless account is recorded (the code table). */
  tableName: string;
  secret: Buffer;
  /** SIGNUP_FIRST_SIGN_IN_DAYS: how long a passwordless account may wait for its first sign-in. */
  firstSignInDays: number;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
// Cognito's ProviderNameTypeV2: `_` only as the second character, no white space, at most 32 characters.
const PROVIDER_NAME = /^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$/u;

function domainList(env: Env, name: string): string[] {
  const raw = optionalValue(env, name);
  if (raw === undefined) return [];
  const domains = raw.split(',').map((entry) => entry.trim().toLowerCase().replace(/^\*?\./, '')).filter((entry) => entry !== '');
  for (const domain of domains) {
    if (!DOMAIN.test(domain)) throw new ConfigError(`${name} must list email domains such as example.com,example.org; "${domain}" is not one.`);
  }
  return [...new Set(domains)];
}

function providerList(env: Env): string[] {
  const raw = optionalValue(env, 'SIGNUP_LINK_PROVIDERS');
  if (raw === undefined) return [];
  const providers = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const provider of providers) {
    if (provider.length > 32 || !PROVIDER_NAME.test(provider) || provider.toLowerCase() === 'cognito') {
      throw new ConfigError(`SIGNUP_LINK_PROVIDERS must list the user pool's identity provider names (e.g. Google,SignInWithApple,Corporate-SAML); "${provider}" is not one.`);
    }
  }
  return providers;
}

export function loadSignUpConfig(env: Env): SignUpConfig {
  const allowedEmailDomains = domainList(env, 'SIGNUP_ALLOWED_EMAIL_DOMAINS');
  const blockedEmailDomains = domainList(env, 'SIGNUP_BLOCKED_EMAIL_DOMAINS');
  const both = allowedEmailDomains.filter((domain) => blockedEmailDomains.includes(domain));
  if (both.length > 0) {
    throw new ConfigError(`SIGNUP_ALLOWED_EMAIL_DOMAINS and SIGNUP_BLOCKED_EMAIL_DOMAINS both list ${both.join(', ')}; a domain may be on one list only.`);
  }
  return {
    channels: listOf(env, 'OTP_CHANNELS', CHANNELS, CHANNELS),
    smsAllowedCountries: loadSmsAllowedCountries(env),
    allowedEmailDomains,
    blockedEmailDomains,
    linkProviders: providerList(env),
    legacyUsersTable: optionalValue(env, 'LEGACY_USERS_TABLE'),
    tableName: requiredString(env, 'OTP_TABLE', 'the name of the DynamoDB table that holds code state'),
    secret: parseSecret(env),
    firstSignInDays: integerInRange(env, 'SIGNUP_FIRST_SIGN_IN_DAYS', 30, 1, 365),
  };
}
