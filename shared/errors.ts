import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * The suite's error types. Every error a handler throws is a TriggerError; its
 * `message` reaches the end user through Cognito ("<Trigger> failed with error <message>"),
 * so messages never say whether a user exists or why an answer failed, and never carry
 * a code, password, hash or key.
 */
export class TriggerError extends Error {
  override name = 'TriggerError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Missing or invalid configuration; thrown once at cold start, names the variable. */
export class ConfigError extends TriggerError {
  override name = 'ConfigError';
}

/** The event does not have the shape the trigger contract promises; names the field. */
export class InvalidEventError extends TriggerError {
  override name = 'InvalidEventError';
}

/** Text that is safe to show to anyone: the sign-in did not go ahead. */
export class SignInRefusedError extends TriggerError {
  override name = 'SignInRefusedError';
  constructor(options?: { cause?: unknown }) {
    super('Sign-in could not be completed. Please try again later.', options);
  }
}

/** A dependency (DynamoDB, SES, SNS) failed; the detail goes to the log, not the user. */
export class TemporaryFailureError extends TriggerError {
  override name = 'TemporaryFailureError';
  constructor(options?: { cause?: unknown }) {
    super('Sign-in is temporarily unavailable. Please try again later.', options);
  }
}

/** What a log line may say about a caught error: its name and message, never the object (it may hold a request). */
export function errorSummary(error: unknown): { name: string; message: string } | string {
  return error instanceof Error ? { name: error.name, message: error.message } : String(error);
}

/**
 * Runs a call to a dependency (DynamoDB, SES, SNS). A failure is logged as "<what> failed" with the
 * detail, and becomes the generic TemporaryFailureError for the user.
 */
export async function callDependency<T>(logger: Logger, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    logger.error(`${what} failed`, { error: errorSummary(error) });
    throw new TemporaryFailureError({ cause: error });
  }
}
