import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { makePreSignUpHandler } from '../../../functions/preSignUp/handler.js';
import { makePreTokenGenerationHandler } from '../../../functions/preTokenGeneration/handler.js';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { startCognitoEndpoint, type CognitoEndpoint } from '../../../local/cognito/server.js';
import { suitePool, type PoolConfig } from '../../../local/cognito/pool.js';
import type { Triggers } from '../../../local/cognito/triggers.js';
import { seedLegacyDirectory } from '../../../local/localEnv.js';
import type { LocalAws } from '../../../local/standins.js';
import { createCognitoIdp, createDynamoDb, createSes, createSns } from '../../../shared/aws/services.js';
import { createSesEmailSender } from '../../../shared/delivery/ses.js';
import { createSnsSmsSender } from '../../../shared/delivery/sns.js';
import { loadMigrationConfig } from '../../../shared/migration/config.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { loadPreTokenConfig } from '../../../shared/pretoken/config.js';
import { loadSignUpConfig } from '../../../shared/signup/config.js';
import { createDynamoPendingSignUpStore } from '../../../shared/signup/pendingStore.js';
import { createFirstSignIn } from '../../../shared/signup/firstSignIn.js';
import { createUserPoolAdmin } from '../../../shared/signup/userPoolAdmin.js';
import { capturingLogger } from '../../support/logs.js';
import { TEST_SECRET } from '../../support/suite.js';
import { buildTriggers, clearMessages, startLocalSuite, testClock, type TestClock } from '../../support/suite.js';

/**
 * The local Cognito endpoint with the suite's five triggers wired as in production, against the
 * stand-ins (dynalite, SES, SNS) with the sample legacy directory; real clients talk to it over HTTP.
 */

export const LEGACY_TABLE = 'legacy-users-endpoint';
export const PRETOKEN_ENV = {
  PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}',
  PRETOKEN_GROUP_SCOPES: '{"admins":["orders-api/admin"]}',
  PRETOKEN_CLIENT_METADATA_CLAIMS: 'app_version',
};

export interface EndpointSuite {
  aws: LocalAws;
  cognito: CognitoEndpoint;
  sdk: CognitoIdentityProviderClient;
  /** The triggers' clock (code expiry, resend cooldown). */
  clock: TestClock;
  logs: { text: () => string };
  /** The endpoint's own clock (session and token expiry), advanced by hand. */
  endpointClock: TestClock;
}

