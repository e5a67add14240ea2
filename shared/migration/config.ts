import { type Env, integerInRange, oneOf, optionalString, requiredString } from '../env.js';

/** Where legacy users live (LEGACY_DIRECTORY); each is loaded only when chosen (shared/migration/directories). */
export const LEGACY_DIRECTORIES = ['dynamodb', 'ldap', 'postgres', 'mysql', 'http', 'cognito'] as const;
export type LegacyDirectoryKind = (typeof LEGACY_DIRECTORIES)[number];

export function legacyDirectoryKind(env: Env): LegacyDirectoryKind {
  return oneOf(env, 'LEGACY_DIRECTORY', 'dynamodb', LEGACY_DIRECTORIES);
}

export interface MigrationConfig {
  legacyUsersTable: string;
  /** bcrypt cost of the dummy check an unknown user costs; match the directory's typical hash. */
  dummyHashCost: number;
}

export function loadMigrationConfig(env: Env): MigrationConfig {
  return {
    legacyUsersTable:
      legacyDirectoryKind(env) === 'dynamodb'
        ? requiredString(env, 'LEGACY_USERS_TABLE', 'the DynamoDB table of the legacy directory (partition key "username")')
        : optionalString(env, 'LEGACY_USERS_TABLE', ''),
    dummyHashCost: integerInRange(env, 'MIGRATION_DUMMY_BCRYPT_COST', 10, 4, 15),
  };
}
