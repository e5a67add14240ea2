import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCreateAuthChallengeHandler } from '../../functions/createAuthChallenge/handler.js';
import { codeStateKey } from '../../shared/auth/challenge.js';
import { type CreateConfig, loadCreateConfig } from '../../shared/auth/config.js';
import { CHALLENGE_NAMES } from '../../shared/auth/events.js';
import { parsePhone } from '../../shared/otp/phone.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import {
  anyJunk,
  asCognitoSeesIt,
  capturingSenders,
  expectNoPrototypePollution,
  expectSuiteRefusal,
  freshFrom,
  hugeString,
  isStringMap,
  jsonJunk,
  memoryCodeStore,
  memoryLimiter,
  mutatedEvent,
  oddString,
  PROPERTY_SECRET,
  runs,
  scaled,
  prototypeJunk,
  recordingRandom,
  settle,
  triggerSourceJunk,
} from './support.js';

/**
 * Create Auth Challenge under random and mutated events, with in-memory code store, limiter and
 * senders: it answers with a well-formed challenge that never carries the code, sends only to a
 * verified address, or refuses with the suite's own error.
 */

const SAMPLES = readdirSync(join(__dirname, '..', '..', 'events', 'createAuthChallenge')).map((file) => sampleEvent(`createAuthChallenge/${file}`));
const START = Date.UTC(2026, 10, 26, 12, 0, 0);
const logs = capturingLogger();

const BASE_ENV = { OTP_TABLE: 'otp', OTP_SECRET: PROPERTY_SECRET, EMAIL_FROM: 'Example <no-reply@example.com>', SMS_ALLOWED_COUNTRIES: 'US,CA,ES' };
const CONFIGS: CreateConfig[] = [
  loadCreateConfig(BASE_ENV),
  loadCreateConfig({ ...BASE_ENV, OTP_CHANNELS: 'EMAIL', OTP_LENGTH: '8', OTP_RESEND_COOLDOWN_SECONDS: '0' }),
  loadCreateConfig({ ...BASE_ENV, OTP_CHANNELS: 'SMS,EMAIL', SMS_ALLOWED_COUNTRIES: 'US', OTP_RETRY_WINDOW_SECONDS: '0', OTP_LOCKOUT_THRESHOLD: '1' }),
];
const configArb = fc.constantFrom(...CONFIGS.keys()).map((index) => ({ index, config: CONFIGS[index] as CreateConfig }));

function wire(config: CreateConfig) {
  const store = memoryCodeStore(config);
  const limiter = memoryLimiter();
  const senders = capturingSenders();
  const recorder = recordingRandom();
  let now = START;
  const create = makeCreateAuthChallengeHandler({
    config,
    store,
    limiter,
    email: senders.email,
    sms: senders.sms,
    logger: logs.logger,
    now: () => now,
    random: recorder.random,
    pause: async () => undefined,
  });
  return { create, store, senders, generated: recorder.generated, advance: (ms: number) => void (now += ms) };
}

const PUBLIC_KEYS = ['channel', 'codeLength', 'destination', 'expiresAt'];

