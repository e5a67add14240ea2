import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { loadCreateConfig } from '../../shared/auth/config.js';
import { awsClientOptions } from '../../shared/aws/clientOptions.js';
import { createSesEmailSender } from '../../shared/delivery/ses.js';
import { createSnsSmsSender } from '../../shared/delivery/sns.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { sendLimiterFor } from '../../shared/store/sendLimits.js';
import { createMetrics } from '../../shared/metrics.js';
import { createFirstSignIn } from '../../shared/signup/firstSignIn.js';
import { createDynamoPendingSignUpStore } from '../../shared/signup/pendingStore.js';
import { makeCreateAuthChallengeHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadCreateConfig(process.env);
  const dynamo = new DynamoDBClient(awsClientOptions);
  return makeCreateAuthChallengeHandler({
    config,
    store: createDynamoCodeStore(dynamo, config),
    limiter: sendLimiterFor(dynamo, config),
    metrics: createMetrics(),
    email: createSesEmailSender(new SESClient(awsClientOptions), { from: config.emailFrom ?? '', configurationSet: config.sesConfigurationSet }),
    sms: createSnsSmsSender(new SNSClient(awsClientOptions), { senderId: config.smsSenderId }),
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
});
