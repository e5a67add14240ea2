import { randomBytes } from 'node:crypto';
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePreSignUpHandler } from '../../../functions/preSignUp/handler.js';
import { createCodeTable, type StandIn, startDynamo } from '../../../local/standins.js';
import { type CognitoIdp, createCognitoIdp, createDynamoDb } from '../../../shared/aws/services.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { loadSignUpConfig } from '../../../shared/signup/config.js';
import { createFirstSignIn } from '../../../shared/signup/firstSignIn.js';
import { createDynamoPendingSignUpStore } from '../../../shared/signup/pendingStore.js';
import { addressHash } from '../../../shared/signup/policy.js';
import { createUserPoolAdmin } from '../../../shared/signup/userPoolAdmin.js';
import { capturingLogger } from '../../support/logs.js';
import { type CognitoLocal, startCognitoLocal } from '../../support/cognitoLocal.js';
import { createLegacyTable, putItems, toItem } from '../migration/legacyTable.js';

/**
 * Sign-up through the real Cognito SDK → cognito-local (SignUp fires PreSignUp_SignUp) → our preSignUp
 * handler in-process → the code table and the legacy directory in dynalite; then the admin calls Verify
 * makes after the first right code (AdminSetUserPassword, AdminUpdateUserAttributes) and the look-up
 * linking uses (ListUsers), against cognito-local too.
 *
 * What cognito-local lacks (tested on the stand-ins in flows.test.ts instead): CUSTOM_AUTH and the three
 * challenge triggers, PreSignUp_ExternalProvider (no federation), AdminLinkProviderForUser and
 * AdminUserGlobalSignOut (answered here by a client middleware, see `cognitoClient`). It also differs from
 * AWS in one way that matters here: with AutoVerifiedAttributes set, it sends a confirmation code even for
 * a user the trigger auto-confirmed (AWS sends nothing then, see README), so that message is not asserted.
 */

const SECRET = `hex:${randomBytes(32).toString('hex')}`;
const TABLE = 'otp-signup';
const REFUSAL = 'preSignUp failed with error Sign-up could not be completed with these details. Please check them or contact support..';

let dynamo: StandIn;
let cognitoLocal: CognitoLocal;
let cognito: CognitoIdentityProviderClient;
let admin: CognitoIdp;
let userPoolId: string;
let clientId: string;
const log = capturingLogger();

/** The functions' Cognito client against cognito-local; AdminUserGlobalSignOut, which cognito-local does not have, is answered locally. */
function adminClient(endpoint: string): CognitoIdp {
  const client = createCognitoIdp({ endpoint });
  return {
    endpoint: client.endpoint,
    call: ((operation: string, input: unknown, options?: unknown) =>
      operation === 'AdminUserGlobalSignOut' ? Promise.resolve({}) : (client.call as (...args: unknown[]) => Promise<unknown>)(operation, input, options)) as CognitoIdp['call'],
  };
}

const longRandomPassword = () => `${randomBytes(24).toString('base64url')}aA1!`;

beforeAll(async () => {
  dynamo = await startDynamo();
  await createCodeTable(dynamo.endpoint, TABLE);
  const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createLegacyTable(ddb);
  await putItems(ddb, [toItem({ username: 'legacy@example.com', passwordHash: '$2b$04$abcdefghijklmnopqrstuu', email: 'legacy@example.com', emailVerified: true })]);
  const config = loadSignUpConfig({
    OTP_TABLE: TABLE,
    OTP_SECRET: SECRET,
    OTP_CHANNELS: 'EMAIL,SMS',
    SMS_ALLOWED_COUNTRIES: 'US,GB',
    SIGNUP_BLOCKED_EMAIL_DOMAINS: 'mailinator.com',
    LEGACY_USERS_TABLE: 'legacy-users',
  });
  const codeTable = createDynamoDb({ endpoint: dynamo.endpoint });
  const preSignUp = makePreSignUpHandler({
    config,
    directory: createDynamoDirectory(codeTable, 'legacy-users'),
    pending: createDynamoPendingSignUpStore(codeTable, TABLE),
    admin: createUserPoolAdmin(createCognitoIdp()),
    logger: log.logger,
    now: Date.now,
  });
  cognitoLocal = await startCognitoLocal({ triggers: { PreSignUp: preSignUp } });
  cognito = new CognitoIdentityProviderClient({ endpoint: cognitoLocal.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  admin = adminClient(cognitoLocal.endpoint);
  // As the created pool: email or phone as user name, email auto-verified for password users.
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'signup-test', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
  userPoolId = pool.UserPool?.Id ?? '';
  const client = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  clientId = client.UserPoolClient?.ClientId ?? '';
}, 60_000);

afterAll(async () => {
  await cognitoLocal?.close();
  await dynamo?.close();
});

const signUp = (email: string, options: { passwordless?: boolean; password?: string } = {}) =>
  cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      // The pool requires a password: a passwordless client sends a long random one and forgets it.
      Password: options.password ?? longRandomPassword(),
      UserAttributes: [{ Name: 'email', Value: email }],
      ...(options.passwordless === false ? {} : { ClientMetadata: { passwordlessSignUp: 'true' } }),
    }),
  );
