import { loadCreateConfig } from '../../shared/auth/config.js';
import { createDynamoDb, createSes } from '../../shared/aws/services.js';
import { createSesEmailSender } from '../../shared/delivery/ses.js';
import { loadSmsPath, smsNotConfigured } from '../../shared/delivery/smsPath.js';
import { atColdStart, whenLoaded } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { sendLimiterFor } from '../../shared/store/sendLimits.js';
import { createMetrics } from '../../shared/metrics.js';
import { createFirstSignIn } from '../../shared/signup/firstSignIn.js';
import { createDynamoPendingSignUpStore } from '../../shared/signup/pendingStore.js';
import { makeCreateAuthChallengeHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadCreateConfig(process.env);
  const dynamo = createDynamoDb();
  // Only a deployment that sends SMS pays for the phone library (and the SNS client) at cold start.
  const sms = config.channels.includes('SMS') ? loadSmsPath({ senderId: config.smsSenderId }) : undefined;
  const create = makeCreateAuthChallengeHandler({
    config,
    store: createDynamoCodeStore(dynamo, config),
    limiter: sendLimiterFor(dynamo, config),
    metrics: createMetrics(),
    email: createSesEmailSender(createSes(), { from: config.emailFrom ?? '', configurationSet: config.sesConfigurationSet }),
    sms: sms?.sender ?? smsNotConfigured,
    logger,
    now: Date.now,
    firstSignIn: createFirstSignIn({
      pending: createDynamoPendingSignUpStore(dynamo, config.tableName),
      secret: config.secret,
      channels: config.channels,
      smsAllowedCountries: config.smsAllowedCountries,
      logger,
    }),
  });
  return sms === undefined ? create : whenLoaded(logger, sms.loaded, create);
});
