import { describe, expect, it } from 'vitest';
import { loadVerifyConfig } from '../../shared/auth/config.js';
import { parseVerifyEvent } from '../../shared/auth/events.js';
import { createVerifyService } from '../../shared/auth/verify.js';
import { hashCode, newCodeId } from '../../shared/otp/code.js';
import { type CodeStore, createDynamoCodeStore, LOST_LOCK_AFTER_MS } from '../../shared/store/codeStore.js';
import { testDynamo } from '../support/dynamo.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import { TEST_SECRET, testClock, useLocalSuite } from '../support/suite.js';

/**
 * The lockout against the real store on dynalite, with latency injected in front of every DynamoDB
 * request so that answers really overlap: a guess is taken from the budget before an answer is
 * compared, so no number of answers arriving at once gets more than OTP_LOCKOUT_THRESHOLD compared.
 */

const suite = useLocalSuite();
const CODE = '493027';
const wrongAnswer = (index: number) => String(100_000 + index);

let counter = 0;
const freshUser = (prefix: string) => `${prefix}-${(counter += 1)}-${Date.now()}`;

/** Verify wired to the stand-in through a client that waits `delayMs` before every request; counts the answers compared. */
function wire(env: Record<string, string>, delayMs = 0) {
  const config = loadVerifyConfig({ OTP_TABLE: 'otp-test', OTP_SECRET: TEST_SECRET, ...env });
  const { client, requests } = testDynamo(suite.aws.dynamo.endpoint, { delayMs });
  const store = createDynamoCodeStore(client, config);
  let graded = 0;
  const counting: CodeStore = {
    ...store,
    async takeGuess(...args) {
      const outcome = await store.takeGuess(...args);
      if (outcome.taken) graded += 1;
      return outcome;
    },
  };
  const clock = testClock();
  const logs = capturingLogger();
  // The grading service itself, without the handler's per-invocation deadline: on a loaded machine a
  // hundred answers in flight against an in-process dynalite can outlast Cognito's 5 seconds.
  const service = createVerifyService({ config, store: counting, logger: logs.logger, now: clock.now });
  const verify = async (event: unknown) => ({ response: { answerCorrect: (await service(parseVerifyEvent(event))).answerCorrect } });
  return { config, store, verify, clock, requests, logs, graded: () => graded };
}

/** Stores a live code for the user, as Create would, and returns its id. */
async function liveCode(store: CodeStore, userName: string, now: number, ttlMs = 300_000): Promise<string> {
  const codeId = newCodeId();
  const stored = await store.issue(
    userName,
    { codeId, codeHash: hashCode(Buffer.from(TEST_SECRET), userName, codeId, CODE), channel: 'EMAIL', maskedDestination: 'j***@e***.com', codeLength: 6, issuedAt: now, expiresAt: now + ttlMs, roundKey: 'r' },
    (await store.read(userName))?.code?.codeId,
    now,
  );
  expect(stored).toBe('issued');
  return codeId;
}

function answer(userName: string, codeId: string | undefined, challenge: string, value: string) {
  const event = sampleEvent('verifyAuthChallenge/answer.json');
  event.userName = userName;
  event.request.privateChallengeParameters = codeId === undefined ? { challenge } : { codeId, challenge };
  event.request.challengeAnswer = value;
  return event;
}

async function correct(verify: (event: any) => Promise<any>, event: unknown): Promise<boolean> {
  return (await verify(structuredClone(event))).response.answerCorrect === true;
}

