import { describe, expect, it, vi } from 'vitest';
import { loadVerifyConfig } from '../../../shared/auth/config.js';
import type { VerifyRequest } from '../../../shared/auth/events.js';
import { attemptKeyFor, createVerifyService } from '../../../shared/auth/verify.js';
import { InvalidEventError } from '../../../shared/errors.js';
import type { MetricName, MetricsSink } from '../../../shared/metrics.js';
import { hashCode } from '../../../shared/otp/code.js';
import { type CodeStore, LOST_LOCK_AFTER_MS } from '../../../shared/store/codeStore.js';
import { memoryCodeStore } from '../../property/support.js';
import { capturingLogger } from '../../support/logs.js';

/**
 * Verify's decisions, one outcome at a time, against the store's contract held in memory (the same
 * contract test/integration/codeStore.test.ts holds the DynamoDB store to): what it answers, what it
 * logs and counts, and what it asks of the store.
 */

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnop';
const config = loadVerifyConfig({ OTP_TABLE: 't', OTP_SECRET: SECRET, OTP_LOCKOUT_THRESHOLD: '3', OTP_LOCKOUT_SECONDS: '600' });
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const CODE = '493027';

function wire(seed: { used?: boolean; expiresAt?: number; lockedUntil?: number; failedAttempts?: number; lastGuessAt?: number } = {}) {
  const store = memoryCodeStore(config);
  store.items.set('jo', {
    code: {
      codeId: 'code-1',
      codeHash: hashCode(config.secret, 'jo', 'code-1', CODE),
      channel: 'EMAIL',
      maskedDestination: 'j***@e***.com',
      codeLength: 6,
      issuedAt: NOW - 1_000,
      expiresAt: seed.expiresAt ?? NOW + 300_000,
      roundKey: 'r',
      used: seed.used ?? false,
      withdrawn: false,
    },
    ...(seed.lockedUntil === undefined ? {} : { lockedUntil: seed.lockedUntil }),
    ...(seed.failedAttempts === undefined ? {} : { failedAttempts: seed.failedAttempts }),
    ...(seed.lastGuessAt === undefined ? {} : { lastGuessAt: seed.lastGuessAt }),
  });
  const spied: CodeStore = { ...store, lock: vi.fn(store.lock), consume: vi.fn(store.consume), takeGuess: vi.fn(store.takeGuess) };
  const counted: MetricName[] = [];
  const metrics: MetricsSink = { count: (name) => void counted.push(name), flush: () => undefined };
  const logs = capturingLogger();
  let now = NOW;
  const verify = createVerifyService({ config, store: spied, logger: logs.logger, now: () => now, metrics });
  return { verify, store, spied, counted, logs, advance: (ms: number) => void (now += ms) };
}

function request(answer: string | undefined, overrides: Partial<VerifyRequest> = {}, challenge = 'challenge-1'): VerifyRequest {
  return { userName: 'jo', userAttributes: {}, clientMetadata: {}, userNotFound: false, privateChallengeParameters: { codeId: 'code-1', challenge }, challengeAnswer: answer, ...overrides };
}

