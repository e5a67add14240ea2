import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import type { Env } from '../../../shared/env.js';
import { type CognitoLocal, startCognitoLocal, type TriggerHandler } from '../../support/cognitoLocal.js';
import { freePort } from '../../support/https.js';
import { captureAllLogs, directoryFrom, entries, expectNoSecretIn, type Logs, migrator, outcomes, REFUSED, UNAVAILABLE } from './support.js';

/** cognito-local plays the old pool; a second cognito-local, with our trigger, plays the new one. */

const PASSWORD = 'Old-Pool-Pw-6Gh!x';
const WRONG = 'Old-Pool-Wrong-2Lm?';
const SECRETS = [PASSWORD, WRONG];

let oldPool: CognitoLocal;
let newPool: CognitoLocal;
let old: CognitoIdentityProviderClient;
let oldPoolId: string;
let oldClientId: string;
let logs: Logs;
let trigger: TriggerHandler = async () => {
  throw new Error('not wired yet');
};

const client = (endpoint: string) => new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

function env(overrides: Env = {}): Env {
  return {
    LEGACY_DIRECTORY: 'cognito',
    LEGACY_COGNITO_USER_POOL_ID: oldPoolId,
    LEGACY_COGNITO_CLIENT_ID: oldClientId,
    LEGACY_COGNITO_ENDPOINT: oldPool.endpoint,
    LEGACY_DIRECTORY_TIMEOUT_MS: '1500',
    ...overrides,
  };
}
const fromOldPool = async (overrides: Env = {}) => migrator(await directoryFrom(env(overrides), logs), logs);

async function addOldUser(username: string, attributes: Record<string, string>): Promise<string> {
  await old.send(
    new AdminCreateUserCommand({
      UserPoolId: oldPoolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: 'Temp-Pw-1!aa',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await old.send(new AdminSetUserPasswordCommand({ UserPoolId: oldPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  const user = await old.send(new AdminGetUserCommand({ UserPoolId: oldPoolId, Username: username }));
  return user.UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? '';
}

let joSub: string;

describe('another Cognito user pool as the directory (cognito-local as the old pool)', () => {
  beforeAll(async () => {
    oldPool = await startCognitoLocal({ triggers: {} });
    old = client(oldPool.endpoint);
    oldPoolId = (await old.send(new CreateUserPoolCommand({ PoolName: 'old-pool' }))).UserPool?.Id ?? '';
    oldClientId =
      (await old.send(new CreateUserPoolClientCommand({ UserPoolId: oldPoolId, ClientName: 'migration', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }))).UserPoolClient?.ClientId ?? '';
    joSub = await addOldUser('jo@example.com', { email: 'jo@example.com', email_verified: 'true', phone_number: '+15555550100', phone_number_verified: 'false', given_name: 'Jo', 'custom:tenant_id': 't-9' });
    await addOldUser('off@example.com', { email: 'off@example.com', email_verified: 'true' });
    await old.send(new AdminDisableUserCommand({ UserPoolId: oldPoolId, Username: 'off@example.com' }));
    await addOldUser('sam@example.com', { email: 'sam@example.com', email_verified: 'true' });
    newPool = await startCognitoLocal({ triggers: { UserMigration: (event) => trigger(event) } });
  });
  afterAll(async () => {
    old?.destroy();
    await newPool?.close();
    await oldPool?.close();
  });
  beforeEach(() => {
    logs = captureAllLogs();
  });
  afterEach(() => {
    logs.restore();
    expectNoSecretIn(logs, SECRETS);
  });

  it('migrates a user the old pool signs in, carrying the verified flags, custom attributes and the old sub', async () => {
    expect(await (await fromOldPool()).signIn('jo@example.com', PASSWORD)).toEqual({
      ok: true,
      finalUserStatus: 'CONFIRMED',
      attributes: {
        given_name: 'Jo',
        'custom:tenant_id': 't-9',
        'custom:legacy_id': joSub,
        email: 'jo@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
      },
    });
  });

  it('gives the one refusal for a wrong password, an unknown user and a disabled user', async () => {
    const m = await fromOldPool();
    expect(await m.signIn('jo@example.com', WRONG)).toEqual(REFUSED);
    expect(await m.signIn('nobody@example.com', PASSWORD)).toEqual(REFUSED);
    expect(await m.signIn('off@example.com', PASSWORD)).toEqual(REFUSED);
    expect(await m.signIn('jo@example.com', '')).toEqual(REFUSED);
    // Like a real pool with PreventUserExistenceErrors, cognito-local answers an unknown user NotAuthorizedException.
    expect(outcomes(logs)).toEqual(['wrong-password', 'wrong-password', 'disabled', 'wrong-password']);
  });

  it('serves forgot-password from the old pool', async () => {
    const m = await fromOldPool();
    expect(await m.forgotPassword('jo@example.com')).toMatchObject({ ok: true, finalUserStatus: undefined, attributes: { email: 'jo@example.com', email_verified: 'true' } });
    expect(await m.forgotPassword('nobody@example.com')).toEqual(REFUSED);
    expect(await m.forgotPassword('off@example.com')).toEqual(REFUSED);
  });

  it('fails closed inside the deadline when the old pool is unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    expect(await (await fromOldPool({ LEGACY_COGNITO_ENDPOINT: `http://127.0.0.1:${port}` })).signIn('jo@example.com', PASSWORD)).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed')).toBeDefined();
  });

  it('end to end: a sign-in to the new pool moves the user over from the old one', async () => {
    const directory = await directoryFrom(env(), logs);
    trigger = makeUserMigrationHandler({ config: { legacyUsersTable: '', dummyHashCost: 4 }, directory, logger: logs.logger }) as TriggerHandler;
    const cognito = client(newPool.endpoint);
    try {
      const poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'new-pool' }))).UserPool?.Id ?? '';
      const clientId =
        (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))).UserPoolClient?.ClientId ?? '';
      const signIn = (password: string) => cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sam@example.com', PASSWORD: password } }));
      await expect(signIn(WRONG)).rejects.toThrow();
      const result = await signIn(PASSWORD);
      expect(result.AuthenticationResult?.IdToken).toEqual(expect.any(String));
      const moved = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam@example.com' }));
      expect(moved.UserStatus).toBe('CONFIRMED');
      expect(Object.fromEntries((moved.UserAttributes ?? []).map((a) => [a.Name, a.Value]))).toMatchObject({ email: 'sam@example.com', email_verified: 'true', 'custom:legacy_id': expect.any(String) });
    } finally {
      cognito.destroy();
    }
  });
});
