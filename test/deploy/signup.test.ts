import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { conditionHolds, packageTemplate, resourcesOfType, serverless, type CloudFormationTemplate } from '../support/serverlessPackage.js';

/** What `serverless deploy` would create for sign-up (preSignUp, and Verify's claim of a passwordless account). */
let created: CloudFormationTemplate;
let linking: CloudFormationTemplate;
let existing: CloudFormationTemplate;
let existingWithoutId: CloudFormationTemplate;
beforeAll(async () => {
  [{ template: created }, { template: linking }, { template: existing }, { template: existingWithoutId }] = await Promise.all([
    packageTemplate(),
    packageTemplate(['--param=signupLinkProviders=Google,Corp-SAML']),
    packageTemplate(['--param=userPool=existing', '--param=userPoolName=my-live-pool', '--param=userPoolId=eu-west-1_AbC123', '--param=signupLinkProviders=Google']),
    packageTemplate(['--param=userPool=none']),
  ]);
}, 240_000);

const deployed = (template: CloudFormationTemplate, id: string) => {
  const resource = template.Resources[id] as { Condition?: string } | undefined;
  return resource !== undefined && conditionHolds(template, resource.Condition);
};
const statementsOfPolicy = (template: CloudFormationTemplate, id: string): any[] => template.Resources[id]?.Properties.PolicyDocument.Statement;
const inlineStatements = (template: CloudFormationTemplate, roleId: string): any[] =>
  (template.Resources[roleId]?.Properties.Policies as any[]).flatMap((policy) => policy.PolicyDocument.Statement);
/** Every IAM action any role of the stack is granted, with the role it is granted to. */
function grants(template: CloudFormationTemplate): { role: string; action: string }[] {
  const result: { role: string; action: string }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::Role' && id.endsWith('Role') && resource.Properties.Policies) {
      for (const s of inlineStatements(template, id)) for (const action of [s.Action].flat()) result.push({ role: id, action });
    }
    if (resource.Type === 'AWS::IAM::Policy' && deployed(template, id)) {
      for (const role of resource.Properties.Roles) for (const s of resource.Properties.PolicyDocument.Statement) for (const action of [s.Action].flat()) result.push({ role: role.Ref, action });
    }
  }
  return result;
}
const rolesGranted = (template: CloudFormationTemplate, action: string) => [...new Set(grants(template).filter((g) => g.action === action).map((g) => g.role))];

describe('preSignUp is deployed in every userPool mode', () => {
  it('created pool: PreSignUp wired to the function, which Cognito may invoke from this pool only', () => {
    expect(created.Resources.UserPool?.Properties.LambdaConfig.PreSignUp).toEqual({ 'Fn::GetAtt': ['PreSignUpLambdaFunction', 'Arn'] });
    expect(created.Resources.PreSignUpCognitoPermission?.Properties).toMatchObject({
      Principal: 'cognito-idp.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': ['PreSignUpLambdaFunction', 'Arn'] },
      SourceArn: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
    });
  });

  it('existing pool: osls attaches PreSignUp to the named pool', () => {
    const attachments = resourcesOfType(existing, 'Custom::CognitoUserPool').filter(([, r]) => r.Properties.UserPoolConfigs[0].Trigger === 'PreSignUp');
    expect(attachments).toHaveLength(1);
    expect(attachments[0]?.[1].Properties.UserPoolName).toBe('my-live-pool');
  });

  it('no pool: the function exists, for npm run attach', () => {
    expect(existingWithoutId.Resources.PreSignUpLambdaFunction).toBeDefined();
    expect(resourcesOfType(existingWithoutId, 'Custom::CognitoUserPool')).toHaveLength(0);
  });

  it('gets its settings, and the code key as a dynamic reference, from parameters', () => {
    const variables = linking.Resources.PreSignUpLambdaFunction?.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      OTP_TABLE: 'cognito-auth-triggers-dev-otp',
      OTP_SECRET: '{{resolve:secretsmanager:cognito-auth-triggers-dev-otp-secret:SecretString}}',
      SIGNUP_LINK_PROVIDERS: 'Google,Corp-SAML',
      LEGACY_USERS_TABLE: 'cognito-auth-triggers-dev-legacy-users',
      SIGNUP_FIRST_SIGN_IN_DAYS: '30',
    });
    expect(created.Resources.PreSignUpLambdaFunction?.Properties.Timeout).toBeLessThan(5);
  });
});