/** A well-formed challenge: string maps, the code's id in private, nothing that reveals the code. */
function expectChallenge(result: unknown, generatedCodes: readonly string[], event: any): void {
  const response = asCognitoSeesIt(result)?.response;
  expect(isStringMap(response?.publicChallengeParameters), 'publicChallengeParameters is a string map').toBe(true);
  expect(isStringMap(response?.privateChallengeParameters), 'privateChallengeParameters is a string map').toBe(true);
  expect(typeof response.challengeMetadata).toBe('string');
  const pub = response.publicChallengeParameters as Record<string, string>;
  expect(Object.keys(pub).sort()).toEqual(PUBLIC_KEYS);
  expect(['EMAIL', 'SMS']).toContain(pub.channel);
  expect(pub.codeLength).toMatch(/^(?:[6-9]|10)$/);
  expect(new Date(pub.expiresAt ?? '').toISOString()).toBe(pub.expiresAt);
  // The code's id, and the challenge's own id, by which Verify recognises Cognito's retries.
  expect(['codeId', 'challenge']).toEqual(expect.arrayContaining(Object.keys(response.privateChallengeParameters)));
  const codeId: string = response.privateChallengeParameters.codeId;
  for (const value of Object.values(response.privateChallengeParameters as Record<string, string>)) {
    for (const code of generatedCodes) expect(value.includes(code), 'a private parameter carries the code').toBe(false);
  }
  expect(codeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(response.challengeMetadata).toBe(`OTP-${codeId}`);
  for (const code of generatedCodes) {
    expect(codeId).not.toBe(code);
    for (const value of Object.values(pub)) expect(value.includes(code), `public parameter "${value}" carries the code`).toBe(false);
  }
  // The destination is masked: never the whole address the user has on file.
  const attributes = event?.request?.userAttributes ?? {};
  for (const address of [attributes.email, attributes.phone_number]) {
    if (typeof address === 'string' && address.length >= 6 && !address.includes('*')) expect(pub.destination?.includes(address)).toBe(false);
  }
}

/** Codes go only to a verified address of a user who exists (SMS: a valid number in an allowed country). */
function expectSendsOnlyToVerified(sent: readonly { channel: string; to: string; code: string | undefined }[], event: any, config: CreateConfig): void {
  if (sent.length === 0) return;
  expect(sent.length, 'at most one message per invocation').toBe(1);
  expect(event.request.userNotFound === true, 'nothing is sent for an unknown user').toBe(false);
  const message = sent[0] as { channel: string; to: string; code: string | undefined };
  expect(message.code, 'the message carries a code').toMatch(new RegExp(`^\\d{${config.codeLength}}$`));
  const attributes = event.request.userAttributes;
  if (message.channel === 'EMAIL') {
    expect(message.to).toBe(attributes.email);
    expect(attributes.email_verified).toBe('true');
  } else {
    expect(attributes.phone_number_verified).toBe('true');
    const phone = parsePhone(attributes.phone_number);
    expect(message.to).toBe(phone?.e164);
    expect(config.smsAllowedCountries.has(phone?.country ?? '')).toBe(true);
  }
}

const attributeJunk = fc.oneof(
  fc.record(
    {
      email: fc.oneof(fc.constant('jo@example.com'), oddString, fc.constant('"><img>@example.com'), hugeString.map((s) => `${s}@example.com`)),
      email_verified: fc.oneof(fc.constantFrom('true', 'false', 'TRUE', ' true'), jsonJunk),
      phone_number: fc.oneof(fc.constantFrom('+12125550100', '+34600000100', '+447700900123', '+1', '+12125550100\u202E', '(212) 555-0100'), oddString),
      phone_number_verified: fc.oneof(fc.constantFrom('true', 'false'), jsonJunk),
      locale: fc.oneof(fc.constantFrom('es-MX', 'de', 'fr_FR', 'xx', '__proto__', 'constructor'), oddString),
    },
    { requiredKeys: [] },
  ),
  prototypeJunk,
  jsonJunk,
);
const clientMetadataJunk = fc.oneof(
  fc.record({ otpResend: fc.oneof(fc.constantFrom('true', 'false', 'TRUE'), jsonJunk), otpChannel: fc.oneof(fc.constantFrom('SMS', 'sms', 'EMAIL', 'PIGEON', '__proto__'), jsonJunk) }, { requiredKeys: [] }),
  prototypeJunk,
  jsonJunk,
);
const fieldJunk = fc.oneof(
  triggerSourceJunk,
  fc.constantFrom(...CHALLENGE_NAMES),
  attributeJunk,
  clientMetadataJunk,
  fc.array(fc.record({ challengeName: fc.oneof(fc.constantFrom(...CHALLENGE_NAMES), oddString), challengeResult: fc.oneof(fc.boolean(), jsonJunk), challengeMetadata: fc.oneof(fc.constant('OTP-x'), jsonJunk) }), { maxLength: 6 }),
  jsonJunk,
);

/** Sometimes the user already has a live code (so reuse, cooldown and lockout paths run), and time passes. */
const historyArb = fc.record({ seedFirst: fc.boolean(), advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400_000 })), lockFirst: fc.boolean() });

