import { ConfigError } from '../errors.js';
import { type Env, integerInRange, requiredString } from '../env.js';
import { costCap, type FirebaseScryptParameters, hashBudget, loadFirebaseScryptParameters, memorySizeFrom } from '../passwords/index.js';

export interface MigrationConfig {
  legacyUsersTable: string;
  /** bcrypt cost of the dummy check an unknown user costs; match the directory's typical hash. */
  dummyHashCost: number;
  /** A refused sign-in never answers sooner than this (ms); 0 leaves the floor to the dummy check and recent checks. */
  refusalFloorMs?: number;
  /** Lambda's memory setting (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), from which the hash cost caps are derived. */
  memoryMb?: number;
  /** Firebase's project hash parameters (MIGRATION_FIREBASE_*), for `$firebase-scrypt$` hashes; absent if not set. */
  firebaseScrypt?: FirebaseScryptParameters | undefined;
}

/** The highest refusal floor allowed: what a check may take at one vCPU (limits.ts), so padding fits the timeout. */
export const MAX_REFUSAL_FLOOR_MS = Math.floor(hashBudget(1769).checkWallMs);

export function loadMigrationConfig(env: Env): MigrationConfig {
  let memoryMb: number;
  try {
    memoryMb = memorySizeFrom(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const dummyHashCost = integerInRange(env, 'MIGRATION_DUMMY_BCRYPT_COST', 10, 4, 15);
  const bcryptCap = costCap('bcrypt', hashBudget(memoryMb));
  if (bcryptCap !== undefined && dummyHashCost > bcryptCap) {
    throw new ConfigError(
      `MIGRATION_DUMMY_BCRYPT_COST must be at most ${bcryptCap}, the bcrypt cost a check can afford at ${memoryMb} MB (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), got ${dummyHashCost}.`,
    );
  }
  return {
    legacyUsersTable: requiredString(env, 'LEGACY_USERS_TABLE', 'the DynamoDB table of the legacy directory (partition key "username")'),
    dummyHashCost,
    refusalFloorMs: integerInRange(env, 'MIGRATION_REFUSAL_FLOOR_MS', 0, 0, MAX_REFUSAL_FLOOR_MS),
    memoryMb,
    firebaseScrypt: loadFirebaseScryptParameters(env),
  };
}
