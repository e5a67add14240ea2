import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { describedFieldOf, READ_ONLY_DESCRIPTION_FIELDS, UPDATE_USER_POOL_SETTINGS } from '../../../local/attach/fields.js';
import { updateInputFromDescription } from '../../../local/attach/updateInput.js';
import { describedPool, POOL_ID, suiteArn } from './helpers.js';

const newLambdaConfig = { ...describedPool().LambdaConfig, DefineAuthChallenge: suiteArn('defineAuthChallenge') };

describe('updateInputFromDescription, on a full DescribeUserPool response', () => {
  it('the fixture sets every writable setting, so the checks below cover them all', () => {
    const pool = describedPool() as Record<string, unknown>;
    expect(UPDATE_USER_POOL_SETTINGS.filter((setting) => pool[describedFieldOf(setting)] === undefined)).toEqual([]);
  });

  it('passes every writable setting through unchanged, except LambdaConfig and the deprecated validity days', () => {
    const pool = describedPool();
    const input = updateInputFromDescription(pool, newLambdaConfig) as unknown as Record<string, unknown>;
    for (const setting of UPDATE_USER_POOL_SETTINGS) {
      if (setting === 'LambdaConfig' || setting === 'AdminCreateUserConfig') continue;
      expect(input[setting], setting).toEqual((pool as Record<string, unknown>)[describedFieldOf(setting)]);
    }
    expect(input.PoolName).toBe('acme-customers-prod');
    expect(input.UserPoolId).toBe(POOL_ID);
  });

  it('keeps MFA, SMS, email and password settings exactly as described', () => {
    const input = updateInputFromDescription(describedPool(), newLambdaConfig);
    expect(input.MfaConfiguration).toBe('ON');
    expect(input.SmsConfiguration).toEqual({ SnsCallerArn: 'arn:aws:iam::123456789012:role/service-role/acme-cognito-sms', ExternalId: '6f0e2b1c-acme-sms-external-id', SnsRegion: 'eu-west-1' });
    expect(input.EmailConfiguration).toMatchObject({ SourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/acme.example', From: 'Acme <no-reply@acme.example>', EmailSendingAccount: 'DEVELOPER' });
    expect(input.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 12, TemporaryPasswordValidityDays: 3 });
    expect(input.DeletionProtection).toBe('ACTIVE');
  });

  it('sends the LambdaConfig it is given, not the described one', () => {
    const input = updateInputFromDescription(describedPool(), newLambdaConfig);
    expect(input.LambdaConfig).toEqual(newLambdaConfig);
  });

  it('sends an empty LambdaConfig when every trigger is removed', () => {
    expect(updateInputFromDescription(describedPool(), {}).LambdaConfig).toEqual({});
  });

  it('drops UnusedAccountValidityDays when TemporaryPasswordValidityDays is set, and keeps the rest of AdminCreateUserConfig', () => {
    const pool = describedPool();
    const input = updateInputFromDescription(pool, newLambdaConfig);
    const { UnusedAccountValidityDays, ...rest } = pool.AdminCreateUserConfig ?? {};
    expect(UnusedAccountValidityDays).toBe(3);
    expect(input.AdminCreateUserConfig).toEqual(rest);
    expect(input.AdminCreateUserConfig).not.toHaveProperty('UnusedAccountValidityDays');
  });

  it('keeps UnusedAccountValidityDays on an old pool whose password policy has no TemporaryPasswordValidityDays', () => {
    const pool = describedPool();
    delete pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays;
    expect(updateInputFromDescription(pool, newLambdaConfig).AdminCreateUserConfig?.UnusedAccountValidityDays).toBe(3);
  });

  it('leaves out every read-only field', () => {
    const input = updateInputFromDescription(describedPool(), newLambdaConfig) as unknown as Record<string, unknown>;
    for (const field of [...READ_ONLY_DESCRIPTION_FIELDS, 'Name']) expect(input, field).not.toHaveProperty(field);
    expect(Object.keys(input).sort()).toEqual(['UserPoolId', ...UPDATE_USER_POOL_SETTINGS].sort());
  });

  it('leaves out a setting the pool does not have, rather than sending it empty', () => {
    const pool = describedPool();
    delete pool.DeviceConfiguration;
    delete pool.UserPoolTags;
    const input = updateInputFromDescription(pool, newLambdaConfig);
    expect(input).not.toHaveProperty('DeviceConfiguration');
    expect(input).not.toHaveProperty('UserPoolTags');
  });

  it('copies deeply: changing the input later does not change the description', () => {
    const pool = describedPool();
    const input = updateInputFromDescription(pool, newLambdaConfig);
    const passwordPolicy = input.Policies?.PasswordPolicy;
    const tags = input.UserPoolTags;
    if (passwordPolicy === undefined || tags === undefined) throw new Error('fixture lost its password policy or tags');
    passwordPolicy.MinimumLength = 6;
    tags.team = 'x';
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(12);
    expect(pool.UserPoolTags?.team).toBe('identity');
    expect(pool.AdminCreateUserConfig?.UnusedAccountValidityDays).toBe(3);
  });

  it('refuses a description without an Id', () => {
    const pool: UserPoolType = { ...describedPool() };
    delete pool.Id;
    expect(() => updateInputFromDescription(pool, {})).toThrow('no Id');
  });
});
