import { loadDefineConfig } from '../../shared/auth/config.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { makeDefineAuthChallengeHandler } from './handler.js';

export const handler = atColdStart(logger, () => makeDefineAuthChallengeHandler({ config: loadDefineConfig(process.env), logger }));
