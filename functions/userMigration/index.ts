import type { Context, UserMigrationTriggerEvent } from 'aws-lambda';
import { TemporaryFailureError } from '../../shared/errors.js';
import { atColdStart } from '../../shared/handler.js';
import { logger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { loadMigrationConfig } from '../../shared/migration/config.js';
import { openDirectory } from '../../shared/migration/directories/open.js';
import { loadDirectorySettings } from '../../shared/migration/directories/settings.js';
import { makeUserMigrationHandler } from './handler.js';

// Settings are checked synchronously: a bad value fails the cold start, naming the variable.
const { config, settings } = atColdStart(logger, () => ({ config: loadMigrationConfig(process.env), settings: loadDirectorySettings(process.env) }));

// The chosen directory's driver is loaded during the init phase, and only that one (LEGACY_DIRECTORY).
const ready = openDirectory(settings, logger).then(
  (directory) => makeUserMigrationHandler({ config, directory, logger, metrics: createMetrics() }),
  (error: unknown) => atColdStart(logger, () => {
    throw error;
  }),
);
ready.catch(() => undefined); // reported by the first invocation, not as an unhandled rejection

export async function handler(event: UserMigrationTriggerEvent, context?: Context): Promise<UserMigrationTriggerEvent> {
  // A directory that could not be loaded was logged at cold start; the user sees only the generic text.
  const migrate = await ready.catch((error: unknown) => {
    throw new TemporaryFailureError({ cause: error });
  });
  return migrate(event, context);
}
