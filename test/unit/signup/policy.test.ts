import { describe, expect, it } from 'vitest';
import {
  addressHash, emailDomain, emailDomainAllowed, isPasswordlessSignUp, legacyLookupNames, signUpAddress, signUpPhoneAllowed,
} from '../../../shared/signup/policy.js';
import { SECRET } from './helpers.js';

describe('which sign-ups are passwordless', () => {
  it('the client marks one with passwordlessSignUp=true in ClientMetadata or ValidationData', () => {
    expect(isPasswordlessSignUp({ passwordlessSignUp: 'true' }, {})).toBe(true);
    expect(isPasswordlessSignUp({}, { passwordlessSignUp: 'true' })).toBe(true);
    expect(isPasswordlessSignUp({ passwordlessSignUp: 'yes' }, {})).toBe(false);
    expect(isPasswordlessSignUp({}, {})).toBe(false);
  });
});

describe('email-domain lists', () => {
  it('reads the domain after the last @, lower case, without a trailing dot', () => {
    expect(emailDomain('"a@b"@Example.COM.')).toBe('example.com');
    expect(emailDomain('no-at-sign')).toBeUndefined();
    expect(emailDomain('trailing@')).toBeUndefined();
  });

  it('with no lists, every domain may sign up', () => {
    expect(emailDomainAllowed('a@anything.test', [], [])).toBe(true);
  });

  it('an allow-list admits only its domains and their subdomains', () => {
    expect(emailDomainAllowed('a@example.com', ['example.com'], [])).toBe(true);
    expect(emailDomainAllowed('a@mail.example.com', ['example.com'], [])).toBe(true);
    expect(emailDomainAllowed('a@badexample.com', ['example.com'], [])).toBe(false);
    expect(emailDomainAllowed('a@example.com.evil.test', ['example.com'], [])).toBe(false);
  });

  it('a block-list refuses its domains and their subdomains, and wins over the allow-list', () => {
    expect(emailDomainAllowed('a@mailinator.com', [], ['mailinator.com'])).toBe(false);
    expect(emailDomainAllowed('a@x.MAILINATOR.com', [], ['mailinator.com'])).toBe(false);
    expect(emailDomainAllowed('a@guests.example.com', ['example.com'], ['guests.example.com'])).toBe(false);
  });

  it('an address without a domain is refused', () => {
    expect(emailDomainAllowed('nobody', [], [])).toBe(false);
  });
});

describe('phone numbers at sign-up', () => {
  const allowed = new Set(['US', 'GB']);
  it('a mobile number in an allowed country may sign up', () => {
    expect(signUpPhoneAllowed('+447400123456', allowed)).toBe(true);
    expect(signUpPhoneAllowed('+12015550123', allowed)).toBe(true);
  });
  it('a fixed-line, premium-rate or invalid number, or one in another country, may not', () => {
    expect(signUpPhoneAllowed('+442079460000', allowed)).toBe(false); // London fixed line
    expect(signUpPhoneAllowed('+447400123456', new Set(['US']))).toBe(false);
    expect(signUpPhoneAllowed('+34600000100', allowed)).toBe(false);
    expect(signUpPhoneAllowed('12345', allowed)).toBe(false);
  });
  it('with no SMS countries configured, no phone number may sign up', () => {
    expect(signUpPhoneAllowed('+447400123456', new Set())).toBe(false);
  });
});

describe('the address a passwordless sign-up proves with its first code', () => {
  it('the email on EMAIL, else the phone on SMS, in the configured channel order', () => {
    const both = { email: 'a@example.com', phone_number: '+447400123456' };
    expect(signUpAddress(both, ['EMAIL', 'SMS'])).toEqual({ channel: 'EMAIL', attribute: 'email', address: 'a@example.com' });
    expect(signUpAddress(both, ['SMS', 'EMAIL'])).toEqual({ channel: 'SMS', attribute: 'phone_number', address: '+447400123456' });
    expect(signUpAddress({ phone_number: '+447400123456' }, ['EMAIL'])).toBeUndefined();
  });

  it('is named by a keyed hash that ignores case and phone formatting, and differs per address and key', () => {
    expect(addressHash(SECRET, 'EMAIL', 'A@Example.com')).toBe(addressHash(SECRET, 'EMAIL', 'a@example.com'));
    expect(addressHash(SECRET, 'SMS', '+44 7400 123456')).toBe(addressHash(SECRET, 'SMS', '+447400123456'));
    expect(addressHash(SECRET, 'EMAIL', 'a@example.com')).not.toBe(addressHash(SECRET, 'EMAIL', 'b@example.com'));
    expect(addressHash(SECRET, 'EMAIL', 'a@example.com')).not.toBe(addressHash(Buffer.alloc(32, 1), 'EMAIL', 'a@example.com'));
    expect(addressHash(SECRET, 'EMAIL', 'a@example.com')).not.toContain('example');
  });
});

describe('the names a legacy user is looked up under', () => {
  it('user name, email, phone as given and in E.164, preferred user name; each once', () => {
    expect(legacyLookupNames('a@example.com', { email: 'a@example.com', phone_number: '+44 7400 123456', preferred_username: 'ann' })).toEqual([
      'a@example.com', '+44 7400 123456', 'ann', '+447400123456',
    ]);
  });
});
