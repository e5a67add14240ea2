import { createHmac } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CreateConfig } from './config.js';
import type { CreateRequest } from './events.js';
import {
  challengeMetadataFor,
  chooseDestination,
  CLIENT_METADATA_KEYS,
  codeStateKey,
  decoyDestination,
  type Destination,
  planChallenge,
  roundKeyFor,
  typedIdentifier,
} from './challenge.js';
import type { CodeStore, IssuedCode } from '../store/codeStore.js';
import type { SendLimiter } from '../store/sendLimits.js';
import type { EmailSender, SmsSender } from '../delivery/senders.js';
import { generateCode, hashCode, newCodeId, type RandomInt } from '../otp/code.js';
import { languageForLocale, renderEmail, renderSms } from '../otp/templates.js';
import { callDependency, errorSummary, SignInRefusedError, TemporaryFailureError } from '../errors.js';
import { METRICS, type MetricsSink, noMetrics } from '../metrics.js';
import type { FirstSignIn } from '../signup/firstSignIn.js';

export interface CreateDependencies {
  config: CreateConfig;
  store: CodeStore;
  limiter: SendLimiter;
  email: EmailSender;
  sms: SmsSender;
  logger: Logger;
  now: () => number;
  random?: RandomInt;
  metrics?: MetricsSink;
  /** Waits as long as a real send would have taken, on the decoy path (injectable for tests). */
  pause?: (ms: number) => Promise<void>;
  /** Passwordless sign-up: the first sign-in's code goes to the unverified sign-up address. */
  firstSignIn?: FirstSignIn;
}

export interface CreateResponse {
  publicChallengeParameters: Record<string, string>;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string;
}

/** Until real sends have been timed in this container, a decoy waits this long (a typical SES/SNS call). */
const INITIAL_SEND_ESTIMATE_MS = 60;

/**
 * The challenge for a code. `challenge` is new for every challenge handed out, so Verify can tell
 * Cognito re-sending one answer (same challenge) from another session answering with the same code.
 */
function challengeFor(code: IssuedCode): CreateResponse {
  return {
    publicChallengeParameters: {
      channel: code.channel,
      destination: code.maskedDestination,
      codeLength: String(code.codeLength),
      expiresAt: new Date(code.expiresAt).toISOString(),
    },
    privateChallengeParameters: { codeId: code.codeId, challenge: newCodeId(), ...(code.proves === undefined ? {} : { proves: code.proves }) },
    challengeMetadata: challengeMetadataFor(code.codeId),
  };
}

/**
 * Builds the one-time-code challenge for a round: the live code again when Cognito retries or the
 * user answered wrong, otherwise a new code, stored as a keyed hash, counted against the
 * destination's send limit, and then delivered. Unknown users take the same path with a decoy
 * destination that is never sent to.
 */
