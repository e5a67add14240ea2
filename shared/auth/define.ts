import type { SessionEntry } from './events.js';

/** Define Auth Challenge as pure decisions: the next challenge, tokens, or failure. */

export type DefineDecision =
  | { outcome: 'challenge'; challengeName: 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER' }
  | { outcome: 'issueTokens' }
  | { outcome: 'fail'; reason: DefineFailReason };

export type DefineFailReason =
  | 'passwordless-not-allowed'
  | 'password-failed'
  | 'too-many-wrong-codes'
  | 'unexpected-sequence'
  | 'user-not-found';

export interface DefinePolicy {
  /** Wrong codes allowed in one Cognito session before the sign-in fails. */
  maxAttempts: number;
  /** false: a code is only accepted as a second factor, after SRP + password. */
  allowPasswordless: boolean;
}

const fail = (reason: DefineFailReason): DefineDecision => ({ outcome: 'fail', reason });
const next = (challengeName: 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER'): DefineDecision => ({ outcome: 'challenge', challengeName });

export function decideNextStep(session: readonly SessionEntry[], userNotFound: boolean, policy: DefinePolicy): DefineDecision {
  const [first, second] = session;
  if (first === undefined) return policy.allowPasswordless ? next('CUSTOM_CHALLENGE') : fail('passwordless-not-allowed');

  let codeRoundsStart: number;
  if (first.challengeName === 'SRP_A') {
    if (!first.challengeResult) return fail('password-failed');
    if (second === undefined) return next('PASSWORD_VERIFIER');
    if (second.challengeName !== 'PASSWORD_VERIFIER') return fail('unexpected-sequence');
    if (!second.challengeResult) return fail('password-failed');
    codeRoundsStart = 2;
  } else if (first.challengeName === 'CUSTOM_CHALLENGE') {
    if (!policy.allowPasswordless) return fail('passwordless-not-allowed');
    codeRoundsStart = 0;
  } else {
    return fail('unexpected-sequence');
  }

  const codeRounds = session.slice(codeRoundsStart);
  if (codeRounds.length === 0) return next('CUSTOM_CHALLENGE');
  if (codeRounds.some((round) => round.challengeName !== 'CUSTOM_CHALLENGE')) return fail('unexpected-sequence');
  // Only the last round may be a success: a success followed by more rounds is not a flow Cognito runs.
  if (codeRounds.slice(0, -1).some((round) => round.challengeResult)) return fail('unexpected-sequence');

  // More rounds than allowed is not a session this trigger let happen: never tokens from it.
  if (codeRounds.length > policy.maxAttempts) return fail('too-many-wrong-codes');
  const last = codeRounds[codeRounds.length - 1];
  if (last?.challengeResult === true) return userNotFound ? fail('user-not-found') : { outcome: 'issueTokens' };
  if (codeRounds.length >= policy.maxAttempts) return fail('too-many-wrong-codes');
  return next('CUSTOM_CHALLENGE');
}
