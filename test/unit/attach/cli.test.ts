import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ResourceNotFoundException as PoolNotFound,
  UpdateUserPoolCommand,
  type UpdateUserPoolRequest,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AddPermissionCommand, LambdaClient, RemovePermissionCommand, ResourceConflictException, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, runAttach } from '../../../local/attach.js';
import { type AttachArgs, parseAttachArgs } from '../../../local/attach/args.js';
import { describedFieldOf, UPDATE_USER_POOL_SETTINGS } from '../../../local/attach/fields.js';
import { describedPool, describeResponse, FOREIGN_POST_CONFIRMATION, POOL_ARN, POOL_ID, suiteArn } from './helpers.js';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const lambdaMock = mockClient(LambdaClient);

const OURS = {
  DefineAuthChallenge: suiteArn('defineAuthChallenge'),
  CreateAuthChallenge: suiteArn('createAuthChallenge'),
  VerifyAuthChallengeResponse: suiteArn('verifyAuthChallenge'),
  UserMigration: suiteArn('userMigration'),
  PreTokenGeneration: suiteArn('preTokenGeneration'),
  PreSignUp: suiteArn('preSignUp'),
};
const OTHER_DEFINE = 'arn:aws:lambda:eu-west-1:123456789012:function:acme-legacy-define';
const ALREADY_EXISTS = 'The statement id (cognito-auth-triggers-eu-west-1_Ab12Cd34E) provided already exists. Please provide a new statement id, or remove the existing statement.';

let calls: string[];
let out: string[];
let err: string[];

beforeEach(() => {
  calls = [];
  out = [];
  err = [];
  cognitoMock.on(DescribeUserPoolCommand).resolves(describeResponse());
  cognitoMock.on(UpdateUserPoolCommand).callsFake(() => {
    calls.push('UpdateUserPool');
    return {};
  });
  lambdaMock.on(AddPermissionCommand).callsFake(() => {
    calls.push('AddPermission');
    return { Statement: '{}' };
  });
  lambdaMock.on(RemovePermissionCommand).callsFake(() => {
    calls.push('RemovePermission');
    return {};
  });
});
afterEach(() => {
  cognitoMock.reset();
  lambdaMock.reset();
});

