import { describe, expect, it } from 'vitest';
import { assertsVerifiedEmail, chooseLinkTarget, providerIdentity } from '../../../shared/signup/linking.js';
import { nativeUser } from './helpers.js';

describe('which provider a federated user name comes from', () => {
  const providers = ['Google', 'Corp', 'Corp-SAML'];
  it('matches the configured name case-insensitively and keeps the subject intact, underscores included', () => {
    expect(providerIdentity('Google_1234', providers)).toEqual({ providerName: 'Google', subject: '1234' });
    expect(providerIdentity('google_1234', providers)).toEqual({ providerName: 'Google', subject: '1234' });
    expect(providerIdentity('Corp-SAML_jo_bloggs@corp', providers)).toEqual({ providerName: 'Corp-SAML', subject: 'jo_bloggs@corp' });
    expect(providerIdentity('Corp_x_y', providers)).toEqual({ providerName: 'Corp', subject: 'x_y' });
  });
  it('a provider that is not on the list, or no subject, is not recognised', () => {
    expect(providerIdentity('Facebook_1234', providers)).toBeUndefined();
    expect(providerIdentity('Google_', providers)).toBeUndefined();
    expect(providerIdentity('Googler_1', providers)).toBeUndefined();
  });
});

describe('whom a federated identity is linked to', () => {
  it('only when the provider asserts the email is verified', () => {
    expect(assertsVerifiedEmail({ email: 'a@example.com', email_verified: 'true' })).toBe(true);
    expect(assertsVerifiedEmail({ email: 'a@example.com', email_verified: 'True' })).toBe(true);
    expect(assertsVerifiedEmail({ email: 'a@example.com', email_verified: 'false' })).toBe(false);
    expect(assertsVerifiedEmail({ email: 'a@example.com' })).toBe(false);
    expect(assertsVerifiedEmail({ email_verified: 'true' })).toBe(false);
  });

  it('exactly one enabled native user whose email is verified: link to it', () => {
    expect(chooseLinkTarget([nativeUser('u1', 'a@example.com')], 'a@example.com')).toEqual({ kind: 'link', userName: 'u1' });
    // Other users with the address unverified, or federated ones, do not count.
    const users = [nativeUser('u1', 'a@example.com'), nativeUser('u2', 'a@example.com', false), nativeUser('Facebook_9', 'a@example.com', true, 'EXTERNAL_PROVIDER')];
    expect(chooseLinkTarget(users, 'a@example.com')).toEqual({ kind: 'link', userName: 'u1' });
  });

  it('never to a user whose email is not verified, or who is disabled', () => {
    expect(chooseLinkTarget([nativeUser('u1', 'a@example.com', false)], 'a@example.com')).toEqual({ kind: 'none' });
    expect(chooseLinkTarget([{ ...nativeUser('u1', 'a@example.com'), enabled: false }], 'a@example.com')).toEqual({ kind: 'none' });
  });

  it('two such users, or more than one page of users, is ambiguous: nobody is linked', () => {
    expect(chooseLinkTarget([nativeUser('u1', 'a@example.com'), nativeUser('u2', 'a@example.com')], 'a@example.com')).toMatchObject({ kind: 'ambiguous' });
    expect(chooseLinkTarget('too-many', 'a@example.com')).toMatchObject({ kind: 'ambiguous' });
  });

  it('the email must match exactly (the filter is exact; a differently cased address is another user)', () => {
    expect(chooseLinkTarget([nativeUser('u1', 'A@example.com')], 'a@example.com')).toEqual({ kind: 'none' });
  });
});
