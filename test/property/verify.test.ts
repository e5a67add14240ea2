import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeVerifyAuthChallengeHandler } from '../../functions/verifyAuthChallenge/handler.js';
import { loadVerifyConfig } from '../../shared/auth/config.js';
import { hashCode } from '../../shared/otp/code.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import {
  anyJunk,
  asCognitoSeesIt,
  expectNoPrototypePollution,
  expectSuiteRefusal,
  freshFrom,
  hugeString,
  jsonJunk,
  lockThroughStore,
  memoryCodeStore,
  mutatedEvent,
  oddString,
  PROPERTY_SECRET,
  runs,
  scaled,
  prototypeJunk,
  settle,
  triggerSourceJunk,
} from './support.js';

/**
 * Verify Auth Challenge Response under random and mutated events, against an in-memory code store
 * seeded with a known code: it answers with a boolean that is true only for the live code's right
 * digits, or refuses with the suite's own error.
 */

const SAMPLES = readdirSync(join(__dirname, '..', '..', 'events', 'verifyAuthChallenge')).map((file) => sampleEvent(`verifyAuthChallenge/${file}`));
const START = Date.UTC(2026, 10, 26, 12, 0, 0);
const CODE_ID = '4kQ2l0ZcYq5n9xW8mJ3sVA';
const CODE = '123456';
const config = loadVerifyConfig({ OTP_TABLE: 'otp', OTP_SECRET: PROPERTY_SECRET, OTP_LOCKOUT_THRESHOLD: '3' });
const logs = capturingLogger();

type Seed = 'none' | 'live' | 'expired' | 'used' | 'locked' | 'other-code';
const seedArb = fc.constantFrom<Seed>('none', 'live', 'live', 'live', 'expired', 'used', 'locked', 'other-code');

async function wire(seed: Seed, userName: string) {
  const store = memoryCodeStore(config);
  const codeId = seed === 'other-code' ? 'zzzzzzzzzzzzzzzzzzzzzz' : CODE_ID;
  if (seed !== 'none') {
    await store.issue(
      userName,
      {
        codeId,
        codeHash: hashCode(config.secret, userName, codeId, CODE),
        channel: 'EMAIL',
        maskedDestination: 'j***@e***.com',
        codeLength: 6,
        issuedAt: START - 1_000,
        expiresAt: seed === 'expired' ? START - 1 : START + 300_000,
        roundKey: 'seeded-round',
      },
      undefined,
      START - 1_000,
    );
  }
  if (seed === 'used') await store.consume(userName, codeId, hashCode(config.secret, userName, codeId, CODE), START - 500, 'an-earlier-answer');
  if (seed === 'locked') await lockThroughStore(store, userName, codeId, START - 100, config.lockoutThreshold);
  const verify = makeVerifyAuthChallengeHandler({ config, store, logger: logs.logger, now: () => START });
  return { verify, store };
}

/** The documented rule: only the live, unexpired, unused code's digits ("123 456" and "123-456" count) for an existing user, outside a lockout. */
function mayBeCorrect(event: any, seed: Seed, seededUser: string): boolean {
  const request = event.request;
  const answer = request.challengeAnswer;
  if (typeof answer !== 'string' || answer.length > 64) return false;
  return (
    seed === 'live' &&
    event.userName === seededUser &&
    request.privateChallengeParameters?.codeId === CODE_ID &&
    answer.replace(/[\s-]/g, '') === CODE &&
    request.userNotFound !== true &&
    request.clientMetadata?.otpResend !== 'true'
  );
}

const answerJunk = fc.oneof(
  fc.constantFrom(CODE, ` ${CODE} `, '123 456', '123-456', '12-34-56', '\t123456\n', '１２３４５６', '١٢٣٤٥٦', `${CODE}\u0000`, `0${CODE}`, '12345', '', '000000', `${CODE}\u202E`, `\uFEFF${CODE}`),
  fc.integer({ min: 0, max: 999_999 }).map((value) => String(value).padStart(6, '0')),
  freshFrom<unknown>(123456, [CODE], { answer: CODE }, null, true),
  oddString,
  hugeString,
);
const privateJunk = fc.oneof(
  freshFrom<unknown>({ codeId: CODE_ID }, { codeId: CODE_ID, challenge: 'r' }, { codeId: '' }, {}, { codeId: 5 }, { codeId: [CODE_ID] }, { challenge: 'r' }),
  fc.record({ codeId: fc.oneof(fc.constant(CODE_ID), oddString), challenge: fc.oneof(oddString, jsonJunk) }, { requiredKeys: [] }),
  prototypeJunk,
  jsonJunk,
);
const clientMetadataJunk = fc.oneof(freshFrom<unknown>({ otpResend: 'true' }, { otpResend: 'TRUE' }, { otpChannel: 'SMS' }, {}), prototypeJunk, jsonJunk);
const fieldJunk = fc.oneof(triggerSourceJunk, answerJunk, privateJunk, clientMetadataJunk, fc.constantFrom('jo', 'ana', 'nobody@example.com', 'JO', 'jo '), jsonJunk);