function args(...argv: string[]): AttachArgs {
  const parsed = parseAttachArgs(['--user-pool-id', POOL_ID, '--stage', 'prod', ...argv]);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

function run(...argv: string[]): Promise<number> {
  return runAttach(args(...argv), {
    cognito: new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
}

function describing(change: (pool: UserPoolType) => void): void {
  const response = describeResponse();
  change(response.UserPool);
  cognitoMock.on(DescribeUserPoolCommand).resolves(response);
}

function updateInput(): UpdateUserPoolRequest {
  const sent = cognitoMock.commandCalls(UpdateUserPoolCommand);
  expect(sent).toHaveLength(1);
  return sent[0]?.args[0].input ?? { UserPoolId: '' };
}

function addPermissionInputs() {
  return lambdaMock.commandCalls(AddPermissionCommand).map((call) => call.args[0].input);
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('attach', () => {
  it('sends UpdateUserPool with every writable setting of the pool unchanged and only our triggers added', async () => {
    expect(await run()).toBe(EXIT.ok);
    const pool = describedPool() as Record<string, unknown>;
    const input = updateInput() as unknown as Record<string, unknown>;
    expect(input.UserPoolId).toBe(POOL_ID);
    for (const setting of UPDATE_USER_POOL_SETTINGS) {
      if (setting === 'LambdaConfig' || setting === 'AdminCreateUserConfig') continue;
      expect(input[setting], setting).toEqual(pool[describedFieldOf(setting)]);
    }
    const { UnusedAccountValidityDays: _deprecated, ...adminCreateUser } = describedPool().AdminCreateUserConfig ?? {};
    expect(input.AdminCreateUserConfig).toEqual(adminCreateUser);
    expect(input.LambdaConfig).toEqual({
      ...describedPool().LambdaConfig,
      ...OURS,
      PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: OURS.PreTokenGeneration },
    });
  });

  it('keeps the foreign PostConfirmation, CustomEmailSender and KMSKeyID exactly', async () => {
    await run();
    const lambdaConfig = updateInput().LambdaConfig;
    const described = describedPool().LambdaConfig;
    expect(lambdaConfig?.PostConfirmation).toBe(FOREIGN_POST_CONFIRMATION);
    expect(lambdaConfig?.CustomEmailSender).toEqual(described?.CustomEmailSender);
    expect(lambdaConfig?.KMSKeyID).toBe(described?.KMSKeyID);
    expect(out.join('\n')).toContain('Kept as they are: PostConfirmation, CustomEmailSender, KMSKeyID');
  });

  it('sends none of the read-only fields of the description', async () => {
    await run();
    const input = updateInput();
    for (const field of ['Id', 'Arn', 'Name', 'Status', 'CreationDate', 'LastModifiedDate', 'EstimatedNumberOfUsers', 'SchemaAttributes', 'UsernameAttributes', 'Domain', 'CustomDomain', 'UsernameConfiguration', 'SmsConfigurationFailure', 'EmailConfigurationFailure']) {
      expect(input, field).not.toHaveProperty(field);
    }
  });

  it('grants Cognito invoke permission on each function, scoped to the pool ARN, before updating the pool', async () => {
    await run();
    expect(addPermissionInputs()).toEqual(
      Object.values(OURS).map((arn) => ({
        FunctionName: arn,
        StatementId: `cognito-auth-triggers-${POOL_ID}`,
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: POOL_ARN,
      })),
    );
    expect(calls).toEqual(['AddPermission', 'AddPermission', 'AddPermission', 'AddPermission', 'AddPermission', 'AddPermission', 'UpdateUserPool']);
  });

  it('prints the LambdaConfig diff per trigger and a summary', async () => {
    await run();
    const text = out.join('\n');
    expect(text).toContain(`DefineAuthChallenge          (none) → ${OURS.DefineAuthChallenge}  (add)`);
    expect(text).toContain(`PreTokenGeneration           (none) → ${OURS.PreTokenGeneration} [V2_0]  (add)`);
    expect(text).toContain('Summary: 6 added; permissions: 6 granted, 0 already present; user pool updated.');
  });

  it('treats a permission granted by an earlier run (ResourceConflictException) as done', async () => {
    lambdaMock.on(AddPermissionCommand).rejects(new ResourceConflictException({ message: ALREADY_EXISTS, $metadata: {} }));
    expect(await run()).toBe(EXIT.ok);
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(1);
    expect(out.join('\n')).toContain('permissions: 0 granted, 6 already present');
  });

  it('when a function is busy (another ResourceConflictException), fails before touching the pool', async () => {
    lambdaMock.on(AddPermissionCommand).rejects(new ResourceConflictException({ message: 'The operation cannot be performed at this time. An update is in progress for resource', $metadata: {} }));
    expect(await run()).toBe(EXIT.failed);
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(0);
    expect(err.join('\n')).toContain('lambda:AddPermission');
  });

  it('when a function is not deployed, says so, exits 4 and leaves the pool alone', async () => {
    lambdaMock.on(AddPermissionCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    expect(await run()).toBe(EXIT.notFound);
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(0);
    expect(err.join('\n')).toContain(`Function ${OURS.DefineAuthChallenge} not found. Deploy it first (npx serverless deploy --stage prod)`);
  });

  it('when the triggers are already ours, grants permission again but does not update the pool', async () => {
    describing((pool) => {
      pool.LambdaConfig = { ...pool.LambdaConfig, ...OURS, PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: OURS.PreTokenGeneration } };
    });
    expect(await run()).toBe(EXIT.ok);
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(0);
    expect(addPermissionInputs()).toHaveLength(6);
    expect(out.join('\n')).toContain('6 unchanged');
  });

  it('uses the ARNs given with --functions and attaches only --only', async () => {
    const custom = 'arn:aws:lambda:eu-west-1:123456789012:function:my-define:live';
    expect(await run('--only', 'define,create,verify', '--functions', `define=${custom}`)).toBe(EXIT.ok);
    expect(addPermissionInputs().map((input) => input.FunctionName)).toEqual([custom, OURS.CreateAuthChallenge, OURS.VerifyAuthChallengeResponse]);
    const lambdaConfig = updateInput().LambdaConfig;
    expect(lambdaConfig?.DefineAuthChallenge).toBe(custom);
    expect(lambdaConfig).not.toHaveProperty('UserMigration');
    expect(lambdaConfig).not.toHaveProperty('PreTokenGenerationConfig');
  });

  it('writes the requested pre token generation version', async () => {
    await run('--only', 'pretoken', '--pre-token-version', 'V1_0');
    expect(updateInput().LambdaConfig?.PreTokenGenerationConfig).toEqual({ LambdaVersion: 'V1_0', LambdaArn: OURS.PreTokenGeneration });
  });
});

describe('a trigger that points at another function', () => {
  beforeEach(() => {
    describing((pool) => {
      pool.LambdaConfig = { ...pool.LambdaConfig, DefineAuthChallenge: OTHER_DEFINE };
    });
  });

  it('is refused without --force: names the trigger and its current ARN, exits 3, changes nothing', async () => {
    expect(await run()).toBe(EXIT.refused);
    expect(err.join('\n')).toContain(`DefineAuthChallenge points at ${OTHER_DEFINE}`);
    expect(err.join('\n')).toContain('--force');
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(0);
    expect(lambdaMock.commandCalls(AddPermissionCommand)).toHaveLength(0);
  });

  it('is overwritten with --force, everything else kept', async () => {
    expect(await run('--force')).toBe(EXIT.ok);
    const input = updateInput();
    expect(input.LambdaConfig?.DefineAuthChallenge).toBe(OURS.DefineAuthChallenge);
    expect(input.LambdaConfig?.PostConfirmation).toBe(FOREIGN_POST_CONFIRMATION);
    expect(input.MfaConfiguration).toBe('ON');
    expect(out.join('\n')).toContain(`${OTHER_DEFINE} → ${OURS.DefineAuthChallenge}  (OVERWRITE another function (--force))`);
  });

  it('is refused in a dry run too', async () => {
    expect(await run('--dry-run')).toBe(EXIT.refused);
  });
});

describe('--dry-run', () => {
  it('sends no UpdateUserPool and no AddPermission, and prints the same diff as a real run', async () => {
    expect(await run('--dry-run')).toBe(EXIT.ok);
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(0);
    expect(lambdaMock.commandCalls(AddPermissionCommand)).toHaveLength(0);
    const dryDiff = out.filter((line) => line.startsWith('  '));
    out = [];
    await run();
    expect(out.filter((line) => line.startsWith('  '))).toEqual(dryDiff);
    expect(dryDiff).toHaveLength(7);
  });

  it('sends no UpdateUserPool and no RemovePermission when detaching', async () => {
    describing((pool) => {
      pool.LambdaConfig = { ...pool.LambdaConfig, ...OURS };
    });
    expect(await run('--detach', '--dry-run')).toBe(EXIT.ok);
    expect(cognitoMock.commandCalls(UpdateUserPoolCommand)).toHaveLength(0);
    expect(lambdaMock.commandCalls(RemovePermissionCommand)).toHaveLength(0);
    expect(out.join('\n')).toContain('(remove)');
  });
});

describe('--detach', () => {
  beforeEach(() => {
    describing((pool) => {
      pool.LambdaConfig = { ...pool.LambdaConfig, ...OURS, PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: OURS.PreTokenGeneration } };
    });
  });

  it('removes only our triggers, keeps the foreign ones and every other setting', async () => {
    expect(await run('--detach')).toBe(EXIT.ok);
    const input = updateInput();
    expect(input.LambdaConfig).toEqual(describedPool().LambdaConfig);
    expect(input.SmsConfiguration).toEqual(describedPool().SmsConfiguration);
    expect(input.UserPoolTags).toEqual(describedPool().UserPoolTags);
  });

  it('removes our permission statement from each function after updating the pool', async () => {
    await run('--detach');
    expect(lambdaMock.commandCalls(RemovePermissionCommand).map((call) => call.args[0].input)).toEqual(
      Object.values(OURS).map((arn) => ({ FunctionName: arn, StatementId: `cognito-auth-triggers-${POOL_ID}` })),
    );
    expect(calls[0]).toBe('UpdateUserPool');
    expect(lambdaMock.commandCalls(AddPermissionCommand)).toHaveLength(0);
  });

  it('ignores a permission that is already gone', async () => {
    lambdaMock.on(RemovePermissionCommand).rejects(new ResourceNotFoundException({ message: 'No policy is associated with the given resource.', $metadata: {} }));
    expect(await run('--detach')).toBe(EXIT.ok);
    expect(out.join('\n')).toContain('permissions: 0 removed, 6 not present');
  });

  it('leaves a suite trigger that points at another function', async () => {
    describing((pool) => {
      pool.LambdaConfig = { ...pool.LambdaConfig, DefineAuthChallenge: OTHER_DEFINE, UserMigration: OURS.UserMigration };
    });
    expect(await run('--detach')).toBe(EXIT.ok);
    const lambdaConfig = updateInput().LambdaConfig;
    expect(lambdaConfig?.DefineAuthChallenge).toBe(OTHER_DEFINE);
    expect(lambdaConfig).not.toHaveProperty('UserMigration');
    expect(out.join('\n')).toContain(`${OTHER_DEFINE}  (kept: not this suite's function)`);
  });
});

describe('errors', () => {
  it('a pool that does not exist: exits 4 naming the pool and Region', async () => {
    cognitoMock.on(DescribeUserPoolCommand).rejects(new PoolNotFound({ message: 'User pool eu-west-1_Ab12Cd34E does not exist.', $metadata: {} }));
    expect(await run()).toBe(EXIT.notFound);
    expect(err.join('\n')).toContain(`User pool ${POOL_ID} not found in eu-west-1`);
  });

  it('access denied on DescribeUserPool: exits 5 naming the permission needed', async () => {
    cognitoMock.on(DescribeUserPoolCommand).rejects(named('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cognito-idp:DescribeUserPool'));
    expect(await run()).toBe(EXIT.accessDenied);
    expect(err.join('\n')).toContain('Access denied: cognito-idp:DescribeUserPool');
  });

  it('access denied on UpdateUserPool: exits 5 after the permissions were granted', async () => {
    cognitoMock.on(UpdateUserPoolCommand).rejects(named('AccessDeniedException', 'not authorized to perform: cognito-idp:UpdateUserPool'));
    expect(await run()).toBe(EXIT.accessDenied);
    expect(err.join('\n')).toContain('cognito-idp:UpdateUserPool');
  });

  it('no credentials: exits 5 and says how to provide them', async () => {
    cognitoMock.on(DescribeUserPoolCommand).rejects(named('CredentialsProviderError', 'Could not load credentials from any providers'));
    expect(await run()).toBe(EXIT.accessDenied);
    expect(err.join('\n')).toContain('No valid AWS credentials');
  });
});
