import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of a container. Level from POWERTOOLS_LOG_LEVEL / LOG_LEVEL (default INFO).
 * Never pass whole events, codes, passwords, hashes or keys to it: redact at the source.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-auth-triggers' });
