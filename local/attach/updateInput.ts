import type { LambdaConfigType, UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { describedFieldOf, UPDATE_USER_POOL_SETTINGS, type UpdateSetting } from './fields.js';

/**
 * The `UpdateUserPool` input that changes nothing but `LambdaConfig`: every writable setting of the
 * described pool is copied unchanged (a deep copy), read-only fields are left out, and `LambdaConfig`
 * is the one given.
 *
 * One correction: `DescribeUserPool` echoes the deprecated `AdminCreateUserConfig.UnusedAccountValidityDays`
 * next to `Policies.PasswordPolicy.TemporaryPasswordValidityDays`, and `UpdateUserPool` rejects the pair
 * ("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"),
 * so the deprecated one is dropped when the other is set. `SmsConfiguration`, `EmailConfiguration`,
 * `MfaConfiguration` and the rest go back exactly as described.
 */
export function updateInputFromDescription(pool: UserPoolType, lambdaConfig: LambdaConfigType): UpdateUserPoolRequest {
  if (pool.Id === undefined || pool.Id === '') throw new Error('the user pool description has no Id');
  const input: UpdateUserPoolRequest = { UserPoolId: pool.Id };
  const settings = input as Partial<Record<UpdateSetting, unknown>>;
  for (const setting of UPDATE_USER_POOL_SETTINGS) {
    const value: unknown = pool[describedFieldOf(setting)];
    if (value !== undefined && value !== null) settings[setting] = structuredClone(value);
  }
  input.LambdaConfig = structuredClone(lambdaConfig);

  const adminCreateUser = input.AdminCreateUserConfig;
  if (input.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined && adminCreateUser !== undefined) {
    delete adminCreateUser.UnusedAccountValidityDays;
  }
  return input;
}
