import { loadVerifyConfig } from '../../shared/auth/config.js';
import { createDynamoDb } from '../../shared/aws/services.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { createFirstSignIn } from '../../shared/signup/firstSignIn.js';
import { createDynamoPendingSignUpStore } from '../../shared/signup/pendingStore.js';
import { createUserPoolAdmin, defaultCognitoClient } from '../../shared/signup/userPoolAdmin.js';
import { makeVerifyAuthChallengeHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadVerifyConfig(process.env);
  const dynamo = createDynamoDb();
  return makeVerifyAuthChallengeHandler({
    config,
    store: createDynamoCodeStore(dynamo, config),
    logger,
    metrics: createMetrics(),
    now: Date.now,
    firstSignIn: createFirstSignIn({
      pending: createDynamoPendingSignUpStore(dynamo, config.tableName),
      admin: createUserPoolAdmin(defaultCognitoClient()),
      secret: config.secret,
      logger,
    }),
  });
});