const tally = { answered: 0, refused: 0, sent: 0 };

async function runOne(index: number, config: CreateConfig, event: any, history: { seedFirst: boolean; advanceMs: number; lockFirst: boolean }) {
  logs.lines.length = 0;
  const wired = wire(config);
  const userName = typeof event?.userName === 'string' ? event.userName : 'jo';
  if (history.seedFirst) {
    const base = structuredClone(SAMPLES[index % SAMPLES.length]);
    base.userName = userName;
    await wired.create(base).catch(() => undefined);
    if (history.lockFirst) {
      // One wrong answer to the live code, then a lock if that spent the budget (OTP_LOCKOUT_THRESHOLD=1).
      const key = codeStateKey({ userName, userNotFound: base.request?.userNotFound === true });
      const live = (await wired.store.read(key))?.code;
      if (live !== undefined) await wired.store.takeGuess(key, live.codeId, START, 'seeded-failure');
      await wired.store.lock(key, START);
    }
    wired.advance(history.advanceMs);
  }
  wired.senders.sent.length = 0;
  const generatedBefore = wired.generated.length;
  const outcome = await settle(() => wired.create(event));
  if (outcome.ok) {
    tally.answered += 1;
    tally.sent += wired.senders.sent.length;
    expectChallenge(outcome.value, wired.generated, event);
    expectSendsOnlyToVerified(wired.senders.sent, event, config);
    expect(wired.generated.length - generatedBefore, 'at most one new code per invocation').toBeLessThanOrEqual(1);
  } else {
    tally.refused += 1;
    expectSuiteRefusal(outcome.error);
    expect(wired.senders.sent, 'a refused round sends nothing').toHaveLength(0);
  }
  expectNoPrototypePollution();
}

describe('Create Auth Challenge under random and mutated events', () => {
  it('answers a mutated sample event with a safe challenge, or refuses it with a TriggerError (3,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, mutatedEvent(SAMPLES, fieldJunk), historyArb, async ({ index, config }, event, history) => {
        await runOne(index, config, event, history);
      }),
      { numRuns: runs(3_000) },
    );
    // Not vacuous: many mutated events still make a challenge, and some of those send a code.
    expect(tally.answered).toBeGreaterThan(scaled(300));
    expect(tally.sent).toBeGreaterThan(scaled(100));
    console.info(`Create, mutated events: ${JSON.stringify(tally)}`);
  }, 60_000);

  it('answers anything at all (fc.anything) with a safe challenge or a TriggerError (1,500 runs)', async () => {
    Object.assign(tally, { answered: 0, refused: 0, sent: 0 });
    const eventArb = fc.oneof(
      anyJunk,
      fc.record({
        triggerSource: fc.oneof({ arbitrary: fc.constant('CreateAuthChallenge_Authentication'), weight: 4 }, anyJunk),
        userName: fc.oneof({ arbitrary: fc.constant('jo'), weight: 2 }, oddString, anyJunk),
        request: fc.record(
          {
            challengeName: fc.oneof({ arbitrary: fc.constant('CUSTOM_CHALLENGE'), weight: 4 }, anyJunk),
            session: fc.oneof({ arbitrary: freshFrom([]), weight: 2 }, anyJunk),
            userAttributes: fc.oneof({ arbitrary: freshFrom({ email: 'jo@example.com', email_verified: 'true' }), weight: 2 }, attributeJunk, anyJunk),
            clientMetadata: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, clientMetadataJunk, anyJunk),
            userNotFound: fc.oneof({ arbitrary: fc.boolean(), weight: 3 }, anyJunk),
          },
          { requiredKeys: [] },
        ),
        response: fc.oneof({ arbitrary: freshFrom({}), weight: 4 }, anyJunk),
      }),
    );
    await fc.assert(
      fc.asyncProperty(configArb, eventArb, historyArb, async ({ index, config }, event, history) => {
        await runOne(index, config, event, history);
      }),
      { numRuns: runs(1_500) },
    );
    expect(tally.answered).toBeGreaterThan(scaled(40));
    console.info(`Create, anything: ${JSON.stringify(tally)}`);
  }, 60_000);
});
