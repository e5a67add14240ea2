import { createDynamoDb } from '../../shared/aws/services.js';
import { atColdStart, whenLoaded } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createDynamoDirectory } from '../../shared/migration/directory.js';
import { loadPhoneLibrary } from '../../shared/otp/phoneLibrary.js';
import { loadSignUpConfig } from '../../shared/signup/config.js';
import { createDynamoPendingSignUpStore } from '../../shared/signup/pendingStore.js';
import { createUserPoolAdmin, defaultCognitoClient } from '../../shared/signup/userPoolAdmin.js';
import { makePreSignUpHandler } from './handler.js';

export const handler = atColdStart(logger, () => {
  const config = loadSignUpConfig(process.env);
  const dynamo = createDynamoDb();
  const preSignUp = makePreSignUpHandler({
    config,
    directory: config.legacyUsersTable === undefined ? undefined : createDynamoDirectory(dynamo, config.legacyUsersTable),
    pending: createDynamoPendingSignUpStore(dynamo, config.tableName),
    admin: createUserPoolAdmin(defaultCognitoClient()),
    logger,
    now: Date.now,
  });
  // Every sign-up with a phone number is checked with the phone library.
  return whenLoaded(logger, loadPhoneLibrary(), preSignUp);
});
