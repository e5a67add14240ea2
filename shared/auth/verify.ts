import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { VerifyConfig } from './config.js';
import type { VerifyRequest } from './events.js';
import { CLIENT_METADATA_KEYS } from './challenge.js';
import type { CodeStore } from '../store/codeStore.js';
import { answerMatches } from '../otp/code.js';
import { callDependency, InvalidEventError } from '../errors.js';
import { type MetricName, METRICS, type MetricsSink, noMetrics } from '../metrics.js';

export interface VerifyDependencies {
  config: VerifyConfig;
  store: CodeStore;
  logger: Logger;
  now: () => number;
  metrics?: MetricsSink;
}

const OUTCOME_METRICS: Partial<Record<VerifyOutcome, MetricName>> = {
  correct: METRICS.codesVerified,
  wrong: METRICS.wrongCodes,
  expired: METRICS.expiredCodes,
};

export type VerifyOutcome = 'correct' | 'wrong' | 'expired' | 'used' | 'superseded' | 'locked' | 'resend-requested' | 'user-not-found';

/** Grades an answer against the live code; fails closed when the code state cannot be read or written. */
export function createVerifyService(deps: VerifyDependencies) {
  const { config, store, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;

  const guarded = <T>(what: string, call: () => Promise<T>) => callDependency(logger, what, call);

  async function grade(request: VerifyRequest): Promise<VerifyOutcome> {
    const codeId = request.privateChallengeParameters.codeId;
    if (codeId === undefined || codeId === '') {
      throw new InvalidEventError('Invalid event: request.privateChallengeParameters.codeId is missing (challenge not created by this suite).');
    }
    if (request.clientMetadata[CLIENT_METADATA_KEYS.resend] === 'true') return 'resend-requested';

    const now = deps.now();
    // Names this answer to this challenge: Cognito re-sending the same Verify is neither counted twice nor refused.
    const attemptKey = createHash('sha256')
      .update(`${codeId}\n${request.privateChallengeParameters.challenge ?? ''}\n${request.challengeAnswer ?? ''}`)
      .digest('base64url')
      .slice(0, 32);
    const state = await guarded('Reading code state', () => store.read(request.userName));
    const live = state?.code;
    // Compare even when the answer cannot count, so every path costs one keyed hash.
    const matches = answerMatches(config.secret, request.userName, codeId, request.challengeAnswer, live?.codeHash ?? '');

    let outcome: VerifyOutcome;
    if (state?.lockedUntil !== undefined && state.lockedUntil > now) outcome = 'locked';
    else if (live === undefined || live.codeId !== codeId) outcome = 'superseded';
    else if (live.used && !matches) outcome = 'used';
    else if (live.expiresAt <= now) outcome = 'expired';
    else if (!matches) outcome = 'wrong';
    else {
      const consumed = await guarded('Consuming the code', () => store.consume(request.userName, codeId, live.codeHash, now, attemptKey));
      // Losing a race to another correct answer is not a guess: it is not counted as a failure.
      if (!consumed) return 'used';
      return request.userNotFound ? 'user-not-found' : 'correct';
    }

    const failure = await guarded('Recording a failed answer', () => store.recordFailure(request.userName, now, attemptKey));
    if (failure.locked) {
      logger.warn('Too many consecutive wrong answers: user locked out', { lockedUntil: failure.lockedUntil });
      metrics.count(METRICS.lockouts);
    }
    return outcome;
  }

  return async function verifyAnswer(request: VerifyRequest): Promise<{ answerCorrect: boolean; outcome: VerifyOutcome }> {
    const outcome = await grade(request);
    logger.info('Answer graded', { outcome });
    const metric = OUTCOME_METRICS[outcome];
    if (metric !== undefined) metrics.count(metric);
    return { answerCorrect: outcome === 'correct', outcome };
  };
}