export function createChallengeService(deps: CreateDependencies) {
  const { config, store, limiter, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const pause = deps.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retryWindowMs = config.retryWindowSeconds * 1000;
  const cooldownMs = config.resendCooldownSeconds * 1000;
  // Moving average of real send times in this container, so decoys take as long as real sends.
  let sendEstimateMs = INITIAL_SEND_ESTIMATE_MS;

  const dependency = <T>(what: string, call: () => Promise<T>) => callDependency(logger, what, call);

  /**
   * The send-limit key: a keyed hash of the normalised address. A decoy counts against the address
   * it stands for, so an unknown address meets the same limit a real one would.
   */
  function destinationKey(destination: Destination): string {
    const subject = `${destination.channel}\n${(destination.address ?? destination.decoyFor ?? '').toLowerCase()}`;
    return createHmac('sha256', config.secret).update(subject).digest('base64url').slice(0, 32);
  }

  /**
   * Where this round's code goes: the user's verified address; for the first sign-in of an account
   * passwordless sign-up created, its unverified sign-up address; otherwise a decoy (or no user).
   */
  async function destinationFor(request: CreateRequest): Promise<Destination> {
    const requested = request.clientMetadata[CLIENT_METADATA_KEYS.channel];
    const real = request.userNotFound ? undefined : chooseDestination(request.userAttributes, config.channels, requested, config.smsAllowedCountries);
    if (real !== undefined) return real;
    const firstSignIn = deps.firstSignIn;
    const proving =
      request.userNotFound || firstSignIn === undefined
        ? undefined
        : await dependency('Reading the pending sign-up', () => firstSignIn.destination(request.userName, request.userAttributes, deps.now()));
    return proving ?? decoyDestination(typedIdentifier(request), config.channels, config.secret, config.smsAllowedCountries);
  }

  async function deliver(destination: Destination, code: string, request: CreateRequest): Promise<void> {
    if (destination.address === undefined) {
      await pause(sendEstimateMs);
      return;
    }
    const language = languageForLocale(request.userAttributes.locale);
    const input = { code, appName: config.appName, minutesValid: Math.ceil(config.ttlSeconds / 60) };
    const started = Date.now();
    if (destination.channel === 'EMAIL') await deps.email.sendEmail(destination.address, renderEmail(language, input));
    else await deps.sms.sendSms(destination.address, renderSms(language, input));
    sendEstimateMs = 0.8 * sendEstimateMs + 0.2 * (Date.now() - started);
  }

  /**
   * Drops a channel request the round cannot be served on, so it neither switches nor renews the
   * code. Real and unknown users alike: a decoy is served only on its own channel.
   */
  function honouredRequest(request: CreateRequest, destination: Destination): CreateRequest {
    const requested = request.clientMetadata[CLIENT_METADATA_KEYS.channel];
    if (requested === undefined || destination.channel === requested.toUpperCase()) return request;
    const { [CLIENT_METADATA_KEYS.channel]: _ignored, ...clientMetadata } = request.clientMetadata;
    return { ...request, clientMetadata };
  }

  function refuse(reason: string, details: Record<string, unknown> = {}): never {
    logger.info('Code refused', { reason, ...details });
    metrics.count(reason === 'locked' ? METRICS.lockouts : METRICS.rateLimited);
    throw new SignInRefusedError();
  }

  /**
   * Checks every limit before anything is replaced (a refused round changes nothing), then stores and
   * sends a new code. On a conflict the slot is given back in `pending`, while the caller re-reads.
   */
  async function issue(
    request: CreateRequest,
    destination: Destination,
    replacesCodeId: string | undefined,
    roundKey: string,
    now: number,
    pending: Promise<unknown>[],
  ): Promise<CreateResponse | 'conflict'> {
    if (destination.address === undefined && !request.userNotFound) {
      logger.warn('No verified destination on the configured channels (or SMS country not allowed); decoy challenge, nothing sent');
    }
    const slotKey = destinationKey(destination);
    let reserved: boolean;
    try {
      reserved = await limiter.reserve(slotKey, now);
    } catch (error) {
      logger.error('Reserving a send slot failed; nothing changed', { error: errorSummary(error) });
      throw new TemporaryFailureError({ cause: error });
    }
    if (!reserved) {
      // A round racing ours may have taken the last slot and stored its code: offer that code instead.
      const current = await dependency('Reading code state', () => store.read(codeStateKey(request)));
      if (current?.code?.codeId !== replacesCodeId) return 'conflict';
      refuse('destination-rate-limited', { channel: destination.channel, destination: destination.masked });
    }
    const release = () =>
      limiter.release(slotKey, now).catch((error: unknown) => logger.error('Releasing the send slot failed', { error: errorSummary(error) }));

    const code = generateCode(config.codeLength, deps.random);
    const codeId = newCodeId();
    const issued: IssuedCode = {
      codeId,
      codeHash: hashCode(config.secret, request.userName, codeId, code),
      channel: destination.channel,
      maskedDestination: destination.masked,
      codeLength: config.codeLength,
      issuedAt: now,
      expiresAt: now + config.ttlSeconds * 1000,
      roundKey,
      ...(destination.proves === undefined ? {} : { proves: destination.proves }),
    };
    const key = codeStateKey(request);
    let stored: 'issued' | 'conflict';
    try {
      stored = await dependency('Storing the new code', () => store.issue(key, issued, replacesCodeId, now));
    } catch (error) {
      await release();
      throw error;
    }
    if (stored === 'conflict') {
      pending.push(release());
      return 'conflict';
    }

    try {
      await deliver(destination, code, request);
    } catch (error) {
      logger.error('Sending the code failed; code withdrawn', { channel: destination.channel, error: errorSummary(error) });
      await store.withdraw(key, codeId).catch((withdrawError: unknown) => logger.error('Withdrawing the code failed', { error: errorSummary(withdrawError) }));
      await release();
      throw new TemporaryFailureError({ cause: error });
    }
    if (destination.address === undefined) {
      logger.info('Decoy code stored; nothing sent', { channel: destination.channel });
    } else {
      logger.info('Code sent', { channel: destination.channel, destination: destination.masked });
      metrics.count(METRICS.codesSent, { name: 'channel', value: destination.channel });
    }
    return challengeFor(issued);
  }

  return async function createChallenge(request: CreateRequest): Promise<CreateResponse> {
    if (request.challengeName !== 'CUSTOM_CHALLENGE') throw new SignInRefusedError();
    const roundKey = roundKeyFor(request);
    const destination = await destinationFor(request);
    const honoured = honouredRequest(request, destination);
    const key = codeStateKey(request);

    // Two tries: a concurrent Create for the same user may store its code between our read and write.
    const pending: Promise<unknown>[] = [];
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const now = deps.now();
        const state = await dependency('Reading code state', () => store.read(key));
        const plan = planChallenge(state, honoured, roundKey, now, retryWindowMs, cooldownMs);
        if (plan.action === 'refuse') refuse(plan.reason, plan.reason === 'locked' ? { lockedUntil: state?.lockedUntil } : {});
        if (plan.action === 'reuse') {
          logger.info('Offering the live code again; nothing sent', { reason: plan.reason, channel: plan.code.channel });
          return challengeFor(plan.code);
        }
        const result = await issue(honoured, destination, plan.replacesCodeId, roundKey, now, pending);
        if (result !== 'conflict') return result;
      }
    } finally {
      await Promise.all(pending);
    }
    logger.warn('Code state changed concurrently twice; refusing this round');
    throw new TemporaryFailureError();
  };
}
