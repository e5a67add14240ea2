import type { UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Which fields of a user pool `UpdateUserPool` writes, and where `DescribeUserPool` reports each.
 *
 * `UpdateUserPool` resets every setting the call leaves out, so a caller must send all of them.
 * Both lists are checked against the installed SDK twice: by the type assertions below (tsc fails
 * when the SDK gains a field nobody has classified) and by a test that reads the SDK's d.ts text.
 */

/** Every field of `UpdateUserPoolRequest` except the key, `UserPoolId`. */
export const UPDATE_USER_POOL_SETTINGS = [
  'Policies',
  'DeletionProtection',
  'LambdaConfig',
  'AutoVerifiedAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'MfaConfiguration',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'UserPoolAddOns',
  'DcrConfiguration',
  'AccountRecoverySetting',
  'PoolName',
  'UserPoolTier',
  'KeyConfiguration',
  'IssuerConfiguration',
  'AcrConfiguration',
] as const satisfies readonly Exclude<keyof UpdateUserPoolRequest, 'UserPoolId'>[];

export type UpdateSetting = (typeof UPDATE_USER_POOL_SETTINGS)[number];

/** The description names the pool `Name`; the update calls it `PoolName`. Every other setting keeps its name. */
export type DescribedField<S extends UpdateSetting> = S extends 'PoolName' ? 'Name' : S;

export function describedFieldOf<S extends UpdateSetting>(setting: S): DescribedField<S> {
  return (setting === 'PoolName' ? 'Name' : setting) as DescribedField<S>;
}

/** Fields `DescribeUserPool` returns that `UpdateUserPool` does not accept (set at creation, or computed). */
export const READ_ONLY_DESCRIPTION_FIELDS = [
  'Id',
  'Arn',
  'Status',
  'CreationDate',
  'LastModifiedDate',
  'EstimatedNumberOfUsers',
  'SchemaAttributes',
  'UsernameAttributes',
  'AliasAttributes',
  'UsernameConfiguration',
  'Domain',
  'CustomDomain',
  'SmsConfigurationFailure',
  'EmailConfigurationFailure',
] as const satisfies readonly (keyof UserPoolType)[];

// --- Compile-time checks against the installed SDK ------------------------------------------------
type Assert<T extends true> = T;
type NoneLeft<Missing> = [Missing] extends [never] ? true : { unclassified: Missing };

/** A field added to UpdateUserPoolRequest must be added to UPDATE_USER_POOL_SETTINGS. */
export type EverySettingIsPassedThrough = Assert<NoneLeft<Exclude<keyof UpdateUserPoolRequest, UpdateSetting | 'UserPoolId'>>>;

/** A field added to UserPoolType must be classified: a setting, or read-only. */
export type EveryDescribedFieldIsClassified = Assert<
  NoneLeft<Exclude<keyof UserPoolType, DescribedField<UpdateSetting> | (typeof READ_ONLY_DESCRIPTION_FIELDS)[number]>>
>;

/** Each setting's described value can be sent back as it is. */
type Compatible = { [S in UpdateSetting]: UserPoolType[DescribedField<S>] extends UpdateUserPoolRequest[S] ? true : S }[UpdateSetting];
export type DescribedValuesFitTheUpdate = Assert<NoneLeft<Exclude<Compatible, true>>>;