export async function startEndpointSuite(options: { triggerEnv?: Record<string, string>; pool?: (base: PoolConfig) => PoolConfig; extraTriggers?: Triggers } = {}): Promise<EndpointSuite> {
  const aws = await startLocalSuite();
  await seedLegacyDirectory(aws.dynamo.endpoint, LEGACY_TABLE);
  const clock = testClock();
  const endpointClock = testClock(Date.now());
  // The endpoint starts first: Verify's admin calls (claiming a passwordless account) go to it.
  const triggers: Triggers = {};
  const cognito = await startCognitoEndpoint({
    pool: (options.pool ?? ((base) => base))(suitePool()),
    now: endpointClock.now,
    triggers,
    senders: {
      email: createSesEmailSender(createSes({ endpoint: aws.ses.endpoint }), { from: 'Example <no-reply@example.com>' }),
      sms: createSnsSmsSender(createSns({ endpoint: aws.sms.endpoint }), {}),
    },
  });
  const signUpConfig = loadSignUpConfig({ OTP_TABLE: 'otp-test', OTP_SECRET: TEST_SECRET, SMS_ALLOWED_COUNTRIES: 'US,CA,ES', LEGACY_USERS_TABLE: LEGACY_TABLE, SIGNUP_BLOCKED_EMAIL_DOMAINS: 'mailinator.com' });
  const admin = createUserPoolAdmin(createCognitoIdp({ endpoint: cognito.endpoint }));
  const logs = capturingLogger();
  const dynamo = createDynamoDb({ endpoint: aws.dynamo.endpoint });
  const pending = createDynamoPendingSignUpStore(dynamo, 'otp-test');
  const firstSignIn = createFirstSignIn({ pending, admin, secret: signUpConfig.secret, channels: signUpConfig.channels, smsAllowedCountries: signUpConfig.smsAllowedCountries, logger: logs.logger });
  const auth = buildTriggers(aws, options.triggerEnv ?? {}, clock, { firstSignIn }).triggers;
  Object.assign(triggers, {
    defineAuthChallenge: auth.define,
    createAuthChallenge: auth.create,
    verifyAuthChallenge: auth.verify,
    preTokenGeneration: makePreTokenGenerationHandler({ config: loadPreTokenConfig(PRETOKEN_ENV), logger: logs.logger }),
    userMigration: makeUserMigrationHandler({
      config: loadMigrationConfig({ LEGACY_USERS_TABLE: LEGACY_TABLE, MIGRATION_DUMMY_BCRYPT_COST: '4' }),
      directory: createDynamoDirectory(dynamo, LEGACY_TABLE),
      logger: logs.logger,
    }),
    preSignUp: makePreSignUpHandler({ config: signUpConfig, directory: createDynamoDirectory(dynamo, LEGACY_TABLE), pending, admin, logger: logs.logger, now: clock.now }),
    ...options.extraTriggers,
  } satisfies Triggers);
  const sdk = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { aws, cognito, sdk, clock, logs, endpointClock };
}

/** Starts the endpoint suite for a test file and clears captured messages before each test. */
export function useEndpointSuite(options: Parameters<typeof startEndpointSuite>[0] = {}): EndpointSuite {
  const holder: { suite?: EndpointSuite } = {};
  beforeAll(async () => {
    holder.suite = await startEndpointSuite(options);
  }, 60_000);
  afterAll(async () => {
    holder.suite?.sdk.destroy();
    await holder.suite?.cognito.close();
    await holder.suite?.aws.close();
  });
  beforeEach(async () => {
    if (holder.suite) await clearMessages(holder.suite.aws);
  });
  return new Proxy({} as EndpointSuite, {
    get(_target, key) {
      if (holder.suite === undefined) throw new Error('the endpoint starts in beforeAll');
      return holder.suite[key as keyof EndpointSuite];
    },
  });
}

let counter = 0;
/** A fresh address per test, so code state and send limits never leak between tests. */
export function freshEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${counter}-${Date.now()}@example.com`;
}

/** A confirmed pool user made the way an administrator would: AdminCreateUser, then a permanent password. */
export async function createUser(
  suite: EndpointSuite,
  attributes: Record<string, string>,
  password = 'Local-Passw0rd!',
): Promise<{ username: string; signInName: string; password: string }> {
  const signInName = attributes.email ?? attributes.phone_number ?? '';
  const created = await suite.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: suite.cognito.userPoolId,
      Username: signInName,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      MessageAction: 'SUPPRESS',
    }),
  );
  await suite.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: suite.cognito.userPoolId, Username: signInName, Password: password, Permanent: true }));
  return { username: created.User?.Username ?? '', signInName, password };
}

/** aws-jwt-verify as a back end would use it, with the JWKS fetched from the local endpoint. */
export async function verifiers(suite: EndpointSuite) {
  const jwks = (await (await fetch(`${suite.cognito.endpoint}/${suite.cognito.userPoolId}/.well-known/jwks.json`)).json()) as never;
  const id = CognitoJwtVerifier.create({ userPoolId: suite.cognito.userPoolId, tokenUse: 'id', clientId: suite.cognito.clientId });
  const access = CognitoJwtVerifier.create({ userPoolId: suite.cognito.userPoolId, tokenUse: 'access', clientId: suite.cognito.clientId });
  id.cacheJwks(jwks);
  access.cacheJwks(jwks);
  return { id, access };
}