describe('Verify grades an answer', () => {
  it('the right code: correct, the code used, the budget refilled, CodesVerified counted', async () => {
    const { verify, store, counted, logs } = wire({ failedAttempts: 2 });
    expect(await verify(request(CODE))).toEqual({ answerCorrect: true, outcome: 'correct' });
    expect(store.items.get('jo')).toMatchObject({ failedAttempts: 0, code: { used: true } });
    expect(counted).toEqual(['CodesVerified']);
    const graded = logs.lines.map((line) => JSON.parse(line)).filter((line) => line.message === 'Answer graded');
    expect(graded).toEqual([expect.objectContaining({ outcome: 'correct' })]);
  });

  it('a wrong code: wrong, one guess taken, WrongCodes counted, no lock while guesses are left', async () => {
    const { verify, store, spied, counted } = wire();
    expect(await verify(request('000000'))).toEqual({ answerCorrect: false, outcome: 'wrong' });
    expect(store.items.get('jo')?.failedAttempts).toBe(1);
    expect(counted).toEqual(['WrongCodes']);
    expect(spied.lock).not.toHaveBeenCalled();
  });

  it('the wrong answer that spends the budget locks the user, logs it once and counts LockedOut', async () => {
    const { verify, store, spied, counted, logs } = wire({ failedAttempts: 2 });
    expect(await verify(request('000000'))).toEqual({ answerCorrect: false, outcome: 'wrong' });
    expect(spied.lock).toHaveBeenCalledWith('jo', NOW, undefined);
    expect(store.items.get('jo')?.lockedUntil).toBe(NOW + 600_000);
    expect(counted).toEqual(['LockedOut', 'WrongCodes']);
    expect(logs.lines.filter((line) => line.includes('Too many consecutive wrong answers: user locked out'))).toHaveLength(1);
    expect(logs.text()).toContain(`"lockedUntil":${NOW + 600_000}`);
  });

  it('an unknown user’s right decoy code is not correct', async () => {
    const { verify, store } = wire();
    store.items.set('unknown jo', store.items.get('jo') as never);
    expect(await verify(request(CODE, { userNotFound: true }))).toEqual({ answerCorrect: false, outcome: 'user-not-found' });
  });

  it('a resend request is no answer: nothing taken, nothing counted', async () => {
    const { verify, spied, counted } = wire();
    expect(await verify(request(CODE, { clientMetadata: { otpResend: 'true' } }))).toEqual({ answerCorrect: false, outcome: 'resend-requested' });
    expect(spied.takeGuess).not.toHaveBeenCalled();
    expect(counted).toEqual([]);
  });

  it.each([undefined, ''])('a challenge without a codeId (%j) is refused as an invalid event, and nothing is taken', async (codeId) => {
    const { verify, spied } = wire();
    const privateChallengeParameters = codeId === undefined ? { challenge: 'c' } : { codeId, challenge: 'c' };
    await expect(verify(request(CODE, { privateChallengeParameters }))).rejects.toBeInstanceOf(InvalidEventError);
    expect(spied.takeGuess).not.toHaveBeenCalled();
  });
});

describe('an answer that gets no guess is not compared, and says why', () => {
  it.each<[string, Parameters<typeof wire>[0], string, MetricName[]]>([
    ['locked (until now + 1 ms)', { lockedUntil: NOW + 1 }, 'locked', []],
    ['the code was used', { used: true }, 'used', []],
    ['the code has expired', { expiresAt: NOW }, 'expired', ['ExpiredCodes']],
  ])('%s: %s', async (_what, seed, outcome, metrics) => {
    const { verify, spied, counted } = wire(seed);
    expect(await verify(request(CODE))).toEqual({ answerCorrect: false, outcome });
    expect(spied.consume).not.toHaveBeenCalled();
    expect(spied.lock).not.toHaveBeenCalled();
    expect(counted).toEqual(metrics);
  });

  it('a lock that ended this very millisecond no longer refuses: a used code is "used"', async () => {
    const { verify } = wire({ lockedUntil: NOW, used: true });
    expect((await verify(request(CODE))).outcome).toBe('used');
  });

  it('refused while the state read afterwards looks answerable (it changed in between): superseded, not compared', async () => {
    const { verify, spied } = wire();
    spied.takeGuess = vi.fn(async () => ({ taken: false as const, state: await spied.read('jo') }));
    expect(await verify(request(CODE))).toEqual({ answerCorrect: false, outcome: 'superseded' });
    expect(spied.consume).not.toHaveBeenCalled();
  });

  it('another code is live: superseded, even with that code’s digits', async () => {
    const { verify, spied } = wire();
    expect(await verify(request(CODE, { privateChallengeParameters: { codeId: 'code-0', challenge: 'c' } }))).toEqual({ answerCorrect: false, outcome: 'superseded' });
    expect(spied.consume).not.toHaveBeenCalled();
  });

  it('the budget is spent and no lock was written: locked, and the lock is written only once the last guess is LOST_LOCK_AFTER_MS old', async () => {
    const { verify, store, spied, counted, logs } = wire({ failedAttempts: 3, lastGuessAt: NOW });
    expect(await verify(request(CODE))).toEqual({ answerCorrect: false, outcome: 'locked' });
    expect(spied.lock).toHaveBeenCalledWith('jo', NOW, NOW - LOST_LOCK_AFTER_MS);
    expect(store.items.get('jo')?.lockedUntil).toBeUndefined();
    expect(counted).toEqual([]);
    expect(logs.text()).not.toContain('user locked out');
    expect(spied.consume).not.toHaveBeenCalled();
  });
});

