import { describe, expect, it } from 'vitest';
import { phoneOf, toLegacyUser } from '../../../shared/migration/directories/common.js';
import { foldAsciiCase } from '../../../shared/migration/directory.js';
import { parseAnswer, signatureHeaders } from '../../../shared/migration/directories/http.js';
import { bindFailureOf, escapeFilterValue, isBindablePassword, isDisabledByAccountControl, userFilterFor } from '../../../shared/migration/directories/ldapRules.js';
import { legacyUserFromRow } from '../../../shared/migration/directories/sql.js';
import { parseAttributeMap } from '../../../shared/migration/directories/settings.js';

describe('LDAP filter values (RFC 4515 §3)', () => {
  it('escapes the five characters with meaning, each as \\ and two hex digits, and nothing else', () => {
    expect(escapeFilterValue('*()\\\0')).toBe('\\2a\\28\\29\\5c\\00');
    expect(escapeFilterValue('jo.o’brien+tag@example.com é')).toBe('jo.o’brien+tag@example.com é');
  });

  it('puts the escaped name into every {username} of the filter', () => {
    expect(userFilterFor('(|(uid={username})(mail={username}))', 'a*)(uid=*')).toBe('(|(uid=a\\2a\\29\\28uid=\\2a)(mail=a\\2a\\29\\28uid=\\2a))');
  });

  it('never lets an empty or blank password reach a bind', () => {
    for (const password of ['', ' ', '\t\n']) expect(isBindablePassword(password)).toBe(false);
    expect(isBindablePassword(' x ')).toBe(true);
  });
});

describe('what a failed bind means', () => {
  it.each([
    ['80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 525, v4563', 'unknown-user'],
    ['80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563', 'wrong-password'],
    ['80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 532, v4563', 'disabled'],
    ['80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52F, v4563', 'wrong-password'],
    ['Invalid credentials during a bind operation.', 'wrong-password'],
  ])('%s → %s', (diagnostic, outcome) => {
    expect(bindFailureOf(diagnostic).outcome).toBe(outcome);
  });

  it('reads ACCOUNTDISABLE (0x2) and LOCKOUT (0x10) from userAccountControl, nothing else', () => {
    expect([512, 514, 528, 66048, 66050].map((v) => isDisabledByAccountControl(String(v)))).toEqual([false, true, true, false, true]);
    expect(isDisabledByAccountControl(undefined)).toBe(false);
    expect(isDisabledByAccountControl('not a number')).toBe(false);
  });
});

describe('profiles from directories', () => {
  it('folds ASCII letters only', () => {
    expect(foldAsciiCase('Jo@Example.COM')).toBe('jo@example.com');
    expect(foldAsciiCase('\u212Aim')).toBe('\u212Aim');
    expect(foldAsciiCase('İSTANBUL')).toBe('İstanbul');
  });

  it('keeps only the digits of a phone number written with separators, and leaves other text for the E.164 check', () => {
    expect(phoneOf('+1 (555) 555-0100')).toBe('+15555550100');
    expect(phoneOf('+44 20.7946.0958')).toBe('+442079460958');
    expect(phoneOf('555-0100')).toBe('555-0100');
    expect(phoneOf('  ')).toBeUndefined();
  });

  it('puts the legacy id into the configured attribute, and nowhere when there is none', () => {
    const profile = { username: 'jo', legacyId: '42', email: 'jo@example.com', emailVerified: true, phoneNumber: undefined, phoneNumberVerified: false, attributes: {}, disabled: false };
    expect(toLegacyUser(profile, 'custom:legacy_id').attributes).toEqual({ 'custom:legacy_id': '42' });
    expect(toLegacyUser(profile, undefined).attributes).toEqual({});
    expect(toLegacyUser({ ...profile, legacyId: '' }, 'custom:legacy_id').attributes).toEqual({});
  });

  it('reads a SQL row whatever the driver gives for booleans, numbers and JSON', () => {
    const user = legacyUserFromRow({ username: 'jo', password_hash: 'h', email_verified: 1, phone_number_verified: 't', disabled: 0, attributes: '{"given_name":"Jo","custom:n":3}', legacy_id: 7n }, 'custom:legacy_id');
    expect(user).toMatchObject({ emailVerified: true, phoneNumberVerified: true, disabled: false, attributes: { given_name: 'Jo', 'custom:n': '3', 'custom:legacy_id': '7' } });
    expect(() => legacyUserFromRow({ username: 'jo' }, undefined)).toThrow('column password_hash is missing');
    expect(() => legacyUserFromRow({ username: 'jo', password_hash: 'h', disabled: 'maybe' }, undefined)).toThrow('column disabled must be a boolean');
    expect(() => legacyUserFromRow({ username: 'jo', password_hash: 'h', attributes: '[1]' }, undefined)).toThrow('column attributes must be a JSON object');
  });

  it('parses an attribute map and refuses attributes Cognito manages', () => {
    expect(parseAttributeMap(' email = mail , custom:dept=department ', 'X')).toEqual({ email: 'mail', 'custom:dept': 'department' });
    expect(() => parseAttributeMap('email_verified=x', 'X')).toThrow(/email_verified is not/);
    expect(() => parseAttributeMap('given_name=(uid)', 'X')).toThrow(/not an attribute name/);
  });
});

describe('the login API contract', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256', () => {
    expect(signatureHeaders('key', '{"username":"jo"}', 1_700_000_000_123)).toEqual({
      'X-Signature-Timestamp': '1700000000',
      'X-Signature': 'sha256=' + require('node:crypto').createHmac('sha256', 'key').update('1700000000.{"username":"jo"}').digest('hex'),
    });
  });

  it('accepts only the documented answers', () => {
    expect(parseAnswer(200, '{"result":"accepted","user":{}}')).toEqual({ result: 'accepted', user: {} });
    expect(parseAnswer(200, '{"result":"refused"}')).toEqual({ result: 'refused' });
    for (const [status, body] of [[200, '{"result":"ok"}'], [200, '[]'], [200, 'null'], [201, '{"result":"refused"}'], [302, ''], [200, '{"result":"found"}']] as const) {
      expect(() => parseAnswer(status, body)).toThrow();
    }
  });
});
