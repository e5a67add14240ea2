import type { AttributeValue } from '../../../shared/aws/services.js';
import { describe, expect, it } from 'vitest';
import { legacyUserFromItem } from '../../../shared/migration/directory.js';
import { LegacyUserError } from '../../../shared/migration/legacyUser.js';
import { thrown } from './helpers.js';

const SECRET_HASH = '$2b$10$SECRETHASHvalueNEVERlogged0123456789012345678901234';
const SECRET_VALUE = 'value-that-must-not-leak-7Kq';

function item(overrides: Record<string, AttributeValue | undefined> = {}): Record<string, AttributeValue> {
  const base: Record<string, AttributeValue | undefined> = {
    username: { S: 'jo@example.com' },
    passwordHash: { S: SECRET_HASH },
    email: { S: 'jo@example.com' },
    emailVerified: { BOOL: true },
    phoneNumber: { S: '+15555550100' },
    phoneNumberVerified: { BOOL: false },
    attributes: { M: { given_name: { S: 'Jo' }, 'custom:tenant_id': { S: 't-42' } } },
    disabled: { BOOL: false },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, AttributeValue>;
}

describe('legacyUserFromItem', () => {
  it('reads every field of a complete item', () => {
    expect(legacyUserFromItem(item())).toEqual({
      username: 'jo@example.com',
      passwordHash: SECRET_HASH,
      email: 'jo@example.com',
      emailVerified: true,
      phoneNumber: '+15555550100',
      phoneNumberVerified: false,
      attributes: { given_name: 'Jo', 'custom:tenant_id': 't-42' },
      disabled: false,
    });
  });

  it('treats missing, NULL and empty optional fields as absent and missing flags as false', () => {
    const user = legacyUserFromItem({
      username: { S: 'min' },
      passwordHash: { S: SECRET_HASH },
      email: { NULL: true },
      phoneNumber: { S: '' },
      attributes: { NULL: true },
    });
    expect(user).toEqual({
      username: 'min',
      passwordHash: SECRET_HASH,
      email: undefined,
      emailVerified: false,
      phoneNumber: undefined,
      phoneNumberVerified: false,
      attributes: {},
      disabled: false,
    });
  });

  it('reads a NULL flag as false', () => {
    expect(legacyUserFromItem(item({ disabled: { NULL: true }, emailVerified: { NULL: true } }))).toMatchObject({ disabled: false, emailVerified: false });
  });

  it('accepts flags stored as the strings "true"/"false"', () => {
    const user = legacyUserFromItem(item({ emailVerified: { S: 'false' }, disabled: { S: 'true' } }));
    expect(user.emailVerified).toBe(false);
    expect(user.disabled).toBe(true);
  });

  it('turns number and boolean attribute values into strings', () => {
    const user = legacyUserFromItem(item({ attributes: { M: { 'custom:age': { N: '42' }, 'custom:beta': { BOOL: true } } } }));
    expect(user.attributes).toEqual({ 'custom:age': '42', 'custom:beta': 'true' });
  });

  const wrong: [string, Record<string, AttributeValue | undefined>, string][] = [
    ['no username', { username: undefined }, 'username is missing'],
    ['an empty username', { username: { S: '' } }, 'username is missing'],
    ['no passwordHash', { passwordHash: undefined }, 'passwordHash is missing'],
    ['a passwordHash that is binary', { passwordHash: { B: Buffer.from(SECRET_HASH).toString('base64') } }, 'passwordHash must be a string'],
    ['a passwordHash that is a number', { passwordHash: { N: '12345678' } }, 'passwordHash must be a string'],
    ['an email that is a list', { email: { L: [{ S: SECRET_VALUE }] } }, 'email must be a string'],
    ['a phoneNumber that is a number', { phoneNumber: { N: '15555550100' } }, 'phoneNumber must be a string'],
    ['an emailVerified of "yes"', { emailVerified: { S: SECRET_VALUE } }, 'emailVerified must be a boolean'],
    ['a phoneNumberVerified that is a number', { phoneNumberVerified: { N: '1' } }, 'phoneNumberVerified must be a boolean'],
    ['a disabled flag of "no"', { disabled: { S: 'no' } }, 'disabled must be a boolean'],
    ['attributes that are a string', { attributes: { S: SECRET_VALUE } }, 'attributes must be a map'],
    ['an attribute that is a list', { attributes: { M: { 'custom:roles': { L: [{ S: SECRET_VALUE }] } } } }, 'attributes.custom:roles must be a string, number or boolean'],
  ];
  it.each(wrong)('with %s, throws LegacyUserError naming the field, never the value', (_, overrides, message) => {
    const error = thrown(() => legacyUserFromItem(item(overrides)));
    expect(error).toBeInstanceOf(LegacyUserError);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(SECRET_HASH);
    expect(error.message).not.toContain(SECRET_VALUE);
  });
});
