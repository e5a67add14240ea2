/**
 * The user pool and app client the endpoint imitates. `suitePool()` is what serverless.yml creates
 * with userPool=create (UserPool and UserPoolClient resources); a test compares the two.
 */

export type AuthFlow = 'ALLOW_CUSTOM_AUTH' | 'ALLOW_USER_SRP_AUTH' | 'ALLOW_USER_PASSWORD_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH' | 'ALLOW_ADMIN_USER_PASSWORD_AUTH';

export interface PoolConfig {
  /** `<region>_<name>`: Amplify takes the region from the part before `_` and the SRP pool name from the part after. */
  userPoolId: string;
  poolName: string;
  /** Sign-in aliases used as the user name: the real user name is then a UUID (the `sub`). */
  usernameAttributes: ('email' | 'phone_number')[];
  caseSensitiveUsernames: boolean;
  autoVerifiedAttributes: ('email' | 'phone_number')[];
  /** UserAttributeUpdateSettings: a changed value here waits until it is verified; the verified old one stays. */
  attributesRequireVerificationBeforeUpdate: ('email' | 'phone_number')[];
  /** Custom attributes (without `custom:`). */
  customAttributes: string[];
  /** Cognito's default password policy unless set: 8 characters, upper, lower, digit, symbol. */
  passwordPolicy: { minimumLength: number; requireUppercase: boolean; requireLowercase: boolean; requireNumbers: boolean; requireSymbols: boolean };
  /** Pre token generation event version: '1' (V1_0) or '2' (V2_0). */
  preTokenVersion: '1' | '2';
  client: ClientConfig;
}

export interface ClientConfig {
  clientId: string;
  clientName: string;
  preventUserExistenceErrors: boolean;
  /** Minutes a sign-in may take between challenges (3–15). */
  authSessionValidityMinutes: number;
  enableTokenRevocation: boolean;
  accessTokenValidityMinutes: number;
  idTokenValidityMinutes: number;
  refreshTokenValidityDays: number;
  explicitAuthFlows: AuthFlow[];
  writeAttributes: string[];
}

export const DEFAULT_PASSWORD_POLICY: PoolConfig['passwordPolicy'] = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

/** serverless.yml, userPool=create, default parameters (authSessionValidity 5, preTokenLambdaVersion V2_0). */
export function suitePool(overrides: { userPoolId?: string; clientId?: string; authSessionValidityMinutes?: number; preTokenVersion?: '1' | '2' } = {}): PoolConfig {
  const userPoolId = overrides.userPoolId ?? 'us-east-1_LOCAL';
  return {
    userPoolId,
    poolName: 'cognito-auth-triggers-dev',
    usernameAttributes: ['email', 'phone_number'],
    caseSensitiveUsernames: false,
    autoVerifiedAttributes: ['email'],
    attributesRequireVerificationBeforeUpdate: ['email'],
    customAttributes: ['tenant_id'],
    passwordPolicy: DEFAULT_PASSWORD_POLICY,
    preTokenVersion: overrides.preTokenVersion ?? '2',
    client: {
      clientId: overrides.clientId ?? 'localclient',
      clientName: 'cognito-auth-triggers-dev-app',
      preventUserExistenceErrors: true,
      authSessionValidityMinutes: overrides.authSessionValidityMinutes ?? 5,
      enableTokenRevocation: true,
      // Not set in serverless.yml: Cognito's defaults (60 minutes; refresh 30 days is set).
      accessTokenValidityMinutes: 60,
      idTokenValidityMinutes: 60,
      refreshTokenValidityDays: 30,
      explicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      writeAttributes: ['email', 'phone_number', 'name', 'given_name', 'family_name', 'locale'],
    },
  };
}

/** The part of the pool id after `_`, which SRP mixes into x and the signature. */
export function srpPoolName(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? userPoolId;
}

export function regionOf(userPoolId: string): string {
  return userPoolId.split('_')[0] ?? 'us-east-1';
}
