import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDefineAuthChallengeHandler } from '../../../functions/defineAuthChallenge/handler.js';
import { makeCreateAuthChallengeHandler } from '../../../functions/createAuthChallenge/handler.js';
import { makeVerifyAuthChallengeHandler } from '../../../functions/verifyAuthChallenge/handler.js';
import { loadCreateConfig, loadDefineConfig, loadVerifyConfig } from '../../../shared/auth/config.js';
import { createDynamoCodeStore } from '../../../shared/store/codeStore.js';
import { InvalidEventError, TemporaryFailureError } from '../../../shared/errors.js';
import type { DynamoDb } from '../../../shared/aws/services.js';
import { fakeAwsClient } from '../../support/fakeAws.js';
import { capturingLogger } from '../../support/logs.js';
import { sampleEvent } from '../../support/events.js';
const defineFirst = sampleEvent('defineAuthChallenge/first-call.json');
const createEmail = sampleEvent('createAuthChallenge/email.json');
const verifyAnswer = sampleEvent('verifyAuthChallenge/answer.json');

const env = { OTP_TABLE: 'otp', OTP_SECRET: 'x'.repeat(32), EMAIL_FROM: 'no-reply@example.com', SMS_ALLOWED_COUNTRIES: 'US' };
const dynamoMock = fakeAwsClient<DynamoDb>();
afterEach(() => {
  dynamoMock.reset();
  vi.unstubAllEnvs();
  vi.resetModules();
});

function handlers() {
  const logs = capturingLogger();
  const store = createDynamoCodeStore(dynamoMock.client, loadVerifyConfig(env));
  const failingSender = { sendEmail: async () => {}, sendSms: async () => {} };
  return {
    logs,
    define: makeDefineAuthChallengeHandler({ config: loadDefineConfig(env), logger: logs.logger }),
    create: makeCreateAuthChallengeHandler({ config: loadCreateConfig(env), store, limiter: { reserve: async () => true, release: async () => undefined }, email: failingSender, sms: failingSender, logger: logs.logger, now: Date.now }),
    verify: makeVerifyAuthChallengeHandler({ config: loadVerifyConfig(env), store, logger: logs.logger, now: Date.now }),
  };
}

describe('a malformed event gets an error that names what is wrong', () => {
  const cases: [string, (h: ReturnType<typeof handlers>) => Promise<unknown>, string][] = [
    ['Define without a request', (h) => h.define({ ...structuredClone(defineFirst), request: undefined } as never), 'request must be an object'],
    ['Define with a session that is not a list', (h) => h.define({ ...structuredClone(defineFirst), request: { session: 'x' } } as never), 'request.session must be an array'],
    ['Create for another trigger', (h) => h.create({ ...structuredClone(createEmail), triggerSource: 'PreSignUp_SignUp' } as never), 'triggerSource must be CreateAuthChallenge_Authentication'],
    ['Verify without private parameters', (h) => h.verify({ ...structuredClone(verifyAnswer), request: { challengeAnswer: '1' } } as never), 'request.privateChallengeParameters is missing'],
    ['Verify with null', (h) => h.verify(null as never), 'expected a Cognito trigger event object'],
  ];
  for (const [name, call, message] of cases) {
    it(`${name}: InvalidEventError naming it`, async () => {
      const error = await call(handlers()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message).toContain(message);
    });
  }
});

describe('Verify never throws for a wrong, empty or oversized answer', () => {
  for (const answer of ['', '12', 'x'.repeat(100_000), '１２３４５６', undefined, 123456, { a: 1 }]) {
    it(`answer ${JSON.stringify(answer)?.slice(0, 20)} is simply wrong`, async () => {
      dynamoMock.onAny({});
      const event = structuredClone(verifyAnswer) as any;
      event.request.challengeAnswer = answer;
      const result = await handlers().verify(event);
      expect(result.response.answerCorrect).toBe(false);
    });
  }
});

describe('an unexpected failure becomes a generic error, with the detail only in the log', () => {
  it('DynamoDB throwing an unknown error gives TemporaryFailureError', async () => {
    dynamoMock.onAny(new Error('socket hang up at 10.0.0.1'));
    const h = handlers();
    const error = await h.create(structuredClone(createEmail) as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryFailureError);
    expect((error as Error).message).toBe('Sign-in is temporarily unavailable. Please try again later.');
    expect(h.logs.text()).toContain('socket hang up');
  });
});

describe('configuration is checked once at cold start', () => {
  it('a missing OTP_TABLE fails the cold start naming the variable', async () => {
    vi.stubEnv('OTP_TABLE', '');
    vi.stubEnv('OTP_SECRET', 'x'.repeat(32));
    vi.stubEnv('EMAIL_FROM', 'no-reply@example.com');
    vi.stubEnv('SMS_ALLOWED_COUNTRIES', 'US');
    await expect(import('../../../functions/createAuthChallenge/index.js')).rejects.toThrow('OTP_TABLE is not set');
  });

  it('a short OTP_SECRET fails the cold start without echoing the key', async () => {
    vi.stubEnv('OTP_TABLE', 'otp');
    vi.stubEnv('OTP_SECRET', 'short-secret-value');
    const error = await import('../../../functions/verifyAuthChallenge/index.js').catch((e: unknown) => e);
    expect((error as Error).message).toBe('OTP_SECRET must be at least 32 bytes, got 18.');
  });

  it('SMS without a country allow-list fails the Create cold start', async () => {
    vi.stubEnv('OTP_TABLE', 'otp');
    vi.stubEnv('OTP_SECRET', 'x'.repeat(32));
    vi.stubEnv('EMAIL_FROM', 'no-reply@example.com');
    vi.stubEnv('SMS_ALLOWED_COUNTRIES', '');
    await expect(import('../../../functions/createAuthChallenge/index.js')).rejects.toThrow('SMS_ALLOWED_COUNTRIES is not set');
  });

  it('an OTP_MAX_ATTEMPTS out of range fails the Define cold start', async () => {
    vi.stubEnv('OTP_MAX_ATTEMPTS', '0');
    await expect(import('../../../functions/defineAuthChallenge/index.js')).rejects.toThrow('OTP_MAX_ATTEMPTS must be from 1 to 10, got 0.');
  });

  it('with valid configuration each module exports a handler', async () => {
    vi.stubEnv('OTP_TABLE', 'otp');
    vi.stubEnv('OTP_SECRET', 'x'.repeat(32));
    vi.stubEnv('EMAIL_FROM', 'no-reply@example.com');
    vi.stubEnv('SMS_ALLOWED_COUNTRIES', 'US');
    const modules = await Promise.all([
      import('../../../functions/defineAuthChallenge/index.js'),
      import('../../../functions/createAuthChallenge/index.js'),
      import('../../../functions/verifyAuthChallenge/index.js'),
    ]);
    for (const module of modules) expect(typeof module.handler).toBe('function');
  });
});

describe('user references in logs', () => {
  it('are keyed: the same name gives the same reference, which is not the plain SHA-256 of the name', async () => {
    const { createHash } = await import('node:crypto');
    const { userRef } = await import('../../../shared/handler.js');
    const typedPassword = 'correct horse battery staple';
    expect(userRef(typedPassword)).toBe(userRef(typedPassword));
    expect(userRef(typedPassword)).not.toBe(createHash('sha256').update(typedPassword).digest('hex').slice(0, 16));
    expect(userRef(typedPassword)).toMatch(/^[0-9a-f]{16}$/);
  });
});
