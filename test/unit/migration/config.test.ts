import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { loadMigrationConfig, MAX_REFUSAL_FLOOR_MS } from '../../../shared/migration/config.js';
import { thrown } from './helpers.js';

const base = { LEGACY_USERS_TABLE: 'legacy-users' };

describe('migration configuration', () => {
  it('defaults: dummy bcrypt cost 10, no configured refusal floor, one vCPU outside Lambda', () => {
    expect(loadMigrationConfig(base)).toEqual({ legacyUsersTable: 'legacy-users', dummyHashCost: 10, refusalFloorMs: 0, memoryMb: 1769 });
  });

  it('reads the memory Lambda gives the function, and a refusal floor', () => {
    expect(loadMigrationConfig({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512', MIGRATION_REFUSAL_FLOOR_MS: '400' })).toMatchObject({
      memoryMb: 512,
      refusalFloorMs: 400,
    });
  });

  it('refuses a refusal floor the function timeout could not hold, naming the variable', () => {
    const error = thrown(() => loadMigrationConfig({ ...base, MIGRATION_REFUSAL_FLOOR_MS: String(MAX_REFUSAL_FLOOR_MS + 1) }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('MIGRATION_REFUSAL_FLOOR_MS must be from 0 to');
  });

  it('refuses a dummy bcrypt cost over the cap at the configured memory, naming both settings', () => {
    const error = thrown(() => loadMigrationConfig({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128', MIGRATION_DUMMY_BCRYPT_COST: '12' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      'MIGRATION_DUMMY_BCRYPT_COST must be at most 10, the bcrypt cost a check can afford at 128 MB (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), got 12.',
    );
    expect(loadMigrationConfig({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769', MIGRATION_DUMMY_BCRYPT_COST: '12' }).dummyHashCost).toBe(12);
  });

  it('fails the cold start on a memory size that is not one, naming the variable', () => {
    const error = thrown(() => loadMigrationConfig({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'big' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('AWS_LAMBDA_FUNCTION_MEMORY_SIZE');
  });
});