describe('answers that arrive together', () => {
  it('100 concurrent answers, the right one at a random position: at most OTP_LOCKOUT_THRESHOLD are compared, and the right one wins about threshold/100 of the time (25 trials, 20 ms per DynamoDB call)', async () => {
    const THRESHOLD = 5;
    const ANSWERS = 100;
    // npm run mutate runs fewer (LOCKOUT_RACE_TRIALS): every trial still checks that at most the threshold is compared.
    const TRIALS = Number(process.env.LOCKOUT_RACE_TRIALS ?? '25');
    // Under P(win) = 5/100 per trial, 7 or more wins in 25 trials has probability 1.7e-4 (binomial tail).
    const MAX_WINS = 6;
    const { store, verify, graded, clock } = wire({ OTP_LOCKOUT_THRESHOLD: String(THRESHOLD) }, 20);
    let wins = 0;
    const gradedPerTrial: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const user = freshUser('race');
      const codeId = await liveCode(store, user, clock.now());
      const right = Math.floor(Math.random() * ANSWERS);
      const before = graded();
      const results = await Promise.all(
        Array.from({ length: ANSWERS }, (_, index) => correct(verify, answer(user, codeId, `c${index}`, index === right ? CODE : wrongAnswer(index)))),
      );
      const gradedNow = graded() - before;
      gradedPerTrial.push(gradedNow);
      expect(gradedNow, 'answers compared in one trial').toBeLessThanOrEqual(THRESHOLD);
      const accepted = results.filter(Boolean).length;
      expect(accepted).toBeLessThanOrEqual(1);
      if (accepted === 1) {
        expect(results[right]).toBe(true);
        wins += 1;
      } else {
        // The whole budget went on wrong answers: the user is locked.
        expect(gradedNow).toBe(THRESHOLD);
        expect((await store.read(user))?.lockedUntil).toBeGreaterThan(clock.now());
      }
    }
    console.info(`lockout race: ${wins} wins in ${TRIALS} trials (bound ${MAX_WINS}); answers compared per trial: ${gradedPerTrial.join(',')}`);
    expect(wins).toBeLessThanOrEqual(MAX_WINS);
  }, 120_000);

  it('with OTP_LOCKOUT_THRESHOLD=1, exactly one of 30 concurrent wrong answers is compared, and the user is locked', async () => {
    const { store, verify, graded, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '1' }, 20);
    const user = freshUser('one');
    const codeId = await liveCode(store, user, clock.now());
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => correct(verify, answer(user, codeId, `c${index}`, wrongAnswer(index)))));
    expect(results.every((result) => !result)).toBe(true);
    expect(graded()).toBe(1);
    expect((await store.read(user))?.lockedUntil).toBe(clock.now() + 900_000);
  });

  it('with OTP_LOCKOUT_THRESHOLD=1, a right first answer signs in and a wrong first answer locks', async () => {
    const { store, verify, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '1' });
    const good = freshUser('one-right');
    expect(await correct(verify, answer(good, await liveCode(store, good, clock.now()), 'c', CODE))).toBe(true);
    const bad = freshUser('one-wrong');
    const codeId = await liveCode(store, bad, clock.now());
    expect(await correct(verify, answer(bad, codeId, 'c1', wrongAnswer(1)))).toBe(false);
    expect(await correct(verify, answer(bad, codeId, 'c2', CODE))).toBe(false);
    expect((await store.read(bad))?.lockedUntil).toBeGreaterThan(clock.now());
  });
});

describe('the lock', () => {
  it('lasts OTP_LOCKOUT_SECONDS: still locked part-way through and one millisecond before the end, over at the end', async () => {
    const { store, verify, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '2', OTP_LOCKOUT_SECONDS: '600' });
    const user = freshUser('duration');
    const codeId = await liveCode(store, user, clock.now());
    const lockedAt = clock.now();
    expect(await correct(verify, answer(user, codeId, 'c1', wrongAnswer(1)))).toBe(false);
    expect(await correct(verify, answer(user, codeId, 'c2', wrongAnswer(2)))).toBe(false);
    expect((await store.read(user))?.lockedUntil).toBe(lockedAt + 600_000);

    clock.advance(300_000);
    expect(await store.issue(user, { ...(await store.read(user))!.code!, codeId: 'mid-lock' }, codeId, clock.now())).toBe('conflict');
    clock.advance(299_999);
    expect(await store.issue(user, { ...(await store.read(user))!.code!, codeId: 'late-in-lock' }, codeId, clock.now())).toBe('conflict');
    clock.advance(1);
    const fresh = await liveCode(store, user, clock.now());
    expect(await correct(verify, answer(user, fresh, 'c3', CODE))).toBe(true);
  });

  it('is not extended by answers that arrive while it lasts', async () => {
    const { store, verify, clock, graded } = wire({ OTP_LOCKOUT_THRESHOLD: '2' });
    const user = freshUser('no-extend');
    const codeId = await liveCode(store, user, clock.now());
    await correct(verify, answer(user, codeId, 'c1', wrongAnswer(1)));
    await correct(verify, answer(user, codeId, 'c2', wrongAnswer(2)));
    const lockedUntil = (await store.read(user))?.lockedUntil;
    const gradedAtLock = graded();
    for (let index = 3; index < 8; index += 1) {
      clock.advance(60_000);
      expect(await correct(verify, answer(user, codeId, `c${index}`, index === 5 ? CODE : wrongAnswer(index)))).toBe(false);
    }
    expect(graded()).toBe(gradedAtLock);
    expect((await store.read(user))?.lockedUntil).toBe(lockedUntil);
  });

  it('burns the live code: when a lock shorter than the code’s life ends, the old code still does not work', async () => {
    const { store, verify, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '2', OTP_LOCKOUT_SECONDS: '60' });
    const user = freshUser('burn');
    const codeId = await liveCode(store, user, clock.now(), 600_000);
    await correct(verify, answer(user, codeId, 'c1', wrongAnswer(1)));
    await correct(verify, answer(user, codeId, 'c2', wrongAnswer(2)));
    clock.advance(60_000);
    expect(await correct(verify, answer(user, codeId, 'c3', CODE))).toBe(false);
    // …and after the lock the budget is whole again for a new code.
    const fresh = await liveCode(store, user, clock.now());
    expect(await correct(verify, answer(user, fresh, 'c4', wrongAnswer(4)))).toBe(false);
    expect(await correct(verify, answer(user, fresh, 'c5', CODE))).toBe(true);
  });
});

