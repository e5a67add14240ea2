import { type Env, integerInRange, requiredString } from '../env.js';
import { type FirebaseScryptParameters, loadFirebaseScryptParameters } from '../passwords/index.js';

export interface MigrationConfig {
  legacyUsersTable: string;
  /** bcrypt cost of the dummy check an unknown user costs; match the directory's typical hash. */
  dummyHashCost: number;
  /** Firebase's project hash parameters (MIGRATION_FIREBASE_*), for `$firebase-scrypt$` hashes; absent if not set. */
  firebaseScrypt?: FirebaseScryptParameters | undefined;
}

export function loadMigrationConfig(env: Env): MigrationConfig {
  return {
    legacyUsersTable: requiredString(env, 'LEGACY_USERS_TABLE', 'the DynamoDB table of the legacy directory (partition key "username")'),
    dummyHashCost: integerInRange(env, 'MIGRATION_DUMMY_BCRYPT_COST', 10, 4, 15),
    firebaseScrypt: loadFirebaseScryptParameters(env),
  };
}
