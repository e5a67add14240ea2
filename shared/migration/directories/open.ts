import type { Logger } from '@aws-lambda-powertools/logger';
import { awsClientOptions } from '../../aws/clientOptions.js';
import type { LegacyDirectory } from '../directory.js';
import type { DirectorySettings } from './settings.js';

/**
 * The chosen directory, its driver loaded by a dynamic import(): in one bundle esbuild keeps each driver a
 * lazily evaluated module, so a deployment evaluates only its own. A deployment's bundle goes further:
 * esbuild.config.cjs replaces process.env.LEGACY_DIRECTORY_BUNDLE with the deployed directory, the other
 * branches become dead code and their drivers are left out of the bundle altogether (nothing to parse).
 */
export async function openDirectory(settings: DirectorySettings, logger: Logger): Promise<LegacyDirectory> {
  // Each outer condition must stay literal (no helper function) for esbuild to fold it to a constant.
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'dynamodb') {
    if (settings.kind === 'dynamodb') {
      const [{ DynamoDBClient }, { createDynamoDirectory }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../directory.js')]);
      return createDynamoDirectory(new DynamoDBClient(awsClientOptions), settings.tableName);
    }
  }
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'ldap') {
    if (settings.kind === 'ldap') return (await import('./ldap.js')).createLdapDirectory(settings, logger);
  }
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'postgres') {
    if (settings.kind === 'postgres') return (await import('./postgres.js')).createPostgresDirectory(settings);
  }
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'mysql') {
    if (settings.kind === 'mysql') return (await import('./mysql.js')).createMysqlDirectory(settings);
  }
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'http') {
    if (settings.kind === 'http') return (await import('./http.js')).createHttpDirectory(settings, logger);
  }
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'cognito') {
    if (settings.kind === 'cognito') return (await import('./cognitoPool.js')).createCognitoPoolDirectory(settings, logger);
  }
  throw new Error(`LEGACY_DIRECTORY=${settings.kind}, but this bundle was built for LEGACY_DIRECTORY=${String(process.env.LEGACY_DIRECTORY_BUNDLE)}: deploy again.`);
}
