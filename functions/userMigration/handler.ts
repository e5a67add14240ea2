import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { wrapTrigger } from '../../shared/handler.js';
import { parseMigrationEvent } from '../../shared/migration/event.js';
import { createMigrationService, type MigrationDependencies } from '../../shared/migration/migrate.js';

export function makeUserMigrationHandler(deps: MigrationDependencies) {
  const migrate = createMigrationService(deps);
  return wrapTrigger<UserMigrationTriggerEvent>(deps.logger, async (event) => {
    const response = await migrate(parseMigrationEvent(event));
    Object.assign(event.response, response);
    return event;
  }, deps.metrics);
}
