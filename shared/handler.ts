import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { runWithDeadline } from './aws/deadline.js';
import type { MetricsSink } from './metrics.js';
import { errorSummary, InvalidEventError, TemporaryFailureError, TriggerError } from './errors.js';

// People type passwords into user-name fields: a plain hash of one in a log could be cracked offline,
// so the reference is keyed, with a key that never leaves this container.
const USER_REF_KEY = randomBytes(32);

/** A short reference to a user name for logs, stable within one container. */
export function userRef(userName: unknown): string {
  return typeof userName === 'string' ? createHmac('sha256', USER_REF_KEY).update(userName).digest('hex').slice(0, 16) : 'none';
}

/**
 * Wraps a trigger's work: log context without the event, the suite's own errors passed on
 * (their text is safe for the end user), anything else logged and replaced by a generic error.
 */
export function wrapTrigger<E extends { userName?: unknown; triggerSource?: unknown }>(
  logger: Logger,
  work: (event: E) => Promise<E>,
  metrics?: MetricsSink,
): (event: E, context?: Context) => Promise<E> {
  return async (event, context) => {
    if (context !== undefined) logger.addContext(context);
    const triggerSource = typeof event?.triggerSource === 'string' ? event.triggerSource.slice(0, 64) : 'unknown';
    logger.appendKeys({ triggerSource, userRef: userRef(event?.userName) });
    try {
      return await runWithDeadline(context, Date.now(), () => work(event));
    } catch (error) {
      if (error instanceof TriggerError) {
        // A refusal (wrong password, lockout) is routine; a malformed event is worth a warning.
        const log = error instanceof InvalidEventError ? logger.warn.bind(logger) : logger.info.bind(logger);
        log('Trigger refused the request', { errorName: error.name, errorMessage: error.message });
        throw error;
      }
      logger.error('Unexpected failure', { error: errorSummary(error) });
      throw new TemporaryFailureError({ cause: error });
    } finally {
      metrics?.flush();
      logger.removeKeys(['triggerSource', 'userRef']);
    }
  };
}

/** Runs cold-start wiring; a configuration error is logged (naming the variable) and fails the init. */
export function atColdStart<T>(logger: Logger, wire: () => T): T {
  try {
    return wire();
  } catch (error) {
    logger.error('Cold start failed', { error: errorSummary(error) });
    throw error;
  }
}

/**
 * A handler that waits for cold-start work still in flight (a channel loaded on demand) before handling an
 * event. A failed load is logged once, like a failed cold start, and every event then fails closed.
 */
export function whenLoaded<A extends unknown[], R>(logger: Logger, loading: Promise<unknown>, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  // Settled here at once, so that a failed load is never an unhandled rejection that ends the container.
  const failure = loading.then(
    () => undefined,
    (error: unknown) => {
      logger.error('Cold start failed', { error: errorSummary(error) });
      return new TemporaryFailureError({ cause: error });
    },
  );
  return async (...args) => {
    const error = await failure;
    if (error !== undefined) throw error;
    return handler(...args);
  };
}