describe('answers that are no guess at a live code', () => {
  it('an answer to a code that was replaced fails and does not count toward lockout', async () => {
    const { store, verify, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '2' });
    const user = freshUser('superseded');
    const old = await liveCode(store, user, clock.now());
    const current = await liveCode(store, user, clock.now());
    for (let index = 0; index < 5; index += 1) expect(await correct(verify, answer(user, old, `c${index}`, CODE))).toBe(false);
    expect((await store.read(user))?.failedAttempts ?? 0).toBe(0);
    expect(await correct(verify, answer(user, current, 'now', CODE))).toBe(true);
  });

  it('an answer to an expired or used code fails and does not count', async () => {
    const { store, verify, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '2' });
    const user = freshUser('expired');
    const codeId = await liveCode(store, user, clock.now());
    expect(await correct(verify, answer(user, codeId, 'right', CODE))).toBe(true);
    for (let index = 0; index < 3; index += 1) expect(await correct(verify, answer(user, codeId, `used${index}`, wrongAnswer(index)))).toBe(false);
    const next = await liveCode(store, user, clock.now());
    clock.advance(300_000);
    for (let index = 0; index < 3; index += 1) expect(await correct(verify, answer(user, next, `late${index}`, wrongAnswer(index)))).toBe(false);
    const state = await store.read(user);
    expect(state?.failedAttempts).toBe(0);
    expect(state?.lockedUntil).toBeUndefined();
  });

  it('a Verify without codeId is refused and does not count', async () => {
    const { store, verify, clock } = wire({ OTP_LOCKOUT_THRESHOLD: '1' });
    const user = freshUser('no-code-id');
    const codeId = await liveCode(store, user, clock.now());
    await expect(verify(answer(user, undefined, 'c', wrongAnswer(1)))).rejects.toThrow('privateChallengeParameters.codeId is missing');
    expect((await store.read(user))?.failedAttempts ?? 0).toBe(0);
    expect(await correct(verify, answer(user, codeId, 'c', CODE))).toBe(true);
  });

  it('a right answer that finds the budget spent is not accepted, and is not compared', async () => {
    const { store, verify, clock, graded } = wire({ OTP_LOCKOUT_THRESHOLD: '3' });
    const user = freshUser('spent');
    const codeId = await liveCode(store, user, clock.now());
    // Three guesses taken whose Verify stopped before it could lock (e.g. timed out).
    for (let index = 0; index < 3; index += 1) expect((await store.takeGuess(user, codeId, clock.now(), `lost${index}`)).taken).toBe(true);
    expect(await correct(verify, answer(user, codeId, 'right', CODE))).toBe(false);
    expect(graded()).toBe(0);
    // Within LOST_LOCK_AFTER_MS the missing lock is not written (the spending Verify may still write it)…
    expect((await store.read(user))?.lockedUntil).toBeUndefined();
    // …after it, the next answer writes it.
    clock.advance(LOST_LOCK_AFTER_MS + 1);
    expect(await correct(verify, answer(user, codeId, 'right-later', CODE))).toBe(false);
    expect((await store.read(user))?.lockedUntil).toBe(clock.now() + 900_000);
  });
});

describe('DynamoDB requests per answer (issue 16: the common path is minimal)', () => {
  it('a wrong answer is one conditional update; a right answer two; neither reads first', async () => {
    const { store, verify, clock, requests } = wire({ OTP_LOCKOUT_THRESHOLD: '5' });
    const user = freshUser('count');
    const codeId = await liveCode(store, user, clock.now());
    requests.length = 0;
    await correct(verify, answer(user, codeId, 'c1', wrongAnswer(1)));
    expect(requests.map((request) => request.command)).toEqual(['UpdateItem']);
    requests.length = 0;
    await correct(verify, answer(user, codeId, 'c2', CODE));
    expect(requests.map((request) => request.command)).toEqual(['UpdateItem', 'UpdateItem']);
    expect(requests.every((request) => request.error === undefined)).toBe(true);
  });
});
