import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeCreateAuthChallengeHandler } from '../../functions/createAuthChallenge/handler.js';
import { makeVerifyAuthChallengeHandler } from '../../functions/verifyAuthChallenge/handler.js';
import { loadCreateConfig, loadVerifyConfig } from '../../shared/auth/config.js';
import { createDynamoDb, createSes, createSns } from '../../shared/aws/services.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../shared/aws/client.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { sendLimiterFor } from '../../shared/store/sendLimits.js';
import { createMetrics } from '../../shared/metrics.js';
import { TemporaryFailureError } from '../../shared/errors.js';
import { capturingLogger } from '../support/logs.js';
import { sampleEvent } from '../support/events.js';
import { buildTriggers, challenge, lastCodeSentTo, messageCount, TEST_SECRET, testClock, useLocalSuite } from '../support/suite.js';

const suite = useLocalSuite();


let counter = 0;
const unique = (prefix: string) => `${prefix}-${(counter += 1)}-${Date.now()}`;

describe('send limits', () => {
  it('many user names cannot pump one phone number: the 6th code in an hour is refused and not sent', async () => {
    const phone = '+12125550142';
    const { harness, clock } = buildTriggers(suite.aws, { OTP_MAX_SENDS_PER_DESTINATION: '5' });
    const users = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`pump-${i}-${Date.now()}`, { attributes: { phone_number: phone, phone_number_verified: 'true' } }]),
    );
    const cognito = harness({ users });
    const names = Object.keys(users);
    for (const name of names.slice(0, 5)) challenge(await cognito.initiateAuth(name));
    expect(suite.aws.sms.messages).toHaveLength(5);
    await expect(cognito.initiateAuth(names[5] as string)).rejects.toMatchObject({
      code: 'UserLambdaValidationException',
      message: 'CreateAuthChallenge failed with error Sign-in could not be completed. Please try again later..',
    });
    expect(suite.aws.sms.messages).toHaveLength(5);

    clock.advance(3_600_000);
    challenge(await cognito.initiateAuth(names[6] as string));
    expect(suite.aws.sms.messages).toHaveLength(6);
  });

  it('one user cannot bomb an inbox: a new code within 30 seconds is refused, after it is sent', async () => {
    const { harness, clock } = buildTriggers(suite.aws);
    const user = unique('bomb');
    const cognito = harness({ users: { [user]: { attributes: { email: `${user}@example.com`, email_verified: 'true' } } } });
    const first = challenge(await cognito.initiateAuth(user));
    clock.advance(10_000);
    await expect(cognito.respond(first.session, { answer: '', clientMetadata: { otpResend: 'true' } })).rejects.toMatchObject({
      code: 'UserLambdaValidationException',
    });
    expect(await messageCount(suite.aws)).toBe(1);
    // A new sign-in inside the cooldown gets the code already sent, and sends nothing.
    const again = challenge(await cognito.initiateAuth(user));
    expect(await messageCount(suite.aws)).toBe(1);
    clock.advance(20_000);
    const resent = challenge(await cognito.respond(again.session, { answer: '', clientMetadata: { otpResend: 'true' } }));
    expect(await messageCount(suite.aws)).toBe(2);
    const code = await lastCodeSentTo(suite.aws, `${user}@example.com`);
    expect(await cognito.respond(resent.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('a slot taken for a message that could not be sent is given back', async () => {
    const { harness } = buildTriggers(suite.aws, { OTP_MAX_SENDS_PER_DESTINATION: '1' });
    const user = unique('giveback');
    const cognito = harness({ users: { [user]: { attributes: { phone_number: '+12125550143', phone_number_verified: 'true' } } } });
    suite.aws.sms.throttleNext(DEFAULT_MAX_ATTEMPTS);
    await expect(cognito.initiateAuth(user)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
    challenge(await cognito.initiateAuth(user));
    expect(suite.aws.sms.messages).toHaveLength(1);
  });
});

describe('a refused round changes nothing', () => {
  it('a sign-in refused by the send limit leaves the code the user already holds working', async () => {
    const { harness, clock } = buildTriggers(suite.aws, { OTP_MAX_SENDS_PER_DESTINATION: '1' });
    const user = unique('holder');
    const email = `${user}@example.com`;
    const users = { [user]: { attributes: { email, email_verified: 'true' } } };
    const victim = harness({ users });
    const held = challenge(await victim.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, email);
    clock.advance(31_000); // past the cooldown: a stranger's sign-in would issue a new code, but the address has had its one send
    await expect(harness({ users }).initiateAuth(user)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
    expect(await messageCount(suite.aws)).toBe(1);
    expect(await victim.respond(held.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('an unknown address meets the same send limit as a real one, however its case is typed', async () => {
    const { harness, clock } = buildTriggers(suite.aws, { OTP_MAX_SENDS_PER_DESTINATION: '2' });
    const typed = `${unique('ghost')}@example.com`;
    const cognito = harness({ users: {} });
    challenge(await cognito.initiateAuth(typed));
    clock.advance(31_000);
    challenge(await cognito.initiateAuth(typed.toUpperCase()));
    clock.advance(31_000);
    await expect(cognito.initiateAuth(typed)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
  });
});

describe('Creates that race', () => {
  it('three sign-ins started at once store one code, send one message, offer it to all three, and give back the slots they did not use', async () => {
    const { harness, clock } = buildTriggers(suite.aws, { OTP_MAX_SENDS_PER_DESTINATION: '3' });
    const user = unique('racing-creates');
    const email = `${user}@example.com`;
    const users = { [user]: { attributes: { email, email_verified: 'true' } } };
    const clients = Array.from({ length: 3 }, () => harness({ users }));
    const results = await Promise.all(clients.map((client) => client.initiateAuth(user)));
    expect(await messageCount(suite.aws)).toBe(1);
    expect(new Set(results.map((result) => challenge(result).parameters.expiresAt)).size).toBe(1);
    const code = await lastCodeSentTo(suite.aws, email);
    expect(await clients[2]?.respond(challenge(results[2] as never).session, { answer: code })).toMatchObject({ kind: 'tokens' });
    // One slot of three was used: two more codes may go to the address this hour, and then no more.
    for (const sent of [2, 3]) {
      clock.advance(31_000);
      challenge(await harness({ users }).initiateAuth(user));
      expect(await messageCount(suite.aws)).toBe(sent);
    }
    clock.advance(31_000);
    await expect(harness({ users }).initiateAuth(user)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
  });
});

describe('SMS country allow-list', () => {
  it('never texts a number outside SMS_ALLOWED_COUNTRIES: a UK-only user gets a decoy and nothing is sent', async () => {
    const { harness } = buildTriggers(suite.aws, { SMS_ALLOWED_COUNTRIES: 'US,CA' });
    const user = unique('uk');
    const cognito = harness({ users: { [user]: { attributes: { phone_number: '+447700900123', phone_number_verified: 'true' } } } });
    const result = challenge(await cognito.initiateAuth(user));
    expect(result.parameters.channel).toBeDefined();
    expect(await messageCount(suite.aws)).toBe(0);
  });

  it('falls back to the verified email when the phone’s country is not allowed', async () => {
    const { harness } = buildTriggers(suite.aws, { SMS_ALLOWED_COUNTRIES: 'US', OTP_CHANNELS: 'SMS,EMAIL' });
    const user = unique('es');
    const cognito = harness({
      users: { [user]: { attributes: { phone_number: '+34600000100', phone_number_verified: 'true', email: `${user}@example.com`, email_verified: 'true' } } },
    });
    expect(challenge(await cognito.initiateAuth(user)).parameters.channel).toBe('EMAIL');
    expect(suite.aws.sms.messages).toHaveLength(0);
  });

  it('an invalid or unknown country code fails the cold start naming the variable', () => {
    expect(() => buildTriggers(suite.aws, { SMS_ALLOWED_COUNTRIES: 'US,XX' })).toThrow('SMS_ALLOWED_COUNTRIES must list ISO 3166-1 alpha-2 country codes');
  });
});

describe('the decoy path for unknown users', () => {
  it('does comparable work and takes comparable time (median ratio of interleaved Creates in one run)', async () => {
    const { triggers } = buildTriggers(suite.aws, {}, testClock());
    // Real pauses here: the decoy waits as long as recent real sends took.
    const config = loadCreateConfig({ OTP_TABLE: 'otp-test', OTP_SECRET: TEST_SECRET, EMAIL_FROM: 'no-reply@example.com', SMS_ALLOWED_COUNTRIES: 'US', OTP_MAX_SENDS_PER_DESTINATION: '100' });
    const dynamo = createDynamoDb({ endpoint: suite.aws.dynamo.endpoint });
    const logs = capturingLogger();
    const { createSesEmailSender } = await import('../../shared/delivery/ses.js');
    const { createSnsSmsSender } = await import('../../shared/delivery/sns.js');
    const create = makeCreateAuthChallengeHandler({
      config,
      store: createDynamoCodeStore(dynamo, config),
      limiter: sendLimiterFor(dynamo, config),
      email: createSesEmailSender(createSes({ endpoint: suite.aws.ses.endpoint }), { from: 'no-reply@example.com' }),
      sms: createSnsSmsSender(createSns({ endpoint: suite.aws.sms.endpoint }), {}),
      logger: logs.logger,
      now: Date.now,
    });
    void triggers;
    const base = sampleEvent('createAuthChallenge/email.json');
    const real = (i: number) => ({ ...structuredClone(base), userName: `timing-real-${i}-${Date.now()}` });
    const decoy = (i: number) => {
      const event = structuredClone(base);
      event.userName = `timing-ghost-${i}-${Date.now()}@example.com`;
      event.request.userAttributes = {};
      event.request.userNotFound = true;
      return event;
    };
    const time = async (event: unknown) => {
      const started = performance.now();
      await create(event as never);
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i += 1) await time(real(1000 + i)); // warm-up, and teaches the decoy the send time
    const ratios: number[] = [];
    for (let i = 0; i < 21; i += 1) {
      const realMs = await time(real(i));
      const decoyMs = await time(decoy(i));
      ratios.push(decoyMs / realMs);
    }
    const median = [...ratios].sort((a, b) => a - b)[10] as number;
    console.info(`decoy/real Create time, median of 21 interleaved pairs: ${median.toFixed(2)}`);
    expect(median).toBeGreaterThan(0.5);
    expect(median).toBeLessThan(2);
    expect(await messageCount(suite.aws)).toBe(26); // only the real users' codes were sent
  }, 60_000);
});

describe('metrics in embedded metric format', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
      const text = String(chunk);
      if (text.includes('"_aws"')) {
        lines.push(text);
        return true;
      }
      return write(chunk, ...rest);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  const emitted = (name: string) => lines.map((line) => JSON.parse(line)).filter((emf) => emf[name] !== undefined);

  it('counts codes sent by channel, verified, wrong, expired, lockouts and rate-limited sends', async () => {
    const { harness, clock } = buildTriggers(suite.aws, { OTP_LOCKOUT_THRESHOLD: '2' });
    const user = unique('metrics');
    const email = `${user}@example.com`;
    const cognito = harness({ users: { [user]: { attributes: { email, email_verified: 'true' } } } });

    let step = challenge(await cognito.initiateAuth(user));
    let code = await lastCodeSentTo(suite.aws, email);
    step = challenge(await cognito.respond(step.session, { answer: code === '000000' ? '111111' : '000000' }));
    expect(await cognito.respond(step.session, { answer: code })).toMatchObject({ kind: 'tokens' });

    clock.advance(60_000);
    step = challenge(await cognito.initiateAuth(user));
    await expect(cognito.respond(step.session, { answer: '', clientMetadata: { otpResend: 'true' } })).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
    clock.advance(60_000);
    step = challenge(await cognito.initiateAuth(user));
    code = await lastCodeSentTo(suite.aws, email);
    clock.advance(300_000);
    step = challenge(await cognito.respond(step.session, { answer: code }));
    // The old code against the new one: wrong (1 of 2), then wrong again: Verify locks the user (and the
    // session, at OTP_MAX_ATTEMPTS, fails); then Create refuses a new sign-in of the locked user.
    step = challenge(await cognito.respond(step.session, { answer: code }));
    expect(emitted('LockedOut')).toHaveLength(0);
    await expect(cognito.respond(step.session, { answer: code })).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    const lockoutsByVerify = emitted('LockedOut').length;
    await expect(cognito.initiateAuth(user)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });

    const sent = emitted('CodesSent');
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent[0]).toMatchObject({ channel: 'EMAIL', CodesSent: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'CognitoAuthTriggers', Dimensions: [['service', 'channel']] }] } });
    expect(emitted('CodesVerified')).toHaveLength(1);
    // One wrong answer in the first sign-in; after expiry a new code is sent, and the old code is then wrong twice.
    expect(emitted('WrongCodes')).toHaveLength(3);
    expect(emitted('ExpiredCodes')).toHaveLength(1);
    expect(emitted('RateLimited')).toHaveLength(1);
    // One from Verify's lock, then one from Create's refusal of the locked user.
    expect(lockoutsByVerify).toBe(1);
    expect(emitted('LockedOut')).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(code);
  });
});

describe('slow and throttling dependencies', () => {
  let blackHole: Server;
  let blackHoleEndpoint: string;
  beforeAll(async () => {
    // Accepts connections and never answers: a DynamoDB that hangs.
    blackHole = createServer(() => undefined);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    blackHoleEndpoint = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    blackHole.close();
  });

  const env = { OTP_TABLE: 'otp-test', OTP_SECRET: TEST_SECRET, EMAIL_FROM: 'no-reply@example.com', SMS_ALLOWED_COUNTRIES: 'US' };
  const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as never;

  it('a hanging DynamoDB fails Create inside the invocation’s remaining time, sends nothing, and says so in the log', async () => {
    const logs = capturingLogger();
    const config = loadCreateConfig(env);
    const dynamo = createDynamoDb({ endpoint: blackHoleEndpoint });
    const create = makeCreateAuthChallengeHandler({
      config,
      store: createDynamoCodeStore(dynamo, config),
      limiter: sendLimiterFor(dynamo, config),
      email: { sendEmail: async () => void suite.aws.ses },
      sms: { sendSms: async () => undefined },
      logger: logs.logger,
      now: Date.now,
    });
    const started = Date.now();
    const error = await create(sampleEvent('createAuthChallenge/email.json'), context(1_200)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryFailureError);
    expect(Date.now() - started).toBeLessThan(5_000); // inside Cognito's limit: the deadline cut the call
    expect(logs.text()).toContain('Reading code state failed');
    expect(await messageCount(suite.aws)).toBe(0);
  });

  it('a hanging DynamoDB makes Verify accept nothing', async () => {
    const logs = capturingLogger();
    const config = loadVerifyConfig(env);
    const verify = makeVerifyAuthChallengeHandler({
      config,
      store: createDynamoCodeStore(createDynamoDb({ endpoint: blackHoleEndpoint }), config),
      logger: logs.logger,
      now: Date.now,
    });
    await expect(verify(sampleEvent('verifyAuthChallenge/answer.json'), context(1_000))).rejects.toBeInstanceOf(TemporaryFailureError);
  });

  it('SES throttling: retries, then a clear failure with no code left live and no slot taken', async () => {
    const { harness } = buildTriggers(suite.aws, { OTP_MAX_SENDS_PER_DESTINATION: '1' });
    const user = unique('ses-throttle');
    const cognito = harness({ users: { [user]: { attributes: { email: `${user}@example.com`, email_verified: 'true' } } } });
    // aws-ses-v2-local cannot throttle; a closed SES port stands for an SES that keeps failing.
    await suite.aws.ses.close();
    try {
      await expect(cognito.initiateAuth(user)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
    } finally {
      const { startSes } = await import('../../local/standins.js');
      const port = Number(new URL(suite.aws.ses.endpoint).port);
      suite.aws.ses = await startSes(port);
    }
    challenge(await cognito.initiateAuth(user));
    expect(await messageCount(suite.aws)).toBe(1);
  });
});

describe('secrets never leak on the abuse and fault paths', () => {
  it('debug logs of refusals, lockouts, decoys and withdrawn codes hold no code, code hash or key', async () => {
    const { harness, logs, clock, dynamo } = buildTriggers(suite.aws, { OTP_LOCKOUT_THRESHOLD: '2', OTP_MAX_SENDS_PER_DESTINATION: '2' });
    const user = unique('leak');
    const email = `${user}@example.com`;
    const cognito = harness({ users: { [user]: { attributes: { email, email_verified: 'true' } } } });
    const codes: string[] = [];
    const errors: string[] = [];
    const attempt = async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        errors.push((error as Error).message);
      }
    };

    let step = challenge(await cognito.initiateAuth(user));
    codes.push(await lastCodeSentTo(suite.aws, email));
    await attempt(() => cognito.respond(step.session, { answer: '', clientMetadata: { otpResend: 'true' } })); // cooldown refusal
    clock.advance(31_000);
    step = challenge(await cognito.initiateAuth(user));
    codes.push(await lastCodeSentTo(suite.aws, email));
    clock.advance(31_000);
    await attempt(() => cognito.initiateAuth(user)); // third code to one address in an hour: refused
    suite.aws.sms.throttleNext(DEFAULT_MAX_ATTEMPTS);
    await attempt(() => harness({ users: { [`${user}-sms`]: { attributes: { phone_number: '+12125550177', phone_number_verified: 'true' } } } }).initiateAuth(`${user}-sms`));
    const wrong = codes[1] === '000000' ? '111111' : '000000';
    step = challenge(await cognito.initiateAuth(`${user}-ghost`)); // unknown: a decoy, then wrong answers
    await attempt(() => cognito.respond(step.session, { answer: wrong }));
    await attempt(() => cognito.respond(step.session, { answer: wrong }));

    const item = await dynamo.call('GetItem', { TableName: 'otp-test', Key: { pk: { S: `USER#${user}` } }, ConsistentRead: true });
    const hash = item.Item?.codeHash?.S ?? '';
    expect(hash).not.toBe('');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const everything = [logs.text(), ...errors].join('\n');
    expect(logs.lines.length).toBeGreaterThan(10); // the capturing logger runs at DEBUG
    for (const secret of [...codes, hash, TEST_SECRET]) expect(everything).not.toContain(secret);
  });
});
