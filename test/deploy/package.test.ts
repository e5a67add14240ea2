import { beforeAll, describe, expect, it } from 'vitest';
import { conditionHolds, packageTemplate, resourcesOfType, type CloudFormationTemplate } from '../support/serverlessPackage.js';

/**
 * What `serverless deploy` would create, checked before any AWS account is involved:
 * `npx serverless package` runs offline, with no credentials, in each pool mode.
 */
let created: CloudFormationTemplate;
let existing: CloudFormationTemplate;
let prod: CloudFormationTemplate;
beforeAll(async () => {
  [{ template: created }, { template: existing }, { template: prod }] = await Promise.all([
    packageTemplate(),
    packageTemplate(['--param=userPool=existing', '--param=userPoolName=my-live-pool']),
    packageTemplate(['--stage', 'prod', '--param=createLegacyTable=true', '--param=sesConfigurationSet=otp-events']),
  ]);
}, 180_000);

const FUNCTIONS = {
  DefineAuthChallenge: 'DefineAuthChallengeLambdaFunction',
  CreateAuthChallenge: 'CreateAuthChallengeLambdaFunction',
  VerifyAuthChallengeResponse: 'VerifyAuthChallengeLambdaFunction',
  UserMigration: 'UserMigrationLambdaFunction',
  PreTokenGeneration: 'PreTokenGenerationLambdaFunction',
  PreSignUp: 'PreSignUpLambdaFunction',
} as const;

const holds = conditionHolds;

function createdResources(template: CloudFormationTemplate) {
  return Object.entries(template.Resources).filter(([, resource]) => holds(template, (resource as { Condition?: string }).Condition));
}

