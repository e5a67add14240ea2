import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { wrapTrigger } from '../../shared/handler.js';
import { parseMigrationEvent } from '../../shared/migration/event.js';
import { createMigrationService, type MigrationDependencies } from '../../shared/migration/migrate.js';

export function makeUserMigrationHandler(deps: MigrationDependencies) {
  const migrate = createMigrationService(deps);
  return wrapTrigger<UserMigrationTriggerEvent>(deps.logger, async (event) => {
    // Only what the suite decided goes back: nothing a caller put in the response is passed on.
    event.response = (await migrate(parseMigrationEvent(event))) as typeof event.response;
    return event;
  }, deps.metrics);
}
