import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { hash } from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { type StandIn, startDynamo } from '../../../local/standins.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { type CognitoLocal, startCognitoLocal } from '../../support/cognitoLocal.js';
import { captureAllLogs } from '../../unit/migration/helpers.js';
import { createLegacyTable, dynamoClient, putItems, toItem, directoryClient } from './legacyTable.js';

/**
 * The whole path: the real Cognito SDK → cognito-local → (fake Lambda) our migration handler →
 * the legacy table in dynalite. Users exist only in the legacy table until their first sign-in.
 */

const PASSWORD = 'CL-Legacy-Pw-9Tz!kP';
const WRONG = 'CL-Wrong-Pw-4Mx?nB';
const SECRETS = [PASSWORD, WRONG];

let dynamo: StandIn;
let cognitoLocal: CognitoLocal;
let cognito: CognitoIdentityProviderClient;
let logs: ReturnType<typeof captureAllLogs>;
let userPoolId: string;
let clientId: string;
let legacyHash: string;

beforeAll(async () => {
  logs = captureAllLogs();
  dynamo = await startDynamo();
  const ddb = dynamoClient(dynamo.endpoint);
  await createLegacyTable(ddb);
  legacyHash = await hash(PASSWORD, 4);
  SECRETS.push(legacyHash);
  await putItems(ddb, [
    toItem({
      username: 'jo@example.com',
      passwordHash: legacyHash,
      email: 'jo@example.com',
      emailVerified: true,
      phoneNumber: '+15555550100',
      phoneNumberVerified: false,
      attributes: { given_name: 'Jo', family_name: 'Example' },
    }),
    toItem({ username: 'sam@example.com', passwordHash: legacyHash, email: 'sam@example.com', emailVerified: true }),
    toItem({ username: 'lee@example.com', passwordHash: legacyHash, email: 'lee@example.com', emailVerified: true }),
    toItem({ username: 'kim@example.com', passwordHash: legacyHash, email: 'kim@example.com', emailVerified: true }),
    toItem({ username: 'off@example.com', passwordHash: legacyHash, email: 'off@example.com', emailVerified: true, disabled: true }),
  ]);

  const migrate = makeUserMigrationHandler({
    config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4 },
    directory: createDynamoDirectory(directoryClient(dynamo.endpoint), 'legacy-users'),
    logger: logs.logger,
  });
  cognitoLocal = await startCognitoLocal({ triggers: { UserMigration: migrate } });
  cognito = new CognitoIdentityProviderClient({
    endpoint: cognitoLocal.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'migration-test', UsernameAttributes: ['email'] }));
  userPoolId = pool.UserPool?.Id ?? '';
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  clientId = client.UserPoolClient?.ClientId ?? '';
});

afterAll(async () => {
  cognito?.destroy();
  await cognitoLocal?.close();
  await dynamo?.close();
  logs.restore();
});

const signIn = (username: string, password: string) =>
  cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

const getUser = (username: string) => cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));

const failure = async (promise: Promise<unknown>): Promise<{ name: string; message: string }> => {
  const error = (await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  )) as Error;
  return { name: error.name, message: error.message };
};

const claims = (jwt: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

const migrationCalls = (userName: string) => cognitoLocal.invocations.filter((i) => i.userName === userName).length;

describe('user migration through cognito-local', () => {
  it('signs a legacy-only user in with the old password and returns tokens', async () => {
    expect(await failure(getUser('jo@example.com'))).toMatchObject({ name: 'UserNotFoundException' });

    const result = await signIn('jo@example.com', PASSWORD);
    expect(result.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(result.AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
    expect(claims(result.AuthenticationResult?.IdToken)).toMatchObject({ email: 'jo@example.com', token_use: 'id' });
    expect(cognitoLocal.invocations.filter((i) => i.userName === 'jo@example.com')).toEqual([
      { functionName: 'userMigration', triggerSource: 'UserMigration_Authentication', userName: 'jo@example.com' },
    ]);
  });

  it('leaves the migrated user CONFIRMED, enabled, with the legacy attributes', async () => {
    const user = await getUser('jo@example.com');
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.Enabled).toBe(true);
    const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({
      email: 'jo@example.com',
      email_verified: 'true',
      phone_number: '+15555550100',
      phone_number_verified: 'false',
      given_name: 'Jo',
      family_name: 'Example',
    });
  });

  it('a second sign-in is answered by the pool without calling the trigger again', async () => {
    const before = migrationCalls('jo@example.com');
    const result = await signIn('jo@example.com', PASSWORD);
    expect(result.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(migrationCalls('jo@example.com')).toBe(before);
  });

  it('a legacy user who signs in with capitals is migrated from the lowercase entry', async () => {
    const result = await signIn('Sam@Example.com', PASSWORD);
    expect(claims(result.AuthenticationResult?.IdToken)).toMatchObject({ email: 'sam@example.com' });
    expect((await getUser('sam@example.com')).UserStatus).toBe('CONFIRMED');
  });

  it('ADMIN_USER_PASSWORD_AUTH (AdminInitiateAuth) migrates a legacy user too', async () => {
    const result = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'lee@example.com', PASSWORD: PASSWORD },
      }),
    );
    expect(result.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(migrationCalls('lee@example.com')).toBe(1);
    expect((await getUser('lee@example.com')).UserStatus).toBe('CONFIRMED');
  });

  it('a wrong password for a legacy user fails with NotAuthorizedException, after asking the trigger, and migrates nobody', async () => {
    const error = await failure(signIn('kim@example.com', WRONG));
    // cognito-local turns every trigger failure into its generic NotAuthorizedException.
    expect(error).toEqual({ name: 'NotAuthorizedException', message: 'User not authorized' });
    expect(migrationCalls('kim@example.com')).toBe(1);
    expect(await failure(getUser('kim@example.com'))).toMatchObject({ name: 'UserNotFoundException' });
  });

  it('an unknown user fails with the same error as a wrong password', async () => {
    const unknown = await failure(signIn('nobody@example.com', PASSWORD));
    const wrong = await failure(signIn('kim@example.com', WRONG));
    expect(unknown).toEqual(wrong);
    expect(migrationCalls('nobody@example.com')).toBe(1);
  });

  it('a disabled legacy user fails with the same error, even with the right password', async () => {
    expect(await failure(signIn('off@example.com', PASSWORD))).toEqual({ name: 'NotAuthorizedException', message: 'User not authorized' });
    expect(await failure(getUser('off@example.com'))).toMatchObject({ name: 'UserNotFoundException' });
  });

  it('(cognito-local itself) a wrong password for an already migrated user gives InvalidPasswordException', async () => {
    // Not our trigger: the pool checks the stored password. Real Cognito answers NotAuthorizedException here.
    expect(await failure(signIn('jo@example.com', WRONG))).toEqual({ name: 'InvalidPasswordException', message: 'Invalid password' });
  });

  it('no password or hash reached any log line', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    const text = logs.text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
