import { describe, expect, it } from 'vitest';
import {
  attributeProblem,
  hasVerifiedContact,
  isE164,
  LegacyUserError,
  STANDARD_ATTRIBUTES,
  toCognitoAttributes,
} from '../../../shared/migration/legacyUser.js';
import { legacyUser, thrown } from './helpers.js';

describe('attributeProblem', () => {
  it.each(STANDARD_ATTRIBUTES.map((name) => [name]))('accepts the standard attribute %s', (name) => {
    expect(attributeProblem(name, 'some value')).toBeUndefined();
  });

  it.each([['custom:tenant_id'], ['custom:x'], ['custom:A1_b2'], [`custom:${'a'.repeat(20)}`]])('accepts the custom attribute %s', (name) => {
    expect(attributeProblem(name, 't-42')).toBeUndefined();
  });

  it.each([
    ['sub'],
    ['email'],
    ['email_verified'],
    ['phone_number'],
    ['phone_number_verified'],
    ['identities'],
    ['username'],
    ['cognito:username'],
    ['cognito:groups'],
    ['dev:secret'],
  ])('refuses %s in "attributes", naming it', (name) => {
    const problem = attributeProblem(name, 'x');
    expect(problem).toBe(`attribute ${name} cannot be migrated through "attributes"`);
  });

  it.each([['tenant_id'], ['custom:'], [`custom:${'a'.repeat(21)}`], ['custom:has-dash'], ['custom:has space'], ['Given_Name']])(
    'refuses %s, which is neither standard nor custom:<name>',
    (name) => {
      expect(attributeProblem(name, 'x')).toContain(`attribute ${name} is neither a standard attribute nor custom:`);
    },
  );

  it('accepts a value of exactly 2048 characters and refuses one of 2049, without quoting the value', () => {
    expect(attributeProblem('custom:notes', 'v'.repeat(2048))).toBeUndefined();
    const problem = attributeProblem('custom:notes', 'v'.repeat(2049));
    expect(problem).toBe('attribute custom:notes is longer than 2048 characters');
  });
});

describe('isE164', () => {
  it.each([['+15555550100'], ['+447700900123'], ['+4912345'], [`+1${'2'.repeat(14)}`]])('accepts %s', (n) => {
    expect(isE164(n)).toBe(true);
  });
  it.each([['15555550100'], ['+0155555501'], ['+1 555 555 0100'], ['+1-555-555-0100'], ['+123456'], [`+1${'2'.repeat(15)}`], ['']])(
    'refuses %j',
    (n) => {
      expect(isE164(n)).toBe(false);
    },
  );
});

describe('toCognitoAttributes', () => {
  it('maps email, phone and their verified flags as the strings "true"/"false", plus further attributes', () => {
    const user = legacyUser({
      email: 'jo@example.com',
      emailVerified: true,
      phoneNumber: '+15555550100',
      phoneNumberVerified: false,
      attributes: { given_name: 'Jo', 'custom:tenant_id': 't-42' },
    });
    expect(toCognitoAttributes(user)).toEqual({
      given_name: 'Jo',
      'custom:tenant_id': 't-42',
      email: 'jo@example.com',
      email_verified: 'true',
      phone_number: '+15555550100',
      phone_number_verified: 'false',
    });
  });

  it('leaves out email and phone (and their flags) when the directory has none', () => {
    expect(toCognitoAttributes(legacyUser({ email: undefined, phoneNumber: undefined, attributes: { name: 'Jo' } }))).toEqual({ name: 'Jo' });
  });

  it('when the email is not an address, throws LegacyUserError naming the field and not the value', () => {
    const error = thrown(() => toCognitoAttributes(legacyUser({ email: 'not-an-address-QX81' })));
    expect(error).toBeInstanceOf(LegacyUserError);
    expect(error.message).toBe('email is not a valid address');
  });

  it('when the phone number is not E.164, throws LegacyUserError naming the field and not the value', () => {
    const error = thrown(() => toCognitoAttributes(legacyUser({ phoneNumber: '555-0100-77', phoneNumberVerified: true })));
    expect(error).toBeInstanceOf(LegacyUserError);
    expect(error.message).toBe('phoneNumber is not in E.164 format (+ and 7-15 digits)');
  });

  it.each([['sub'], ['cognito:username'], ['email_verified']])('when "attributes" holds %s, throws LegacyUserError', (name) => {
    expect(() => toCognitoAttributes(legacyUser({ attributes: { [name]: 'x' } }))).toThrow(LegacyUserError);
  });

  it('when an attribute value is too long, throws LegacyUserError naming the attribute', () => {
    expect(() => toCognitoAttributes(legacyUser({ attributes: { 'custom:bio': 'b'.repeat(2049) } }))).toThrow(
      'attribute custom:bio is longer than 2048 characters',
    );
  });
});

describe('hasVerifiedContact', () => {
  it.each([
    ['a verified email', { email: 'jo@example.com', emailVerified: true, phoneNumber: undefined }, true],
    ['a verified phone', { email: undefined, phoneNumber: '+15555550100', phoneNumberVerified: true }, true],
    ['an unverified email only', { email: 'jo@example.com', emailVerified: false, phoneNumber: undefined }, false],
    ['an unverified phone only', { email: undefined, phoneNumber: '+15555550100', phoneNumberVerified: false }, false],
    ['a verified flag but no email', { email: undefined, emailVerified: true, phoneNumber: undefined }, false],
    ['no contact at all', { email: undefined, phoneNumber: undefined }, false],
  ] as const)('with %s: %s', (_, overrides, expected) => {
    expect(hasVerifiedContact(legacyUser(overrides))).toBe(expected);
  });
});