const attributesOf = async (email: string) => {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  return { status: user.UserStatus, userName: user.Username ?? '', attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])) };
};
const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => ({ name: error.name, message: error.message }));

describe('SignUp through cognito-local with the preSignUp trigger', () => {
  it('a passwordless sign-up is confirmed at once with its email not verified, and its first sign-in recorded under the user name triggers see', async () => {
    const result = await signUp('nia@example.com');
    expect(result.UserConfirmed).toBe(true);
    const user = await attributesOf('nia@example.com');
    expect(user.status).toBe('CONFIRMED');
    expect(user.attributes.email_verified).not.toBe('true');
    const store = createDynamoPendingSignUpStore(
      createDynamoDb({ endpoint: dynamo.endpoint }),
      TABLE,
    );
    // cognito-local, like Cognito in an email-as-user-name pool, names the user by its sub in triggers.
    const pending = await store.read(user.userName, Date.now());
    expect(pending?.addressHash).toBe(addressHash(loadSignUpConfig({ OTP_TABLE: TABLE, OTP_SECRET: SECRET }).secret, 'EMAIL', 'nia@example.com'));
  });

  it('a password sign-up stays unconfirmed, for Cognito to confirm with its own code; nothing recorded', async () => {
    const result = await signUp('pat@example.com', { passwordless: false });
    expect(result.UserConfirmed).toBe(false);
    expect((await attributesOf('pat@example.com')).status).toBe('UNCONFIRMED');
  });

  it('a sign-up squatting a legacy user’s address is refused with the generic text, and no user is created', async () => {
    const error = await refusal(signUp('legacy@example.com'));
    expect(error).toEqual({ name: 'UserLambdaValidationException', message: REFUSAL });
    expect(await refusal(attributesOf('legacy@example.com'))).toMatchObject({ name: 'UserNotFoundException' });
    // A password sign-up cannot squat it either.
    expect(await refusal(signUp('legacy@example.com', { passwordless: false }))).toEqual({ name: 'UserLambdaValidationException', message: REFUSAL });
  });

  it('a blocked email domain is refused with the same text', async () => {
    expect(await refusal(signUp('bot@mailinator.com'))).toEqual({ name: 'UserLambdaValidationException', message: REFUSAL });
  });
});

describe('the admin calls sign-up makes, against cognito-local', () => {
  it('after the first right code: the address is marked verified and the password the account was created with no longer works', async () => {
    const password = longRandomPassword();
    await signUp('kai@example.com', { password });
    const { userName } = await attributesOf('kai@example.com');
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: userName, Password: password, Permanent: true }));
    const signIn = () => cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'kai@example.com', PASSWORD: password } }));
    expect((await signIn()).AuthenticationResult?.IdToken).toBeDefined();

    const firstSignIn = createFirstSignIn({
      pending: createDynamoPendingSignUpStore(
        createDynamoDb({ endpoint: dynamo.endpoint }),
        TABLE,
      ),
      admin: createUserPoolAdmin(admin),
      secret: Buffer.alloc(32),
      logger: log.logger,
    });
    const proven = await firstSignIn.proven(userPoolId, userName, 'email', 'kai@example.com', Date.now());
    expect(proven).toBe(true);
    expect((await attributesOf('kai@example.com')).attributes.email_verified).toBe('true');
    // cognito-local answers a wrong password with InvalidPasswordException; Cognito with NotAuthorizedException.
    expect((await refusal(signIn()))?.name).toMatch(/^(NotAuthorizedException|InvalidPasswordException)$/);
  });

  it('ListUsers finds the native user by exact email for linking; a quote in the address cannot widen the filter', async () => {
    await signUp('lin@example.com');
    const poolAdmin = createUserPoolAdmin(admin);
    const users = await poolAdmin.usersWithEmail(userPoolId, 'lin@example.com');
    expect(users).not.toBe('too-many');
    expect((users as { attributes: Record<string, string> }[]).map((u) => u.attributes.email)).toEqual(['lin@example.com']);
    expect(await poolAdmin.usersWithEmail(userPoolId, 'lin@example.com" or email ^= "')).toEqual([]);
  });
});
