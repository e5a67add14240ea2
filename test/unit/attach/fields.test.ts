import { describe, expect, it } from 'vitest';
import { describedFieldOf, READ_ONLY_DESCRIPTION_FIELDS, UPDATE_USER_POOL_SETTINGS } from '../../../local/attach/fields.js';
import { declaredFields, sdkModelText } from './helpers.js';

const sdk = sdkModelText();

describe('the field lists match the installed SDK', () => {
  it('every field UpdateUserPoolRequest declares is passed through (none missing, none extra)', () => {
    const declared = declaredFields(sdk, 'UpdateUserPoolRequest');
    expect(declared).toContain('UserPoolId');
    expect([...UPDATE_USER_POOL_SETTINGS].sort()).toEqual(declared.filter((field) => field !== 'UserPoolId').sort());
  });

  it('every field UserPoolType declares is either read back as a setting or listed as read-only', () => {
    const declared = declaredFields(sdk, 'UserPoolType');
    const described = UPDATE_USER_POOL_SETTINGS.map((setting) => describedFieldOf(setting));
    expect([...described, ...READ_ONLY_DESCRIPTION_FIELDS].sort()).toEqual([...declared].sort());
  });

  it('no field is both a setting and read-only', () => {
    const described = new Set<string>(UPDATE_USER_POOL_SETTINGS.map((setting) => describedFieldOf(setting)));
    expect(READ_ONLY_DESCRIPTION_FIELDS.filter((field) => described.has(field))).toEqual([]);
  });

  it('PoolName is read from the description\'s Name; every other setting from the field of the same name', () => {
    expect(describedFieldOf('PoolName')).toBe('Name');
    for (const setting of UPDATE_USER_POOL_SETTINGS.filter((s) => s !== 'PoolName')) expect(describedFieldOf(setting)).toBe(setting);
  });
});
