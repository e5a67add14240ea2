import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadVerifyConfig } from '../../shared/auth/config.js';
import { awsClientOptions } from '../../shared/aws/clientOptions.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { makeVerifyAuthChallengeHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadVerifyConfig(process.env);
  return makeVerifyAuthChallengeHandler({
    config,
    store: createDynamoCodeStore(new DynamoDBClient(awsClientOptions), config),
    logger,
    metrics: createMetrics(),
    now: Date.now,
  });
});
