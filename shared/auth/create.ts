import type { CreateConfig } from './config.js';
import type { CreateRequest } from './events.js';
import {
  challengeMetadataFor,
  chooseDestination,
  CLIENT_METADATA_KEYS,
  decoyDestination,
  type Destination,
  planChallenge,
  roundKeyFor,
} from './challenge.js';
import type { CodeStore, IssuedCode } from '../store/codeStore.js';
import type { EmailSender, SmsSender } from '../delivery/senders.js';
import { generateCode, hashCode, newCodeId, type RandomInt } from '../otp/code.js';
import { languageForLocale, renderEmail, renderSms } from '../otp/templates.js';
import { SignInRefusedError, TemporaryFailureError } from '../errors.js';
import type { Logger } from '@aws-lambda-powertools/logger';

export interface CreateDependencies {
  config: CreateConfig;
  store: CodeStore;
  email: EmailSender;
  sms: SmsSender;
  logger: Logger;
  now: () => number;
  random?: RandomInt;
}

export interface CreateResponse {
  publicChallengeParameters: Record<string, string>;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string;
}

function challengeFor(code: IssuedCode): CreateResponse {
  return {
    publicChallengeParameters: {
      channel: code.channel,
      destination: code.maskedDestination,
      codeLength: String(code.codeLength),
      expiresAt: new Date(code.expiresAt).toISOString(),
    },
    privateChallengeParameters: { codeId: code.codeId },
    challengeMetadata: challengeMetadataFor(code.codeId),
  };
}

async function dependency<T>(logger: Logger, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    logger.error(`${what} failed`, { error: error instanceof Error ? { name: error.name, message: error.message } : String(error) });
    throw new TemporaryFailureError({ cause: error });
  }
}

/**
 * Builds the one-time-code challenge for a round: the live code again when Cognito retries or the
 * user answered wrong, otherwise a new code, stored as a keyed hash and then delivered.
 */
export function createChallengeService(deps: CreateDependencies) {
  const { config, store, logger } = deps;
  const retryWindowMs = config.retryWindowSeconds * 1000;

  async function deliver(destination: Destination, code: string, request: CreateRequest): Promise<void> {
    if (destination.address === undefined) return;
    const language = languageForLocale(request.userAttributes.locale);
    const input = { code, appName: config.appName, minutesValid: Math.ceil(config.ttlSeconds / 60) };
    if (destination.channel === 'EMAIL') await deps.email.sendEmail(destination.address, renderEmail(language, input));
    else await deps.sms.sendSms(destination.address, renderSms(language, input));
  }

  /** Drops a channel request the user cannot be served on, so it neither switches nor renews the code. */
  function honouredRequest(request: CreateRequest): CreateRequest {
    const requested = request.clientMetadata[CLIENT_METADATA_KEYS.channel];
    if (requested === undefined) return request;
    const usable = request.userNotFound ? undefined : chooseDestination(request.userAttributes, config.channels, requested)?.channel;
    if (usable === requested.toUpperCase()) return request;
    const { [CLIENT_METADATA_KEYS.channel]: _ignored, ...clientMetadata } = request.clientMetadata;
    return { ...request, clientMetadata };
  }

  return async function createChallenge(request: CreateRequest): Promise<CreateResponse> {
    if (request.challengeName !== 'CUSTOM_CHALLENGE') throw new SignInRefusedError();
    const roundKey = roundKeyFor(request);

    // Two tries: a concurrent Create for the same user may store its code between our read and write.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const now = deps.now();
      const state = await dependency(logger, 'Reading code state', () => store.read(request.userName));
      const plan = planChallenge(state, honouredRequest(request), roundKey, now, retryWindowMs);
      if (plan.action === 'refuse') {
        logger.warn('Code refused: user is locked out', { lockedUntil: state?.lockedUntil });
        throw new SignInRefusedError();
      }
      if (plan.action === 'reuse') {
        logger.info('Offering the live code again; nothing sent', { reason: plan.reason, channel: plan.code.channel });
        return challengeFor(plan.code);
      }

      let destination = request.userNotFound
        ? undefined
        : chooseDestination(request.userAttributes, config.channels, request.clientMetadata[CLIENT_METADATA_KEYS.channel]);
      if (destination === undefined) {
        if (!request.userNotFound) logger.warn('User has no verified destination on the configured channels; decoy challenge, nothing sent');
        destination = decoyDestination(request.userName, config.channels, config.secret);
      }

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
      };
      const stored = await dependency(logger, 'Storing the new code', () => store.issue(request.userName, issued, plan.replacesCodeId, now));
      if (stored === 'conflict') continue;

      try {
        await deliver(destination, code, request);
      } catch (error) {
        logger.error('Sending the code failed; code withdrawn', {
          channel: destination.channel,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        });
        await store.withdraw(request.userName, codeId).catch((withdrawError: unknown) => {
          logger.error('Withdrawing the undelivered code failed', { error: String(withdrawError) });
        });
        throw new TemporaryFailureError({ cause: error });
      }
      logger.info(destination.address === undefined ? 'Decoy code stored; nothing sent' : 'Code sent', {
        channel: destination.channel,
        destination: destination.masked,
      });
      return challengeFor(issued);
    }
    logger.warn('Code state changed concurrently twice; refusing this round');
    throw new TemporaryFailureError();
  };
}