function statementsOf(template: CloudFormationTemplate, roleId: string): any[] {
  const role = template.Resources[roleId];
  return (role?.Properties.Policies as any[]).flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('npx serverless package (offline, no credentials)', () => {
  it('declares every function on nodejs22.x with a timeout under Cognito’s 5 seconds and memory from the benchmark', () => {
    const functions = resourcesOfType(created, 'AWS::Lambda::Function');
    expect(functions.map(([name]) => name).sort()).toEqual(Object.values(FUNCTIONS).sort());
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Timeout).toBeLessThan(5);
    }
    expect(created.Resources.UserMigrationLambdaFunction?.Properties.MemorySize).toBe(1769);
    expect(created.Resources.CreateAuthChallengeLambdaFunction?.Properties.MemorySize).toBe(512);
  });

  it('keeps logs for a set time', () => {
    for (const [, group] of resourcesOfType(created, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
  });
});

describe('userPool=create (default): the stack creates the pool and an app client for the suite', () => {
  it('wires every trigger to its function, pre token generation as V2_0', () => {
    const pool = created.Resources.UserPool;
    expect(holds(created, (pool as { Condition?: string }).Condition)).toBe(true);
    const { PreTokenGenerationConfig, ...triggers } = pool?.Properties.LambdaConfig;
    expect(triggers).toEqual({
      DefineAuthChallenge: { 'Fn::GetAtt': [FUNCTIONS.DefineAuthChallenge, 'Arn'] },
      CreateAuthChallenge: { 'Fn::GetAtt': [FUNCTIONS.CreateAuthChallenge, 'Arn'] },
      VerifyAuthChallengeResponse: { 'Fn::GetAtt': [FUNCTIONS.VerifyAuthChallengeResponse, 'Arn'] },
      UserMigration: { 'Fn::GetAtt': [FUNCTIONS.UserMigration, 'Arn'] },
      PreSignUp: { 'Fn::GetAtt': [FUNCTIONS.PreSignUp, 'Arn'] },
    });
    expect(PreTokenGenerationConfig).toEqual({ LambdaArn: { 'Fn::GetAtt': [FUNCTIONS.PreTokenGeneration, 'Arn'] }, LambdaVersion: 'V2_0' });
  });

  it('keeps a verified email until a changed one is verified (AttributesRequireVerificationBeforeUpdate)', () => {
    const pool = created.Resources.UserPool?.Properties;
    expect(pool.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool.UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
  });

  it('has an app client with custom auth, SRP, password auth for migration, refresh tokens, no user-existence errors and a session validity', () => {
    expect(created.Resources.UserPoolClient?.Properties).toMatchObject({
      UserPoolId: { Ref: 'UserPool' },
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      AuthSessionValidity: 5,
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
  });

  it('lets Cognito invoke each function, from this pool only', () => {
    const permissions = resourcesOfType(created, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(6);
    for (const [, permission] of permissions) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['UserPool', 'Arn'] },
      });
    }
    const targets = permissions.map(([, permission]) => permission.Properties.FunctionName['Fn::GetAtt'][0]).sort();
    expect(targets).toEqual(Object.values(FUNCTIONS).sort());
  });
});

describe('userPool=existing: osls attaches the triggers to the named pool', () => {
  it('creates no pool, and one Custom::CognitoUserPool per trigger, naming the pool', () => {
    expect(createdResources(existing).map(([, r]) => r.Type)).not.toContain('AWS::Cognito::UserPool');
    const attachments = resourcesOfType(existing, 'Custom::CognitoUserPool');
    expect(attachments.map(([, r]) => r.Properties.UserPoolConfigs[0].Trigger).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const [, attachment] of attachments) expect(attachment.Properties.UserPoolName).toBe('my-live-pool');
    const preToken = attachments.find(([, r]) => r.Properties.UserPoolConfigs[0].Trigger === 'PreTokenGeneration');
    expect(preToken?.[1].Properties.UserPoolConfigs[0].LambdaVersion).toBe('V2_0');
  });
});

describe('least privilege: one role per function, only the actions and resources it uses', () => {
  const ROLES = {
    DefineAuthChallengeLambdaFunction: 'DefineAuthChallengeRole',
    CreateAuthChallengeLambdaFunction: 'CreateAuthChallengeRole',
    VerifyAuthChallengeLambdaFunction: 'VerifyAuthChallengeRole',
    PreTokenGenerationLambdaFunction: 'PreTokenGenerationRole',
    UserMigrationLambdaFunction: 'UserMigrationRole',
    PreSignUpLambdaFunction: 'PreSignUpRole',
  };

  it('gives each function its own role, and no shared execution role exists', () => {
    for (const [fn, role] of Object.entries(ROLES)) expect(created.Resources[fn]?.Properties.Role).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
    expect(created.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('no statement allows a wildcard action or a wildcard resource', () => {
    for (const role of Object.values(ROLES)) {
      for (const statement of statementsOf(created, role)) {
        for (const action of [statement.Action].flat()) expect(action, role).not.toMatch(/\*/);
        if (statement.Resource !== undefined) expect(JSON.stringify(statement.Resource), role).not.toBe('"*"');
      }
    }
  });

  it('each function writes only to its own log group', () => {
    for (const [fn, role] of Object.entries(ROLES)) {
      const logs = statementsOf(created, role).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('logs:')));
      expect(logs).toHaveLength(1);
      const name = fn.replace('LambdaFunction', '');
      expect(JSON.stringify(logs[0].Resource)).toContain(`/aws/lambda/cognito-auth-triggers-dev-${name.charAt(0).toLowerCase()}${name.slice(1)}:*`);
    }
  });

  it('Define and pre token generation can do nothing but log', () => {
    expect(statementsOf(created, 'DefineAuthChallengeRole')).toHaveLength(1);
    expect(statementsOf(created, 'PreTokenGenerationRole')).toHaveLength(1);
  });

  it('Create: DynamoDB on the code table, SES from the configured identity, SNS to phone numbers but no topic', () => {
    const [, dynamo, ses, sns] = statementsOf(created, 'CreateAuthChallengeRole');
    expect(dynamo).toMatchObject({ Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': ['OtpTable', 'Arn'] } });
    expect(ses.Action).toBe('ses:SendEmail');
    expect(JSON.stringify(ses.Resource)).toContain('identity/example.com');
    expect(sns).toEqual({ Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:*' });
  });

  it('Create may use the SES configuration set only when one is configured', () => {
    const [, , ses] = statementsOf(prod, 'CreateAuthChallengeRole');
    expect(JSON.stringify(ses.Resource)).toContain('configuration-set/otp-events');
  });

  it('Verify: only GetItem and UpdateItem on the code table; it sends nothing', () => {
    const [, dynamo, ...rest] = statementsOf(created, 'VerifyAuthChallengeRole');
    expect(dynamo).toMatchObject({ Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': ['OtpTable', 'Arn'] } });
    expect(rest).toEqual([]);
  });

  it('Migration: only GetItem on the legacy directory table', () => {
    const [, dynamo, ...rest] = statementsOf(created, 'UserMigrationRole');
    expect(dynamo.Action).toBe('dynamodb:GetItem');
    expect(JSON.stringify(dynamo.Resource)).toContain('table/cognito-auth-triggers-dev-legacy-users');
    expect(rest).toEqual([]);
  });
});

describe('data the suite owns', () => {
  it('the code table: on-demand, encrypted, point-in-time recovery, TTL on ttl; deleted with a dev stack', () => {
    const table = created.Resources.OtpTable;
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(table?.DeletionPolicy).toBe('Delete');
    expect(holds(created, 'ProtectData')).toBe(false);
  });

  it('on prod: tables, pool and secret are retained and protected from deletion', () => {
    for (const id of ['OtpTable', 'LegacyUsersTable', 'UserPool', 'OtpSecret']) expect(prod.Resources[id]?.DeletionPolicy, id).toBe('Retain');
    expect(holds(prod, 'ProtectData')).toBe(true);
    expect(prod.Resources.OtpTable?.Properties.DeletionProtectionEnabled).toEqual({ 'Fn::If': ['ProtectData', true, false] });
    expect(prod.Resources.UserPool?.Properties.DeletionProtection).toEqual({ 'Fn::If': ['ProtectData', 'ACTIVE', 'INACTIVE'] });
  });

  it('the legacy directory table only when asked to create it', () => {
    expect(holds(created, (created.Resources.LegacyUsersTable as { Condition?: string }).Condition)).toBe(false);
    expect(holds(prod, (prod.Resources.LegacyUsersTable as { Condition?: string }).Condition)).toBe(true);
  });

  it('the HMAC key is generated per stage by Secrets Manager and reaches the functions as a dynamic reference, never as a value', () => {
    expect(created.Resources.OtpSecret?.Properties).toMatchObject({ Name: 'cognito-auth-triggers-dev-otp-secret', GenerateSecretString: { PasswordLength: 64 } });
    for (const fn of ['CreateAuthChallengeLambdaFunction', 'VerifyAuthChallengeLambdaFunction']) {
      expect(created.Resources[fn]?.Properties.Environment.Variables.OTP_SECRET).toBe('{{resolve:secretsmanager:cognito-auth-triggers-dev-otp-secret:SecretString}}');
    }
    expect(prod.Resources.CreateAuthChallengeLambdaFunction?.Properties.Environment.Variables.OTP_SECRET).toContain('cognito-auth-triggers-prod-otp-secret');
  });
});
