/**
 * Base pre token generation events, shaped like the samples in the Cognito developer guide.
 * Tests structuredClone one and change only the field under test.
 */

export const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/Admin';
export const EDITOR_ROLE = 'arn:aws:iam::123456789012:role/Editor';
export const COGNITO_DEFAULT_ROLE = 'arn:aws:iam::123456789012:role/CognitoGroupRole';

const userRequest = {
  userAttributes: {
    sub: 'a1b2c3d4-0000-4000-8000-000000000001',
    'cognito:user_status': 'CONFIRMED',
    email: 'jo@example.com',
    email_verified: 'true',
    'custom:tenant_id': 't-42',
    'custom:tier': '2',
    'custom:beta': 'true',
    'custom:regions': 'eu-west-1, us-east-1',
    'custom:prefs': '{"theme":"dark"}',
  },
  groupConfiguration: {
    groupsToOverride: ['users'],
    iamRolesToOverride: [COGNITO_DEFAULT_ROLE],
    preferredRole: COGNITO_DEFAULT_ROLE,
  },
};

const common = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: 'a1b2c3d4-0000-4000-8000-000000000001',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
};

export const v1Event = {
  version: '1',
  triggerSource: 'TokenGeneration_Authentication',
  ...common,
  request: { ...userRequest, clientMetadata: {} },
  response: { claimsOverrideDetails: null },
};

export const v2Event = {
  version: '2',
  triggerSource: 'TokenGeneration_HostedAuth',
  ...common,
  request: {
    ...userRequest,
    scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
  },
  response: { claimsAndScopeOverrideDetails: null },
};

export const v3ClientCredentialsEvent = {
  version: '3',
  triggerSource: 'TokenGeneration_ClientCredentials',
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: null,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
  request: {
    userAttributes: null,
    groupConfiguration: null,
    scopes: ['api/read'],
  },
  response: { claimsAndScopeOverrideDetails: null },
};

export type MutableEvent = Record<string, unknown> & { request: Record<string, unknown> };

/** A deep copy of a base event, safe to change. */
export function eventFrom(base: object): MutableEvent {
  return structuredClone(base) as MutableEvent;
}
