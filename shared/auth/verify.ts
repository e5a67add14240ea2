import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { VerifyConfig } from './config.js';
import type { VerifyRequest } from './events.js';
import { CLIENT_METADATA_KEYS, codeStateKey } from './challenge.js';
import { type CodeStore, LOST_LOCK_AFTER_MS, type UserCodeState } from '../store/codeStore.js';
import { answerMatches } from '../otp/code.js';
import { callDependency, InvalidEventError } from '../errors.js';
import { type MetricName, METRICS, type MetricsSink, noMetrics } from '../metrics.js';
import type { FirstSignIn } from '../signup/firstSignIn.js';

export interface VerifyDependencies {
  config: VerifyConfig;
  store: CodeStore;
  logger: Logger;
  now: () => number;
  metrics?: MetricsSink;
  /** Passwordless sign-up: a right code sent to the unverified sign-up address proves it. */
  firstSignIn?: FirstSignIn;
}

const OUTCOME_METRICS: Partial<Record<VerifyOutcome, MetricName>> = {
  correct: METRICS.codesVerified,
  wrong: METRICS.wrongCodes,
  expired: METRICS.expiredCodes,
};

export type VerifyOutcome = 'correct' | 'wrong' | 'expired' | 'used' | 'superseded' | 'locked' | 'resend-requested' | 'user-not-found';

/** Names an answer to a challenge: Cognito re-sending the same Verify is neither counted twice nor refused. */
export function attemptKeyFor(codeId: string, challenge: string, answer: string | undefined): string {
  return createHash('sha256').update(`${codeId}\n${challenge}\n${answer ?? ''}`).digest('base64url').slice(0, 32);
}

/**
 * Grades an answer against the live code. A guess is taken from the user's budget before the
 * answer is compared (one conditional update that returns the code), so concurrent answers cannot
 * outrun the lockout; an answer that gets no guess is never compared with a live code. Fails closed
 * when the code state cannot be read or written.
 */
export function createVerifyService(deps: VerifyDependencies) {
  const { config, store, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;

  const guarded = <T>(what: string, call: () => Promise<T>) => callDependency(logger, what, call);

  async function lock(key: string, now: number, lastGuessBefore?: number): Promise<void> {
    const lockedUntil = await guarded('Locking the user', () => store.lock(key, now, lastGuessBefore));
    if (lockedUntil === undefined) return;
    logger.warn('Too many consecutive wrong answers: user locked out', { lockedUntil });
    metrics.count(METRICS.lockouts);
  }

  async function consume(request: VerifyRequest, key: string, codeId: string, codeHash: string, now: number, attemptKey: string): Promise<VerifyOutcome> {
    const consumed = await guarded('Consuming the code', () => store.consume(key, codeId, codeHash, now, attemptKey));
    // Another answer used the code first, or a lock landed: not accepted.
    if (!consumed) return 'used';
    return request.userNotFound ? 'user-not-found' : 'correct';
  }

  /** An answer that got no guess: why, without comparing it with a code it has not paid a guess for. */
  async function refusal(request: VerifyRequest, state: UserCodeState | undefined, key: string, codeId: string, now: number, attemptKey: string): Promise<VerifyOutcome> {
    const live = state?.code?.codeId === codeId ? state.code : undefined;
    // This very answer already paid its guess (Cognito re-sent the Verify): grading it again tells nothing new.
    const alreadyPaid = live !== undefined && (state?.lastAttempt === attemptKey || state?.consumedBy === attemptKey);
    const matches = answerMatches(config.secret, request.userName, codeId, request.challengeAnswer, alreadyPaid ? live.codeHash : '');
    if (state?.lockedUntil !== undefined && state.lockedUntil > now) return 'locked';
    if (live === undefined) return 'superseded';
    if (alreadyPaid) return matches ? consume(request, key, codeId, live.codeHash, now, attemptKey) : 'wrong';
    if (live.used) return 'used';
    if (live.expiresAt <= now) return 'expired';
    if (state !== undefined && state.failedAttempts >= config.lockoutThreshold) {
      // The budget is spent and no lock was written (the Verify that spent it stopped before locking).
      await lock(key, now, now - LOST_LOCK_AFTER_MS);
      return 'locked';
    }
    // The state changed between the refused update and the read: refused all the same.
    return 'superseded';
  }

  async function grade(request: VerifyRequest): Promise<VerifyOutcome> {
    const codeId = request.privateChallengeParameters.codeId;
    if (codeId === undefined || codeId === '') {
      throw new InvalidEventError('Invalid event: request.privateChallengeParameters.codeId is missing (challenge not created by this suite).');
    }
    if (request.clientMetadata[CLIENT_METADATA_KEYS.resend] === 'true') return 'resend-requested';

    const now = deps.now();
    const key = codeStateKey(request);
    const attemptKey = attemptKeyFor(codeId, request.privateChallengeParameters.challenge ?? '', request.challengeAnswer);
    const guess = await guarded('Taking a guess', () => store.takeGuess(key, codeId, now, attemptKey));
    if (!guess.taken) return refusal(request, guess.state, key, codeId, now, attemptKey);

    if (answerMatches(config.secret, request.userName, codeId, request.challengeAnswer, guess.code.codeHash)) {
      return consume(request, key, codeId, guess.code.codeHash, now, attemptKey);
    }
    if (guess.remaining <= 0) await lock(key, now);
    return 'wrong';
  }

  return async function verifyAnswer(request: VerifyRequest): Promise<{ answerCorrect: boolean; outcome: VerifyOutcome }> {
    const outcome = await grade(request);
    logger.info('Answer graded', { outcome });
    const proves = request.privateChallengeParameters.proves;
    if (outcome === 'correct' && (proves === 'email' || proves === 'phone_number') && deps.firstSignIn !== undefined) {
      // Never fails the sign-in: a failure is logged and retried at the next one.
      await deps.firstSignIn.proven(request.userPoolId ?? '', request.userName, proves, request.userAttributes[proves], deps.now());
    }
    const metric = OUTCOME_METRICS[outcome];
    if (metric !== undefined) metrics.count(metric);
    return { answerCorrect: outcome === 'correct', outcome };
  };
}
