import { describe, expect, it } from 'vitest';
import { loadSignUpConfig } from '../../../shared/signup/config.js';

const BASE = { OTP_TABLE: 'otp', OTP_SECRET: 'k'.repeat(32) };

describe('sign-up configuration, read at cold start', () => {
  it('defaults: both channels, no lists, no linking, no legacy check, 30 days for the first sign-in', () => {
    const config = loadSignUpConfig(BASE);
    expect(config).toMatchObject({
      channels: ['EMAIL', 'SMS'],
      allowedEmailDomains: [],
      blockedEmailDomains: [],
      linkProviders: [],
      legacyUsersTable: undefined,
      tableName: 'otp',
      firstSignInDays: 30,
    });
    expect(config.smsAllowedCountries.size).toBe(0);
  });

  it('domain lists are lower-cased, deduplicated, and accept a leading "*." or "."', () => {
    const config = loadSignUpConfig({ ...BASE, SIGNUP_ALLOWED_EMAIL_DOMAINS: 'Example.COM, *.corp.example.org,.example.net,example.com', SIGNUP_BLOCKED_EMAIL_DOMAINS: 'mailinator.com' });
    expect(config.allowedEmailDomains).toEqual(['example.com', 'corp.example.org', 'example.net']);
    expect(config.blockedEmailDomains).toEqual(['mailinator.com']);
  });

  it('a value that is not a domain fails the cold start, naming the variable', () => {
    expect(() => loadSignUpConfig({ ...BASE, SIGNUP_BLOCKED_EMAIL_DOMAINS: 'not a domain' })).toThrow(/SIGNUP_BLOCKED_EMAIL_DOMAINS .*"not a domain"/);
    expect(() => loadSignUpConfig({ ...BASE, SIGNUP_ALLOWED_EMAIL_DOMAINS: 'user@example.com' })).toThrow(/SIGNUP_ALLOWED_EMAIL_DOMAINS/);
  });

  it('a domain on both lists fails the cold start', () => {
    expect(() => loadSignUpConfig({ ...BASE, SIGNUP_ALLOWED_EMAIL_DOMAINS: 'example.com', SIGNUP_BLOCKED_EMAIL_DOMAINS: 'EXAMPLE.com' })).toThrow(/both list example\.com/);
  });

  it('link providers are Cognito provider names; "Cognito", white space or a leading "_" fail the cold start', () => {
    expect(loadSignUpConfig({ ...BASE, SIGNUP_LINK_PROVIDERS: 'Google, SignInWithApple,Corp-SAML' }).linkProviders).toEqual(['Google', 'SignInWithApple', 'Corp-SAML']);
    for (const bad of ['Cognito', 'My IdP', '_Google', 'x'.repeat(33)]) {
      expect(() => loadSignUpConfig({ ...BASE, SIGNUP_LINK_PROVIDERS: bad }), bad).toThrow(/SIGNUP_LINK_PROVIDERS/);
    }
  });

  it('SMS_ALLOWED_COUNTRIES and OTP_CHANNELS are read the way Create reads them', () => {
    const config = loadSignUpConfig({ ...BASE, SMS_ALLOWED_COUNTRIES: 'us, gb', OTP_CHANNELS: 'EMAIL' });
    expect([...config.smsAllowedCountries]).toEqual(['US', 'GB']);
    expect(config.channels).toEqual(['EMAIL']);
    expect(() => loadSignUpConfig({ ...BASE, SMS_ALLOWED_COUNTRIES: 'XX' })).toThrow(/SMS_ALLOWED_COUNTRIES/);
  });

  it('needs the code table and key (it records the pending first sign-in there)', () => {
    expect(() => loadSignUpConfig({ OTP_SECRET: BASE.OTP_SECRET })).toThrow(/OTP_TABLE/);
    expect(() => loadSignUpConfig({ OTP_TABLE: 'otp', OTP_SECRET: 'short' })).toThrow(/OTP_SECRET/);
    expect(() => loadSignUpConfig({ ...BASE, SIGNUP_FIRST_SIGN_IN_DAYS: '0' })).toThrow(/SIGNUP_FIRST_SIGN_IN_DAYS/);
  });
});
