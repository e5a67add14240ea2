import { makeCreateAuthChallengeHandler } from '../../functions/createAuthChallenge/handler.js';
import { makeDefineAuthChallengeHandler } from '../../functions/defineAuthChallenge/handler.js';
import { makeVerifyAuthChallengeHandler } from '../../functions/verifyAuthChallenge/handler.js';
import { loadCreateConfig, loadDefineConfig, loadVerifyConfig } from '../../shared/auth/config.js';
import { createDynamoDb, createSes, createSns } from '../../shared/aws/services.js';
import { createSesEmailSender } from '../../shared/delivery/ses.js';
import { createSnsSmsSender } from '../../shared/delivery/sns.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { sendLimiterFor } from '../../shared/store/sendLimits.js';
import { createMetrics } from '../../shared/metrics.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type AuthResult, CognitoCustomAuthHarness, type HarnessOptions } from '../../local/cognitoHarness.js';
import { startLocalAws, type LocalAws } from '../../local/standins.js';
import type { FirstSignIn } from '../../shared/signup/firstSignIn.js';
import { capturingLogger } from './logs.js';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const START_TIME = Date.UTC(2026, 10, 26, 12, 0, 0);

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = START_TIME): TestClock {
  let current = start;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

export const USERS = {
  jo: { attributes: { email: 'jo@example.com', email_verified: 'true', locale: 'en-GB' }, password: 'correct horse battery staple' },
  ana: { attributes: { email: 'ana@example.es', email_verified: 'true', phone_number: '+34600000100', phone_number_verified: 'true', locale: 'es-ES' } },
  sam: { attributes: { phone_number: '+12125550100', phone_number_verified: 'true' } },
  unverified: { attributes: { email: 'nobody@example.com', email_verified: 'false', phone_number: '+12125550199', phone_number_verified: 'false' } },
} satisfies HarnessOptions['users'];

export async function startLocalSuite() {
  const aws = await startLocalAws({ tableName: 'otp-test' });
  Object.assign(process.env, aws.env);
  return aws;
}

/** The three triggers wired as in production, but against the stand-ins with an injected clock and a capturing logger. */
export function buildTriggers(
  aws: LocalAws,
  overrides: Record<string, string> = {},
  clock: TestClock = testClock(),
  more: { firstSignIn?: FirstSignIn } = {},
) {
  const env = {
    OTP_TABLE: 'otp-test',
    OTP_SECRET: TEST_SECRET,
    EMAIL_FROM: 'Example <no-reply@example.com>',
    APP_NAME: 'Example',
    SMS_ALLOWED_COUNTRIES: 'US,CA,ES',
    // The flows share a few addresses; the send limits have tests of their own.
    OTP_MAX_SENDS_PER_DESTINATION: '100',
    ...overrides,
  };
  const logs = capturingLogger();
  const metrics = createMetrics('test');
  const dynamo = createDynamoDb({ endpoint: aws.dynamo.endpoint });
  const createConfig = loadCreateConfig(env);
  const verifyConfig = loadVerifyConfig(env);
  const triggers = {
    define: makeDefineAuthChallengeHandler({ config: loadDefineConfig(env), logger: logs.logger }),
    create: makeCreateAuthChallengeHandler({
      config: createConfig,
      store: createDynamoCodeStore(dynamo, createConfig),
      limiter: sendLimiterFor(dynamo, createConfig),
      metrics,
      pause: async () => undefined,
      email: createSesEmailSender(createSes({ endpoint: aws.ses.endpoint }), { from: env.EMAIL_FROM }),
      sms: createSnsSmsSender(createSns({ endpoint: aws.sms.endpoint }), {}),
      logger: logs.logger,
      now: clock.now,
      ...more,
    }),
    verify: makeVerifyAuthChallengeHandler({ config: verifyConfig, store: createDynamoCodeStore(dynamo, verifyConfig), logger: logs.logger, now: clock.now, metrics, ...more }),
  };
  const harness = (options: Partial<HarnessOptions> = {}) => new CognitoCustomAuthHarness({ triggers, users: USERS, ...options });
  return { triggers, harness, logs, clock, dynamo };
}

/** The code in the newest captured message (email or SMS) to that address. */
export async function lastCodeSentTo(aws: LocalAws, address: string): Promise<string> {
  const bodies = address.startsWith('+')
    ? aws.sms.messages.filter((sms) => sms.phoneNumber === address).map((sms) => sms.message)
    : (await aws.ses.emails()).filter((email) => email.to.includes(address)).map((email) => email.text ?? '');
  const last = bodies.at(-1);
  const code = last?.match(/\b\d{6,10}\b/)?.[0];
  if (code === undefined) throw new Error(`No code was sent to ${address}`);
  return code;
}

export async function messageCount(aws: LocalAws): Promise<number> {
  return (await aws.ses.emails()).length + aws.sms.messages.length;
}

export async function clearMessages(aws: LocalAws): Promise<void> {
  await aws.ses.clear();
  aws.sms.messages.length = 0;
}

/** Starts the stand-ins for a test file and clears captured messages before each test. */
export function useLocalSuite(): { readonly aws: LocalAws } {
  const holder: { aws?: LocalAws } = {};
  beforeAll(async () => {
    holder.aws = await startLocalSuite();
  });
  afterAll(async () => {
    await holder.aws?.close();
  });
  beforeEach(async () => {
    if (holder.aws) await clearMessages(holder.aws);
  });
  return {
    get aws() {
      if (holder.aws === undefined) throw new Error('the stand-ins start in beforeAll');
      return holder.aws;
    },
  };
}

/** The challenge of a step that must not have ended the sign-in. */
export function challenge(result: AuthResult): Extract<AuthResult, { kind: 'challenge' }> {
  if (result.kind !== 'challenge') throw new Error(`expected a challenge, got ${result.kind}`);
  return result;
}