const tally = { answered: 0, correct: 0, refused: 0 };

async function runOne(seed: Seed, event: any) {
  logs.lines.length = 0;
  const seededUser = typeof event?.userName === 'string' && event.userName !== '' ? event.userName : 'jo';
  const { verify } = await wire(seed, seededUser);
  const outcome = await settle(() => verify(event));
  if (outcome.ok) {
    tally.answered += 1;
    const response = asCognitoSeesIt(outcome.value)?.response;
    expect(typeof response?.answerCorrect, 'answerCorrect is a boolean').toBe('boolean');
    if (response.answerCorrect) {
      tally.correct += 1;
      expect(mayBeCorrect(event, seed, seededUser), 'answerCorrect only for the live code').toBe(true);
      // Cognito re-sending the very same Verify gets the same answer (idempotent)…
      expect(asCognitoSeesIt(await verify({ ...event, response: { answerCorrect: false } })).response.answerCorrect).toBe(true);
      // …but the same code answered to any other challenge is used up.
      const request = { ...event.request, privateChallengeParameters: { ...event.request.privateChallengeParameters, challenge: 'another-challenge' } };
      expect(asCognitoSeesIt(await verify({ ...event, request, response: { answerCorrect: false } })).response.answerCorrect).toBe(false);
    }
  } else {
    tally.refused += 1;
    expectSuiteRefusal(outcome.error);
  }
  expectNoPrototypePollution();
}

describe('Verify Auth Challenge Response under random and mutated events', () => {
  it('answers a mutated sample event with a boolean that is true only for the right live code, or refuses with a TriggerError (4,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, mutatedEvent(SAMPLES, fieldJunk), async (seed, event) => {
        await runOne(seed, event);
      }),
      { numRuns: runs(4_000) },
    );
    expect(tally.correct, 'some mutated events still carry the right code').toBeGreaterThan(scaled(20));
    console.info(`Verify, mutated events: ${JSON.stringify(tally)}`);
  }, 60_000);

  it('answers anything at all (fc.anything) with a boolean or a TriggerError (2,000 runs)', async () => {
    Object.assign(tally, { answered: 0, correct: 0, refused: 0 });
    const eventArb = fc.oneof(
      anyJunk,
      fc.record({
        triggerSource: fc.oneof({ arbitrary: fc.constant('VerifyAuthChallengeResponse_Authentication'), weight: 4 }, anyJunk),
        userName: fc.oneof({ arbitrary: fc.constant('jo'), weight: 2 }, oddString, anyJunk),
        request: fc.record(
          {
            privateChallengeParameters: fc.oneof({ arbitrary: freshFrom({ codeId: CODE_ID }), weight: 3 }, privateJunk, anyJunk),
            challengeAnswer: fc.oneof(answerJunk, anyJunk),
            userAttributes: fc.oneof({ arbitrary: freshFrom({}), weight: 3 }, anyJunk),
            clientMetadata: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, clientMetadataJunk, anyJunk),
            userNotFound: fc.oneof({ arbitrary: fc.boolean(), weight: 3 }, anyJunk),
          },
          { requiredKeys: [] },
        ),
        response: fc.oneof({ arbitrary: freshFrom({}), weight: 4 }, anyJunk),
      }),
    );
    await fc.assert(
      fc.asyncProperty(seedArb, eventArb, async (seed, event) => {
        await runOne(seed, event);
      }),
      { numRuns: runs(2_000) },
    );
    expect(tally.answered).toBeGreaterThan(scaled(100));
    console.info(`Verify, anything: ${JSON.stringify(tally)}`);
  }, 60_000);
});
