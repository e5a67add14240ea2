import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { loadPreTokenConfig } from '../../shared/pretoken/config.js';
import { makePreTokenGenerationHandler } from './handler.js';

export const handler = atColdStart(logger, () => makePreTokenGenerationHandler({ config: loadPreTokenConfig(process.env), logger }));
