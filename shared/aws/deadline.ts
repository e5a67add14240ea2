import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Cognito abandons a trigger after 5 seconds. Each invocation runs under a deadline taken from
 * Lambda's remaining time (capped at Cognito's limit, minus a margin to answer in), and every
 * AWS call gets an abort signal for what is left of it, on top of the clients' own timeouts.
 */

export const COGNITO_TIME_LIMIT_MS = 5_000;
/** Time kept back to turn a timed-out call into a clear error and answer Cognito. */
export const ANSWER_MARGIN_MS = 300;

const deadlines = new AsyncLocalStorage<number>();

export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

export function runWithDeadline<T>(context: RemainingTime | undefined, now: number, work: () => Promise<T>): Promise<T> {
  const lambdaRemaining = context?.getRemainingTimeInMillis?.() ?? COGNITO_TIME_LIMIT_MS;
  const budget = Math.min(lambdaRemaining, COGNITO_TIME_LIMIT_MS) - ANSWER_MARGIN_MS;
  return deadlines.run(now + Math.max(budget, 0), work);
}

/** Options for `client.send(command, options)`: aborts the call when the invocation's time is up. */
export function sendOptions(): { abortSignal?: AbortSignal } {
  const deadline = deadlines.getStore();
  if (deadline === undefined) return {};
  return { abortSignal: AbortSignal.timeout(Math.max(deadline - Date.now(), 1)) };
}

/** Milliseconds left before the invocation's deadline (never negative); undefined outside an invocation. */
export function timeLeftMs(now: number = Date.now()): number | undefined {
  const deadline = deadlines.getStore();
  return deadline === undefined ? undefined : Math.max(deadline - now, 0);
}