describe('the created pool: self sign-up works for passwordless and password users', () => {
  it('anyone may sign up (not admin-only), with email or phone as the user name; Cognito verifies email for password users', () => {
    const pool = created.Resources.UserPool?.Properties;
    expect(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false).toBe(false);
    expect(pool.UsernameAttributes).toEqual(['email', 'phone_number']);
    expect(pool.AutoVerifiedAttributes).toEqual(['email']);
  });

  it('the app client allows custom auth (codes) and SRP (password users), and users cannot write a *_verified attribute', () => {
    const client = created.Resources.UserPoolClient?.Properties;
    expect(client.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH']));
    expect(client.WriteAttributes.filter((name: string) => name.endsWith('_verified'))).toEqual([]);
  });
});

describe('least privilege for sign-up', () => {
  it('only Verify may mark an address verified, set the password or sign the user out — on this pool only', () => {
    for (const action of ['cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminUserGlobalSignOut']) {
      expect(rolesGranted(created, action), action).toEqual(['VerifyAuthChallengeRole']);
    }
    const [statement, ...rest] = statementsOfPolicy(created, 'VerifyClaimAccountPolicy');
    expect(rest).toEqual([]);
    expect(statement.Resource).toEqual({ 'Fn::If': ['CreatePool', { 'Fn::GetAtt': ['UserPool', 'Arn'] }, expect.anything()] });
  });

  it('ListUsers and AdminLinkProviderForUser: preSignUp only, and only when linking is configured', () => {
    expect(deployed(created, 'PreSignUpLinkingPolicy')).toBe(false);
    expect(rolesGranted(created, 'cognito-idp:ListUsers')).toEqual([]);
    expect(rolesGranted(linking, 'cognito-idp:ListUsers')).toEqual(['PreSignUpRole']);
    expect(rolesGranted(linking, 'cognito-idp:AdminLinkProviderForUser')).toEqual(['PreSignUpRole']);
  });

  it('with an existing pool, the admin API is granted on that pool’s ARN — and not at all when its id is not given', () => {
    const [linkStatement] = statementsOfPolicy(existing, 'PreSignUpLinkingPolicy');
    const arn = JSON.stringify(linkStatement.Resource['Fn::If'][2]);
    expect(arn).toContain('userpool/eu-west-1_AbC123');
    expect(deployed(existing, 'VerifyClaimAccountPolicy')).toBe(true);
    expect(deployed(existingWithoutId, 'VerifyClaimAccountPolicy')).toBe(false);
    expect(deployed(existingWithoutId, 'PreSignUpLinkingPolicy')).toBe(false);
  });

  it('preSignUp: PutItem on the code table, GetItem on the legacy directory, its own log group; no wildcard', () => {
    const [logs, put, get, ...rest] = inlineStatements(created, 'PreSignUpRole');
    expect(JSON.stringify(logs.Resource)).toContain('/aws/lambda/cognito-auth-triggers-dev-preSignUp:*');
    expect(put).toMatchObject({ Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['OtpTable', 'Arn'] } });
    expect(get.Action).toBe('dynamodb:GetItem');
    expect(JSON.stringify(get.Resource)).toContain('table/cognito-auth-triggers-dev-legacy-users');
    expect(rest).toEqual([]);
    for (const { action } of grants(linking)) expect(action).not.toMatch(/\*/);
  });
});

describe('sign-up settings that would fail in AWS fail serverless package, naming the parameter', () => {
  const packageWith = (...params: string[]) =>
    serverless(['package', '--package', mkdtempSync(join(tmpdir(), 'sls-refused-')), ...params.map((param) => `--param=${param}`)]);
  it.each([
    [['signupBlockedEmailDomains=not a domain'], 'Parameter signupBlockedEmailDomains (SIGNUP_BLOCKED_EMAIL_DOMAINS of preSignUp)'],
    [['signupLinkProviders=Cognito'], 'Parameter signupLinkProviders (SIGNUP_LINK_PROVIDERS of preSignUp)'],
    [['userPoolId=not-a-pool'], 'Parameter userPoolId must be a user pool id such as eu-west-1_AbC123, got "not-a-pool".'],
    [['userPool=none', 'signupLinkProviders=Google'], 'Parameter userPoolId is needed with signupLinkProviders when userPool=none'],
  ])('%j fails', async (params, message) => {
    const outcome = await packageWith(...params);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output).toContain(message);
  }, 60_000);
});
