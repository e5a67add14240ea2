import { beforeAll, describe, expect, it } from 'vitest';
import { packageTemplate, resourcesOfType, type CloudFormationTemplate } from '../support/serverlessPackage.js';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packageTemplate());
}, 120_000);

describe('npx serverless package (offline, no credentials)', () => {
  it('declares the custom-auth and migration functions on nodejs22.x with a timeout under Cognito’s 5 seconds', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    expect(functions.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'CreateAuthChallengeLambdaFunction',
        'DefineAuthChallengeLambdaFunction',
        'VerifyAuthChallengeLambdaFunction',
        'UserMigrationLambdaFunction',
      ]),
    );
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Timeout).toBeLessThan(5);
    }
  });

  it('wires each function to its trigger of the user pool', () => {
    const [[, pool] = []] = resourcesOfType(template, 'AWS::Cognito::UserPool');
    expect(pool?.Properties.LambdaConfig).toMatchObject({
      DefineAuthChallenge: { 'Fn::GetAtt': ['DefineAuthChallengeLambdaFunction', 'Arn'] },
      CreateAuthChallenge: { 'Fn::GetAtt': ['CreateAuthChallengeLambdaFunction', 'Arn'] },
      VerifyAuthChallengeResponse: { 'Fn::GetAtt': ['VerifyAuthChallengeLambdaFunction', 'Arn'] },
      UserMigration: { 'Fn::GetAtt': ['UserMigrationLambdaFunction', 'Arn'] },
    });
  });

  it('keeps code state in an encrypted on-demand table with TTL, and the HMAC key in a generated secret', () => {
    const table = template.Resources.OtpTable?.Properties;
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(template.Resources.OtpSecret?.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    const create = template.Resources.CreateAuthChallengeLambdaFunction?.Properties.Environment.Variables;
    expect(create.OTP_SECRET).toMatch(/^\{\{resolve:secretsmanager:/);
  });

  it('gives the migration function memory for the costliest hash and only read access to the legacy table', () => {
    expect(template.Resources.UserMigrationLambdaFunction?.Properties.MemorySize).toBe(1769);
    const statements = template.Resources.IamRoleLambdaExecution?.Properties.Policies[0].PolicyDocument.Statement as any[];
    const legacy = statements.filter((statement) => JSON.stringify(statement.Resource ?? '').includes('legacy-users'));
    expect(legacy).toHaveLength(1);
    expect(legacy[0].Action).toEqual(['dynamodb:GetItem']);
  });
});
