import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientOptions } from '../../shared/aws/clientOptions.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { loadMigrationConfig } from '../../shared/migration/config.js';
import { createDynamoDirectory } from '../../shared/migration/directory.js';
import { makeUserMigrationHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadMigrationConfig(process.env);
  return makeUserMigrationHandler({
    config,
    directory: createDynamoDirectory(new DynamoDBClient(awsClientOptions), config.legacyUsersTable),
    logger,
    metrics: createMetrics(),
  });
});
