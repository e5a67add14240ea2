import { ConfigError } from '../errors.js';
import { booleanFlag, type Env, integerInRange, listOf, optionalString, optionalValue, requiredString } from '../env.js';
import { isKnownCountry } from '../otp/countries.js';

/** Configuration of the three custom-auth triggers, read once at cold start. */

export const CHANNELS = ['EMAIL', 'SMS'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface DefineConfig {
  maxAttempts: number;
  allowPasswordless: boolean;
}

export interface CodeStateConfig {
  tableName: string;
  secret: Buffer;
  lockoutThreshold: number;
  lockoutSeconds: number;
}

export interface CreateConfig extends CodeStateConfig {
  codeLength: number;
  ttlSeconds: number;
  channels: Channel[];
  emailFrom: string | undefined;
  appName: string;
  smsSenderId: string | undefined;
  sesConfigurationSet: string | undefined;
  /** A second Create for the same round within this window is a Cognito retry: it sends nothing. */
  retryWindowSeconds: number;
  /** At most one new code per user in this many seconds. */
  resendCooldownSeconds: number;
  /** At most this many codes per destination address in a rolling hour, whoever asks. */
  maxSendsPerDestinationPerHour: number;
  /** ISO 3166-1 alpha-2 countries SMS may be sent to. */
  smsAllowedCountries: ReadonlySet<string>;
}

export type VerifyConfig = CodeStateConfig;

export function loadDefineConfig(env: Env): DefineConfig {
  return {
    maxAttempts: integerInRange(env, 'OTP_MAX_ATTEMPTS', 3, 1, 10),
    allowPasswordless: booleanFlag(env, 'OTP_ALLOW_PASSWORDLESS', true),
  };
}

/**
 * OTP_SECRET: the HMAC-SHA256 key, at least 32 bytes. Plain text is taken as UTF-8 bytes;
 * `base64:` or `hex:` prefixes decode a binary key.
 */
export function parseSecret(env: Env): Buffer {
  const raw = requiredString(env, 'OTP_SECRET', 'a key of at least 32 bytes (plain, base64:… or hex:…)');
  if (raw.startsWith('{{resolve:')) {
    throw new ConfigError('OTP_SECRET holds an unresolved CloudFormation reference; set the key itself when running locally.');
  }
  let key: Buffer;
  if (raw.startsWith('base64:')) {
    const text = raw.slice(7);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new ConfigError('OTP_SECRET after "base64:" is not valid base64.');
    key = Buffer.from(text, 'base64');
  }
  else if (raw.startsWith('hex:')) {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(raw.slice(4))) throw new ConfigError('OTP_SECRET after "hex:" must be hexadecimal digits.');
    key = Buffer.from(raw.slice(4), 'hex');
  } else key = Buffer.from(raw, 'utf8');
  if (key.length < 32) throw new ConfigError(`OTP_SECRET must be at least 32 bytes, got ${key.length}.`);
  return key;
}

function loadCodeStateConfig(env: Env): CodeStateConfig {
  return {
    tableName: requiredString(env, 'OTP_TABLE', 'the name of the DynamoDB table that holds code state'),
    secret: parseSecret(env),
    lockoutThreshold: integerInRange(env, 'OTP_LOCKOUT_THRESHOLD', 10, 1, 100),
    lockoutSeconds: integerInRange(env, 'OTP_LOCKOUT_SECONDS', 900, 1, 86_400),
  };
}

/** SMS_ALLOWED_COUNTRIES: the ISO 3166-1 alpha-2 countries codes may be texted to (empty: none). */
export function loadSmsAllowedCountries(env: Env): ReadonlySet<string> {
  const countries = (optionalValue(env, 'SMS_ALLOWED_COUNTRIES') ?? '').split(',').map((code) => code.trim().toUpperCase()).filter((code) => code !== '');
  for (const code of countries) {
    if (!isKnownCountry(code)) throw new ConfigError(`SMS_ALLOWED_COUNTRIES must list ISO 3166-1 alpha-2 country codes such as US,CA,GB; "${code}" is not one.`);
  }
  return new Set(countries);
}

const EMAIL_PATTERN = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function loadCreateConfig(env: Env): CreateConfig {
  const channels = listOf(env, 'OTP_CHANNELS', CHANNELS, CHANNELS);
  const emailFromRaw = optionalValue(env, 'EMAIL_FROM');
  if (channels.includes('EMAIL')) {
    if (emailFromRaw === undefined) throw new ConfigError('EMAIL_FROM is not set: expected the SES-verified sender address (OTP_CHANNELS includes EMAIL).');
    const address = /<([^>]+)>\s*$/.exec(emailFromRaw)?.[1] ?? emailFromRaw;
    if (!EMAIL_PATTERN.test(address)) throw new ConfigError(`EMAIL_FROM must be an email address such as "App <no-reply@example.com>", got "${emailFromRaw}".`);
  }
  const smsSenderId = optionalValue(env, 'SMS_SENDER_ID');
  if (smsSenderId !== undefined && !/^(?=.*[A-Za-z])[A-Za-z0-9-]{1,11}$/.test(smsSenderId)) {
    throw new ConfigError('SMS_SENDER_ID must be 1–11 letters, digits or hyphens with at least one letter.');
  }
  const countries = loadSmsAllowedCountries(env);
  if (channels.includes('SMS') && countries.size === 0) {
    throw new ConfigError('SMS_ALLOWED_COUNTRIES is not set: list the countries SMS codes may go to (e.g. US,CA), or remove SMS from OTP_CHANNELS.');
  }
  return {
    ...loadCodeStateConfig(env),
    resendCooldownSeconds: integerInRange(env, 'OTP_RESEND_COOLDOWN_SECONDS', 30, 0, 3_600),
    maxSendsPerDestinationPerHour: integerInRange(env, 'OTP_MAX_SENDS_PER_DESTINATION', 5, 1, 100),
    smsAllowedCountries: countries,
    codeLength: integerInRange(env, 'OTP_LENGTH', 6, 6, 10),
    ttlSeconds: integerInRange(env, 'OTP_TTL_SECONDS', 300, 30, 600),
    channels,
    emailFrom: emailFromRaw,
    appName: optionalString(env, 'APP_NAME', 'our app'),
    smsSenderId,
    sesConfigurationSet: optionalValue(env, 'SES_CONFIGURATION_SET'),
    retryWindowSeconds: integerInRange(env, 'OTP_RETRY_WINDOW_SECONDS', 20, 0, 60),
  };
}

export function loadVerifyConfig(env: Env): VerifyConfig {
  return loadCodeStateConfig(env);
}
