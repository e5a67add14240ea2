import type { Logger } from '@aws-lambda-powertools/logger';
import type { LegacyDirectory } from '../directory.js';
import { createCognitoPoolDirectory } from './cognitoPool.js';
import { openDynamoDirectory } from './dynamodb.js';
import type { DirectorySettings } from './settings.js';

/**
 * The chosen directory. LDAP, SQL and the login API are loaded by a dynamic import(): in one bundle esbuild
 * keeps each a lazily evaluated module, so only the configured one is evaluated. A deployment's bundle goes
 * further: esbuild.config.cjs replaces process.env.LEGACY_DIRECTORY_BUNDLE with the deployed directory, the
 * other branches become dead code and their drivers are left out of the bundle (nothing to parse either).
 *
 * The two AWS directories (DynamoDB, the default, and another Cognito pool) are imported statically: they
 * use the functions' own AWS client (shared/aws, a few KB), and in every other directory's bundle, where
 * their only use is dead code, esbuild leaves them out.
 */
export async function openDirectory(settings: DirectorySettings, logger: Logger): Promise<LegacyDirectory> {
  // Each outer condition must stay literal (no helper function) for esbuild to fold it to a constant.
  if (process.env.LEGACY_DIRECTORY_BUNDLE === undefined || process.env.LEGACY_DIRECTORY_BUNDLE === 'dynamodb') {
    if (settings.kind === 'dynamodb') return openDynamoDirectory(settings.tableName);
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
    if (settings.kind === 'cognito') return createCognitoPoolDirectory(settings, logger);
  }
  throw new Error(`LEGACY_DIRECTORY=${settings.kind}, but this bundle was built for LEGACY_DIRECTORY=${String(process.env.LEGACY_DIRECTORY_BUNDLE)}: deploy again.`);
}
