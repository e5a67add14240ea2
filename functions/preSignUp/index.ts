import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientOptions } from '../../shared/aws/clientOptions.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createDynamoDirectory } from '../../shared/migration/directory.js';
import { loadSignUpConfig } from '../../shared/signup/config.js';
import { createDynamoPendingSignUpStore } from '../../shared/signup/pendingStore.js';
import { createUserPoolAdmin, defaultCognitoClient } from '../../shared/signup/userPoolAdmin.js';
import { makePreSignUpHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadSignUpConfig(process.env);
  const dynamo = new DynamoDBClient(awsClientOptions);
  return makePreSignUpHandler({
    config,
    directory: config.legacyUsersTable === undefined ? undefined : createDynamoDirectory(dynamo, config.legacyUsersTable),
    pending: createDynamoPendingSignUpStore(dynamo, config.tableName),
    admin: createUserPoolAdmin(defaultCognitoClient()),
    logger,
    now: Date.now,
  });
});