describe('edges of the state an answer can meet', () => {
  it('no item at all, or an item with no code: superseded', async () => {
    const { verify, store } = wire();
    store.items.delete('jo');
    expect((await verify(request(CODE))).outcome).toBe('superseded');
    store.items.set('jo', { failedAttempts: 1 });
    expect((await verify(request(CODE))).outcome).toBe('superseded');
  });

  it('a right answer that took its guess but lost the code to a lock or another answer: used', async () => {
    const { verify, spied } = wire();
    spied.consume = vi.fn(async () => false);
    expect(await verify(request(CODE))).toEqual({ answerCorrect: false, outcome: 'used' });
  });

  it('Cognito re-sending a wrong answer to a code that has since been replaced: superseded', async () => {
    const { verify, store } = wire();
    expect((await verify(request('000000'))).outcome).toBe('wrong');
    const entry = store.items.get('jo');
    if (entry?.code) entry.code = { ...entry.code, codeId: 'code-2' };
    expect((await verify(request('000000'))).outcome).toBe('superseded');
  });

  it('Cognito re-sending the answer that used the code, after another answer took a guess in between: correct', async () => {
    const { verify, store } = wire();
    const key = attemptKeyFor('code-1', 'challenge-1', CODE);
    await store.takeGuess('jo', 'code-1', NOW, key);
    await store.takeGuess('jo', 'code-1', NOW, 'another-answer');
    expect(await store.consume('jo', 'code-1', hashCode(config.secret, 'jo', 'code-1', CODE), NOW, key)).toBe(true);
    expect((await verify(request(CODE))).outcome).toBe('correct');
  });
});

describe('when the code state cannot be read or written, nothing is accepted and the log says which step failed', () => {
  const failing = (operation: 'takeGuess' | 'consume' | 'lock') => {
    const wired = wire({ failedAttempts: operation === 'lock' ? 2 : 0 });
    (wired.spied as unknown as Record<string, unknown>)[operation] = vi.fn(async () => {
      throw Object.assign(new Error('simulated outage'), { name: 'InternalServerError' });
    });
    return wired;
  };

  it.each<['takeGuess' | 'consume' | 'lock', string, string]>([
    ['takeGuess', CODE, 'Taking a guess failed'],
    ['consume', CODE, 'Consuming the code failed'],
    ['lock', '000000', 'Locking the user failed'],
  ])('%s fails: a temporary failure, logged as "%s"', async (operation, answer, message) => {
    const { verify, logs } = failing(operation);
    await expect(verify(request(answer))).rejects.toThrow('Sign-in is temporarily unavailable');
    expect(logs.lines.map((line) => JSON.parse(line).message)).toContain(message);
  });
});

describe('Cognito sending the same Verify again', () => {
  it('a wrong answer is wrong again and not counted twice', async () => {
    const { verify, store } = wire();
    expect((await verify(request('000000'))).outcome).toBe('wrong');
    expect((await verify(request('000000'))).outcome).toBe('wrong');
    expect(store.items.get('jo')?.failedAttempts).toBe(1);
  });

  it('a right answer is right again; the same code to another challenge is used', async () => {
    const { verify } = wire();
    expect((await verify(request(CODE))).outcome).toBe('correct');
    expect((await verify(request(CODE))).outcome).toBe('correct');
    expect((await verify(request(CODE, {}, 'challenge-2'))).outcome).toBe('used');
  });

  it('a right answer whose first Verify took its guess but never used the code is right on the retry', async () => {
    const { verify, store } = wire();
    const key = attemptKeyFor('code-1', 'challenge-1', CODE);
    expect((await store.takeGuess('jo', 'code-1', NOW, key)).taken).toBe(true);
    expect((await verify(request(CODE))).outcome).toBe('correct');
    expect(store.items.get('jo')?.failedAttempts).toBe(0);
  });
});

describe('attemptKeyFor', () => {
  it('names the code, the challenge and the answer: changing any one changes the key', () => {
    const key = attemptKeyFor('code-1', 'challenge-1', '123456');
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(attemptKeyFor('code-1', 'challenge-1', '123456')).toBe(key);
    for (const other of [attemptKeyFor('code-2', 'challenge-1', '123456'), attemptKeyFor('code-1', 'challenge-2', '123456'), attemptKeyFor('code-1', 'challenge-1', '123457')]) {
      expect(other).not.toBe(key);
    }
    expect(attemptKeyFor('code-1', 'challenge-1', undefined)).toBe(attemptKeyFor('code-1', 'challenge-1', ''));
    expect(attemptKeyFor('a\nb', 'c', 'd')).toBe(attemptKeyFor('a', 'b\nc', 'd'));
  });
});
